"""One case of the unit lockout suite (tests/unit/plugins/plugin_utils/test_lockout_suite.py) replayed on an
emulated host that enforces its assigned policy: test_lockout_end_to_end.py (WinRM, PSRP) and test_ssh_guard.py
(SSH) share it, each with its own way of opening a new connection.

The case's ports are moved to the port the emulated host listens on (a free loopback port), so that a foreign
policy permitting "the connection's port" still does.
"""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable
from pathlib import Path

from ipsec_support import task

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit" / "plugins" / "plugin_utils"))
from test_lockout_suite import CASES, SAFE  # noqa: E402  (the unit suite's table, re-exported)

__all__ = ["APPLY", "CASES", "ROLE", "SAFE", "apply_case", "compare_answers", "moved"]
ROLE = "lockdown.ipsec.packet_filter"
APPLY = f"{ROLE} : Apply the packet filter policy"


def moved(value, old: int, new: int):
    """``value`` with every port ``old`` (an int anywhere in it) as ``new``."""
    if isinstance(value, dict):
        return {key: moved(item, old, new) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [moved(item, old, new) for item in value]
    return new if value == old and not isinstance(value, bool) else value


def apply_case(host, case) -> list[dict]:
    """Give ``host`` the case's foreign store, apply the role with the case's options and the guard bypassed
    (``packet_filter_allow_lockout``, so refused configurations are forced through), and return the guard's
    verdicts; asserts that the guard called the case what the suite expects. The host must not enforce yet."""
    port = host.management_port
    if case.foreign:
        seeded = host.play([task("ipsec_config", {"state": "replaced", "config": moved(case.foreign, case.connection_port, port)}, "seed")])
        assert seeded.rc == 0, seeded.stdout + seeded.stderr
    variables = {f"packet_filter_{name}": value for name, value in moved(dict(case.options), case.connection_port, port).items()}
    variables.update(packet_filter_allow_lockout=True, packet_filter_backup=False)
    played = host.play([{"name": "packet filter", "ansible.builtin.include_role": {"name": ROLE}}], vars=variables)
    assert played.rc == 0, played.stdout + played.stderr
    verdicts = played.task(APPLY)["guard"]
    assert verdicts and all(verdict["safe"] for verdict in verdicts) == (case.expected == SAFE), verdicts
    return verdicts


def compare_answers(case, verdicts: list[dict], port: int, answers: Callable[[str, str], bool]) -> int:
    """For every TCP packet the guard judged on ``port`` (not those whose verdict depends on an order Windows does
    not document), assert that ``answers(source, destination)`` — a new connection from that source, to a host that
    now enforces its policy — is exactly the guard's verdict; returns how many packets were compared."""
    compared = 0
    for verdict in verdicts:
        if verdict["destination_port"] != port or verdict["order_dependent"] or verdict["protocol"] != "tcp":
            continue
        ipaddress.ip_address(verdict["source"])  # the guard names the address it tried
        assert answers(verdict["source"], verdict["destination"]) == verdict["safe"], (verdict, case.why)
        compared += 1
    return compared
