# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The decoder against the three real exports of tests/unit/fixtures/registry (goldens checked by hand
against GPIPSEC.md §8), and every blob of them decoded on its own."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._addresses import ANY, ME
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import KERBEROS, AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Action, ConnectionType, Filter
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._regfile import decode_reg_bytes, parse_reg_export
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_action import decode_negotiation_policy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_filter import decode_filter_list
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_policy import IsakmpBlob, PolicyBlob, decode_isakmp, decode_policy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_rule import NfaBlob, decode_nfa
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_store import decode_snapshot
from store_json import to_json

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "registry"
SAMPLES = sorted(FIXTURES.glob("*.reg"))
W10, W11, W2K = (FIXTURES / f"{name}.reg" for name in (
    "win10_gsecurity_2019-12_ipsec", "win11_gsecurity_2025-12_ipsec", "win2000_vpnease_template_rendered_ipsec"))


def snapshot(path: Path):
    return parse_reg_export(decode_reg_bytes(path.read_bytes()))


def blobs(path: Path) -> dict:
    """ipsecData (and the action's GUID values) of each object key, by key name."""
    found = {}
    for key in snapshot(path).objects:
        found[key.name] = (key.value("ipsecData").data, key)
    return found


def test_there_are_three_samples() -> None:
    assert [path.name for path in SAMPLES] == [W10.name, W11.name, W2K.name]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_each_sample_decodes_to_its_golden(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    decoded = decode_snapshot(snapshot(path))
    assert to_json(decoded.store) == expected["store"]
    assert decoded.domain_policy is expected["domain_policy"] is None


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
@pytest.mark.parametrize("encoding", ["utf-16-crlf", "utf-8-crlf", "utf-8-bom-lf"])
def test_each_sample_reads_the_same_in_utf16_and_utf8(path: Path, encoding: str) -> None:
    text = path.read_text("utf-8")
    if encoding == "utf-16-crlf":
        data = codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le")  # as regedit writes version 5.00
    elif encoding == "utf-8-crlf":
        data = text.replace("\n", "\r\n").encode("utf-8")
    else:
        data = codecs.BOM_UTF8 + text.encode("utf-8")
    assert parse_reg_export(decode_reg_bytes(data)) == snapshot(path)


def test_w10_blobs_of_8_1_8_2_8_3_8_5_decode_field_by_field() -> None:
    found = blobs(W10)
    assert decode_policy(found["ipsecPolicy{fef1d3cd-e509-4d7e-ac24-4a23afc9eb26}"][0], key="p") == PolicyBlob(180)
    assert decode_isakmp(found["ipsecISAKMPPolicy{ec3a9fd0-e4a6-424a-b404-b12c193fe563}"][0], key="i") == IsakmpBlob(
        mmpfs=False, qm_per_mm=0, mm_lifetime=480, mm_security_methods=("3DES-SHA1-2",))
    default = decode_negotiation_policy(found["ipsecNegotiationPolicy{00490fc2-3a37-419d-bbb4-1f83be7050d9}"][0], key="n",
                                        action="{8a171dd3-77e3-11d1-8659-a04f00000000}", policy_type="{62f49e13-6c37-11d1-864c-14a300000000}")
    assert (default.default_response, default.action, default.qmpfs, default.soft, default.qm_security_methods) == (
        True, Action.NEGOTIATE, False, False, ("ESP[3DES,SHA1]", "AH[SHA1]"))
    block = decode_negotiation_policy(found["ipsecNegotiationPolicy{36e031c3-e248-4274-acd2-157f8aa000bf}"][0], key="n",
                                      action="{3f91a819-7647-11d1-864d-d46a00000000}", policy_type="{62f49e10-6c37-11d1-864c-14a300000000}")
    assert (block.default_response, block.action, block.qm_security_methods) == (False, Action.BLOCK, ())
    assert decode_nfa(found["ipsecNFA{fec14657-c53e-4a4f-bd6c-e5a3d4d7b1df}"][0], key="r") == NfaBlob((KERBEROS,), ConnectionType.ALL, "", False)
    # "differ from this blob only at offset 52 (Is-Active = 1) and, for the dial-up rule, at offset 34" (§8.5)
    assert decode_nfa(found["ipsecNFA{7963c026-53c2-468d-a3be-2a9f86441647}"][0], key="r") == NfaBlob((KERBEROS,), ConnectionType.ALL, "", True)
    assert decode_nfa(found["ipsecNFA{55e17124-5934-4c81-b22b-0a644a4a4f01}"][0], key="r") == NfaBlob((KERBEROS,), ConnectionType.DIALUP, "", True)


def test_w10_filter_lists_decode_in_stored_order() -> None:
    found = blobs(W10)
    protocols = decode_filter_list(found["ipsecFilter{4e7abc22-0344-4449-8cdd-a657421c35fc}"][0], key="f")
    # Stored order (the model sorts; the blob decoder does not): 8, 20, 1, 255, 27, 66, 22, then TCP and UDP port pairs.
    assert [(item.protocol, item.source_port, item.destination_port) for item in protocols][:8] == [
        (8, 0, 0), (20, 0, 0), (1, 0, 0), (255, 0, 0), (27, 0, 0), (66, 0, 0), (22, 0, 0), (6, 1, 52)]
    assert len(protocols) == 17 and all(item.mirrored and item.source == item.destination == ANY for item in protocols)
    assert decode_filter_list(found["ipsecFilter{687ec486-1e0c-41d1-8e73-de45fc3b5941}"][0], key="f") == (Filter(ANY, ANY, 0, 0, 0, True),)


def test_w11_allow_list_of_8_4_decodes_filter_by_filter() -> None:
    found = blobs(W11)
    assert decode_filter_list(found["ipsecFilter{d322f302-9d28-4cf1-b210-f1f66ca3131a}"][0], key="f") == (
        Filter(ME, ANY, 6, 0, 53, False),
        Filter(ME, ANY, 6, 0, 443, False),
        Filter(ANY, ME, 6, 443, 0, False),
        Filter(ANY, ANY, 17, 0, 67, True),
        Filter(ANY, ANY, 17, 0, 68, True),
    )
    permit = decode_negotiation_policy(found["ipsecNegotiationPolicy{63c906b6-8f7b-48ed-8571-8de77959f056}"][0], key="n",
                                       action="{8a171dd2-77e3-11d1-8659-a04f00000000}", policy_type="{62f49e10-6c37-11d1-864c-14a300000000}")
    assert (permit.action, permit.inpass, permit.qm_security_methods) == (Action.PERMIT, False, ())


def test_w11_orphan_rule_is_decoded_but_belongs_to_no_policy() -> None:
    """ipsecNFA{cd898cf4-...} names the policy in its ipsecOwnersReference, but the policy's
    ipsecNFAReference does not list it: it decodes, and is no rule of the policy."""
    found = blobs(W11)
    assert decode_nfa(found["ipsecNFA{cd898cf4-119f-4c4a-83f8-eda058c3c44c}"][0], key="r").activate is True
    policy = decode_snapshot(snapshot(W11)).store.policies["GSecurity Policy"]
    assert len(policy.unnamed_rules) == 2


def test_w2000_blobs_decode_despite_garbage_in_ignored_fields() -> None:
    """§8.2: key lengths, rounds, Zero7 byte, per-method PFS garbage; §8.3: stale UTF-16 in unused slots."""
    found = blobs(W2K)
    assert decode_isakmp(found["ipsecISAKMPPolicy{00000003-0000-4000-8000-000000000003}"][0], key="i") == IsakmpBlob(
        mmpfs=False, qm_per_mm=0, mm_lifetime=480, mm_security_methods=("3DES-SHA1-2", "3DES-MD5-2", "DES-SHA1-1", "DES-MD5-1"))
    custom = decode_negotiation_policy(found["ipsecNegotiationPolicy{00000005-0000-4000-8000-000000000005}"][0], key="n",
                                       action="{8A171DD3-77E3-11D1-8659-A04F00000000}", policy_type="{62F49E10-6C37-11D1-864C-14A300000000}")
    assert custom.qm_security_methods == ("ESP[3DES,MD5]:300s",)
    default = decode_negotiation_policy(found["ipsecNegotiationPolicy{00000004-0000-4000-8000-000000000004}"][0], key="n",
                                        action="{8A171DD3-77E3-11D1-8659-A04F00000000}", policy_type="{62F49E13-6C37-11D1-864C-14A300000000}")
    # ESP Algorithm-Identifier 1 is "null" per the spec (GPIPSEC.md §4.2, §7.6): the decision of this collection.
    assert default.qm_security_methods == ("ESP[3DES,SHA1]", "ESP[3DES,MD5]", "ESP[None,SHA1]", "ESP[None,MD5]", "AH[SHA1]", "AH[MD5]")
    assert decode_nfa(found["ipsecNFA{00000007-0000-4000-8000-000000000007}"][0], key="r") == NfaBlob(
        (AuthMethod(AuthKind.PRESHARED_KEY, "example-psk"),), ConnectionType.ALL, "", True)
    assert decode_filter_list(found["ipsecFilter{00000002-0000-4000-8000-000000000002}"][0], key="f")[0].source_port == 1701


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_every_blob_of_every_sample_decodes_alone(path: Path) -> None:
    decoders = {
        "ipsecpolicy": lambda data, key: decode_policy(data, key=key.name),
        "ipsecisakmppolicy": lambda data, key: decode_isakmp(data, key=key.name),
        "ipsecfilter": lambda data, key: decode_filter_list(data, key=key.name),
        "ipsecnfa": lambda data, key: decode_nfa(data, key=key.name),
        "ipsecnegotiationpolicy": lambda data, key: decode_negotiation_policy(
            data, key=key.name, action=key.value("ipsecNegotiationPolicyAction").data, policy_type=key.value("ipsecNegotiationPolicyType").data),
    }
    found = blobs(path)
    assert found
    for name, (data, key) in found.items():
        assert decoders[name.partition("{")[0].lower()](data, key) is not None


def test_the_pre_shared_key_comes_out_in_clear_in_the_model() -> None:
    policy = decode_snapshot(snapshot(W2K)).store.policies["VPNease Policy 192.0.2.1"]
    assert policy.rules[0].auth_methods[0].secret_or_ca == "example-psk"
    assert "example-psk" not in repr(policy.rules[0].auth_methods[0])  # the model keeps it out of repr
