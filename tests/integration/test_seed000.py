"""Seed 000 ("Using IPSec to Lock Down a Server"): the web server and the mail server, and a role change.

The web server is built twice, on two fresh hosts: once step by step with the four object modules
(as the article's GUI walk-through does), once with a single ipsec_config task (as its IPSECPOL.EXE
script does). The two stores must come out the same.
"""

from __future__ import annotations

from ipsec_support import by_name, is_read, lifecycle_step, stable, task, unchanged

KERBEROS = [{"kerberos": True}]  # "Leaving the setting at its default (Kerberos) simplifies the rule creation"
WEB_LIST = {"name": "Inbound web protocols", "filters": [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": [80, 443]}]}
ALL_INBOUND = {"name": "All inbound traffic", "filters": [{"source": "any", "destination": "me", "protocol": "any"}]}
# "inbound connections to ports 110, 995, 143, 993, and 25 ... outbound connections to anywhere on port 25"
MAIL_LIST = {"name": "Inbound/outbound mail", "filters": [
    {"source": "any", "destination": "me", "protocol": "tcp", "destination_port": [110, 995, 143, 993, 25]},
    {"source": "me", "destination": "any", "protocol": "tcp", "destination_port": 25},
]}
PERMIT = {"name": "Permit", "action": "permit"}
BLOCK = {"name": "Block", "action": "block"}
WEB_RULE = {"name": "Inbound web protocols", "filter_list": "Inbound web protocols", "filter_action": "Permit", "authentication": KERBEROS}
MAIL_RULE = {"name": "Inbound/outbound mail", "filter_list": "Inbound/outbound mail", "filter_action": "Permit", "authentication": KERBEROS}
BLOCK_RULE = {"name": "All inbound traffic", "filter_list": "All inbound traffic", "filter_action": "Block", "authentication": KERBEROS}


def packet_filter(*rules: dict) -> dict:
    # "Uncheck Activate the default response rule."
    return {"name": "Packet Filter", "default_response_rule": {"activate": False}, "rules": list(rules)}


def server_config(role_list: dict, role_rule: dict) -> dict:
    return {
        "filter_actions": [PERMIT, BLOCK],
        "filter_lists": [role_list, ALL_INBOUND],
        "policies": [packet_filter(role_rule, BLOCK_RULE)],
        "assigned": "Packet Filter",
    }


WEB_SERVER = server_config(WEB_LIST, WEB_RULE)
MAIL_SERVER = server_config(MAIL_LIST, MAIL_RULE)

WEB_SERVER_STEPS = [
    task("ipsec_filter_action", PERMIT, "Permit action"),
    task("ipsec_filter_action", BLOCK, "Block action"),
    task("ipsec_filter_list", WEB_LIST, "Inbound web protocols list"),
    task("ipsec_filter_list", ALL_INBOUND, "All inbound traffic list"),
    task("ipsec_policy", packet_filter(WEB_RULE, BLOCK_RULE), "Packet Filter policy"),
    task("ipsec_assign", {"name": "Packet Filter"}, "Assign Packet Filter"),
]


def show_all(host, objects: int | None = 5) -> list[str]:
    """The emulator's ``show all`` text without Last Modified and GUID, one block per policy, filter
    list and filter action, sorted: the emulator prints objects in creation order, which is no
    property of the store (the four modules create them in the article's order, the one config
    task in its plan's)."""
    blocks: list[list[str]] = []
    previous = ""
    for line in stable(host.netsh("ipsec", "static", "show", "all")).split("\r\n"):
        # An object starts after a blank line; a rule's own FilterList/FilterAction lines do not.
        if not previous and line.startswith(("Policy Name ", "FilterList Name ", "FilterAction Name ")):
            blocks.append([])
        previous = line
        if blocks:
            blocks[-1].append(line)
    assert objects is None or len(blocks) == objects, blocks  # by default: Packet Filter, two lists, two actions
    return sorted("\r\n".join(block).strip() for block in blocks)


def test_web_server_by_four_modules_equals_web_server_by_one_config_task(host, make_host):
    by_modules, by_config = host, make_host("by-config")

    stepwise = by_modules.play([*WEB_SERVER_STEPS, task("ipsec_info", {}, "info")])
    assert stepwise.rc == 0, stepwise.stdout
    assert all(stepwise.task(step["name"])["changed"] for step in WEB_SERVER_STEPS)
    assert stepwise.round_trips == 2 * len(WEB_SERVER_STEPS) + 1

    at_once = by_config.play([task("ipsec_config", {"state": "merged", "config": WEB_SERVER}, "config"), task("ipsec_info", {}, "info")])
    assert at_once.rc == 0, at_once.stdout
    assert at_once.round_trips == 3  # one task: one read, one write; and the read-back

    assert stepwise.task("info")["config"] == at_once.task("info")["config"] == at_once.task("config")["after"]
    assert show_all(by_modules) == show_all(by_config)

    # What the article's figure 8 shows: two rules, Permit for the web list, Block for the rest,
    # the default response rule off, the policy assigned.
    store = at_once.task("info")["config"]
    assert store["assigned"] == "Packet Filter"
    policy = by_name(store["policies"], "Packet Filter")
    assert [(rule["filter_list"], rule["filter_action"]) for rule in policy["rules"]] == [
        ("All inbound traffic", "Block"), ("Inbound web protocols", "Permit"),
    ]
    assert policy["default_response_rule"]["activate"] is False
    assert [(f["protocol"], f["destination_port"]) for f in by_name(store["filter_lists"], "Inbound web protocols")["filters"]] == [
        ("tcp", 80), ("tcp", 443),
    ]
    text = "\r\n".join(show_all(by_config))
    assert "Assigned               : YES\r\n" in text and "Protocol               : TCP\r\n" in text

    # Both builds are idempotent: every task of a re-run only reads.
    again = by_modules.play(WEB_SERVER_STEPS)
    assert [again.task(step["name"])["changed"] for step in WEB_SERVER_STEPS] == [False] * len(WEB_SERVER_STEPS)
    assert again.round_trips == len(WEB_SERVER_STEPS) and all(is_read(batch) for batch in by_modules.batches()[-len(WEB_SERVER_STEPS):])
    unchanged(by_config, task("ipsec_config", {"state": "merged", "config": WEB_SERVER}, "config"))


def test_mail_server(host):
    dummy, read_back, dummy = lifecycle_step(host, task("ipsec_config", {"config": MAIL_SERVER}, "mail server"), [
        "netsh ipsec static add filteraction name=Block action=block qmpfs=no inpass=no soft=no",
        "netsh ipsec static add filteraction name=Permit action=permit qmpfs=no inpass=no soft=no",
        'netsh ipsec static add filterlist "name=All inbound traffic"',
        'netsh ipsec static add filterlist "name=Inbound/outbound mail"',
        'netsh ipsec static add policy "name=Packet Filter" mmpfs=no pollinginterval=180 mmlifetime=480 qmpermm=0 '
        '"mmsecmethods=3DES-SHA1-2 3DES-MD5-2 DES-SHA1-1 DES-MD5-1"',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=25 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=110 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=143 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=993 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=995 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=me dstaddr=any protocol=TCP srcport=0 dstport=25 mirrored=yes',
        'netsh ipsec static add rule "name=Inbound/outbound mail" "policy=Packet Filter" "filterlist=Inbound/outbound mail" '
        "filteraction=Permit activate=yes conntype=all kerberos=yes",
        'netsh ipsec static set defaultrule "policy=Packet Filter" activate=no qmpfs=no qmsecmethods=',
        'netsh ipsec static add filter "filterlist=All inbound traffic" srcaddr=any dstaddr=me protocol=ANY mirrored=yes',
        'netsh ipsec static add rule "name=All inbound traffic" "policy=Packet Filter" "filterlist=All inbound traffic" '
        "filteraction=Block activate=yes conntype=all kerberos=yes",
        'netsh ipsec static set policy "name=Packet Filter" assign=yes',
    ])
    mail = by_name(read_back["filter_lists"], "Inbound/outbound mail")["filters"]
    assert [(f["source"], f["destination"], f["destination_port"]) for f in mail] == [
        ("any", "me", 25), ("any", "me", 110), ("any", "me", 143), ("any", "me", 993), ("any", "me", 995), ("me", "any", 25),
    ]
    shown = host.netsh("ipsec", "static", "show", "filterlist", "name=Inbound/outbound mail", "level=verbose")
    assert "No. of Filters         : 6\r\n" in shown
    # The outbound SMTP filter, as the emulator holds it: from this host, any port, to anywhere, port 25.
    outbound = shown.split("Filter(s)")[1].split("\r\n\r\n")[-1]
    assert "Source IP Address      : <My IP Address>\r\n" in outbound and "Destination IP Address : <Any IP Address>\r\n" in outbound
    assert "Destination Port       : 25\r\n" in outbound
    unchanged(host, task("ipsec_config", {"config": MAIL_SERVER}, "mail server"))


def test_role_change_web_to_mail_with_replaced(host):
    # "quickly converting a web server into a mail server": replace the policy's rule set.
    host.play([task("ipsec_config", {"config": WEB_SERVER}, "web server")])
    change = task("ipsec_config", {"state": "replaced", "config": MAIL_SERVER}, "mail server")
    dummy, read_back, dummy = lifecycle_step(host, change, [
        'netsh ipsec static add filterlist "name=Inbound/outbound mail"',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=25 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=110 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=143 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=993 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=995 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound/outbound mail" srcaddr=me dstaddr=any protocol=TCP srcport=0 dstport=25 mirrored=yes',
        # make before break on the assigned policy: the mail permit before the web permit goes
        'netsh ipsec static add rule "name=Inbound/outbound mail" "policy=Packet Filter" "filterlist=Inbound/outbound mail" '
        "filteraction=Permit activate=yes conntype=all kerberos=yes",
        'netsh ipsec static delete rule "name=Inbound web protocols" "policy=Packet Filter"',
    ])
    policy = by_name(read_back["policies"], "Packet Filter")
    assert sorted(rule["name"] for rule in policy["rules"]) == ["All inbound traffic", "Inbound/outbound mail"]
    assert read_back["assigned"] == "Packet Filter"
    # replaced leaves objects the config does not name alone: the web list is still there, unused.
    assert "Inbound web protocols" in [item["name"] for item in read_back["filter_lists"]]
    unchanged(host, change)


def test_role_change_web_to_mail_with_overridden(host):
    # With names under an owner prefix, overridden also removes the web role's list; a list
    # someone else made (no prefix) stays.
    def owned(config: dict) -> dict:
        def rename(name: str) -> str:
            return f"LD - {name}"

        return {
            "filter_actions": [dict(item, name=rename(item["name"])) for item in config["filter_actions"]],
            "filter_lists": [dict(item, name=rename(item["name"])) for item in config["filter_lists"]],
            "policies": [dict(policy, name=rename(policy["name"]), rules=[
                dict(rule, filter_list=rename(rule["filter_list"]), filter_action=rename(rule["filter_action"])) for rule in policy["rules"]
            ]) for policy in config["policies"]],
            "assigned": rename(config["assigned"]),
        }

    built = host.play([
        task("ipsec_filter_list", {"name": "Helpdesk", "filters": [{"source": "10.1.2.3", "protocol": "tcp", "destination_port": 3389}]}, "helpdesk"),
        task("ipsec_config", {"state": "overridden", "owner_prefix": "LD - ", "config": owned(WEB_SERVER)}, "web server"),
    ])
    assert built.rc == 0 and built.task("web server")["changed"] is True
    helpdesk = stable(host.netsh("ipsec", "static", "show", "filterlist", "name=Helpdesk", "level=verbose"))

    change = task("ipsec_config", {"state": "overridden", "owner_prefix": "LD - ", "config": owned(MAIL_SERVER)}, "mail server")
    dummy, read_back, dummy = lifecycle_step(host, change, [
        'netsh ipsec static add filterlist "name=LD - Inbound/outbound mail"',
        'netsh ipsec static add filter "filterlist=LD - Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=25 mirrored=yes',
        'netsh ipsec static add filter "filterlist=LD - Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=110 mirrored=yes',
        'netsh ipsec static add filter "filterlist=LD - Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=143 mirrored=yes',
        'netsh ipsec static add filter "filterlist=LD - Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=993 mirrored=yes',
        'netsh ipsec static add filter "filterlist=LD - Inbound/outbound mail" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=995 mirrored=yes',
        'netsh ipsec static add filter "filterlist=LD - Inbound/outbound mail" srcaddr=me dstaddr=any protocol=TCP srcport=0 dstport=25 mirrored=yes',
        'netsh ipsec static add rule "name=Inbound/outbound mail" "policy=LD - Packet Filter" "filterlist=LD - Inbound/outbound mail" '
        '"filteraction=LD - Permit" activate=yes conntype=all kerberos=yes',
        'netsh ipsec static delete rule "name=Inbound web protocols" "policy=LD - Packet Filter"',
        'netsh ipsec static delete filterlist "name=LD - Inbound web protocols"',
    ])
    assert [item["name"] for item in read_back["filter_lists"]] == ["Helpdesk", "LD - All inbound traffic", "LD - Inbound/outbound mail"]
    assert read_back["assigned"] == "LD - Packet Filter"
    assert stable(host.netsh("ipsec", "static", "show", "filterlist", "name=Helpdesk", "level=verbose")) == helpdesk
    unchanged(host, change)
