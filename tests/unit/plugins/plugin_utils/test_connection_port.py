# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_connection_port: the port ansible-core's own connection plugins (loaded as a task loads them, options
set from the real inventory variables) connect to, their defaults included; ``None`` for ``local``.

None of these plugins needs its Python dependency to load and resolve its options (pywinrm, pypsrp and
paramiko are imported lazily or guarded), so nothing is skipped when one is missing; only paramiko_ssh itself, which
ansible-core 2.21 no longer ships, is skipped there.
"""

from __future__ import annotations

import pytest
from ansible.playbook.play_context import PlayContext
from ansible.plugins.loader import connection_loader

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._connection_port import connection_port

# ansible-core 2.21 removed paramiko_ssh from core: on it those cases do not exist, on 2.19 they run.
NO_PARAMIKO = pytest.mark.skipif(connection_loader.find_plugin("paramiko_ssh") is None,
                                 reason="this ansible-core has no paramiko_ssh connection plugin (removed in 2.21)")

# Environment settings of the ssh and paramiko port; a developer's shell must not change the defaults tested here.
PORT_ENVIRONMENT = ("ANSIBLE_REMOTE_PORT", "ANSIBLE_REMOTE_PARAMIKO_PORT")


@pytest.fixture
def connection(monkeypatch: pytest.MonkeyPatch):
    """``connection(plugin, variables)``: the connection plugin as the task executor gets it, its options
    set from the host's variables."""
    for variable in PORT_ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)

    def load(plugin: str, variables: dict):
        loaded = connection_loader.get(plugin, PlayContext(), None)
        assert loaded is not None, f"ansible-core has no connection plugin {plugin}"
        loaded.set_options(var_options=variables)
        return loaded

    return load


@pytest.mark.parametrize(
    ("plugin", "variables", "port"),
    [
        ("winrm", {"ansible_winrm_port": 5985}, 5985),
        ("winrm", {"ansible_port": 5985}, 5985),
        ("winrm", {"ansible_port": "5985"}, 5985),
        ("winrm", {"ansible_port": 1234, "ansible_winrm_port": 5985}, 5985),
        ("winrm", {}, 5986),
        ("winrm", {"ansible_winrm_scheme": "http"}, 5986),  # the scheme follows the port, never the other way round
        ("psrp", {"ansible_psrp_port": 1234}, 1234),
        ("psrp", {"ansible_port": 5985}, 5985),
        ("psrp", {"ansible_psrp_protocol": "http"}, 5985),
        ("psrp", {"ansible_psrp_protocol": "https"}, 5986),
        ("psrp", {"ansible_psrp_protocol": "http", "ansible_psrp_port": 8080}, 8080),
        ("psrp", {}, 5986),
        ("ssh", {"ansible_port": 2222}, 2222),
        ("ssh", {"ansible_ssh_port": 2223}, 2223),
        ("ssh", {}, 22),
        pytest.param("paramiko_ssh", {"ansible_port": 2222}, 2222, marks=NO_PARAMIKO),
        pytest.param("paramiko_ssh", {"ansible_paramiko_port": 2224}, 2224, marks=NO_PARAMIKO),
        pytest.param("paramiko_ssh", {}, 22, marks=NO_PARAMIKO),
        ("local", {}, None),
        ("local", {"ansible_port": 5985}, None),
    ],
)
def test_the_port_is_the_one_the_connection_plugin_resolved(connection, plugin, variables, port):
    found = connection_port(connection(plugin, variables))
    assert found == port and type(found) is type(port)


@pytest.mark.parametrize(
    ("plugin", "variables", "build", "attribute"),
    [
        ("winrm", {}, "_build_winrm_kwargs", "_winrm_port"),
        ("winrm", {"ansible_winrm_scheme": "http"}, "_build_winrm_kwargs", "_winrm_port"),
        ("winrm", {"ansible_port": 5985}, "_build_winrm_kwargs", "_winrm_port"),
        ("psrp", {}, "_build_kwargs", "_psrp_port"),
        ("psrp", {"ansible_psrp_protocol": "http"}, "_build_kwargs", "_psrp_port"),
        ("psrp", {"ansible_psrp_protocol": "https"}, "_build_kwargs", "_psrp_port"),
        ("psrp", {"ansible_port": 5985}, "_build_kwargs", "_psrp_port"),
    ],
)
def test_the_port_is_the_one_the_plugin_builds_its_endpoint_with(connection, plugin, variables, build, attribute):
    # The plugins' own step before connecting, as ansible-core's unit tests of winrm and psrp call it;
    # `_extras` is what the task executor passes for the ansible_winrm_* pass-through arguments.
    loaded = connection(plugin, {**variables, "_extras": {}})
    getattr(loaded, build)()
    assert connection_port(loaded) == getattr(loaded, attribute)


class _Unresolved:
    """A connection whose ``port`` option is unset: ansible-core's winrm always has its default 5986,
    and a third-party plugin may leave its port unset."""

    def __init__(self, transport: str, port: object = None) -> None:
        self.transport = transport
        self._port = port

    def get_option(self, option: str) -> object:
        if option != "port":
            raise KeyError(option)
        return self._port


@pytest.mark.parametrize(
    ("transport", "port", "expected"),
    [("winrm", None, 5986), ("third_party", None, None), ("third_party", "2200", 2200), ("", None, None)],
)
def test_an_unset_port_is_the_transports_default_or_none(transport, port, expected):
    assert connection_port(_Unresolved(transport, port)) == expected
