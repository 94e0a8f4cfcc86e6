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
# ansible-core before 2.19 censors a boolean whose text holds a secret ("False" holds "a"); censored keeps booleans
# on every core (they cannot carry a secret, and 2.19 and later keep them too), so where the installed core does
# not, the comparison with remove_values leaves booleans out and test_booleans_are_kept pins them.
BOOLEANS_KEPT = remove_values({"k": False}, ["a"])["k"] is False
# Those cores also replace several secrets in a set's order, so their result for overlapping secrets ("0" and "00")
# changes from run to run: there the comparison takes one secret at a time.
secrets = st.lists(st.text(alphabet, min_size=1, max_size=3), max_size=3 if BOOLEANS_KEPT else 1)
scalars = st.one_of(st.none(), *([st.booleans()] if BOOLEANS_KEPT else []), st.integers(-100, 9999),
                    st.floats(allow_nan=False, allow_infinity=False, width=32), st.text(alphabet, max_size=8))
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


def test_booleans_are_kept():
    assert censored({"k": False, "t": True}, ["a", "e"]) == {"k": False, "t": True}


def test_what_is_not_plain_data_goes_to_remove_values():
    moment = datetime.date(2026, 12, 6)
    # ansible-core 2.19 and later keep a date, earlier releases write it as ISO text: whatever the installed one does.
    when = remove_values({"when": moment}, ["abc"])["when"]
    assert when in (moment, "2026-12-06")
    assert censored({"when": moment, "tags": {"abc"}}, ["abc"]) == {"when": when, "tags": {WHOLE}}
