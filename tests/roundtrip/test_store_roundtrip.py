"""Property: a random store -> its creation commands (collection renderer) -> run in the emulated
netsh (an independent implementation) -> the read path's show commands -> collection parser == the
store. Commands travel as Windows command lines: quoted by the collection's ``join_c`` and split by
the emulator's own MSVCRT parser, as netsh.exe would receive them.

Output is requested in UTF-8 (code page 65001) here so that any name survives; what a host's OEM
code page can carry is a separate question (docs/assumptions.md A-20).
"""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._parse import READ_COMMANDS, parse_store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._quote import join_c
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._render import creation_changes, render_change, render_script
from model_strategies import stores
from netsh_emulator import run_netsh
from netsh_emulator._crt import split_c

_counter = itertools.count()


def _run(command_line: str, env: dict) -> str:
    rc, stdout, stderr = run_netsh(split_c(command_line), env)
    text = stdout.decode("utf-8")
    assert rc == 0 and "ERR IPsec[" not in text and not stderr, (command_line, rc, text, stderr)
    return text


def _show_all(env: dict) -> list[tuple[str, str]]:
    outputs = []
    for argv in READ_COMMANDS:
        rc, stdout, dummy = run_netsh(list(argv), env)
        outputs.append((" ".join(argv), stdout.decode("utf-8")))
    return outputs


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(store=stores())
def test_rendered_store_reads_back_equal(tmp_path_factory, store):
    state = tmp_path_factory.getbasetemp() / f"roundtrip-{next(_counter)}.json"
    env = {"NETSH_EMU_STATE": str(state), "NETSH_EMU_CODEPAGE": "65001"}
    for change in creation_changes(store):
        _run(join_c(render_change(change)), env)
    gathered = parse_store(_show_all(env))
    assert render_script(gathered, redact=False) == render_script(store, redact=False)
    assert gathered == store
