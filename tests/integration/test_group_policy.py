"""A policy assigned by Group Policy (GPIPSEC.md §1.6, A-86): reported by ipsec_info, and a reason for
every task that would assign a policy locally to fail, naming the domain policy, before anything is
written (in check mode too), unless the task accepts it.

The emulated host simulates the domain policy with NETSH_EMU_GROUP_POLICY: the values of the
``GPTIPSECPolicy`` key that a domain member's Group Policy client writes.
"""

from __future__ import annotations

import json

import pytest
from ipsec_support import is_read, task
from test_role import ROLE, role

PATH = "LDAP://CN=ipsecPolicy{8b2f9e60-61a4-4f5b-9d0e-3c3c1f0a7b11},CN=IP Security,CN=System,DC=corp,DC=example"
DOMAIN = {"DSIPSECPolicyPath": PATH, "DSIPSECPolicyName": "Corp Server IPsec"}
REFUSED = (
    "would be assigned locally, but Group Policy assigns the domain policy 'Corp Server IPsec' "
    f"({PATH}), which overrides any local assignment"
)
POLICIES = {"policies": [{"name": "Packet Filter"}, {"name": "Maintenance"}]}


def under_group_policy(host) -> None:
    host.env["NETSH_EMU_GROUP_POLICY"] = json.dumps(DOMAIN)


def test_ipsec_info_reports_the_domain_policy_on_both_read_paths(host):
    played = host.play([task("ipsec_info", {}, "info")])
    assert played.rc == 0 and played.task("info")["domain_policy"] is None
    under_group_policy(host)
    for read_from in ("registry", "netsh"):
        played = host.play([task("ipsec_info", {"read_from": read_from}, "info")])
        assert played.rc == 0, played.stdout
        assert played.task("info")["domain_policy"] == {"name": "Corp Server IPsec", "path": PATH}
    # A key that names no policy path is no domain policy (a member whose GPO was removed).
    host.env["NETSH_EMU_GROUP_POLICY"] = json.dumps({"DSIPSECPolicyName": "left over"})
    assert host.play([task("ipsec_info", {}, "info")]).task("info")["domain_policy"] is None


@pytest.mark.parametrize("check", [False, True], ids=["real", "check"])
@pytest.mark.parametrize("module, args", [
    ("ipsec_assign", {"name": "Packet Filter"}),
    ("ipsec_config", {"config": {"assigned": "Packet Filter"}}),
    ("ipsec_config", {"state": "replaced", "config": {"policies": [{"name": "Packet Filter"}], "assigned": "Packet Filter"}}),
], ids=["ipsec_assign", "ipsec_config merged", "ipsec_config replaced"])
def test_assigning_is_refused_naming_the_domain_policy_before_any_write(host, module, args, check):
    assert host.play([task("ipsec_config", {"config": POLICIES}, "setup")]).rc == 0
    under_group_policy(host)
    snapshot, batches = host.store_bytes(), len(host.batches())
    played = host.play([task(module, args, "assign", ignore_errors=True)], check=check)
    assert played.status("assign") == "failed", played.stdout
    result = played.task("assign")
    assert result["msg"].startswith(f"policy 'Packet Filter' {REFUSED}")
    assert result["msg"].endswith("Set accept_domain_policy: true to assign it all the same.")
    assert result["changed"] is False
    assert played.round_trips == 1 and is_read(host.batches()[batches]) and host.store_bytes() == snapshot


def test_accepting_the_domain_policy_assigns_and_other_changes_need_no_acceptance(host):
    assert host.play([task("ipsec_config", {"config": POLICIES}, "setup")]).rc == 0
    under_group_policy(host)
    # Changes that assign nothing go ahead under a domain policy.
    unassigning = host.play([task("ipsec_config", {"config": {"filter_actions": [{"name": "Block", "action": "block"}]}}, "merge")])
    assert unassigning.rc == 0 and unassigning.task("merge")["changed"] is True
    assigned = host.play([task("ipsec_assign", {"name": "Packet Filter", "accept_domain_policy": True}, "assign"),
                          task("ipsec_info", {}, "info")])
    assert assigned.rc == 0, assigned.stdout
    assert assigned.task("assign")["commands"] == ['netsh ipsec static set policy "name=Packet Filter" assign=yes']
    assert assigned.task("info")["config"]["assigned"] == "Packet Filter"
    assert assigned.task("info")["domain_policy"]["name"] == "Corp Server IPsec"
    unassigned = host.play([task("ipsec_assign", {"name": "Packet Filter", "state": "unassigned"}, "unassign")])
    assert unassigned.rc == 0 and unassigned.task("unassign")["changed"] is True


def test_the_role_stops_naming_the_domain_policy_unless_accepted(host):
    under_group_policy(host)
    for check in (True, False):
        refused = role(host, {"packet_filter_server_services": ["http"]}, check=check)
        assert refused.rc != 0
        failed = [entry for entry in refused.tasks if entry["status"] == "failed"]
        assert len(failed) == 1 and failed[0]["task"].startswith(f"{ROLE} : "), refused.stdout
        assert REFUSED in failed[0]["result"]["msg"]
        assert host.store_bytes() in (b"",) or json.loads(host.store_bytes())["policies"] == []
    accepted = role(host, {"packet_filter_server_services": ["http"], "packet_filter_accept_domain_policy": True})
    assert accepted.rc == 0, accepted.stdout
    info = host.play([task("ipsec_info", {}, "info")]).task("info")
    assert info["config"]["assigned"] == "LD - Packet Filter" and info["domain_policy"]["path"] == PATH
