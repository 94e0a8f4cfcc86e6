# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper: a model object as plain JSON data, for golden files (``*.expected.json``).

Every model field is written, ``None`` as ``null``, so a golden file says exactly which fields a
parse left unknown. An endpoint is one string, ``kind`` or ``kind:value`` or ``kind:value/prefix``
(e.g. ``any``, ``ip:192.168.1.0/24``, ``server:dns``), which cannot be mistaken for another.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import Endpoint


def to_json(value: object) -> object:
    """``value`` (a Store or any model object) as JSON-compatible data."""
    if isinstance(value, Endpoint):
        return endpoint_text(value)
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value):
        return {item.name: to_json(getattr(value, item.name)) for item in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [to_json(item) for item in value]
    return value


def endpoint_text(endpoint: Endpoint) -> str:
    text = endpoint.kind.value
    if endpoint.value:
        text += f":{endpoint.value}"
    if endpoint.prefix is not None:
        text += f"/{endpoint.prefix}"
    return text
