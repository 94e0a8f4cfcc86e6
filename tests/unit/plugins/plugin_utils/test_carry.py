# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The prediction a check run carries per host: read back exactly, kept per host, private, and used
by the engine in check mode only."""

from __future__ import annotations

import json
import os
import shlex
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from netsh_emulator import run_powershell
from test_plan import gathered_stores

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._carry import SUBDIRECTORY, Carried, decode, encode
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._engine import converge, current_store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Action, Filter, FilterAction, FilterList, Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import State
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._read import HostState
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._registry_store import DomainPolicy
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._transport import NetshRunner

BLOCK = Store.of(filter_actions=[FilterAction("Block", Action.BLOCK, "", False, False, False, ())])  # complete, as gathered
BLOCKED = HostState(BLOCK, None, 437)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(store=gathered_stores())
def test_a_prediction_reads_back_equal_duplicates_keys_and_all(store):
    assert decode(encode(HostState(store, None, 850))) == HostState(store, None, 850)


def test_the_domain_policy_and_code_page_travel_with_the_store():
    state = HostState(BLOCK, DomainPolicy("Corp IPsec", "LDAP://CN=ipsecPolicy{1},CN=IP Security,CN=System,DC=corp"), 65001)
    assert decode(encode(state)) == state


def test_the_file_says_what_it_is():
    assert json.loads(encode(HostState(Store(), None, 437))) == {
        "format": "lockdown.ipsec.prediction", "version": 1,
        "store": {"filter_lists": [], "filter_actions": [], "policies": [], "assigned": ""},
        "unnamed_rules": {}, "domain_policy": None, "codepage": 437,
    }


def test_duplicate_filters_survive_the_round_trip():
    twins = Store.of(filter_lists=[FilterList("L", "", (Filter.build(), Filter.build(), Filter.build(protocol="tcp", destination_port=80)))])
    again = decode(encode(HostState(twins, None, 437))).store
    assert again.filter_lists["L"].filters == twins.filter_lists["L"].filters
    assert len(again.filter_lists["L"].filters) == 3


@pytest.mark.parametrize("text", ["", "[]", '{"format": "other", "version": 1, "store": {}}', '{"format": "lockdown.ipsec.prediction", "version": 2}'])
def test_anything_else_is_no_prediction(text):
    with pytest.raises(ValueError):
        decode(text)


def test_one_file_per_host_private_and_gone_when_forgotten(tmp_path):
    web, mail = Carried(str(tmp_path), "web01"), Carried(str(tmp_path), "mail01")
    assert web.load() is None
    web.save(BLOCKED)
    assert web.load() == BLOCKED and mail.load() is None
    assert os.path.dirname(web.path) == str(tmp_path / SUBDIRECTORY)
    assert stat.S_IMODE(os.stat(web.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / SUBDIRECTORY).st_mode) == 0o700
    assert "web01" not in os.path.basename(web.path)  # a hash: any inventory name makes a file name
    web.forget()
    web.forget()  # twice is fine
    assert web.load() is None and os.listdir(tmp_path / SUBDIRECTORY) == []


def test_no_directory_carries_nothing(tmp_path):
    nowhere = Carried(None, "web01")
    nowhere.save(BLOCKED)
    assert nowhere.load() is None and nowhere.path is None
    nowhere.forget()


def test_a_damaged_file_is_no_prediction(tmp_path):
    carried = Carried(str(tmp_path), "web01")
    carried.save(BLOCKED)
    with open(carried.path, "w", encoding="utf-8") as handle:
        handle.write("{not json")
    assert carried.load() is None


@pytest.fixture
def host(tmp_path):
    env = {"NETSH_EMU_STATE": str(tmp_path / "store.json")}
    calls = []

    def execute(command: str, stdin: bytes):
        calls.append(command)
        rc, out, err = run_powershell(shlex.split(command)[1:], stdin, env)
        return rc, out.decode("ascii"), err.decode("utf-8")

    execute.calls = calls
    return execute


def test_check_mode_plans_from_the_carried_store_without_a_round_trip(host, tmp_path):
    carried = Carried(str(tmp_path / "run"), "web01")
    first = converge(NetshRunner(host), lambda have: BLOCK, state=State.MERGED, check_mode=True, carried=carried)
    assert first.changed and carried.load().store == first.after
    runner = NetshRunner(host)
    lists = Store.of(filter_lists=[FilterList("All", "", ())])
    second = converge(runner, lambda have: lists, state=State.MERGED, check_mode=True, carried=carried)
    assert runner.round_trips == 0 and second.before == first.after  # planned against the prediction
    assert sorted(second.after.filter_actions) == ["Block"] and sorted(second.after.filter_lists) == ["All"]
    assert carried.load().store == second.after
    assert current_store(NetshRunner(host), check_mode=True, carried=carried) == (second.after, True)
    assert current_store(NetshRunner(host), check_mode=False, carried=None) == (Store(), False)  # the host has nothing


def test_a_real_task_forgets_the_prediction_before_it_reads_and_writes(host, tmp_path):
    carried = Carried(str(tmp_path / "run"), "web01")
    carried.save(BLOCKED)
    runner = NetshRunner(host)
    real = converge(runner, lambda have: Store.of(filter_lists=[FilterList("All", "", ())]), state=State.MERGED, check_mode=False, carried=carried)
    assert real.before == Store() and runner.round_trips == 2  # the host, not the prediction
    assert carried.load() is None
    assert current_store(NetshRunner(host), check_mode=True, carried=carried) == (real.after, False)
