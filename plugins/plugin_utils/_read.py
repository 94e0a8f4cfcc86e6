# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. Reading the host's store, in one round trip, from where it is kept.

Two ways, chosen by the module option ``read_from`` (the runner's ``read_from``):

* ``registry`` (the default): the store's own registry keys (GPIPSEC.md), decoded on the controller
  (``_registry_store.decode_snapshot``). Independent of the display language and the code page, and
  resting on Microsoft's open specification.
* ``netsh``: the ``show ... level=verbose`` text of ``_parse.READ_COMMANDS``, parsed on the controller.
  Its layout for policies and filter actions has never been seen in public (A-15..A-17); it stays as
  the alternative for a host where the registry read disagrees with us, and as the second, independent
  read the tests compare with.

Both read the Group Policy key as well, so that every task knows whether a policy assigned by Group
Policy overrides the local assignment (GPIPSEC.md §1.6).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from typing import NamedTuple, Optional, Sequence, Tuple

from ._errors import LockdownError, PlanError
from ._methods import AuthKind
from ._model import Store
from ._parse import READ_COMMANDS, parse_store
from ._present import store_to_data
from ._registry_store import DomainPolicy, decode_snapshot
from ._trace import answer_trace, secrets_of, withheld_trace
from ._transport import BatchRequest, CommandResult, NetshRunner, ReadBack, codec_of


class ReadFrom(enum.Enum):
    """Where the store is read from (the ``read_from`` option)."""

    REGISTRY = "registry"
    NETSH = "netsh"


@dataclass(frozen=True)
class HostState:
    """What one read found: the store, the policy Group Policy assigns (or ``None``), and the host's
    OEM code page (the one netsh prints in)."""

    store: Store
    domain_policy: Optional[DomainPolicy]
    codepage: int


class HostRead(NamedTuple):
    """What one read round trip brought back: the host's state, the results of the commands run after
    the read (``then``), and the files read back after them (``read_back``)."""

    state: HostState
    results: Tuple[CommandResult, ...]
    read_back: Tuple[ReadBack, ...] = ()


def read_host(runner: NetshRunner, *, files: Sequence[str] = (), then: Sequence[Sequence[str]] = ()) -> Tuple[HostState, Tuple[CommandResult, ...]]:
    """:func:`read_round_trip` without files read back: the state and the results of ``then``."""
    read = read_round_trip(runner, files=files, then=then)
    return read.state, read.results


def read_round_trip(runner: NetshRunner, *, files: Sequence[str] = (), then: Sequence[Sequence[str]] = (), read_back: Sequence[str] = ()) -> HostRead:
    """Read the store in one round trip, the way ``runner.read_from`` says.

    Args:
        files: paths that must open on the host first (nothing runs otherwise).
        then: netsh commands to run in the same round trip that change no policy (e.g. an export);
            their results come back second, in order.
        read_back: files on the host to bring back after ``then`` (e.g. the export it wrote).

    Raises:
        FilesUnreadable: a file of ``files`` cannot be opened; nothing was read.
        TransportError: the answer could not be read.
        NetshParseError, RegistryDecodeError: what was read is not understood.
    """
    registry = ReadFrom(runner.read_from) is ReadFrom.REGISTRY
    commands = tuple(then) if registry else (*READ_COMMANDS, *then)
    answer = runner.run(BatchRequest(commands, stop_on_error=False, files=tuple(files), read_back=tuple(read_back), registry=True))
    # The netsh path uses the Group Policy key only: the store's keys are neither read nor traced, so
    # nothing in them (a value the payload reader refuses, a key netsh printed otherwise) reaches it.
    try:
        snapshot = answer.registry_snapshot(local=registry)
        if registry:
            decoded = decode_snapshot(snapshot)
            state, others, secrets = HostState(decoded.store, decoded.domain_policy, answer.codepage), answer.results, decoded.secrets
        else:
            reads, others = answer.results[:len(READ_COMMANDS)], answer.results[len(READ_COMMANDS):]
            state = HostState(read_store(reads), decode_snapshot(snapshot).domain_policy, answer.codepage)
            secrets = secrets_of(state.store)
    except LockdownError as error:
        if runner.tracing:
            runner.log(f"round trip {runner.round_trips}: what the host sent (pre-shared keys withheld): "
                       f"{withheld_trace(answer.document, local=registry)}")
        raise _with_hint(error, registry)
    if runner.tracing:
        runner.log(f"round trip {runner.round_trips}: what the host sent (pre-shared keys hidden): "
                   f"{answer_trace(answer.document, secrets, local=registry)}")
        runner.log(f"round trip {runner.round_trips}: decoded into (pre-shared keys hidden): {decoded_trace(state)}")
    return HostRead(state, others, answer.read_back)


def decoded_trace(state: HostState) -> str:
    """What a read was decoded into, as JSON: the store in the ``config`` shape (pre-shared keys as
    ``********``), the policy Group Policy assigns and the code page."""
    domain = None if state.domain_policy is None else {"name": state.domain_policy.name, "path": state.domain_policy.path}
    return json.dumps({"store": store_to_data(state.store), "domain_policy": domain, "codepage": state.codepage}, ensure_ascii=False, indent=1)


def refuse_unshowable(want: Store, codepage: int) -> None:
    """On the netsh read path, refuse text that netsh cannot print in the host's OEM code page.

    netsh prints names in the OEM code page (A-20), so a character the code page lacks comes back as
    another one and the object never reads back as written: the first run creates it, every later run
    fails with "already exists". The registry keeps UTF-16 and has no such limit.

    Raises:
        PlanError: naming the object, the text, the characters and the code page.
    """
    codec = codec_of(codepage)
    for what, text, secret in _texts(want):
        lacking = sorted({char for char in text if not _encodes(char, codec)})
        if lacking:
            shown = f"{what} (a pre-shared key, not shown)" if secret else f"{what} {text!r}"
            characters = "" if secret else f" ({', '.join(repr(char) for char in lacking)})"
            raise PlanError(
                f"{shown} has characters that netsh cannot print in the host's code page {codepage}{characters}, "
                "so read_from=netsh would never read it back as written; read the store from the registry "
                "(read_from: registry, the default), which keeps any character"
            )


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _texts(want: Store):
    """(what, text, secret) for every name, description, pre-shared key and CA name ``want`` gives."""
    for kind, objects in (("filter list", want.filter_lists), ("filter action", want.filter_actions), ("policy", want.policies)):
        for name, item in objects.items():
            yield f"the {kind} name", name, False
            if item.description:
                yield f"the description of {kind} {name!r}", item.description, False
    for name, policy in want.policies.items():
        default_methods = policy.default_rule.auth_methods if policy.default_rule is not None else None
        rules = [(f"rule {rule.name!r} of policy {name!r}", rule) for rule in policy.rules or ()]
        for label, rule in rules:
            yield f"the name of {label}", rule.name, False
            if rule.description:
                yield f"the description of {label}", rule.description, False
        methods = [(label, method) for label, rule in rules for method in rule.auth_methods or ()]
        methods += [(f"the default response rule of policy {name!r}", method) for method in default_methods or ()]
        for label, method in methods:
            if method.secret_or_ca:
                yield f"an authentication method of {label}", method.secret_or_ca, method.kind is AuthKind.PRESHARED_KEY


# How a user finds the raw data behind a read that failed, and the other way to read.
VERBOSITY_HINT = "run the task with -vvvv to see what the host sent"
NETSH_HINT = "read_from: netsh reads the store through netsh instead"


def _with_hint(error: LockdownError, registry: bool) -> LockdownError:
    """``error`` with :data:`VERBOSITY_HINT` (and, for a registry read, :data:`NETSH_HINT`) added to its
    message (same type, same attributes)."""
    hint = f"{VERBOSITY_HINT}; {NETSH_HINT}" if registry else VERBOSITY_HINT
    error.args = (f"{error.args[0] if error.args else error} ({hint})", *error.args[1:])
    return error


def gather(runner: NetshRunner, *, files: Sequence[str] = ()) -> Store:
    """The store, read in one round trip (see :func:`read_host`)."""
    return read_host(runner, files=files)[0].store


def read_store(results: Sequence[CommandResult]) -> Store:
    """Parse the results of the :data:`~._parse.READ_COMMANDS` (run alone or at the head of a batch).

    Raises:
        NetshParseError: netsh printed something the parser does not recognise, or an error.
    """
    return parse_store([(" ".join(("netsh", *result.argv)), result.stdout + result.stderr) for result in results])


__all__ = ["HostRead", "HostState", "ReadFrom", "decoded_trace", "gather", "read_host", "read_round_trip", "read_store", "refuse_unshowable"]
