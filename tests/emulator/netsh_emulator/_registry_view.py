"""The emulator's store as the registry key ``HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local``.

Contract: :func:`local_key` ``(store) -> RegKey | None``.

* None when the store has never held a policy, filter list or filter action (emulator choice: the key
  appears with the first object and stays, possibly without subkeys, once it is empty again).
* The key's own values: ``ActivePolicy`` (REG_SZ reference to the assigned policy) when one is assigned
  (GPIPSEC.md §1.5).
* One subkey per object, named ``<class>{<guid>}`` (§1.2): per policy an ``ipsecPolicy``, an
  ``ipsecISAKMPPolicy``, one ``ipsecNFA`` per rule and one for the default response rule with its own
  ``ipsecNegotiationPolicy``; per filter list an ``ipsecFilter``; per filter action an
  ``ipsecNegotiationPolicy`` (§1.1).
* Each subkey's values, in the order a Windows 11 export lists them (§8, sample D3): ``className``,
  ``name``, ``ipsecName`` (not on the ISAKMP object, the default response rule or its action, §1.3),
  ``description`` (only when not empty), ``ipsecID``, ``ipsecNegotiationPolicyAction`` /
  ``ipsecNegotiationPolicyType``, ``ipsecDataType`` = 256, ``ipsecData`` (``_gpipsec_mapping``), the
  forward references, ``whenChanged``, ``ipsecOwnersReference`` (only when the object has owners),
  ``ipsecNFAReference``.

GUIDs are lower case as Windows 10/11 writes them (§1.2). Rules, policies, filter lists and filter actions
keep the emulator's GUIDs; the objects netsh never names (the ISAKMP object, the default response NFA and
its action, every filter) get GUIDs derived from their owner's with uuid5, so they are stable from one read
to the next (emulator choice). A filter's GUID depends on its position in the list.

``whenChanged`` is the object's ``modified`` time read as UTC, in seconds since 1970 (§1.3); the objects of a
policy (ISAKMP, NFAs, default response action) carry the policy's time, as the emulator tracks no finer
changes. A stored value that cannot be written raises :class:`RegistryViewError`, naming the object.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import uuid

from ._gpipsec_blobs import BlobError
from ._gpipsec_mapping import (ACTION_NEGOTIATE, TYPE_DEFAULT_RESPONSE, TYPE_STANDARD, default_response_action_data,
                               default_rule_data, filter_action_data, filter_action_guid, filter_list_data, isakmp_data,
                               policy_data, rule_data)
from ._registry_model import BINARY, DWORD, MULTI_STRING, STRING, RegKey, RegValue
from ._state import Policy, Store

LOCAL_KEY_PATH = "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSec\\Policy\\Local"
# §1.4: a reference is the HKLM-relative key path; Windows 10/11 spells it with an upper-case IPSEC.
REFERENCE_PREFIX = "SOFTWARE\\Policies\\Microsoft\\Windows\\IPSEC\\Policy\\Local\\"

POLICY, ISAKMP, NFA = "ipsecPolicy", "ipsecISAKMPPolicy", "ipsecNFA"
NEGOTIATION_POLICY, FILTER = "ipsecNegotiationPolicy", "ipsecFilter"

# §1.3 ipsecDataType: always 0x100.
DATA_TYPE = 256
# The namespace of the derived GUIDs (emulator choice; any fixed UUID would do).
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:lockdown-ipsec:netsh-emulator:registry-view")


class RegistryViewError(Exception):
    """The store holds something the registry layout cannot express."""


def _guid(text: str) -> str:
    """The GUID in lower case, without braces (§1.2)."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise RegistryViewError(f"{text!r} is not a GUID") from None


def _derived(owner: str, role: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{_guid(owner)}/{role}"))


def key_name(class_name: str, guid: str) -> str:
    """``<class>{<guid>}``, the subkey name and the last component of every reference to it (§1.2, §1.4)."""
    return f"{class_name}{{{guid}}}"


def reference(class_name: str, guid: str) -> str:
    return REFERENCE_PREFIX + key_name(class_name, guid)


def when_changed(stamp: str, what: str) -> int:
    """``whenChanged`` of a ``modified`` stamp ``YYYY-MM-DDTHH:MM:SS``, read as UTC (§1.3: seconds since 1970)."""
    seconds = calendar.timegm(_dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S").timetuple())
    if not 0 <= seconds < 2**32:
        raise RegistryViewError(f"{what}: its time {stamp} does not fit whenChanged (seconds since 1970 in a REG_DWORD)")
    return seconds


def _object(class_name: str, guid: str, data: bytes, changed: int, *, name: str | None = None, description: str = "",
            action: tuple[str, str] | None = None, references: tuple[RegValue, ...] = (), owners: tuple[str, ...] = (),
            nfas: tuple[str, ...] | None = None) -> RegKey:
    """One object key with its values in the Windows 11 order (module docstring)."""
    own = key_name(class_name, guid)
    values = [RegValue("className", STRING, class_name), RegValue("name", STRING, own)]
    if name is not None:
        values.append(RegValue("ipsecName", STRING, name))
    if description:
        values.append(RegValue("description", STRING, description))
    values.append(RegValue("ipsecID", STRING, "{" + guid + "}"))
    if action is not None:
        values += [RegValue("ipsecNegotiationPolicyAction", STRING, action[0]),
                   RegValue("ipsecNegotiationPolicyType", STRING, action[1])]
    values += [RegValue("ipsecDataType", DWORD, DATA_TYPE), RegValue("ipsecData", BINARY, data), *references,
               RegValue("whenChanged", DWORD, changed)]
    if owners:
        values.append(RegValue("ipsecOwnersReference", MULTI_STRING, list(owners)))
    if nfas is not None:
        values.append(RegValue("ipsecNFAReference", MULTI_STRING, list(nfas)))
    return RegKey(own, tuple(values))


class _View:
    """Builds the subkeys of one store; see the module docstring."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.keys: list[RegKey] = []

    def owners_of(self, attribute: str, guid: str) -> tuple[str, ...]:
        # ipsecOwnersReference of a shared object: every rule NFA that uses it, in store order (§1.3)
        return tuple(reference(NFA, _guid(rule.guid)) for policy, rule in self.store.rules_using(attribute, guid))

    def add_filter_lists(self) -> None:
        for filter_list in self.store.filterlists:
            guid = _guid(filter_list.guid)
            what = f"filter list {filter_list.name!r}"
            filter_guids = [_derived(filter_list.guid, f"filter/{index}") for index in range(len(filter_list.filters))]
            data = _blob(what, lambda: filter_list_data(filter_list, filter_guids))
            self.keys.append(_object(FILTER, guid, data, when_changed(filter_list.modified, what), name=filter_list.name,
                                     description=filter_list.description, owners=self.owners_of("filterlist", filter_list.guid)))

    def add_filter_actions(self) -> None:
        for action in self.store.filteractions:
            what = f"filter action {action.name!r}"
            data = _blob(what, lambda: filter_action_data(action))
            action_guid = _blob(what, lambda: filter_action_guid(action))
            self.keys.append(_object(NEGOTIATION_POLICY, _guid(action.guid), data, when_changed(action.modified, what),
                                     name=action.name, description=action.description, action=(action_guid, TYPE_STANDARD),
                                     owners=self.owners_of("filteraction", action.guid)))

    def add_policy(self, policy: Policy) -> None:
        what = f"policy {policy.name!r}"
        changed = when_changed(policy.modified, what)
        guid, isakmp = _guid(policy.guid), _derived(policy.guid, "isakmp")
        default_nfa, default_action = _derived(policy.guid, "default-response-rule"), _derived(policy.guid, "default-response-action")
        owner = (reference(POLICY, guid),)
        nfas = []
        for rule in policy.rules:
            rule_what = f"rule {rule.name!r} of {what}"
            filter_list = self.store.filterlist_by_guid(rule.filterlist)
            action = self.store.filteraction_by_guid(rule.filteraction)
            if filter_list is None or action is None:
                raise RegistryViewError(f"{rule_what} refers to a filter list or filter action the store does not hold")
            nfa = _guid(rule.guid)
            refs = (RegValue("ipsecNegotiationPolicyReference", STRING, reference(NEGOTIATION_POLICY, _guid(action.guid))),
                    RegValue("ipsecFilterReference", MULTI_STRING, [reference(FILTER, _guid(filter_list.guid))]))
            self.keys.append(_object(NFA, nfa, _blob(rule_what, lambda: rule_data(rule)), changed, name=rule.name,
                                     description=rule.description, references=refs, owners=owner))
            nfas.append(reference(NFA, nfa))
        # The default response rule: no name, no filter reference, its own negotiation policy (§1.3, §5.3, §8.5).
        dr_what = f"the default response rule of {what}"
        self.keys.append(_object(NFA, default_nfa, _blob(dr_what, lambda: default_rule_data(policy.default_rule)), changed,
                                 references=(RegValue("ipsecNegotiationPolicyReference", STRING,
                                                      reference(NEGOTIATION_POLICY, default_action)),),
                                 owners=owner))
        nfas.append(reference(NFA, default_nfa))   # last, as in the Windows 10 export (§1.4)
        self.keys.append(_object(NEGOTIATION_POLICY, default_action,
                                 _blob(dr_what, lambda: default_response_action_data(policy.default_rule)), changed,
                                 action=(ACTION_NEGOTIATE, TYPE_DEFAULT_RESPONSE), owners=(reference(NFA, default_nfa),)))
        self.keys.append(_object(ISAKMP, isakmp, _blob(what, lambda: isakmp_data(policy)), changed, owners=owner))
        self.keys.append(_object(POLICY, guid, _blob(what, lambda: policy_data(policy)), changed, name=policy.name,
                                 description=policy.description,
                                 references=(RegValue("ipsecISAKMPReference", STRING, reference(ISAKMP, isakmp)),),
                                 nfas=tuple(nfas)))


def _blob(what: str, build):
    try:
        return build()
    except BlobError as exc:
        raise RegistryViewError(f"{what}: {exc}") from None


def local_key(store: Store) -> RegKey | None:
    """The ``Policy\\Local`` key of *store*; see the module docstring."""
    if not (store.held_objects or store.holds_objects()):
        return None
    view = _View(store)
    view.add_filter_lists()
    view.add_filter_actions()
    for policy in store.policies:
        view.add_policy(policy)
    values = tuple(RegValue("ActivePolicy", STRING, reference(POLICY, _guid(policy.guid)))
                   for policy in store.policies if policy.assigned)
    return RegKey("Local", values, tuple(view.keys))
