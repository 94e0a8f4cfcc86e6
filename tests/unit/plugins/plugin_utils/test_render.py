"""Changes to exact netsh argument vectors, and stores to canonical script text
(plugins/plugin_utils/_render.py). Expected argv are written out in full, in order."""

from __future__ import annotations

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils import _changes as c
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import (
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
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import (
    command_line,
    creation_changes,
    render_change,
    render_plan,
    render_script,
)

WEB = Filter.build(source="any", destination="me", protocol="tcp", destination_port=80, description="HTTP")
PSK = AuthMethod(AuthKind.PRESHARED_KEY, "s3cret key")
ROOT = AuthMethod(AuthKind.ROOT_CA, "C=US, O=Example, CN=Root", certmap=True)

CASES = [
    (c.AddFilterList(FilterList("Inbound web", "")), "add filterlist name=Inbound web"),
    (c.AddFilterList(FilterList("Web", "Web traffic")), "add filterlist name=Web description=Web traffic"),
    (c.SetFilterList(FilterList("Web", "")), "set filterlist name=Web description="),
    (c.DeleteFilterList("Web"), "delete filterlist name=Web"),
    (
        c.AddFilter("Web", WEB),
        "add filter filterlist=Web srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=80 mirrored=yes description=HTTP",
    ),
    (
        c.DeleteFilter("Web", WEB),
        "delete filter filterlist=Web srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=80 mirrored=yes",
    ),
    (
        c.AddFilter("Mgmt", Filter.build(source="10.0.0.0/24", destination="me", protocol="icmp", mirrored=False)),
        "add filter filterlist=Mgmt srcaddr=10.0.0.0 srcmask=255.255.255.0 dstaddr=me protocol=ICMP mirrored=no",
    ),
    (
        c.AddFilter("X", Filter.build(source="10.0.0.1-10.0.0.9", destination="2001:db8::1", protocol=47)),
        "add filter filterlist=X srcaddr=10.0.0.1-10.0.0.9 dstaddr=2001:db8::1 protocol=47 mirrored=yes",
    ),
    (
        c.AddFilter("X", Filter.build(source="dhcp", destination="me", protocol="udp", source_port=67)),
        "add filter filterlist=X srcaddr=DHCP dstaddr=me protocol=UDP srcport=67 dstport=0 mirrored=yes",
    ),
    (c.AddFilterAction(FilterAction("Block", Action.BLOCK, "")), "add filteraction name=Block action=block"),
    (
        c.AddFilterAction(FilterAction("Secure", Action.NEGOTIATE, "", False, True, True, ("ESP[3DES,SHA1]:3600s", "AH[MD5]"))),
        "add filteraction name=Secure action=negotiate qmpfs=yes inpass=no soft=yes qmsecmethods=ESP[3DES,SHA1]:3600s AH[MD5]",
    ),
    (c.SetFilterAction(FilterAction("Block", action=Action.PERMIT)), "set filteraction name=Block action=permit"),
    (c.DeleteFilterAction("Block"), "delete filteraction name=Block"),
    (
        c.AddPolicy(Policy("Packet Filter", "", polling_interval=180, mmpfs=False, qm_per_mm=0, mm_lifetime=480, mm_security_methods=("3DES-SHA1-2",))),
        "add policy name=Packet Filter mmpfs=no pollinginterval=180 mmlifetime=480 qmpermm=0 mmsecmethods=3DES-SHA1-2",
    ),
    (c.AddPolicy(Policy("P", assigned=True, default_rule=DefaultResponseRule(activate=False))), "add policy name=P"),
    (c.SetPolicy(Policy("P", description="Lockdown")), "set policy name=P description=Lockdown"),
    (c.DeletePolicy("P"), "delete policy name=P"),
    (c.AssignPolicy("P", True), "set policy name=P assign=yes"),
    (c.AssignPolicy("P", False), "set policy name=P assign=no"),
    (c.SetDefaultRule("P", DefaultResponseRule(activate=False)), "set defaultrule policy=P activate=no"),
    (
        c.SetDefaultRule("P", DefaultResponseRule(activate=True, qmpfs=False, qm_security_methods=(), auth_methods=(AuthMethod(AuthKind.KERBEROS),))),
        "set defaultrule policy=P activate=yes qmpfs=no qmsecmethods= kerberos=yes",
    ),
    (
        c.AddRule("P", Rule("Web", "Web", "Permit", True, ConnectionType.ALL, "", "", ())),
        "add rule name=Web policy=P filterlist=Web filteraction=Permit activate=yes conntype=all",
    ),
    (
        c.AddRule("P", Rule("Vpn", "L", "A", True, ConnectionType.LAN, "Tunnel", "10.9.9.9", (PSK, AuthMethod(AuthKind.KERBEROS), ROOT))),
        "add rule name=Vpn policy=P filterlist=L filteraction=A description=Tunnel activate=yes conntype=lan tunnel=10.9.9.9 "
        "psk=s3cret key kerberos=yes rootca=C=US, O=Example, CN=Root certmap:yes excludecaname:no",
    ),
    (c.SetRule("P", Rule("Web", filter_action="Block")), "set rule name=Web policy=P filteraction=Block"),
    (c.DeleteRule("P", "Web"), "delete rule name=Web policy=P"),
]


@pytest.mark.parametrize(("change", "expected"), CASES, ids=[f"{i}-{type(ch).__name__}" for i, (ch, dummy) in enumerate(CASES)])
def test_render_change(change, expected):
    argv = render_change(change)
    assert argv[:2] == ("ipsec", "static")
    # Compare argument by argument: a space inside a value must stay inside its argument.
    assert " ".join(argv[2:]) == expected
    assert all(argument == argument.strip() for argument in argv)


def test_values_with_spaces_stay_one_argument():
    argv = render_change(c.AddRule("Packet Filter", Rule("Inbound web protocols", "Inbound web", "Permit")))
    assert argv == ("ipsec", "static", "add", "rule", "name=Inbound web protocols", "policy=Packet Filter", "filterlist=Inbound web", "filteraction=Permit")
    assert command_line(argv) == 'netsh ipsec static add rule "name=Inbound web protocols" "policy=Packet Filter" "filterlist=Inbound web" filteraction=Permit'


def test_command_line_redacts_preshared_keys():
    argv = render_change(c.AddRule("P", Rule("R", "L", "A", auth_methods=(PSK,))))
    assert "s3cret" not in command_line(argv)
    assert "psk=********" in command_line(argv)
    assert '"psk=s3cret key"' in command_line(argv, redact=False)


def test_removing_a_tunnel_with_set_rule_is_refused():
    with pytest.raises(ValueError, match="tunnel"):
        render_change(c.SetRule("P", Rule("R", tunnel="")))


def test_render_plan_keeps_order():
    changes = (c.DeleteRule("P", "b"), c.DeleteRule("P", "a"))
    assert [argv[-2] for argv in render_plan(changes)] == ["name=b", "name=a"]


def test_unknown_change_type():
    with pytest.raises(TypeError):
        render_change(object())


def _seed_000_store() -> Store:
    web = FilterList(
        "Inbound web protocols",
        "",
        (Filter.build(protocol="tcp", destination_port=80), Filter.build(protocol="tcp", destination_port=443)),
    )
    everything = FilterList("All inbound traffic", "", (Filter.build(),))
    return Store.of(
        filter_lists=[web, everything],
        filter_actions=[FilterAction("Permit", Action.PERMIT, ""), FilterAction("Block", Action.BLOCK, "")],
        policies=[
            Policy(
                "Packet Filter",
                "",
                rules=(Rule("Inbound web protocols", "Inbound web protocols", "Permit"), Rule("All inbound traffic", "All inbound traffic", "Block")),
                default_rule=DefaultResponseRule(activate=False),
                assigned=True,
            )
        ],
    )


def test_creation_changes_order():
    kinds = [type(change).__name__ for change in creation_changes(_seed_000_store())]
    assert kinds == [
        "AddFilterAction", "AddFilterAction",
        "AddFilterList", "AddFilter",
        "AddFilterList", "AddFilter", "AddFilter",
        "AddPolicy", "SetDefaultRule", "AddRule", "AddRule",
        "AssignPolicy",
    ]


def test_render_script_is_the_canonical_text():
    assert render_script(_seed_000_store()) == (
        "pushd ipsec static\n"
        "\n"
        "add filteraction name=Block action=block\n"
        "\n"
        "add filteraction name=Permit action=permit\n"
        "\n"
        'add filterlist "name=All inbound traffic"\n'
        'add filter "filterlist=All inbound traffic" srcaddr=any dstaddr=me protocol=ANY mirrored=yes\n'
        "\n"
        'add filterlist "name=Inbound web protocols"\n'
        'add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=80 mirrored=yes\n'
        'add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=443 mirrored=yes\n'
        "\n"
        'add policy "name=Packet Filter"\n'
        'set defaultrule "policy=Packet Filter" activate=no\n'
        'add rule "name=All inbound traffic" "policy=Packet Filter" "filterlist=All inbound traffic" filteraction=Block\n'
        'add rule "name=Inbound web protocols" "policy=Packet Filter" "filterlist=Inbound web protocols" filteraction=Permit\n'
        'set policy "name=Packet Filter" assign=yes\n'
        "\n"
        "popd\n"
    )


def test_equal_stores_print_equal_text():
    assert render_script(_seed_000_store()) == render_script(_seed_000_store())
    assert render_script(Store()) == "pushd ipsec static\n\npopd\n"
