# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lockout suite of the packet_filter role (``ipsec_packet_filter``), pure Python: one table of
configurations, each with the outcome worked out by hand from what Windows would do with the policy.

Each case is the role's variables (module option names here; the role calls them
``packet_filter_<option>``, and the messages must), the port of the connection the play runs over
(what ``_connection_port.connection_port`` resolves for winrm, psrp, ssh or local), and optionally
the store already on the host (objects outside the owner prefix, e.g. a policy ``Corp Block``).
The case runs as the action plugin runs it: settings -> config -> desired store -> plan
(``overridden`` under the owner prefix) -> predicted store -> guard.

How the expectations were reached (not by running the code):

* "The most specific filter wins" (seed 000, A-46). The role's own management permit (source S ->
  interface, TCP, destination port P) is at least as specific as the default deny (any -> interface,
  any protocol, or TCP for the AnalogX style) in every criterion and strictly more specific in
  protocol or destination port, so under every plausible order it wins for port P from S.
* Nothing else the role builds permits inbound TCP except server services (from their sources, on
  their ports). Client services permit "interface -> any:port" and its mirror "any:port ->
  interface", i.e. replies *from* that port, never a connection *to* it. Services cannot block.
* So the connection's own port, the management port and every guard port must each be permitted
  by the management filter or a server service from every management source, or they fall to the
  default deny: blocked.
* With ``assign: false`` the role's policy is not assigned by this run: the policy that stays
  assigned (a foreign one, or the role's own from an earlier run, in its new version) decides, and
  no assigned policy at all means IPsec filters nothing.
* A foreign policy whose permit and block each win on a different criterion (source vs destination,
  addresses vs protocol/ports, or equal weights) is decided by an order Windows does not document:
  the guard must refuse it (A-46, ``evaluate_orders``).
* A mirrored deny ``interface -> any`` is weighed in the direction it matched: for a packet *from*
  inside a protected subnet its source is that subnet, more specific than a wider management source.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any, Mapping

import pytest

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._connection_port import connection_port
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._evaluate import Packet, evaluate_orders
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._guard import GuardVerdict, LockoutRefused, packet_text, refuse_lockout
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import (
    assignment_from,
    complete_store_from_config,
    store_from_config,
    with_assignment,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._model import Store
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._packet_filter import (
    CLIENT_PORT,
    DEFAULT_MANAGEMENT_PORT,
    build_config,
    management_guard,
    read_settings,
    refusal_advice,
)
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._plan import Scope, State, check_scope, plan
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._predict import predict

SAFE, REFUSED = "safe", "refused"


def role_name(option: str) -> str:
    """How the role's messages name an option (the action plugin's ``_option_name`` inside the role)."""
    return f"packet_filter_{option}"


# The role's defaults (roles/packet_filter/defaults/main.yml); management_port is left unset there.
ROLE_DEFAULTS: Mapping[str, Any] = {
    "policy_name": "Packet Filter",
    "owner_prefix": "LD - ",
    "server_services": [],
    "client_services": [],
    "service_sources": {},
    "custom_services": {},
    "interface_address": "me",
    "permit_icmp": False,
    "default_deny": "all_inbound",
    "assign": True,
    "management_port": None,
    "management_sources": ["any"],
    "guard_ports": [],
    "allow_lockout": False,
}

# --- the connections ---------------------------------------------------------------------------------
# The port each connection really uses, as the action resolves it from the connection plugin.
WINRM_HTTPS = 5986          # winrm, ansible_winrm_port unset (the plugin's default)
WINRM_HTTP = 5985           # winrm, ansible_winrm_port: 5985
WINRM_CUSTOM = 15985        # winrm, ansible_winrm_port: 15985
PSRP_HTTP = 5985            # psrp, ansible_psrp_protocol: http
PSRP_HTTPS = 5986           # psrp, defaults
SSH = 22                    # ssh, ansible_port unset
SSH_CUSTOM = 2222           # ssh, ansible_port: 2222
LOCAL = None                # local: no port


class FakeConnection:
    """A connection plugin whose options ansible-core has resolved for the task."""

    def __init__(self, transport: str, **options: Any) -> None:
        self.transport = transport
        self._options = options

    def get_option(self, option: str) -> Any:
        if option not in self._options:
            raise KeyError(option)  # as ansible-core does for an option the plugin lacks
        return self._options[option]


CONNECTIONS = [
    (FakeConnection("winrm", port=None), WINRM_HTTPS),
    (FakeConnection("winrm", port=5985), WINRM_HTTP),
    (FakeConnection("winrm", port=15985), WINRM_CUSTOM),
    (FakeConnection("psrp", port=None, protocol="http"), PSRP_HTTP),
    (FakeConnection("psrp", port=None, protocol="https"), PSRP_HTTPS),
    (FakeConnection("ssh", port=None), SSH),
    (FakeConnection("ssh", port=2222), SSH_CUSTOM),
    (FakeConnection("local"), LOCAL),
]

# --- stores already on the host (ipsec_config's config shape) ------------------------------------------

CORP_ACTIONS = [
    {"name": "Corp Permit", "action": "permit"},
    {"name": "Corp Deny", "action": "block"},
    {"name": "Corp Require Security", "action": "negotiate"},
]


def corp(policy: str, *rules: tuple, assigned: bool = True, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A host store with one foreign policy; each rule ``(name, filters, action[, active])`` has its own
    filter list named like it."""
    config: dict[str, Any] = {
        "filter_actions": list(CORP_ACTIONS),
        "filter_lists": [{"name": rule[0], "filters": rule[1]} for rule in rules],
        "policies": [{"name": policy, "rules": [
            {"name": rule[0], "filter_list": rule[0], "filter_action": rule[2], "activate": rule[3] if len(rule) > 3 else True}
            for rule in rules]}],
        "assigned": policy if assigned else "",
    }
    for key, value in (extra or {}).items():
        config[key] = config[key] + value
    return config


ALL_INBOUND = {"source": "any", "destination": "me"}  # mirrored, any protocol

CORP_BLOCK = corp("Corp Block", ("Corp All Inbound", [ALL_INBOUND], "Corp Deny"))
CORP_BLOCK_UNASSIGNED = corp("Corp Block", ("Corp All Inbound", [ALL_INBOUND], "Corp Deny"), assigned=False)
CORP_BLOCK_INACTIVE = corp("Corp Block", ("Corp All Inbound", [ALL_INBOUND], "Corp Deny", False))
CORP_BASELINE = corp(
    "Corp Baseline",
    ("Corp WinRM HTTP", [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 5985}], "Corp Permit"),
    ("Corp All Inbound", [ALL_INBOUND], "Corp Deny"),
)
CORP_ADMIN_LAN = corp(
    "Corp Admin LAN",
    ("Corp WinRM from LAN", [{"source": "10.0.0.0/24", "destination": "me", "protocol": "tcp", "destination_port": 5986}], "Corp Permit"),
    ("Corp All Inbound", [ALL_INBOUND], "Corp Deny"),
)
CORP_SECURE = corp("Corp Secure", ("Corp Secure Inbound", [ALL_INBOUND], "Corp Require Security"))
# Source 198.51.100.7 (32 bits) but destination any, against source /24 but destination me: the
# permit wins if source counts first, the block if destination counts first.
CORP_SOURCE_VS_DESTINATION = corp(
    "Corp Mixed",
    ("Admin Host", [{"source": "198.51.100.7", "destination": "any", "protocol": "tcp", "destination_port": 5986}], "Corp Permit"),
    ("Office Block", [{"source": "198.51.100.0/24", "destination": "me"}], "Corp Deny"),
)
# The admin host to me on any protocol, against any source to me on TCP 5986: the permit wins if
# addresses count first, the block if protocol and ports count first.
CORP_ADDRESS_VS_PORT = corp(
    "Corp Mixed",
    ("Admin Host", [{"source": "198.51.100.7", "destination": "me"}], "Corp Permit"),
    ("WinRM Block", [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 5986}], "Corp Deny"),
)
# The same filter permitted by one rule and blocked by another: only the tie-break decides.
WINRM_5986 = {"source": "any", "destination": "me", "protocol": "tcp", "destination_port": 5986}
CORP_TIE = corp("Corp Tie", ("Allow WinRM", [WINRM_5986], "Corp Permit"), ("Deny WinRM", [WINRM_5986], "Corp Deny"))
CORP_BLOCK_INTERFACE_IP = corp("Corp Block", ("Corp Public Inbound", [{"source": "any", "destination": "192.0.2.10"}], "Corp Deny"))


def previous_run(management_port: int) -> dict[str, Any]:
    """The role's own policy from an earlier run (inside the prefix), assigned, permitting ``management_port``."""
    return {
        "filter_actions": [{"name": "LD - Permit", "action": "permit"}, {"name": "LD - Block", "action": "block"}],
        "filter_lists": [
            {"name": "LD - Management", "filters": [{"source": "any", "destination": "me", "protocol": "tcp", "destination_port": management_port}]},
            {"name": "LD - All Inbound Traffic", "filters": [ALL_INBOUND]},
        ],
        "policies": [{"name": "LD - Packet Filter", "rules": [
            {"name": "LD - Management", "filter_list": "LD - Management", "filter_action": "LD - Permit"},
            {"name": "LD - All Inbound Traffic", "filter_list": "LD - All Inbound Traffic", "filter_action": "LD - Block"},
        ]}],
        "assigned": "LD - Packet Filter",
    }


def tcp(port: int) -> dict[str, Any]:
    return {"ports": [{"protocol": "tcp", "port": port}]}


# The messages' reasons, as the guard words them.
BY_ALL_INBOUND = "gets action 'block' from rule 'LD - All Inbound Traffic' of policy 'LD - Packet Filter'"
BY_ALL_TCP = "gets action 'block' from rule 'LD - All TCP' of policy 'LD - Packet Filter'"
BY_CORP_ALL_INBOUND = "from rule 'Corp All Inbound' of policy "
ORDER_DEPENDENT = "depends on an unconfirmed reading of filter specificity"

# --- the cases ------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Case:
    """One configuration and its expected outcome.

    Attributes:
        options: the role's variables that differ from its defaults (module option names).
        connection_port: the port of the connection in use (see the constants above).
        foreign: the store on the host before the run, as ``ipsec_config``'s config (complete).
        expected: SAFE (the guard passes) or REFUSED.
        packet: for a refusal by the guard, a packet the message names (``packet_text``), or a prefix of it.
        because: for a refusal by the guard, what the message says about that packet.
        variable: for a refusal by the settings, the role variable the message names.
        why: the reasoning behind ``expected``.
        bug: the code disagrees and is wrong: the case is a strict xfail with this reason.
    """

    name: str
    options: Mapping[str, Any] = field(default_factory=dict)
    connection_port: int | None
    foreign: Mapping[str, Any] | None = None
    expected: str
    packet: str | None = None
    because: str | None = None
    variable: str | None = None
    why: str = ""
    bug: str | None = None


CASES = [
    # --- safe: the connection's port is the management port, permitted from every source -----------------
    Case(name="winrm-https-role-defaults", connection_port=WINRM_HTTPS, expected=SAFE,
         why="management_port defaults to 5986; any -> me tcp/5986 permit beats any -> me any block"),
    Case(name="winrm-http-web-server", options={"server_services": ["http", "https"]}, connection_port=WINRM_HTTP, expected=SAFE,
         why="management permit on 5985 from any"),
    Case(name="winrm-custom-port-15985", connection_port=WINRM_CUSTOM, expected=SAFE,
         why="ansible_winrm_port 15985 becomes the management port"),
    Case(name="psrp-http-management-subnet", options={"management_sources": ["10.20.0.0/24"]}, connection_port=PSRP_HTTP,
         expected=SAFE, why="10.20.0.0/24 -> me tcp/5985 is more specific than any -> me in source"),
    Case(name="psrp-https-management-range", options={"management_sources": ["10.20.0.10-10.20.0.20"]}, connection_port=PSRP_HTTPS,
         expected=SAFE, why="a range is more specific than any; first, inner and last addresses all match it"),
    Case(name="ssh-22-single-host", options={"management_sources": ["198.51.100.7"]}, connection_port=SSH, expected=SAFE,
         why="management port defaults to 22"),
    Case(name="ssh-2222-protocol-denials-icmp", options={"default_deny": "protocols", "permit_icmp": True}, connection_port=SSH_CUSTOM,
         expected=SAFE, why="any -> me tcp/2222 beats any -> me tcp (All TCP) on the destination port"),
    Case(name="local-connection-defaults-to-5985", connection_port=LOCAL, expected=SAFE,
         why="no connection port: management port 5985, permitted"),
    Case(name="local-connection-management-5986", options={"management_port": 5986}, connection_port=LOCAL, expected=SAFE,
         why="no connection port to keep open; 5986 is permitted"),
    Case(name="ipv6-controller-to-me", options={"management_sources": ["2001:db8::5"]}, connection_port=WINRM_HTTPS, expected=SAFE,
         why="2001:db8::5 -> me tcp/5986 is a host source: beats any -> me"),
    Case(name="management-any-uppercase", options={"management_sources": ["ANY"]}, connection_port=WINRM_HTTP, expected=SAFE,
         why="ANY is any"),
    Case(name="management-port-equals-connection-port", options={"management_port": 5986}, connection_port=WINRM_HTTPS, expected=SAFE,
         why="the same port twice"),
    Case(name="several-management-sources-protocol-denials",
         options={"default_deny": "protocols", "management_sources": ["10.20.0.0/24", "198.51.100.7", "2001:db8::5"]},
         connection_port=PSRP_HTTP, expected=SAFE, why="each source has its own permit on 5985, more specific than All TCP"),
    # --- safe: other ports kept open by services ----------------------------------------------------------
    Case(name="management-5986-connection-5985-opened-by-server-service",
         options={"management_port": 5986, "server_services": ["winrm_http"], "custom_services": {"winrm_http": tcp(5985)}},
         connection_port=WINRM_HTTP, expected=SAFE, why="the server service permits any -> me tcp/5985"),
    Case(name="custom-service-on-management-port-narrower-than-management",
         options={"server_services": ["winrm_lan"], "custom_services": {"winrm_lan": tcp(5985)},
                  "service_sources": {"winrm_lan": ["10.0.0.0/24"]}},
         connection_port=WINRM_HTTP, expected=SAFE,
         why="203.0.113.1 does not match the service's 10.0.0.0/24 but the management permit from any still covers it; "
             "both are permits, so whichever wins permits"),
    Case(name="ssh-22-opened-by-custom-ssh-service-management-5986",
         options={"management_port": 5986, "server_services": ["ssh"], "custom_services": {"ssh": {"label": "SSH", **tcp(22)}}},
         connection_port=SSH, expected=SAFE, why="any -> me tcp/22 permit"),
    Case(name="guard-port-rdp-offered-from-any", options={"server_services": ["rdp"], "guard_ports": [3389]},
         connection_port=WINRM_HTTPS, expected=SAFE, why="Terminal Services Server permits any -> me tcp/3389"),
    Case(name="guard-port-rdp-from-admin-subnet-containing-the-controller",
         options={"server_services": ["rdp"], "service_sources": {"rdp": ["198.51.100.0/24"]},
                  "management_sources": ["198.51.100.7"], "guard_ports": [3389]},
         connection_port=WINRM_HTTPS, expected=SAFE, why="198.51.100.0/24 -> me tcp/3389 covers the controller"),
    Case(name="management-port-guard-port-and-connection-port-all-permitted",
         options={"management_port": 5986, "guard_ports": [5986, 443], "server_services": ["https", "winrm_http"],
                  "custom_services": {"winrm_http": tcp(5985)}},
         connection_port=WINRM_HTTP, expected=SAFE, why="5985 by the service, 5986 by management, 443 by HTTPS"),
    # --- safe: interface_address ----------------------------------------------------------------------
    Case(name="interface-specific-ip-protocol-denials", options={"interface_address": "192.0.2.10", "default_deny": "protocols"},
         connection_port=WINRM_HTTPS, expected=SAFE, why="any -> 192.0.2.10 tcp/5986 beats any -> 192.0.2.10 tcp"),
    Case(name="interface-subnet-controller-outside", options={"interface_address": "192.0.2.0/24", "management_sources": ["198.51.100.7"]},
         connection_port=WINRM_HTTPS, expected=SAFE,
         why="the deny's mirror (192.0.2.0/24 -> any) does not match a packet from 198.51.100.7"),
    Case(name="interface-range-management-any", options={"interface_address": "192.0.2.10-192.0.2.20"}, connection_port=WINRM_HTTP,
         expected=REFUSED, packet="TCP 192.0.2.10:49152 -> 192.0.2.15:5985", because=ORDER_DEPENDENT,
         why="any includes a controller inside the protected range (another host there): for it the deny's mirror "
             "range -> any (source a range) beats any -> range tcp/5985 (source 0) if source counts first"),
    Case(name="interface-range-controller-host", options={"interface_address": "192.0.2.10-192.0.2.20", "management_sources": ["192.0.2.15"]},
         connection_port=WINRM_HTTP, expected=SAFE,
         why="the permit's host source 192.0.2.15 is at least as specific as the deny's mirror's range source, and its "
             "destination and port as specific as the deny's: every reading agrees"),
    Case(name="interface-ipv6-host", options={"interface_address": "2001:db8::10"}, connection_port=WINRM_HTTPS, expected=SAFE,
         why="any -> 2001:db8::10 tcp/5986 beats any -> 2001:db8::10"),
    Case(name="controller-host-inside-protected-subnet", options={"interface_address": "10.0.0.0/24", "management_sources": ["10.0.0.5"]},
         connection_port=WINRM_HTTPS, expected=SAFE,
         why="the deny's mirror 10.0.0.0/24 -> any matches the controller 10.0.0.5, but the permit's host source "
             "(32 bits) beats /24, its destination /24 beats any, and its protocol and port beat any"),
    # --- safe: the documented examples -------------------------------------------------------------------
    Case(name="seed-000-web-server-example", options={"server_services": ["http", "https"], "management_sources": ["10.20.0.0/24"]},
         connection_port=WINRM_HTTPS, expected=SAFE, why="module EXAMPLES"),
    Case(name="analogx-public-server-example",
         options={"owner_prefix": "APS - ", "policy_name": "Public Server", "server_services": ["http", "rdp"],
                  "client_services": ["dns", "smtp"], "service_sources": {"rdp": ["198.51.100.7"]},
                  "interface_address": "192.0.2.10", "default_deny": "protocols", "permit_icmp": True},
         connection_port=WINRM_HTTPS, expected=SAFE, why="module EXAMPLES; management from any on 5986"),
    # --- safe: the store on the host ---------------------------------------------------------------------
    Case(name="foreign-block-all-assigned-replaced-by-ours", connection_port=WINRM_HTTPS, foreign=CORP_BLOCK, expected=SAFE,
         why="assign: true assigns our policy, which unassigns Corp Block (one assigned policy)"),
    Case(name="foreign-baseline-permits-winrm-http-stays-assigned", options={"assign": False}, connection_port=WINRM_HTTP,
         foreign=CORP_BASELINE, expected=SAFE, why="Corp Baseline decides: any -> me tcp/5985 permit beats any -> me block"),
    Case(name="foreign-admin-lan-stays-assigned-management-from-that-lan", options={"assign": False, "management_sources": ["10.0.0.0/24"]},
         connection_port=WINRM_HTTPS, foreign=CORP_ADMIN_LAN, expected=SAFE,
         why="Corp Admin LAN decides: 10.0.0.0/24 -> me tcp/5986 permit beats any -> me block"),
    Case(name="foreign-block-unassigned-and-assign-false", options={"assign": False}, connection_port=WINRM_HTTPS,
         foreign=CORP_BLOCK_UNASSIGNED, expected=SAFE, why="no policy will be assigned: IPsec filters nothing"),
    Case(name="foreign-block-rule-inactive", options={"assign": False}, connection_port=WINRM_HTTPS, foreign=CORP_BLOCK_INACTIVE,
         expected=SAFE, why="an inactive rule filters nothing: no filter matches, permitted"),
    Case(name="own-policy-stays-assigned-new-version-permits-connection", options={"assign": False}, connection_port=WINRM_HTTP,
         foreign=previous_run(5986), expected=SAFE,
         why="assign: false keeps our assigned policy; its new version permits 5985 (the old one only 5986)"),

    # --- refused: the connection's port is not the management port and nothing permits it ---------------
    Case(name="management-5986-connection-winrm-http-5985", options={"management_port": 5986}, connection_port=WINRM_HTTP,
         expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5985", because=BY_ALL_INBOUND,
         why="5985 is permitted by nothing; All Inbound Traffic blocks it"),
    Case(name="management-5985-connection-winrm-custom-15985", options={"management_port": 5985}, connection_port=WINRM_CUSTOM,
         expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:15985", because=BY_ALL_INBOUND,
         why="the real connection port 15985 is blocked"),
    Case(name="ssh-22-management-5986", options={"management_port": 5986, "management_sources": ["198.51.100.7"]},
         connection_port=SSH, expected=REFUSED, packet="TCP 198.51.100.7:49152 -> me:22", because=BY_ALL_INBOUND,
         why="tcp/22 is permitted by nothing"),
    Case(name="ssh-2222-management-22-ipv6-sample", options={"management_port": 22}, connection_port=SSH_CUSTOM, expected=REFUSED,
         packet="TCP [2001:db8::1]:49152 -> me:2222", because=BY_ALL_INBOUND, why="tcp/2222 is permitted by nothing"),
    Case(name="psrp-https-management-5985-protocol-denials", options={"management_port": 5985, "default_deny": "protocols"},
         connection_port=PSRP_HTTPS, expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5986", because=BY_ALL_TCP,
         why="All TCP blocks 5986"),
    Case(name="connection-port-service-narrower-than-management",
         options={"management_port": 5986, "server_services": ["winrm_lan"], "custom_services": {"winrm_lan": tcp(5985)},
                  "service_sources": {"winrm_lan": ["10.0.0.0/24"]}},
         connection_port=WINRM_HTTP, expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5985", because=BY_ALL_INBOUND,
         why="5985 only from 10.0.0.0/24; management (any) permits only 5986"),
    Case(name="connection-port-as-client-service-does-not-open-it",
         options={"management_port": 5986, "client_services": ["winrm_out"], "custom_services": {"winrm_out": tcp(5985)}},
         connection_port=WINRM_HTTP, expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5985", because=BY_ALL_INBOUND,
         why="a client service permits me -> any:5985 and replies from port 5985, not connections to me:5985"),
    Case(name="connection-port-as-udp-service-does-not-open-tcp",
         options={"management_port": 5986, "server_services": ["winrm_udp"],
                  "custom_services": {"winrm_udp": {"ports": [{"protocol": "udp", "port": 5985}]}}},
         connection_port=WINRM_HTTP, expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5985", because=BY_ALL_INBOUND,
         why="udp/5985 does not match TCP"),
    # --- refused: guard ports ---------------------------------------------------------------------------
    Case(name="guard-port-5986-permitted-by-nothing", options={"guard_ports": [5986]}, connection_port=WINRM_HTTP, expected=REFUSED,
         packet="TCP 203.0.113.1:49152 -> me:5986", because=BY_ALL_INBOUND, why="only 5985 is permitted"),
    Case(name="local-guard-port-rdp-not-offered", options={"guard_ports": [3389]}, connection_port=LOCAL, expected=REFUSED,
         packet="TCP 203.0.113.1:49152 -> me:3389", because=BY_ALL_INBOUND, why="no rule permits 3389"),
    Case(name="guard-port-rdp-only-from-one-host", options={"server_services": ["rdp"], "service_sources": {"rdp": ["198.51.100.7"]},
                                                            "guard_ports": [3389]},
         connection_port=WINRM_HTTPS, expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:3389", because=BY_ALL_INBOUND,
         why="management sources are any, RDP only from 198.51.100.7"),
    # --- refused: the store on the host -------------------------------------------------------------------
    Case(name="foreign-block-all-stays-assigned", options={"assign": False}, connection_port=WINRM_HTTPS, foreign=CORP_BLOCK,
         expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5986", because=BY_CORP_ALL_INBOUND + "'Corp Block'",
         why="our policy is not assigned; Corp Block blocks all inbound"),
    Case(name="foreign-baseline-permits-5985-but-connection-is-5986", options={"assign": False}, connection_port=PSRP_HTTPS,
         foreign=CORP_BASELINE, expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5986",
         because=BY_CORP_ALL_INBOUND + "'Corp Baseline'", why="Corp Baseline permits only 5985"),
    Case(name="foreign-admin-lan-stays-assigned-management-any", options={"assign": False}, connection_port=WINRM_HTTPS,
         foreign=CORP_ADMIN_LAN, expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5986",
         because=BY_CORP_ALL_INBOUND + "'Corp Admin LAN'",
         why="our management permit from any is not what decides: Corp Admin LAN permits only 10.0.0.0/24"),
    Case(name="foreign-require-security-stays-assigned", options={"assign": False}, connection_port=WINRM_HTTPS, foreign=CORP_SECURE,
         expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5986",
         because="gets action 'negotiate' from rule 'Corp Secure Inbound' of policy 'Corp Secure'",
         why="negotiate: a controller without IPsec cannot pass"),
    Case(name="foreign-block-me-covers-interface-ip", options={"assign": False, "interface_address": "192.0.2.10"},
         connection_port=WINRM_HTTPS, foreign=CORP_BLOCK, expected=REFUSED, packet="TCP 203.0.113.1:49152 -> 192.0.2.10:5986",
         because=BY_CORP_ALL_INBOUND + "'Corp Block'", why="me includes the interface's address 192.0.2.10"),
    Case(name="foreign-block-names-interface-ip", options={"assign": False, "interface_address": "192.0.2.10"},
         connection_port=WINRM_HTTPS, foreign=CORP_BLOCK_INTERFACE_IP, expected=REFUSED,
         packet="TCP 203.0.113.1:49152 -> 192.0.2.10:5986", because="from rule 'Corp Public Inbound' of policy 'Corp Block'",
         why="any -> 192.0.2.10 block"),
    Case(name="own-policy-stays-assigned-new-version-blocks-connection", options={"assign": False, "management_port": 5986},
         connection_port=WINRM_HTTP, foreign=previous_run(5985), expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5985",
         because=BY_ALL_INBOUND,
         why="the old version permitted 5985; the new one, which stays assigned, permits only 5986"),
    # --- refused: order dependent -------------------------------------------------------------------------
    Case(name="foreign-source-specific-permit-vs-destination-specific-block",
         options={"assign": False, "management_sources": ["198.51.100.7"]}, connection_port=WINRM_HTTPS,
         foreign=CORP_SOURCE_VS_DESTINATION, expected=REFUSED, packet="TCP 198.51.100.7:49152 -> me:5986", because=ORDER_DEPENDENT,
         why="198.51.100.7 -> any tcp/5986 permit vs 198.51.100.0/24 -> me block: source first permits, destination first blocks"),
    Case(name="foreign-address-specific-permit-vs-port-specific-block",
         options={"assign": False, "management_sources": ["198.51.100.7"]}, connection_port=WINRM_HTTPS,
         foreign=CORP_ADDRESS_VS_PORT, expected=REFUSED, packet="TCP 198.51.100.7:49152 -> me:5986", because=ORDER_DEPENDENT,
         why="198.51.100.7 -> me permit vs any -> me tcp/5986 block: addresses first permit, protocol and ports first block"),
    Case(name="foreign-equal-permit-and-block", options={"assign": False}, connection_port=WINRM_HTTPS, foreign=CORP_TIE,
         expected=REFUSED, packet="TCP 203.0.113.1:49152 -> me:5986", because=ORDER_DEPENDENT,
         why="identical filters with permit and block: only the undocumented tie-break decides"),
    Case(name="management-subnet-wider-than-protected-subnet",
         options={"interface_address": "10.0.0.0/24", "management_sources": ["10.0.0.0/16"]}, connection_port=WINRM_HTTPS,
         expected=REFUSED, packet="TCP 10.0.0.0:49152 -> 10.0.0.127:5986", because=ORDER_DEPENDENT,
         why="from 10.0.0.0 (inside the protected /24): the deny's mirror 10.0.0.0/24 -> any (source /24) beats the "
             "management permit 10.0.0.0/16 -> 10.0.0.0/24 tcp/5986 if source counts first, loses if destination does"),
    Case(name="management-subnet-overlapping-protected-subnet-not-at-its-sampled-addresses",
         options={"interface_address": "10.0.1.0/24", "management_sources": ["10.0.0.0/16"]}, connection_port=WINRM_HTTPS,
         expected=REFUSED, packet="TCP 10.0.1.", because=ORDER_DEPENDENT,
         why="as above for a controller in 10.0.1.0/24, which 10.0.0.0/16 includes; the guard tries only 10.0.0.0, "
             "10.0.127.255 and 10.0.255.255, none inside 10.0.1.0/24"),
    Case(name="management-any-with-protected-subnet",
         options={"interface_address": "10.0.1.0/24"}, connection_port=WINRM_HTTPS,
         expected=REFUSED, packet="TCP 10.0.1.", because=ORDER_DEPENDENT,
         why="any includes a controller inside 10.0.1.0/24; for it the deny's mirror 10.0.1.0/24 -> any (source /24) "
             "beats any -> 10.0.1.0/24 tcp/5986 (source 0) if source counts first"),
    Case(name="ipv6-only-management-with-ipv4-interface",
         options={"interface_address": "192.0.2.10", "management_sources": ["2001:db8::5"]}, connection_port=WINRM_HTTPS,
         expected=REFUSED, variable="packet_filter_management_sources",
         why="no management source is of the interface's family: the guard has no packet to try, so it proves nothing; "
             "a controller reaching 192.0.2.10 comes over IPv4 from an address the policy does not permit"),

    # --- refused: input the guard cannot evaluate ----------------------------------------------------------
    Case(name="management-sources-empty", options={"management_sources": []}, connection_port=WINRM_HTTPS, expected=REFUSED,
         variable="packet_filter_management_sources", why="with no source the channel would be blocked"),
    Case(name="management-source-me", options={"management_sources": ["me"]}, connection_port=WINRM_HTTPS, expected=REFUSED,
         variable="packet_filter_management_sources[0]", why="me is the host, not the controller"),
    Case(name="management-source-dns-name", options={"management_sources": ["controller.example.com"]}, connection_port=WINRM_HTTPS,
         expected=REFUSED, variable="packet_filter_management_sources[0]", why="resolved on the host only"),
    Case(name="management-source-server-type", options={"management_sources": ["10.0.0.0/24", "dhcp"]}, connection_port=WINRM_HTTPS,
         expected=REFUSED, variable="packet_filter_management_sources[1]", why="a server type is resolved on the host only"),
    Case(name="management-source-ipv6-subnet", options={"management_sources": ["2001:db8::/64"]}, connection_port=WINRM_HTTPS,
         expected=REFUSED, variable="packet_filter_management_sources[0]", why="netsh masks are IPv4 prefixes"),
    Case(name="management-port-0", options={"management_port": 0}, connection_port=WINRM_HTTPS, expected=REFUSED,
         variable="packet_filter_management_port", why="port 0 means every port"),
    Case(name="management-port-70000", options={"management_port": 70000}, connection_port=WINRM_HTTPS, expected=REFUSED,
         variable="packet_filter_management_port", why="not a port"),
    Case(name="guard-port-0", options={"guard_ports": [5986, 0]}, connection_port=WINRM_HTTPS, expected=REFUSED,
         variable="packet_filter_guard_ports[1]", why="port 0 means every port"),
    Case(name="interface-dns-name", options={"interface_address": "server.example.com"}, connection_port=WINRM_HTTPS,
         expected=REFUSED, variable="packet_filter_interface_address", why="resolved on the host only"),
    Case(name="interface-any", options={"interface_address": "any"}, connection_port=WINRM_HTTPS,
         expected=REFUSED, variable="packet_filter_interface_address", why="the protected address must be the host's"),
    Case(name="custom-service-that-blocks",
         options={"server_services": ["blocker"],
                  "custom_services": {"blocker": {"ports": [{"protocol": "tcp", "port": 5986}], "action": "block"}}},
         connection_port=WINRM_HTTPS, expected=REFUSED, variable="packet_filter_custom_services.blocker.action",
         why="services only permit: a service has no action"),
]


# --- running a case as the action plugin does --------------------------------------------------------------


def params(case: Case) -> dict[str, Any]:
    return {**ROLE_DEFAULTS, **case.options}


def decide(case: Case) -> tuple[GuardVerdict, ...] | InvalidInput | LockoutRefused:
    """The verdicts of a case, or the documented refusal it meets. Any other exception escapes."""
    try:
        settings = read_settings(params(case), connection_port=case.connection_port, name=role_name)
    except InvalidInput as error:
        return error
    config = build_config(settings)
    scope = Scope(settings.owner_prefix)
    given = store_from_config(config, fill_defaults=True)
    check_scope(given, State.OVERRIDDEN, scope)
    have = complete_store_from_config(case.foreign) if case.foreign is not None else Store()
    want = with_assignment(given, have, assigned=assignment_from(config))
    after = predict(have, plan(have, want, state=State.OVERRIDDEN, scope=scope))
    try:
        return refuse_lockout(after, management_guard(settings), advice=refusal_advice(role_name))
    except LockoutRefused as error:
        return error


def guarded_ports(case: Case) -> set[int]:
    """The ports the contract says the guard proves: management port, the connection's, guard_ports."""
    options = params(case)
    management = options["management_port"] or case.connection_port or DEFAULT_MANAGEMENT_PORT
    return {management, *options["guard_ports"], *((case.connection_port,) if case.connection_port else ())}


def _param(case: Case):
    marks = [pytest.mark.xfail(strict=True, reason=case.bug)] if case.bug else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_lockout_suite(case: Case) -> None:
    found = decide(case)
    if case.expected == SAFE:
        assert isinstance(found, tuple), f"{case.name}: expected safe ({case.why}), got {found}"
        assert found, "a guard that tried no packet proves nothing"
        assert all(verdict.verdict.action == "permit" and verdict.safe for verdict in found)
        assert {verdict.packet.destination_port for verdict in found} == guarded_ports(case)
        assert {verdict.packet.source_port for verdict in found} == {CLIENT_PORT}
        return
    assert case.expected == REFUSED
    assert not isinstance(found, tuple), f"{case.name}: expected refused ({case.why}), but the guard passed: {found}"
    if case.variable is not None:
        assert isinstance(found, InvalidInput), f"{case.name}: expected a settings refusal, got {found!r}"
        assert found.field == case.variable and case.variable in str(found)
        return
    assert isinstance(found, LockoutRefused), f"{case.name}: expected a refusal by the guard, got {found!r}"
    message = str(found)
    unsafe = [verdict for verdict in found.verdicts if not verdict.safe]
    assert unsafe and any(packet_text(verdict.packet).startswith(case.packet) for verdict in unsafe)
    assert case.packet in message and case.because in message
    assert "Nothing was changed on the host." in message
    assert "packet_filter_allow_lockout: true" in message  # the advice names the role's variables


def test_the_suite_is_large_and_both_outcomes_are_well_represented() -> None:
    assert len(CASES) >= 30
    assert sum(case.expected == SAFE for case in CASES) >= 10
    assert sum(case.expected == REFUSED for case in CASES) >= 10
    assert len({case.name for case in CASES}) == len(CASES)
    for case in CASES:
        assert case.expected in (SAFE, REFUSED) and case.why
        if case.expected == REFUSED:
            # a refusal either names a packet and why, or an input variable, never both
            assert (case.variable is None) == (case.packet is not None and case.because is not None), case.name


@pytest.mark.parametrize("connection, port", CONNECTIONS, ids=[f"{c.transport}-{p}" for c, p in CONNECTIONS])
def test_the_suites_connection_ports_are_what_the_connection_plugins_resolve(connection, port) -> None:
    assert connection_port(connection) == port


@pytest.mark.parametrize("interface, source", [("10.0.1.0/24", "10.0.0.0/16"), ("10.0.1.0/24", "any")])
def test_the_overlap_the_guard_misses_is_blocked_by_the_roles_own_policy(interface: str, source: str) -> None:
    """Supports the two overlap cases above: the evaluator itself, given the packet from a controller
    inside the protected subnet (10.0.1.20) to the host (10.0.1.10), decides block under its own reading
    (the mirrored deny's source /24 against the permit's wider source) and permit under another."""
    settings = read_settings({**ROLE_DEFAULTS, "interface_address": interface, "management_sources": [source]},
                             connection_port=WINRM_HTTPS, name=role_name)
    store = with_assignment(store_from_config(build_config(settings), fill_defaults=True), Store(), assigned=settings.policy)
    controller = Packet.build(source="10.0.1.20", destination="10.0.1.10", protocol="tcp", source_port=CLIENT_PORT,
                              destination_port=WINRM_HTTPS)
    assert ipaddress.ip_address("10.0.1.20") in ipaddress.ip_network("10.0.0.0/16")
    verdict, others = evaluate_orders(store, settings.policy, controller, my_addresses=("10.0.1.10",))
    assert (verdict.action, verdict.rule, verdict.reversed) == ("block", "LD - All Inbound Traffic", True)
    assert any(other.verdict.action == "permit" for other in others)
