# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. ``ipsec_config``'s ``src``: the configuration read from a YAML or JSON
file on the controller.

A large configuration (a 10,000-filter blocklist) given as the task's ``config`` passes through
Ansible's templating and task-argument handling, which costs far more than the work itself; read
from a file it does not. The file's text is data, never a template.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from ._errors import InvalidInput

# libyaml's loader when PyYAML was built with it (several times faster on a large file).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR = "tag:yaml.org,2002:str"
# Scalars the fast path builds, by resolved tag, with the safe loader's own constructors.
_SCALARS = {
    "tag:yaml.org,2002:int": yaml.constructor.SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": yaml.constructor.SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:null": yaml.constructor.SafeConstructor.construct_yaml_null,
}


def load_config_text(text: str, *, path: str) -> dict:
    """The configuration a file's ``text`` holds: a JSON object, or a YAML mapping (a document whose
    top level is ``config``'s keys, as ``gathered`` returns them).

    Raises:
        InvalidInput: naming ``src`` and ``path``, when the text is neither, or is not a mapping. The
            message gives the line and column of a syntax error, never the text there (which could
            hold a pre-shared key).
    """
    data = _parsed(text, path)
    if not isinstance(data, Mapping):
        raise InvalidInput("src", path, f"must hold a mapping with filter_lists, filter_actions and policies, not {type(data).__name__}")
    return dict(data)


def load_config_file(path: str) -> dict:
    """:func:`load_config_text` of the file at ``path`` (UTF-8, with or without a byte order mark).

    Raises:
        InvalidInput: naming ``src`` and ``path``: it cannot be read, is not UTF-8, or as above.
    """
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise InvalidInput("src", path, f"cannot be read: {error.strerror or error}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("src", path, f"is not UTF-8 text (at byte offset {error.start})") from None
    return load_config_text(text, path=path)


def _parsed(text: str, path: str) -> Any:
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            pass  # a YAML flow mapping starts with "{" too
    try:
        try:
            return plain_yaml(text)
        except NotPlain:
            return yaml.load(text, Loader=_LOADER)  # nosec B506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise InvalidInput("src", path, f"is neither JSON nor YAML{where}: {problem}") from None


class NotPlain(Exception):
    """The document uses what :func:`plain_yaml` leaves to the full loader."""


class _Mapping:
    """A mapping being built from events: keys and values alternate."""

    __slots__ = ("items", "key", "has_key")

    def __init__(self) -> None:
        self.items: dict = {}
        self.key: Any = None
        self.has_key = False

    def add(self, value: Any) -> None:
        if not self.has_key:
            try:
                hash(value)
            except TypeError:
                raise NotPlain() from None  # the full loader says "found unhashable key"
            self.key, self.has_key = value, True
        else:
            self.items[self.key] = value
            self.has_key = False


class _Sequence:
    __slots__ = ("items",)

    def __init__(self) -> None:
        self.items: list = []

    def add(self, value: Any) -> None:
        self.items.append(value)


def plain_yaml(text: str) -> Any:
    """What ``yaml.load(text, Loader=CSafeLoader)`` returns, for a document of plain mappings,
    sequences and scalars, built straight from libyaml's events: about three times faster on a large
    configuration, because it skips the composer's node graph. Scalars are resolved and constructed
    by PyYAML's own resolver and safe constructors, so values and types are the same.

    Raises:
        NotPlain: the text uses anything else (an anchor, an alias, an explicit tag, a merge key, a
            timestamp or another scalar type, a mapping or sequence as a key, more than one
            document); the caller then loads it with the full safe loader, which also reports its
            syntax errors.
        yaml.YAMLError: a syntax error found by libyaml.
    """
    resolver = yaml.resolver.Resolver()
    stack: list = []
    root: Any = None
    documents = 0
    for event in yaml.parse(text, Loader=_LOADER):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag not in (None, "!"):
                raise NotPlain()
            tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
            if tag == _STR:
                value: Any = event.value
            elif tag in _SCALARS:
                value = _SCALARS[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, event.value))
            else:
                raise NotPlain()
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag not in (None, "!"):
                raise NotPlain()
            stack.append(_Mapping() if kind is yaml.MappingStartEvent else _Sequence())
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = stack.pop().items
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise NotPlain()
            continue
        elif kind is yaml.AliasEvent:
            raise NotPlain()
        else:
            continue
        if stack:
            stack[-1].add(value)
        else:
            root = value
    return root


_CONSTRUCTOR = yaml.constructor.SafeConstructor()

__all__ = ["NotPlain", "load_config_file", "load_config_text", "plain_yaml"]
