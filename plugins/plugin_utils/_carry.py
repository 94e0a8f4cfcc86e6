# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. A check run's prediction, carried from task to task for each host.

In check mode nothing is written, so without help the second task of a play would plan against the
store the first task did not create, and ``--check --diff`` would review one task, not the play
(DESIGN.md, "Module surface"). So a check-mode task leaves the store it predicts for its host, and the
next check-mode task on that host plans against that instead of reading the host.

Where: ansible-playbook runs every task in a worker process forked from its main process, so the
tasks of one run share nothing in memory. They do share the run's own local temporary directory
(``DEFAULT_LOCAL_TMP``: ``ansible-local-<pid>...``, made when the run starts, inherited by every
worker, removed when the run ends; ansible-core keeps its module cache there for the same reason).
A prediction lives there, one file per host, so it is never seen by another run, survives no run,
never enters a fact cache, and is never another host's. A task that is not in check mode removes its
host's prediction: from then on the host itself is the truth.

The file is the store in the ``config`` shape with pre-shared keys in clear (the plan needs them), in
a directory only the controller's user can read (``mkdtemp``, 0700), written 0600.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import replace

from ._inputs import complete_store_from_config, expand_filters, unnamed_rule_from
from ._model import FilterList, Store
from ._present import store_to_data, unnamed_rule_to_data
from ._read import HostState
from ._registry_store import DomainPolicy

FORMAT = "lockdown.ipsec.prediction"
VERSION = 1
SUBDIRECTORY = "lockdown-ipsec-predictions"


def encode(state: HostState) -> str:
    """``state`` (its store complete, as gathered or predicted) as JSON text that :func:`decode` reads
    back equal."""
    store = state.store
    # Rules without a name travel beside the config shape, which has no place for them (or for "unknown").
    unnamed = {
        policy.name: None if policy.unnamed_rules is None else [unnamed_rule_to_data(rule, redact=False) for rule in policy.unnamed_rules]
        for policy in store.policies.values()
    }
    domain = None if state.domain_policy is None else {"name": state.domain_policy.name, "path": state.domain_policy.path}
    document = {
        "format": FORMAT, "version": VERSION, "store": store_to_data(store, redact=False), "unnamed_rules": unnamed,
        "domain_policy": domain, "codepage": state.codepage,
    }
    return json.dumps(document, sort_keys=True)


def decode(text: str) -> HostState:
    """The state :func:`encode` wrote; duplicate filters a host holds are kept as they were.

    Raises:
        ValueError: the text is not a prediction of this format and version (the caller reads the host
            instead: a prediction is an optimisation of a check run, never a source of truth).
    """
    document = json.loads(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ValueError("not a lockdown.ipsec prediction of this version")
    data = document["store"]
    # Filter lists are built here rather than through complete_store_from_config, which would let
    # duplicate filters collapse as desired filters do: a prediction must keep what the host holds.
    policies = [{key: value for key, value in item.items() if key != "unnamed_rules"} for item in data["policies"]]
    store = complete_store_from_config({**data, "filter_lists": [], "policies": policies})
    lists = [
        FilterList(item["name"], item["description"], tuple(found for entry in item["filters"] for found in expand_filters(entry)))
        for item in data["filter_lists"]
    ]
    unnamed = document["unnamed_rules"]
    policies = [
        replace(policy, unnamed_rules=None if unnamed[policy.name] is None else tuple(unnamed_rule_from(rule) for rule in unnamed[policy.name]))
        for policy in store.policies.values()
    ]
    store = Store(filter_lists=Store.of(filter_lists=lists).filter_lists, filter_actions=store.filter_actions,
                  policies=Store.of(policies=policies).policies)
    domain = document["domain_policy"]
    return HostState(store, None if domain is None else DomainPolicy(domain["name"], domain["path"]), document["codepage"])


class Carried:
    """The prediction for one host within one run: the file ``<directory>/lockdown-ipsec-predictions/<host>``.

    ``directory`` is the run's local temporary directory; ``None`` (e.g. no run around the task) means
    nothing is carried: :meth:`load` finds nothing and :meth:`save` keeps nothing. ``host`` names the
    host whose store it is (its inventory name, hashed into the file name).
    """

    def __init__(self, directory: str | None, host: str) -> None:
        self.path = None
        if directory:
            digest = hashlib.sha256(host.encode("utf-8")).hexdigest()
            self.path = os.path.join(directory, SUBDIRECTORY, f"{digest}.json")

    def load(self) -> HostState | None:
        """The carried state, or ``None`` when there is none (or it cannot be read: then the host is read)."""
        if self.path is None:
            return None
        try:
            with open(self.path, encoding="utf-8") as handle:
                return decode(handle.read())
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, state: HostState) -> None:
        """Carry ``state`` forward: atomically, readable by the controller's user only."""
        if self.path is None:
            return
        directory = os.path.dirname(self.path)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".prediction-")  # created 0600
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(encode(state))
            os.replace(temporary, self.path)
        except BaseException:
            os.unlink(temporary)
            raise

    def forget(self) -> None:
        """Drop the carried store: the next task reads the host."""
        if self.path is not None:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass


__all__ = ["Carried", "decode", "encode"]
