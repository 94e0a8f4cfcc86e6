"""ipsec_filter_list through real ansible-playbook runs against the emulated host."""

from __future__ import annotations

from ipsec_support import EMPTY_STORE, lifecycle_step, unchanged

WEB = {"name": "Inbound web protocols", "filters": [{"protocol": "tcp", "destination_port": [80, 443]}]}


def task(args: dict, name: str = "filter list") -> dict:
    return {"name": name, "lockdown.ipsec.ipsec_filter_list": args}


def test_create_rerun_check_diff_modify_remove(host):
    created = host.play([task(WEB)], diff=True)
    assert created.rc == 0, created.stdout
    result = created.task("filter list")
    assert result["changed"] is True
    assert result["commands"] == [
        'netsh ipsec static add filterlist "name=Inbound web protocols"',
        'netsh ipsec static add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=80 mirrored=yes',
        'netsh ipsec static add filter "filterlist=Inbound web protocols" srcaddr=any dstaddr=me protocol=TCP srcport=0 dstport=443 mirrored=yes',
    ]
    assert created.round_trips == 2
    assert "+add filter" in created.stdout and "dstport=443" in created.stdout

    again = host.play([task(WEB)])
    assert again.rc == 0 and again.task("filter list")["changed"] is False and again.round_trips == 1

    modified = dict(WEB, filters=[{"protocol": "tcp", "destination_port": [80, 8443]}])
    snapshot = host.store_bytes()
    checked = host.play([task(modified)], check=True, diff=True)
    assert checked.rc == 0 and checked.round_trips == 1 and host.store_bytes() == snapshot
    predicted = checked.task("filter list")
    assert predicted["changed"] is True
    assert [f["destination_port"] for f in predicted["after"]["filter_lists"][0]["filters"]] == [80, 8443]

    applied = host.play([task(modified)])
    assert applied.task("filter list")["after"] == predicted["after"]
    shown = host.netsh("ipsec", "static", "show", "filterlist", "all", "level=verbose")
    assert "Destination Port       : 8443\r\n" in shown and "Destination Port       : 443\r\n" not in shown

    removed = host.play([task({"name": WEB["name"], "state": "absent"})])
    assert removed.task("filter list")["commands"] == ['netsh ipsec static delete filterlist "name=Inbound web protocols"']
    assert "IPsec[05067]" in host.netsh("ipsec", "static", "show", "filterlist", "all")


# --- the full cycle with the shared assertions (ipsec_support), and the filter identity rules ----------

ADMIN = {
    "name": "Admin",
    "description": "Management",
    "filters": [
        {"source": "10.0.0.0/24", "protocol": "tcp", "destination_port": "3389"},
        {"source": "192.168.1.5", "protocol": "udp", "source_port": "1000-1002", "destination_port": 53,
         "mirrored": False, "description": "dns"},
        {"source": "any", "destination": "me", "protocol": "icmp"},
    ],
}
ADMIN_COMMANDS = [
    "netsh ipsec static add filterlist name=Admin description=Management",
    "netsh ipsec static add filter filterlist=Admin srcaddr=any dstaddr=me protocol=ICMP mirrored=yes",
    "netsh ipsec static add filter filterlist=Admin srcaddr=10.0.0.0 srcmask=255.255.255.0 dstaddr=me protocol=TCP srcport=0 dstport=3389 mirrored=yes",
    *(f"netsh ipsec static add filter filterlist=Admin srcaddr=192.168.1.5 srcmask=255.255.255.255 dstaddr=me protocol=UDP "
      f"srcport={port} dstport=53 mirrored=no description=dns" for port in (1000, 1001, 1002)),
]


def test_check_predicts_create_then_other_spellings_are_idempotent(host):
    created, read_back, dummy = lifecycle_step(host, task(ADMIN), ADMIN_COMMANDS)
    assert created["before"] == EMPTY_STORE
    assert [(f["source"], f["protocol"], f["source_port"], f["destination_port"]) for f in read_back["filter_lists"][0]["filters"]] == [
        ("any", "icmp", 0, 0),
        ("10.0.0.0/24", "tcp", 0, 3389),
        ("192.168.1.5", "udp", 1000, 53),
        ("192.168.1.5", "udp", 1001, 53),
        ("192.168.1.5", "udp", 1002, 53),
    ]
    shown = host.netsh("ipsec", "static", "show", "filterlist", "name=Admin", "level=verbose")
    assert "No. of Filters         : 5\r\n" in shown

    # The same filters spelled differently: mask instead of /nn, protocol numbers and upper case,
    # a port list with a repeat, a range split into a port and a smaller range, /32 on a host,
    # 0.0.0.0/0 for any. Nothing to do, in one round trip, also in check mode.
    same = {
        "name": "Admin",
        "description": "Management",
        "filters": [
            {"source": "10.0.0.0", "source_mask": "255.255.255.0", "protocol": "6", "destination_port": [3389, 3389]},
            {"source": "192.168.1.5/32", "protocol": "UDP", "source_port": [1000, "1001-1002"], "destination_port": "53",
             "mirrored": False, "description": "dns"},
            {"source": "0.0.0.0/0", "protocol": 1},
        ],
    }
    unchanged(host, task(same))
    unchanged(host, task(same), check=True)


def test_merge_adds_only_and_exact_deletes_only_the_extras(host):
    host.play([task(ADMIN)])
    rdp_from_ops = {"source": "10.0.1.0/24", "protocol": "tcp", "destination_port": 3389}
    dummy, read_back, played = lifecycle_step(
        host,
        task({"name": "Admin", "filters_mode": "merge", "filters": [rdp_from_ops, {"source": "any", "protocol": "icmp"}]}),
        ["netsh ipsec static add filter filterlist=Admin srcaddr=10.0.1.0 srcmask=255.255.255.0 dstaddr=me protocol=TCP srcport=0 dstport=3389 mirrored=yes"],
    )
    assert len(read_back["filter_lists"][0]["filters"]) == 6
    assert read_back["filter_lists"][0]["description"] == "Management"  # left out: kept

    # exact: the one wanted filter stays (it is not deleted and re-added), the five others go.
    exact, read_back, played = lifecycle_step(host, task({"name": "Admin", "filters": [rdp_from_ops]}), [
        "netsh ipsec static delete filter filterlist=Admin srcaddr=any dstaddr=me protocol=ICMP mirrored=yes",
        "netsh ipsec static delete filter filterlist=Admin srcaddr=10.0.0.0 srcmask=255.255.255.0 dstaddr=me protocol=TCP srcport=0 dstport=3389 mirrored=yes",
        *(f"netsh ipsec static delete filter filterlist=Admin srcaddr=192.168.1.5 srcmask=255.255.255.255 dstaddr=me protocol=UDP "
          f"srcport={port} dstport=53 mirrored=no" for port in (1000, 1001, 1002)),
    ])
    assert "-add filter filterlist=Admin srcaddr=any dstaddr=me protocol=ICMP mirrored=yes" in played.stdout
    shown = host.netsh("ipsec", "static", "show", "filterlist", "name=Admin", "level=verbose")
    assert "No. of Filters         : 1\r\n" in shown and "Source IP Address      : 10.0.1.0\r\n" in shown

    # Only the description given: the filters are not managed and stay.
    dummy, read_back, played = lifecycle_step(host, task({"name": "Admin", "description": "Only RDP"}), [
        'netsh ipsec static set filterlist name=Admin "description=Only RDP"',
    ])
    assert read_back["filter_lists"][0]["filters"] == exact["after"]["filter_lists"][0]["filters"]

    dummy, read_back, played = lifecycle_step(host, task({"name": "Admin", "state": "absent"}), [
        "netsh ipsec static delete filterlist name=Admin",
    ])
    assert read_back == EMPTY_STORE
    unchanged(host, task({"name": "Admin", "state": "absent"}))
