# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property: the collection's two read paths agree with each other and with the store that was written.

A random store is created in the emulated host (an independent implementation) with the collection's
own creation commands, as in ``test_store_roundtrip``: rendered by ``render_change``, quoted by
``join_c`` and split by the emulator's MSVCRT parser. It is then read back over the real bootstrap
(``run_powershell``: the stub on the command line, the batch script and the request on stdin) with
``read_host``, twice: ``read_from="registry"`` (the store's registry keys, decoded on the controller)
and ``read_from="netsh"`` (the ``show ... level=verbose`` text, parsed on the controller). Both must
give the store that was written.

The registry read's documented limits are tested as limits, not filtered away:

* A-85: a filter list holding an IPv6 or address-range filter (kept in the filter list's V2 block) is
  refused. The equality property draws stores without such filters; ``test_a_v2_block_is_refused_...``
  draws stores with at least one and checks the refusal and that the netsh read still gives the store.

``model_strategies.stores()`` draws only what the store can hold (A-98: no qmpfs, inpass or soft on a
block or permit action, no qmpfs on a default response rule without quick-mode methods) and says "no
rule without a name" (``unnamed_rules=()``), as both reads do for a store built with netsh.

The second property writes names of arbitrary Unicode on a host whose OEM code page is 437: netsh's
text cannot carry them there (A-20, A-44: they come back as "?"), the registry's UTF-16 must.
"""

from __future__ import annotations

import dataclasses
import itertools
import shlex

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import AddressKind, Endpoint
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (
    Action,
    ConnectionType,
    DefaultResponseRule,
    Filter,
    FilterAction,
    FilterList,
    Policy,
    Rule,
    Store,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._names import name_key
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._quote import join_c
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._read import HostState, read_host
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_blob import RegistryDecodeError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import creation_changes, render_change
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import BatchRequest, NetshRunner
from model_strategies import filters, ipv4, stores
from netsh_emulator import run_netsh, run_powershell
from netsh_emulator._crt import split_c

_counter = itertools.count()
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- the emulated host --------------------------------------------------------------------------


def new_host(tmp_path_factory, codepage: int) -> dict:
    """The environment of a new, empty emulated host with OEM code page ``codepage``."""
    state = tmp_path_factory.getbasetemp() / f"registry-roundtrip-{next(_counter)}.json"
    return {"NETSH_EMU_STATE": str(state), "NETSH_EMU_CODEPAGE": str(codepage)}


def create(store: Store, env: dict) -> None:
    """Build ``store`` on the host with the collection's creation commands, one netsh run each."""
    for change in creation_changes(store):
        command_line = join_c(render_change(change))
        rc, stdout, stderr = run_netsh(split_c(command_line), env)
        assert rc == 0 and b"ERR IPsec[" not in stdout and not stderr, (command_line, rc, stdout, stderr)


def runner(env: dict, read_from: str) -> NetshRunner:
    """A runner whose ``execute`` runs the command line in the emulator's fake PowerShell."""

    def execute(command: str, stdin: bytes) -> tuple[int, str, str]:
        rc, stdout, stderr = run_powershell(shlex.split(command)[1:], stdin, env)
        return rc, stdout.decode("ascii"), stderr.decode("utf-8")

    return NetshRunner(execute, read_from=read_from)


def read(env: dict, read_from: str) -> HostState:
    """The host's state through the collection's read path, in one round trip."""
    reader = runner(env, read_from)
    state, others = read_host(reader)
    assert reader.round_trips == 1 and others == ()
    return state


# --- the known limits, made explicit ------------------------------------------------------------


def in_v2_block(item: Filter) -> bool:
    """Whether the registry keeps ``item`` in its filter list's V2 block: an IPv6 address or an address
    range on either side (GPIPSEC.md §6.3). The registry read refuses such a list (A-85)."""
    return _v2_endpoint(item.source) or _v2_endpoint(item.destination)


# --- strategies ---------------------------------------------------------------------------------


def _v2_endpoint(end: Endpoint) -> bool:
    return end.kind is AddressKind.RANGE or (end.kind is AddressKind.IP and ":" in end.value)


# model_strategies.endpoints without its IPv6 and range branches
legacy_endpoints = st.one_of(
    st.sampled_from(["any", "me", "web.example.com", "db-01.corp.example", "host7"]).map(Endpoint.parse),
    ipv4.map(Endpoint.parse),
    st.tuples(ipv4, st.integers(1, 31)).map(lambda pair: Endpoint.parse(pair[0], pair[1])),
)
v2_endpoints = st.one_of(
    st.sampled_from(["2001:db8::1", "fe80::abcd", "::1", "2001:db8:85a3::8a2e:370:7334"]).map(Endpoint.parse),
    st.tuples(st.integers(1, 200), st.integers(1, 50)).map(lambda p: Endpoint.parse(f"10.0.{p[0]}.1-10.0.{p[0]}.{p[0] % 50 + p[1] + 1}")),
    st.integers(2, 0xFFFF).map(lambda high: Endpoint.parse(f"2001:db8::1-2001:db8::{high:x}")),
)


@st.composite
def legacy_filters(draw) -> Filter:
    """A filter of ``model_strategies.filters()`` whose IPv6 or range sides are redrawn as addresses a
    legacy filter spec holds (IPv4, any, me, DNS names, server types)."""
    item = draw(filters())
    return dataclasses.replace(
        item,
        source=draw(legacy_endpoints) if _v2_endpoint(item.source) else item.source,
        destination=draw(legacy_endpoints) if _v2_endpoint(item.destination) else item.destination,
    )


@st.composite
def v2_filters(draw) -> Filter:
    """A filter of ``model_strategies.filters()`` with one side an IPv6 address or a range (IPv4 or IPv6):
    the server type's side when it has one (a server type needs ``me`` on the other side), else either."""
    item = draw(filters())
    if item.source.kind is AddressKind.SERVER or item.destination.kind is AddressKind.SERVER:
        side = "source" if item.source.kind is AddressKind.SERVER else "destination"
    else:
        side = draw(st.sampled_from(["source", "destination"]))
    return dataclasses.replace(item, **{side: draw(v2_endpoints)})


@st.composite
def legacy_stores(draw) -> Store:
    """``model_strategies.stores()``, each filter redrawn without IPv6 or ranges (A-85)."""
    store = draw(stores())
    lists = [
        dataclasses.replace(item, filters=tuple(draw(legacy_filters()) for dummy in item.filters)) for item in store.filter_lists.values()
    ]
    return Store.of(filter_lists=lists, filter_actions=store.filter_actions.values(), policies=store.policies.values())


@st.composite
def v2_stores(draw) -> Store:
    """``model_strategies.stores()``, with at least one filter that goes into a V2 block."""
    store = draw(stores())
    lists = list(store.filter_lists.values())
    if not lists:
        lists.append(FilterList(draw(st.sampled_from(["L", "Remote range", "IPv6 peers"])), "", ()))
    chosen = draw(st.integers(0, len(lists) - 1))
    held = list(lists[chosen].filters)
    held.insert(draw(st.integers(0, len(held))), draw(v2_filters()))
    lists[chosen] = dataclasses.replace(lists[chosen], filters=tuple(held))
    return Store.of(filter_lists=lists, filter_actions=store.filter_actions.values(), policies=store.policies.values())


# --- the cross-check ----------------------------------------------------------------------------


@settings(SETTINGS, max_examples=400)
@given(store=legacy_stores())
def test_registry_read_equals_netsh_read_equals_the_store(tmp_path_factory, store):
    env = new_host(tmp_path_factory, 65001)
    create(store, env)
    from_registry, from_netsh = read(env, "registry"), read(env, "netsh")
    assert from_registry == from_netsh
    assert from_registry == HostState(store, None, 65001)


@settings(SETTINGS, max_examples=80)
@given(store=v2_stores())
def test_a_v2_block_is_refused_by_the_registry_read_and_read_by_netsh(tmp_path_factory, store):
    env = new_host(tmp_path_factory, 65001)
    create(store, env)
    assert read(env, "netsh") == HostState(store, None, 65001)
    # The keys of the lists that hold a V2 block, found by name in what the host sends.
    answer = runner(env, "registry").run(BatchRequest((), stop_on_error=False, registry=True))
    holding = {name_key(item.name) for item in store.filter_lists.values() if any(map(in_v2_block, item.filters))}
    keys = {
        key.name for key in answer.registry_snapshot().objects
        if key.name.startswith("ipsecFilter{") and name_key(key.value("ipsecName").data) in holding
    }
    assert len(keys) == len(holding)
    with pytest.raises(RegistryDecodeError) as refused:
        read(env, "registry")
    assert refused.value.key in keys and refused.value.field == "Filter-Policy-ID2"
    assert "V2 filter block" in str(refused.value) and refused.value.key in str(refused.value)


# --- any name, on a host that prints in code page 437 ---------------------------------------------

# Every character check_text accepts, except lone surrogates: no command line and no request can carry
# one (BatchRequest refuses them). Text a character class would rarely draw is sampled directly.
_SAMPLED = [
    *"筛选器策略規則한국어",  # CJK and Hangul
    "\U0001F600", "\U0001F512", "\U0001D11E", "\U0002000B", "\U0010FFFD",  # outside the BMP: UTF-16 surrogate pairs
    "\u0301", "\u0308", "\u20DD", "e\u0301",  # combining marks, also at the start of a name
    *"עבריתالعربية",  # right to left
    "\u00A0", "\u3000", "\u200B", "\u200D", "\uFEFF",  # non-ASCII spaces (kept only inside a name) and invisible characters
    "\x85", "\x9F", "\uFFFE", "\uFFFF",  # C1 controls and noncharacters, which check_text lets through
    "\u00DF", "\u0130", "\u01C5", "\u2126", "\u212A",  # case folding: sharp s, dotted I, title case, Ohm, Kelvin
]
_PIECES = st.one_of(
    st.characters(exclude_categories=("Cs",), exclude_characters="".join(map(chr, range(0x20))) + '"\x7f'),
    st.sampled_from(_SAMPLED),
)
any_text = st.lists(_PIECES, min_size=1, max_size=12).map("".join).map(str.strip).filter(lambda text: text and text != "NONE")


def _unique(texts: list[str]) -> list[str]:
    return list({name_key(text): text for text in texts}.values())


@st.composite
def unicode_stores(draw) -> Store:
    """A store whose every name, description and pre-shared key is any text the model accepts."""
    list_names = _unique(draw(st.lists(any_text, min_size=1, max_size=3)))
    action_names = _unique(draw(st.lists(any_text, min_size=1, max_size=3)))
    descriptions = st.one_of(st.just(""), any_text)
    lists = [
        FilterList(name, draw(descriptions), tuple(
            dataclasses.replace(draw(legacy_filters()), description=draw(descriptions)) for dummy in range(draw(st.integers(0, 2)))
        ))
        for name in list_names
    ]
    actions = [FilterAction(name, Action.NEGOTIATE, draw(descriptions), False, False, False, ("ESP[3DES,SHA1]:100000k/3600s",))
               if index % 2 else FilterAction(name, Action.BLOCK, draw(descriptions), False, False, False, ())
               for index, name in enumerate(action_names)]
    policies = []
    for name in _unique(draw(st.lists(any_text, min_size=1, max_size=2))):
        rules = [
            Rule(rule_name, draw(st.sampled_from(list_names)), draw(st.sampled_from(action_names)), True,
                 draw(st.sampled_from(list(ConnectionType))), draw(descriptions), "", (AuthMethod(AuthKind.PRESHARED_KEY, draw(any_text)),))
            for rule_name in _unique(draw(st.lists(any_text, max_size=3)))
        ]
        policies.append(Policy(
            name=name,
            description=draw(descriptions),
            rules=tuple(rules),
            default_rule=DefaultResponseRule(False, False, (), (AuthMethod(AuthKind.PRESHARED_KEY, draw(any_text)),)),
            polling_interval=180,
            mmpfs=False,
            qm_per_mm=0,
            mm_lifetime=480,
            mm_security_methods=("3DES-SHA1-2",),
            assigned=bool(draw(st.booleans())) and not any(policy.assigned for policy in policies),
            unnamed_rules=(),
        ))
    return Store.of(filter_lists=lists, filter_actions=actions, policies=policies)


@settings(SETTINGS, max_examples=150)
@given(store=unicode_stores())
def test_any_name_reads_back_from_the_registry_on_a_code_page_437_host(tmp_path_factory, store):
    env = new_host(tmp_path_factory, 437)
    create(store, env)
    assert read(env, "registry") == HostState(store, None, 437)
