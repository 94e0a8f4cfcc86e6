"""Fixtures for the emulator's own tests (helpers live in ``emu_support``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from emu_support import BIN_DIR, Emu


@pytest.fixture
def emu(tmp_path: Path) -> Emu:
    return Emu(tmp_path / "store.json")


@pytest.fixture
def subprocess_env(emu: Emu) -> dict:
    env = dict(os.environ)
    env.update(emu.env)
    env["PATH"] = str(BIN_DIR) + os.pathsep + env.get("PATH", "")
    return env
