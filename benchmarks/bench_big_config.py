# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark (not a test): a 10,000-filter configuration that is already applied, run again.

Builds the store of ``bench_registry_read`` (500 filter lists x 20 IPv4 filters, 5 policies x 20
rules, one assigned) in an emulated host, then times real ``ansible-playbook`` runs against it over
the local connection (the emulator's PowerShell on PATH), best of ROUNDS wall-clock times each:

* ``ipsec_config`` ``state=replaced`` with the configuration inline as the task's ``config`` (the way
  a generated blocklist is passed today: a 2 MB task argument);
* the same task with ``src:`` naming a JSON file, and a YAML file, on the controller;
* ``ipsec_info``.

Each run must report ``changed=0`` (the configuration is the store as gathered) and make one round
trip. Targets (issue "huge stores"): the ``src`` no-op under 3 s, ``ipsec_info`` under 2 s.

Usage, from the repository root::

    .venv/py311/bin/python benchmarks/bench_big_config.py [--rounds N] [--without-src]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_registry_read as registry_bench  # noqa: E402  # pylint: disable=wrong-import-position

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._present import store_to_data  # noqa: E402

REPO = registry_bench.REPO
EMULATOR_BIN = REPO / "tests" / "emulator" / "bin"
COLLECTIONS = REPO / ".cache" / "collections"


def playbook(path: Path, task: dict) -> Path:
    path.write_text(json.dumps([{"hosts": "windows", "gather_facts": False, "tasks": [task]}]), encoding="utf-8")
    return path


def run(env: dict, inventory: Path, book: Path) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), str(book)],
                          env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0 or "changed=0" not in proc.stdout:
        raise SystemExit(f"{book.name} did not run unchanged:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return elapsed, proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--without-src", action="store_true", help="skip the src runs (for a collection that has no src)")
    options = parser.parse_args()
    store = registry_bench.build_store()
    filters = sum(len(item.filters) for item in store.filter_lists.values())
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs; store: {len(store.filter_lists)} filter lists, "
          f"{filters} filters, {len(store.policies)} policies")
    with tempfile.TemporaryDirectory(prefix="bench-big-config-") as directory:
        work = Path(directory)
        started = time.perf_counter()
        host_env, commands = registry_bench.build_host(store, directory)
        print(f"built in {time.perf_counter() - started:.1f} s with {commands} netsh commands")
        config = store_to_data(store, redact=False)
        files = work / "files"
        files.mkdir()
        (files / "config.json").write_text(json.dumps(config), encoding="utf-8")
        (files / "config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        inventory = work / "inventory.ini"
        inventory.write_text(f"[windows]\nwinhost ansible_connection=local ansible_python_interpreter={sys.executable}\n", encoding="utf-8")
        env = dict(os.environ, **host_env,
                   PATH=f"{EMULATOR_BIN}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
                   ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_HOME=str(work / "ansible-home"),
                   ANSIBLE_LOCAL_TEMP=str(work / "ansible-tmp"), ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0")
        cases = {
            "ipsec_config, config inline (2 MB task argument)": {"lockdown.ipsec.ipsec_config": {"state": "replaced", "config": config}},
            "ipsec_config, src: config.json": {"lockdown.ipsec.ipsec_config": {"state": "replaced", "src": "config.json"}},
            "ipsec_config, src: config.yml": {"lockdown.ipsec.ipsec_config": {"state": "replaced", "src": "config.yml"}},
            "ipsec_info": {"lockdown.ipsec.ipsec_info": {}},
        }
        print(f"\n{'run (no change expected)':<52} {'best s':>7}  all runs s")
        print("-" * 80)
        if options.without_src:
            cases = {label: task for label, task in cases.items() if "src" not in label}
        for number, (label, task) in enumerate(cases.items()):
            book = playbook(work / f"play-{number}.yml", task)
            times = [run(env, inventory, book)[0] for dummy in range(options.rounds)]
            print(f"{label:<52} {min(times):7.2f}  {' '.join(f'{value:.2f}' for value in times)}")
        print(f"\nconfig.json {(files / 'config.json').stat().st_size:,} bytes, config.yml {(files / 'config.yml').stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
