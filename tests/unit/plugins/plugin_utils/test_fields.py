"""The field table is complete: every model attribute is read and written by some row
(plugins/plugin_utils/_fields.py), so a field cannot be added to one direction and forgotten in the other."""

from __future__ import annotations

import dataclasses

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils import _fields as f
from ansible_collections.lockdown.ipsec.plugins.plugin_utils import _model as m
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._labels import EN_US, ENGLISH_LABELS, ZH_CN

# Attributes carried by something other than a scalar row, and where.
STRUCTURAL = {
    "Filter": {"source", "destination"},  # ENDPOINT_FIELDS
    "Rule": {"auth_methods"},  # AUTH_LABEL
    "DefaultResponseRule": {"auth_methods"},
    "FilterList": {"filters"},  # the Filter(s) section
    "Policy": {"rules", "default_rule", "unnamed_rules"},  # the Rule(s) and Default Response Rule sections; only the registry shows unnamed rules
}

TABLES = [
    (m.Filter, f.FILTER_FIELDS),
    (m.FilterList, f.FILTER_LIST_FIELDS),
    (m.FilterAction, f.FILTER_ACTION_FIELDS),
    (m.Rule, f.RULE_FIELDS),
    (m.DefaultResponseRule, f.DEFAULT_RULE_FIELDS),
    (m.Policy, f.POLICY_FIELDS),
]


@pytest.mark.parametrize(("model", "rows"), TABLES, ids=lambda x: getattr(x, "__name__", ""))
def test_every_attribute_has_a_row(model, rows):
    attributes = {field.name for field in dataclasses.fields(model)}
    covered = {row.attr for row in rows} | STRUCTURAL.get(model.__name__, set())
    assert attributes == covered


@pytest.mark.parametrize(("model", "rows"), TABLES, ids=lambda x: getattr(x, "__name__", ""))
def test_every_row_label_is_known_in_english(model, rows):
    for row in rows:
        assert row.label in ENGLISH_LABELS
        assert row.keyword and "=" not in row.keyword


def test_every_zh_cn_label_translates_an_english_one():
    assert set(ZH_CN.labels) <= set(ENGLISH_LABELS)
    assert EN_US.english_label("Destination IP Address") == "Destination IP Address"
    assert ZH_CN.english_label("目标 IP 地址") == "Destination IP Address"
    assert ZH_CN.english_label("Store") is None


@pytest.mark.parametrize(
    ("row", "printed", "value"),
    [
        (f.FILTER_FIELDS[1], "YES", True),
        (f.FILTER_FIELDS[2], "TCP", 6),
        (f.FILTER_FIELDS[2], "47", 47),
        (f.FILTER_FIELDS[3], "ANY", 0),
        (f.FILTER_FIELDS[4], "445", 445),
        (f.POLICY_FIELDS[4], "180 minutes", 180),
        (f.FILTER_ACTION_FIELDS[2], "PERMIT", m.Action.PERMIT),
        (f.RULE_FIELDS[3], "DIALUP", m.ConnectionType.DIALUP),
        (f.FILTER_ACTION_FIELDS[6], "ESP[3DES,SHA1]:3600s AH[MD5]", ("ESP[3DES,SHA1]:3600s", "AH[MD5]")),
        (f.FILTER_ACTION_FIELDS[6], "NONE", ()),
    ],
)
def test_rows_read_the_printed_form(row, printed, value):
    assert row.read(printed, EN_US) == value


@pytest.mark.parametrize(
    ("row", "value", "written"),
    [
        (f.FILTER_FIELDS[1], True, "yes"),
        (f.FILTER_FIELDS[2], 6, "TCP"),
        (f.FILTER_FIELDS[2], 47, "47"),
        (f.POLICY_FIELDS[4], 180, "180"),
        (f.FILTER_ACTION_FIELDS[2], m.Action.BLOCK, "block"),
        (f.RULE_FIELDS[3], m.ConnectionType.LAN, "lan"),
        (f.FILTER_ACTION_FIELDS[6], ("ESP[3DES,SHA1]:3600s", "AH[MD5]"), "ESP[3DES,SHA1]:3600s AH[MD5]"),
    ],
)
def test_rows_write_the_command_line_form(row, value, written):
    assert row.write(value) == written


@pytest.mark.parametrize(("printed", "value"), [("是", True), ("否", False)])
def test_zh_cn_booleans(printed, value):
    assert f.FILTER_FIELDS[1].read(printed, ZH_CN) is value


def test_readers_refuse_what_they_do_not_know():
    with pytest.raises(ValueError):
        f.FILTER_FIELDS[1].read("MAYBE", EN_US)
    with pytest.raises(ValueError):
        f.POLICY_FIELDS[4].read("180 Minuten", EN_US)
    with pytest.raises(ValueError):
        f.read_auth_method("Certificate = x", EN_US)


def test_auth_method_lines_round_trip():
    from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import AuthKind, AuthMethod

    methods = [
        (AuthMethod(AuthKind.KERBEROS), "Kerberos"),
        (AuthMethod(AuthKind.PRESHARED_KEY, "my key"), "Preshared Key = my key"),
        (AuthMethod(AuthKind.ROOT_CA, "C=US, O=MSFT, CN=Root", True, False), "Root CA = C=US, O=MSFT, CN=Root, CertMap = YES, ExcludeCAName = NO"),
    ]
    for method, printed in methods:
        assert f.read_auth_method(printed, EN_US) == method
    assert f.write_auth_method(methods[2][0]) == "rootca=C=US, O=MSFT, CN=Root certmap:yes excludecaname:no"
