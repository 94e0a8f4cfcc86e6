"""Make the repository importable as ``ansible_collections.lockdown.ipsec`` for plain pytest runs,
and the test helpers (``model_strategies``) and the emulator (``netsh_emulator``) importable by name.

The collection's root is the repository root. Ansible imports collection code through the
``ansible_collections`` namespace, so the tests see the checkout through a symlink at
``.cache/collections/ansible_collections/lockdown/ipsec`` (ignored by git) and put
``.cache/collections`` first on ``sys.path``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
COLLECTIONS_ROOT = REPO_ROOT / ".cache" / "collections"
EMULATOR_DIR = TESTS_DIR / "emulator"


def _ensure_collection_link() -> None:
    link = COLLECTIONS_ROOT / "ansible_collections" / "lockdown" / "ipsec"
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() and Path(os.path.realpath(link)) == REPO_ROOT:
        return
    if link.is_symlink() or link.exists():
        link.unlink()
    try:
        link.symlink_to(REPO_ROOT, target_is_directory=True)
    except FileExistsError:  # another xdist worker made it first
        pass


_ensure_collection_link()
# The collection, the shared test helpers (model_strategies) and the emulator package (netsh_emulator).
for _path in (COLLECTIONS_ROOT, TESTS_DIR, EMULATOR_DIR):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
