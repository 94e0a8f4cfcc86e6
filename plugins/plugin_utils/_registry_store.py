# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. A :class:`~._registry.RegistrySnapshot` -> the model (:class:`~._model.Store`).

Assembly of the object graph of GPIPSEC.md §1: every object key is decoded by the module of its class
(``_registry_policy``, ``_registry_action``, ``_registry_filter``, ``_registry_rule``), every forward
reference is resolved (by its last path component, without regard to case, §1.4), and the result is
a complete store, every field set, like a store gathered from netsh:

* filter lists: every ``ipsecFilter``; filter actions: every ``ipsecNegotiationPolicy`` of the
  standard type. The default response rule's filter action is part of that rule, not of the store
  (§5.3).
* policies: every ``ipsecPolicy`` with its ISAKMP settings and its rules: the NFA whose filter action
  has the default-response type is ``default_rule``; NFAs with an ``ipsecName`` are ``rules``; NFAs
  without one are ``unnamed_rules`` (name ``""``) in the order of the policy's ``ipsecNFAReference``.
* ``assigned`` from ``Policy\\Local``'s ``ActivePolicy`` (§1.5); the policy that Group Policy assigns
  from ``GPTIPSECPolicy`` (§1.6).

Objects no policy uses are decoded (a malformed one fails the read) but only store-level objects are
kept. Anything unknown fails loudly (§10.10): :class:`~._registry_blob.RegistryDecodeError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from ._errors import InvalidInput
from ._methods import AuthKind
from ._model import Action, ConnectionType, DefaultResponseRule, FilterAction, FilterList, Policy, Rule, Store
from ._names import name_key
from ._registry import RegistryKey, RegistrySnapshot
from ._registry_action import NegotiationPolicy, decode_negotiation_policy
from ._registry_blob import RegistryDecodeError
from ._registry_filter import decode_filter_list
from ._registry_keys import FILTER, ISAKMP, NEGOTIATION_POLICY, NFA, POLICY, KeyValues, object_class, reference_target
from ._registry_policy import IsakmpBlob, PolicyBlob, decode_isakmp, decode_policy
from ._registry_rule import NfaBlob, decode_nfa

ACTIVE_POLICY = "ActivePolicy"  # on Policy\Local (GPIPSEC.md §1.5)
# On GPTIPSECPolicy (GPIPSEC.md §1.6, R10/R11); other values of that key are UNKNOWN and ignored.
DOMAIN_POLICY_PATH = "DSIPSECPolicyPath"
DOMAIN_POLICY_NAME = "DSIPSECPolicyName"


@dataclass(frozen=True)
class DomainPolicy:
    """The policy Group Policy assigns, which overrides the local assignment (GPIPSEC.md §1.6).

    Attributes:
        name: ``DSIPSECPolicyName``; ``""`` when the key has none (pre-Vista clients, R10).
        path: ``DSIPSECPolicyPath``, an LDAP URL such as ``LDAP://CN=ipsecPolicy{...},CN=IP Security,...``.
    """

    name: str
    path: str


@dataclass(frozen=True)
class DecodedStore:
    """What a snapshot holds.

    Attributes:
        store: every object of the local store, every field set (as a gathered store).
        domain_policy: the policy Group Policy assigns, or ``None``.
        secrets: every pre-shared key of every rule blob, including rules no policy lists (which
            ``store`` does not hold, A-87), longest first: what a trace of the snapshot must hide.
    """

    store: Store
    domain_policy: Optional[DomainPolicy]
    secrets: Tuple[str, ...] = ()


def decode_snapshot(snapshot: RegistrySnapshot) -> DecodedStore:
    """Decode a snapshot of the store's keys.

    Pre-shared keys come out in clear, as the model holds them (results redact them).

    Raises:
        RegistryDecodeError: naming the key, the field (blob field or value name) and, within a blob,
            the byte offset of the first thing not understood: a key name, class, value or blob field
            the decoder does not know, a dangling or wrong-class reference, an object the model cannot
            hold (a name netsh could not take, two objects of one name, a rule without exactly one
            filter list, a policy without exactly one default response rule, ...).
    """
    domain_policy = _domain_policy(snapshot.group_policy)
    if snapshot.local is None and not snapshot.objects:
        return DecodedStore(Store.of(), domain_policy)
    assembly = _Assembly(snapshot)
    return DecodedStore(assembly.store(), domain_policy, assembly.secrets())


def _domain_policy(key: Optional[RegistryKey]) -> Optional[DomainPolicy]:
    if key is None:
        return None
    values = KeyValues(key)
    path = values.text(DOMAIN_POLICY_PATH)
    if not path:
        return None
    return DomainPolicy(name=values.text(DOMAIN_POLICY_NAME) or "", path=path)


@dataclass(frozen=True)
class _Object:
    """One object key, its class, its values and its decoded blob."""

    values: KeyValues
    class_name: str
    blob: object

    @property
    def key(self) -> str:
        return self.values.name


class _Assembly:
    """Builds the store from one snapshot. Use once: ``_Assembly(snapshot).store()``."""

    def __init__(self, snapshot: RegistrySnapshot) -> None:
        self.local = KeyValues(snapshot.local if snapshot.local is not None else RegistryKey("Policy\\Local"))
        self.objects: Dict[str, _Object] = {}
        for key in snapshot.objects:
            found = self.objects.setdefault(key.name.casefold(), _decode_object(key))
            if found.values.key is not key:
                raise RegistryDecodeError(key.name, "key name", f"the store holds {found.key!r} too (key names ignore case)")
        # Every object is decoded above and every forward reference is resolved here, used or not.
        self.nfa_action = {name: self._resolve(obj, "ipsecNegotiationPolicyReference", NEGOTIATION_POLICY)
                           for name, obj in self._of(NFA)}
        self.nfa_lists = {name: self._resolve_all(obj, "ipsecFilterReference", FILTER) for name, obj in self._of(NFA)}

    def _of(self, class_name: str) -> List[Tuple[str, _Object]]:
        return [(name, obj) for name, obj in self.objects.items() if obj.class_name == class_name]

    # --- references ------------------------------------------------------------------------------

    def _target(self, holder: KeyValues, field: str, reference: str, class_name: str) -> _Object:
        found = self.objects.get(reference_target(reference))
        if found is None:
            raise holder.error(field, f"{reference!r} names a key the store does not hold (a dangling reference)")
        if found.class_name != class_name:
            raise holder.error(field, f"{reference!r} names a {found.class_name}, expected a {class_name}")
        return found

    def _resolve(self, obj: _Object, value: str, class_name: str) -> _Object:
        reference = obj.values.reference(value, required=True)
        return self._target(obj.values, value, reference, class_name)  # type: ignore[arg-type]

    def _resolve_all(self, obj: _Object, value: str, class_name: str) -> List[_Object]:
        return [self._target(obj.values, f"{value} entry {index}", reference, class_name)
                for index, reference in enumerate(obj.values.references(value))]

    # --- the store -------------------------------------------------------------------------------

    def store(self) -> Store:
        self.local.check_known((ACTIVE_POLICY,))
        active = self.local.reference(ACTIVE_POLICY)
        assigned = None if active is None else self._target(self.local, ACTIVE_POLICY, active, POLICY)
        lists = [self._filter_list(obj) for dummy, obj in self._of(FILTER)]
        actions = [self._filter_action(obj) for dummy, obj in self._of(NEGOTIATION_POLICY) if not obj.blob.default_response]
        owners: Dict[str, _Object] = {}
        policies = [self._policy(obj, obj is assigned, owners) for dummy, obj in self._of(POLICY)]
        for kind, objects in (("filter list", lists), ("filter action", actions), ("policy", policies)):
            _check_unique(kind, objects)
        return Store.of(filter_lists=[item for dummy, item in lists], filter_actions=[item for dummy, item in actions],
                        policies=[item for dummy, item in policies])

    def secrets(self) -> Tuple[str, ...]:
        """Every pre-shared key of every decoded rule blob, longest first."""
        keys = {method.secret_or_ca for dummy, obj in self._of(NFA) for method in obj.blob.auth_methods  # type: ignore[attr-defined]
                if method.kind is AuthKind.PRESHARED_KEY and method.secret_or_ca}
        return tuple(sorted(keys, key=lambda key: (-len(key), key)))

    def _filter_list(self, obj: _Object) -> Tuple[_Object, FilterList]:
        name, description = _names(obj)
        return obj, _built(obj, "ipsecName", lambda: FilterList(name, description, obj.blob))

    def _filter_action(self, obj: _Object) -> Tuple[_Object, FilterAction]:
        name, description = _names(obj)
        action: NegotiationPolicy = obj.blob  # type: ignore[assignment]
        return obj, _built(obj, "ipsecName", lambda: FilterAction(
            name, action.action, description, action.inpass, action.soft, action.qmpfs, action.qm_security_methods,
        ))

    def _policy(self, obj: _Object, assigned: bool, owners: Dict[str, _Object]) -> Tuple[_Object, Policy]:
        name, description = _names(obj)
        blob: PolicyBlob = obj.blob  # type: ignore[assignment]
        isakmp: IsakmpBlob = self._resolve(obj, "ipsecISAKMPReference", ISAKMP).blob  # type: ignore[assignment]
        default_rule: Optional[DefaultResponseRule] = None
        named: List[Rule] = []
        unnamed: List[Rule] = []
        for index, nfa in enumerate(self._resolve_all(obj, "ipsecNFAReference", NFA)):
            field = f"ipsecNFAReference entry {index}"
            other = owners.get(nfa.key.casefold())
            if other is obj:
                raise obj.values.error(field, f"{nfa.key!r} is listed twice")
            if other is not None:
                raise obj.values.error(field, f"{nfa.key!r} is a rule of policy key {other.key!r} already (an NFA belongs to one policy)")
            owners[nfa.key.casefold()] = obj
            action = self.nfa_action[nfa.key.casefold()]
            if action.blob.default_response:
                if default_rule is not None:
                    raise obj.values.error(field, f"{nfa.key!r} is a second default response rule")
                default_rule = self._default_rule(nfa, action)
            else:
                rule = self._rule(nfa, action)
                (named if rule.name else unnamed).append(rule)
        if default_rule is None:
            raise obj.values.error("ipsecNFAReference", "no default response rule (an NFA whose filter action has the default-response type)")
        return obj, _built(obj, "ipsecNFAReference", lambda: Policy(
            name=name,
            description=description,
            rules=tuple(named),
            default_rule=default_rule,
            polling_interval=blob.polling_interval,
            mmpfs=isakmp.mmpfs,
            qm_per_mm=isakmp.qm_per_mm,
            mm_lifetime=isakmp.mm_lifetime,
            mm_security_methods=isakmp.mm_security_methods,
            assigned=assigned,
            unnamed_rules=tuple(unnamed),
        ))

    def _rule(self, nfa: _Object, action: _Object) -> Rule:
        lists = self.nfa_lists[nfa.key.casefold()]
        if len(lists) != 1:
            raise nfa.values.error("ipsecFilterReference", f"a rule needs exactly one filter list; this one has {len(lists)}")
        blob: NfaBlob = nfa.blob  # type: ignore[assignment]
        # An absent or empty ipsecName is a rule without a name (GPIPSEC.md §1.3: absent on every NFA in D2/D3).
        name = nfa.values.text("ipsecName") or ""
        return _built(nfa, "ipsecName", lambda: Rule(
            name=name,
            filter_list=_names(lists[0])[0],
            filter_action=_names(action)[0],
            activate=blob.activate,
            connection_type=blob.connection_type,
            description=nfa.values.text("description") or "",
            tunnel=blob.tunnel,
            auth_methods=blob.auth_methods,
        ))

    def _default_rule(self, nfa: _Object, action: _Object) -> DefaultResponseRule:
        """The default response rule. Its ipsecName and description are not modelled (D1 holds a path
        there, a template artefact, GPIPSEC.md §8); what netsh cannot set on it must be as netsh makes it."""
        if self.nfa_lists[nfa.key.casefold()]:
            raise nfa.values.error("ipsecFilterReference", "the default response rule has a filter list (observed: none, GPIPSEC.md §5.3)")
        blob: NfaBlob = nfa.blob  # type: ignore[assignment]
        negotiation: NegotiationPolicy = action.blob  # type: ignore[assignment]
        if blob.connection_type is not ConnectionType.ALL or blob.tunnel:
            raise nfa.values.error("ipsecData", "the default response rule must apply to all connections without a tunnel")
        if negotiation.action is not Action.NEGOTIATE or negotiation.inpass or negotiation.soft:
            raise action.values.error("ipsecNegotiationPolicyAction", "the default response rule's filter action must negotiate, "
                                      "without inpass or soft (netsh cannot set these on it)")
        return _built(nfa, "ipsecData", lambda: DefaultResponseRule(
            activate=blob.activate,
            qmpfs=negotiation.qmpfs,
            qm_security_methods=negotiation.qm_security_methods,
            auth_methods=blob.auth_methods,
        ))


_DECODERS = {
    POLICY: lambda data, key, values: decode_policy(data, key=key),
    ISAKMP: lambda data, key, values: decode_isakmp(data, key=key),
    FILTER: lambda data, key, values: decode_filter_list(data, key=key),
    NFA: lambda data, key, values: decode_nfa(data, key=key),
    NEGOTIATION_POLICY: lambda data, key, values: decode_negotiation_policy(
        data, key=key, action=values.text("ipsecNegotiationPolicyAction", required=True),
        policy_type=values.text("ipsecNegotiationPolicyType", required=True),
    ),
}


def _decode_object(key: RegistryKey) -> _Object:
    """Check an object key's common values and decode its blob by its class."""
    class_name = object_class(key.name)
    if class_name is None:
        raise RegistryDecodeError(key.name, "key name", "not of the form <class>{GUID} with a known class "
                                                        "(ipsecPolicy, ipsecISAKMPPolicy, ipsecNFA, ipsecNegotiationPolicy, ipsecFilter)")
    values = KeyValues(key)
    data = values.check_object(class_name)
    return _Object(values, class_name, _DECODERS[class_name](data, key.name, values))


def _names(obj: _Object) -> Tuple[str, str]:
    """(``ipsecName``, ``description``) of a store-level object; a name is required (netsh names every
    filter list, filter action and policy), the description is ``""`` when absent."""
    name = obj.values.text("ipsecName")
    if not name:
        raise obj.values.error("ipsecName", f"a {obj.class_name} needs a name")
    return name, obj.values.text("description") or ""


def _built(obj: _Object, field: str, build):
    """``build()``, with the model's refusal turned into a RegistryDecodeError about ``obj``."""
    try:
        return build()
    except InvalidInput as error:
        target = {"name": "ipsecName", "description": "description"}.get(error.field, field)
        raise obj.values.error(target, f"the model refuses it: {error}") from None


def _check_unique(kind: str, objects: List[Tuple[_Object, object]]) -> None:
    """Two store-level objects of one kind may not share a name in any case (A-31)."""
    seen: Dict[str, _Object] = {}
    for obj, item in objects:
        name = item.name  # type: ignore[attr-defined]
        other = seen.setdefault(name_key(name), obj)
        if other is not obj:
            raise obj.values.error("ipsecName", f"the {kind} name {name!r} is also the name of key {other.key!r} (names ignore case)")


__all__ = ["DecodedStore", "DomainPolicy", "decode_snapshot"]
