"""lockdown.ipsec.ipsec_backup: export the store, change it, restore it (seed 002, "Playing it safe"),
and never leave less than was there: a missing or unreadable export is refused before anything is
deleted, a restore that fails part-way is undone, and a structured backup is restored as a plan."""

from __future__ import annotations

import os
import stat

import yaml
from ipsec_support import READ_BACK, is_read, read_back_task, read_request, task, write_batch
from test_seed000 import MAIL_SERVER, WEB_SERVER

BACKUP_FILE = "backup.ipsec"
KEY = "Pre-Shared-Backup-Key-31"


def _path(host) -> str:
    return str(host.workdir / BACKUP_FILE)


def build_web_server(host) -> dict:
    built = host.play([task("ipsec_config", {"state": "merged", "config": WEB_SERVER}, "build"), read_back_task()])
    assert built.rc == 0, built.stdout
    return built.task(READ_BACK)["config"]


def store_now(host) -> dict:
    return host.play([read_back_task()]).task(READ_BACK)["config"]


def change_to_mail_server(host) -> None:
    """A different store: the mail server's list and rule, plus an object the backup never had."""
    extra = {"filter_lists": [{"name": "Added later", "filters": [{"source": "10.9.9.9"}]}]}
    changed = host.play([task("ipsec_config", {"state": "replaced", "config": MAIL_SERVER}, "mail"),
                         task("ipsec_config", {"state": "merged", "config": extra}, "extra")])
    assert changed.rc == 0, changed.stdout


# --- native export and restore ----------------------------------------------------------------------


def test_export_change_restore_returns_the_original_store(host):
    original = build_web_server(host)
    assert original["assigned"] == "Packet Filter"

    batches = len(host.batches())
    exported = host.play([task("ipsec_backup", {"path": _path(host)}, "export")])
    assert exported.rc == 0, exported.stdout
    result = exported.task("export")
    assert result["changed"] is True
    assert result["assigned"] == "Packet Filter"
    assert result["config"] == original
    assert result["commands"] == [f"netsh ipsec static exportpolicy file={_path(host)}"]
    assert exported.round_trips == 1
    assert host.batches()[batches:] == [
        dict(read_request(), commands=[*read_request()["commands"], f"ipsec static exportpolicy file={_path(host)}"])
    ]
    assert (host.workdir / BACKUP_FILE).exists()

    change_to_mail_server(host)
    assert store_now(host) != original

    batches = len(host.batches())
    restore = task("ipsec_backup", {"path": _path(host), "state": "restored", "assigned": "Packet Filter"}, "restore")
    restored = host.play([restore, read_back_task()], diff=True)
    assert restored.rc == 0, restored.stdout
    result = restored.task("restore")
    assert result["changed"] is True
    assert result["commands"] == [
        "netsh ipsec static delete all",
        f"netsh ipsec static importpolicy file={_path(host)}",
        'netsh ipsec static set policy "name=Packet Filter" assign=yes',
    ]
    new = host.batches()[batches:]
    assert restored.round_trips == 4  # read, write, read back, then the read-back task
    # The export must open on the host before the store is read, and again before the write.
    assert new[0] == dict(read_request(), files=[_path(host)])
    assert new[1] == dict(write_batch(result["commands"]), files=[_path(host)]) and is_read(new[2])
    assert result["after"] == original == restored.task(READ_BACK)["config"]


def test_export_in_check_mode_writes_nothing_and_says_what_it_would_do(host):
    build_web_server(host)
    controller_file = str(host.workdir / "b.yml")
    for args in ({"path": _path(host)}, {"controller_file": controller_file}):
        checked = host.play([task("ipsec_backup", args, "export")], check=True)
        assert checked.rc == 0, checked.stdout
        result = checked.task("export")
        assert result["changed"] is True and checked.round_trips == 1
        assert result["commands"] == ([f"netsh ipsec static exportpolicy file={_path(host)}"] if "path" in args else [])
        assert not (host.workdir / BACKUP_FILE).exists() and not (host.workdir / "b.yml").exists()
    host.play([task("ipsec_backup", {"controller_file": controller_file}, "export")])
    checked = host.play([task("ipsec_backup", {"controller_file": controller_file}, "export")], check=True)
    assert checked.task("export")["changed"] is False  # the file already holds this store


def test_a_native_restore_in_check_mode_says_it_cannot_predict(host):
    original = build_web_server(host)
    host.play([task("ipsec_backup", {"path": _path(host)}, "export")])
    change_to_mail_server(host)
    snapshot = host.store_bytes()
    checked = host.play([task("ipsec_backup", {"path": _path(host), "state": "restored", "assigned": "Packet Filter"}, "restore")],
                        check=True, diff=True)
    assert checked.rc == 0, checked.stdout
    result = checked.task("restore")
    assert result["changed"] is True and result["after"] is None
    assert result["before"] != original  # the store as it is, not as the export holds it
    assert result["warnings"] == [
        f"the store after restoring the native export {_path(host)} cannot be predicted in check mode (its content cannot be read "
        "on the controller): 'after' is null, and the later tasks of this check run read the host again. A structured backup "
        "(controller_file) is restored with an exact prediction."
    ]
    assert result["diff"]["after"].startswith(f"# The store after importing {_path(host)} cannot be predicted")
    assert "[WARNING]: the store after restoring the native export" in checked.stdout + checked.stderr
    assert checked.round_trips == 1 and host.store_bytes() == snapshot


def test_a_missing_or_unreadable_export_is_refused_before_anything_is_deleted(host):
    original = build_web_server(host)
    snapshot = host.store_bytes()
    unreadable = host.workdir / "a-directory.ipsec"
    unreadable.mkdir()
    for path in (str(host.workdir / "missing.ipsec"), str(unreadable)):
        for check in (True, False):
            batches = len(host.batches())
            failed = host.play([task("ipsec_backup", {"path": path, "state": "restored", "assigned": "Packet Filter"}, "restore")], check=check)
            assert failed.status("restore") == "failed", failed.stdout
            result = failed.task("restore")
            assert result["msg"].startswith(f"the host cannot read '{path}': Exception calling \"OpenRead\"")
            assert result["msg"].endswith("; nothing was run") and result["changed"] is False
            assert host.batches()[batches:] == [dict(read_request(), files=[path])]
            assert host.store_bytes() == snapshot
    assert store_now(host) == original


def test_a_corrupt_export_is_undone_to_the_store_before(host):
    build_web_server(host)
    change_to_mail_server(host)
    before = store_now(host)
    (host.workdir / "corrupt.ipsec").write_bytes(b"\x00\x01 not an export")
    path = str(host.workdir / "corrupt.ipsec")
    failed = host.play([task("ipsec_backup", {"path": path, "state": "restored"}, "restore", ignore_errors=True), read_back_task()])
    assert failed.status("restore") == "failed"
    result = failed.task("restore")
    assert result["succeeded_commands"] == ["netsh ipsec static delete all"]
    assert result["failed_command"]["command"] == f"netsh ipsec static importpolicy file={path}"
    assert result["msg"].endswith("The 1 before it were undone and the 0 after it were not run: the store is as it was before the task (read back)")
    assert result["changed"] is False and result["after"] == before == failed.task(READ_BACK)["config"]
    assert len(result["undo_commands"]) > 10 and "delete all" not in " ".join(result["undo_commands"])
    assert failed.round_trips == 5 + 1


def test_an_export_without_the_policy_to_assign_is_undone_to_the_store_before(host):
    original = build_web_server(host)
    host.play([task("ipsec_backup", {"path": _path(host)}, "export")])
    change_to_mail_server(host)
    before = store_now(host)
    failed = host.play([task("ipsec_backup", {"path": _path(host), "state": "restored", "assigned": "Not In The Export"}, "restore",
                             ignore_errors=True), read_back_task()])
    assert failed.status("restore") == "failed"
    result = failed.task("restore")
    assert result["failed_command"]["command"] == 'netsh ipsec static set policy "name=Not In The Export" assign=yes'
    assert result["succeeded_commands"] == ["netsh ipsec static delete all", f"netsh ipsec static importpolicy file={_path(host)}"]
    assert "The 2 before it were undone" in result["msg"]
    assert result["after"] == before == failed.task(READ_BACK)["config"] != original


def test_a_native_restore_refuses_on_failure_stop(host):
    build_web_server(host)
    snapshot = host.store_bytes()
    refused = host.play([task("ipsec_backup", {"path": _path(host), "state": "restored", "on_failure": "stop"}, "restore")])
    assert refused.status("restore") == "failed"
    assert refused.task("restore")["msg"].startswith("on_failure: cannot be used with a native restore (path)")
    assert refused.round_trips == 0 and host.store_bytes() == snapshot


# --- structured backups ---------------------------------------------------------------------------

SECURED = {
    "filter_actions": [{"name": "Require", "action": "negotiate"}],
    "policies": [{"name": "Packet Filter", "rules": [{"name": "branch", "filter_list": "All inbound traffic", "filter_action": "Require",
                                                      "authentication": [{"pre_shared_key": "{{ psk }}"}]}]}],
}


def test_a_structured_backup_is_written_0600_with_its_keys_and_restored_as_a_plan(host):
    build_web_server(host)
    host.play([task("ipsec_config", {"state": "merged", "config": SECURED}, "secure")], extra_vars={"psk": KEY})
    original = store_now(host)
    backup = host.workdir / "backups" / "web01.yml"

    exported = host.play([task("ipsec_backup", {"controller_file": str(backup)}, "export")])
    result = exported.task("export")
    assert result["changed"] is True and result["controller_file"] == str(backup) and result["commands"] == []
    assert result["config"] == original and exported.round_trips == 1
    assert stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    document = yaml.safe_load(backup.read_text(encoding="utf-8"))
    (branch,) = [rule for rule in document["config"]["policies"][0]["rules"] if rule["name"] == "branch"]
    assert branch["authentication"][0]["pre_shared_key"] == KEY  # the key, to restore it
    assert KEY not in exported.stdout + exported.stderr  # but never in the task's output
    again = host.play([task("ipsec_backup", {"controller_file": str(backup)}, "export")])
    assert again.task("export")["changed"] is False  # the same store writes the same file

    change_to_mail_server(host)
    snapshot = host.store_bytes()
    restore = task("ipsec_backup", {"controller_file": str(backup), "state": "restored"}, "restore")
    checked = host.play([restore], check=True, diff=True)
    predicted = checked.task("restore")
    assert checked.rc == 0 and checked.round_trips == 1 and host.store_bytes() == snapshot
    assert predicted["after"] == original  # exact: the objects made after the export are deleted
    assert 'netsh ipsec static delete filterlist "name=Added later"' in predicted["commands"]
    assert "netsh ipsec static delete all" not in predicted["commands"]
    assert not [line for line in predicted["commands"] if "assign=" in line]  # assigned throughout
    assert "-netsh" not in predicted["diff"]["before"] and predicted["diff"]["before"] != predicted["diff"]["after"]

    restored = host.play([restore, read_back_task()], diff=True)
    result = restored.task("restore")
    assert result["changed"] is True and result["commands"] == predicted["commands"]
    assert result["after"] == original == restored.task(READ_BACK)["config"]
    assert KEY not in restored.stdout + restored.stderr
    assert KEY in host.netsh("ipsec", "static", "show", "policy", "name=Packet Filter", "level=verbose")  # the key was restored
    rerun = host.play([restore])
    assert rerun.task("restore")["changed"] is False and rerun.round_trips == 1


def test_a_structured_restore_that_fails_is_undone(host, tmp_path):
    build_web_server(host)
    backup = str(host.workdir / "web.yml")
    host.play([task("ipsec_backup", {"controller_file": backup}, "export")])
    change_to_mail_server(host)
    before = store_now(host)
    host.env.update(NETSH_EMU_FAIL_COUNTER=str(tmp_path / "count"), NETSH_EMU_FAIL_AT="3")
    failed = host.play([task("ipsec_backup", {"controller_file": backup, "state": "restored"}, "restore")])
    host.env.pop("NETSH_EMU_FAIL_AT")
    result = failed.task("restore")
    assert failed.status("restore") == "failed" and result["changed"] is False
    assert len(result["succeeded_commands"]) == 2 and result["after"] == before == store_now(host)


def test_fetch_to_copies_the_native_export_in_its_own_round_trip_and_never_in_check_mode(host):
    build_web_server(host)
    copy = host.workdir / "controller" / "web.ipsec"
    checked = host.play([task("ipsec_backup", {"path": _path(host), "fetch_to": str(copy)}, "export")], check=True)
    assert checked.rc == 0 and "fetched_to" not in checked.task("export") and not copy.exists()
    batches = len(host.batches())
    played = host.play([task("ipsec_backup", {"path": _path(host), "fetch_to": str(copy)}, "export")])
    assert played.rc == 0, played.stdout
    assert played.round_trips == 1 and host.batches()[batches:][0]["read_back"] == [_path(host)]
    assert played.task("export")["fetched_to"] == str(copy) and "warnings" not in played.task("export")
    assert copy.read_bytes() == (host.workdir / BACKUP_FILE).read_bytes() and copy.stat().st_mode & 0o777 == 0o600
    # A copy that cannot be written is a warning; the export on the host stands.
    blocked = host.workdir / "a-file"
    blocked.write_text("x\n", encoding="utf-8")
    warned = host.play([task("ipsec_backup", {"path": _path(host), "fetch_to": str(blocked / "web.ipsec")}, "export")])
    assert warned.rc == 0 and "fetched_to" not in warned.task("export")
    assert warned.task("export")["warnings"][0].startswith("the backup was made on the host but not copied to the controller: fetch_to: ")


def test_backup_options_are_refused_before_the_host_is_asked(host):
    build_web_server(host)
    snapshot, backup = host.store_bytes(), str(host.workdir / "web.yml")
    (host.workdir / "not-a-backup.yml").write_text("policies: []\n", encoding="utf-8")
    (host.workdir / "bad-config.yml").write_text(
        "format: lockdown.ipsec.store\nversion: 1\nconfig: {filter_lists: [{name: L, filterz: []}]}\n", encoding="utf-8")
    cases = [
        ({"state": "exported"}, "path: state exported needs path (a native export on the host), controller_file"),
        ({"state": "restored", "path": _path(host), "controller_file": backup}, "path: state restored needs exactly one of path"),
        ({"state": "restored"}, "path: state restored needs exactly one of path"),
        ({"state": "restored", "controller_file": backup, "assigned": "Packet Filter"}, "assigned: applies to a native restore (path) only"),
        ({"controller_file": backup, "fetch_to": str(host.workdir / "copy.ipsec")}, "fetch_to: copies the native export: it needs path"),
        ({"state": "restored", "path": _path(host), "fetch_to": str(host.workdir / "copy.ipsec")}, "fetch_to: applies to state exported only"),
        ({"state": "restored", "controller_file": str(host.workdir / "nope.yml")}, "controller_file: cannot be read: No such file or directory"),
        ({"state": "restored", "controller_file": str(host.workdir / "not-a-backup.yml")}, "controller_file: is not a structured backup"),
        ({"state": "restored", "controller_file": str(host.workdir / "bad-config.yml")}, f"controller_file {host.workdir / 'bad-config.yml'}: "),
    ]
    for args, message in cases:
        played = host.play([task("ipsec_backup", args, "backup")])
        assert played.status("backup") == "failed", args
        assert played.task("backup")["msg"].startswith(message), (args, played.task("backup")["msg"])
        assert played.round_trips == 0 and host.store_bytes() == snapshot
    assert "filterz" in played.task("backup")["msg"]  # the last one: the file is checked like ipsec_config's config
