# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The option shapes the modules of lockdown.ipsec share (docs/module-options.md).

Use them with ``extends_documentation_fragment``:

* ``lockdown.ipsec.ipsec``: the attributes and notes every module of the collection shares;
* ``lockdown.ipsec.ipsec.write``: ``on_failure``, for every module that writes to the store;
* ``lockdown.ipsec.ipsec.assignment``: ``accept_domain_policy``, for every module that can assign a policy;
* ``lockdown.ipsec.ipsec.filter_list``: ``name``, ``description``, ``filters``;
* ``lockdown.ipsec.ipsec.filter_action``: ``name``, ``description``, ``action``, ``inpass``, ``soft``,
  ``qmpfs``, ``qm_security_methods``;
* ``lockdown.ipsec.ipsec.policy``: ``name``, ``description``, ``rules``, ``default_response_rule``
  and the main-mode settings;
* ``lockdown.ipsec.ipsec.config``: ``ipsec_config``'s ``config``, which nests the three shapes.

ansible-core merges fragments only at the top of a module's options, and ``ansible-test sanity``
reads fragments as plain string literals, so ``CONFIG`` repeats the three shapes (and the filter and
authentication shapes repeat where they nest). Only the ``O()`` paths differ between the copies;
``tests/unit/plugins/test_module_docs.py`` checks that the copies stay identical otherwise. Change
one copy, change them all.
ansible-core does not apply fragments to ``RETURN``; every module carries its own.
"""

from __future__ import annotations


class ModuleDocFragment(object):
    # The attributes and notes every module of the collection shares. Each module adds check_mode,
    # diff_mode and platform, and the ansible.builtin.action_common_attributes fragments their texts.
    DOCUMENTATION = r"""
options:
  read_from:
    description:
      - Where the task reads the store from.
      - V(registry) reads the store's own registry keys (C(HKLM\SOFTWARE\Policies\Microsoft\Windows\IPSec)) and decodes
        them on the controller, following Microsoft's open specification [MS-GPIPSEC]. It does not depend on the
        host's display language or code page, so names with any characters read back as written, and it also
        shows rules made in the IP Security Policies console, which have no name.
      - V(netsh) parses the text of C(netsh ipsec static show ... level=verbose), whose layout for policies and
        filter actions has not been published. Use it if the registry read fails or disagrees with what your host
        holds, and please report the difference (run with C(-vvvv) to see what the host sent).
      - The registry read refuses a filter list holding IPv6 or address-range filters (no real export with one has
        been published, so their layout is not trusted); read such a store with V(netsh).
      - Either way writes are netsh commands, and the read is one round trip. To choose for every task of a play,
        set it in C(module_defaults) for the group C(group/lockdown.ipsec.ipsec).
    type: str
    choices: [registry, netsh]
    default: registry
attributes:
  action:
    support: full
  async:
    support: none
  become:
    support: none
    details:
      - The task fails when it asks for C(become). The connection user must be an administrator of the Windows
        host.
  bypass_host_loop:
    support: none
  connection:
    support: full
  delegation:
    support: none
    details:
      - Not designed or tested for C(delegate_to); the task manages the store of the host its connection
        reaches.
notes:
  - The module works on the Windows static IPsec policy store (C(netsh ipsec static)), the store that the IP
    Security Policies console and the Windows 2000 C(ipsecpol) tool edit.
  - It runs as an action plugin. Everything is planned on the controller; the host receives one fixed command,
    C(PowerShell -NoProfile -NonInteractive -ExecutionPolicy Unrestricted -EncodedCommand ...), per round
    trip, which runs C(netsh.exe) once per netsh command of the batch. Reading the store is one round trip and
    writing it another; a task that changes nothing makes one round trip, also in check mode.
  - It works over C(winrm), C(psrp) and C(ssh) (with PowerShell as the shell) alike, and needs no Python on
    the host.
  - In check mode every task of the collection sees the host as the earlier tasks of the same run would have
    left it, so C(--check --diff) reviews a whole play, not only its first task. The prediction stays within
    the run and the host (it is kept in the run's own temporary directory on the controller, never in facts);
    a task that uses it makes no round trip, and a task that is not in check mode reads the host again.
  - Bad input fails the task before anything is sent to the host. Names, descriptions and keys may not contain
    control characters (NUL, CR, LF, ...) or double quotes, nor start or end with a space.
  - Some netsh behaviours the collection relies on are not documented by Microsoft. Each is recorded, with its
    source and confidence, in the assumption register C(docs/assumptions.md) of the collection; please report
    what your Windows host does differently.
"""

    # The option of every module that writes to the store.
    WRITE = r"""
options:
  on_failure:
    description:
      - What the task does when netsh refuses a command part-way through the write batch. netsh has no
        transactions, so the commands before it have already changed the store.
      - V(rollback) undoes them, planned from what the host holds then back to the store read before the batch,
        with the same make-before-break order as any change, and reads the store back. The task fails; when
        the store read back equals the store before the task, the task reports no change. If the undo fails
        too, the message says so and RV(after) shows what the host holds.
      - V(stop) leaves the store as netsh left it, the commands before the failing one applied, and RV(after)
        shows it, read back.
      - Either way the result names the failing command with netsh's own words (RV(failed_command)), the
        commands that ran before it (RV(succeeded_commands)) and those that did not run (RV(not_run_commands)).
        Undoing costs two round trips more (the undo and a second read back).
      - Values that netsh is known to refuse are refused before anything is sent, so this is for what cannot
        be known in advance (a DNS name that does not resolve, a store that cannot be opened, ...).
    type: str
    choices: [rollback, stop]
    default: rollback
"""

    # The option of every module that can assign a policy.
    BACKUP = r"""
options:
  backup:
    description:
      - Export the store to a file on the host before changing it, as the network config modules' C(backup) option
        does. The export (C(netsh ipsec static exportpolicy)) is the first command of the write batch, so it costs no
        extra round trip, and it runs only when something changes (never in check mode). If the export fails, no
        change is made and the task fails saying so.
      - The file is in the format of the IP Security Policies console and holds the store as it was before the
        change, without the assignment (an import never assigns). Restore it with M(lockdown.ipsec.ipsec_backup)
        O(lockdown.ipsec.ipsec_backup#module:state=restored); RV(backup_path) names it.
    type: bool
    default: false
  backup_options:
    description:
      - Where O(backup) writes.
    type: dict
    suboptions:
      path:
        description:
          - The file on the Windows host. An existing file is overwritten.
        type: str
        default: 'C:\Windows\Temp\lockdown-ipsec-backup.ipsec'
      fetch_to:
        description:
          - A file on the controller to copy the export to. The same write batch reads the export back, so the
            copy costs no extra round trip and needs nothing on the host but the batch itself (no
            M(ansible.builtin.fetch), no C(ansible.windows)).
          - A relative path is relative to the playbook, as the C(dest) of M(ansible.builtin.fetch) is.
            Parent directories are created; the file is written with mode C(0600) (it holds the store's
            pre-shared keys) and replaced atomically. It is written only when the export runs, that is when
            something changes and not in check mode; RV(backup_fetched_to) then names it.
          - If the export cannot be read back or the file cannot be written, the change stands and the task
            warns; the export is still on the host.
          - Omitted or empty, nothing is copied.
        type: path
"""

    CONFIRM = r"""
options:
  confirm:
    description:
      - Seconds to confirm the change in, as C(commit confirmed) on network devices. When the change assigns a
        policy, unassigns one, or changes the policy that is or will be assigned (its rules, or the filter lists and
        filter actions they use), the write batch first arms a rollback on the host, a one-time scheduled task
        that runs as C(SYSTEM) after this many seconds and restores what the host had, that is the store as it
        was before the task (exported to C(C:\Windows\Temp\lockdown-ipsec-rollback-<random>.ipsec)) and the assignment
        it had. After the write the task opens a B(new) connection to the host (never the one it already holds,
        which may survive a block that new connections hit) and disarms the rollback through it.
      - If no new connection can be made, the task fails saying that the new policy cut off the management
        channel, when the host will restore its previous policy (host clock, UTC) and what that policy is. The host
        does so by itself; the task's connection is not needed.
      - A confirmed change costs three round trips (read; write with the arming; the confirmation over the new
        connection). In check mode RV(rollback) says what would be armed and nothing is; a change that does not
        touch the assigned policy arms nothing, and neither does a task that changes nothing.
      - Needs the C(ScheduledTasks) PowerShell module (Windows Server 2012 or later). While a rollback is pending
        (scheduled task C(lockdown-ipsec-rollback)), no other can be armed, and the task fails before
        changing anything. From 10 to 86400; omitted, nothing is armed.
    type: int
"""

    ASSIGNMENT = r"""
options:
  accept_domain_policy:
    description:
      - A policy assigned by Group Policy overrides the locally assigned one, so assigning a local policy while
        one applies changes nothing that is enforced. By default a task that would assign a policy then fails,
        naming the domain policy (in check mode too); V(true) assigns it all the same, for when the domain
        policy is about to go.
      - M(lockdown.ipsec.ipsec_info) reports the domain policy as RV(lockdown.ipsec.ipsec_info#module:domain_policy).
    type: bool
    default: false
"""

    # The filter_list shape (docs/module-options.md, "filter_list" and "filter").
    FILTER_LIST = r"""
options:
  name:
    description:
      - The name of the filter list, unique in the store. As on Windows, names are compared without regard
        to case, so C(Web) and C(WEB) are the same list. A name that differs from the host's only in case renames the
        filter list on the host (C(newname=)).
      - Names and descriptions may not contain control characters (NUL, CR, LF, ...) or double quotes, nor
        start or end with a space, and may not be C(NONE), which netsh prints for an empty value.
    type: str
    required: true
  description:
    description:
      - The description of the filter list.
      - Left out, it is not managed; a list that is created (or replaced) gets none.
    type: str
  filters:
    description:
      - The filters of the list. An entry with lists or ranges of ports stands for several filters.
      - Left out, the filters are not managed; a list that is created (or replaced) gets none.
    type: list
    elements: dict
    suboptions:
      source:
        description:
          - Where the traffic comes from.
          - V(any); V(me) (this host); a server type, V(dns), V(wins), V(dhcp) or V(gateway); an IPv4 or IPv6
            address; an IPv4 subnet C(a.b.c.d/nn) (or the address with O(filters[].source_mask)); a range
            C(a-b) of two addresses of one family; or a DNS name, which netsh resolves when the filter is
            added.
          - A server type on one side needs V(me) on the other.
          - Spellings with the same meaning are the same filter, so V(any) and C(0.0.0.0/0), or C(10.0.0.5)
            and C(10.0.0.5/32), are idempotent with each other.
        type: str
        default: any
      source_mask:
        description:
          - The mask of an IPv4 O(filters[].source), as a dotted mask such as C(255.255.255.0) or as a prefix
            length such as C(24).
          - Either this or C(/nn) on the address, not both.
          - Does not apply to V(me), server types, ranges, DNS names or IPv6 addresses.
        type: str
      destination:
        description:
          - Where the traffic goes, in the forms of O(filters[].source).
          - The default, V(me), matches traffic to any address of this host.
        type: str
        default: me
      destination_mask:
        description:
          - The mask of an IPv4 O(filters[].destination), as for O(filters[].source_mask).
        type: str
      protocol:
        description:
          - The IP protocol, V(any), V(icmp), V(tcp), V(udp), V(raw) (protocol 255) or a protocol number from
            C(0) to C(255).
        type: str
        default: any
      source_port:
        description:
          - The source port; V(0) or V(any) means any port.
          - A list of ports, or a range C(a-b) given as a string (within 1-65535), makes one filter per port,
            because netsh takes one port per filter. A list may mix ports and ranges.
          - Ports need O(filters[].protocol=tcp) or O(filters[].protocol=udp).
        type: raw
        default: 0
      destination_port:
        description:
          - The destination port, in the forms of O(filters[].source_port).
          - When both ports are lists or ranges, the entry stands for every combination (the cross product).
            One entry may expand to at most 1,024 filters; entries that expand to the same filter count once.
        type: raw
        default: 0
      mirrored:
        description:
          - Also match the reverse direction, from the destination back to the source (netsh C(mirrored=yes)),
            so that the answers to permitted traffic are permitted too.
        type: bool
        default: true
      description:
        description:
          - A description of the filter. Two filters that differ only in their descriptions are two filters.
        type: str
        default: ''
"""

    # The filter_action shape.
    FILTER_ACTION = r"""
options:
  name:
    description:
      - The name of the filter action, unique in the store. As on Windows, names are compared without regard
        to case, so C(Block) and C(BLOCK) are the same action. A name that differs from the host's only in case renames the
        filter action on the host (C(newname=)).
    type: str
    required: true
  description:
    description:
      - The description of the filter action.
      - Left out, it is not managed; an action that is created (or replaced) gets none.
    type: str
  action:
    description:
      - What the action does with matching traffic. V(permit) lets it pass, V(block) drops it silently,
        V(negotiate) negotiates IPsec security with the peer.
      - Required when the filter action is created (or replaced); netsh's own default, V(negotiate), is not
        assumed.
    type: str
    choices: [permit, block, negotiate]
  inpass:
    description:
      - Accept unsecured inbound traffic but answer it with IPsec (netsh C(inpass)).
      - Left out, it is not managed; created V(false).
    type: bool
  soft:
    description:
      - Allow unsecured communication with peers that do not answer IPsec negotiation (netsh C(soft)).
      - Left out, it is not managed; created V(false).
    type: bool
  qmpfs:
    description:
      - Quick-mode perfect forward secrecy (netsh C(qmpfs)).
      - Left out, it is not managed; created V(false).
    type: bool
  qm_security_methods:
    description:
      - Quick-mode security methods, most preferred first. Each is C(ESP[ConfAlg,AuthAlg]), C(AH[HashAlg]) or
        C(AH[HashAlg]+ESP[ConfAlg,AuthAlg]), optionally followed by lifetimes C(:<kilobytes>k/<seconds>s),
        with ConfAlg C(DES), C(3DES) or C(None), AuthAlg C(MD5), C(SHA1) or C(None), and HashAlg C(MD5) or
        C(SHA1). AES is not part of the static store's syntax.
      - Used by O(action=negotiate) only.
      - Left out, they are not managed; a negotiate action that is created (or replaced) gets
        C(ESP[3DES,SHA1]:100000k/3600s) and C(ESP[3DES,MD5]:100000k/3600s), an assumption about netsh's
        default recorded in the assumption register; other actions get none.
    type: list
    elements: str
"""

    # The policy shape, with rule, default response rule and authentication.
    POLICY = r"""
options:
  name:
    description:
      - The name of the policy, unique in the store. As on Windows, names are compared without regard
        to case, so C(Lockdown) and C(LOCKDOWN) are the same policy. A name that differs from the host's only in case renames the
        policy on the host (C(newname=)).
    type: str
    required: true
  description:
    description:
      - The description of the policy.
      - Left out, it is not managed; a policy that is created (or replaced) gets none.
    type: str
  rules:
    description:
      - The rules of the policy, each pairing a filter list with a filter action.
      - Their order does not matter. The policy engine applies the most specific matching filter, so a permit
        for TCP port 80 wins over a block of all inbound traffic.
      - Left out, the rules are not managed; a policy that is created (or replaced) gets none.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - The name of the rule, unique within its policy, compared without regard to case as on Windows. A
            name that differs from the host's only in case renames the rule.
        type: str
        required: true
      filter_list:
        description:
          - The name of the filter list the rule applies to. It must exist on the host or be created by the
            same task.
        type: str
        required: true
      filter_action:
        description:
          - The name of the filter action the rule applies to matching traffic. It must exist on the host or
            be created by the same task.
        type: str
        required: true
      activate:
        description:
          - Whether the rule is active.
          - Left out, it is not managed; created V(true).
        type: bool
      connection_type:
        description:
          - The connections the rule applies to.
          - Left out, it is not managed; created V(all).
        type: str
        choices: [all, lan, dialup]
      description:
        description:
          - The description of the rule.
          - Left out, it is not managed; created with none.
        type: str
      tunnel:
        description:
          - The tunnel end point, an IP address; an empty string for none (transport mode).
          - A DNS name is refused, because netsh stores the address it resolves to.
          - netsh cannot change a rule's tunnel end point in place, so a rule whose end point changes is
            deleted and added again.
          - Left out, it is not managed; created with none.
        type: str
      authentication:
        description:
          - Authentication methods, most preferred first. Each entry gives exactly one of
            O(rules[].authentication[].kerberos), O(rules[].authentication[].pre_shared_key) or
            O(rules[].authentication[].root_ca). Kerberos and a pre-shared key may each be listed once, root
            CAs several times (different CAs).
          - Used only when the filter action negotiates; rules that permit or block authenticate nothing.
          - Left out, they are not managed; created with none.
        type: list
        elements: dict
        suboptions:
          kerberos:
            description:
              - Authenticate with Kerberos V5. Only V(true) is accepted; leave the key out for another method.
            type: bool
          pre_shared_key:
            description:
              - Authenticate with this pre-shared key.
              - It is a secret, never logged; results show it as C(********). That value is refused here, give
                the real key.
            type: str
          root_ca:
            description:
              - Authenticate with certificates issued by this root CA, given by its distinguished name, such
                as C(C=US, O=Example, CN=Example Root).
            type: str
          certmap:
            description:
              - With O(rules[].authentication[].root_ca) only, map the certificate to a Windows account (netsh
                C(certmap)).
            type: bool
            default: false
          exclude_ca_name:
            description:
              - With O(rules[].authentication[].root_ca) only, leave the CA name out of certificate requests
                (netsh C(excludecaname)).
            type: bool
            default: false
  default_response_rule:
    description:
      - The default response rule every policy has (netsh C(set defaultrule)).
      - Left out, it is not managed; a policy that is created (or replaced) gets an inactive one.
    type: dict
    suboptions:
      activate:
        description:
          - Whether the default response rule is active.
          - Left out, it is not managed; created V(false), as seed 000 unchecks it (netsh's own default is
            V(true)).
        type: bool
      qmpfs:
        description:
          - Quick-mode perfect forward secrecy of the default response rule.
          - Left out, it is not managed; created V(false).
        type: bool
      qm_security_methods:
        description:
          - Quick-mode security methods of the default response rule, most preferred first, in the form of a
            filter action's C(qm_security_methods).
          - Left out, they are not managed; created with none.
        type: list
        elements: str
      authentication:
        description:
          - Authentication methods, most preferred first. Each entry gives exactly one of
            O(default_response_rule.authentication[].kerberos),
            O(default_response_rule.authentication[].pre_shared_key) or
            O(default_response_rule.authentication[].root_ca). Kerberos and a pre-shared key may each be
            listed once, root CAs several times (different CAs).
          - Used only when the filter action negotiates; rules that permit or block authenticate nothing.
          - Left out, they are not managed; created with none.
        type: list
        elements: dict
        suboptions:
          kerberos:
            description:
              - Authenticate with Kerberos V5. Only V(true) is accepted; leave the key out for another method.
            type: bool
          pre_shared_key:
            description:
              - Authenticate with this pre-shared key.
              - It is a secret, never logged; results show it as C(********). That value is refused here, give
                the real key.
            type: str
          root_ca:
            description:
              - Authenticate with certificates issued by this root CA, given by its distinguished name, such
                as C(C=US, O=Example, CN=Example Root).
            type: str
          certmap:
            description:
              - With O(default_response_rule.authentication[].root_ca) only, map the certificate to a Windows
                account (netsh C(certmap)).
            type: bool
            default: false
          exclude_ca_name:
            description:
              - With O(default_response_rule.authentication[].root_ca) only, leave the CA name out of
                certificate requests (netsh C(excludecaname)).
            type: bool
            default: false
  polling_interval:
    description:
      - How often, in minutes, the policy agent looks for changes to the policy.
      - Left out, it is not managed; created V(180).
    type: int
  mmpfs:
    description:
      - Main-mode (master key) perfect forward secrecy. netsh then allows one quick mode per main mode, so
        O(qm_per_mm) must be V(1) or left out.
      - Left out, it is not managed; created V(false).
    type: bool
  qm_per_mm:
    description:
      - Quick-mode sessions per main-mode session; V(0) means no limit.
      - Left out, it is not managed; created V(0), or V(1) with O(mmpfs=true).
    type: int
  mm_lifetime:
    description:
      - Main-mode rekey time in minutes.
      - Left out, it is not managed; created V(480).
    type: int
  mm_security_methods:
    description:
      - Main-mode security methods, most preferred first, each C(ConfAlg-HashAlg-GroupNum) with ConfAlg C(DES)
        or C(3DES), HashAlg C(MD5) or C(SHA1), and Diffie-Hellman group C(1), C(2) or C(3).
      - Left out, they are not managed; created C(3DES-SHA1-2), C(3DES-MD5-2), C(DES-SHA1-1), C(DES-MD5-1).
    type: list
    elements: str
"""

    # ipsec_config's config: the three shapes nested, and assigned.
    CONFIG = r"""
options:
  config:
    description:
      - The desired configuration, in the shape that O(state=gathered) returns as C(gathered), so a gathered
        configuration can be given back (after replacing its redacted pre-shared keys).
      - Required by O(state=merged), O(state=replaced), O(state=overridden) and O(state=rendered). With
        O(state=deleted) it names the objects to delete (their other settings are ignored); without it,
        O(state=deleted) deletes everything under O(owner_prefix).
    type: dict
    suboptions:
      filter_lists:
        description:
          - Filter lists.
          - With O(state=merged), the given filters are added to a list; with O(state=replaced) and
            O(state=overridden), they are its exact filter set.
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - The name of the filter list, unique in the store. As on Windows, names are compared without regard
                to case, so C(Web) and C(WEB) are the same list. A name that differs from the host's only in case renames the
                filter list on the host (C(newname=)).
              - Names and descriptions may not contain control characters (NUL, CR, LF, ...) or double quotes,
                nor start or end with a space, and may not be C(NONE), which netsh prints for an empty value.
            type: str
            required: true
          description:
            description:
              - The description of the filter list.
              - Left out, it is not managed; a list that is created (or replaced) gets none.
            type: str
          filters:
            description:
              - The filters of the list. An entry with lists or ranges of ports stands for several filters.
              - Left out, the filters are not managed; a list that is created (or replaced) gets none.
            type: list
            elements: dict
            suboptions:
              source:
                description:
                  - Where the traffic comes from.
                  - V(any); V(me) (this host); a server type, V(dns), V(wins), V(dhcp) or V(gateway); an IPv4
                    or IPv6 address; an IPv4 subnet C(a.b.c.d/nn) (or the address with
                    O(config.filter_lists[].filters[].source_mask)); a range C(a-b) of two addresses of one
                    family; or a DNS name, which netsh resolves when the filter is added.
                  - A server type on one side needs V(me) on the other.
                  - Spellings with the same meaning are the same filter, so V(any) and C(0.0.0.0/0), or
                    C(10.0.0.5) and C(10.0.0.5/32), are idempotent with each other.
                type: str
                default: any
              source_mask:
                description:
                  - The mask of an IPv4 O(config.filter_lists[].filters[].source), as a dotted mask such as
                    C(255.255.255.0) or as a prefix length such as C(24).
                  - Either this or C(/nn) on the address, not both.
                  - Does not apply to V(me), server types, ranges, DNS names or IPv6 addresses.
                type: str
              destination:
                description:
                  - Where the traffic goes, in the forms of O(config.filter_lists[].filters[].source).
                  - The default, V(me), matches traffic to any address of this host.
                type: str
                default: me
              destination_mask:
                description:
                  - The mask of an IPv4 O(config.filter_lists[].filters[].destination), as for
                    O(config.filter_lists[].filters[].source_mask).
                type: str
              protocol:
                description:
                  - The IP protocol, V(any), V(icmp), V(tcp), V(udp), V(raw) (protocol 255) or a protocol
                    number from C(0) to C(255).
                type: str
                default: any
              source_port:
                description:
                  - The source port; V(0) or V(any) means any port.
                  - A list of ports, or a range C(a-b) given as a string (within 1-65535), makes one filter
                    per port, because netsh takes one port per filter. A list may mix ports and ranges.
                  - Ports need O(config.filter_lists[].filters[].protocol=tcp) or
                    O(config.filter_lists[].filters[].protocol=udp).
                type: raw
                default: 0
              destination_port:
                description:
                  - The destination port, in the forms of O(config.filter_lists[].filters[].source_port).
                  - When both ports are lists or ranges, the entry stands for every combination (the cross
                    product). One entry may expand to at most 1,024 filters; entries that expand to the same
                    filter count once.
                type: raw
                default: 0
              mirrored:
                description:
                  - Also match the reverse direction, from the destination back to the source (netsh
                    C(mirrored=yes)), so that the answers to permitted traffic are permitted too.
                type: bool
                default: true
              description:
                description:
                  - A description of the filter. Two filters that differ only in their descriptions are two
                    filters.
                type: str
                default: ''
      filter_actions:
        description:
          - Filter actions.
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - The name of the filter action, unique in the store. As on Windows, names are compared without regard
                to case, so C(Block) and C(BLOCK) are the same action. A name that differs from the host's only in case renames the
                filter action on the host (C(newname=)).
            type: str
            required: true
          description:
            description:
              - The description of the filter action.
              - Left out, it is not managed; an action that is created (or replaced) gets none.
            type: str
          action:
            description:
              - What the action does with matching traffic. V(permit) lets it pass, V(block) drops it
                silently, V(negotiate) negotiates IPsec security with the peer.
              - Required when the filter action is created (or replaced); netsh's own default, V(negotiate),
                is not assumed.
            type: str
            choices: [permit, block, negotiate]
          inpass:
            description:
              - Accept unsecured inbound traffic but answer it with IPsec (netsh C(inpass)).
              - Left out, it is not managed; created V(false).
            type: bool
          soft:
            description:
              - Allow unsecured communication with peers that do not answer IPsec negotiation (netsh C(soft)).
              - Left out, it is not managed; created V(false).
            type: bool
          qmpfs:
            description:
              - Quick-mode perfect forward secrecy (netsh C(qmpfs)).
              - Left out, it is not managed; created V(false).
            type: bool
          qm_security_methods:
            description:
              - Quick-mode security methods, most preferred first. Each is C(ESP[ConfAlg,AuthAlg]),
                C(AH[HashAlg]) or C(AH[HashAlg]+ESP[ConfAlg,AuthAlg]), optionally followed by lifetimes
                C(:<kilobytes>k/<seconds>s), with ConfAlg C(DES), C(3DES) or C(None), AuthAlg C(MD5), C(SHA1)
                or C(None), and HashAlg C(MD5) or C(SHA1). AES is not part of the static store's syntax.
              - Used by O(config.filter_actions[].action=negotiate) only.
              - Left out, they are not managed; a negotiate action that is created (or replaced) gets
                C(ESP[3DES,SHA1]:100000k/3600s) and C(ESP[3DES,MD5]:100000k/3600s), an assumption about
                netsh's default recorded in the assumption register; other actions get none.
            type: list
            elements: str
      policies:
        description:
          - Policies with their rules.
          - With O(state=merged), the given rules are added or updated; with O(state=replaced) and
            O(state=overridden), they are the policy's exact rule set.
        type: list
        elements: dict
        suboptions:
          name:
            description:
              - The name of the policy, unique in the store. As on Windows, names are compared without regard
                to case, so C(Lockdown) and C(LOCKDOWN) are the same policy. A name that differs from the host's only in case renames the
                policy on the host (C(newname=)).
            type: str
            required: true
          description:
            description:
              - The description of the policy.
              - Left out, it is not managed; a policy that is created (or replaced) gets none.
            type: str
          rules:
            description:
              - The rules of the policy, each pairing a filter list with a filter action.
              - Their order does not matter. The policy engine applies the most specific matching filter, so a
                permit for TCP port 80 wins over a block of all inbound traffic.
              - Left out, the rules are not managed; a policy that is created (or replaced) gets none.
            type: list
            elements: dict
            suboptions:
              name:
                description:
                  - The name of the rule, unique within its policy, compared without regard to case as on Windows. A
                    name that differs from the host's only in case renames the rule.
                type: str
                required: true
              filter_list:
                description:
                  - The name of the filter list the rule applies to. It must exist on the host or be created
                    by the same task.
                type: str
                required: true
              filter_action:
                description:
                  - The name of the filter action the rule applies to matching traffic. It must exist on the
                    host or be created by the same task.
                type: str
                required: true
              activate:
                description:
                  - Whether the rule is active.
                  - Left out, it is not managed; created V(true).
                type: bool
              connection_type:
                description:
                  - The connections the rule applies to.
                  - Left out, it is not managed; created V(all).
                type: str
                choices: [all, lan, dialup]
              description:
                description:
                  - The description of the rule.
                  - Left out, it is not managed; created with none.
                type: str
              tunnel:
                description:
                  - The tunnel end point, an IP address; an empty string for none (transport
                    mode).
                  - A DNS name is refused, because netsh stores the address it resolves to.
                  - netsh cannot change a rule's tunnel end point in place, so a rule whose end point changes
                    is deleted and added again.
                  - Left out, it is not managed; created with none.
                type: str
              authentication:
                description:
                  - Authentication methods, most preferred first. Each entry gives exactly one of
                    O(config.policies[].rules[].authentication[].kerberos),
                    O(config.policies[].rules[].authentication[].pre_shared_key) or
                    O(config.policies[].rules[].authentication[].root_ca). Kerberos and a pre-shared key may
                    each be listed once, root CAs several times (different CAs).
                  - Used only when the filter action negotiates; rules that permit or block authenticate
                    nothing.
                  - Left out, they are not managed; created with none.
                type: list
                elements: dict
                suboptions:
                  kerberos:
                    description:
                      - Authenticate with Kerberos V5. Only V(true) is accepted; leave the key out for another
                        method.
                    type: bool
                  pre_shared_key:
                    description:
                      - Authenticate with this pre-shared key.
                      - It is a secret, never logged; results show it as C(********). That value is refused
                        here, give the real key.
                    type: str
                  root_ca:
                    description:
                      - Authenticate with certificates issued by this root CA, given by its distinguished
                        name, such as C(C=US, O=Example, CN=Example Root).
                    type: str
                  certmap:
                    description:
                      - With O(config.policies[].rules[].authentication[].root_ca) only, map the certificate
                        to a Windows account (netsh C(certmap)).
                    type: bool
                    default: false
                  exclude_ca_name:
                    description:
                      - With O(config.policies[].rules[].authentication[].root_ca) only, leave the CA name out
                        of certificate requests (netsh C(excludecaname)).
                    type: bool
                    default: false
          default_response_rule:
            description:
              - The default response rule every policy has (netsh C(set defaultrule)).
              - Left out, it is not managed; a policy that is created (or replaced) gets an inactive one.
            type: dict
            suboptions:
              activate:
                description:
                  - Whether the default response rule is active.
                  - Left out, it is not managed; created V(false), as seed 000 unchecks it (netsh's own
                    default is V(true)).
                type: bool
              qmpfs:
                description:
                  - Quick-mode perfect forward secrecy of the default response rule.
                  - Left out, it is not managed; created V(false).
                type: bool
              qm_security_methods:
                description:
                  - Quick-mode security methods of the default response rule, most preferred first, in the
                    form of a filter action's C(qm_security_methods).
                  - Left out, they are not managed; created with none.
                type: list
                elements: str
              authentication:
                description:
                  - Authentication methods, most preferred first. Each entry gives exactly one of
                    O(config.policies[].default_response_rule.authentication[].kerberos),
                    O(config.policies[].default_response_rule.authentication[].pre_shared_key) or
                    O(config.policies[].default_response_rule.authentication[].root_ca). Kerberos and a
                    pre-shared key may each be listed once, root CAs several times (different CAs).
                  - Used only when the filter action negotiates; rules that permit or block authenticate
                    nothing.
                  - Left out, they are not managed; created with none.
                type: list
                elements: dict
                suboptions:
                  kerberos:
                    description:
                      - Authenticate with Kerberos V5. Only V(true) is accepted; leave the key out for another
                        method.
                    type: bool
                  pre_shared_key:
                    description:
                      - Authenticate with this pre-shared key.
                      - It is a secret, never logged; results show it as C(********). That value is refused
                        here, give the real key.
                    type: str
                  root_ca:
                    description:
                      - Authenticate with certificates issued by this root CA, given by its distinguished
                        name, such as C(C=US, O=Example, CN=Example Root).
                    type: str
                  certmap:
                    description:
                      - With O(config.policies[].default_response_rule.authentication[].root_ca) only, map the
                        certificate to a Windows account (netsh C(certmap)).
                    type: bool
                    default: false
                  exclude_ca_name:
                    description:
                      - With O(config.policies[].default_response_rule.authentication[].root_ca) only, leave
                        the CA name out of certificate requests (netsh C(excludecaname)).
                    type: bool
                    default: false
          polling_interval:
            description:
              - How often, in minutes, the policy agent looks for changes to the policy.
              - Left out, it is not managed; created V(180).
            type: int
          mmpfs:
            description:
              - Main-mode (master key) perfect forward secrecy. netsh then allows one quick mode per main
                mode, so O(config.policies[].qm_per_mm) must be V(1) or left out.
              - Left out, it is not managed; created V(false).
            type: bool
          qm_per_mm:
            description:
              - Quick-mode sessions per main-mode session; V(0) means no limit.
              - Left out, it is not managed; created V(0), or V(1) with O(config.policies[].mmpfs=true).
            type: int
          mm_lifetime:
            description:
              - Main-mode rekey time in minutes.
              - Left out, it is not managed; created V(480).
            type: int
          mm_security_methods:
            description:
              - Main-mode security methods, most preferred first, each C(ConfAlg-HashAlg-GroupNum) with
                ConfAlg C(DES) or C(3DES), HashAlg C(MD5) or C(SHA1), and Diffie-Hellman group C(1), C(2) or
                C(3).
              - Left out, they are not managed; created C(3DES-SHA1-2), C(3DES-MD5-2), C(DES-SHA1-1),
                C(DES-MD5-1).
            type: list
            elements: str
      assigned:
        description:
          - The name of the policy to assign, or an empty string to assign none.
          - Left out, the assignment is not managed.
          - Only one policy is assigned at a time; assigning one unassigns the other. The policy must be in
            O(config.policies) or on the host.
          - Ignored by O(state=deleted).
        type: str
"""
