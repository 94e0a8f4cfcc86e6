# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding the commands a script runs (``_script_lines``): the real-world syntax of REAL-WORLD.md, and
every line that runs a tool but cannot be read, listed with its reason. The scripts are our own."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._script_lines import Command, Unsupported, script_commands


def argvs(text: str) -> list[tuple[str, tuple[str, ...]]]:
    commands, unsupported = script_commands(text)
    assert unsupported == (), unsupported
    return [(command.tool, command.argv) for command in commands]


def test_a_batch_file_with_comments_redirections_and_joined_commands():
    script = "\r\n".join([
        "@echo off",
        "REM close the worm ports",
        ":: another comment",
        "rem",
        "netsh ipsec static add policy name=Lock assign=y > nul",
        "netsh ipsec static add filteraction name=Block action=block 2>nul && echo ok",
        "Netsh IPsec static add filter filterlist=Worm srcaddr=any dstaddr=Me protocol=TCP dstport=445 >> log.txt 2>&1",
        "@C:\\Windows\\System32\\NETSH.EXE ipsec static add rule name=R policy=Lock filterlist=Worm filteraction=Block & pause",
        "echo netsh ipsec static delete all",
        "pause",
    ])
    assert argvs(script) == [
        ("netsh", ("add", "policy", "name=Lock", "assign=y")),
        ("netsh", ("add", "filteraction", "name=Block", "action=block")),
        ("netsh", ("add", "filter", "filterlist=Worm", "srcaddr=any", "dstaddr=Me", "protocol=TCP", "dstport=445")),
        ("netsh", ("add", "rule", "name=R", "policy=Lock", "filterlist=Worm", "filteraction=Block")),
    ]


def test_line_numbers_and_text_are_the_scripts():
    commands, dummy = script_commands("@echo off\n\nnetsh ipsec static ^\n  add policy name=P\nnetsh ipsec static del all\n")
    assert commands == (
        Command(3, "netsh ipsec static   add policy name=P", "netsh", ("add", "policy", "name=P")),
        Command(5, "netsh ipsec static del all", "netsh", ("del", "all")),
    )


@pytest.mark.parametrize("written", [
    'name = "Web Server"', "name= \"Web Server\"", 'name ="Web Server"', 'name="Web Server"', 'name=Web" "Server', '"name=Web Server"',
])
def test_spaces_around_equals_and_quotes(written):
    assert argvs(f"netsh ipsec static add filterlist {written} description=x") == [
        ("netsh", ("add", "filterlist", "name=Web Server", "description=x"))]


def test_an_empty_quoted_value_does_not_swallow_the_next_tag():
    assert argvs('netsh ipsec static add filterlist name=L description="" ') == [("netsh", ("add", "filterlist", "name=L", "description="))]
    assert argvs('netsh ipsec static add filterlist name=L description= "" x=1') == [
        ("netsh", ("add", "filterlist", "name=L", "description=", "x=1"))]


def test_powershell_lines():
    script = "\n".join([
        "# PowerShell",
        "<# a block",
        "   netsh ipsec static delete all",
        "#>",
        "netsh ipsec static add policy name='Lock Down' | Out-Null",
        "& netsh.exe ipsec static add filterlist name=L 2>$null",
        "netsh ipsec static add filteraction name=\"It's\" action=permit",
    ])
    assert argvs(script) == [
        ("netsh", ("add", "policy", "name=Lock Down")),
        ("netsh", ("add", "filterlist", "name=L")),
        ("netsh", ("add", "filteraction", "name=It's", "action=permit")),
    ]


def test_a_context_file():
    script = "pushd ipsec static\nset store location=local\nadd policy name=P\ndel rule all P\npopd\nadd policy name=Outside\n"
    commands, unsupported = script_commands(script)
    assert [(command.line, command.argv) for command in commands] == [
        (2, ("set", "store", "location=local")), (3, ("add", "policy", "name=P")), (4, ("del", "rule", "all", "P"))]
    assert unsupported == ()
    assert argvs("ipsec static\nadd filterlist name=L\n") == [("netsh", ("add", "filterlist", "name=L"))]


def test_ipsecpol_and_ipseccmd_arguments():
    assert argvs('ipsecpol -w REG -p "Packet Filter" -r "Block all" -f 0+* -n BLOCK\r\nc:\\tools\\IPSECCMD.exe -w REG -p P -x') == [
        ("ipsecpol", ("-w", "REG", "-p", "Packet Filter", "-r", "Block all", "-f", "0+*", "-n", "BLOCK")),
        ("ipseccmd", ("-w", "REG", "-p", "P", "-x")),
    ]


@pytest.mark.parametrize("line, reason", [
    ("netsh ipsec static add filter filterlist=Bans srcaddr=%IP% dstaddr=me", "uses the cmd variable '%IP%'"),
    ("netsh ipsec static add filter filterlist=Bans srcaddr=%1 dstaddr=me", "uses the cmd variable '%1'"),
    ("netsh ipsec static add filter filterlist=Bans srcaddr=!IP! dstaddr=me", "uses the cmd variable '!IP!'"),
    ("netsh ipsec static add filter filterlist=a^&b srcaddr=any dstaddr=me", "a cmd caret escape (^) inside the line"),
    ("for %%i in (1 2) do netsh ipsec static add filter filterlist=P srcaddr=10.0.0.%%i", "netsh: a cmd loop (for) runs it"),
    ("foreach ($p in 80, 443) { netsh ipsec static add policy name=P }", "netsh: a PowerShell loop runs it"),
    ("80, 443 | ForEach-Object { netsh ipsec static add filter filterlist=P dstport=80 }", "netsh: a pipeline runs it"),
    ("if exist x.txt netsh ipsec static delete all", "netsh: a condition decides whether it runs"),
    ("call netsh.exe ipsec static delete all", "netsh: it runs through call"),
    ("cmd /c netsh ipsec static delete all", "netsh: it runs through cmd"),
    ("netsh -f rules.txt", "netsh -f: running netsh with an option (-f) is not read"),
    ("netsh advfirewall firewall add rule name=x", "not a command of the static IPsec store (netsh advfirewall firewall)"),
    ("netsh ipsec dynamic show all", "not a command of the static IPsec store (netsh ipsec dynamic)"),
    ("netsh ipsec static", "netsh ipsec static without a command opens an interactive prompt"),
])
def test_lines_that_cannot_be_read_exactly_are_listed_with_the_reason(line, reason):
    commands, unsupported = script_commands(f"@echo off\r\n{line}\r\nnetsh ipsec static add policy name=After\r\n")
    assert [command.argv for command in commands] == [("add", "policy", "name=After")]
    assert len(unsupported) == 1 and unsupported[0].line == 2 and unsupported[0].text == line
    assert unsupported[0].reason.startswith(reason), unsupported[0].reason


@pytest.mark.parametrize("line, reason", [
    ("netsh ipsec static add filter filterlist=P dstport=$port", "uses the PowerShell variable '$p'"),
    ("netsh ipsec static add filter filterlist=P dstport=$($p + 1)", "uses the PowerShell variable '$('"),
    ("foreach ($p in 80, 443) { netsh ipsec static add policy name=P }", "netsh: a PowerShell loop runs it"),
])
def test_powershell_lines_that_cannot_be_read(line, reason):
    commands, unsupported = script_commands(f"$ErrorActionPreference = 'Stop'\n{line}\nnetsh ipsec static add policy name=After | Out-Null\n")
    assert [command.argv for command in commands] == [("add", "policy", "name=After")]
    assert len(unsupported) == 1 and unsupported[0].line == 2 and unsupported[0].reason.startswith(reason), unsupported


def test_the_dialect_decides_what_a_variable_is():
    assert argvs("netsh ipsec static add policy name=Cost$Center") == [("netsh", ("add", "policy", "name=Cost$Center"))]
    assert argvs("netsh ipsec static add policy name=100%Up | Out-Null") == [("netsh", ("add", "policy", "name=100%Up"))]


def test_redirections_outside_quotes_only():
    assert argvs('netsh ipsec static add policy "name=a > b" >nul 2>&1') == [("netsh", ("add", "policy", "name=a > b"))]
    assert argvs('netsh ipsec static add policy name=P 2> "err log.txt"') == [("netsh", ("add", "policy", "name=P"))]
    commands, unsupported = script_commands("netsh ipsec static add policy name=P2>nul")
    assert commands == () and unsupported[0].reason.startswith("a digit right before > (name=P2>)")


def test_null_true_and_false_are_no_variables():
    assert argvs("netsh ipsec static add policy name=P 2>$null") == [("netsh", ("add", "policy", "name=P"))]


def test_lines_without_a_tool_are_not_listed():
    assert script_commands("set IP=10.0.0.1\necho %IP%\n$ports = 80, 443\nWrite-Host $ports\n") == ((), ())


def test_a_caret_at_the_end_of_the_script_keeps_the_line():
    assert argvs("netsh ipsec static add policy name=P ^") == [("netsh", ("add", "policy", "name=P"))]


@given(st.text(alphabet=st.sampled_from(list("netsh ipsecpol%$!&|^\"'=:@#<>\r\n\tabc0123")), max_size=200))
def test_any_text_is_read_without_an_exception_and_every_entry_points_at_a_real_line(text):
    commands, unsupported = script_commands(text)
    lines = text.lstrip("\ufeff").splitlines()
    for entry in (*commands, *unsupported):
        assert 1 <= entry.line <= len(lines)
    for entry in unsupported:
        assert isinstance(entry, Unsupported) and entry.reason


# --- boundaries found by mutation testing ----------------------------------------------------------


def test_comments_that_name_a_tool_are_still_comments():
    assert script_commands("REM netsh ipsec static delete all\r\n:: netsh ipsec static delete all\r\nrem\tnetsh ipsec static delete all\r\n"
                           "@REM netsh ipsec static delete all\r\n") == ((), ())
    assert script_commands("# netsh ipsec static delete all | Out-Null\n") == ((), ())
    # "remove" is no comment: a line starting with it runs whatever it runs
    assert script_commands("remove-item x; netsh ipsec static delete all\n")[1][0].reason.startswith("netsh: the line runs it")


def test_commands_joined_on_one_line():
    assert argvs("netsh ipsec static add policy name=P & netsh ipsec static add policy name=Q && netsh ipsec static add policy name=R"
                 " || netsh ipsec static add policy name=S") == [("netsh", ("add", "policy", f"name={name}")) for name in "PQRS"]


def test_a_pipeline_into_a_tool_is_listed_however_it_is_spaced():
    commands, unsupported = script_commands("Get-Content bans.txt |netsh ipsec static add policy name=P\n")
    assert commands == () and unsupported[0].reason.startswith("netsh: a pipeline runs it")


def test_redirections_in_every_place():
    assert argvs("2>nul netsh ipsec static add policy name=P") == [("netsh", ("add", "policy", "name=P"))]
    assert argvs("netsh ipsec static add policy 2>&1 name=P") == [("netsh", ("add", "policy", "name=P"))]
    assert argvs('netsh ipsec static add policy 2> "a b c.txt" name=P >> "x y.log"') == [("netsh", ("add", "policy", "name=P"))]


def test_a_backslash_before_a_quote_is_listed():
    commands, unsupported = script_commands('netsh ipsec static exportpolicy file="C:\\backups\\"\n')
    assert commands == () and unsupported[0].reason == "a backslash right before a double quote: the C runtime reads it as an escaped quote"
    assert argvs('netsh ipsec static exportpolicy "file=C:\\backups\\x.ipsec"') == [("netsh", ("exportpolicy", "file=C:\\backups\\x.ipsec"))]


def test_an_equals_sign_alone_after_a_complete_argument_stays_apart():
    assert argvs("netsh ipsec static add filterlist name=L =x") == [("netsh", ("add", "filterlist", "name=L", "=x"))]


def test_the_exact_reasons():
    line = "start-job { netsh ipsec static delete all }"
    assert script_commands(line)[1] == (Unsupported(1, line, "netsh: the line runs it in a way this reader does not follow"),)
    line = "netsh ipsec static add filterlist name=%NAME%"
    assert script_commands(line)[1] == (Unsupported(1, line, "uses the cmd variable '%NAME%': its value is not in the script"),)
