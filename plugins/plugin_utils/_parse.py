# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. netsh ``ipsec static show`` output (list format) -> :class:`~._model.Store`.

The contract is ``docs/netsh-output-format.md`` (cited below as "format §n"). The parser is driven by
the field table of :mod:`._fields` and the label tables of :mod:`._labels`: it knows no label text of
its own. A line is ``Label : value``; the label is the text before the first ASCII ``:`` and any
padding around it is ignored (format §1, A-01). Objects are printed as blocks that start at a head
line (``Policy Name``, ``FilterList Name``, ``FilterAction Name``); filters, rules and the default
response rule sit in sections below their object, each opened by a header line (``Filter(s)``,
``Rule(s)``, ``Default Response Rule``) and a line of dashes.

The parser never guesses: a line it cannot place, a label the display language does not know, a
field printed twice, a value a field's reader refuses, a count that does not match what follows, or a
required line that is missing all raise :class:`~._errors.NetshParseError` with the command, the
line and its number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ._errors import InvalidInput, NetshParseError
from ._fields import (
    AUTH_LABEL,
    DEFAULT_RULE_FIELDS,
    ENDPOINT_FIELDS,
    FILTER_ACTION_FIELDS,
    FILTER_COUNT_LABEL,
    FILTER_FIELDS,
    FILTER_LIST_FIELDS,
    IGNORED_LABELS,
    POLICY_FIELDS,
    RULE_COUNT_LABEL,
    RULE_FIELDS,
    EndpointField,
    Field,
    read_auth_method,
    read_count,
    read_endpoint,
)
from ._labels import DEFAULT_RULE_HEADER, FILTERS_HEADER, LANGUAGES, RULES_HEADER, Language
from ._model import DefaultResponseRule, Filter, FilterAction, FilterList, Policy, Rule, Store

# What the read path runs (netsh's arguments, without ``netsh``): everything at verbose level, one
# command per kind, so that an empty kind is its own documented answer (format §3-§5).
READ_COMMANDS = (
    ("ipsec", "static", "show", "policy", "all", "level=verbose"),
    ("ipsec", "static", "show", "filterlist", "all", "level=verbose"),
    ("ipsec", "static", "show", "filteraction", "all", "level=verbose"),
)

# The one-line answer of ``show <kind> all`` when the store holds none of that kind (format §3-§5;
# codes [S12][S13][S14], text A-13). The code is locale-independent (EXIT_AND_SCRIPTS.md §5).
_EMPTY_ANSWERS = {"filterlist": "IPsec[05067]", "filteraction": "IPsec[05068]", "policy": "IPsec[05072]"}
# An IPsec error line is "ERR IPsec[NNNNN] : <text>" (prefix [S17], format §8).
_ERROR_MARK = "IPsec["
_ERROR_CODE = re.compile(r"IPsec\[(\d+)\]")
# Splits a command line into words, keeping "quoted text" inside one word.
_COMMAND_WORD = re.compile(r'(?:"[^"]*"?|[^\s"])+')


class NetshReportedError(NetshParseError):
    """netsh answered a show command with an ``ERR IPsec[NNNNN]`` line other than "nothing to show".

    Attributes:
        code: the five-digit code, e.g. ``"05073"`` (policy store cannot be opened, [S17]).
    """

    def __init__(self, command: str, line: str, code: str) -> None:
        self.code = code
        super().__init__(command, line, f"netsh reported error IPsec[{code}]")


# --- how each kind of object is printed ----------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Shape:
    """How one kind of object is printed and which model class it becomes.

    Attributes:
        what: the object's name in messages.
        model: the model class built from the rows.
        rows: the scalar fields, the first being the one that starts the object.
        extra: other single-valued labels accepted in the object (ignored ones, endpoint lines).
        normal_attrs: rows printed at ``level=normal``; ``None`` when the object is only printed at
            verbose level (filters, rules, the default response rule).
        endpoints: the filter endpoints (three printed lines each).
        auth: whether ``Auth Method`` lines (one per method, A-17) belong to the object.
        store_key: the :class:`Store` argument collecting objects of a block kind.
    """

    what: str
    model: type
    rows: tuple[Field, ...]
    extra: tuple[str, ...] = ()
    normal_attrs: tuple[str, ...] | None = None
    endpoints: tuple[EndpointField, ...] = ()
    auth: bool = False
    store_key: str = ""
    sections: tuple[_Section, ...] = ()


@dataclass(frozen=True, eq=False)
class _Section:
    """A part of a block opened by a header line: its filters, its rules or its default rule.

    Attributes:
        header: the English header line.
        attr: the parent's model attribute.
        shape: the shape of each item.
        count_label: the parent's line announcing how many items follow; ``None`` for a section of
            exactly one item.
    """

    header: str
    attr: str
    shape: _Shape
    count_label: str | None


def _endpoint_labels(spec: EndpointField) -> tuple[str, ...]:
    return (spec.address_label, spec.mask_label, spec.dns_label)


_FILTER = _Shape("filter", Filter, FILTER_FIELDS, sum(map(_endpoint_labels, ENDPOINT_FIELDS), ()), endpoints=ENDPOINT_FIELDS)
_RULE = _Shape("rule", Rule, RULE_FIELDS, auth=True)
_DEFAULT_RULE = _Shape("default response rule", DefaultResponseRule, DEFAULT_RULE_FIELDS, auth=True)

_FILTER_LIST = _Shape(
    "filter list", FilterList, FILTER_LIST_FIELDS, IGNORED_LABELS,
    normal_attrs=("name", "description"),  # plus Last Modified and No. of Filters (format §3, A-11)
    store_key="filter_lists",
    sections=(_Section(FILTERS_HEADER, "filters", _FILTER, FILTER_COUNT_LABEL),),
)
_FILTER_ACTION = _Shape(
    "filter action", FilterAction, FILTER_ACTION_FIELDS, IGNORED_LABELS,
    normal_attrs=("name", "description", "action"),  # plus Last Modified (format §4, A-15)
    store_key="filter_actions",
)
_POLICY = _Shape(
    "policy", Policy, POLICY_FIELDS, IGNORED_LABELS,
    normal_attrs=("name", "description", "assigned", "mmpfs", "polling_interval"),  # the KB block [S5]
    store_key="policies",
    sections=(
        _Section(DEFAULT_RULE_HEADER, "default_rule", _DEFAULT_RULE, None),
        _Section(RULES_HEADER, "rules", _RULE, RULE_COUNT_LABEL),
    ),
)

# Which blocks each show command prints (format §3-§6; show all: A-18).
_COMMAND_SHAPES = {
    "policy": (_POLICY,),
    "filterlist": (_FILTER_LIST,),
    "filteraction": (_FILTER_ACTION,),
    "all": (_POLICY, _FILTER_LIST, _FILTER_ACTION),
}


# --- the shapes compiled for one display language ------------------------------------------------


class _Compiled:
    """One shape as printed in one language: the lookups the line loop needs, built once.

    Attributes:
        allowed: printed label -> English label, for every single-valued line of the shape.
        reads: (English label, attribute, reader) for each row the language knows.
        required: by verbose flag, the English labels that must be present.
        starter: English label that starts the next item of a section of this shape.
        implicit: English starter -> section, for sections whose header the language does not know
            (zh-CN knows no header, format §7): such a section opens at its first item.
        headers: English header -> section of this shape.
        order: English label -> position in print order, for messages naming the first missing line.
    """

    __slots__ = ("shape", "allowed", "reads", "required", "starter", "implicit", "headers", "order")

    def __init__(self, shape: _Shape, language: Language) -> None:
        known = language.labels
        single = [row.label for row in shape.rows] + list(shape.extra) + [s.count_label for s in shape.sections if s.count_label]
        self.shape = shape
        self.allowed = {known[label]: label for label in single if label in known}
        self.reads = tuple((row.label, row.attr, row.read) for row in shape.rows if row.label in known)
        self.required = {True: _required(shape, known, True), False: _required(shape, known, False)}
        self.starter = shape.rows[0].label
        self.implicit = {s.shape.rows[0].label: s for s in shape.sections if s.count_label and s.header not in language.headers}
        self.headers = {s.header: s for s in shape.sections}
        self.order = {label: index for index, label in enumerate(single)}


def _required(shape: _Shape, known, verbose: bool) -> frozenset[str]:
    """The labels an object of ``shape`` must print at this level, among those the language knows.

    A label a language does not know cannot be required of it: its line would be an unknown label.
    Count lines are required at verbose level only: at normal level nothing follows them (A-11).
    """
    printed = shape.normal_attrs is None or verbose
    labels = [row.label for row in shape.rows if printed or row.attr in shape.normal_attrs]
    labels += [spec.address_label for spec in shape.endpoints]
    if verbose:
        labels += [section.count_label for section in shape.sections if section.count_label]
    return frozenset(label for label in labels if label in known)


class _Tables:
    """Everything the parser looks up for one language, built once per language and kept."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self.labels = {printed: english for english, printed in language.labels.items()}
        self.headers = {printed: english for english, printed in language.headers.items()}
        shapes = (_FILTER, _RULE, _DEFAULT_RULE, _FILTER_LIST, _FILTER_ACTION, _POLICY)
        self.compiled = {shape: _Compiled(shape, language) for shape in shapes}
        self.heads = {shape.rows[0].label: shape for shape in (_FILTER_LIST, _FILTER_ACTION, _POLICY)}


_TABLES: dict[int, _Tables] = {}


def _tables(language: Language) -> _Tables:
    tables = _TABLES.get(id(language))
    if tables is None or tables.language is not language:
        tables = _TABLES[id(language)] = _Tables(language)
    return tables


# --- public API ----------------------------------------------------------------------------------


def detect_language(command: str, text: str) -> Language:
    """The display language of ``text``, told from its first label line.

    Raises:
        NetshParseError: naming ``command`` and that line when no language of ``LANGUAGES`` knows
            its label, or when the output has no label line at all.
    """
    return _detect(command, _split_lines(text))


def parse_show(command: str, text: str, *, language: Language | None = None) -> Store:
    """Read the output of one ``show`` command into a :class:`Store` of what it describes.

    Args:
        command: the command that printed ``text``, with or without the leading ``netsh``, e.g.
            ``"netsh ipsec static show policy all level=verbose"``. Its kind (``policy``,
            ``filterlist``, ``filteraction`` or ``all``) tells which objects may appear, its
            ``level=`` (default ``normal``; ``show all`` prints verbose, A-18) which lines must.
            Both ``all`` and ``name=X`` forms are read.
        text: netsh's stdout, decoded; any line endings, a BOM and any label padding are accepted.
        language: the display language; detected from the first label line when ``None``.

    Returns:
        At verbose level every field is set (``FilterList.filters`` and ``Policy.rules`` are tuples,
        possibly empty). At normal level the fields netsh does not print are ``None``. The matching
        "nothing to show" line (``IPsec[05067]``, ``[05068]``, ``[05072]``) gives an empty store.

    Raises:
        ValueError: ``command`` is not a list-format ``ipsec static show`` command this parser reads.
        NetshReportedError: the output is an ``ERR IPsec[`` line other than the matching empty answer.
        NetshParseError: anything in the output that does not follow the format (see module docstring).
    """
    kind, verbose = _read_command(command)
    lines = _split_lines(text)
    if _is_empty_answer(command, kind, lines):
        return Store.of()
    tables = _tables(language) if language is not None else _tables(_detect(command, lines))
    return _Parser(command, lines, tables, _COMMAND_SHAPES[kind], verbose).run()


_KIND_NAMES = {"filter_lists": "filter list", "filter_actions": "filter action", "policies": "policy"}


def parse_store(outputs: Sequence[tuple[str, str]]) -> Store:
    """Combine the outputs of several show commands (e.g. :data:`READ_COMMANDS`) into one store.

    Args:
        outputs: ``(command, text)`` pairs, each read with :func:`parse_show`.

    Raises:
        NetshParseError: as :func:`parse_show`, or when two outputs describe an object of one name
            differently (the same object read twice identically is fine).
        ValueError: as :func:`parse_show`.
    """
    merged: dict[str, dict[str, object]] = {"filter_lists": {}, "filter_actions": {}, "policies": {}}
    for command, text in outputs:
        store = parse_show(command, text)
        for key, objects in merged.items():
            for name, obj in getattr(store, key).items():
                if objects.setdefault(name, obj) != obj:
                    raise NetshParseError(command, "", f"it describes the {_KIND_NAMES[key]} {name!r} differently from an earlier output")
    return Store.of(**{key: objects.values() for key, objects in merged.items()})


# --- command, lines, language ----------------------------------------------------------------------


def _read_command(command: str) -> tuple[str, bool]:
    """(kind, verbose) of a show command; ``ValueError`` for anything else."""
    words = [word.replace('"', "").lower() for word in _COMMAND_WORD.findall(command)]
    if words[:1] == ["netsh"]:
        words = words[1:]
    if words[:3] != ["ipsec", "static", "show"] or len(words) < 4 or words[3] not in _COMMAND_SHAPES:
        raise ValueError(f"not an 'ipsec static show policy|filterlist|filteraction|all' command: {command!r}")
    if any(word.startswith("format=") and word != "format=list" for word in words):
        raise ValueError(f"only format=list output can be read: {command!r}")
    levels = [word.partition("=")[2] for word in words if word.startswith("level=")]
    if any(level not in ("verbose", "normal") for level in levels) or len(levels) > 1 or (levels and words[3] == "all"):
        raise ValueError(f"expected at most one level=verbose|normal, and none on show all: {command!r}")
    # show all has no level and prints everything verbose; netsh's default level is normal.
    return words[3], words[3] == "all" or levels == ["verbose"]


def _split_lines(text: str) -> list[str]:
    """Lines without their ends, whichever of CRLF, LF or CR ends them (format §1), BOM removed."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _is_error_line(line: str) -> bool:
    # "ERR IPsec[NNNNN] : text": the code sits before the first colon, where no value can put it.
    return _ERROR_MARK in line.partition(":")[0]


def _is_empty_answer(command: str, kind: str, lines: list[str]) -> bool:
    """True for the matching "nothing to show" answer; raises for any other error line or no output."""
    first = next((line.strip() for line in lines if line and not line.isspace()), None)
    if first is None:
        if kind == "all":  # show all leaves out empty kinds (format §6), so an empty store prints nothing
            return True
        raise NetshParseError(command, "", "no output")
    if not _is_error_line(first):
        return False
    code = _EMPTY_ANSWERS.get(kind)
    alone = sum(1 for line in lines if line and not line.isspace()) == 1
    if code is not None and code in first.partition(":")[0] and alone:
        return True
    raise NetshReportedError(command, first, _error_code(first))


def _error_code(line: str) -> str:
    match = _ERROR_CODE.search(line)
    return match.group(1) if match else "?"


def _detect(command: str, lines: list[str]) -> Language:
    for line in lines:
        label, sep, dummy = line.partition(":")
        if sep:
            label = label.strip()
            for language in LANGUAGES:
                if language.english_label(label) is not None:
                    return language
            raise NetshParseError(command, line.strip(), "unknown display language or unknown label")
    raise NetshParseError(command, "", "no label line to tell the display language from")


# --- the line loop ---------------------------------------------------------------------------------


class _Draft:
    """An object being read: its lines so far, by English label, with their line indexes."""

    __slots__ = ("compiled", "start", "values", "auths", "items", "section")

    def __init__(self, compiled: _Compiled, start: int, section: _Section | None = None) -> None:
        self.compiled = compiled
        self.start = start
        self.values: dict[str, tuple[str, int]] = {}
        self.auths: list[tuple[str, int]] = []
        self.items: dict[str, list] = {}
        self.section = section


class _Parser:
    """Reads the lines of one show output. Use once: ``_Parser(...).run()``."""

    def __init__(self, command: str, lines: list[str], tables: _Tables, shapes: tuple[_Shape, ...], verbose: bool) -> None:
        self.command = command
        self.lines = lines
        self.tables = tables
        self.language = tables.language
        self.shapes = shapes
        self.verbose = verbose
        self.block: _Draft | None = None
        self.child: _Draft | None = None
        self.allowed: dict[str, str] = {}
        self.values: dict[str, tuple[str, int]] = {}
        self.dashes_pending = False
        self.found: dict[_Shape, list] = {shape: [] for shape in shapes}
        self.endpoints: dict[tuple, object] = {}

    def run(self) -> Store:
        """Read every line, then build the store."""
        self._loop()
        self._close_block()
        try:
            return Store.of(**{shape.store_key: objects for shape, objects in self.found.items()})
        except InvalidInput as error:
            raise NetshParseError(self.command, "", f"the output shows two objects of one name: {error}") from None

    def _loop(self) -> None:
        # The hot path: a field line that belongs to the current object and is new in it. Everything
        # else (heads, headers, repeated labels, errors) goes to _other().
        allowed, values = self.allowed, self.values
        for index, raw in enumerate(self.lines):
            line = raw.strip()
            if not line:
                continue  # blank lines carry no meaning (format §1)
            # The label is the text before the first ASCII colon, padded to any width or not at all
            # (A-01; the KB's collapsed "Label: value" and "Destination Port : 445" [S5]).
            label, sep, value = line.partition(":")
            if sep:
                label = label.rstrip()
                english = allowed.get(label)
                if english is not None and english not in values:
                    values[english] = (value.lstrip(), index)
                    continue
            self._other(index, line, label, sep, value.lstrip())
            allowed, values = self.allowed, self.values

    def _other(self, index: int, line: str, label: str, sep: str, value: str) -> None:
        if not sep:
            return self._bare_line(index, line)
        english = self.tables.labels.get(label)
        if english is None:
            raise self._unknown_label(index, line, label)
        shape = self.tables.heads.get(english)
        if shape is not None:
            # A head line that the current object cannot take starts the next block. Inside a rule,
            # FilterList Name and FilterAction Name are the rule's own fields the first time (format §5).
            return self._open_block(shape, index, english, value)
        if self.block is None:
            raise self._error(index, f"expected a {' or '.join(repr(s.rows[0].label) for s in self.shapes)} line first")
        self._field_line(index, english, value)

    def _field_line(self, index: int, english: str, value: str) -> None:
        current = self.child or self.block
        compiled = current.compiled
        if english == AUTH_LABEL and compiled.shape.auth:
            current.auths.append((value, index))  # one line per method, in preference order
        elif self.child is not None and english == compiled.starter and english in current.values and self.child.section.count_label:
            self._open_child(self.child.section, index, english, value)  # the next filter or rule
        elif self.child is None and english in compiled.implicit:
            self._open_section(compiled.implicit[english], index, english, value)
        elif english in current.values:
            raise self._error(index, f"{english!r} appears twice in one {compiled.shape.what}")
        else:
            raise self._error(index, f"{english!r} does not belong in a {compiled.shape.what}")

    def _bare_line(self, index: int, line: str) -> None:
        """A line without a colon: a section header, the dashes under it, or nothing we know."""
        header = self.tables.headers.get(line)
        if header is not None:
            return self._open_header(index, header)
        child = self.child
        if self.dashes_pending and child is not None and not child.values and not child.auths and not line.strip("-"):
            self.dashes_pending = False
            return None
        if _is_error_line(line):
            raise NetshReportedError(self.command, line, _error_code(line))
        raise self._error(index, "unrecognised line")

    def _unknown_label(self, index: int, line: str, label: str) -> NetshParseError:
        if _is_error_line(line):
            return NetshReportedError(self.command, line, _error_code(line))
        # The label table lists only what is known of each language (format §7); never guess.
        return self._error(index, f"the label {label!r} is not known in display language {self.language.code}")

    # --- opening and closing objects -------------------------------------------------------------

    def _open_block(self, shape: _Shape, index: int, english: str, value: str) -> None:
        if shape not in self.shapes:
            raise self._error(index, f"a {shape.what} does not belong in the output of this command")
        self._close_block()
        self.block = _Draft(self.tables.compiled[shape], index)
        self.block.values[english] = (value, index)
        self._focus(self.block)

    def _open_header(self, index: int, header: str) -> None:
        section = self.block.compiled.headers.get(header) if self.block is not None else None
        if section is None:
            raise self._error(index, f"the header {header!r} does not belong here")
        self._open_section(section, index, None, "")
        if section.count_label is not None:
            self.child.start = -1  # an item starts at its first line, not at the section's header
        self.dashes_pending = True

    def _open_section(self, section: _Section, index: int, english: str | None, value: str) -> None:
        if section.attr in self.block.items:
            raise self._error(index, f"a second {section.header!r} section in one {self.block.compiled.shape.what}")
        self._close_child()
        self.block.items[section.attr] = []
        self._open_child(section, index, english, value)

    def _open_child(self, section: _Section, index: int, english: str | None, value: str) -> None:
        self._close_child()
        self.child = _Draft(self.tables.compiled[section.shape], index, section)
        if english is not None:
            self.child.values[english] = (value, index)
        self._focus(self.child)

    def _focus(self, draft: _Draft) -> None:
        self.allowed, self.values = draft.compiled.allowed, draft.values
        self.dashes_pending = False

    def _close_child(self) -> None:
        child, self.child = self.child, None
        if child is None:
            return
        if child.values or child.auths or child.section.count_label is None:
            # An item section's header is followed by its first item; only that empty draft is dropped.
            self.block.items[child.section.attr].append(self._build(child))

    def _close_block(self) -> None:
        if self.block is None:
            return
        self._close_child()
        block, self.block = self.block, None
        self.found[block.compiled.shape].append(self._build(block))

    # --- building model objects --------------------------------------------------------------------

    def _build(self, draft: _Draft) -> object:
        shape = draft.compiled.shape
        self._check_required(draft)
        kwargs = self._read_rows(draft)
        for spec in shape.endpoints:
            kwargs[spec.attr] = self._read_endpoint(draft, spec)
        if shape.auth:
            kwargs["auth_methods"] = tuple(self._convert(read_auth_method, entry, AUTH_LABEL) for entry in draft.auths)
        for section in shape.sections:
            self._add_section(draft, section, kwargs)
        if shape.model is Policy and kwargs.get("rules") is not None:
            # Where the rules are shown, every rule is: one without a name would be a rule line this
            # parser refuses (a name is required), so none exists as far as this read can tell.
            kwargs["unnamed_rules"] = ()
        try:
            return shape.model(**kwargs)
        except InvalidInput as error:
            raise self._error(self._start(draft), f"the {shape.what} starting here is not valid: {error}") from None

    def _check_required(self, draft: _Draft) -> None:
        required = draft.compiled.required[self.verbose]
        if draft.values.keys() >= required:
            return
        order = draft.compiled.order
        missing = min(required - draft.values.keys(), key=lambda label: order.get(label, len(order)))
        raise self._error(self._start(draft), f"the {draft.compiled.shape.what} starting here has no {missing!r} line")

    def _read_rows(self, draft: _Draft) -> dict[str, object]:
        kwargs: dict[str, object] = {}
        values = draft.values
        for english, attr, read in draft.compiled.reads:
            entry = values.get(english)
            if entry is not None:
                kwargs[attr] = self._convert(read, entry, english)
        return kwargs

    def _convert(self, read, entry: tuple[str, int], english: str) -> object:
        """``read`` the printed value of ``entry``; a refusal becomes a NetshParseError on its line."""
        try:
            return read(entry[0], self.language)
        except (ValueError, InvalidInput) as error:
            raise self._error(entry[1], f"{english}: {error}") from None

    def _read_endpoint(self, draft: _Draft, spec: EndpointField) -> object:
        values = draft.values
        address, mask, dns_name = values[spec.address_label], values.get(spec.mask_label), values.get(spec.dns_label)
        key = (address[0], mask and mask[0], dns_name and dns_name[0])
        endpoint = self.endpoints.get(key)
        if endpoint is None:  # parsing an address is the costly part of a filter: once per text
            endpoint = self.endpoints[key] = self._convert(lambda _, language: read_endpoint(*key, language), address, spec.address_label)
        return endpoint

    def _add_section(self, draft: _Draft, section: _Section, kwargs: dict[str, object]) -> None:
        items = draft.items.get(section.attr)
        if items is None and not self.verbose:
            return  # not printed at normal level: left None, i.e. unknown
        if section.count_label is None:
            if items is None:
                raise self._error(self._start(draft), f"the {draft.compiled.shape.what} starting here has no {section.header!r} section")
            kwargs[section.attr] = items[0]
            return
        self._check_count(draft, section, items or [])
        kwargs[section.attr] = tuple(items or ())

    def _check_count(self, draft: _Draft, section: _Section, items: list) -> None:
        entry = draft.values.get(section.count_label)
        if entry is None:
            return  # a language that does not know the count line cannot print it (format §7)
        count = self._convert(read_count, entry, section.count_label)
        if count != len(items):
            found = f"{len(items)} {section.shape.what} follows" if len(items) == 1 else f"{len(items)} {section.shape.what}s follow"
            raise self._error(entry[1], f"{section.count_label!r} says {count} but {found}")

    @staticmethod
    def _start(draft: _Draft) -> int:
        """The line an object starts at: its head, its section's header, or else its first line."""
        if draft.start >= 0:
            return draft.start
        return min([index for dummy, index in draft.values.values()] + [index for dummy, index in draft.auths])

    def _error(self, index: int, reason: str) -> NetshParseError:
        return NetshParseError(self.command, self.lines[index].strip(), f"{reason} (line {index + 1})")


__all__ = ["READ_COMMANDS", "NetshReportedError", "detect_language", "parse_show", "parse_store"]
