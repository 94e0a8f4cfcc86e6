"""ipsec_assign through real ansible-playbook runs against the emulated host."""

from __future__ import annotations

from ipsec_support import by_name, lifecycle_step, task, unchanged


def assign(args: dict, name: str = "assign") -> dict:
    return task("ipsec_assign", args, name)


def assigned_flags(show_text: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in show_text.splitlines() if line.startswith("Assigned ")]


def test_assign_rerun_check_diff_switch_unassign(host):
    made = host.play([task("ipsec_config", {"config": {"policies": [{"name": "Packet Filter"}, {"name": "Maintenance"}]}}, "setup")])
    assert made.rc == 0 and made.task("setup")["changed"] is True

    # Seed 000: "ipsecpol -w REG -p "Packet Filter" -x".
    assigned, read_back, played = lifecycle_step(host, assign({"name": "Packet Filter"}), [
        'netsh ipsec static set policy "name=Packet Filter" assign=yes',
    ])
    assert assigned["before"]["assigned"] == "" and read_back["assigned"] == "Packet Filter"
    assert '+set policy "name=Packet Filter" assign=yes' in played.stdout
    assert assigned_flags(host.netsh("ipsec", "static", "show", "policy", "all")) == ["NO", "YES"]  # Maintenance, Packet Filter
    unchanged(host, assign({"name": "Packet Filter"}))
    unchanged(host, assign({"name": "Maintenance", "state": "unassigned"}))  # not the assigned one

    # Only one policy is assigned at a time: assigning another one unassigns the first by itself.
    switched, read_back, played = lifecycle_step(host, assign({"name": "Maintenance"}), [
        "netsh ipsec static set policy name=Maintenance assign=yes",
    ])
    assert read_back["assigned"] == "Maintenance"
    assert by_name(read_back["policies"], "Packet Filter") == by_name(switched["before"]["policies"], "Packet Filter")
    assert assigned_flags(host.netsh("ipsec", "static", "show", "policy", "all")) == ["YES", "NO"]

    # Seed 000: "If you need to temporarily unassign a policy, replace -x with -y."
    dummy, read_back, played = lifecycle_step(host, assign({"name": "Maintenance", "state": "unassigned"}), [
        "netsh ipsec static set policy name=Maintenance assign=no",
    ])
    assert read_back["assigned"] == ""
    unchanged(host, assign({"name": "Maintenance", "state": "unassigned"}))
    unchanged(host, assign({"state": "unassigned"}))
    unchanged(host, assign({"name": "No such policy", "state": "unassigned"}))  # documented: nothing to do


def test_unassign_whatever_is_assigned(host):
    host.play([
        task("ipsec_config", {"config": {"policies": [{"name": "Packet Filter"}], "assigned": "Packet Filter"}}, "setup"),
    ])
    released, read_back, dummy = lifecycle_step(host, assign({"state": "unassigned"}), [
        'netsh ipsec static set policy "name=Packet Filter" assign=no',
    ])
    assert released["before"]["assigned"] == "Packet Filter" and read_back["assigned"] == ""
    assert assigned_flags(host.netsh("ipsec", "static", "show", "policy", "all")) == ["NO"]
