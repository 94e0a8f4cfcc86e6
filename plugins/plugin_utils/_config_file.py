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
        return yaml.load(text, Loader=_LOADER)  # nosec B506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        raise InvalidInput("src", path, f"is neither JSON nor YAML{where}: {problem}") from None


__all__ = ["load_config_file", "load_config_text"]
