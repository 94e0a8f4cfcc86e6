# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""On the netsh read path, text the host's code page cannot print is refused before anything is written."""

from __future__ import annotations

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import PlanError
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._methods import AuthKind, AuthMethod
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import DefaultResponseRule, FilterAction, FilterList, Policy, Rule, Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._read import refuse_unshowable
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import TransportError

TAIL = (", so read_from=netsh would never read it back as written; read the store from the registry (read_from: registry, the default), "
        "which keeps any character")


@pytest.mark.parametrize("want, start", [
    (Store.of(filter_lists=[FilterList("中文")]),
     "the filter list name '中文' has characters that netsh cannot print in the host's code page 437 ('中', '文')"),
    (Store.of(filter_lists=[FilterList("Web", description="δίκτυο")]),
     "the description of filter list 'Web' 'δίκτυο' has characters that netsh cannot print in the host's code page 437 ('ί', 'κ', 'ο', 'υ')"),
    (Store.of(filter_actions=[FilterAction("許可")]), "the filter action name '許可' has characters"),
    (Store.of(filter_actions=[FilterAction("Permit", description="✓")]), "the description of filter action 'Permit' '✓' has characters"),
    (Store.of(policies=[Policy("😀")]), "the policy name '😀' has characters"),
    (Store.of(policies=[Policy("P", description="ü ✓")]),
     "the description of policy 'P' 'ü ✓' has characters that netsh cannot print in the host's code page 437 ('✓')"),
    (Store.of(policies=[Policy("P", rules=(Rule("κ rule"),))]), "the name of rule 'κ rule' of policy 'P' 'κ rule' has characters"),
    (Store.of(policies=[Policy("P", rules=(Rule("r", description="→"),))]), "the description of rule 'r' of policy 'P' '→' has characters"),
    (Store.of(policies=[Policy("P", rules=(Rule("r", auth_methods=(AuthMethod(AuthKind.ROOT_CA, "CN=Zürich ✓"),)),))]),
     "an authentication method of rule 'r' of policy 'P' 'CN=Zürich ✓' has characters"),
    (Store.of(policies=[Policy("P", rules=(Rule("r", auth_methods=(AuthMethod(AuthKind.PRESHARED_KEY, "clé✓"),)),))]),
     "an authentication method of rule 'r' of policy 'P' (a pre-shared key, not shown) has characters that netsh cannot print "
     "in the host's code page 437" + TAIL),
    (Store.of(policies=[Policy("P", default_rule=DefaultResponseRule(auth_methods=(AuthMethod(AuthKind.PRESHARED_KEY, "✓"),)))]),
     "an authentication method of the default response rule of policy 'P' (a pre-shared key, not shown) has characters"),
])
def test_text_the_code_page_lacks_is_refused_naming_it(want, start):
    with pytest.raises(PlanError) as raised:
        refuse_unshowable(want, 437)
    message = str(raised.value)
    assert message.startswith(start) and message.endswith(TAIL)
    if "pre-shared key" in start:
        assert "clé" not in message and "✓" not in message  # a key never shows, nor its characters


def test_what_the_code_page_has_passes():
    store = Store.of(
        filter_lists=[FilterList("Café", description="ü")], filter_actions=[FilterAction("Ñ")],
        policies=[Policy("P", description="é", rules=(Rule("r", description="à", auth_methods=(AuthMethod(AuthKind.PRESHARED_KEY, "ß"),)),))],
    )
    refuse_unshowable(store, 437)
    refuse_unshowable(Store.of(filter_lists=[FilterList("中文")]), 936)  # GBK has it
    refuse_unshowable(Store.of(filter_lists=[FilterList("😀")]), 65001)  # UTF-8 has everything
    with pytest.raises(PlanError, match="code page 850"):
        refuse_unshowable(Store.of(filter_lists=[FilterList("Ω")]), 850)


def test_a_code_page_without_a_codec_is_a_transport_error():
    with pytest.raises(TransportError, match="the host's OEM code page 1 has no Python codec"):
        refuse_unshowable(Store(), 1)
