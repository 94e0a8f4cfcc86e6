# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What netsh is known to refuse is refused by the collection first, naming the option and the value,
so that a write batch never stops half-way on a value it could have known about: IPv6 zone indexes,
option words inside a root CA name, numbers outside netsh's 32-bit range, a main-mode lifetime of 0,
quick-mode lifetimes of 0, digits that are not ASCII, and names that differ only by case."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import (
    complete_store_from_config,
    expand_filters,
    policy_from,
    store_from_config,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import MAX_LIFETIME, quick_mode_method
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import MAX_MINUTES, Policy, Store, port_number, protocol_number
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._numbers import MAX_NUMBER, check_number, is_decimal, whole_number


def refused(call, field: str, words: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call()
    assert caught.value.field == field, caught.value
    assert words in caught.value.reason, caught.value
    return caught.value


# --- digits ---------------------------------------------------------------------------------------

NOT_ASCII = ["²", "٣", "٨٠", "８０", "1²", "৩"]


@pytest.mark.parametrize("text", NOT_ASCII)
def test_only_ascii_digits_are_numbers(text):
    assert not is_decimal(text)
    refused(lambda: expand_filters({"protocol": "tcp", "destination_port": text}), "destination_port", "expected a port number")
    refused(lambda: expand_filters({"protocol": "tcp", "destination_port": [80, text]}), "destination_port[1]", "expected a port number")
    refused(lambda: expand_filters({"protocol": "tcp", "source_port": f"{text}-90"}), "source_port", "a range a-b of two port numbers")
    refused(lambda: expand_filters({"protocol": text}), "protocol", "expected any, icmp")
    refused(lambda: expand_filters({"source": "10.0.0.0", "source_mask": text}), "source_mask", "prefix length 0-32")
    refused(lambda: expand_filters({"source": f"10.0.0.0/{text}"}), "source", "prefix length 0-32")
    with pytest.raises(TypeError, match="digits 0-9"):
        whole_number(text)


def test_ascii_digits_still_are():
    assert is_decimal("0") and is_decimal("65535") and not is_decimal("") and not is_decimal("-1") and not is_decimal("1 ")
    assert port_number("3", field_name="p") == 3 and protocol_number("47") == 47


@pytest.mark.parametrize("value, expected", [(80, 80), ("80", 80), (" 80 ", 80), ("-1", -1), ("+5", 5), (480.0, 480)])
def test_whole_number_takes_what_ansibles_int_takes_in_ascii(value, expected):
    assert whole_number(value) == expected


@pytest.mark.parametrize("value", ["1e2", "1_0", "0x10", "ten", "", 1.5, True, None, [1]])
def test_whole_number_refuses_what_is_not_written_as_one(value):
    with pytest.raises(TypeError):
        whole_number(value)


@given(st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=4))
def test_no_unicode_digit_string_is_a_number_unless_ascii(text):
    assert is_decimal(text) == (text.isascii() and text.isdigit())
    if not text.isascii():
        with pytest.raises(TypeError):
            whole_number(text)


# --- 32-bit numbers and lifetimes -----------------------------------------------------------------


@pytest.mark.parametrize("option", ["polling_interval", "mm_lifetime"])
def test_minutes_are_from_1_to_what_32_bit_seconds_hold(option):
    assert MAX_MINUTES == 71582788
    assert getattr(policy_from({"name": "P", option: MAX_MINUTES}, fill_defaults=False), option) == MAX_MINUTES
    assert getattr(policy_from({"name": "P", option: 1}, fill_defaults=False), option) == 1
    words = "expected a whole number from 1 to 71582788 minutes: Windows keeps them as 32-bit seconds, and 0 means its default"
    for value in (0, MAX_MINUTES + 1, -1, MAX_NUMBER + 1):
        assert refused(lambda: policy_from({"name": "P", option: value}, fill_defaults=False), option, words).value == value


def test_quick_modes_per_main_mode_are_from_0_to_netshs_largest_number():
    assert policy_from({"name": "P", "qm_per_mm": 0}, fill_defaults=False).qm_per_mm == 0
    assert policy_from({"name": "P", "qm_per_mm": MAX_NUMBER}, fill_defaults=False).qm_per_mm == MAX_NUMBER
    for value in (-1, MAX_NUMBER + 1):
        refused(lambda: policy_from({"name": "P", "qm_per_mm": value}, fill_defaults=False), "qm_per_mm", "from 0 to 2147483647")


def test_a_store_may_hold_what_a_task_may_not_ask_for():
    # 0 is what a host may show for "the default" (it is read, never written); beyond 32 bits is not.
    assert Policy("P", mm_lifetime=0, polling_interval=0).mm_lifetime == 0
    with pytest.raises(InvalidInput, match="mm_lifetime"):
        Policy("P", mm_lifetime=MAX_MINUTES + 1)
    with pytest.raises(InvalidInput, match="qm_per_mm"):
        Policy("P", qm_per_mm=MAX_NUMBER + 1)
    refused(lambda: check_number("n", True), "n", "whole number")


@pytest.mark.parametrize("method, words", [
    ("ESP[3DES,SHA1]:0k/0s", "kilobytes"),
    ("ESP[3DES,SHA1]:100k/0s", "seconds"),
    ("ESP[3DES,SHA1]:0s", "seconds"),
    ("AH[MD5]:0k", "kilobytes"),
    (f"AH[MD5]:{MAX_LIFETIME + 1}k", "kilobytes"),
    ("ESP[DES,MD5]:١٠k", "expected ESP"),
])
def test_quick_mode_lifetimes_must_be_from_1_to_the_32_bit_maximum(method, words):
    refused(lambda: quick_mode_method(method, field="qm_security_methods[0]"), "qm_security_methods[0]", words)


def test_the_largest_and_smallest_lifetimes_are_kept():
    assert MAX_LIFETIME == 4294967295
    assert quick_mode_method(f"esp[3des,sha1]:1k/{MAX_LIFETIME}s") == f"ESP[3DES,SHA1]:1k/{MAX_LIFETIME}s"


# --- addresses -----------------------------------------------------------------------------------


@pytest.mark.parametrize("entry, field", [
    ({"source": "fe80::1%eth0"}, "source"),
    ({"destination": "fe80::1%12"}, "destination"),
    ({"source": "fe80::1%eth0-fe80::9"}, "source"),
    ({"source": "fe80::1-fe80::9%3"}, "source"),
])
def test_an_ipv6_zone_index_is_refused(entry, field):
    refused(lambda: expand_filters(entry), field, "zone index")


def test_a_tunnel_with_a_zone_index_is_refused():
    refused(lambda: policy_from({"name": "P", "rules": [{"name": "r", "filter_list": "L", "filter_action": "A", "tunnel": "fe80::1%eth0"}]},
                                fill_defaults=False), "rules[0].tunnel", "zone index")


def test_a_percent_sign_elsewhere_is_simply_not_an_address():
    refused(lambda: expand_filters({"source": "web%01"}), "source", "expected any, me")


# --- root CA -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("root_ca, word", [
    ("CN=Corp Root certmap:yes", "certmap:yes"),
    ("CN=Corp Root CERTMAP:no", "CERTMAP:no"),
    ("CN=Corp Root excludecaname:yes", "excludecaname:yes"),
    ("certmap:yes", "certmap:yes"),
    ("CN=Corp  certmap:yes excludecaname:no", "certmap:yes"),
])
def test_a_root_ca_name_holding_netshs_option_words_is_refused(root_ca, word):
    rules = [{"name": "r", "filter_list": "L", "filter_action": "A", "authentication": [{"root_ca": root_ca}]}]
    error = refused(lambda: policy_from({"name": "P", "rules": rules}, fill_defaults=False), "rules[0].authentication[0].root_ca",
                    "must be the certificate name only")
    assert "certmap and exclude_ca_name options" in error.reason
    assert error.reason.startswith(f"must be the certificate name only: {word!r} is written by the collection")


def test_option_words_glued_to_the_name_are_part_of_it():
    rules = [{"name": "r", "filter_list": "L", "filter_action": "A", "authentication": [{"root_ca": "CN=nocertmap:yes"}]}]
    assert policy_from({"name": "P", "rules": rules}, fill_defaults=False).rules[0].auth_methods[0].secret_or_ca == "CN=nocertmap:yes"


# --- names differing only by case ---------------------------------------------------------------


@pytest.mark.parametrize("kind, entries", [
    ("filter_actions", [{"name": "Permit", "action": "permit"}, {"name": "PERMIT", "action": "permit"}]),
    ("filter_lists", [{"name": "Web"}, {"name": "web"}]),
    ("policies", [{"name": "LD - Block"}, {"name": "LD - block"}]),
])
def test_two_names_in_one_config_that_differ_only_by_case_are_refused(kind, entries):
    error = refused(lambda: store_from_config({kind: entries}, fill_defaults=True), f"config.{kind}[1].name", "names must be unique")
    assert error.reason == f"names must be unique, and Windows ignores case in names ({kind}[0] has it too)"


def test_two_rule_names_of_a_policy_that_differ_only_by_case_are_refused():
    rules = [{"name": "Web", "filter_list": "L", "filter_action": "A"}, {"name": "WEB", "filter_list": "L", "filter_action": "A"}]
    refused(lambda: policy_from({"name": "P", "rules": rules}, fill_defaults=False), "rules[1].name", "ignores case")


def test_assigned_names_a_config_policy_in_any_case():
    store = store_from_config({"policies": [{"name": "Packet Filter"}], "assigned": "packet filter"}, fill_defaults=True)
    assert store.policies["Packet Filter"].assigned is True


def test_a_complete_store_must_define_the_policy_it_assigns():
    refused(lambda: complete_store_from_config({"policies": [], "assigned": "Gone"}), "config.assigned", "names no policy of the backup")
    store = complete_store_from_config({"policies": [{"name": "P"}, {"name": "Q"}], "assigned": "q"})
    assert [policy.assigned for policy in store.policies.values()] == [False, True]
    assert complete_store_from_config({"policies": [{"name": "P"}], "assigned": ""}).policies["P"].assigned is False
    assert complete_store_from_config({}) == Store()
    filled = complete_store_from_config({"policies": [{"name": "P"}], "filter_lists": [{"name": "L"}]})
    assert filled.policies["P"].description == "" and filled.policies["P"].mm_lifetime == 480 and filled.filter_lists["L"].filters == ()
