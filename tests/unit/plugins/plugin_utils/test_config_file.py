# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipsec_config's src: a configuration read from a YAML or JSON file on the controller."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._config_file import NotPlain, load_config_file, load_config_text, plain_yaml
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput

CONFIG = {
    "filter_lists": [{"name": "Web", "filters": [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 80}]}],
    "filter_actions": [{"name": "Permit", "action": "permit"}],
    "policies": [{"name": "P", "rules": [{"name": "web", "filter_list": "Web", "filter_action": "Permit",
                                          "authentication": [{"pre_shared_key": "s3cret: with a colon"}]}]}],
    "assigned": "P",
}


@pytest.mark.parametrize("text", [
    json.dumps(CONFIG),
    json.dumps(CONFIG, indent=2),
    yaml.safe_dump(CONFIG),
    yaml.safe_dump(CONFIG, default_flow_style=True),  # a YAML flow mapping starts with "{" but is no JSON
    "\ufeff" + yaml.safe_dump(CONFIG),
])
def test_json_and_yaml_give_the_same_config(text):
    assert load_config_text(text, path="c.yml") == CONFIG


def test_a_file_in_utf8_with_or_without_a_byte_order_mark(tmp_path):
    for name, data in (("plain.yml", yaml.safe_dump(CONFIG, allow_unicode=True).encode("utf-8")),
                       ("bom.json", b"\xef\xbb\xbf" + json.dumps(CONFIG).encode("utf-8"))):
        path = tmp_path / name
        path.write_bytes(data)
        assert load_config_file(str(path)) == CONFIG


@pytest.mark.parametrize("text, reason", [
    ("- a\n- b\n", "must hold a mapping with filter_lists, filter_actions and policies, not list"),
    ("just text\n", "must hold a mapping with filter_lists, filter_actions and policies, not str"),
    ("", "must hold a mapping with filter_lists, filter_actions and policies, not NoneType"),
    ("filter_lists: [\n  {name: x\npolicies: s3cret\n", "is neither JSON nor YAML at line 3, column 9: "),
    ("a: b\n  c: d\n", "is neither JSON nor YAML at line 2, column 4: mapping values are not allowed"),
])
def test_what_is_not_a_config_mapping_is_refused_naming_src_and_the_place(text, reason):
    with pytest.raises(InvalidInput) as caught:
        load_config_text(text, path="/play/files/c.yml")
    assert (caught.value.field, caught.value.value) == ("src", "/play/files/c.yml")
    assert caught.value.reason.startswith(reason)
    assert "s3cret" not in str(caught.value)  # the text at the error is never quoted


def test_an_unreadable_or_non_utf8_file_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match=r"^src: cannot be read: No such file or directory"):
        load_config_file(str(tmp_path / "missing.yml"))
    latin = tmp_path / "latin.yml"
    latin.write_bytes("name: Zürich\n".encode("latin-1"))
    with pytest.raises(InvalidInput) as caught:
        load_config_file(str(latin))
    assert (caught.value.field, caught.value.value, caught.value.reason) == ("src", str(latin), "is not UTF-8 text (at byte offset 7)")


# --- the fast path for plain YAML ---------------------------------------------------------------------

# Text that YAML 1.1 resolves to something other than a string when plain, and stays a string quoted.
TRICKY = ["yes", "No", "on", "OFF", "y", "~", "null", "Null", "", "0x1F", "0o17", "017", "1_000", "1e3", "1.5", ".inf", "-.Inf",
          ".nan", "+12", "-0", "0b101", "190:20:30", "me", "any", "10.0.0.0/24", "a: b", "- x", "#", "'", '"', "LD - HTTP"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=False), st.sampled_from(TRICKY),
                    st.text(max_size=12))
DOCUMENTS = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                          st.dictionaries(st.one_of(st.text(max_size=6), st.sampled_from(TRICKY), st.integers()),
                                                                          inner, max_size=4)), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.sampled_from([None, False, True]), st.sampled_from([None, "'", '"']))
def test_plain_yaml_gives_exactly_what_the_safe_loader_gives(document, flow, style):
    text = yaml.safe_dump(document, default_flow_style=flow, default_style=style, allow_unicode=True)
    expected = yaml.load(text, Loader=yaml.CSafeLoader)
    try:
        found = plain_yaml(text)
    except NotPlain:
        # A quoting style that quotes every scalar makes the dumper tag the ones that are not strings
        # (!!int '5'); only then may the fast path give way.
        assert style is not None and "!!" in text
        return
    # repr tells True from 1 and 1.0 from 1, which == does not.
    assert repr(found) == repr(expected)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchor and alias
        "a: !!str 5\n",  # explicit tag
        "base: &b {x: 1}\nmore:\n  <<: *b\n",  # merge key
        "when: 2026-12-06\n",  # timestamp
        "? [a, b]\n: c\n",  # a sequence as a key
        "a: 1\n---\nb: 2\n",  # two documents
        "a: !!binary aGk=\n",
        "=: 1\n",  # the value key
    ],
)
def test_anything_beyond_plain_yaml_is_left_to_the_full_loader(text):
    with pytest.raises(NotPlain):
        plain_yaml(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("filter_lists: &l []\nfilter_actions: *l\n", {"filter_lists": [], "filter_actions": []}),
        ("filter_lists: !!seq []\n", {"filter_lists": []}),
        ("base: &b {name: x}\nfilter_lists:\n  - <<: *b\n    description: y\n", {"base": {"name": "x"}, "filter_lists": [{"name": "x", "description": "y"}]}),
    ],
)
def test_a_config_with_anchors_tags_or_merge_keys_still_loads(text, expected):
    assert load_config_text(text, path="c.yml") == expected


def test_a_syntax_error_on_the_fast_path_names_the_line_and_column():
    with pytest.raises(InvalidInput) as caught:
        load_config_text("filter_lists:\n  - name: a\n   bad: [\n", path="c.yml")
    assert caught.value.field == "src" and "is neither JSON nor YAML at line" in caught.value.reason


def test_duplicate_keys_keep_the_last_value_in_the_first_place_as_the_safe_loader_does():
    text = "a: 1\nb: 2\na: 3\n"
    assert list(plain_yaml(text).items()) == list(yaml.load(text, Loader=yaml.CSafeLoader).items()) == [("a", 3), ("b", 2)]


def test_an_empty_document_is_none():
    assert plain_yaml("") is None and plain_yaml("# nothing\n") is None
