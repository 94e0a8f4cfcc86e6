"""Packet tables checked against a gathered store with the collection's evaluator, in process."""

from __future__ import annotations

from ansible_collections.lockdown.ipsec.plugins.plugin_utils._evaluate import Packet, evaluate
from ansible_collections.lockdown.ipsec.plugins.plugin_utils._inputs import store_from_config

from ipsec_support import task

CLIENT = "198.51.100.20"  # somewhere on the Internet
SERVER = "192.0.2.50"     # a server this host talks to as a client


def read_config(host) -> dict:
    played = host.play([task("ipsec_info", {}, "info")])
    assert played.rc == 0, played.stdout
    return played.task("info")["config"]


def _without_authentication(config: dict) -> dict:
    """Authentication plays no part in matching and may hold the redacted ``********`` key."""
    policies = []
    for policy in config["policies"]:
        rules = [{key: value for key, value in rule.items() if key != "authentication"} for rule in policy["rules"]]
        default = policy.get("default_response_rule")
        if default:
            default = {key: value for key, value in default.items() if key != "authentication"}
        policies.append({**policy, "rules": rules, "default_response_rule": default})
    return {**config, "policies": policies}


def verdict(config: dict, policy: str, *, source: str, destination: str, protocol: str = "tcp",
            source_port: int = 0, destination_port: int = 0) -> str:
    store = store_from_config(_without_authentication(config), fill_defaults=True)
    packet = Packet.build(source=source, destination=destination, protocol=protocol,
                          source_port=source_port, destination_port=destination_port)
    return evaluate(store, policy, packet).action


def inbound(port: int, protocol: str = "tcp", source: str = CLIENT) -> dict:
    return {"source": source, "destination": "me", "protocol": protocol, "source_port": 50000, "destination_port": port}


def reply_to_client(port: int, protocol: str = "tcp", server: str = SERVER) -> dict:
    """The reply of a remote server's ``port`` to this host acting as a client."""
    return {"source": server, "destination": "me", "protocol": protocol, "source_port": port, "destination_port": 50000}


def outbound(port: int, protocol: str = "tcp", server: str = SERVER) -> dict:
    return {"source": "me", "destination": server, "protocol": protocol, "source_port": 50000, "destination_port": port}


def assert_packets(config: dict, policy: str, *, permitted=(), blocked=()) -> None:
    wrong = [("should be permitted", p, verdict(config, policy, **p)) for p in permitted if verdict(config, policy, **p) != "permit"]
    wrong += [("should be blocked", p, verdict(config, policy, **p)) for p in blocked if verdict(config, policy, **p) != "block"]
    assert not wrong, wrong
