# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plain copies of the data a filter is given."""

from __future__ import annotations

import types

from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plain import plain_copy

data = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)),
    max_leaves=12,
)


@given(data)
def test_a_copy_equals_the_original_and_shares_no_container(value):
    copied = plain_copy(value)
    assert copied == value

    def containers(item):
        if isinstance(item, dict):
            yield item
            for inner in item.values():
                yield from containers(inner)
        elif isinstance(item, list):
            yield item
            for inner in item:
                yield from containers(inner)

    originals = {id(item) for item in containers(value)}
    assert not any(id(item) in originals for item in containers(copied))


def test_any_mapping_becomes_a_dict_and_tuples_become_lists():
    frozen = types.MappingProxyType({"a": ({"b": 1},), "c": "text"})
    copied = plain_copy(frozen)
    assert copied == {"a": [{"b": 1}], "c": "text"} and (type(copied), type(copied["a"])) == (dict, list)
    copied["a"][0]["b"] = 2
    assert frozen["a"][0]["b"] == 1
