# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark (not a test): importing a generated country blocklist script.

A batch file of 500 filter lists x 20 ``add filter`` lines (10,000 filters, the size of the blocklists
public scripts generate), one rule per list, is imported

* in Python (``_script_store.import_script``), best of ROUNDS;
* with ``ansible-playbook playbooks/import_script.yml`` (read, write the YAML file, render the commands),
  best of ROUNDS wall-clock times.

Usage, from the repository root::

    PYTHONPATH=.cache/collections .venv/py311/bin/python benchmarks/bench_script_import.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._script_store import import_script

REPO = Path(__file__).resolve().parent.parent
LISTS, FILTERS = 500, 20


def blocklist() -> str:
    lines = ["@echo off", "REM generated blocklist", "netsh ipsec static add policy name=Blocklist assign=y",
             "netsh ipsec static add filteraction name=Block action=block"]
    for number in range(LISTS):
        name = f"BL - Country {number}"
        lines += [f'netsh ipsec static add filter filterlist="{name}" srcaddr=10.{number % 250}.{index}.{number // 250} srcmask=32 dstaddr=me > nul'
                  for index in range(FILTERS)]
        lines.append(f'netsh ipsec static add rule name="{name}" policy=Blocklist filterlist="{name}" filteraction=Block > nul')
    return "\r\n".join(lines) + "\r\n"


def best(rounds: int, action) -> float:
    times = []
    for dummy in range(rounds):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    text = blocklist()
    imported = import_script(text)
    filters = sum(len(item.filters) for item in imported.store.filter_lists.values())
    if imported.unsupported or filters != LISTS * FILTERS:
        raise SystemExit(f"the blocklist did not import whole: {filters} filters, {len(imported.unsupported)} unsupported")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs; script: {len(text.splitlines())} lines, {len(text.encode()) // 1024} KiB, "
          f"{filters} filters in {LISTS} lists")
    print(f"import_script (Python)           : {best(options.rounds, lambda: import_script(text)):.2f} s")
    with tempfile.TemporaryDirectory() as work:
        script = Path(work) / "blocklist.bat"
        script.write_text(text, encoding="utf-8")
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(REPO / ".cache" / "collections"), ANSIBLE_LOCALHOST_WARNING="0",
                   ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
        command = [str(Path(sys.executable).parent / "ansible-playbook"), str(REPO / "playbooks" / "import_script.yml"),
                   "-e", f"script={script}", "-e", f"output={Path(work) / 'blocklist.yml'}"]

        def play() -> None:
            proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise SystemExit(proc.stdout[-3000:] + proc.stderr[-3000:])

        print(f"playbooks/import_script.yml      : {best(options.rounds, play):.2f} s")


if __name__ == "__main__":
    main()
