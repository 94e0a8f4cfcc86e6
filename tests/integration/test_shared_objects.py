"""A filter list or filter action is shared by every policy whose rules use it. When ``overridden`` or
``replaced`` changes one that a policy outside the owner prefix uses, that policy changes too: the task
warns, naming the policy and the rule."""

from __future__ import annotations

from ipsec_support import task

OWNED = {
    "filter_actions": [{"name": "LD - Permit", "action": "permit"}],
    "filter_lists": [{"name": "LD - Web", "filters": [{"protocol": "tcp", "destination_port": 80}]}],
}
THEIRS = {"policies": [{"name": "Their policy", "rules": [{"name": "their web", "filter_list": "LD - Web", "filter_action": "LD - Permit"}]}],
          "assigned": "Their policy"}


def test_changing_an_action_that_a_foreign_policy_uses_warns(host):
    built = host.play([task("ipsec_config", {"state": "merged", "config": OWNED}, "owned"),
                       task("ipsec_config", {"state": "merged", "config": THEIRS}, "theirs")])
    assert built.rc == 0, built.stdout
    to_block = {"state": "overridden", "owner_prefix": "LD - ", "config": dict(OWNED, filter_actions=[{"name": "LD - Permit", "action": "block"}])}
    for check in (True, False):
        played = host.play([task("ipsec_config", to_block, "override")], check=check)
        assert played.rc == 0, played.stdout
        result = played.task("override")
        assert result["commands"] == ['netsh ipsec static set filteraction "name=LD - Permit" action=block']
        warning = ("filter action 'LD - Permit' changes, and rule 'their web' of policy 'Their policy' (assigned), which is outside the "
                   "owner prefix 'LD - ', uses it: that rule changes too")
        assert result["warnings"] == [warning]
        assert f"[WARNING]: {warning}" in played.stdout + played.stderr


def test_changing_the_filters_of_a_shared_list_warns_and_an_unshared_change_does_not(host):
    host.play([task("ipsec_config", {"state": "merged", "config": OWNED}, "owned"),
               task("ipsec_config", {"state": "merged", "config": THEIRS}, "theirs")])
    wider = dict(OWNED, filter_lists=[{"name": "LD - Web", "filters": [{"protocol": "tcp", "destination_port": [80, 443]}]}])
    played = host.play([task("ipsec_config", {"state": "replaced", "owner_prefix": "LD - ", "config": wider}, "replace"),
                        task("ipsec_config", {"state": "replaced", "owner_prefix": "LD - ",
                                              "config": {"filter_lists": [{"name": "LD - Other", "filters": [{}]}]}}, "unshared")])
    assert played.rc == 0, played.stdout
    assert played.task("replace")["warnings"][0].startswith("filter list 'LD - Web' changes, and rule 'their web' of policy 'Their policy'")
    assert "warnings" not in played.task("unshared")
