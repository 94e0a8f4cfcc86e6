"""Fixtures for the emulator's own tests (helpers live in ``emu_support`` and ``emu_winrm_support``)."""

from __future__ import annotations

import os
from pathlib import Path

import emulated_winrm
import netsh_emulator
import pytest
from emu_support import BIN_DIR, Emu


@pytest.fixture
def emu(tmp_path: Path):
    """An in-process netsh on ``tmp_path / "store.json"``; the scheduled tasks a test armed on it are unregistered
    at teardown, so no timer outlives the test."""
    yield Emu(tmp_path / "store.json")
    netsh_emulator.cancel_scheduled_tasks(tmp_path / "store.json")


@pytest.fixture
def subprocess_env(emu: Emu) -> dict:
    env = dict(os.environ)
    env.update(emu.env)
    env["PATH"] = str(BIN_DIR) + os.pathsep + env.get("PATH", "")
    return env


@pytest.fixture
def winrm_hosts(tmp_path: Path):
    """A factory of started emulated hosts, ``make(name="host", cls=EmulatedWindowsHost, **kwargs)`` (``cls`` may be
    any host class with ``start``, ``stop`` and ``env``: EmulatedSshHost too), each in ``tmp_path / name``; every host
    it made is stopped at teardown, and its armed rollbacks are cancelled."""
    started = []

    def make(name: str = "host", cls=emulated_winrm.EmulatedWindowsHost, **kwargs):
        host = cls(tmp_path / name, **kwargs).start()
        started.append(host)
        return host

    yield make
    for host in started:
        host.stop()
        netsh_emulator.cancel_scheduled_tasks(host.env)


@pytest.fixture
def winrm_host(winrm_hosts):
    """One started emulated WinRM host (account vagrant/vagrant, Basic and NTLM)."""
    return winrm_hosts()
