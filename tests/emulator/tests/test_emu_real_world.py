"""What public scripts really write (REAL-WORLD.md "Syntax real scripts use"), row by row: A-110 to A-118.

Each test names the table row it covers. Rows the emulator refuses on purpose (free text after the last
tag, misspelt tags, CIDR text, a filter action the script never created) are tested to change nothing.
"""

from __future__ import annotations

import json

import pytest


def _store(emu) -> dict:
    return json.loads(emu.state.read_text("utf-8"))


def _filters(emu, name: str = "L") -> list[dict]:
    return next(f for f in _store(emu)["filterlists"] if f["name"] == name)["filters"]


def _policy(emu, name: str) -> dict:
    return next(p for p in _store(emu)["policies"] if p["name"] == name)


def _refused_netsh_level(emu, cmd: str, fragment: str) -> None:
    before = emu.state.read_bytes() if emu.state.exists() else None
    res = emu(cmd)
    assert res.rc == 1 and fragment in res.out and "IPsec[" not in res.out, (cmd, res.out)
    assert (emu.state.read_bytes() if emu.state.exists() else None) == before


# --- `me` / `any` / protocols in any case (23+10+1, 15+7+3, 19/19 sources): A-112 -----------------

@pytest.mark.parametrize(("me", "any_", "protocol"), [
    ("me", "any", "tcp"), ("Me", "Any", "TCP"), ("ME", "ANY", "Tcp"), ("mE", "aNy", "6"),
])
def test_me_any_and_protocol_in_any_case(emu, me, any_, protocol):
    emu.ok(f"add filter filterlist=L srcaddr={any_} dstaddr={me} protocol={protocol} dstport=80")
    emu.ok(f"add filter filterlist=L srcaddr={me} dstaddr={any_} protocol={protocol.swapcase()} srcport=0")
    first, second = _filters(emu)
    assert (first["src"]["kind"], first["dst"]["kind"], first["protocol"], first["dstport"]) == ("any", "me", 6, 80)
    assert (second["src"]["kind"], second["dst"]["kind"], second["protocol"]) == ("me", "any", 6)


@pytest.mark.parametrize(("spelling", "number"), [
    ("udp", 17), ("UDP", 17), ("icmp", 1), ("ICMP", 1), ("any", 0), ("ANY", 0), ("Any", 0),
])
def test_protocol_names_lower_and_upper_case(emu, spelling, number):
    emu.ok(f"add filter L any me protocol={spelling}")
    assert _filters(emu)[0]["protocol"] == number


# --- booleans: assign=yes/y/no/n, quoted values, mirrored (18/15/8, 3, 14/3 sources): A-112 --------

@pytest.mark.parametrize(("cmd", "assigned"), [
    ("add policy P assign=yes", True),
    ("add policy P assign=y", True),
    ("add policy P assign = y", True),
    ("add policy P assign=Y", True),
    ('add policy P assign="yes"', True),
    ("add policy P assign=no", False),
    ("add policy P assign=n", False),
    ("add policy P assign = n", False),
])
def test_assign_spellings(emu, cmd, assigned):
    emu.ok(cmd)
    assert _policy(emu, "P")["assigned"] is assigned


def test_quoted_yes_no_values_reach_netsh_unquoted(emu):
    # `mmpfs="no"`, `assign="yes"` (3 sources): the CRT strips the quotes before netsh sees them
    emu.ok('add policy name="P" mmpfs="no" assign="yes" pollinginterval="5"')
    policy = _policy(emu, "P")
    assert (policy["mmpfs"], policy["assigned"], policy["pollinginterval"]) == (False, True, 5)


def test_mirrored_yes_and_no_explicitly(emu):
    emu.ok("add filter L any me mirrored=yes")
    emu.ok("add filter L any me mirrored=no")
    emu.ok("add filter L any me mirrored=NO")
    assert [f["mirrored"] for f in _filters(emu)] == [True, False, False]


# --- description in double quotes (14), `desc=`, `mirror=`, `filter=` (2, 2, 2 sources): A-110 -----

def test_description_in_double_quotes_and_desc_abbreviation(emu):
    emu.ok('add policy P description="Block SMB from the internet"')
    emu.ok('add policy Q desc="Allow RDP, admins only"')
    emu.ok('add filterlist L desc="web servers"')
    assert [p["description"] for p in _store(emu)["policies"]] == ["Block SMB from the internet", "Allow RDP, admins only"]
    assert _store(emu)["filterlists"][0]["description"] == "web servers"


def test_mirror_abbreviation(emu):
    emu.ok("add filter filterlist=L srcaddr=any dstaddr=me mirror=no protocol=tcp dstport=3389")
    assert _filters(emu)[0]["mirrored"] is False


@pytest.mark.parametrize("tag", ["filter", "FILTER", "Filter"])
def test_filter_means_filterlist_in_add_rule(emu, tag):
    emu.ok("add policy P")
    emu.ok("add filteraction A action=block")
    emu.ok("add filter L any me")
    emu.ok(f"add rule name=R policy=P {tag}=L filteraction=A")
    rule = _policy(emu, "P")["rules"][0]
    assert rule["filterlist"] == _store(emu)["filterlists"][0]["guid"]
    assert rule["filteraction"] == _store(emu)["filteractions"][0]["guid"]


def test_filter_means_filterlist_in_set_rule(emu):
    emu.ok("add policy P")
    emu.ok("add filteraction A action=block")
    emu.ok("add filter L any me")
    emu.ok("add filter L2 any me protocol=tcp dstport=80")
    emu.ok("add rule name=R policy=P filterlist=L filteraction=A")
    emu.ok("set rule name=R policy=P filter = L2")
    lists = {f["name"]: f["guid"] for f in _store(emu)["filterlists"]}
    assert _policy(emu, "P")["rules"][0]["filterlist"] == lists["L2"]


@pytest.mark.parametrize("cmd", [
    "add rule name=R policy=P filte=L filteraction=A",
    "add rule name=R policy=P fil=L filteraction=A",
    "set rule name=R policy=P f=L",
])
def test_other_prefixes_of_filterlist_and_filteraction_stay_ambiguous(emu, cmd):
    _refused_netsh_level(emu, cmd, "is ambiguous for")


def test_filter_is_no_alias_where_it_names_nothing(emu):
    _refused_netsh_level(emu, "add policy P filter=L", 'The tag "filter" is not valid for "add policy".')


def test_filter_and_filterlist_together_are_the_same_tag_twice(emu):
    _refused_netsh_level(emu, "add rule name=R policy=P filter=L filterlist=L filteraction=A",
                         'The tag "filterlist" is given more than once')


# --- implicit filter list creation (11), policy assigned before its rules (9): A-114 ---------------

def test_add_filter_creates_its_filter_list(emu):
    emu.ok("add filter filterlist=Blocked srcaddr=203.0.113.7 dstaddr=me")
    emu.ok("add filter filterlist=Blocked srcaddr=203.0.113.8 dstaddr=me")
    (fl,) = _store(emu)["filterlists"]
    assert fl["name"] == "Blocked" and fl["description"] == "" and len(fl["filters"]) == 2
    # the list it created is an ordinary list: add filterlist now finds it
    emu.err("add filterlist Blocked", 5010)


def test_policy_assigned_before_any_rule_takes_rules_afterwards(emu):
    emu.ok("add policy name=Lockdown assign=y")
    assert _policy(emu, "Lockdown")["assigned"] is True and _policy(emu, "Lockdown")["rules"] == []
    emu.ok("add filteraction name=Block action=block")
    emu.ok("add filter filterlist=All srcaddr=any dstaddr=me")
    emu.ok("add rule name=BlockAll policy=Lockdown filterlist=All filteraction=Block")
    policy = _policy(emu, "Lockdown")
    assert policy["assigned"] is True and [r["name"] for r in policy["rules"]] == ["BlockAll"]


# --- masks, ranges, ports 0, host names (9/4, 2, 12, 2 sources): A-115 ------------------------------

@pytest.mark.parametrize(("srcmask", "dstmask"), [("255.255.255.0", "255.0.0.0"), ("24", "8")])
def test_masks_dotted_or_prefix_length(emu, srcmask, dstmask):
    emu.ok(f"add filter L srcaddr=192.168.1.0 srcmask={srcmask} dstaddr=10.0.0.0 dstmask={dstmask}")
    flt = _filters(emu)[0]
    assert (flt["src"]["mask"], flt["dst"]["mask"]) == ("255.255.255.0", "255.0.0.0")


def test_zero_masks_and_host_masks(emu):
    emu.ok("add filter L srcaddr=0.0.0.0 srcmask=0.0.0.0 dstaddr=10.1.2.3 dstmask=32")
    emu.ok("add filter L srcaddr=any srcmask=32 dstaddr=10.1.2.3 dstmask=255.255.255.255")
    first, second = _filters(emu)
    assert (first["src"]["mask"], first["dst"]["mask"]) == ("0.0.0.0", "255.255.255.255")
    assert (second["src"]["kind"], second["src"]["mask"]) == ("any", "0.0.0.0")


def test_address_range(emu):
    emu.ok("add filter L srcaddr=10.0.0.1-10.0.0.50 dstaddr=me protocol=tcp dstport=445")
    assert _filters(emu)[0]["src"] == {"kind": "range", "value": "10.0.0.1-10.0.0.50", "name": "", "mask": None}


@pytest.mark.parametrize("addr", ["10.0.0.0/8", "192.168.1.0/24"])
def test_cidr_text_is_refused(emu, addr):
    # "address range or CIDR text" (2 sources): no source shows netsh reading a/n, so it is refused
    emu.err(f"add filter L srcaddr={addr} dstaddr=me", 5907)
    assert not emu.state.exists() or _store(emu)["filterlists"] == []


def test_ports_zero_mean_any(emu):
    emu.ok("add filter L any me srcport=0 dstport=0")
    emu.ok("add filter L any me protocol=tcp srcport=0 dstport=0")
    assert [(f["srcport"], f["dstport"]) for f in _filters(emu)] == [(0, 0), (0, 0)]


def test_host_name_as_address(emu):
    emu.ok("add filter L srcaddr=any dstaddr=localhost protocol=tcp dstport=8080")
    dst = _filters(emu)[0]["dst"]
    assert dst["kind"] == "dns" and dst["name"] == "localhost"


# --- positional names and level, `del rule all X`, free text (6, 4 sources): A-111 ------------------

def test_positional_object_names(emu):
    emu.ok("add policy Lockdown")
    emu.ok('add filterlist "Domain Controllers"')
    assert "FilterList Name        : Domain Controllers" in emu.ok('show filterlist "Domain Controllers"')
    assert "Policy Name            : Lockdown" in emu.ok("show policy Lockdown")
    emu.ok("delete policy Lockdown")
    emu.ok('delete filterlist "Domain Controllers"')
    store = _store(emu)
    assert store["policies"] == [] and store["filterlists"] == []


def test_positional_level_after_name(emu):
    emu.ok("add policy P")
    emu.ok("add filteraction A action=block")
    emu.ok("add filter L any me")
    emu.ok("add rule R P L A")
    verbose = emu.ok("show policy name=P level=verbose")
    assert "Rule Name" in verbose and "Rule Name" not in emu.ok("show policy name=P")
    assert emu.ok("show policy name=P verbose") == verbose
    assert emu.ok("show policy all verbose") == emu.ok("show policy all level=verbose")


def test_del_rule_all_then_policy_positionally(emu):
    emu.ok("add policy P")
    emu.ok("add policy Q")
    emu.ok("add filteraction A action=block")
    emu.ok("add filter L any me")
    for policy in ("P", "Q"):
        emu.ok(f"add rule R1 {policy} L A")
        emu.ok(f"add rule R2 {policy} L A")
    emu.ok("del rule all P")
    assert _policy(emu, "P")["rules"] == [] and len(_policy(emu, "Q")["rules"]) == 2
    emu.ok("delete rule all policy=Q")
    assert _policy(emu, "Q")["rules"] == []


def test_untagged_value_follows_the_tag_before_it(emu):
    # in usage order this is the i-th tag for argument i, as the help examples write it [S2][S5]
    emu.ok("add filter filterlist=L any srcmask=32 srcport=0 dstaddr=me")
    emu.ok("add filter L srcaddr=10.0.0.1 me")                   # me follows srcaddr: dstaddr
    assert [f["dst"]["kind"] for f in _filters(emu)] == ["me", "me"]


def test_untagged_value_for_a_tag_already_given_is_refused(emu):
    _refused_netsh_level(emu, "add filter srcaddr=any filterlist=L me dstaddr=me", 'The tag "srcaddr" is given more than once')


def test_delete_rule_name_then_id_positionally(emu):
    # the second untagged value of delete rule is the id, not the policy: usage text, nothing deleted
    emu.ok("add policy P")
    res = emu("delete rule R P")
    assert res.rc == 1 and res.out.lstrip().startswith("Usage:")


@pytest.mark.parametrize("cmd", [
    "add filter filterlist=L srcaddr=any dstaddr=me protocol=tcp dstport=80 对外服务端口",
    "add filter filterlist=L srcaddr=any dstaddr=me protocol=tcp srcport=0 dstport=80 web",
    "add policy name=P assign=no mmsecmethods=3DES-SHA1-2 trailing",
    "delete filter L any me protocol=tcp srcport=0 dstport=80 说明",
])
def test_free_text_after_the_last_tag_is_refused(emu, cmd):
    _refused_netsh_level(emu, cmd, "cannot be placed positionally")


def test_free_text_that_lands_on_a_value_is_refused_by_that_value(emu):
    # after protocol comes mirrored: the text is not yes/no, so the command fails and changes nothing
    emu.err("add filter filterlist=L srcaddr=any dstaddr=me protocol=tcp 对外服务端口", 5907)
    assert not emu.state.exists() or _store(emu)["filterlists"] == []


@pytest.mark.parametrize(("cmd", "tag"), [
    ("add filter filterlist=L srcaddy=any dstaddr=me", "srcaddy"),
    ("add rule name=R policy=P filterlist=L filteraction=A contype=all", "contype"),
])
def test_misspelt_tags_are_refused(emu, cmd, tag):
    _refused_netsh_level(emu, cmd, f'The tag "{tag}" is not valid for')


def test_rule_naming_a_filter_action_never_created_is_refused(emu):
    emu.ok("add policy P")
    emu.ok("add filter L any me")
    before = emu.state.read_bytes()
    emu.err("add rule name=R policy=P filterlist=L filteraction=NeverCreated", 5902)
    assert emu.state.read_bytes() == before


# --- spacing, keyword spellings, `del` (5, 4, 4 sources): A-113 ------------------------------------

def test_spaces_around_equals(emu):
    emu.ok("add policy name = P")
    emu.ok("add filteraction name =A action =block")
    emu.ok("add filter filterlist= L srcaddr =any dstaddr = me")
    emu.ok("add rule name = R policy = P filterlist = L filteraction =  A")
    assert [r["name"] for r in _policy(emu, "P")["rules"]] == ["R"]
    assert _store(emu)["filteractions"][0]["action"] == "block"


def test_double_spaces_and_any_tag_order(emu):
    emu.ok("add filter  dstport=445   protocol=TCP  dstaddr=me  srcaddr=any  filterlist=L")
    flt = _filters(emu)[0]
    assert (flt["src"]["kind"], flt["dst"]["kind"], flt["protocol"], flt["dstport"]) == ("any", "me", 6, 445)


@pytest.mark.parametrize("context", [["IPsec", "static"], ["IPSEC", "STATIC"], ["Ipsec", "Static"]])
def test_context_keyword_spellings(emu, context):
    assert emu.argv([*context, "add", "policy", "P"]).rc == 0
    assert _policy(emu, "P")["name"] == "P"


def test_del_abbreviation_and_delete_all(emu):
    emu.ok("add policy P assign=y")
    emu.ok("add policy Q")
    emu.ok("add filteraction A action=permit")
    emu.ok("add filter L any me")
    emu.ok("del policy all")
    assert _store(emu)["policies"] == [] and _store(emu)["filterlists"] != []
    emu.ok("del filterlist L")
    emu.ok("del filteraction A")
    emu.ok("add policy P assign=yes")
    emu.ok("add filter L any me")
    emu.ok("add filteraction A")
    emu.ok("add rule R P L A")
    emu.ok("del all")
    store = _store(emu)
    assert (store["policies"], store["filterlists"], store["filteractions"]) == ([], [], [])
    emu.ok("add policy P")
    emu.ok("delete all")
    assert _store(emu)["policies"] == []
    emu.ok("delete all")                                          # an empty store is fine too


# --- set store, exportpolicy / importpolicy, set rule flip (4, 2, 1 sources): A-116 ----------------

@pytest.mark.parametrize("cmd", ["set store location=local", "set store local", "set store LOCAL",
                                 "set store location = local"])
def test_set_store_local_changes_nothing(emu, cmd):
    emu.ok("add policy P")
    before = emu.state.read_bytes()
    emu.ok(cmd)
    assert emu.state.read_bytes() == before


def test_export_then_import_positionally_and_tagged(emu, tmp_path):
    emu.ok("add policy P assign=yes")
    emu.ok("add filter L any me")
    target = tmp_path / "ipsec.ipsec"
    emu.ok(f'exportpolicy file = "{target}"')
    emu.ok("delete all")
    emu.ok(f'importpolicy "{target}"')
    assert [p["name"] for p in _store(emu)["policies"]] == ["P"] and _policy(emu, "P")["assigned"] is False


def test_set_rule_flips_between_permit_and_block(emu):
    emu.ok("add policy P")
    emu.ok("add filteraction name=Permit action=Permit")
    emu.ok("add filteraction name=Block action=Block")
    emu.ok("add filter L any me protocol=tcp dstport=3389")
    emu.ok("add rule name=RDP policy=P filterlist=L filteraction=Permit")
    actions = {a["name"]: (a["guid"], a["action"]) for a in _store(emu)["filteractions"]}
    assert actions == {"Permit": (actions["Permit"][0], "permit"), "Block": (actions["Block"][0], "block")}
    emu.ok("set rule name=RDP policy=P filteraction=Block")
    assert _policy(emu, "P")["rules"][0]["filteraction"] == actions["Block"][0]
    emu.ok("set rule name=RDP policy=P filteraction=Permit")
    assert _policy(emu, "P")["rules"][0]["filteraction"] == actions["Permit"][0]


# --- default response rule, negotiate, auth, main mode (8; 5, 4, 4, 3, 3; 3, 2 sources): A-117 ------

def test_default_response_rule_off(emu):
    emu.ok("add policy P activatedefaultrule=no")
    emu.ok("add policy Q")
    emu.ok("set defaultrule policy=Q activate=no")
    assert [p["default_rule"]["activate"] for p in _store(emu)["policies"]] == [False, False]


def test_negotiate_with_auth_methods_and_main_mode_options(emu):
    emu.ok('add policy P pollinginterval=5 mmsec="3DES-SHA1-2" mmpfs=no mmlifetime=60')
    emu.ok('add filteraction N action=negotiate qmsec="ESP[3DES,SHA1]:3600s"')
    emu.ok('add filteraction M action=negotiate qmsecmethods="ESP[3DES,SHA1]:100000k/3600s AH[SHA1]:3600s"')
    emu.ok("add filter L any me")
    emu.ok("add rule name=K policy=P filterlist=L filteraction=N kerberos=yes conntype=lan")
    emu.ok('add rule name=S policy=P filterlist=L filteraction=M psk="shared secret" conntype=all')
    policy = _policy(emu, "P")
    assert (policy["pollinginterval"], policy["mmsecmethods"], policy["mmpfs"], policy["mmlifetime"]) == (5, ["3DES-SHA1-2"], False, 60)
    rules = {r["name"]: r for r in policy["rules"]}
    assert rules["K"]["auth"] == [{"kind": "kerberos"}] and rules["K"]["conntype"] == "lan"
    assert rules["S"]["auth"] == [{"kind": "psk", "key": "shared secret"}]
    assert [a["qmsecmethods"] for a in _store(emu)["filteractions"]] == [
        ["ESP[3DES,SHA1]:3600s"], ["ESP[3DES,SHA1]:100000k/3600s", "AH[SHA1]:3600s"]]


# --- non-ASCII names unquoted (14 sources): A-119 (netsh side) ---------------------------------------

def test_non_ascii_names_and_descriptions_unquoted(emu):
    emu.ok("add policy 安全策略 description=封锁端口")
    emu.ok("add filteraction name=Блокировать action=block")
    emu.ok("add filter filterlist=차단목록 srcaddr=any dstaddr=me protocol=tcp dstport=445")
    emu.ok("add rule name=规则 policy=安全策略 filterlist=차단목록 filteraction=Блокировать")
    store = _store(emu)
    assert (store["policies"][0]["name"], store["policies"][0]["description"]) == ("安全策略", "封锁端口")
    assert store["policies"][0]["rules"][0]["name"] == "规则"
    assert [f["name"] for f in store["filterlists"]] == ["차단목록"]
    out = emu("show policy 安全策略", encoding="cp936", NETSH_EMU_CODEPAGE="936").out
    assert "安全策略" in out


# --- delete filter with the full spec; a mismatch is 05050 (5 sources): A-118 ----------------------

def test_delete_filter_with_the_spec_it_was_added_with(emu):
    spec = "filterlist=Ban srcaddr=198.51.100.9 srcmask=255.255.255.255 dstaddr=Me protocol=TCP srcport=0 dstport=3389"
    emu.ok("add filter " + spec)
    emu.ok("add filter filterlist=Ban srcaddr=198.51.100.10 dstaddr=me")
    emu.ok("delete filter " + spec)
    assert [f["src"]["value"] for f in _filters(emu, "Ban")] == ["198.51.100.10"]
    line = emu.err("delete filter " + spec, 5050)
    assert line == "ERR IPsec[05050] : Filter with the specified spec does not exist in FilterList with name 'Ban'.\r\n"
