#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: ipsec_packet_filter
short_description: Lock a Windows server down to the ports of its roles, guarded against locking out Ansible
description:
  - Builds one static IPsec policy that permits the services the server offers (server direction) and uses
    (client direction), permits the management channel Ansible runs over, and blocks everything else inbound
    ("Using IPSec to Lock Down a Server" and the AnalogX public server template), and applies it as
    M(lockdown.ipsec.ipsec_config) with O(lockdown.ipsec.ipsec_config#module:state=overridden) and
    O(owner_prefix) does. This is the engine of the C(lockdown.ipsec.packet_filter) role; the role's variables are
    this module's options with C(packet_filter_) in front, and inside the role its messages name those variables.
  - Every object it creates starts with O(owner_prefix); objects outside the prefix are never changed or deleted.
    Changing the server's role is running it again with other services.
  - Before anything is written (in check mode too) a guard evaluates TCP packets from every O(management_sources)
    entry to O(interface_address) on every guard port against the store as it will be, under the policy that will
    be assigned (objects outside the prefix included). A subnet or range is tried at its first, last and one inner
    address, C(any) at an IPv4 and an IPv6 documentation address, and where a source overlaps a protected subnet or
    range (a controller on the server's own network, which the mirrored default deny matches in its reverse
    direction) also at the overlap's first, inner and last address. The guard ports are O(management_port), the port
    of the connection the task really runs over (the connection plugin's own setting, from C(ansible_port),
    C(ansible_winrm_port), C(ansible_psrp_port) or the plugin's default) and O(guard_ports). If any packet would
    be blocked, or is permitted only under one of the plausible readings of "the most specific filter wins", the
    task fails naming the packet, the verdict and the deciding rule and filter.
  - Round trips to the host, however many filters there are; one to read, and when something changes one write
    batch that first exports the store (O(backup)) and then applies the change, stopping at the first failure.
    A run that changes nothing costs one round trip, and so does check mode. C(become) is not supported.
  - RV(summary) is a short table of what the host permits once the policy applies, the default deny and the
    management channel's verdict; the role prints it.
  - netsh behaviours the module relies on that are not documented by Microsoft are listed in the assumption
    register, C(docs/assumptions.md) in the collection.
extends_documentation_fragment:
  - lockdown.ipsec.ipsec
  - lockdown.ipsec.ipsec.write
  - lockdown.ipsec.ipsec.backup
  - lockdown.ipsec.ipsec.assignment
  - lockdown.ipsec.ipsec.confirm
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.conn
options:
  policy_name:
    description:
      - Name of the policy. O(owner_prefix) is put in front unless the name already starts with it (default policy
        C(LD - Packet Filter)).
    type: str
    default: Packet Filter
  owner_prefix:
    description:
      - Every object the module creates (policy, filter lists, filter actions, rules) starts with this prefix, and
        it replaces or deletes only objects that start with it. Must not be empty.
    type: str
    default: "LD - "
  server_services:
    description:
      - Catalogue names of the services this server offers. Each becomes the filter list and rule
        C(<prefix><label> Server) with one mirrored filter per port from each allowed source
        (O(service_sources)) to O(interface_address).
      - "The catalogue: C(dns) (tcp and udp 53), C(ftp) (tcp 20, 21), C(http) (tcp 80), C(https) (tcp 443),
        C(pop3) (tcp 110), C(pop3s) (tcp 995), C(imap) (tcp 143), C(imaps) (tcp 993), C(smtp) (tcp 25),
        C(snmp) (udp 161, 162), C(ntp) (udp 123), C(rdp) (label C(Terminal Services), tcp 3389), C(netbios)
        (udp 137, 138, tcp 139), C(smb) (tcp 445), C(sql_server) (label C(SQL), tcp 1433, udp 1434)."
    type: list
    elements: str
    default: []
  client_services:
    description:
      - Catalogue names of the services this server uses as a client (for example C(dns), or C(smtp) for outbound
        mail). Each becomes C(<prefix><label> Client) with one mirrored filter per port from O(interface_address)
        to any destination on the service's port, so that the replies come back.
    type: list
    elements: str
    default: []
  service_sources:
    description:
      - Service name to the sources allowed to reach its server direction (C(any), hosts, subnets C(a.b.c.d/nn),
        ranges C(a-b)), as "Permitting only a specific IP" describes; DNS names and server types are passed to
        netsh as they are, C(me) is refused. Services not listed allow C(any). Every service named must be in
        O(server_services), and its list must not be empty.
    type: dict
    default: {}
  custom_services:
    description:
      - Extra or replacement catalogue entries, merged over the catalogue. Each is a dictionary with C(ports), a
        non-empty list of C({protocol, port}) (C(tcp) or C(udp), 1-65535), and optionally C(label) (default the name
        in capitals) and C(description) (default the label).
    type: dict
    default: {}
  interface_address:
    description:
      - The address the policy protects, C(me) (every address of the host), or the IP address of the interface
        connected to the Internet ("A specific IP address"), or its subnet or range. DNS names and server types
        are refused, because the guard could not evaluate them.
    type: str
    default: me
  permit_icmp:
    description:
      - Permit ICMP (ping and traceroute) to and from the interface. With O(default_deny=protocols) the ICMP denial
        is left out.
    type: bool
    default: false
  default_deny:
    description:
      - V(all_inbound) is seed 000's C(All Inbound Traffic) block rule (any source to the interface, any protocol).
      - V(protocols) is the AnalogX template's protocol denials C(All TCP), C(All UDP) and, unless O(permit_icmp),
        C(All ICMP).
      - The deny filters are mirrored, so outbound traffic needs a client service.
    type: str
    choices: [all_inbound, protocols]
    default: all_inbound
  assign:
    description:
      - Assign the policy in the same write as the change. V(false) creates or updates it without assigning it
        (to assign it later); the guard then evaluates whatever policy stays assigned.
    type: bool
    default: true
  management_port:
    description:
      - The TCP port of the management channel, permitted from O(management_sources); 1-65535.
      - Default is the port of the connection the task runs over (WinRM, PSRP, SSH), as its connection plugin
        resolves it; for a connection without a port (C(local)) 5985.
    type: int
  management_sources:
    description:
      - Where the management channel may come from; at least one of C(any), hosts, subnets and ranges. C(me) is
        refused (it is the host itself, not the controller), and so are DNS names and server types unless
        O(allow_lockout) (the guard could not prove them).
    type: list
    elements: str
    default: [any]
  guard_ports:
    description:
      - More TCP ports the guard proves reachable from every management source, besides O(management_port) and
        the port of the connection in use (which it always proves).
    type: list
    elements: int
    default: []
  allow_lockout:
    description:
      - Apply the policy even when the guard finds that it would, or could, block the management channel. The
        verdicts are still returned in RV(guard) and RV(summary).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    details:
      - The guard runs in check mode too; the policy is predicted, not written, and nothing is exported.
  diff_mode:
    support: full
  platform:
    platforms: windows
seealso:
  - module: lockdown.ipsec.ipsec_config
  - module: lockdown.ipsec.ipsec_backup
  - plugin: lockdown.ipsec.ipsec_evaluate
    plugin_type: filter
author:
  - lockdown.ipsec contributors (!UNKNOWN)
"""

EXAMPLES = r"""
# Seed 000's web server: HTTP and HTTPS from anywhere, WinRM from the management subnet only,
# everything else inbound blocked; the store exported on the host first.
- name: Lock the web server down
  lockdown.ipsec.ipsec_packet_filter:
    server_services: [http, https]
    management_sources: [10.20.0.0/24]
    backup: true
  register: lockdown

- name: Show what the host permits now
  ansible.builtin.debug:
    msg: "{{ lockdown.summary }}"

# The AnalogX template's style: protocol denials, ping allowed, DNS and outbound mail as a client,
# Remote Desktop from one address, on the Internet interface only.
- name: Lock the public server down
  lockdown.ipsec.ipsec_packet_filter:
    owner_prefix: "APS - "
    policy_name: Public Server
    server_services: [http, rdp]
    client_services: [dns, smtp]
    service_sources:
      rdp: [198.51.100.7]
    interface_address: 192.0.2.10
    default_deny: protocols
    permit_icmp: true
"""

RETURN = r"""
policy:
  description: The policy's name, the owner prefix in front.
  returned: success
  type: str
  sample: LD - Packet Filter
config:
  description:
    - The desired configuration the module built, in the shape of the O(lockdown.ipsec.ipsec_config#module:config)
      option of M(lockdown.ipsec.ipsec_config) (give it to that module to apply the same policy).
  returned: success
  type: dict
  contains:
    filter_lists:
      description: The filter lists with their filters.
      type: list
      elements: dict
    filter_actions:
      description: The filter actions.
      type: list
      elements: dict
    policies:
      description: The policy with its rules.
      type: list
      elements: dict
    assigned:
      description: The policy's name when O(assign); absent otherwise.
      type: str
  sample:
    filter_lists:
      - name: LD - HTTP Server
        description: World Wide Web
        filters:
          - {source: any, destination: me, protocol: tcp, destination_port: 80, mirrored: true, description: World Wide Web}
    filter_actions:
      - {name: LD - Permit, action: permit}
      - {name: LD - Block, action: block}
    policies:
      - name: LD - Packet Filter
        description: Managed by the lockdown.ipsec.packet_filter role
        default_response_rule: {activate: false}
        rules:
          - {name: LD - HTTP Server, filter_list: LD - HTTP Server, filter_action: LD - Permit}
    assigned: LD - Packet Filter
management_port:
  description: The TCP port the management filters permit.
  returned: success
  type: int
  sample: 5986
guard:
  description:
    - One verdict per packet the guard tried, under the policy that will be assigned, as
      M(lockdown.ipsec.ipsec_config) returns them for its O(lockdown.ipsec.ipsec_config#module:guard) option.
  returned: when the plan was made
  type: list
  elements: dict
  sample:
    - source: 203.0.113.1
      destination: me
      protocol: tcp
      source_port: 49152
      destination_port: 5986
      policy: LD - Packet Filter
      action: permit
      rule: LD - Management
      filter_list: LD - Management
      order_dependent: false
      safe: true
summary:
  description: What the host permits once the policy applies, the default deny and the management channel's verdict, as lines of a table.
  returned: when the plan was made
  type: list
  elements: str
  sample:
    - "LD - Packet Filter: permitted"
    - "  service     direction  protocol/port  sources"
    - "  HTTP        inbound    tcp/80         any"
    - "  Management  inbound    tcp/5986       10.20.0.0/24"
    - "Blocked: everything else to me (every protocol, from any; mirrored)"
    - "Management channel (tcp/5986): permitted by 'LD - Packet Filter' for all 3 packets the guard tried"
backup_path:
  description: The file on the host the store was exported to before the change (O(backup)).
  returned: when O(backup) exported the store, that is when something changed and not in check mode
  type: str
  sample: 'C:\Windows\Temp\lockdown-ipsec-backup.ipsec'
backup_fetched_to:
  description:
    - The file on the controller the export was copied to (O(backup_options.fetch_to)), read back in the write batch.
  returned: when the export ran and its copy was written on the controller
  type: str
  sample: /srv/backups/web01-ipsec.ipsec
commands:
  description:
    - The netsh command lines the task ran, or in check mode would run, in order. Each is one Windows command
      line starting with C(netsh).
    - Pre-shared keys are shown as C(********).
  returned: always
  type: list
  elements: str
  sample:
    - netsh ipsec static add filteraction "name=LD - Permit" action=permit
    - netsh ipsec static add filterlist "name=LD - HTTP Server" "description=World Wide Web"
before:
  description:
    - The store before the task, in the shape of the O(lockdown.ipsec.ipsec_config#module:config) option of
      M(lockdown.ipsec.ipsec_config), with every option present, objects sorted by name and pre-shared keys
      shown as C(********).
  returned: when the store was read
  type: dict
  contains:
    filter_lists:
      description: The filter lists with their filters.
      type: list
      elements: dict
    filter_actions:
      description: The filter actions.
      type: list
      elements: dict
    policies:
      description: The policies with their rules and default response rules.
      type: list
      elements: dict
    assigned:
      description: The name of the assigned policy, or an empty string when none is assigned.
      type: str
  sample:
    filter_lists: []
    filter_actions: []
    policies:
      - name: Packet Filter
        description: ""
        rules:
          - name: All inbound traffic
            filter_list: All inbound traffic
            filter_action: Block
            activate: true
            connection_type: all
            description: ""
            tunnel: ""
            authentication: []
          - name: Inbound web protocols
            filter_list: Inbound web protocols
            filter_action: Permit
            activate: true
            connection_type: all
            description: ""
            tunnel: ""
            authentication: []
        default_response_rule:
          activate: false
          qmpfs: false
          qm_security_methods: []
          authentication: []
        polling_interval: 180
        mmpfs: false
        qm_per_mm: 0
        mm_lifetime: 480
        mm_security_methods: [3DES-SHA1-2, 3DES-MD5-2, DES-SHA1-1, DES-MD5-1]
    assigned: ""
after:
  description:
    - The store after the task, in the shape of RV(before). In check mode, the state the task predicts (not
      read back from the host).
    - After a partial failure, the store as read back from the host.
  returned: when the store was read
  type: dict
  contains:
    filter_lists:
      description: The filter lists with their filters.
      type: list
      elements: dict
    filter_actions:
      description: The filter actions.
      type: list
      elements: dict
    policies:
      description: The policies with their rules and default response rules.
      type: list
      elements: dict
    assigned:
      description: The name of the assigned policy, or an empty string when none is assigned.
      type: str
  sample:
    filter_lists: []
    filter_actions: []
    policies:
      - name: Packet Filter
        description: ""
        rules:
          - name: All inbound traffic
            filter_list: All inbound traffic
            filter_action: Block
            activate: true
            connection_type: all
            description: ""
            tunnel: ""
            authentication: []
          - name: Inbound web protocols
            filter_list: Inbound web protocols
            filter_action: Permit
            activate: true
            connection_type: all
            description: ""
            tunnel: ""
            authentication: []
        default_response_rule:
          activate: false
          qmpfs: false
          qm_security_methods: []
          authentication: []
        polling_interval: 180
        mmpfs: false
        qm_per_mm: 0
        mm_lifetime: 480
        mm_security_methods: [3DES-SHA1-2, 3DES-MD5-2, DES-SHA1-1, DES-MD5-1]
    assigned: "Packet Filter"
failed_command:
  description:
    - When a netsh command failed, that command and what netsh said. The commands after it did not run.
  returned: when a netsh command failed
  type: dict
  contains:
    command:
      description: The command line, pre-shared keys shown as C(********).
      type: str
    rc:
      description: The exit code of C(netsh.exe).
      type: int
    stdout:
      description: What netsh printed.
      type: str
    stderr:
      description: What netsh printed to its error stream.
      type: str
  sample:
    command: >-
      netsh ipsec static set policy "name=Packet Filter" assign=yes
    rc: 1
    stdout: "ERR IPsec[nnnnn] : (the message netsh printed)"
    stderr: ""
succeeded_commands:
  description:
    - When a netsh command failed, the command lines that ran and succeeded before it, in order.
  returned: when a netsh command failed
  type: list
  elements: str
  sample: []
not_run_commands:
  description:
    - When a netsh command failed, the command lines after it, which did not run, in order.
  returned: when a netsh command failed
  type: list
  elements: str
  sample: []
undo_commands:
  description:
    - When a netsh command failed and O(on_failure=rollback), the command lines that undid the commands before
      it, in order (empty when nothing had been applied).
  returned: when a netsh command failed and O(on_failure=rollback)
  type: list
  elements: str
  sample:
    - netsh ipsec static delete policy "name=Packet Filter"
rollback:
  description:
    - With O(confirm), the rollback armed for a change that touches the assigned policy. It is in a failed task's
      result too, saying whether the rollback was disarmed or left to fire.
  returned: when O(confirm) is set and the change touches the assigned policy (or would, in check mode)
  type: dict
  sample:
    status: confirmed
    seconds: 120
    at: '2026-12-07T02:41:07.0000000Z'
    task: lockdown-ipsec-rollback
    file: 'C:\Windows\Temp\lockdown-ipsec-rollback-5f0c3a9e1b2d4c6f.ipsec'
    restores: Baseline
  contains:
    status:
      description:
        - C(would_arm) (check mode), C(confirmed) (armed, and disarmed over a new connection after the change),
          C(disarmed) (the write failed, and the rollback was disarmed), C(left_to_fire) (no new connection could be
          made, or the rollback could not be disarmed), C(fired) (it ran before the confirmation reached the host).
      type: str
      sample: confirmed
    seconds:
      description: O(confirm).
      type: int
      sample: 120
    at:
      description: When the rollback fires or would have fired (UTC, the host's clock); null in check mode.
      type: str
      sample: '2026-12-07T02:41:07.0000000Z'
    task:
      description: The scheduled task on the host.
      type: str
      sample: lockdown-ipsec-rollback
    file:
      description: The export on the host that the rollback imports (deleted when it is disarmed or has run).
      type: str
      sample: 'C:\Windows\Temp\lockdown-ipsec-rollback-5f0c3a9e1b2d4c6f.ipsec'
    restores:
      description: The policy the rollback assigns again, or null when none was assigned before the change.
      type: str
      sample: Baseline
"""
