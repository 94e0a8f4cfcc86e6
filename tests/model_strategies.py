"""Hypothesis strategies for valid, complete (gathered-shape) stores of the collection's model.

"Complete" means every field is set, as a store read back from netsh is. The strategies only build
what netsh can hold and print back unchanged (docs/netsh-output-format.md): negotiate actions carry
quick-mode methods, permit and block actions none; every policy has main-mode methods; rules refer
to lists and actions of the same store.
"""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import Endpoint
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

# Characters a name may hold: letters, digits, punctuation that is special to cmd.exe or PowerShell
# (but not to the C runtime), and non-ASCII text. Spaces inside, never at the ends.
_NAME_CHARS = st.sampled_from(list("abcXYZ019 -_.,;:%^&!'()<>|=#@$~") + ["é", "ü", "✓", "筛", "\\"])
names = st.text(_NAME_CHARS, min_size=1, max_size=12).map(str.strip).filter(lambda name: name and name != "NONE")
descriptions = st.one_of(st.just(""), names)

ipv4 = st.tuples(*[st.integers(1, 254)] * 4).map(lambda octets: ".".join(map(str, octets)))
endpoints = st.one_of(
    st.just(Endpoint.parse("any")),
    st.just(Endpoint.parse("me")),
    ipv4.map(Endpoint.parse),
    st.tuples(ipv4, st.integers(1, 31)).map(lambda pair: Endpoint.parse(pair[0], pair[1])),
    st.sampled_from(["2001:db8::1", "fe80::abcd", "::1"]).map(Endpoint.parse),
    st.tuples(st.integers(1, 200), st.integers(1, 50)).map(lambda p: Endpoint.parse(f"10.0.{p[0]}.1-10.0.{p[0]}.{p[0] % 50 + p[1] + 1}")),
    st.sampled_from(["web.example.com", "db-01.corp.example", "host7"]).map(Endpoint.parse),
)
ports = st.one_of(st.just(0), st.integers(1, 65535))


@st.composite
def filters(draw) -> Filter:
    if draw(st.integers(0, 9)) == 0:  # a server type needs me on the other side [S3]
        server = Endpoint.parse(draw(st.sampled_from(["dns", "wins", "dhcp", "gateway"])))
        source, destination = draw(st.sampled_from([(server, Endpoint.parse("me")), (Endpoint.parse("me"), server)]))
    else:
        source, destination = draw(endpoints), draw(endpoints)
    protocol = draw(st.sampled_from([0, 1, 6, 17, 255, 47, 50]))
    with_ports = protocol in (6, 17)
    return Filter(
        source=source,
        destination=destination,
        protocol=protocol,
        source_port=draw(ports) if with_ports else 0,
        destination_port=draw(ports) if with_ports else 0,
        mirrored=draw(st.booleans()),
        description=draw(descriptions),
    )


qm_methods = st.sampled_from(["ESP[3DES,SHA1]:100000k/3600s", "ESP[DES,MD5]:3600s", "AH[SHA1]:50000k", "AH[MD5]+ESP[3DES,None]", "ESP[None,SHA1]"])
mm_methods = st.sampled_from(["3DES-SHA1-2", "3DES-MD5-2", "DES-SHA1-1", "DES-MD5-1", "3DES-SHA1-3"])
auth_methods = st.lists(
    st.one_of(
        st.just(AuthMethod(AuthKind.KERBEROS)),
        names.map(lambda key: AuthMethod(AuthKind.PRESHARED_KEY, key)),
        st.tuples(st.sampled_from(["CN=Root", "C=US, O=Example, CN=Example Root"]), st.booleans(), st.booleans()).map(
            lambda t: AuthMethod(AuthKind.ROOT_CA, *t)
        ),
    ),
    max_size=3,
    unique_by=lambda method: method.secret_or_ca if method.kind is AuthKind.ROOT_CA else method.kind,
).map(tuple)


@st.composite
def filter_actions(draw, name: str) -> FilterAction:
    action = draw(st.sampled_from(list(Action)))
    if action is not Action.NEGOTIATE:
        # qmpfs, inpass and soft live in a negotiating action's offers and type: a block or permit action
        # cannot store them, and the planner refuses them there.
        return FilterAction(name, action, draw(descriptions), False, False, False, ())
    methods = tuple(draw(st.lists(qm_methods, min_size=1, max_size=3, unique=True)))
    return FilterAction(name, action, draw(descriptions), draw(st.booleans()), draw(st.booleans()), draw(st.booleans()), methods)


@st.composite
def policies(draw, name: str, list_names: list[str], action_names: list[str]) -> Policy:
    rules = []
    if list_names and action_names:
        for rule_name in draw(st.lists(names, max_size=3, unique=True)):
            rules.append(
                Rule(
                    rule_name,
                    draw(st.sampled_from(list_names)),
                    draw(st.sampled_from(action_names)),
                    draw(st.booleans()),
                    draw(st.sampled_from(list(ConnectionType))),
                    draw(descriptions),
                    draw(st.one_of(st.just(""), ipv4)),
                    draw(auth_methods),
                )
            )
    mmpfs = draw(st.booleans())
    default_methods = tuple(draw(st.lists(qm_methods, max_size=2, unique=True)))
    return Policy(
        name=name,
        description=draw(descriptions),
        rules=tuple(rules),
        # Without quick-mode methods the default response rule cannot store qmpfs.
        default_rule=DefaultResponseRule(draw(st.booleans()), bool(default_methods) and draw(st.booleans()), default_methods, draw(auth_methods)),
        polling_interval=draw(st.integers(1, 43200)),
        mmpfs=mmpfs,
        qm_per_mm=1 if mmpfs else draw(st.integers(0, 100)),
        mm_lifetime=draw(st.integers(1, 10000)),
        mm_security_methods=tuple(draw(st.lists(mm_methods, min_size=1, max_size=3, unique=True))),
        assigned=False,
        unnamed_rules=(),  # a store built with netsh has no rule without a name, and a read says so
    )


@st.composite
def stores(draw, *, max_objects: int = 3) -> Store:
    list_names = draw(st.lists(names, max_size=max_objects, unique=True))
    action_names = draw(st.lists(names, max_size=max_objects, unique=True))
    policy_names = draw(st.lists(names, max_size=max_objects, unique=True))
    filter_lists = [FilterList(name, draw(descriptions), tuple(draw(st.lists(filters(), max_size=4)))) for name in list_names]
    actions = [draw(filter_actions(name)) for name in action_names]
    made = [draw(policies(name, list_names, action_names)) for name in policy_names]
    if made and draw(st.booleans()):
        chosen = draw(st.integers(0, len(made) - 1))
        made[chosen] = dataclasses.replace(made[chosen], assigned=True)
    return Store.of(filter_lists=filter_lists, filter_actions=actions, policies=made)
