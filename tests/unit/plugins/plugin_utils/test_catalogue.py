# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""_catalogue: the packet filter's services exactly as ipsec_packet_filter documents them, and
custom_service reading a ``custom_services`` entry, every refusal naming the key and the value."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.lockdown.ipsec.plugins.modules.ipsec_packet_filter import DOCUMENTATION
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._catalogue import CATALOGUE, Service, custom_service
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._errors import InvalidInput

FIELD = "custom_services.web_alt"
WEB = {"protocol": "tcp", "port": 8080}
ENTRY_HELP = "expected {protocol: tcp or udp, port: 1-65535}"
PORT_NUMBER_HELP = "expected a port number 0-65535 or any"


# --- the catalogue --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "label", "description", "ports"),
    [
        ("dns", "DNS", "Domain Name System", (("tcp", 53), ("udp", 53))),
        ("ftp", "FTP", "File Transfer Protocol", (("tcp", 20), ("tcp", 21))),
        ("http", "HTTP", "World Wide Web", (("tcp", 80),)),
        ("https", "HTTPS", "Secure Web (HTTP over SSL/TLS)", (("tcp", 443),)),
        ("pop3", "POP3", "Receiving Email (POP3)", (("tcp", 110),)),
        ("pop3s", "POP3S", "Receiving Email (POP3 over SSL/TLS)", (("tcp", 995),)),
        ("imap", "IMAP", "Receiving Email (IMAP)", (("tcp", 143),)),
        ("imaps", "IMAPS", "Receiving Email (IMAP over SSL/TLS)", (("tcp", 993),)),
        ("smtp", "SMTP", "Sending Email (SMTP)", (("tcp", 25),)),
        ("snmp", "SNMP", "Network Management (SNMP and SNMP traps)", (("udp", 161), ("udp", 162))),
        ("ntp", "NTP", "Network Time", (("udp", 123),)),
        ("rdp", "Terminal Services", "Terminal Services (Remote Desktop)", (("tcp", 3389),)),
        ("netbios", "NetBIOS", "Windows Networking (NetBIOS name, datagram and session services)",
         (("udp", 137), ("udp", 138), ("tcp", 139))),
        ("smb", "SMB", "Windows Networking (SMB over TCP)", (("tcp", 445),)),
        ("sql_server", "SQL", "Microsoft SQL Server (and its browser service)", (("tcp", 1433), ("udp", 1434))),
    ],
)
def test_each_catalogue_service_has_its_documented_label_description_and_ports(key, label, description, ports):
    assert CATALOGUE[key] == Service(label, description, ports)


def test_the_catalogue_is_exactly_the_documented_list_in_its_order():
    assert list(CATALOGUE) == ["dns", "ftp", "http", "https", "pop3", "pop3s", "imap", "imaps", "smtp", "snmp", "ntp", "rdp",
                               "netbios", "smb", "sql_server"]
    documented = " ".join(yaml.safe_load(DOCUMENTATION)["options"]["server_services"]["description"])
    assert all(f"C({key})" in documented for key in CATALOGUE)


def test_catalogue_labels_differ_even_ignoring_case_so_no_two_services_share_a_filter_list_name():
    # Windows ignores case in names: two labels equal but for case would be one filter list.
    assert len({service.label.lower() for service in CATALOGUE.values()}) == len(CATALOGUE)


# --- custom_service: accepted ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"ports": [WEB]}, Service("WEB_ALT", "WEB_ALT", (("tcp", 8080),))),
        ({"label": "Web Alt", "ports": [WEB]}, Service("Web Alt", "Web Alt", (("tcp", 8080),))),
        ({"label": "Web Alt", "description": "Second site", "ports": [WEB]}, Service("Web Alt", "Second site", (("tcp", 8080),))),
        ({"description": "Second site", "ports": [WEB]}, Service("WEB_ALT", "Second site", (("tcp", 8080),))),
        ({"description": "", "ports": [WEB]}, Service("WEB_ALT", "", (("tcp", 8080),))),
        ({"ports": [{"protocol": " TCP ", "port": "8080"}, {"protocol": "Udp", "port": 1}, {"protocol": "udp", "port": 65535}]},
         Service("WEB_ALT", "WEB_ALT", (("tcp", 8080), ("udp", 1), ("udp", 65535)))),
        ({"ports": [{"protocol": "udp", "port": 9}, WEB]}, Service("WEB_ALT", "WEB_ALT", (("udp", 9), ("tcp", 8080)))),
    ],
    ids=["defaults", "label", "label-and-description", "description", "empty-description", "spellings-and-bounds", "order-kept"],
)
def test_a_custom_service_takes_its_defaults_from_the_name_then_the_label(value, expected):
    assert custom_service("web_alt", value, FIELD) == expected


# --- custom_service: refused ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "field", "offending", "reason"),
    [
        ("tcp/8080", FIELD, "tcp/8080", "expected a dictionary with ports (and optionally label and description)"),
        (None, FIELD, None, "expected a dictionary with ports (and optionally label and description)"),
        ([WEB], FIELD, [WEB], "expected a dictionary with ports (and optionally label and description)"),
        ({"ports": [WEB], "protocol": "tcp"}, f"{FIELD}.protocol", "tcp", "is not a setting of a service: use label, description and ports"),
        ({"ports": [WEB], "zone": 1, "alias": 2}, f"{FIELD}.alias", 2, "is not a setting of a service: use label, description and ports"),
        ({"label": "", "ports": [WEB]}, f"{FIELD}.label", "", "must not be empty"),
        ({"label": "  ", "ports": [WEB]}, f"{FIELD}.label", "  ", "must not start or end with whitespace"),
        ({"label": None, "ports": [WEB]}, f"{FIELD}.label", None, "expected a string"),
        ({"label": 7, "ports": [WEB]}, f"{FIELD}.label", 7, "expected a string"),
        ({"label": 'Web "alt"', "ports": [WEB]}, f"{FIELD}.label", 'Web "alt"', 'must not contain a double quote (") : netsh cannot be given one safely'),
        ({"description": None, "ports": [WEB]}, f"{FIELD}.description", None, "expected a string"),
        ({"description": 7, "ports": [WEB]}, f"{FIELD}.description", 7, "expected a string"),
        ({"description": "NONE", "ports": [WEB]}, f"{FIELD}.description", "NONE",
         "NONE is what netsh prints for an empty value and cannot be told apart from it"),
        ({}, f"{FIELD}.ports", None, "expected a non-empty list of {protocol: tcp or udp, port: 1-65535}"),
        ({"ports": []}, f"{FIELD}.ports", [], "expected a non-empty list of {protocol: tcp or udp, port: 1-65535}"),
        ({"ports": WEB}, f"{FIELD}.ports", WEB, "expected a non-empty list of {protocol: tcp or udp, port: 1-65535}"),
        ({"ports": ["tcp/8080"]}, f"{FIELD}.ports[0]", "tcp/8080", ENTRY_HELP),
        ({"ports": [WEB, {"port": 80}]}, f"{FIELD}.ports[1]", {"port": 80}, ENTRY_HELP),
        ({"ports": [{"protocol": "tcp"}]}, f"{FIELD}.ports[0]", {"protocol": "tcp"}, ENTRY_HELP),
        ({"ports": [{**WEB, "source_port": 1}]}, f"{FIELD}.ports[0]", {**WEB, "source_port": 1}, ENTRY_HELP),
        ({"ports": [{"protocol": "icmp", "port": 1}]}, f"{FIELD}.ports[0].protocol", "icmp", "expected tcp or udp"),
        ({"ports": [{"protocol": "any", "port": 1}]}, f"{FIELD}.ports[0].protocol", "any", "expected tcp or udp"),
        ({"ports": [{"protocol": "", "port": 1}]}, f"{FIELD}.ports[0].protocol", "", "expected tcp or udp"),
        ({"ports": [{"protocol": 6, "port": 1}]}, f"{FIELD}.ports[0].protocol", 6, "expected tcp or udp"),
        ({"ports": [WEB, {"protocol": "udp", "port": 0}]}, f"{FIELD}.ports[1].port", 0, "expected a port 1-65535 (0 would permit every port)"),
        ({"ports": [{"protocol": "udp", "port": "any"}]}, f"{FIELD}.ports[0].port", "any", "expected a port 1-65535 (0 would permit every port)"),
        ({"ports": [{"protocol": "tcp", "port": 65536}]}, f"{FIELD}.ports[0].port", 65536, PORT_NUMBER_HELP),
        ({"ports": [{"protocol": "tcp", "port": -1}]}, f"{FIELD}.ports[0].port", -1, PORT_NUMBER_HELP),
        ({"ports": [{"protocol": "tcp", "port": True}]}, f"{FIELD}.ports[0].port", True, PORT_NUMBER_HELP),
        ({"ports": [{"protocol": "tcp", "port": "http"}]}, f"{FIELD}.ports[0].port", "http", PORT_NUMBER_HELP),
    ],
)
def test_a_custom_service_refusal_names_the_key_and_the_value(value, field, offending, reason):
    with pytest.raises(InvalidInput) as caught:
        custom_service("web_alt", value, FIELD)
    assert (caught.value.field, caught.value.value, caught.value.reason) == (field, offending, reason)
    assert str(caught.value) == f"{field}: {reason} (got {offending!r})"


def test_an_unknown_key_that_is_not_text_is_refused_like_any_other():
    with pytest.raises(InvalidInput) as caught:
        custom_service("web_alt", {"ports": [WEB], 8080: "tcp"}, FIELD)
    assert (caught.value.field, caught.value.value) == (f"{FIELD}.8080", "tcp")
