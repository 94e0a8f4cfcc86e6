# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark (not a test): locking Windows hosts down over WinRM or PSRP, the collection against raw netsh tasks.

Three ways to build the same static IPsec policy (N server services, a management rule, the default deny):

(a) the collection: the ``lockdown.ipsec.packet_filter`` role with its defaults (guard and backup on),
    N entries of ``packet_filter_server_services``;
(b) the collection without the role: one bare ``lockdown.ipsec.ipsec_config`` task (``state:
    overridden``, ``owner_prefix``) with the configuration the role builds, inline, its management
    port templated as ``{{ ansible_port }}`` — what the role costs on the controller over the module;
(c) the way people do it today: a one-shot playbook of ``ansible.builtin.raw`` tasks, first
    ``netsh ipsec static delete all`` (``failed_when: false``), then one task per netsh command that
    builds the policy.

The commands of (c) and the configuration of (b) are taken from the collection itself: the role runs
in ``--check`` mode against a fresh emulated host and its task (registered as
``packet_filter_result``) reports the configuration and the netsh commands it would run; the commands
are rewritten in PowerShell quoting (``name="LD - HTTP Server"``), the management filter's port
becomes ``{{ ansible_port }}``.

Both run with the ``ansible-playbook`` next to ``sys.executable`` over ansible-core's ``winrm``
connection (NTLM with message encryption, HTTP), or with ``--connection psrp`` over its ``psrp`` connection (pypsrp:
a runspace pool per task, one PSRP pipeline per round trip, NTLM with message encryption, HTTP), against fresh
emulated Windows hosts
(``tests/emulator/emulated_winrm``) served from this process, each sleeping ``--latency`` seconds
before it answers every HTTP request. Measured per approach, on one host and then on ``--hosts``
hosts in one group with ``--forks``: the first apply on fresh hosts and a re-run on the same hosts,
as round trips (WinRM Command operations: one command line, or one PSRP pipeline), HTTP requests, wall time and CPU time (of the
ansible-playbook process tree alone, its forks included, from ``wait4``; and of this process, which
serves the emulated hosts). After the first apply and
after the re-run every host's store (``netsh ipsec static show all`` run by the emulator's netsh,
GUIDs, dates and the management port normalised) must equal that of the first host the collection
built; the benchmark stops with the difference otherwise.

The emulator has no per-host file system, so each host's ``packet_filter_backup_path`` is set to a
file in its work directory (the role's default is a Windows path). Run from the repository root:

    .venv/py312/bin/python benchmarks/bench_winrm_lockdown.py [--latency 0.05] [--hosts 20] [--forks 10]
                                                              [--services 20] [--skip-multi] [--confirm SECONDS]
                                                              [--connection winrm|psrp]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EMULATOR = REPO / "tests" / "emulator"
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(EMULATOR))
# conftest links the checkout to .cache/collections/ansible_collections/lockdown/ipsec.
import conftest  # noqa: E402,F401  # pylint: disable=unused-import

from emulated_winrm import EmulatedWindowsHost  # noqa: E402
from netsh_emulator import split_c  # noqa: E402

ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"
COLLECTIONS = REPO / ".cache" / "collections"
NETSH = EMULATOR / "bin" / "netsh"
ROLE = "lockdown.ipsec.packet_filter"
GROUP = "windows"
# The role's catalogue (roles/packet_filter/vars/services.yml) in its own order, then services a
# domain controller would add with packet_filter_custom_services, so that 20 services exist.
CATALOGUE = ["dns", "ftp", "http", "https", "pop3", "pop3s", "imap", "imaps", "smtp", "snmp", "ntp", "rdp", "netbios", "smb", "sql_server"]
CUSTOM_SERVICES = {
    "kerberos": {"label": "Kerberos", "description": "Kerberos authentication", "ports": [{"protocol": "tcp", "port": 88}, {"protocol": "udp", "port": 88}]},
    "ldap": {"label": "LDAP", "description": "Directory (LDAP)", "ports": [{"protocol": "tcp", "port": 389}, {"protocol": "udp", "port": 389}]},
    "ldaps": {"label": "LDAPS", "description": "Directory (LDAP over SSL/TLS)", "ports": [{"protocol": "tcp", "port": 636}]},
    "global_catalog": {"label": "Global Catalog", "description": "Directory global catalog", "ports": [{"protocol": "tcp", "port": 3268}]},
    "rpc": {"label": "RPC Endpoint Mapper", "description": "Microsoft RPC endpoint mapper", "ports": [{"protocol": "tcp", "port": 135}]},
}
# PowerShell treats these specially outside quotes (tests/emulator/netsh_emulator/_native_command.py).
POWERSHELL_SPECIAL = set(" \t;|&(){}<>,'\"@#$`")


# -- the services ------------------------------------------------------------------------------------


def pick_services(count: int) -> tuple[list[str], dict]:
    """The first ``count`` services: the catalogue's, then custom ones (returned for the role's custom variable)."""
    custom = dict(CUSTOM_SERVICES)
    for number in range(max(0, count - len(CATALOGUE) - len(CUSTOM_SERVICES))):
        custom[f"app{number + 1}"] = {"label": f"App {number + 1}", "description": "An application port", "ports": [{"protocol": "tcp", "port": 8001 + number}]}
    names = (CATALOGUE + list(custom))[:count]
    return names, {name: custom[name] for name in names if name in custom}


def role_vars(services: list[str], custom: dict) -> dict:
    """The role's variables: only the services; everything else (backup included) is the role's default."""
    variables = {"packet_filter_server_services": services}
    if custom:
        variables["packet_filter_custom_services"] = custom
    return variables


# -- emulated hosts and the inventory ----------------------------------------------------------------


class Fleet:
    """``count`` fresh emulated Windows hosts, one inventory group, under ``workdir``; stop with :meth:`stop`."""

    def __init__(self, workdir: Path, count: int, latency: float, connection: str = "winrm") -> None:
        self.workdir = workdir
        self.connection = connection
        self.hosts = [EmulatedWindowsHost(workdir / f"win{number:02d}", latency=latency).start() for number in range(count)]
        self.inventory = workdir / "inventory.ini"
        self.inventory.write_text(self._inventory_text(), encoding="utf-8")

    def _inventory_text(self) -> str:
        lines = [f"[{GROUP}]"]
        for number, host in enumerate(self.hosts):
            connection = host.psrp_vars() if self.connection == "psrp" else host.ansible_vars()
            variables = {**connection, "packet_filter_backup_path": host.workdir / "lockdown-ipsec-backup.ipsec"}
            lines.append(f"win{number:02d} " + " ".join(f"{name}={value}" for name, value in variables.items()))
        return "\n".join(lines) + "\n"

    def operations(self) -> Counter:
        """The WS-Management operations (and ``http``, every HTTP request) of all hosts so far."""
        total: Counter = Counter()
        for host in self.hosts:
            total.update(host.operations)
        return total

    def stop(self) -> None:
        """Stop every endpoint."""
        for host in self.hosts:
            host.stop()


# -- running ansible-playbook ------------------------------------------------------------------------


@dataclass
class Run:
    """One measured ansible-playbook run over a fleet."""

    label: str
    operations: Counter  # WS-Management operations by name, plus "http"
    seconds: float
    ansible_cpu: float  # CPU seconds of ansible-playbook and its forks (the controller)
    hosts_cpu: float  # CPU seconds of this process and its other children: the emulated hosts' WinRM, NTLM and netsh work
    recap: dict

    @property
    def round_trips(self) -> int:
        """WinRM Command operations: one per command line the hosts ran."""
        return self.operations["Command"]

    @property
    def http(self) -> int:
        """HTTP requests, NTLM handshake legs included: each waited for the latency."""
        return self.operations["http"]


def ansible_env(workdir: Path, forks: int) -> dict:
    """The environment of every ansible-playbook run: the checkout as the collection, state under ``workdir``."""
    return dict(
        os.environ,
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
        ANSIBLE_HOME=str(workdir / "ansible-home"),
        ANSIBLE_LOCAL_TEMP=str(workdir / "ansible-tmp"),
        ANSIBLE_FORKS=str(forks),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_HOST_KEY_CHECKING="0",
    )


def write_playbook(path: Path, plays: list) -> Path:
    """Write ``plays`` as a YAML playbook (JSON is YAML) and return the path."""
    path.write_text(json.dumps(plays, indent=1) + "\n", encoding="utf-8")
    return path


def run_playbook(playbook: Path, fleet: Fleet, forks: int, *, check: bool = False) -> tuple[float, float, str]:
    """Run ``playbook`` against ``fleet``; return the wall time, the CPU seconds of the ansible-playbook process tree
    (``wait4``: the process and every descendant it waited for, its forks; not the emulated hosts' own subprocesses,
    which are this process's children) and stdout, or exit loudly if it failed."""
    command = [str(ANSIBLE_PLAYBOOK), "-i", str(fleet.inventory), str(playbook)] + (["--check"] if check else [])
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        started = time.perf_counter()
        proc = subprocess.Popen(command, env=ansible_env(fleet.workdir, forks), stdout=stdout, stderr=stderr, text=True)  # pylint: disable=consider-using-with
        dummy, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read(), stderr.read()
    if proc.returncode != 0:
        sys.exit(f"FAILED: {' '.join(command)} exited {proc.returncode}\n--- stdout ---\n{out}\n--- stderr ---\n{err}")
    return seconds, usage.ru_utime + usage.ru_stime, out


def recap_totals(stdout: str) -> dict:
    """The PLAY RECAP counters (ok, changed, failed, ...) summed over the hosts."""
    totals: dict = {}
    for key, value in re.findall(r"\b(ok|changed|unreachable|failed|skipped|rescued|ignored)=(\d+)", stdout.split("PLAY RECAP", 1)[-1]):
        totals[key] = totals.get(key, 0) + int(value)
    return totals


def cpu_seconds(who: int) -> float:
    """User plus system CPU seconds of this process (``RUSAGE_SELF``) or of its finished children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def measure(label: str, playbook: Path, fleet: Fleet, forks: int) -> Run:
    """Run ``playbook`` once and count what it cost on the hosts."""
    before, own = fleet.operations(), cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN)
    seconds, ansible_cpu, stdout = run_playbook(playbook, fleet, forks)
    operations = fleet.operations() - before
    # This process's children are ansible-playbook (reaped by wait4) and the hosts' PowerShell/netsh processes.
    hosts_cpu = cpu_seconds(resource.RUSAGE_SELF) + cpu_seconds(resource.RUSAGE_CHILDREN) - own - ansible_cpu
    open_shells = sum(host.open_shells for host in fleet.hosts)
    if open_shells:
        sys.exit(f"FAILED: {label} left {open_shells} WinRM shell(s) or PSRP runspace pool(s) open")
    return Run(label, operations, seconds, ansible_cpu, hosts_cpu, recap_totals(stdout))


# -- the two approaches ------------------------------------------------------------------------------


def collection_playbook(path: Path, variables: dict) -> Path:
    """(a) The role, as a user would write it."""
    return write_playbook(path, [{"name": "Lock the servers down", "hosts": GROUP, "gather_facts": False,
                                  "roles": [{"role": ROLE, "vars": variables}]}])


def predicted(workdir: Path, variables: dict, latency: float, connection: str) -> tuple[list[str], dict, int]:
    """The netsh commands and the configuration the role predicts (``--check``) for a fresh host, and that host's port."""
    probe = Fleet(workdir / "probe", 1, latency, connection)
    try:
        out = workdir / "probe" / "predicted.json"
        play = {"name": "Predict the lockdown", "hosts": GROUP, "gather_facts": False, "roles": [{"role": ROLE, "vars": variables}],
                "tasks": [{"name": "Save the prediction", "ansible.builtin.copy": {
                    "content": "{{ {'commands': packet_filter_result.commands, 'config': packet_filter_result.config} | to_json }}", "dest": str(out)},
                    "delegate_to": "localhost", "check_mode": False}]}
        run_playbook(write_playbook(workdir / "probe" / "predict.yml", [play]), probe, 1, check=True)
        saved = json.loads(out.read_text(encoding="utf-8"))
        return saved["commands"], saved["config"], probe.hosts[0].port
    finally:
        probe.stop()


def bare_config_playbook(path: Path, config: dict, port: int) -> Path:
    """(b) One ``ipsec_config`` task with the role's configuration; the management port is templated."""
    templated = json.loads(json.dumps(config))
    ports = 0
    for filter_list in templated["filter_lists"]:
        for entry in filter_list["filters"]:
            if filter_list["name"] == "LD - Management" and entry.get("destination_port") == port:
                entry["destination_port"] = "{{ ansible_port | int }}"
                ports += 1
    if not ports:
        sys.exit("FAILED: no management filter found in the predicted configuration")
    task = {"name": "Apply the packet filter policy", "lockdown.ipsec.ipsec_config": {"config": templated, "state": "overridden", "owner_prefix": "LD - "}}
    return write_playbook(path, [{"name": "Lock the servers down with ipsec_config", "hosts": GROUP, "gather_facts": False, "tasks": [task]}])


def powershell_argument(argument: str) -> str:
    """One netsh argument as a person writes it in a PowerShell command: ``tag="a value"`` when it needs quotes."""
    if not POWERSHELL_SPECIAL & set(argument):
        return argument
    if '"' in argument or "$" in argument or "`" in argument:
        sys.exit(f"FAILED: the argument {argument!r} cannot be written in double quotes for PowerShell")
    tag, equals, value = argument.partition("=")
    if equals and re.fullmatch(r"[A-Za-z]+", tag):
        return f'{tag}="{value}"'
    return f'"{argument}"'


def raw_command(command: str, port: int) -> str:
    """A collection command (CRT quoting) as a raw task's PowerShell line; the management port is templated."""
    argv = split_c(command)
    if argv[0].lower() != "netsh":
        sys.exit(f"FAILED: not a netsh command: {command}")
    line = " ".join(["netsh"] + [powershell_argument(argument) for argument in argv[1:]])
    if "LD - Management" in command and f"dstport={port}" in line:
        line = line.replace(f"dstport={port}", "dstport={{ ansible_port }}")
    return line


def raw_playbook(path: Path, lines: list[str]) -> Path:
    """(b) One raw task per netsh command, after a ``delete all`` that may fail."""
    tasks = [{"name": "Delete the whole IPsec store", "ansible.builtin.raw": "netsh ipsec static delete all", "failed_when": False}]
    tasks += [{"name": f"netsh {number}/{len(lines)}", "ansible.builtin.raw": line} for number, line in enumerate(lines, 1)]
    return write_playbook(path, [{"name": "Lock the servers down with netsh", "hosts": GROUP, "gather_facts": False, "tasks": tasks}])


# -- checking that both built the same policy --------------------------------------------------------


def normalised_store(host: EmulatedWindowsHost) -> str:
    """``show all`` of a host's store with GUIDs, dates and its management port replaced."""
    env = dict(os.environ, NETSH_EMU_STATE=str(host.state_file))
    proc = subprocess.run([str(NETSH), "ipsec", "static", "show", "all"], env=env, capture_output=True, timeout=60, check=False)
    if proc.returncode != 0:
        sys.exit(f"FAILED: netsh show all on port {host.port}: {proc.stdout!r} {proc.stderr!r}")
    text = proc.stdout.decode("utf-8", "replace")
    text = re.sub(r"\{[0-9A-Fa-f-]{36}\}", "{GUID}", text)
    text = re.sub(r"(Last Modified\s*:).*", r"\1 <date>", text)
    return re.sub(rf"(Port\s*:\s*){host.port}\b", r"\1<management port>", text)


def verify_same_policy(reference: EmulatedWindowsHost, fleets: list[Fleet]) -> int:
    """Every host of ``fleets`` must hold the store ``reference`` holds; return the number of filters compared."""
    expected = normalised_store(reference)
    if "Assigned               : YES" not in expected:
        sys.exit("FAILED: the reference host has no assigned policy\n" + expected)
    for fleet in fleets:
        for host in fleet.hosts:
            got = normalised_store(host)
            if got != expected:
                diff = "\n".join(difflib.unified_diff(expected.splitlines(), got.splitlines(), "reference", f"port {host.port}", lineterm=""))
                sys.exit(f"FAILED: the host on port {host.port} ({fleet.workdir.name}) holds another policy:\n{diff[:4000]}")
    return expected.count("Mirrored")


# -- one scenario ------------------------------------------------------------------------------------


def scenario(workdir: Path, hosts: int, forks: int, latency: float, playbooks: dict, connection: str) -> tuple[list[Run], int]:
    """Each approach on its own ``hosts`` fresh hosts: first apply, then a re-run; the policies are verified after each."""
    runs, filters = [], 0
    with ExitStack() as stack:
        fleets = {}
        for approach in playbooks:
            fleets[approach] = Fleet(workdir / approach.split()[0], hosts, latency, connection)
            stack.callback(fleets[approach].stop)
        for phase in ("first apply", "re-run"):
            for approach, playbook in playbooks.items():
                runs.append(measure(f"{approach}|{phase}", playbook, fleets[approach], forks))
            filters = verify_same_policy(fleets["collection"].hosts[0], list(fleets.values()))
    return sorted(runs, key=lambda run: list(playbooks).index(run.label.split("|")[0])), filters


# -- output ------------------------------------------------------------------------------------------


def print_table(title: str, runs: list[Run], hosts: int, latency: float, breakdown: bool) -> None:
    """The runs as a table, optionally what their HTTP requests carried, then the raw/collection ratios."""
    print(f"\n{title}")
    header = (f"{'approach':<17} {'run':<12} {'round trips':>11} {'per host':>8} {'HTTP requests':>13} {'HTTP/trip':>9} {'wall s':>8} "
              f"{'ansible CPU s':>13} {'hosts CPU s':>11} {'changed':>7}")
    print(header)
    print("-" * len(header))
    for run in runs:
        approach, phase = run.label.split("|")
        print(f"{approach:<17} {phase:<12} {run.round_trips:>11} {run.round_trips / hosts:>8.1f} {run.http:>13} "
              f"{run.http / max(run.round_trips, 1):>9.1f} {run.seconds:>8.2f} {run.ansible_cpu:>13.2f} {run.hosts_cpu:>11.1f} "
              f"{run.recap.get('changed', 0):>7}")
    if breakdown:
        print("HTTP requests per round trip, by WS-Management operation (other: requests that carry none, the NTLM handshake of each connection):")
        for run in runs:
            print(f"  {run.label.replace('|', ', '):<29} {per_round_trip(run)}")
        trips, http = sum(run.round_trips for run in runs), sum(run.http for run in runs)
        print(f"so at {latency * 1000:.0f} ms per HTTP request a round trip waits {http / trips:.1f} x {latency * 1000:.0f} ms = "
              f"{http / trips * latency * 1000:.0f} ms on average, on top of Ansible's own per-task cost")
    by_label = {run.label: run for run in runs}
    for phase in ("first apply", "re-run"):
        role, bare = by_label[f"collection|{phase}"], by_label[f"ipsec_config|{phase}"]
        print(f"role / bare ipsec_config, {phase:<11}: controller CPU {role.ansible_cpu:.2f} s / {bare.ansible_cpu:.2f} s = "
              f"{role.ansible_cpu / bare.ansible_cpu:.2f}x, round trips {role.round_trips} / {bare.round_trips}")
    for phase in ("first apply", "re-run"):
        ours, theirs = by_label[f"collection|{phase}"], by_label[f"raw netsh tasks|{phase}"]
        print(f"raw / collection, {phase:<11}: round trips {theirs.round_trips / ours.round_trips:6.1f}x, "
              f"HTTP requests {theirs.http / ours.http:6.1f}x, wall time {theirs.seconds / ours.seconds:6.1f}x")


def per_round_trip(run: Run) -> str:
    """``run``'s HTTP requests per round trip, split into the operations they carried."""
    trips = max(run.round_trips, 1)
    named = {name: count for name, count in sorted(run.operations.items()) if name != "http"}
    parts = [f"{name} {count / trips:.1f}" for name, count in named.items()]
    rest = run.http - sum(named.values())
    return f"{run.http / trips:.1f} = " + " + ".join(parts + [f"other {rest / trips:.1f}"])


def versions(connection: str) -> str:
    """Python, ansible-core and the client libraries of ``connection`` in use."""
    core = subprocess.run([str(ANSIBLE_PLAYBOOK), "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[0]
    libraries = []
    for name in ("pypsrp", "psrpcore", "pyspnego") if connection == "psrp" else ("pywinrm", "pyspnego"):
        try:
            libraries.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            libraries.append(f"{name} missing")
    return f"python {platform.python_version()} ({sys.executable}), {core.strip()}, {', '.join(libraries)}"


def load() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine slows every run."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def checkout() -> str:
    """The commit of the checkout under test, and which of the collection's files differ from it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True, check=False).stdout.rstrip("\n")
    dirty = git("status", "--porcelain", "--", "plugins", "roles").splitlines()
    return f"collection: {REPO} at {git('rev-parse', '--short', 'HEAD')}" + (
        f" with uncommitted changes to {', '.join(line[3:] for line in dirty)}" if dirty else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--latency", type=float, default=0.05, help="seconds each emulated host sleeps before answering an HTTP request")
    parser.add_argument("--hosts", type=int, default=20, help="hosts of the multi-host case")
    parser.add_argument("--forks", type=int, default=10, help="ansible forks of the multi-host case")
    parser.add_argument("--services", type=int, default=20, help="server services to lock the hosts down to")
    parser.add_argument("--skip-multi", action="store_true", help="run the single-host case only")
    parser.add_argument("--confirm", type=int, default=None, help="packet_filter_confirm for the role (a confirmed change: one more round trip)")
    parser.add_argument("--connection", choices=("winrm", "psrp"), default="winrm",
                        help="ansible-core's connection to the hosts: winrm (WinRS shells) or psrp (pypsrp runspace pools); both NTLM over HTTP")
    options = parser.parse_args()

    print(versions(options.connection))
    print(checkout())
    print(f"machine: {os.cpu_count()} CPUs, load average {load()} at the start")
    print(f"connection: {options.connection}, NTLM with message encryption over HTTP")
    unit = "one PSRP pipeline in the task's runspace pool" if options.connection == "psrp" else "one command line run"
    print(f"latency: each emulated host sleeps {options.latency * 1000:.0f} ms before answering every HTTP request; a round trip "
          f"(one WinRM Command operation, {unit}) also needs its shell's Create, Send, Receive, Signal and Delete "
          "and NTLM handshake legs, so it costs several HTTP requests (counted below)")
    services, custom = pick_services(options.services)
    variables = role_vars(services, custom)
    if options.confirm is not None:
        variables["packet_filter_confirm"] = options.confirm
        print(f"the role's changes are confirmed: packet_filter_confirm {options.confirm}")
    print(f"{len(services)} server services: {', '.join(services)}" + (f" (custom: {', '.join(custom)})" if custom else ""))

    workdir = Path(tempfile.mkdtemp(prefix="bench-winrm-"))
    try:
        commands, config, probe_port = predicted(workdir, variables, options.latency, options.connection)
        lines = [raw_command(command, probe_port) for command in commands]
        if not any("{{ ansible_port }}" in line for line in lines):
            sys.exit("FAILED: no management filter found in the predicted commands")
        playbooks = {
            "collection": collection_playbook(workdir / "collection.yml", variables),
            "ipsec_config": bare_config_playbook(workdir / "ipsec_config.yml", config, probe_port),
            "raw netsh tasks": raw_playbook(workdir / "raw.yml", lines),
        }
        print(f"raw playbook: 1 delete all + {len(lines)} netsh tasks (from the role's --check prediction on a fresh host)")

        single, filters = scenario(workdir / "single", 1, 1, options.latency, playbooks, options.connection)
        print_table(f"single host, forks 1 (policies verified equal: {filters} filters)", single, 1, options.latency, breakdown=True)
        if not options.skip_multi:
            multi, filters = scenario(workdir / "multi", options.hosts, options.forks, options.latency, playbooks, options.connection)
            print_table(f"{options.hosts} hosts, forks {options.forks} (policies verified equal on all {len(playbooks) * options.hosts} hosts: "
                        f"{filters} filters each)", multi, options.hosts, options.latency, breakdown=False)
            one, many = (next(run for run in runs if run.label == "collection|re-run") for runs in (single, multi))
            print(f"\nthe role's re-run: {options.hosts} hosts with forks {options.forks} took {many.seconds:.2f} s wall, "
                  f"{many.seconds / one.seconds:.2f}x the {one.seconds:.2f} s of one host")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nload average {load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
