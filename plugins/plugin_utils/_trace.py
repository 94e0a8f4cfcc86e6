# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. What came back from the host, as a user can send it to us (``-vvvv``).

When the first user's Windows answers differently from what the documentation led us to expect, what
they can send decides how fast it gets fixed. So every read's answer is written to the runner's log
(the action shim shows it at ``-vvvv``): netsh's output as text, and every registry value as the
host sent it (binary data in hex), with pre-shared keys hidden. The keys are known once the store is
decoded (:func:`answer_trace`); when decoding failed they are not, so rule blobs (which hold keys in
clear, GPIPSEC.md §5.1) are withheld and every text line naming a pre-shared key is cut after its
label (:func:`withheld_trace`).
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Iterable

from ._methods import AuthKind
from ._model import Store
from ._codepage import codec_name

HIDDEN = "********"
# The label netsh prints before a key (A-17, English only as far as known).
_KEY_LABEL = "Preshared Key"


def secrets_of(store: Store) -> tuple[str, ...]:
    """Every pre-shared key the store holds (rules, unnamed rules, default response rules)."""
    keys = set()
    for policy in store.policies.values():
        rules = (*(policy.rules or ()), *(policy.unnamed_rules or ()))
        methods = [method for rule in rules for method in rule.auth_methods or ()]
        methods += list((policy.default_rule.auth_methods or ()) if policy.default_rule else ())
        keys.update(method.secret_or_ca for method in methods if method.kind is AuthKind.PRESHARED_KEY)
    return tuple(sorted(keys, key=len, reverse=True))  # longest first: a key inside another is hidden too


def answer_trace(document: dict, secrets: Iterable[str], *, local: bool = True) -> str:
    """The answer ``document`` (the batch script's JSON) as readable JSON with ``secrets`` hidden in
    netsh's output and in every registry value. Without ``local`` the store's own keys are left out
    (the netsh read path uses only the Group Policy key, and knows only the keys netsh printed)."""
    secrets = tuple(sorted({secret for secret in secrets if secret}, key=len, reverse=True))
    return json.dumps(_readable(document, lambda text: _hide_text(text, secrets), lambda key, data: _hide_bytes(data, secrets), local),
                      ensure_ascii=False, indent=1)


def withheld_trace(document: dict, *, local: bool = True) -> str:
    """The answer ``document`` when the keys it may hold are not known: rule blobs withheld, key lines
    cut (``local`` as for :func:`answer_trace`)."""
    def blob(key: str, data: bytes) -> str | None:
        if key.lower().startswith("ipsecnfa"):
            return f"(withheld: {len(data)} bytes of a rule, which may hold a pre-shared key in clear)"
        return None

    return json.dumps(_readable(document, _cut_key_lines, blob, local), ensure_ascii=False, indent=1)


_NOT_READ = "(not read: the netsh read path uses only the Group Policy key)"


def _readable(document: dict, text, blob, local: bool) -> dict:
    codepage = document.get("codepage")
    results = [dict(result, stdout=text(_decoded(result.get("stdout"), codepage)), stderr=_text_of(result.get("stderr"), text))
               for result in _listed(document.get("results")) if isinstance(result, dict)]
    registry = document.get("registry")
    if isinstance(registry, dict):
        registry = {name: _key(name, registry.get(name), text, blob) if local or name != "local" else _NOT_READ
                    for name in ("local", "group_policy")}
    traced = dict(document, results=results, registry=registry)
    if "read_back" in document:
        traced["read_back"] = [_read_back_trace(item) for item in _listed(document["read_back"])]
    return traced


def _read_back_trace(item):
    """A file read back, its content withheld: an export holds the store, pre-shared keys included."""
    if not isinstance(item, dict) or not isinstance(item.get("data"), str):
        return item
    return dict(item, data=f"(withheld: {len(item['data'])} characters of base64, a file that may hold pre-shared keys)")


def _text_of(value, text):
    """``value`` with ``text`` applied to every string in it (a string, or a list of strings)."""
    if isinstance(value, str):
        return text(value)
    if isinstance(value, list):
        return [_text_of(item, text) for item in value]
    return value


def _key(name: str, key, text, blob):
    if not isinstance(key, dict):
        return key
    values = [_value(name, value, text, blob) for value in _listed(key.get("values"))]
    keys = [dict(sub, values=[_value(sub.get("name", ""), value, text, blob) for value in _listed(sub.get("values"))])
            for sub in _listed(key.get("keys")) if isinstance(sub, dict)]
    return dict(key, values=values, keys=keys)


def _value(key: str, value, text, blob):
    if not isinstance(value, dict):
        return value
    data = value.get("data")
    if value.get("kind") == "Binary" and isinstance(data, str):
        try:
            raw = base64.b64decode(data, validate=True)
        except binascii.Error:
            return value
        shown = blob(key, raw)
        return dict(value, data=shown if shown is not None else raw.hex(" "))
    return dict(value, data=_text_of(data, text))


def _decoded(stdout, codepage) -> str:
    if not isinstance(stdout, str):
        return repr(stdout)
    try:
        raw = base64.b64decode(stdout, validate=True)
    except binascii.Error:
        return stdout
    name = codec_name(codepage)
    return raw.decode(name, errors="replace") if name else stdout


def _hide_text(text: str, secrets: tuple) -> str:
    for secret in secrets:
        text = text.replace(secret, HIDDEN)
    return text


def _hide_bytes(data: bytes, secrets: tuple) -> str:
    for secret in secrets:
        encoded = secret.encode("utf-16-le")
        data = data.replace(encoded, "*".encode("utf-16-le") * (len(encoded) // 2))  # as many bytes as the key
    return data.hex(" ")


def _cut_key_lines(text: str) -> str:
    """Every line (ended by LF, as netsh ends them with CRLF) naming a pre-shared key cut after its
    label. Only LF ends a line here: a key may hold any other line break (U+2028, U+0085, CR)."""
    return "\n".join(_cut_key_line(line) for line in text.split("\n"))


def _cut_key_line(line: str) -> str:
    if _KEY_LABEL not in line:
        return line
    return line[:line.index(_KEY_LABEL) + len(_KEY_LABEL)] + f" {HIDDEN}" + ("\r" if line.endswith("\r") else "")


def _listed(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


__all__ = ["HIDDEN", "answer_trace", "secrets_of", "withheld_trace"]
