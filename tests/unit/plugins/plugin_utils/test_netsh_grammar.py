# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The grammar of netsh ipsec static commands as scripts write them (``_netsh_grammar``): abbreviations,
positional values, flags, the filter= alias, and the refusals at each boundary."""

from __future__ import annotations

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._netsh_grammar import USAGES, GrammarError, parse_netsh


def parsed(*argv: str) -> tuple:
    command = parse_netsh(argv)
    return command.verb, command.obj, command.arguments


@pytest.mark.parametrize("argv, expected", [
    (("add", "policy", "name=P"), ("add", "policy", (("name", "P"),))),
    (("ADD", "Policy", "NAME=P"), ("add", "policy", (("name", "P"),))),
    (("del", "all"), ("delete", "all", ())),
    (("dele", "ALL"), ("delete", "all", ())),
])
def test_verbs_and_objects(argv, expected):
    assert parsed(*argv) == expected


def test_an_ambiguous_verb_is_refused():
    with pytest.raises(GrammarError, match="'d' is ambiguous: it starts delete, dump"):
        parse_netsh(("d", "all"))


def test_an_exact_object_wins_over_a_longer_one_it_starts():
    assert parsed("add", "filter", "filterlist=L", "any", "me")[1] == "filter"
    assert parsed("add", "filterl", "L")[1] == "filterlist"
    with pytest.raises(GrammarError, match="'filt' is ambiguous: it starts filter, filteraction, filterlist"):
        parse_netsh(("add", "filt", "L"))
    with pytest.raises(GrammarError, match="'frob' is not one netsh knows here"):
        parse_netsh(("add", "frob"))


def test_tags_by_prefix_and_the_filter_alias_in_rules():
    assert parsed("add", "filterlist", "name=L", "desc=hello")[2] == (("name", "L"), ("description", "hello"))
    assert parsed("add", "filter", "filterlist=L", "srcaddr=any", "dstaddr=me", "mirror=no")[2][-1] == ("mirrored", "no")
    assert parsed("add", "policy", "name=P", "MMSEC=3DES-SHA1-2")[2][-1] == ("mmsecmethods", "3DES-SHA1-2")
    assert parsed("add", "rule", "name=R", "policy=P", "filter=L", "filteraction=A")[2][2] == ("filterlist", "L")
    assert parsed("set", "rule", "name=R", "policy=P", "filter=L")[2][2] == ("filterlist", "L")
    with pytest.raises(GrammarError, match="'src' is ambiguous: it starts srcaddr, srcmask, srcport"):
        parse_netsh(("delete", "filter", "filterlist=L", "src=any", "dstaddr=me"))
    with pytest.raises(GrammarError, match="'srcaddy' is not one netsh knows here"):
        parse_netsh(("add", "filter", "filterlist=L", "srcaddy=any", "dstaddr=me"))


def test_positional_values_take_the_place_after_the_argument_before():
    assert parsed("add", "policy", "P", "mmpfs=yes")[2] == (("name", "P"), ("mmpfs", "yes"))
    assert parsed("add", "filter", "filterlist=L", "any", "me", "srcmask=32")[2] == (
        ("filterlist", "L"), ("srcaddr", "any"), ("dstaddr", "me"), ("srcmask", "32"))
    assert parsed("delete", "rule", "all", "P")[2] == (("all", ""), ("policy", "P"))
    assert parsed("del", "rule", "name=R", "policy=P")[2] == (("name", "R"), ("policy", "P"))
    assert parsed("add", "filterlist", "L", "free")[2] == (("name", "L"), ("description", "free"))


@pytest.mark.parametrize("argv", [
    ("add", "filter", "filterlist=L", "srcaddr=any", "dstaddr=me", "dstport=80", "comment"),  # after the last tag
    ("add", "filterlist", "name=L", "description=d", "more"),  # past the end of the block
    ("add", "filter", "srcaddr=any", "filterlist=L", "me"),  # its place (srcaddr) is taken
    ("delete", "rule", "all", "P", "Q"),
    ("delete", "policy", "all", "P"),  # the place after a flag at the end
])
def test_a_value_without_a_place_is_refused(argv):
    with pytest.raises(GrammarError, match="has no tag and no place of its own"):
        parse_netsh(argv)


@pytest.mark.parametrize("argv, message", [
    (("add", "filterlist", "name=L", "name=M"), "name= is given twice"),
    (("delete", "policy", "all", "ALL"), "all is given twice"),
    (("add", "filter", "filterlist=L", "srcaddr=any"), "'add filter' needs dstaddr="),
    (("add", "rule", "name=R", "policy=P", "filterlist=L"), "'add rule' needs filteraction="),
    (("delete", "policy",), "'delete policy' needs name= or all"),
    (("set", "store",), "'set store' needs location="),
    (("add",), "'add' needs one of filter, filteraction, filterlist, policy, rule"),
    ((), "no command after 'ipsec static'"),
])
def test_refusals_name_the_reason(argv, message):
    with pytest.raises(GrammarError, match=message.replace("(", "\\(").replace(")", "\\)")):
        parse_netsh(argv)


def test_repeatable_rootca_and_flags():
    command = parse_netsh(("add", "rule", "name=R", "policy=P", "filterlist=L", "filteraction=A", "rootca=CN=a", "rootca=CN=b"))
    assert command.get("rootca") == "CN=a" and [value for tag, value in command.arguments if tag == "rootca"] == ["CN=a", "CN=b"]
    assert parse_netsh(("delete", "filterlist", "ALL")).flags == frozenset({"all"})
    assert parse_netsh(("exportpolicy", "file=x.ipsec")).obj == "" and parse_netsh(("set", "store", "local")).get("location") == "local"


def test_every_usage_places_its_flags_and_requires_only_its_own_places():
    for (verb, obj), usage in USAGES.items():
        assert set(usage.flags) <= set(usage.places) and set(usage.repeatable) <= set(usage.tags), (verb, obj)
        assert all(set(group) <= set(usage.places) for group in usage.required), (verb, obj)
        assert len(set(usage.places)) == len(usage.places), (verb, obj)
