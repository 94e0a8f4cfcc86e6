# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark (not a test): reading a 10,000-filter store through the registry and through netsh.

Builds LISTS filter lists of FILTERS IPv4 filters each (varied addresses, protocols, ports, mirroring
and descriptions), three filter actions and POLICIES policies of RULES rules each (one assigned) in
the emulated host, then reads it once per read path (``read_from="registry"`` and ``"netsh"``) over
the real bootstrap (``run_powershell``) and checks that both give the store that was built. For each
path it reports:

* the payload on the wire: the bytes of stdout the fake PowerShell answers the read request with,
  which is what the connection hands back (and the JSON inside it, split into netsh's text and the
  registry keys);
* the controller's decode time, best of ROUNDS, with the host's answer already in hand:
  ``parse_answer`` (marker, base64, JSON, registry payload) plus the decoding to a Store
  (``decode_snapshot``; or ``read_store`` of the show text and ``decode_snapshot`` of the Group Policy
  key); this is the seam the targets are about;
* the whole ``read_host`` with the same answer replayed (request built, answer parsed and decoded,
  and, only when the runner has a listener (a task at ``-vvvv``), the trace; the benchmark gives none);
* the emulator's own time to answer (informational; not the collection's).

Targets: registry decode under 0.3 s; registry payload at least 3 times smaller than netsh's.

The store is built with netsh commands only: the collection's creation commands run in small scratch
hosts (two processes), LISTS_PER_SCRATCH filter lists to a host and the filter actions and policies in
one more; their ``exportpolicy`` files are merged into the host with ``importpolicy``, and the
assignment is made there. (The emulator keeps the whole store in one JSON document that every command reads and
writes, so 10,000 ``add filter`` commands against one host would take many minutes.)

Usage, from the repository root::

    .venv/py311/bin/python benchmarks/bench_registry_read.py [--rounds N] [--profile]
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import dataclasses
import io
import json
import multiprocessing
import os
import platform
import pstats
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
# conftest makes the checkout importable as ansible_collections.lockdown.ipsec, and the emulator as netsh_emulator.
import conftest  # noqa: E402,F401  # pylint: disable=unused-import

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import Endpoint  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import AuthKind, AuthMethod  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (  # noqa: E402
    Action,
    ConnectionType,
    DefaultResponseRule,
    Filter,
    FilterAction,
    FilterList,
    Policy,
    Rule,
    Store,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._parse import READ_COMMANDS  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._quote import join_c  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._read import HostState, read_host, read_store  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry import RegistrySnapshot  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_store import decode_snapshot  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import creation_changes, render_change  # noqa: E402
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import BatchRequest, NetshRunner, parse_answer  # noqa: E402
from netsh_emulator import run_netsh, run_powershell  # noqa: E402
from netsh_emulator._crt import split_c  # noqa: E402

LISTS, FILTERS, POLICIES, RULES = 500, 20, 5, 20
LISTS_PER_SCRATCH, MERGE_FAN_IN = 5, 10
CODEPAGE = 437
REGISTRY_BUDGET, PAYLOAD_RATIO = 0.3, 3.0
MARKER = b"<<LOCKDOWN-IPSEC-RESULT>>"


# --- the store ------------------------------------------------------------------------------------


def endpoint(number: int) -> Endpoint:
    """One of five IPv4 address kinds, chosen by ``number``."""
    kind = number % 5
    if kind == 0:
        return Endpoint.parse("any")
    if kind == 1:
        return Endpoint.parse("me")
    if kind == 2:
        return Endpoint.parse(f"10.{number % 250}.{number // 250 % 250}.{number % 7 + 1}")
    if kind == 3:
        return Endpoint.parse(f"192.168.{number % 250}.0", 24)
    return Endpoint.parse("172.16.0.0", 12 + number % 4)


def one_filter(number: int) -> Filter:
    protocol = (6, 6, 17, 1, 0, 47)[number % 6]
    ported = protocol in (6, 17)
    return Filter(
        source=endpoint(number),
        destination=endpoint(number // 5 + 1),
        protocol=protocol,
        source_port=(1024 + number % 50000) if ported and number % 7 == 0 else 0,
        destination_port=(1 + number * 37 % 65535) if ported else 0,
        mirrored=number % 4 != 0,
        description=f"filter {number}" if number % 3 == 0 else "",
    )


def build_store() -> Store:
    lists = [
        FilterList(f"list {index:04d}", f"generated list {index}" if index % 2 else "",
                   tuple(one_filter(index * FILTERS + number) for number in range(FILTERS)))
        for index in range(LISTS)
    ]
    actions = [
        FilterAction("Permit", Action.PERMIT, "", False, False, False, ()),
        FilterAction("Block", Action.BLOCK, "block it", False, False, False, ()),
        FilterAction("Require ESP", Action.NEGOTIATE, "", False, True, True, ("ESP[3DES,SHA1]:100000k/3600s", "AH[SHA1]+ESP[3DES,None]")),
    ]
    names = [action.name for action in actions]
    policies = []
    for index in range(POLICIES):
        rules = tuple(
            Rule(f"rule {number:02d}", lists[(index * RULES + number) % LISTS].name, names[number % 3], number % 5 != 0,
                 list(ConnectionType)[number % 3], f"rule {number} of policy {index}" if number % 2 else "",
                 "" if number % 4 else f"10.99.{index}.{number + 1}",
                 (AuthMethod(AuthKind.KERBEROS),) if number % 3 else (AuthMethod(AuthKind.PRESHARED_KEY, f"secret {index}-{number}"),))
            for number in range(RULES)
        )
        policies.append(Policy(
            name=f"policy {index}", description=f"generated policy {index}", rules=rules,
            default_rule=DefaultResponseRule(index % 2 == 0, False, (), ()),
            polling_interval=180, mmpfs=False, qm_per_mm=0, mm_lifetime=480,
            mm_security_methods=("3DES-SHA1-2", "3DES-MD5-2"), assigned=index == 0, unnamed_rules=(),
        ))
    return Store.of(filter_lists=lists, filter_actions=actions, policies=policies)


# --- building it in the emulated host ---------------------------------------------------------------


def run_commands(store: Store, env: dict) -> int:
    """Run the collection's creation commands for ``store``; return how many ran."""
    count = 0
    for change in creation_changes(store):
        command_line = join_c(render_change(change))
        rc, stdout, stderr = run_netsh(split_c(command_line), env)
        if rc != 0 or b"ERR IPsec[" in stdout or stderr:
            raise RuntimeError(f"netsh {command_line}: rc {rc}, {stdout!r}, {stderr!r}")
        count += 1
    return count


def netsh(env: dict, *argv: str) -> None:
    rc, stdout, stderr = run_netsh(list(argv), env)
    if rc != 0 or b"ERR IPsec[" in stdout or stderr:
        raise RuntimeError(f"netsh {' '.join(argv)}: rc {rc}, {stdout!r}, {stderr!r}")


def build_scratch(job: tuple[str, int, int]) -> tuple[str, int]:
    """Build lists ``start`` .. ``stop - 1`` in a scratch host of their own and export them; return
    the export file and the number of commands run."""
    directory, start, stop = job
    store = build_store()
    names = [f"list {index:04d}" for index in range(start, stop)]
    env = {"NETSH_EMU_STATE": os.path.join(directory, f"scratch-{start:04d}.json"), "NETSH_EMU_CODEPAGE": str(CODEPAGE)}
    count = run_commands(Store.of(filter_lists=[store.filter_lists[name] for name in names]), env)
    export = os.path.join(directory, f"scratch-{start:04d}.export")
    netsh(env, "ipsec", "static", "exportpolicy", f"file={export}")
    return export, count + 1


def merge(job: tuple[str, str, list[str]]) -> tuple[str, int]:
    """Import ``exports`` into a new scratch host called ``name`` and export it; return the export
    file and the number of commands run."""
    directory, name, exports = job
    env = {"NETSH_EMU_STATE": os.path.join(directory, f"{name}.json"), "NETSH_EMU_CODEPAGE": str(CODEPAGE)}
    for export in exports:
        netsh(env, "ipsec", "static", "importpolicy", f"file={export}")
    merged = os.path.join(directory, f"{name}.export")
    netsh(env, "ipsec", "static", "exportpolicy", f"file={merged}")
    return merged, len(exports) + 1


def build_policies(job: tuple[str, Store]) -> tuple[str, int]:
    """Build the filter actions and the policies with their rules in a scratch host, beside empty
    filter lists of the names the rules use, and export them; return the export file and the number
    of commands run."""
    directory, store = job
    env = {"NETSH_EMU_STATE": os.path.join(directory, "policies.json"), "NETSH_EMU_CODEPAGE": str(CODEPAGE)}
    used = {rule.filter_list for policy in store.policies.values() for rule in policy.rules}
    count = run_commands(Store.of(
        filter_lists=[dataclasses.replace(store.filter_lists[name], filters=()) for name in sorted(used)],
        filter_actions=store.filter_actions.values(),
        policies=[dataclasses.replace(policy, assigned=False) for policy in store.policies.values()],
    ), env)
    export = os.path.join(directory, "policies.export")
    netsh(env, "ipsec", "static", "exportpolicy", f"file={export}")
    return export, count + 1


def build_host(store: Store, directory: str) -> tuple[dict, int]:
    """The host holding ``store``, built from scratch hosts' exports: first the policies (beside
    empty filter lists), then the filter lists, merged in two stages of importpolicy (an import replaces
    the filters of a list of the same name and keeps its GUID, so the rules keep pointing at it), then
    the assignment, which importpolicy never makes."""
    env = {"NETSH_EMU_STATE": os.path.join(directory, "host.json"), "NETSH_EMU_CODEPAGE": str(CODEPAGE)}
    jobs = [(directory, start, min(start + LISTS_PER_SCRATCH, LISTS)) for start in range(0, LISTS, LISTS_PER_SCRATCH)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        policies = pool.apply_async(build_policies, ((directory, store),))
        built = pool.map(build_scratch, jobs)
        groups = [[export for export, dummy in built[at:at + MERGE_FAN_IN]] for at in range(0, len(built), MERGE_FAN_IN)]
        merged = pool.map(merge, [(directory, f"merged-{number:03d}", group) for number, group in enumerate(groups)])
        policies = policies.get()
    count = sum(commands for dummy, commands in (*built, *merged, policies))
    for export, dummy in (policies, *merged):
        netsh(env, "ipsec", "static", "importpolicy", f"file={export}")
        count += 1
    for name in (policy.name for policy in store.policies.values() if policy.assigned):
        netsh(env, "ipsec", "static", "set", "policy", f"name={name}", "assign=yes")
        count += 1
    return env, count


# --- reading it ------------------------------------------------------------------------------------


def record(env: dict, read_from: str) -> tuple[HostState, tuple[int, bytes, bytes], float]:
    """Read through ``read_host`` over the emulator; return the state, the raw answer and the emulator's time."""
    answers = []

    def execute(command: str, stdin: bytes) -> tuple[int, str, str]:
        started = time.perf_counter()
        rc, stdout, stderr = run_powershell(shlex.split(command)[1:], stdin, env)
        answers.append(((rc, stdout, stderr), time.perf_counter() - started))
        return rc, stdout.decode("ascii"), stderr.decode("utf-8")

    state, dummy = read_host(NetshRunner(execute, read_from=read_from))
    (answer, seconds), = answers
    return state, answer, seconds


def request_for(read_from: str) -> BatchRequest:
    """The request ``read_host`` sends for ``read_from`` (nothing else in the round trip)."""
    commands = () if read_from == "registry" else READ_COMMANDS
    return BatchRequest(commands, stop_on_error=False, registry=True)


def decode(read_from: str, request: BatchRequest, rc: int, stdout: str, stderr: str) -> Store:
    """The seam: the answer as the connection returned it -> the Store (as ``read_host`` does it)."""
    answer = parse_answer(request, rc, stdout, stderr)
    if read_from == "registry":
        return decode_snapshot(answer.registry_snapshot()).store
    store = read_store(answer.results[:len(READ_COMMANDS)])
    decode_snapshot(RegistrySnapshot(local=None, group_policy=answer.registry_snapshot(local=False).group_policy))
    return store


def replayed_read_host(read_from: str, rc: int, stdout: str, stderr: str) -> Store:
    return read_host(NetshRunner(lambda command, stdin: (rc, stdout, stderr), read_from=read_from))[0].store


def best_of(rounds: int, function) -> float:
    best = float("inf")
    for dummy in range(rounds):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def breakdown(stdout: bytes) -> dict:
    """Sizes inside the answer: the JSON, netsh's stdout (base64 in the JSON, and raw) and the registry keys
    (their part of the JSON re-serialised compactly, so within a few bytes of what was sent)."""
    payload = stdout[stdout.rindex(MARKER) + len(MARKER):].split()[0]
    document = json.loads(base64.b64decode(payload))
    results = document["results"] if isinstance(document["results"], list) else [document["results"]]
    keys = ((document["registry"] or {}).get("local") or {}).get("keys") or ()
    return {
        "json": len(base64.b64decode(payload)),
        "netsh_b64": sum(len(result["stdout"]) for result in results),
        "netsh_raw": sum(len(base64.b64decode(result["stdout"])) for result in results),
        "registry_json": len(json.dumps(document["registry"], separators=(",", ":"), ensure_ascii=False).encode("utf-8")),
        "keys": len(keys),
        "blobs": sum(len(base64.b64decode(value["data"])) for key in keys for value in key["values"] if value["kind"] == "Binary"),
        "blob_b64": sum(len(value["data"]) for key in keys for value in key["values"] if value["kind"] == "Binary"),
    }


def profile(label: str, function, limit: int = 14) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    function()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(limit)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(index for index, line in enumerate(lines) if "function calls" in line)
    print(f"\nprofile: {label}, the {limit} functions with the most own time")
    print("\n".join(lines[start:start + 1] + lines[start + 3:]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="profile each path's decode and read_host")
    args = parser.parse_args()

    print(f"python {platform.python_version()} ({sys.executable}), {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{load:.2f}' for load in os.getloadavg())} at the start")
    store = build_store()
    filters = sum(len(item.filters) for item in store.filter_lists.values())
    rules = sum(len(policy.rules) for policy in store.policies.values())
    print(f"store: {len(store.filter_lists)} filter lists x {FILTERS} = {filters} filters (IPv4), "
          f"{len(store.filter_actions)} filter actions, {len(store.policies)} policies with {rules} rules, one assigned; "
          f"host OEM code page {CODEPAGE}")

    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    directory = tempfile.mkdtemp(prefix="bench-registry-read-", dir=base)
    try:
        started = time.perf_counter()
        env, commands = build_host(store, directory)
        print(f"built in {time.perf_counter() - started:.1f} s with {commands} netsh commands "
              f"({-(-LISTS // LISTS_PER_SCRATCH)} scratch hosts merged with exportpolicy/importpolicy), store file "
              f"{os.path.getsize(env['NETSH_EMU_STATE']):,} bytes")

        rows, failed = [], []
        for read_from in ("registry", "netsh"):
            state, (rc, raw_stdout, raw_stderr), emulator_seconds = record(env, read_from)
            if state != HostState(store, None, CODEPAGE):
                failed.append(f"the {read_from} read does not give the store that was built")
            stdout, stderr = raw_stdout.decode("ascii"), raw_stderr.decode("utf-8")
            request = request_for(read_from)
            if decode(read_from, request, rc, stdout, stderr) != store:
                failed.append(f"the {read_from} seam does not give the store that was built")
            seam = best_of(args.rounds, lambda: decode(read_from, request, rc, stdout, stderr))
            whole = best_of(args.rounds, lambda: replayed_read_host(read_from, rc, stdout, stderr))
            rows.append((read_from, len(raw_stdout), breakdown(raw_stdout), seam, whole, emulator_seconds))
            if args.profile:
                profile(f"{read_from}: parse_answer + decode", lambda: decode(read_from, request, rc, stdout, stderr))
                profile(f"{read_from}: read_host, answer replayed", lambda: replayed_read_host(read_from, rc, stdout, stderr))
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    print()
    print(f"{'read_from':<10} {'wire bytes':>12} {'JSON bytes':>12} {'netsh text':>12} {'registry JSON':>14} "
          f"{'decode s':>9} {'read_host s':>12} {'emulator s':>11}")
    print("-" * 99)
    for read_from, wire, sizes, seam, whole, emulator_seconds in rows:
        print(f"{read_from:<10} {wire:>12,} {sizes['json']:>12,} {sizes['netsh_raw']:>12,} {sizes['registry_json']:>14,} "
              f"{seam:>9.3f} {whole:>12.3f} {emulator_seconds:>11.2f}")
    (dummy, registry_wire, registry_sizes, registry_seam, *dummy2), (dummy3, netsh_wire, netsh_sizes, *dummy4) = rows
    print(f"\nregistry keys sent: {registry_sizes['keys']:,} subkeys of Policy\\Local, {registry_sizes['registry_json']:,} bytes of JSON; "
          "the netsh path asks for the registry too (for the Group Policy key) and gets the same keys")
    print(f"of which ipsecData blobs: {registry_sizes['blobs']:,} bytes, {registry_sizes['blob_b64']:,} as base64 in the JSON; "
          f"the wire carries the JSON as base64 again")
    ratio = netsh_wire / registry_wire
    # What the netsh path would send without the registry keys, compared where both are JSON (the wire adds base64 to both).
    text_only = netsh_sizes["json"] - netsh_sizes["registry_json"] + len("null")
    text_ratio = text_only / registry_sizes["json"]
    print(f"netsh / registry, wire bytes as sent: {ratio:.2f}x; netsh without the registry keys (JSON bytes, "
          f"{text_only:,} / {registry_sizes['json']:,}): {text_ratio:.2f}x")
    print(f"decode time (best of {args.rounds}): registry {registry_seam:.3f} s (budget {REGISTRY_BUDGET} s)")
    verdicts = [
        ("registry decode under 0.3 s", registry_seam < REGISTRY_BUDGET),
        ("registry payload at least 3x smaller than netsh's", ratio >= PAYLOAD_RATIO),
    ]
    for text, met in verdicts:
        print(f"target {text}: {'met' if met else 'MISSED'}")
    for text in failed:
        print(f"ERROR: {text}")
    return 0 if all(met for dummy, met in verdicts) and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
