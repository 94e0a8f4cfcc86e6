# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The structured backup file: written 0600 and atomically, read back into the same complete store,
and refused loudly when it is anything else."""

from __future__ import annotations

import os
import stat
from dataclasses import replace

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from test_plan import gathered_stores

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._backup_file import FORMAT, VERSION, backup_text, read_backup, write_backup
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import complete_store_from_config
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Policy, Rule, Store


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


WITH_KEY = Store.of(policies=[Policy("P", rules=(Rule("r", "L", "A", auth_methods=(AuthMethod(AuthKind.PRESHARED_KEY, "s3cret"),)),))])


def test_the_text_holds_the_keys_and_says_so(tmp_path):
    text = backup_text(WITH_KEY, host="web01")
    assert text.startswith("# The static IPsec policy store of web01, written by lockdown.ipsec.ipsec_backup.\n# It holds pre-shared keys in clear")
    document = yaml.safe_load(text)
    assert document["format"] == FORMAT and document["version"] == VERSION
    assert document["config"]["policies"][0]["rules"][0]["authentication"][0]["pre_shared_key"] == "s3cret"


def test_the_text_is_block_yaml_in_document_order_with_names_as_written():
    text = backup_text(Store.of(policies=[Policy("Zürich ✓")]), host="h")
    body = text.split("\n", 3)[3]
    assert body.startswith(f"format: {FORMAT}\nversion: {VERSION}\nconfig:\n  filter_lists: []\n")
    assert "- name: Zürich ✓\n" in body


def test_written_0600_atomically_and_only_when_it_changes(tmp_path):
    path = tmp_path / "backups" / "nested" / "web01.yml"
    text = backup_text(WITH_KEY, host="web01")
    assert write_backup(str(path), text, check_mode=True) is True and not path.exists()
    assert write_backup(str(path), text) is True
    assert path.read_text(encoding="utf-8") == text and mode(path) == 0o600
    assert mode(path.parent) == 0o700  # the directory it made for the file (os.makedirs gives parents the usual mode)
    assert sorted(os.listdir(path.parent)) == ["web01.yml"]  # no temporary file left behind
    os.chmod(path, 0o644)
    assert write_backup(str(path), text) is False and mode(path) == 0o644  # the same content is left alone
    assert write_backup(str(path), text, check_mode=True) is False
    changed = backup_text(Store(), host="web01")
    assert write_backup(str(path), changed) is True and mode(path) == 0o600 and path.read_text(encoding="utf-8") == changed


def test_an_unwritable_place_names_the_option_and_the_systems_words(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidInput, match="controller_file: cannot be read to compare with the new backup: Not a directory"):
        write_backup(str(blocker / "under-a-file.yml"), "text")
    with pytest.raises(InvalidInput, match="controller_file: cannot be read to compare with the new backup: Is a directory"):
        write_backup(str(tmp_path), "text")
    # /proc takes no new directory: the compare finds no file, then the write cannot make its place.
    with pytest.raises(InvalidInput, match="controller_file: cannot be written: No such file or directory"):
        write_backup("/proc/lockdown-ipsec-test/b.yml", "text")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(store=gathered_stores())
def test_a_backup_reads_back_as_the_same_complete_store(tmp_path, store):
    store = Store.of(
        filter_lists=[item.__class__(item.name, item.description, tuple(dict.fromkeys(item.filters))) for item in store.filter_lists.values()],
        filter_actions=store.filter_actions.values(), policies=store.policies.values(),
    )
    path = tmp_path / "round-trip.yml"
    write_backup(str(path), backup_text(store, host="h"))
    # Rules without a name are not restorable (netsh cannot create one), so a backup leaves them unmanaged.
    unmanaged = Store.of(filter_lists=store.filter_lists.values(), filter_actions=store.filter_actions.values(),
                         policies=[replace(policy, unnamed_rules=None) for policy in store.policies.values()])
    assert complete_store_from_config(read_backup(str(path))) == unmanaged


@pytest.mark.parametrize("content, words", [
    (None, "cannot be read: No such file or directory"),
    (b"\xff\xfe", "not UTF-8 YAML"),
    (b"a: [", "not UTF-8 YAML"),
    (b"- just a list\n", f"no 'format: {FORMAT}'"),
    (b"format: something.else\n", f"no 'format: {FORMAT}'"),
    (f"format: {FORMAT}\nversion: 2\nconfig: {{}}\n".encode(), "of version 2; this collection reads version 1"),
    (f"format: {FORMAT}\nversion: 1\nconfig: []\n".encode(), "without a 'config' mapping"),
])
def test_anything_else_is_refused_naming_the_file(tmp_path, content, words):
    path = tmp_path / "backup.yml"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidInput) as caught:
        read_backup(str(path))
    assert caught.value.field == "controller_file" and caught.value.value == str(path) and words in caught.value.reason
