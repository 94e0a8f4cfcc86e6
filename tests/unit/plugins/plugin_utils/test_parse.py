# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_parse against the fixtures of tests/unit/fixtures/netsh (goldens) and every loud failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils import _parse
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import NetshParseError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._labels import EN_US, ZH_CN
from store_json import to_json

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "netsh"
OUTPUTS = sorted(FIXTURES.glob("*.txt"))
PARSED = [path for path in OUTPUTS if "store" in json.loads(path.with_suffix(".expected.json").read_text("utf-8"))]

LISTS = "netsh ipsec static show filterlist all level=verbose"
ACTIONS = "netsh ipsec static show filteraction all level=verbose"
POLICIES = "netsh ipsec static show policy all level=verbose"


def fixture(path: Path) -> tuple[str, str, dict]:
    """(command, text, expected) of one fixture."""
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    text = path.read_bytes().decode("utf-8")
    # Fixtures are stored with LF (ansible-test's line-endings check); those marked CRLF are fed to
    # the parser with the CRLF endings real netsh writes.
    if expected.get("line_endings") == "CRLF":
        text = text.replace("\n", "\r\n")
    return expected["command"], text, expected


def show(*lines: str, width: int = 23) -> str:
    """netsh-style output from ``"Label|value"`` and bare lines: a blank first line, padding, CRLF."""
    out = [""]
    for line in lines:
        label, separator, value = line.partition("|")
        out.append(f"{label:<{width}}: {value}" if separator else line)
    return "\r\n".join(out) + "\r\n"


FILTER = (
    "Description|NONE", "Mirrored|YES",
    "Source IP Address|<Any IP Address>", "Source Mask|0.0.0.0", "Source DNS Name|<Any IP Address>",
    "Destination IP Address|<My IP Address>", "Destination DNS Name|<My IP Address>",
    "Protocol|TCP", "Source Port|ANY", "Destination Port|80",
)


def filter_list(*filters: tuple[str, ...], name: str = "Web", count: int | None = None) -> tuple[str, ...]:
    head = (f"FilterList Name|{name}", "Description|NONE", "Store|Local Store <WIN>", "Last Modified|4/21/2021 6:47:44 PM",
            "GUID|{C4CC8FE0-8DDB-48C5-A285-F56C21ABA666}", f"No. of Filters|{len(filters) if count is None else count}")
    body = ("Filter(s)", "---------") if filters else ()
    for item in filters:
        body += item + ("",)
    return head + body


RULE = ("Rule Name|Web", "Description|NONE", "Activated|YES", "Conn. Type|ALL", "Tunnel Endpoint|NONE",
        "FilterList Name|Web", "FilterAction Name|Permit")
DEFAULT_RULE = ("Default Response Rule", "---------------------", "Activated|NO", "QMPFS|NO", "QM Sec. Methods|NONE")


def policy(*rules: tuple[str, ...], name: str = "P", count: int | None = None, default: tuple[str, ...] = DEFAULT_RULE) -> tuple[str, ...]:
    head = (f"Policy Name|{name}", "Description|NONE", "Store|Local Store <WIN>", "Last Modified|x", "GUID|{x}",
            "Assigned|NO", "Master PFS|NO", "Polling Interval|180 minutes", "MM Lifetime|480 minutes", "QM Per MM|0",
            "MM Sec. Methods|3DES-SHA1-2", f"No. of Rules|{len(rules) if count is None else count}")
    body = default + (("Rule(s)", "-------") if rules else ())
    for rule in rules:
        body += rule + ("",)
    return head + body


def replaced(lines: tuple[str, ...], old: str, new: str | None) -> tuple[str, ...]:
    """``lines`` with the first line ``old`` replaced by ``new`` (dropped when ``None``)."""
    index = lines.index(old)
    return lines[:index] + (() if new is None else (new,)) + lines[index + 1:]


def fails(command: str, text: str, line: str, *words: str) -> NetshParseError:
    """Assert that parsing fails naming ``command`` and ``line``, with ``words`` in the reason."""
    with pytest.raises(NetshParseError) as caught:
        _parse.parse_show(command, text)
    error = caught.value
    assert (error.command, error.line) == (command, line), str(error)
    for word in words:
        assert word in error.reason, str(error)
    return error


# --- goldens -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", OUTPUTS, ids=lambda path: path.stem)
def test_fixture_matches_its_golden(path: Path) -> None:
    command, text, expected = fixture(path)
    if "store" in expected:
        assert to_json(_parse.parse_show(command, text)) == expected["store"]
        return
    error = fails(command, text, expected["error"]["line"], f"(line {expected['error']['line_number']})")
    assert type(error).__name__ == expected["error"]["type"]


def test_every_fixture_has_a_golden_and_a_provenance_row() -> None:
    provenance = (FIXTURES / "PROVENANCE.md").read_text("utf-8")
    for path in OUTPUTS:
        assert path.with_suffix(".expected.json").is_file(), path.name
        assert f"`{path.name}`" in provenance, path.name


def test_the_anonymised_kb_sample_fails_on_its_first_placeholder_address() -> None:
    path = FIXTURES / "show_filterlist_all_level-verbose__en-US__KB4471134_WHITESPACE-NORMALIZED.txt"
    fails(LISTS, path.read_text("utf-8"), "Source IP Address: <IP Address>", "<IP Address>", "(line 11)")


def test_padding_and_line_ending_variants_give_one_store() -> None:
    padded, no_padding = (
        _parse.parse_show(LISTS, (FIXTURES / f"show_filterlist_all_level-verbose__en-US__address-kinds{suffix}__constructed.txt").read_text("utf-8"))
        for suffix in ("", "_NO-PADDING_LF")
    )
    assert padded == no_padding


def _variants(text: str) -> dict[str, str]:
    lines = text.replace("\r\n", "\n").split("\n")
    return {
        "LF": "\n".join(lines),
        "CR": "\r".join(lines),
        "CRLF": "\r\n".join(lines),
        "BOM": "\ufeff" + text,
        "indented-and-trailing-spaces": "\n".join(f"  \t{line}   " for line in lines),
        "blank-lines-everywhere": "\r\n\r\n".join(lines),
        "no-leading-blank-line": text.lstrip("\r\n"),
    }


@pytest.mark.parametrize("variant", sorted(_variants("")))
@pytest.mark.parametrize("path", PARSED, ids=lambda path: path.stem)
def test_whitespace_variants_parse_the_same(path: Path, variant: str) -> None:
    command, text, expected = fixture(path)
    assert to_json(_parse.parse_show(command, _variants(text)[variant])) == expected["store"]


# --- commands, languages, the read path ------------------------------------------------------------


def test_read_commands_are_the_three_verbose_shows() -> None:
    assert _parse.READ_COMMANDS == (
        ("ipsec", "static", "show", "policy", "all", "level=verbose"),
        ("ipsec", "static", "show", "filterlist", "all", "level=verbose"),
        ("ipsec", "static", "show", "filteraction", "all", "level=verbose"),
    )


@pytest.mark.parametrize("command", [
    "ipsec static show filterlist all level=verbose",
    "netsh ipsec static show filterlist name=Web level=verbose",
    'netsh ipsec static show filterlist "name=a level=normal b" level=verbose',
    "NETSH IPSEC STATIC SHOW FILTERLIST ALL LEVEL=VERBOSE FORMAT=LIST WIDE=NO",
])
def test_command_forms_read_the_level(command: str) -> None:
    store = _parse.parse_show(command, show(*filter_list()))
    assert store.filter_lists["Web"].filters == ()


def test_default_level_is_normal_and_leaves_filters_unknown() -> None:
    store = _parse.parse_show("netsh ipsec static show filterlist all", show(*filter_list()))
    assert store.filter_lists["Web"].filters is None


@pytest.mark.parametrize("command", [
    "netsh ipsec static show rule all", "netsh ipsec static show filterlist all format=table",
    "netsh ipsec static show policy all level=loud", "netsh ipsec static show all level=verbose",
    "netsh ipsec static add filterlist name=x", "netsh advfirewall show allprofiles", "",
])
def test_commands_the_parser_does_not_read_are_a_value_error(command: str) -> None:
    with pytest.raises(ValueError):
        _parse.parse_show(command, show(*filter_list()))


def test_detect_language() -> None:
    assert _parse.detect_language(LISTS, show(*filter_list())) is EN_US
    zh = (FIXTURES / "show_filterlist_all_level-verbose__zh-CN__known-labels-only__constructed.txt").read_text("utf-8")
    assert _parse.detect_language(LISTS, zh) is ZH_CN


def test_an_unknown_language_names_its_first_label_line() -> None:
    text = show("Имя списка фильтров|Web", "Описание|NONE")
    with pytest.raises(NetshParseError) as caught:
        _parse.detect_language(LISTS, text)
    assert caught.value.command == LISTS
    assert caught.value.line == "Имя списка фильтров    : Web"
    assert "unknown display language or unknown label" in caught.value.reason
    with pytest.raises(NetshParseError, match="unknown display language"):
        _parse.parse_show(LISTS, text)


def test_output_without_a_label_line_has_no_language() -> None:
    with pytest.raises(NetshParseError, match="no label line"):
        _parse.detect_language(LISTS, "\r\nFilter(s)\r\n")


def test_a_label_zh_cn_does_not_know_is_named() -> None:
    zh = show("筛选器列表名称|网页", "描述|无", "Store|Local Store <WIN>", width=16)
    error = fails(LISTS, zh, "Store           : Local Store <WIN>", "'Store'", "zh-CN")
    assert "not known" in error.reason


def test_an_english_label_in_zh_cn_output_after_the_list_is_named() -> None:
    zh = show("筛选器列表名称|网页", "描述|无", "描述|无", "已镜像|是", "Source IP Address|<Any IP Address>", width=16)
    fails(LISTS, zh, "Source IP Address: <Any IP Address>", "'Source IP Address'", "zh-CN")


def test_a_given_language_is_used_instead_of_detection() -> None:
    zh = (FIXTURES / "show_filterlist_all_level-verbose__zh-CN__known-labels-only__constructed.txt").read_text("utf-8")
    with pytest.raises(NetshParseError, match="not known in display language en-US"):
        _parse.parse_show(LISTS, zh, language=EN_US)


def test_parse_store_combines_the_read_path() -> None:
    outputs = [fixture(FIXTURES / name)[:2] for name in (
        "show_policy_all_level-verbose__en-US__rules-and-auth__constructed.txt",
        "show_filterlist_all_level-verbose__en-US__address-kinds__constructed.txt",
        "show_filteraction_all_level-verbose__en-US__constructed.txt",
    )]
    store = _parse.parse_store(outputs)
    assert sorted(store.policies) == ["Packet Filter", "Secure Server"]
    assert sorted(store.filter_lists) == ["Address kinds", "DHCP", "Empty"]
    assert sorted(store.filter_actions) == ["Block", "Permit", "Require Security"]
    assert _parse.parse_store(outputs + outputs[:1]) == store  # the same object twice is fine


def test_parse_store_refuses_one_name_with_two_contents() -> None:
    first = show(*filter_list(FILTER))
    second = show(*filter_list(replaced(FILTER, "Destination Port|80", "Destination Port|443")))
    with pytest.raises(NetshParseError, match="filter list 'Web' differently"):
        _parse.parse_store([(LISTS, first), (LISTS, second)])


def test_parse_store_of_nothing_is_an_empty_store() -> None:
    assert _parse.parse_store([]) == _parse.parse_show("netsh ipsec static show all", "\r\n")


# --- structure ---------------------------------------------------------------------------------------


def test_optional_lines_may_be_missing() -> None:
    bare = [line for line in filter_list(FILTER) if not line.startswith(("Store", "Last Modified", "GUID", "Source Mask", "Source DNS", "Destination DNS"))]
    assert _parse.parse_show(LISTS, show(*bare)) == _parse.parse_show(LISTS, show(*filter_list(FILTER)))


PERMIT = ("FilterAction Name|Permit", "Description|NONE", "Action|PERMIT", "QMPFS|NO", "Inbound Passthru|NO",
          "Soft Association|NO", "QM Sec. Methods|NONE")


def test_a_rule_section_may_end_in_a_filter_action() -> None:
    # show all with no filter lists: the last rule's FilterAction Name is its own, the next one a head.
    store = _parse.parse_show("netsh ipsec static show all", show(*policy(RULE), *PERMIT))
    assert store.policies["P"].rules[0].filter_action == "Permit"
    assert store.filter_actions["Permit"].action.value == "permit"


def test_show_all_requires_verbose_filter_actions() -> None:
    text = show(*policy(RULE), "FilterAction Name|Permit", "Description|NONE", "Action|PERMIT")
    fails("netsh ipsec static show all", text, "FilterAction Name      : Permit", "no 'QMPFS' line")


def test_a_blank_show_all_is_an_empty_store() -> None:
    assert _parse.parse_show("netsh ipsec static show all", "\r\n\r\n") == _parse.parse_store([])


def test_single_object_form() -> None:
    command = 'netsh ipsec static show policy "name=Packet Filter" level=verbose'
    store = _parse.parse_show(command, show(*policy(RULE, name="Packet Filter")))
    assert store.policies["Packet Filter"].rules[0].name == "Web"


def test_a_list_without_filters_prints_no_header() -> None:
    assert _parse.parse_show(LISTS, show(*filter_list())).filter_lists["Web"].filters == ()


# --- loud failures -------------------------------------------------------------------------------------


def test_unknown_label() -> None:
    fails(LISTS, show(*filter_list(FILTER + ("Colour|red",))), "Colour                 : red", "'Colour'", "en-US")


def test_unrecognised_line() -> None:
    fails(LISTS, show(*filter_list(FILTER), "Something odd"), "Something odd", "unrecognised")


def test_dashes_only_under_a_header() -> None:
    fails(LISTS, show(*filter_list(FILTER), "---------"), "---------", "unrecognised")


def test_a_line_before_the_first_block() -> None:
    fails(LISTS, show("Description|NONE", *filter_list()), "Description            : NONE", "'FilterList Name'")


def test_a_block_of_another_kind() -> None:
    fails(LISTS, show(*filter_list(), "Policy Name|P"), "Policy Name            : P", "policy does not belong")


def test_a_header_in_the_wrong_block() -> None:
    fails(LISTS, show(*filter_list(), "Rule(s)"), "Rule(s)", "'Rule(s)' does not belong")


def test_a_label_of_another_object() -> None:
    fails(LISTS, show(*filter_list(FILTER + ("Action|PERMIT",))), "Action                 : PERMIT", "'Action' does not belong in a filter")


@pytest.mark.parametrize("lines, line", [
    (filter_list(FILTER + ("Mirrored|NO",)), "Mirrored               : NO"),
    (filter_list() + ("GUID|{again}",), "GUID                   : {again}"),
    (policy() + ("Activated|YES",), "Activated              : YES"),
    (policy(RULE + ("Conn. Type|LAN",)), "Conn. Type             : LAN"),
])
def test_a_field_twice_in_one_object(lines: tuple[str, ...], line: str) -> None:
    fails(LISTS if "FilterList Name|Web" == lines[0] else POLICIES, show(*lines), line, "appears twice")


def test_english_filters_need_their_header() -> None:
    # en-US prints the Filter(s) header (format §3), so a second Description without it is an error.
    fails(LISTS, show(*filter_list(), *FILTER), "Description            : NONE", "appears twice in one filter list")


def test_zh_cn_filters_without_a_header_are_still_checked() -> None:
    zh = show("筛选器列表名称|网页", "描述|无", "描述|无", "源 IP 地址|<任何 IP 地址>", "目标 IP 地址|<我的 IP 地址>",
              "协议|TCP", "源端口|任何", "目标端口|80", width=16)
    fails(LISTS, zh, "描述              : 无", "no 'Mirrored' line")


def test_a_section_twice() -> None:
    fails(POLICIES, show(*policy(), *DEFAULT_RULE), "Default Response Rule", "second")


@pytest.mark.parametrize("old, new, words", [
    ("Mirrored|YES", "Mirrored|MAYBE", ("Mirrored", "YES or NO")),
    ("Protocol|TCP", "Protocol|SCTP", ("Protocol",)),
    ("Protocol|TCP", "Protocol|256", ("Protocol",)),
    ("Destination Port|80", "Destination Port|70000", ("Destination Port",)),
    ("Source Port|ANY", "Source Port|-1", ("Source Port",)),
    ("Destination IP Address|<My IP Address>", "Destination IP Address|300.1.1.1", ("Destination IP Address",)),
])
def test_a_filter_value_a_reader_refuses(old: str, new: str, words: tuple[str, ...]) -> None:
    text = show(*filter_list(replaced(FILTER, old, new)))
    label, dummy, value = new.partition("|")
    fails(LISTS, text, f"{label:<23}: {value}", *words)


def test_a_bad_mask_is_reported_on_its_address_line() -> None:
    # The three lines of an endpoint are read together (read_endpoint); the address line names it.
    lines = replaced(FILTER, "Source IP Address|<Any IP Address>", "Source IP Address|10.0.0.1")
    lines = replaced(lines, "Source DNS Name|<Any IP Address>", "Source DNS Name|10.0.0.1")
    lines = replaced(lines, "Source Mask|0.0.0.0", "Source Mask|255.0.255.0")
    fails(LISTS, show(*filter_list(lines)), "Source IP Address      : 10.0.0.1", "Source IP Address", "mask")


@pytest.mark.parametrize("old, new", [
    ("Polling Interval|180 minutes", "Polling Interval|180 hours"),
    ("MM Lifetime|480 minutes", "MM Lifetime|soon"),
    ("QM Per MM|0", "QM Per MM|-1"),
    ("MM Sec. Methods|3DES-SHA1-2", "MM Sec. Methods|AES-SHA1-2"),
    ("Master PFS|NO", "Master PFS|maybe"),
    ("QM Sec. Methods|NONE", "QM Sec. Methods|ESP[AES,SHA1]"),
    ("Conn. Type|ALL", "Conn. Type|WIFI"),
    ("Policy Name|P", "Policy Name|"),
])
def test_a_policy_value_a_reader_refuses(old: str, new: str) -> None:
    text = show(*replaced(policy(RULE), old, new))
    label, dummy, value = new.partition("|")
    fails(POLICIES, text, f"{label:<23}: {value}".rstrip(), label)


@pytest.mark.parametrize("method", ["NTLM", "Preshared Key = ", "Root CA = CN=x, CertMap = MAYBE, ExcludeCAName = NO", "Root CA = CN=x"])
def test_an_auth_method_a_reader_refuses(method: str) -> None:
    text = show(*policy(RULE + (f"Auth Method|{method}",)))
    fails(POLICIES, text, f"{'Auth Method':<23}: {method}".rstrip(), "Auth Method")


def test_a_filter_action_value_a_reader_refuses() -> None:
    text = show("FilterAction Name|A", "Description|NONE", "Action|ALLOW", "QMPFS|NO", "Inbound Passthru|NO",
                "Soft Association|NO", "QM Sec. Methods|NONE")
    fails(ACTIONS, text, "Action                 : ALLOW", "Action", "PERMIT")


def test_filter_count_mismatch() -> None:
    fails(LISTS, show(*filter_list(FILTER, count=2)), "No. of Filters         : 2", "says 2 but 1 filter follows")


def test_filter_count_mismatch_with_no_filters() -> None:
    fails(LISTS, show(*filter_list(count=1)), "No. of Filters         : 1", "says 1 but 0 filters follow")


def test_filter_count_not_a_number() -> None:
    fails(LISTS, show(*filter_list(FILTER, count="one")), "No. of Filters         : one", "No. of Filters")  # type: ignore[arg-type]


def test_rule_count_mismatch() -> None:
    second = replaced(RULE, "Rule Name|Web", "Rule Name|Other")
    fails(POLICIES, show(*policy(RULE, second, count=1)), "No. of Rules           : 1", "says 1 but 2 rules follow")


def test_a_rule_field_repeated_before_the_announced_rules_are_read() -> None:
    # A second FilterList Name inside a rule is read as the next block; the rule count then does not match.
    text = show(*policy(RULE + ("FilterList Name|Other",), count=2))
    fails("netsh ipsec static show all", text, "No. of Rules           : 2", "says 2 but 1 rule follows")


@pytest.mark.parametrize("missing", [line.partition("|")[0] for line in FILTER if "Mask" not in line and "DNS" not in line])
def test_a_filter_missing_a_required_line(missing: str) -> None:
    lines = tuple(line for line in FILTER if not line.startswith(missing + "|"))
    first = "Mirrored               : YES" if missing == "Description" else "Description            : NONE"
    fails(LISTS, show(*filter_list(lines)), first, f"no {missing!r} line")


@pytest.mark.parametrize("missing", ["Description", "No. of Filters"])
def test_a_verbose_list_missing_a_required_line(missing: str) -> None:
    lines = tuple(line for line in filter_list() if not line.startswith(missing + "|"))
    fails(LISTS, show(*lines), "FilterList Name        : Web", f"no {missing!r} line")


@pytest.mark.parametrize("missing", ["MM Lifetime", "QM Per MM", "MM Sec. Methods", "No. of Rules", "Assigned"])
def test_a_verbose_policy_missing_a_required_line(missing: str) -> None:
    lines = tuple(line for line in policy() if not line.startswith(missing + "|"))
    fails(POLICIES, show(*lines), "Policy Name            : P", f"no {missing!r} line")


def test_a_verbose_policy_without_its_default_rule() -> None:
    fails(POLICIES, show(*policy(default=())), "Policy Name            : P", "no 'Default Response Rule' section")


@pytest.mark.parametrize("missing", ["Activated", "QMPFS", "QM Sec. Methods"])
def test_a_default_rule_missing_a_required_line(missing: str) -> None:
    default = tuple(line for line in DEFAULT_RULE if not line.startswith(missing + "|"))
    fails(POLICIES, show(*policy(default=default)), "Default Response Rule", f"no {missing!r} line")


def test_a_normal_policy_missing_a_printed_line() -> None:
    text = show("Policy Name|P", "Description|NONE", "Last Modified|x", "Master PFS|NO", "Polling Interval|180 minutes")
    fails("netsh ipsec static show policy all", text, "Policy Name            : P", "no 'Assigned' line")


@pytest.mark.parametrize("lines, line, words", [
    # "If you specify a port, acceptable value is TCP or UDP." [S3]
    (filter_list(replaced(FILTER, "Protocol|TCP", "Protocol|ICMP")), "Description            : NONE", ("not valid", "tcp or udp")),
    # "If mmpfs is specified, qmpermm will be set to 1" [S2]
    (replaced(policy(), "Master PFS|NO", "Master PFS|YES"), "Policy Name            : P", ("not valid", "qm_per_mm")),
    (policy(RULE, RULE), "Policy Name            : P", ("not valid", "unique")),
    (filter_list() + filter_list(), "", ("two objects of one name",)),
])
def test_output_the_model_refuses(lines: tuple[str, ...], line: str, words: tuple[str, ...]) -> None:
    fails(POLICIES if lines[0].startswith("Policy") else LISTS, show(*lines), line, *words)


# --- netsh's own answers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("command, code", [(POLICIES, "05072"), (LISTS, "05067"), (ACTIONS, "05068")])
def test_the_matching_empty_answer_is_an_empty_store(command: str, code: str) -> None:
    assert _parse.parse_show(command, f"\r\nERR IPsec[{code}] : whatever the locale says\r\n") == _parse.parse_store([])


@pytest.mark.parametrize("command, text, code", [
    (POLICIES, "ERR IPsec[05073] : The policy store cannot be opened.", "05073"),
    (POLICIES, "ERR IPsec[05067] : There are no filter lists in the Policy Store.", "05067"),
    (LISTS, "ERR IPsec[05049] : Filter list does not exist.", "05049"),
    ("netsh ipsec static show all", "ERR IPsec[05072] : No Policies in Policy Store.", "05072"),
])
def test_any_other_error_line_is_reported(command: str, text: str, code: str) -> None:
    with pytest.raises(_parse.NetshReportedError) as caught:
        _parse.parse_show(command, f"\r\n{text}\r\n")
    assert (caught.value.code, caught.value.line, caught.value.command) == (code, text, command)


def test_an_empty_answer_with_more_lines_is_reported() -> None:
    with pytest.raises(_parse.NetshReportedError):
        _parse.parse_show(LISTS, "ERR IPsec[05067] : none\r\n" + show(*filter_list()))


def test_an_error_line_after_output_is_reported() -> None:
    with pytest.raises(_parse.NetshReportedError) as caught:
        _parse.parse_show(LISTS, show(*filter_list(FILTER), "ERR IPsec[05073] : The store cannot be opened."))
    assert caught.value.code == "05073"


def test_an_error_code_inside_a_value_is_just_text() -> None:
    text = show(*replaced(filter_list(), "Description|NONE", "Description|see ERR IPsec[05067] : notes"))
    assert _parse.parse_show(LISTS, text).filter_lists["Web"].description == "see ERR IPsec[05067] : notes"


def test_no_output_is_not_an_answer() -> None:
    with pytest.raises(NetshParseError, match="no output"):
        _parse.parse_show(POLICIES, "\r\n \r\n")
