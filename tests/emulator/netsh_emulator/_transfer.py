"""``exportpolicy`` and ``importpolicy`` (SYNTAX.md §8).

The real file format is binary/opaque; the emulator writes its own JSON document::

    {"format": "lockdown-ipsec-netsh-emulator-export", "version": 1,
     "computer": "<NAME>", "exported": "<YYYY-MM-DDTHH:MM:SS>", "store": {<store document>}}

The path is used exactly as given (whether netsh appends ``.ipsec`` is UNKNOWN; the emulator
does not). Import adds the file's policies, filter lists and filter actions; an object with the
same name as an existing one replaces it (filter lists and actions keep the existing GUID so
rules of other policies still point at them). Imported policies are never assigned ("Import does
not assign" [S31]); replacing the assigned policy therefore leaves no policy assigned
(emulator choice).
"""

from __future__ import annotations

import json
import os

from . import _messages as msg
from ._cmdline import Args
from ._context import Context
from ._state import Store, StoreCorrupt, atomic_write

EXPORT_FORMAT = "lockdown-ipsec-netsh-emulator-export"
EXPORT_VERSION = 1


def exportpolicy(ctx: Context, args: Args) -> None:
    path = args.values["file"]
    if path.strip() == "":
        raise msg.export_failed(path, "no file name")
    data = ctx.store.to_json()
    data.pop("batch_mode", None)
    data.pop("guid_counter", None)
    data.pop("held_objects", None)
    document = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION,
                "computer": ctx.settings.computername, "exported": ctx.now(), "store": data}
    try:
        atomic_write(path, (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    except OSError as exc:
        raise msg.export_failed(path, exc.strerror or str(exc)) from None


def _read_export(path: str) -> Store:
    try:
        with open(path, "rb") as handle:
            document = json.loads(handle.read().decode("utf-8"))
    except OSError as exc:
        raise msg.import_failed(path, exc.strerror or str(exc)) from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise msg.import_failed(path, "not an emulator export file") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT \
            or document.get("version") != EXPORT_VERSION:
        raise msg.import_failed(path, "not an emulator export file")
    data = dict(document.get("store") or {})
    data.update(format="lockdown-ipsec-netsh-emulator-store", version=1)
    try:
        return Store.from_json(data)
    except StoreCorrupt as exc:
        raise msg.import_failed(path, str(exc)) from None


def importpolicy(ctx: Context, args: Args) -> None:
    path = args.values["file"]
    incoming = _read_export(os.fspath(path))
    store = ctx.store
    used = {o.guid for o in [*store.policies, *store.filterlists, *store.filteractions]}

    def fresh(guid: str) -> str:
        if guid in used:
            guid = ctx.new_guid()
        used.add(guid)
        return guid

    now = ctx.now()
    list_map: dict[str, str] = {}
    for fl in incoming.filterlists:
        existing = store.filterlist(fl.name)
        if existing is not None:
            existing.name, existing.description, existing.filters = fl.name, fl.description, fl.filters
            existing.modified = now
            list_map[fl.guid] = existing.guid
        else:
            old, fl.guid, fl.modified = fl.guid, fresh(fl.guid), now
            list_map[old] = fl.guid
            store.filterlists.append(fl)
    action_map: dict[str, str] = {}
    for fa in incoming.filteractions:
        existing = store.filteraction(fa.name)
        if existing is not None:
            old, fa.guid, fa.modified = fa.guid, existing.guid, now
            store.filteractions[store.filteractions.index(existing)] = fa
            action_map[old] = fa.guid
        else:
            old, fa.guid, fa.modified = fa.guid, fresh(fa.guid), now
            action_map[old] = fa.guid
            store.filteractions.append(fa)
    for policy in incoming.policies:
        for rule in policy.rules:
            if rule.filterlist not in list_map or rule.filteraction not in action_map:
                raise msg.import_failed(path, f'rule "{rule.name}" refers to an object missing from the file')
            rule.filterlist, rule.filteraction = list_map[rule.filterlist], action_map[rule.filteraction]
        policy.assigned = False
        policy.modified = now
        existing = store.policy(policy.name)
        if existing is not None:
            policy.guid = existing.guid
            store.policies[store.policies.index(existing)] = policy
        else:
            policy.guid = fresh(policy.guid)
            store.policies.append(policy)
