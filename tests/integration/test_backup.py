"""lockdown.ipsec.ipsec_backup: export the store, change it, restore it (seed 002, "Playing it safe")."""

from __future__ import annotations

from ipsec_support import READ_BATCH, is_read, task
from test_seed000 import MAIL_SERVER, WEB_SERVER

BACKUP_FILE = "backup.ipsec"


def _path(host) -> str:
    return str(host.workdir / BACKUP_FILE)


def test_export_change_restore_returns_the_original_store(host):
    built = host.play([task("ipsec_config", {"state": "merged", "config": WEB_SERVER}, "build")])
    assert built.rc == 0, built.stdout
    original = host.play([task("ipsec_info", {}, "info")]).task("info")["config"]
    assert original["assigned"] == "Packet Filter"

    batches = len(host.batches())
    exported = host.play([task("ipsec_backup", {"path": _path(host)}, "export")])
    assert exported.rc == 0, exported.stdout
    result = exported.task("export")
    assert result["changed"] is True
    assert result["assigned"] == "Packet Filter"
    assert result["config"] == original
    assert exported.round_trips == 1
    assert host.batches()[batches:] == [
        {"commands": [*READ_BATCH, f"ipsec static exportpolicy file={_path(host)}"], "stop_on_error": False}
    ]
    assert (host.workdir / BACKUP_FILE).exists()

    changed = host.play([task("ipsec_config", {"state": "replaced", "config": MAIL_SERVER}, "mail"),
                         task("ipsec_assign", {"state": "unassigned"}, "unassign")])
    assert changed.rc == 0, changed.stdout
    assert host.play([task("ipsec_info", {}, "info")]).task("info")["config"] != original

    snapshot = host.store_bytes()
    checked = host.play([task("ipsec_backup", {"path": _path(host), "state": "restored", "assigned": "Packet Filter"}, "restore")], check=True)
    assert checked.rc == 0, checked.stdout
    assert checked.round_trips == 1
    assert host.store_bytes() == snapshot

    batches = len(host.batches())
    restored = host.play([task("ipsec_backup", {"path": _path(host), "state": "restored", "assigned": "Packet Filter"}, "restore"),
                          task("ipsec_info", {}, "info")], diff=True)
    assert restored.rc == 0, restored.stdout
    result = restored.task("restore")
    assert result["changed"] is True
    assert result["commands"] == [
        "netsh ipsec static delete all",
        f"netsh ipsec static importpolicy file={_path(host)}",
        'netsh ipsec static set policy "name=Packet Filter" assign=yes',
    ]
    new = host.batches()[batches:]
    assert restored.round_trips == 4  # read, write, read back, then the info task
    assert is_read(new[0]) and new[1]["stop_on_error"] is True and is_read(new[2])
    assert result["after"] == original
    assert restored.task("info")["config"] == original


def test_export_in_check_mode_writes_nothing(host):
    checked = host.play([task("ipsec_backup", {"path": _path(host)}, "export")], check=True)
    assert checked.rc == 0, checked.stdout
    assert checked.task("export")["changed"] is False
    assert checked.round_trips == 1
    assert not (host.workdir / BACKUP_FILE).exists()


def test_restore_of_a_missing_file_fails_with_what_ran(host):
    host.play([task("ipsec_config", {"state": "merged", "config": WEB_SERVER}, "build")])
    failed = host.play([task("ipsec_backup", {"path": str(host.workdir / "missing.ipsec"), "state": "restored"}, "restore")])
    assert failed.rc != 0
    assert failed.status("restore") == "failed"
    result = failed.task("restore")
    assert result["succeeded_commands"] == ["netsh ipsec static delete all"]
    assert "importpolicy" in result["failed_command"]["command"]
    assert result["after"]["policies"] == []
