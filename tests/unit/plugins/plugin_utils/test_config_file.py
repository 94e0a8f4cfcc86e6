# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ipsec_config's src: a configuration read from a YAML or JSON file on the controller."""

from __future__ import annotations

import json

import pytest
import yaml

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._config_file import load_config_file, load_config_text
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
