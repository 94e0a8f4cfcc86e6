"""The emulated static IPsec store: dataclasses and crash-safe JSON persistence.

Object model (SYNTAX.md §1): filter lists and filter actions are store-level objects; a policy
owns its default response rule and its rules; a rule refers to its filter list and filter action
by GUID (so renaming a list keeps the rule pointing at it, as the real store does -- INFERRED).
Lists keep creation order, filters keep insertion order (A-12), duplicates are allowed.

Persistence contract:

* the file named by ``NETSH_EMU_STATE`` holds one JSON document (:meth:`Store.to_json`);
  a missing file is an empty store;
* every netsh invocation holds an ``fcntl.flock`` on the sibling file ``<state>.lock`` for the
  whole read-modify-write (shared for read-only commands), so concurrent processes serialise;
* :func:`save` writes a temporary file in the same directory, flushes and fsyncs it, then
  ``os.replace``-s it over the state file and fsyncs the directory: a crash at any point leaves
  either the old or the new document, never a torn one. Leftover ``*.tmp`` files are ignored.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from typing import Iterator

from ._values import Endpoint

FORMAT = "lockdown-ipsec-netsh-emulator-store"
VERSION = 1


class StoreCorrupt(Exception):
    """The state file exists but cannot be read as a store document."""


@dataclass
class Filter:
    src: Endpoint
    dst: Endpoint
    description: str = ""
    mirrored: bool = True
    protocol: int = 0
    srcport: int = 0
    dstport: int = 0


@dataclass
class FilterList:
    name: str
    guid: str
    modified: str
    description: str = ""
    filters: list[Filter] = field(default_factory=list)


@dataclass
class FilterAction:
    name: str
    guid: str
    modified: str
    description: str = ""
    action: str = "negotiate"
    qmpfs: bool = False
    inpass: bool = False
    soft: bool = False
    qmsecmethods: list[str] = field(default_factory=list)


@dataclass
class Rule:
    name: str
    guid: str
    filterlist: str          # GUID of the filter list
    filteraction: str        # GUID of the filter action
    description: str = ""
    tunnel: str | None = None
    conntype: str = "all"
    activate: bool = True
    auth: list[dict] = field(default_factory=list)


@dataclass
class DefaultRule:
    activate: bool = True
    qmpfs: bool = False
    qmsecmethods: list[str] = field(default_factory=list)
    auth: list[dict] = field(default_factory=list)


@dataclass
class Policy:
    name: str
    guid: str
    modified: str
    description: str = ""
    assigned: bool = False
    mmpfs: bool = False
    qmpermm: int = 0
    mmlifetime: int = 480
    pollinginterval: int = 180
    mmsecmethods: list[str] = field(default_factory=list)
    default_rule: DefaultRule = field(default_factory=DefaultRule)
    rules: list[Rule] = field(default_factory=list)


def _same(a: str, b: str) -> bool:
    # Name comparison is case-insensitive: emulator choice, netsh's behaviour is UNKNOWN
    # (SYNTAX.md §2 "Case").
    return a.casefold() == b.casefold()


@dataclass
class Store:
    policies: list[Policy] = field(default_factory=list)
    filterlists: list[FilterList] = field(default_factory=list)
    filteractions: list[FilterAction] = field(default_factory=list)
    batch_mode: bool = False
    guid_counter: int = 0
    # True once the store has held a policy, filter list or filter action, even if it is empty again: the
    # emulated registry key Policy\Local exists from then on (_registry_view). Set by save().
    held_objects: bool = False

    def holds_objects(self) -> bool:
        return bool(self.policies or self.filterlists or self.filteractions)

    # --- lookups ---------------------------------------------------------------------------
    def policy(self, name: str) -> Policy | None:
        return next((p for p in self.policies if _same(p.name, name)), None)

    def filterlist(self, name: str) -> FilterList | None:
        return next((f for f in self.filterlists if _same(f.name, name)), None)

    def filteraction(self, name: str) -> FilterAction | None:
        return next((f for f in self.filteractions if _same(f.name, name)), None)

    def filterlist_by_guid(self, guid: str) -> FilterList | None:
        return next((f for f in self.filterlists if f.guid == guid), None)

    def filteraction_by_guid(self, guid: str) -> FilterAction | None:
        return next((f for f in self.filteractions if f.guid == guid), None)

    def rules_using(self, attr: str, guid: str) -> list[tuple[Policy, Rule]]:
        return [(p, r) for p in self.policies for r in p.rules if getattr(r, attr) == guid]

    # --- JSON --------------------------------------------------------------------------------
    def to_json(self) -> dict:
        return {"format": FORMAT, "version": VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: dict) -> "Store":
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
            raise StoreCorrupt("not an emulator store document (format/version mismatch)")
        try:
            return cls(
                policies=[_policy(p) for p in data["policies"]],
                filterlists=[_filterlist(f) for f in data["filterlists"]],
                filteractions=[FilterAction(**a) for a in data["filteractions"]],
                batch_mode=bool(data.get("batch_mode", False)),
                guid_counter=int(data.get("guid_counter", 0)),
                held_objects=bool(data.get("held_objects", False)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise StoreCorrupt(f"malformed store document: {exc!r}") from exc


def _filter(data: dict) -> Filter:
    data = dict(data)
    data["src"] = Endpoint.from_json(data["src"])
    data["dst"] = Endpoint.from_json(data["dst"])
    return Filter(**data)


def _filterlist(data: dict) -> FilterList:
    data = dict(data)
    data["filters"] = [_filter(f) for f in data["filters"]]
    return FilterList(**data)


def _policy(data: dict) -> Policy:
    data = dict(data)
    data["default_rule"] = DefaultRule(**data["default_rule"])
    data["rules"] = [Rule(**r) for r in data["rules"]]
    return Policy(**data)


# --- persistence -----------------------------------------------------------------------------------

@contextlib.contextmanager
def locked(path: str, exclusive: bool) -> Iterator[None]:
    """Hold an flock on ``<path>.lock`` (raises OSError when the directory is missing)."""
    fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def load(path: str) -> Store:
    """Read the store at *path*; a missing file is an empty store."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return Store()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreCorrupt(f"state file is not valid UTF-8 JSON: {exc}") from exc
    return Store.from_json(data)


def dumps(store: Store) -> bytes:
    return (json.dumps(store.to_json(), indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def atomic_write(path: str, payload: bytes) -> None:
    """Write *payload* to *path* atomically (temp file, fsync, os.replace, fsync dir)."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=os.path.basename(path) + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def save(path: str, store: Store) -> None:
    """Write *store* to *path* atomically, first recording in ``held_objects`` that it holds objects."""
    store.held_objects = store.held_objects or store.holds_objects()
    atomic_write(path, dumps(store))
