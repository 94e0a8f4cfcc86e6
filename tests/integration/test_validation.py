"""Bad input fails before anything touches the host, with a clear message naming the field and the value.

The cases run grouped (one ansible-playbook run per group, ``ignore_errors`` on every task; each
run costs ~1.5 s) against one host that already holds seed 000's web server, and each case is then
asserted on its own:

* pure-input errors: the whole group costs **zero** round trips, so every case in it costs zero;
* errors that need the host's store (unknown references, deleting what is in use, ...): the group
  costs exactly one round trip per case, all of them reads, and none can be answered with fewer
  than one read, so every case costs exactly its read.

In both groups the store file is byte for byte what it was.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from ipsec_support import is_read, task

SECRET = "Pr3shared-Val1dation-K3y"
# Keys come from a variable, as from a vault: a literal key in the playbook would be printed by
# ansible-core itself, in the source excerpt ("Origin: ...") it shows under a failed task.
KEY, KEY2 = "{{ psk }}", "{{ psk }}2"


class Case(NamedTuple):
    id: str
    module: str
    args: dict
    expected: tuple  # substrings of the message: the field, the value (as repr shows it), the reason


def case(id_: str, module: str, args: dict, *expected: str, marks=()):
    return pytest.param(Case(id_, module, args, expected), id=id_, marks=marks)


RULE = {"name": "r", "filter_list": "L", "filter_action": "A"}


def one_filter(**fields) -> dict:
    return {"name": "Validation", "filters": [fields]}


PURE = [
    # addresses, masks, prefixes, ranges
    case("bad address", "ipsec_filter_list", one_filter(source="10.0.0.300"), "filters[0].source:", "'10.0.0.300'"),
    case("bad address in config", "ipsec_config", {"config": {"filter_lists": [one_filter(destination="10.0.0.1.5")]}},
         "config.filter_lists[0].filters[0].destination:", "'10.0.0.1.5'"),
    case("bad mask", "ipsec_filter_list", one_filter(source="10.0.0.0", source_mask="255.0.255.0"),
         "filters[0].source_mask:", "'255.0.255.0'", "contiguous"),
    case("bad prefix as mask", "ipsec_filter_list", one_filter(source="10.0.0.0", source_mask="33"),
         "filters[0].source_mask:", "'33'", "0-32"),
    case("bad prefix on the address", "ipsec_filter_list", one_filter(source="10.0.0.0/33"),
         "filters[0].source:", "'10.0.0.0/33'", "0-32"),
    case("mask and prefix both", "ipsec_filter_list", one_filter(source="10.0.0.0/24", source_mask="255.255.255.0"),
         "filters[0].source_mask:", "not both"),
    case("reversed address range", "ipsec_filter_list", one_filter(source="10.0.0.9-10.0.0.1"),
         "filters[0].source:", "'10.0.0.9-10.0.0.1'", "lower"),
    case("mixed-family range", "ipsec_filter_list", one_filter(destination="10.0.0.1-::1"),
         "filters[0].destination:", "'10.0.0.1-::1'", "same family"),
    case("server type against any", "ipsec_filter_list", one_filter(source="dns", destination="any"),
         "filters[0].destination:", "'any'", "must be me"),
    # ports and protocols
    case("port above 65535", "ipsec_filter_list", one_filter(protocol="tcp", destination_port=70000),
         "filters[0].destination_port:", "70000", "0-65535"),
    case("negative port", "ipsec_filter_list", one_filter(protocol="udp", source_port=-1), "filters[0].source_port:", "-1"),
    case("port range beyond 65535", "ipsec_filter_list", one_filter(protocol="tcp", destination_port="1-70000"),
         "filters[0].destination_port:", "'1-70000'", "1-65535"),
    case("reversed port range", "ipsec_filter_list", one_filter(protocol="tcp", destination_port="200-100"),
         "filters[0].destination_port:", "'200-100'"),
    case("port in a list out of range", "ipsec_filter_list", one_filter(protocol="tcp", destination_port=[80, 65536]),
         "filters[0].destination_port[1]:", "65536"),
    case("expansion cap", "ipsec_filter_list", one_filter(protocol="tcp", source_port="1-100", destination_port="1-100"),
         "filters[0].destination_port:", "10,000 filters", "1,024"),
    case("port with icmp", "ipsec_filter_list", one_filter(protocol="icmp", destination_port=5),
         "filters[0].destination_port:", "(got 5)", "icmp"),
    case("unknown protocol", "ipsec_filter_list", one_filter(protocol="sctpx"), "filters[0].protocol:", "'sctpx'"),
    case("protocol number 256", "ipsec_filter_list", one_filter(protocol=256), "filters[0].protocol:", "256", "0-255"),
    # names and descriptions netsh cannot be given safely
    case("quote in a list name", "ipsec_filter_list", {"name": 'Web "prod"'}, "name:", repr('Web "prod"'), "double quote"),
    case("CR in a list name", "ipsec_filter_list", {"name": "Web\rprod"}, "name:", repr("Web\rprod"), "control characters"),
    case("LF in an action name", "ipsec_filter_action", {"name": "Block\nall", "action": "block"}, "name:", repr("Block\nall")),
    case("NUL in a list name", "ipsec_filter_list", {"name": "{{ nul_name }}"}, "name:", repr("Web\x00prod"), "NUL"),
    case("NUL in a policy description", "ipsec_policy", {"name": "Validation", "description": "{{ nul_name }}"},
         "description:", repr("Web\x00prod")),
    case("quote in an action description", "ipsec_filter_action", {"name": "Validation", "action": "block", "description": 'say "no"'},
         "description:", repr('say "no"')),
    case("LF in a filter description", "ipsec_filter_list", one_filter(description="two\nlines"),
         "filters[0].description:", repr("two\nlines")),
    case("quote in a rule name in config", "ipsec_config",
         {"config": {"policies": [{"name": "Validation", "rules": [{"name": 'r"1', "filter_list": "L", "filter_action": "A"}]}]}},
         "config.policies[0].rules[0].name:", repr('r"1')),
    case("LF in a policy name to assign", "ipsec_assign", {"name": "Packet\nFilter"}, "name:", repr("Packet\nFilter")),
    case("NONE as a name", "ipsec_filter_list", {"name": "NONE"}, "name:", "'NONE'"),
    case("leading space in a name", "ipsec_filter_list", {"name": " Web"}, "name:", "' Web'", "whitespace"),
    # options that contradict each other
    case("mmpfs with qm_per_mm 5", "ipsec_policy", {"name": "Validation", "mmpfs": True, "qm_per_mm": 5}, "qm_per_mm:", "(got 5)", "mmpfs"),
    case("kerberos and a key in one entry", "ipsec_policy",
         {"name": "Validation", "rules": [{"name": "r", "filter_list": "L", "filter_action": "A",
                                            "authentication": [{"kerberos": True, "pre_shared_key": KEY}]}]},
         "rules[0].authentication[0]:", "more than one method", "['kerberos', 'pre_shared_key']"),
    case("certmap without root_ca", "ipsec_config",
         {"config": {"policies": [{"name": "Validation", "default_response_rule": {"authentication": [{"kerberos": True, "certmap": True}]}}]}},
         "config.policies[0].default_response_rule.authentication[0].certmap:", "root_ca"),
    case("two pre-shared keys", "ipsec_policy",
         {"name": "Validation", "default_response_rule": {"authentication": [{"pre_shared_key": KEY}, {"pre_shared_key": KEY2}]}},
         "default_response_rule.authentication:", "only once"),
    case("the redacted key fed back", "ipsec_policy",
         {"name": "Validation", "default_response_rule": {"authentication": [{"pre_shared_key": "********"}]}},
         "default_response_rule.authentication[0].pre_shared_key:", "real key"),
    case("rule names twice", "ipsec_policy",
         {"name": "Validation", "rules": [{"name": "r", "filter_list": "L", "filter_action": "A"}, {"name": "r", "filter_list": "L", "filter_action": "A"}]},
         "rules[1].name:", "'r'", "unique"),
    case("AES quick-mode method", "ipsec_filter_action", {"name": "Validation", "action": "negotiate", "qm_security_methods": ["ESP[AES,SHA1]"]},
         "qm_security_methods[0]:", "'ESP[AES,SHA1]'"),
    case("Diffie-Hellman group 9", "ipsec_policy", {"name": "Validation", "mm_security_methods": ["3DES-SHA1-9"]},
         "mm_security_methods[0]:", "'3DES-SHA1-9'"),
    case("bad tunnel", "ipsec_policy",
         {"name": "Validation", "rules": [{"name": "r", "filter_list": "L", "filter_action": "A", "tunnel": "not an address!"}]},
         "rules[0].tunnel:", "'not an address!'"),
    # unknown options and types (the argument spec)
    case("unknown option", "ipsec_policy", {"name": "Validation", "bogus": 1}, "Unsupported parameters", "bogus"),
    case("unknown suboption", "ipsec_filter_list", one_filter(colour="red"), "Unsupported parameters", "filters.colour"),
    case("not an integer", "ipsec_policy", {"name": "Validation", "polling_interval": "often"}, "polling_interval", "'often'"),
    case("bad choice", "ipsec_filter_action", {"name": "Validation", "action": "allow"}, "action", "allow"),
    # what netsh is known to refuse: refused before the first write (no half-applied batch)
    case("IPv6 zone index", "ipsec_filter_list", one_filter(source="fe80::1%eth0"), "filters[0].source:", "'fe80::1%eth0'", "zone index"),
    case("IPv6 zone index in a tunnel", "ipsec_policy",
         {"name": "Validation", "rules": [{"name": "r", "filter_list": "L", "filter_action": "A", "tunnel": "fe80::1%12"}]},
         "rules[0].tunnel:", "'fe80::1%12'", "zone index"),
    case("certmap inside a root CA name", "ipsec_policy",
         {"name": "Validation", "rules": [dict(RULE, authentication=[{"root_ca": "CN=Corp Root certmap:yes"}])]},
         "rules[0].authentication[0].root_ca:", "'CN=Corp Root certmap:yes'", "certificate name only"),
    case("main-mode lifetime 0", "ipsec_policy", {"name": "Validation", "mm_lifetime": 0}, "mm_lifetime:", "(got 0)", "from 1 to 71582788 minutes"),
    case("polling interval beyond 32-bit seconds", "ipsec_config", {"config": {"policies": [{"name": "Validation", "polling_interval": 2**31}]}},
         "config.policies[0].polling_interval:", "2147483648", "from 1 to 71582788"),
    case("quick modes per main mode of 2^31", "ipsec_policy", {"name": "Validation", "qm_per_mm": 2**31}, "qm_per_mm:", "2147483648", "2147483647"),
    case("zero quick-mode lifetimes", "ipsec_filter_action",
         {"name": "Validation", "action": "negotiate", "qm_security_methods": ["ESP[3DES,SHA1]:0k/0s"]},
         "qm_security_methods[0]:", "'ESP[3DES,SHA1]:0k/0s'", "from 1 to 4294967295"),
    case("two actions differing only by case", "ipsec_config",
         {"config": {"filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "PERMIT", "action": "permit"}]}},
         "config.filter_actions[1].name:", "'PERMIT'", "Windows ignores case"),
    case("two rules differing only by case", "ipsec_policy",
         {"name": "Validation", "rules": [{"name": name, "filter_list": "L", "filter_action": "A"} for name in ("Web", "WEB")]},
         "rules[1].name:", "'WEB'", "Windows ignores case"),
    case("superscript digit as a port", "ipsec_filter_list", one_filter(protocol="tcp", destination_port="²"),
         "filters[0].destination_port:", "'²'", "port number"),
    case("Arabic-Indic digit as a port", "ipsec_filter_list", one_filter(protocol="tcp", destination_port="٨٠"),
         "filters[0].destination_port:", "'٨٠'", "port number"),
    case("Arabic-Indic digit as a mask", "ipsec_filter_list", one_filter(source="10.0.0.0", source_mask="٣"),
         "filters[0].source_mask:", "'٣'"),
    case("Arabic-Indic digit as a protocol", "ipsec_filter_list", one_filter(protocol="٦"), "filters[0].protocol:", "'٦'"),
    case("Arabic-Indic digits as a count", "ipsec_policy", {"name": "Validation", "mm_lifetime": "٨٠"},
         "mm_lifetime", "'٨٠'", "digits 0-9"),
    case("on_failure of another kind", "ipsec_filter_list", {"name": "Validation", "on_failure": "ignore"}, "on_failure", "rollback, stop"),
    # ipsec_config's own rules
    case("overridden without owner_prefix", "ipsec_config", {"state": "overridden", "config": {}}, "overridden", "owner prefix"),
    case("deleted without config or owner_prefix", "ipsec_config", {"state": "deleted"}, "deleted", "owner prefix"),
    case("config outside the owner prefix", "ipsec_config",
         {"state": "merged", "owner_prefix": "APS - ", "config": {"filter_actions": [{"name": "Block", "action": "block"}]}},
         "'Block'", "outside the owner prefix 'APS - '"),
    case("replaced action without an action", "ipsec_config", {"state": "replaced", "config": {"filter_actions": [{"name": "Block"}]}},
         "config.filter_actions[0].action:", "required"),
    case("parsed without running_config", "ipsec_config", {"state": "parsed"},
         "running_config:", "needs exactly one of running_config and running_config_file"),
    case("rendered with a bad address", "ipsec_config", {"state": "rendered", "config": {"filter_lists": [one_filter(source="1.2.3.4.5")]}},
         "config.filter_lists[0].filters[0].source:", "'1.2.3.4.5'"),
]

HOST = [
    case("rule names an unknown filter list", "ipsec_policy",
         {"name": "Packet Filter", "rules": [{"name": "r", "filter_list": "Nowhere list", "filter_action": "Permit"}]},
         "rule 'r'", "filter list 'Nowhere list'", "neither on the host nor"),
    case("rule names an unknown filter action", "ipsec_config",
         {"config": {"policies": [{"name": "Packet Filter", "rules": [
             {"name": "r", "filter_list": "All inbound traffic", "filter_action": "Nowhere action"},
         ]}]}},
         "rule 'r'", "filter action 'Nowhere action'", "neither on the host nor"),
    case("assign an unknown policy", "ipsec_assign", {"name": "No such policy"}, "name:", "'No such policy'", "names no policy"),
    case("config assigns an unknown policy", "ipsec_config", {"config": {"assigned": "No such policy"}},
         "config.assigned:", "'No such policy'"),
    case("create an action without action", "ipsec_filter_action", {"name": "Audit"}, "action:", "required"),
    case("delete an action in use", "ipsec_filter_action", {"name": "Block", "state": "absent"},
         "filter action 'Block'", "still uses it"),
    case("delete a list in use", "ipsec_filter_list", {"name": "All inbound traffic", "state": "absent"},
         "filter list 'All inbound traffic'", "still uses it"),
]

WEB_SERVER = {
    "filter_actions": [{"name": "Permit", "action": "permit"}, {"name": "Block", "action": "block"}],
    "filter_lists": [
        {"name": "Inbound web protocols", "filters": [{"protocol": "tcp", "destination_port": [80, 443]}]},
        {"name": "All inbound traffic", "filters": [{}]},
    ],
    "policies": [{"name": "Packet Filter", "rules": [
        {"name": "Inbound web protocols", "filter_list": "Inbound web protocols", "filter_action": "Permit"},
        {"name": "All inbound traffic", "filter_list": "All inbound traffic", "filter_action": "Block"},
    ]}],
    "assigned": "Packet Filter",
}


def tasks_of(params) -> list[dict]:
    return [dict(task(item.values[0].module, item.values[0].args, item.values[0].id), ignore_errors=True) for item in params]


@pytest.fixture(scope="module")
def runs(module_host):
    """The host (seed 000's web server), and one run of each group against it."""
    host = module_host
    built = host.play([task("ipsec_config", {"config": WEB_SERVER}, "web server")])
    assert built.rc == 0 and built.task("web server")["changed"] is True
    snapshot = host.store_bytes()

    before = len(host.batches())
    pure = host.play(tasks_of(PURE), extra_vars={"nul_name": "Web\x00prod", "psk": SECRET}, verbosity=1)
    pure_batches = host.batches()[before:]
    pure_bytes = host.store_bytes()

    before = len(host.batches())
    on_host = host.play(tasks_of(HOST), verbosity=1)
    host_batches = host.batches()[before:]
    return {"snapshot": snapshot, "pure": (pure, pure_batches, pure_bytes), "host": (on_host, host_batches, host.store_bytes())}


def assert_refused(played, item: Case) -> None:
    assert played.status(item.id) == "failed", played.task(item.id)
    result = played.task(item.id)
    assert result["changed"] is False
    for part in item.expected:
        assert part in result["msg"], (part, result["msg"])
    assert "commands" not in result or result["commands"] == []
    assert "Traceback" not in result["msg"]


@pytest.mark.parametrize("item", PURE)
def test_pure_input_error(runs, item):
    assert_refused(runs["pure"][0], item)


@pytest.mark.parametrize("item", HOST)
def test_error_that_needs_the_store(runs, item):
    assert_refused(runs["host"][0], item)


def test_pure_input_errors_cost_no_round_trip_and_change_nothing(runs):
    played, batches, store = runs["pure"]
    assert played.rc == 0 and len(played.tasks) == len(PURE)  # every task ran, and failed (ignored)
    assert batches == [] and played.round_trips == 0
    assert store == runs["snapshot"]
    assert SECRET not in played.stdout and SECRET not in played.stderr  # -v prints every result


def test_errors_that_need_the_store_cost_exactly_one_read_and_change_nothing(runs):
    played, batches, store = runs["host"]
    assert played.rc == 0 and len(played.tasks) == len(HOST)
    assert len(batches) == len(HOST) and all(is_read(batch) for batch in batches)
    assert store == runs["snapshot"]
