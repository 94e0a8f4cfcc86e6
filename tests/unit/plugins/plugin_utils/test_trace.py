# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a read's answer looks like in the runner's log: pre-shared keys hidden wherever the answer
holds them (netsh text, registry strings, rule blobs as UTF-16LE, GPIPSEC.md §5.1), and, when the keys
are not known, rule blobs withheld and key lines cut."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import KERBEROS, AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import DefaultResponseRule, Policy, Rule, Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._regfile import decode_reg_bytes, parse_reg_export
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._trace import HIDDEN, answer_trace, secrets_of, withheld_trace

W2K = Path(__file__).resolve().parents[2] / "fixtures" / "registry" / "win2000_vpnease_template_rendered_ipsec.reg"
W2K_KEY = "example-psk"  # the pre-shared key of the W2K sample's rule (PROVENANCE.md)
PSK_RULE = "ipsecNFA{00000007-0000-4000-8000-000000000007}"
WITHHELD = "(withheld: {} bytes of a rule, which may hold a pre-shared key in clear)"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def psk(key: str) -> AuthMethod:
    return AuthMethod(AuthKind.PRESHARED_KEY, key)


def run(stdout: bytes, *, rc: int = 0, stderr: str = "") -> dict:
    """One command's result as the batch script sends it (stdout as base64 of netsh's bytes)."""
    return {"rc": rc, "stdout": b64(stdout), "stderr": stderr}


def value(name: str, kind: str, data) -> dict:
    return {"name": name, "kind": kind, "data": data}


def binary(name: str, raw: bytes) -> dict:
    return value(name, "Binary", b64(raw))


def answer(results=(), *, local=None, group_policy=None, codepage: int = 437, registry: bool = True) -> dict:
    """An answer document of the batch script."""
    return {"codepage": codepage, "results": list(results), "files": [],
            "registry": {"local": local, "group_policy": group_policy} if registry else None}


def local(values=(), **subkeys) -> dict:
    """``Policy\\Local``: its own values, and one subkey per keyword (name -> values)."""
    return {"values": list(values), "keys": [{"name": name, "values": list(entries)} for name, entries in subkeys.items()]}


def traced(document: dict, secrets) -> dict:
    return json.loads(answer_trace(document, secrets))


def w2k_rule_blob() -> bytes:
    """The W2K sample's pre-shared-key rule blob (85 bytes, GPIPSEC.md §8.5): the key in UTF-16LE at offset 28."""
    snapshot = parse_reg_export(decode_reg_bytes(W2K.read_bytes()))
    return next(key for key in snapshot.objects if key.name == PSK_RULE).value("ipsecData").data


def stars(key: str) -> str:
    """The hex a key's UTF-16LE bytes become once hidden: one ``*`` per character."""
    return " ".join(["2a 00"] * len(key))


# --- secrets_of ---------------------------------------------------------------------------------------


def test_secrets_come_from_named_rules_unnamed_rules_and_default_rules_of_every_policy_longest_first():
    store = Store.of(policies=[
        Policy("Corp", rules=(Rule("R1", auth_methods=(KERBEROS, psk("named-rule-key"))),
                              Rule("R2", auth_methods=(AuthMethod(AuthKind.ROOT_CA, "CN=Root CA, O=Corp"),))),
               unnamed_rules=(Rule("", auth_methods=(psk("unnamed-key"),)),),
               default_rule=DefaultResponseRule(auth_methods=(psk("d-key"), KERBEROS))),
        Policy("Lab", rules=(Rule("R1", auth_methods=(psk("the-longest-key-of-all"),)),),
               default_rule=DefaultResponseRule(auth_methods=(psk("a-default-rule-key"),))),
    ])
    assert secrets_of(store) == ("the-longest-key-of-all", "a-default-rule-key", "named-rule-key", "unnamed-key", "d-key")


def test_kerberos_and_certificates_are_no_secrets_and_a_shared_key_counts_once():
    store = Store.of(policies=[
        Policy("A", rules=(Rule("R", auth_methods=(psk("shared"), KERBEROS)),),
               default_rule=DefaultResponseRule(auth_methods=(psk("shared"),))),
        Policy("B", rules=(Rule("R", auth_methods=(AuthMethod(AuthKind.ROOT_CA, "CN=Issuer", certmap=True),)),),
               unnamed_rules=(Rule("", auth_methods=(KERBEROS,)), Rule("", auth_methods=(psk("shared"),)))),
    ])
    assert secrets_of(store) == ("shared",)


def test_a_store_without_methods_has_no_secrets():
    unknown = Policy("Unknown")  # rules, unnamed rules, default rule: all None (not read)
    empty = Policy("Empty", rules=(Rule("R", auth_methods=None),), unnamed_rules=(), default_rule=DefaultResponseRule())
    assert secrets_of(Store.of(policies=[unknown, empty])) == ()
    assert secrets_of(Store()) == ()


def test_a_key_inside_another_is_listed_after_it():
    rules = (Rule("Short", auth_methods=(psk("abc"),)), Rule("Long", auth_methods=(psk("x-abc-x"),)))
    store = Store.of(policies=[Policy("P", rules=rules)])
    assert secrets_of(store) == ("x-abc-x", "abc")


# --- answer_trace: netsh text ---------------------------------------------------------------------------


def test_the_trace_is_indented_json_keeping_non_ascii_text():
    document = answer([run(b"\r\nPolicy Name : Caf\x82\r\n")], registry=False, codepage=850)
    assert answer_trace(document, ()) == (
        '{\n "codepage": 850,\n "results": [\n  {\n   "rc": 0,\n   "stdout": "\\r\\nPolicy Name : Café\\r\\n",\n'
        '   "stderr": ""\n  }\n ],\n "files": [],\n "registry": null\n}'
    )


def test_keys_in_netsh_text_are_hidden_and_everything_else_kept():
    document = answer([run(b"Auth Method : Preshared Key = s3cret\r\nDescription : s3cret twice: s3cret\r\n", rc=1, stderr="warn"),
                       run(b"nothing secret\r\n")], registry=False)
    document["extra"] = {"kept": True}
    trace = traced(document, ("s3cret",))
    assert trace == {
        "codepage": 437,
        "results": [
            {"rc": 1, "stdout": f"Auth Method : Preshared Key = {HIDDEN}\r\nDescription : {HIDDEN} twice: {HIDDEN}\r\n", "stderr": "warn"},
            {"rc": 0, "stdout": "nothing secret\r\n", "stderr": ""},
        ],
        "files": [],
        "registry": None,
        "extra": {"kept": True},
    }


@pytest.mark.parametrize("codepage, text", [
    (437, "Caf\u00e9 \u2502"), (850, "Caf\u00e9 \u00d8"), (866, "\u043a\u043b\u044e\u0447"), (936, "\u5bc6\u94a5"),
    (65001, "\u00e9\u043a\u5bc6\U0001f511"),
])
def test_netsh_text_is_decoded_with_the_hosts_code_page(codepage, text):
    codec = "utf-8" if codepage == 65001 else f"cp{codepage}"
    document = answer([run(f"Description : {text}\r\n".encode(codec))], registry=False, codepage=codepage)
    assert traced(document, ())["results"][0]["stdout"] == f"Description : {text}\r\n"


def test_bytes_the_code_page_cannot_decode_become_replacement_characters():
    document = answer([run(b"ok \xff\xfe end")], registry=False, codepage=65001)
    assert traced(document, ())["results"][0]["stdout"] == "ok \ufffd\ufffd end"


def test_a_key_in_another_code_page_is_hidden_once_decoded():
    key = "\u043a\u043b\u044e\u0447-42"  # Cyrillic, as netsh prints it in code page 866
    document = answer([run(f"Preshared Key = {key}\r\n".encode("cp866"))], registry=False, codepage=866)
    assert traced(document, (key,))["results"][0]["stdout"] == f"Preshared Key = {HIDDEN}\r\n"


@pytest.mark.parametrize("stdout, shown", [
    ("not base64!", "not base64!"),  # kept as it came
    (None, "None"),
    (12, "12"),
    (["x"], "['x']"),
])
def test_a_stdout_that_is_not_base64_text_is_shown_as_it_came(stdout, shown):
    document = answer([{"rc": 0, "stdout": stdout, "stderr": ""}], registry=False)
    assert traced(document, ())["results"][0]["stdout"] == shown


def test_an_unknown_code_page_leaves_the_base64_as_it_came():
    document = answer([run(b"abc")], registry=False, codepage=99999)
    assert traced(document, ())["results"][0]["stdout"] == b64(b"abc")
    document = answer([run(b"abc")], registry=False, codepage=None)
    assert traced(document, ())["results"][0]["stdout"] == b64(b"abc")


def test_a_lone_result_is_a_list_of_one_and_no_results_an_empty_list():
    document = answer(registry=False)
    document["results"] = run(b"key\r\n")
    assert traced(document, ("key",))["results"] == [{"rc": 0, "stdout": f"{HIDDEN}\r\n", "stderr": ""}]
    document["results"] = None
    assert traced(document, ())["results"] == []


def test_the_document_itself_is_not_changed():
    subkeys = {PSK_RULE: [binary("ipsecData", "secret".encode("utf-16-le"))]}
    document = answer([run(b"secret\r\n")], local=local([value("ActivePolicy", "String", "secret")], **subkeys))
    before = json.dumps(document, sort_keys=True)
    answer_trace(document, ("secret",))
    withheld_trace(document)
    assert json.dumps(document, sort_keys=True) == before


def test_an_empty_secret_hides_nothing():
    document = answer([run(b"abc")], local=local([value("x", "String", "abc")]), registry=True)
    trace = traced(document, ("", "b"))
    assert trace["results"][0]["stdout"] == f"a{HIDDEN}c"
    assert trace["registry"]["local"]["values"] == [value("x", "String", f"a{HIDDEN}c")]
    assert traced(document, ("",))["results"][0]["stdout"] == "abc"


# --- answer_trace: registry values ----------------------------------------------------------------------


def test_registry_strings_have_keys_hidden_and_other_kinds_are_kept():
    document = answer(
        local=local([value("ActivePolicy", "String", "the key is k3y"), value("n", "DWord", 7)],
                    **{"ipsecPolicy{1}": [value("description", "ExpandString", "%SystemRoot% k3y"),
                                          value("ipsecNFAReference", "MultiString", ["a", "b"]),
                                          value("whenChanged", "QWord", -1), "not a value", value("odd", "Unknown", None)]}),
        group_policy={"values": [value("DSIPSECPolicyName", "String", "Corp k3y")], "keys": []},
    )
    assert traced(document, ("k3y",))["registry"] == {
        "local": {
            "values": [value("ActivePolicy", "String", f"the key is {HIDDEN}"), value("n", "DWord", 7)],
            "keys": [{"name": "ipsecPolicy{1}", "values": [
                value("description", "ExpandString", f"%SystemRoot% {HIDDEN}"),
                value("ipsecNFAReference", "MultiString", ["a", "b"]),
                value("whenChanged", "QWord", -1), "not a value", value("odd", "Unknown", None),
            ]}],
        },
        "group_policy": {"values": [value("DSIPSECPolicyName", "String", f"Corp {HIDDEN}")], "keys": []},
    }


def test_binary_values_are_shown_as_spaced_hex():
    document = answer(local=local([binary("b", b"\x01\x02\xff")], **{"ipsecPolicy{1}": [binary("ipsecData", b"\x00\xab")]}),
                      group_policy={"values": [binary("g", b"")]})
    registry = traced(document, ())["registry"]
    assert registry["local"]["values"] == [value("b", "Binary", "01 02 ff")]
    assert registry["local"]["keys"][0]["values"] == [value("ipsecData", "Binary", "00 ab")]
    assert registry["group_policy"] == {"values": [value("g", "Binary", "")], "keys": []}


def test_binary_data_that_is_not_base64_is_kept_as_it_came():
    document = answer(local=local(**{PSK_RULE: [value("ipsecData", "Binary", "not base64"), value("n", "Binary", 5)]}))
    assert traced(document, ())["registry"]["local"]["keys"][0]["values"] == [
        value("ipsecData", "Binary", "not base64"), value("n", "Binary", 5)]


def test_a_key_in_a_rule_blob_is_hidden_in_place():
    raw = w2k_rule_blob()
    assert len(raw) == 85 and raw[32:56] == W2K_KEY.encode("utf-16-le") + b"\x00\x00"  # GPIPSEC.md §8.5
    document = answer(local=local(**{PSK_RULE: [binary("ipsecData", raw), value("ipsecName", "String", "rule")]}))
    shown = traced(document, (W2K_KEY,))["registry"]["local"]["keys"][0]["values"][0]["data"]
    assert shown == " ".join((raw[:32].hex(" "), stars(W2K_KEY), raw[54:].hex(" ")))
    assert W2K_KEY.encode("utf-16-le").hex(" ") not in shown and len(bytes.fromhex(shown)) == 85


def test_a_key_is_hidden_in_any_binary_value_at_any_offset():
    key = "odd"
    raw = b"\x07" + key.encode("utf-16-le") + b"\x09"  # odd offset, in a blob that is not a rule
    document = answer(local=local([binary("Stray", raw)], **{"ipsecPolicy{1}": [binary("ipsecData", raw)]}),
                      group_policy={"values": [binary("g", raw)]})
    registry = traced(document, (key,))["registry"]
    expected = value("Stray", "Binary", f"07 {stars(key)} 09")
    assert registry["local"]["values"] == [expected]
    assert registry["local"]["keys"][0]["values"] == [dict(expected, name="ipsecData")]
    assert registry["group_policy"]["values"] == [dict(expected, name="g")]


def test_a_key_inside_another_key_is_hidden_everywhere():
    rules = (Rule("Short", auth_methods=(psk("abc"),)), Rule("Long", auth_methods=(psk("x-abc-x"),)))
    store = Store.of(policies=[Policy("P", rules=rules)])
    blob = "x-abc-x".encode("utf-16-le") + b"\x00" + "abc".encode("utf-16-le")
    document = answer([run(b"keys x-abc-x and abc\r\n")],
                      local=local(**{PSK_RULE: [binary("ipsecData", blob), value("description", "String", "[x-abc-x|abc]")]}))
    trace = traced(document, secrets_of(store))
    assert trace["results"][0]["stdout"] == f"keys {HIDDEN} and {HIDDEN}\r\n"
    rule = trace["registry"]["local"]["keys"][0]["values"]
    assert rule == [value("ipsecData", "Binary", f"{stars('x-abc-x')} 00 {stars('abc')}"),
                    value("description", "String", f"[{HIDDEN}|{HIDDEN}]")]


def test_keys_with_non_ascii_characters_are_hidden_in_text_strings_and_blobs():
    key = "cl\u00e9-\u043a\u043b\u044e\u0447-\u9375"
    document = answer([run(f"Preshared Key = {key}\r\n".encode("utf-8"))], codepage=65001,
                      local=local(**{PSK_RULE: [binary("ipsecData", b"\x01\x00" + key.encode("utf-16-le") + b"\x00\x00"),
                                                value("description", "String", f"<{key}>")]}))
    trace = traced(document, (key,))
    assert trace["results"][0]["stdout"] == f"Preshared Key = {HIDDEN}\r\n"
    assert trace["registry"]["local"]["keys"][0]["values"] == [
        value("ipsecData", "Binary", f"01 00 {stars(key)} 00 00"), value("description", "String", f"<{HIDDEN}>")]


def test_a_key_stored_in_utf8_inside_a_blob_is_not_what_the_store_holds_and_shows():
    # GPIPSEC.md §5.1: keys are UTF-16LE in the blob; other encodings of the key are not looked for.
    document = answer(local=local(**{PSK_RULE: [binary("ipsecData", b"key")]}))
    assert traced(document, ("key",))["registry"]["local"]["keys"][0]["values"][0]["data"] == "6b 65 79"


def test_the_registry_as_it_came_when_it_is_not_an_object():
    for registry in (None, ["odd"], "odd"):
        document = dict(answer(registry=False), registry=registry)
        assert traced(document, ("odd",))["registry"] == registry
    document = answer(local=None, group_policy=None)
    assert traced(document, ())["registry"] == {"local": None, "group_policy": None}


def test_lone_values_and_subkeys_are_lists_of_one_and_missing_ones_empty_lists():
    document = answer(local={"values": value("a", "String", "k"), "keys": {"name": "ipsecNFA{1}", "values": value("b", "String", "k")}},
                      group_policy={"values": None})
    registry = traced(document, ("k",))["registry"]
    assert registry == {"local": {"values": [value("a", "String", HIDDEN)],
                                  "keys": [{"name": "ipsecNFA{1}", "values": [value("b", "String", HIDDEN)]}]},
                        "group_policy": {"values": [], "keys": []}}


def test_a_subkey_that_is_not_an_object_is_left_out_and_one_without_a_name_still_shown():
    document = answer(local={"values": [], "keys": ["odd", {"values": [binary("ipsecData", b"k\x00")]}]})
    assert traced(document, ("k",))["registry"]["local"]["keys"] == [{"values": [value("ipsecData", "Binary", "2a 00")]}]


# --- the property: no key survives ----------------------------------------------------------------------


def _safe(char: str) -> bool:
    """A key character whose hiding cannot make the key appear anew: not ``*`` (the hiding writes it), and
    no UTF-16 code unit with a 00 or 2a low byte or a 2a high byte (so that no key can straddle the
    ``2a 00`` a hidden character becomes in a blob)."""
    if char == "*" or 0xD800 <= ord(char) <= 0xDFFF:
        return False
    units = char.encode("utf-16-le")
    return all(units[i] not in (0x00, 0x2A) and units[i + 1] != 0x2A for i in range(0, len(units), 2))


KEY_CHARS = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")).filter(_safe)
keys = st.text(KEY_CHARS, min_size=1, max_size=10)
FILLER = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)


@st.composite
def secrets_and_document(draw):
    """A store's keys (one wrapping another, sometimes) and an answer that holds them in netsh text (UTF-8),
    registry strings and rule blobs (UTF-16LE), at random places among random text and bytes."""
    base = draw(st.lists(keys, min_size=1, max_size=4, unique=True))
    if draw(st.booleans()):
        base.append(draw(st.text(KEY_CHARS, max_size=4)) + base[0] + draw(keys))
    methods = [psk(key) for key in dict.fromkeys(base)]
    store = Store.of(policies=[Policy("P", rules=tuple(Rule(f"R{i}", auth_methods=(method,)) for i, method in enumerate(methods[1:])),
                                      unnamed_rules=(Rule("", auth_methods=(methods[0],)),),
                                      default_rule=DefaultResponseRule(auth_methods=(methods[-1],)))])

    def text() -> str:
        return "".join(draw(FILLER) + draw(st.sampled_from(base)) for dummy in range(draw(st.integers(1, 3)))) + draw(FILLER)

    def blob() -> bytes:
        return b"".join(draw(st.binary(max_size=6)) + draw(st.sampled_from(base)).encode("utf-16-le")
                        for dummy in range(draw(st.integers(1, 3))))

    def values() -> list:
        return [binary("ipsecData", blob()), value("ipsecName", "String", text()), value("description", "ExpandString", text())]

    results = [run(text().encode("utf-8")) for dummy in range(draw(st.integers(0, 3)))]
    subkeys = {f"{cls}{{{i}}}": values() for i, cls in enumerate(draw(st.lists(st.sampled_from(["ipsecNFA", "ipsecPolicy"]), max_size=3)))}
    document = answer(results, codepage=65001, local=local(values(), **subkeys), group_policy={"values": values(), "keys": []})
    return store, base, document


def _entries(registry: dict) -> list:
    """Every value of both keys and of every subkey, in order."""
    return [entry for key in (registry["local"], registry["group_policy"])
            for entry in (*key["values"], *(item for sub in key["keys"] for item in sub["values"]))]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=secrets_and_document())
def test_no_key_survives_in_text_or_as_utf16_in_blobs(case):
    store, base, document = case
    trace = traced(document, secrets_of(store))
    texts = [result["stdout"] for result in trace["results"]]
    texts += [entry["data"] for entry in _entries(trace["registry"]) if entry["kind"] != "Binary"]
    blobs = [bytes.fromhex(entry["data"]) for entry in _entries(trace["registry"]) if entry["kind"] == "Binary"]
    for key in base:
        assert not any(key in text for text in texts)
        assert not any(key.encode("utf-16-le") in blob for blob in blobs)
    # Hiding keeps every blob's length (one UTF-16 "*" per character of a key in the BMP).
    if all(ord(char) < 0x10000 for key in base for char in key):
        assert [len(blob) for blob in blobs] == [len(base64.b64decode(entry["data"])) for entry in _entries(document["registry"])
                                                 if entry["kind"] == "Binary"]


# --- withheld_trace -------------------------------------------------------------------------------------


def test_rule_blobs_are_withheld_with_their_length_and_other_blobs_shown():
    raw = w2k_rule_blob()
    document = answer(local=local([binary("Stray", b"\x01")],
                                  **{PSK_RULE: [binary("ipsecData", raw), value("ipsecName", "String", "R")],
                                     "IPSECNFA{2}": [binary("ipsecData", b"")],
                                     "ipsecPolicy{1}": [binary("ipsecData", b"\x63\x21")]}),
                      group_policy={"values": [binary("g", b"\xff")]})
    assert json.loads(withheld_trace(document))["registry"] == {
        "local": {"values": [value("Stray", "Binary", "01")],
                  "keys": [{"name": PSK_RULE, "values": [value("ipsecData", "Binary", WITHHELD.format(85)), value("ipsecName", "String", "R")]},
                           {"name": "IPSECNFA{2}", "values": [value("ipsecData", "Binary", WITHHELD.format(0))]},
                           {"name": "ipsecPolicy{1}", "values": [value("ipsecData", "Binary", "63 21")]}]},
        "group_policy": {"values": [value("g", "Binary", "ff")], "keys": []},
    }
    assert W2K_KEY.encode("utf-16-le").hex(" ") not in withheld_trace(document)


def test_lines_naming_a_preshared_key_are_cut_after_the_label():
    stdout = ("\r\nRule Name              : R\r\n"
              "Auth Method            : Preshared Key = s3cret\r\n"
              "Auth Method            : Kerberos\r\n"
              "Description            : mentions Preshared Key and s3cret\n"
              "Auth Method            : Preshared Key = last, no line end")
    document = answer([run(stdout.encode("cp437"), rc=1, stderr="e")], registry=False)
    assert json.loads(withheld_trace(document)) == {
        "codepage": 437,
        "results": [{"rc": 1, "stderr": "e", "stdout": (
            "\r\nRule Name              : R\r\n"
            f"Auth Method            : Preshared Key {HIDDEN}\r\n"
            "Auth Method            : Kerberos\r\n"
            f"Description            : mentions Preshared Key {HIDDEN}\n"
            f"Auth Method            : Preshared Key {HIDDEN}")}],  # line ends kept as they were
        "files": [],
        "registry": None,
    }


def test_withheld_text_is_decoded_with_the_code_page_and_registry_strings_are_cut_too():
    document = answer([run("Caf\u00e9\r\nPreshared Key = \u00e9\r\n".encode("cp850"))], codepage=850,
                      local=local([value("Note", "String", "a Preshared Key = x"), value("n", "DWord", -1)]))
    trace = json.loads(withheld_trace(document))
    assert trace["results"][0]["stdout"] == f"Caf\u00e9\r\nPreshared Key {HIDDEN}\r\n"
    assert trace["registry"]["local"]["values"] == [value("Note", "String", f"a Preshared Key {HIDDEN}"), value("n", "DWord", -1)]


def test_a_withheld_trace_keeps_text_without_the_label_exactly():
    text = "\r\nPolicy Name : P\r\n\r\nPre-shared key: lower case is not the label\n"
    document = answer([run(text.encode("cp437"))], registry=False)
    assert json.loads(withheld_trace(document))["results"][0]["stdout"] == text
    assert withheld_trace(document).startswith('{\n "codepage": 437,\n "results": [\n  {\n')


# Text on one line: no character str.splitlines() breaks a line at.
ONE_LINE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"))


@settings(max_examples=150, deadline=None)
@given(key=st.text(ONE_LINE, min_size=1, max_size=12), before=st.text(ONE_LINE, max_size=8), after=st.text(ONE_LINE, max_size=8))
def test_a_withheld_trace_shows_no_key_that_follows_the_label(key, before, after):
    line = f"{before}Preshared Key = {key}{after}"
    document = answer([run(f"x\r\n{line}\r\n".encode("utf-8"))], codepage=65001,
                      local=local(**{"ipsecNFA{1}": [binary("ipsecData", key.encode("utf-16-le"))]}))
    trace = json.loads(withheld_trace(document))
    assert trace["results"][0]["stdout"] == f"x\r\n{line[:line.index('Preshared Key') + len('Preshared Key')]} {HIDDEN}\r\n"
    assert trace["registry"]["local"]["keys"][0]["values"][0]["data"] == WITHHELD.format(len(key.encode("utf-16-le")))


# --- every place a key could show ------------------------------------------------------------------------


@pytest.mark.parametrize("codepage, codec", [(54936, "gb18030"), (20127, "ascii"), (28591, "latin-1")])
def test_every_code_page_the_transport_reads_is_decoded_so_keys_can_be_hidden(codepage, codec):
    document = answer([run("Auth Method : Preshared Key = s3cret\r\n".encode(codec))], registry=False, codepage=codepage)
    assert traced(document, ("s3cret",))["results"][0]["stdout"] == f"Auth Method : Preshared Key = {HIDDEN}\r\n"
    assert json.loads(withheld_trace(document))["results"][0]["stdout"] == f"Auth Method : Preshared Key {HIDDEN}\r\n"


def test_keys_in_a_multi_string_are_hidden():
    document = answer(local=local([value("Notes", "MultiString", ["one", "s3cret"])]))
    assert traced(document, ("s3cret",))["registry"]["local"]["values"] == [value("Notes", "MultiString", ["one", HIDDEN])]


def test_keys_in_netsh_stderr_are_hidden():
    document = answer([run(b"", rc=1, stderr="bad psk=s3cret")], registry=False)
    assert traced(document, ("s3cret",))["results"][0]["stderr"] == f"bad psk={HIDDEN}"


def test_hiding_a_key_outside_the_bmp_keeps_the_blob_length():
    key = "key-\U0001f511"
    raw = b"\x01" + key.encode("utf-16-le") + b"\x02"
    shown = traced(answer(local=local([binary("b", raw)])), (key,))["registry"]["local"]["values"][0]["data"]
    assert len(bytes.fromhex(shown)) == len(raw)


def test_a_key_line_is_cut_whole_even_when_the_key_holds_a_unicode_line_separator():
    document = answer([run("Auth Method : Preshared Key = abc\u2028def\r\n".encode("utf-8"))], registry=False, codepage=65001)
    assert "def" not in json.loads(withheld_trace(document))["results"][0]["stdout"]


def test_data_that_is_not_strict_base64_is_shown_as_it_came():
    # Lenient base64 would drop the "!" and decode the rest; what came is shown instead, undecoded.
    document = answer([{"rc": 0, "stdout": "QUJD!", "stderr": ""}], local=local([value("b", "Binary", "QUJD!")]))
    for trace in (traced(document, ()), json.loads(withheld_trace(document))):
        assert trace["results"][0]["stdout"] == "QUJD!" and trace["registry"]["local"]["values"][0]["data"] == "QUJD!"


def test_both_traces_keep_non_ascii_text_readable():
    document = answer([run("Caf\u00e9\r\n".encode("cp437"))], local=local([value("ipsecName", "String", "\u4e2d\u6587")]))
    for trace in (answer_trace(document, ()), withheld_trace(document)):
        assert "Caf\u00e9" in trace and "\u4e2d\u6587" in trace
