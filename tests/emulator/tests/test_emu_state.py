"""Store persistence: atomic writes, crash safety, locking between processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from emu_support import EMULATOR_DIR

_CRASHER = textwrap.dedent(f"""
    import os, sys
    sys.path.insert(0, {str(EMULATOR_DIR)!r})
    from netsh_emulator import run_netsh
    mode = sys.argv[1]
    if mode == "replace":
        os.replace = lambda *a, **k: os._exit(9)
    elif mode == "fsync":
        os.fsync = lambda fd: os._exit(9)
    elif mode == "write":
        real_fdopen = os.fdopen
        class Half:
            def __init__(self, f): self.f = f
            def __enter__(self): return self
            def __exit__(self, *a): return False
            def write(self, data):
                self.f.write(data[: len(data) // 2]); self.f.flush(); os._exit(9)
        os.fdopen = lambda fd, mode="r", *a: Half(real_fdopen(fd, mode))
    rc, out, err = run_netsh(sys.argv[2:], os.environ)
    sys.exit(rc)
""")


@pytest.mark.parametrize("mode", ["write", "fsync", "replace"])
def test_crash_mid_write_keeps_old_store(emu, subprocess_env, mode):
    emu.ok("add policy Old")
    before = emu.state.read_bytes()
    proc = subprocess.run([sys.executable, "-c", _CRASHER, mode, "ipsec", "static", "add", "policy", "New"],
                          env=subprocess_env, capture_output=True, check=False)
    assert proc.returncode == 9, proc.stderr
    assert emu.state.read_bytes() == before
    assert [p["name"] for p in json.loads(before)["policies"]] == ["Old"]
    leftovers = [n for n in os.listdir(emu.state.parent) if n.endswith(".tmp")]
    assert leftovers                     # the crash left its temp file behind ...
    emu.ok("add policy New")             # ... and it does not disturb later runs
    assert [p["name"] for p in json.loads(emu.state.read_text())["policies"]] == ["Old", "New"]


def test_exception_during_write_removes_temp_file(emu, monkeypatch):
    from netsh_emulator import _state
    emu.ok("add policy Old")
    before = emu.state.read_bytes()

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_state.os, "replace", fail)
    res = emu("add policy New")
    assert res.out.startswith("ERR IPsec[05073]") and b"No space left" in res.err
    monkeypatch.undo()
    assert emu.state.read_bytes() == before
    assert not [n for n in os.listdir(emu.state.parent) if n.endswith(".tmp")]


_WRITER = textwrap.dedent(f"""
    import os, sys
    sys.path.insert(0, {str(EMULATOR_DIR)!r})
    from netsh_emulator import run_netsh
    worker, count = sys.argv[1], int(sys.argv[2])
    for i in range(count):
        rc, out, err = run_netsh(["ipsec", "static", "add", "filter", "filterlist=Shared",
                                  "srcaddr=10.0.%s.%d" % (worker, i), "dstaddr=me",
                                  "description=w%s-%d" % (worker, i)], os.environ)
        assert rc == 0 and out == b"", (rc, out, err)
""")


def test_concurrent_writers_lose_nothing(emu, subprocess_env):
    workers, count = 6, 15
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(w), str(count)], env=subprocess_env)
             for w in range(workers)]
    assert [p.wait(timeout=60) for p in procs] == [0] * workers
    store = json.loads(emu.state.read_text("utf-8"))
    assert len(store["filterlists"]) == 1
    descriptions = sorted(f["description"] for f in store["filterlists"][0]["filters"])
    assert descriptions == sorted(f"w{w}-{i}" for w in range(workers) for i in range(count))


def test_missing_file_is_empty_store_and_reads_do_not_create_it(emu):
    assert emu("show all").raw == b"\r\n"
    assert not emu.state.exists()
    emu.ok("add filterlist L")
    assert emu.state.exists()
    document = json.loads(emu.state.read_text("utf-8"))
    assert document["format"] == "lockdown-ipsec-netsh-emulator-store" and document["version"] == 1


def test_non_ascii_names_survive(emu):
    emu.ok('add policy "Zürich ✓" description="naïve"')
    store = json.loads(emu.state.read_text("utf-8"))
    assert store["policies"][0]["name"] == "Zürich ✓"
    out = emu("show policy all").raw
    assert b"Policy Name            : Z\x81rich ?\r\n" in out   # cp437: u-umlaut = 0x81, check mark -> ?
    utf8 = emu("show policy all", NETSH_EMU_CODEPAGE="65001").raw
    assert "Policy Name            : Zürich ✓\r\n".encode("utf-8") in utf8
