# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_censor.censored does to a task result exactly what ansible's remove_values does."""

from __future__ import annotations

import datetime

from ansible.module_utils.common.parameters import remove_values
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._censor import PART, WHOLE, censored

alphabet = st.sampled_from("ab8*0 ")
secrets = st.lists(st.text(alphabet, min_size=1, max_size=3), max_size=3)
scalars = st.one_of(st.none(), st.booleans(), st.integers(-100, 9999), st.floats(allow_nan=False, allow_infinity=False, width=32),
                    st.text(alphabet, max_size=8))
data = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.tuples(inner, inner), st.dictionaries(st.text(alphabet, max_size=3), inner, max_size=4)), max_leaves=20)


def plain(value):
    """remove_values' output as plain data (it may tag its copies)."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


@settings(max_examples=400)
@given(data, secrets)
def test_censored_is_remove_values(value, no_log_values):
    expected = plain(remove_values(value, no_log_values)) if no_log_values else value
    assert censored(value, no_log_values) == expected


def test_the_two_replacements_and_what_stays():
    result = {"msg": "psk=abc failed", "key": "abc", "port": 8080, "ok": True, "none": None, "abc": ["x", ("abc",)]}
    assert censored(result, ["abc", "80"]) == {"msg": f"psk={PART} failed", "key": WHOLE, "port": WHOLE, "ok": True, "none": None,
                                               "abc": ["x", [WHOLE]]}
    assert censored(result, []) is result  # nothing to censor: untouched, not copied


def test_what_is_not_plain_data_goes_to_remove_values():
    moment = datetime.date(2026, 12, 6)
    assert censored({"when": moment, "tags": {"abc"}}, ["abc"]) == {"when": moment, "tags": {WHOLE}}
