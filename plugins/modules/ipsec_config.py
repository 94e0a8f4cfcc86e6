#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: ipsec_config
short_description: Manage a whole Windows static IPsec configuration in one task
description:
  - Manages filter lists, filter actions, policies with their rules, and the assignment of the Windows static
    IPsec policy store (C(netsh ipsec static)) together, in the states of Ansible's network resource modules.
    One task plans every change at once, in a safe order (lists and actions before the rules that use them,
    permits before blocks, assignment last).
  - O(state=merged) creates what is missing and changes the given settings that differ; filters and rules are
    only added or updated.
  - O(state=replaced) is O(state=merged), but the given filters are the exact filter set of their list, the
    given rules the exact rule set of their policy, and each given object takes the created default of every
    setting that is left out.
  - O(state=overridden) is O(state=replaced), and also deletes every object whose name starts with
    O(owner_prefix) that O(config) does not name. Objects outside the prefix are never touched.
  - O(state=deleted) deletes the objects O(config) names, or without O(config) every object under
    O(owner_prefix).
  - O(state=gathered) reads the store into RV(gathered); O(state=rendered) returns the commands that would
    create O(config) on an empty store, as RV(rendered), and O(state=parsed) reads O(running_config) into
    RV(parsed). Neither of the last two contacts the host.
  - The module runs on the controller and talks to Windows with one encoded PowerShell command per round trip,
    which runs C(netsh.exe) once per netsh command; it reads the store in one round trip and writes it in
    another. C(become) is not supported.
  - In check mode nothing is written; RV(after) is the predicted state and RV(commands) the commands that
    would run. In diff mode the diff shows the store before and after as a netsh script (C(pushd ipsec static)
    ... C(popd)), so C(--check --diff) reads like a change review.
  - netsh behaviours the module relies on that are not documented by Microsoft are listed in the assumption
    register, C(docs/assumptions.md) in the collection.
extends_documentation_fragment:
  - lockdown.ipsec.ipsec
  - lockdown.ipsec.ipsec.write
  - lockdown.ipsec.ipsec.backup
  - lockdown.ipsec.ipsec.assignment
  - lockdown.ipsec.ipsec.confirm
  - lockdown.ipsec.ipsec.config
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.conn
options:
  state:
    description:
      - What to do with O(config), see the description.
    type: str
    choices: [merged, replaced, overridden, deleted, gathered, rendered, parsed]
    default: merged
  owner_prefix:
    description:
      - The name prefix of the objects this task owns, such as C(APS - ). In every state, only filter lists,
        filter actions and policies whose names start with it are created, changed or deleted, and O(config)
        may name no other (rules may still refer to lists and actions outside it).
      - Required by O(state=overridden), and by O(state=deleted) without O(config); an empty string counts as
        left out.
    type: str
  src:
    description:
      - A YAML or JSON file on the controller that holds the desired configuration, in the shape of O(config).
        Use it instead of O(config) for a large configuration (a blocklist of thousands of filters). Read from a
        file, the configuration does not pass through Ansible's templating and task-argument handling, which
        costs far more time than the module's own work.
      - A relative path is looked for in the C(files/) directory of the role or play, then relative to it, as
        C(ansible.builtin.copy) looks for its C(src). The file is data, never a template.
      - Mutually exclusive with O(config).
    type: path
  guard:
    description:
      - Packets that must stay permitted, such as the management channel Ansible runs over. They are evaluated
        against the store as it will be after the change (objects outside O(owner_prefix) included) under the
        policy that store will assign, offline, as the P(lockdown.ipsec.ipsec_evaluate#filter) filter evaluates
        them. If any packet would be blocked or negotiated, or is permitted only under one plausible reading of
        "the most specific filter wins", the task fails before anything is written (in check mode too), naming
        the packet, the verdict and the deciding rule and filter. RV(guard) shows every verdict.
      - With no policy assigned after the change the store filters nothing, and every packet passes.
      - For O(state=merged), O(state=replaced), O(state=overridden) and O(state=deleted).
    type: dict
    suboptions:
      packets:
        description: The packets; at least one.
        type: list
        elements: dict
        required: true
        suboptions:
          source:
            description: Source address, an IPv4 or IPv6 address or C(me) (the host itself).
            type: str
            required: true
          destination:
            description: Destination address, an IPv4 or IPv6 address or C(me).
            type: str
            default: me
          protocol:
            description: C(tcp), C(udp), C(icmp), C(raw) or an IP protocol number 1-255.
            type: raw
            default: tcp
          source_port:
            description: Source port (0 when it does not matter).
            type: int
            default: 0
          destination_port:
            description: Destination port (0 when it does not matter).
            type: int
            default: 0
      my_addresses:
        description:
          - The host's own IP addresses, which filters naming C(me) cover (as the filter's C(my_addresses)).
        type: list
        elements: str
        default: []
  running_config:
    description:
      - For O(state=parsed), the text to read, in the format O(running_config_format) names.
      - The output of C(netsh ipsec static show all), in English. Output in another display language is read as
        far as its labels are known (for Simplified Chinese, the filter-list labels); anything else fails with
        an error naming the first unknown label, never a wrong parse.
      - Or a regedit export of the IPsec key (C(Windows Registry Editor Version 5.00), as saved by C(regedit) or
        C(reg export HKLM\SOFTWARE\Policies\Microsoft\Windows\IPSec)), decoded as the registry read path
        decodes the host's keys. Rules made in the IP Security Policies console have no name and come back as
        the policy's C(unnamed_rules).
      - Or a script that changes the store, that is a cmd batch file, a PowerShell script, a netsh context file
        (C(pushd ipsec static) ... C(popd), or C(netsh -f) input) or plain text, with C(netsh ipsec static ...),
        C(ipsecpol) or C(ipseccmd) command lines. RV(parsed) is then what the script would leave on an empty
        store, and RV(unsupported) lists every line that could not be translated exactly, with the reason (a
        cmd or PowerShell variable, a loop, a misspelt tag, free text after the last tag, an object the script
        never created, a command netsh would refuse at that point). Nothing is guessed; a line is either
        translated exactly or listed; lines that run none of the tools (C(echo), C(pause)) are ignored.
      - O(state=parsed) needs this or O(running_config_file); no other state uses either.
    type: str
  running_config_file:
    description:
      - For O(state=parsed), a file on the controller to read instead of O(running_config). A regedit export is
        usually UTF-16 (with a byte order mark), which the P(ansible.builtin.file#lookup) lookup cannot read; this option
        reads UTF-16 and UTF-8 alike.
    type: path
  running_config_encoding:
    description:
      - The encoding of O(running_config_file). V(auto) reads UTF-16 with a byte order mark (as regedit and
        PowerShell's C(Out-File) write) and UTF-8 (with or without one); give the code page a batch file was
        saved in otherwise, as a Python codec name, e.g. V(gbk) for Simplified Chinese Windows or V(cp437).
    type: str
    default: auto
  running_config_format:
    description:
      - What O(running_config) or O(running_config_file) holds. V(auto) tells a regedit export by its first
        line and a script by a line that runs C(netsh), C(ipsecpol) or C(ipseccmd) (or C(pushd ipsec static)),
        and takes anything else for C(show all) text.
    type: str
    choices: [auto, show, reg, script]
    default: auto
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - O(state=gathered), O(state=rendered) and O(state=parsed) change nothing and return no diff.
  platform:
    platforms: windows
seealso:
  - module: lockdown.ipsec.ipsec_filter_list
  - module: lockdown.ipsec.ipsec_filter_action
  - module: lockdown.ipsec.ipsec_policy
  - module: lockdown.ipsec.ipsec_assign
  - module: lockdown.ipsec.ipsec_info
author:
  - lockdown.ipsec contributors (!UNKNOWN)
"""

EXAMPLES = r"""
# Seed 000 in one task: a server with the web and the mail role. Permit the roles' traffic, block
# all other inbound traffic; the default response rule is off. Assign it once it is complete.
- name: Lock the server down to its web and mail roles
  lockdown.ipsec.ipsec_config:
    state: merged
    config:
      filter_lists:
        - name: Inbound web protocols
          filters:
            - protocol: tcp
              destination_port: [80, 443]
        - name: Inbound/outbound mail
          filters:
            - protocol: tcp
              destination_port: [110, 995, 143, 993, 25]
            - source: me
              destination: any
              protocol: tcp
              destination_port: 25
        - name: All inbound traffic
          filters:
            - source: any
              destination: me
      filter_actions:
        - name: Permit
          action: permit
        - name: Block
          action: block
      policies:
        - name: Packet Filter
          default_response_rule:
            activate: false
          rules:
            - name: Inbound web protocols
              filter_list: Inbound web protocols
              filter_action: Permit
            - name: Inbound/outbound mail
              filter_list: Inbound/outbound mail
              filter_action: Permit
            - name: All inbound traffic
              filter_list: All inbound traffic
              filter_action: Block
      assigned: Packet Filter

# Seed 002: the AnalogX role template. Everything it owns starts with "APS - " (the policy too, so
# that it is inside the owner prefix); overridden deletes "APS - " objects that are no longer listed
# and leaves every other object of the store alone.
- name: Install the role template, services off except Terminal Services Server and DNS Client
  lockdown.ipsec.ipsec_config:
    state: overridden
    owner_prefix: "APS - "
    config:
      filter_actions:
        - name: APS - Permit
          action: permit
        - name: APS - Deny
          action: block
      filter_lists:
        - name: APS - HTTP Server
          filters:
            - protocol: tcp
              destination_port: 80
        - name: APS - HTTP Client
          filters:
            - source: me
              destination: any
              protocol: tcp
              destination_port: 80
        - name: APS - Terminal Services Server
          filters:
            - protocol: tcp
              destination_port: 3389
        - name: APS - DNS Client
          filters:
            - source: me
              destination: any
              protocol: udp
              destination_port: 53
            - source: me
              destination: any
              protocol: tcp
              destination_port: 53
        - name: APS - All TCP
          filters:
            - protocol: tcp
        - name: APS - All UDP
          filters:
            - protocol: udp
        - name: APS - All ICMP
          filters:
            - protocol: icmp
      policies:
        - name: APS - AnalogX Public Server
          default_response_rule:
            activate: false
          rules:
            - name: APS - HTTP Server
              filter_list: APS - HTTP Server
              filter_action: APS - Permit
              activate: false
              authentication:
                - kerberos: true
            - name: APS - HTTP Client
              filter_list: APS - HTTP Client
              filter_action: APS - Permit
              activate: false
            - name: APS - Terminal Services Server
              filter_list: APS - Terminal Services Server
              filter_action: APS - Permit
            - name: APS - DNS Client
              filter_list: APS - DNS Client
              filter_action: APS - Permit
            - name: APS - Deny TCP
              filter_list: APS - All TCP
              filter_action: APS - Deny
            - name: APS - Deny UDP
              filter_list: APS - All UDP
              filter_action: APS - Deny
            - name: APS - Deny ICMP
              filter_list: APS - All ICMP
              filter_action: APS - Deny

- name: Remove everything the template installed
  lockdown.ipsec.ipsec_config:
    state: deleted
    owner_prefix: "APS - "

# A generated blocklist of thousands of filters, kept in files/blocklist.yml next to the playbook
# (filter_lists, filter_actions and policies at its top level, as gathered returns them).
- name: Apply the country blocklist from a file
  lockdown.ipsec.ipsec_config:
    state: replaced
    owner_prefix: "BL - "
    src: blocklist.yml

- name: Read the whole store
  lockdown.ipsec.ipsec_config:
    state: gathered
  register: ipsec_store

- name: Show the commands that would build a configuration, without a host
  lockdown.ipsec.ipsec_config:
    state: rendered
    config:
      filter_actions:
        - name: Block
          action: block

- name: Read saved netsh output, without a host
  lockdown.ipsec.ipsec_config:
    state: parsed
    running_config: "{{ lookup('ansible.builtin.file', 'show_all.txt') }}"

# An old lockdown script, saved on a Chinese Windows, turned into config to review and apply.
- name: Import a batch file
  lockdown.ipsec.ipsec_config:
    state: parsed
    running_config_file: files/lockdown.bat
    running_config_encoding: gbk
  register: imported

- name: Say what could not be translated
  ansible.builtin.debug:
    msg: "line {{ item.line }}: {{ item.text }} -- {{ item.reason }}"
  loop: "{{ imported.unsupported }}"

# Replace the owned objects, exporting the store on the host first, and refuse the change if it would
# block WinRM over HTTPS from the management subnet's first and last address.
- name: Apply the blocklist, guarded and backed up
  lockdown.ipsec.ipsec_config:
    state: overridden
    owner_prefix: "BL - "
    src: blocklist.json
    backup: true
    backup_options:
      path: C:\Windows\Temp\before-blocklist.ipsec
    guard:
      packets:
        - {source: 10.20.0.0, destination_port: 5986}
        - {source: 10.20.0.255, destination_port: 5986}

# The same, confirmed: the blocklist's policy is assigned, so a rollback is armed for 5 minutes and disarmed
# over a new connection once the change is made. --check reports it as rollback.status: would_arm.
- name: Apply the blocklist, rolled back unless the host is still reachable
  lockdown.ipsec.ipsec_config:
    state: overridden
    owner_prefix: "BL - "
    src: blocklist.json
    confirm: 300
"""

RETURN = r"""
commands:
  description:
    - The netsh command lines the task ran, or in check mode would run, in order. Each is one Windows command
      line starting with C(netsh).
    - Pre-shared keys are shown as C(********).
  returned: with O(state=merged), O(state=replaced), O(state=overridden) and O(state=deleted)
  type: list
  elements: str
  sample:
    - netsh ipsec static add filteraction name=Block action=block qmpfs=no inpass=no soft=no
    - netsh ipsec static add filterlist "name=All inbound traffic"
    - netsh ipsec static add filter "filterlist=All inbound traffic" srcaddr=any dstaddr=me protocol=ANY
      mirrored=yes
before:
  description:
    - The store before the task, in the shape of the O(lockdown.ipsec.ipsec_config#module:config) option of
      M(lockdown.ipsec.ipsec_config), with every option present, objects sorted by name and pre-shared keys
      shown as C(********).
  returned: with O(state=merged), O(state=replaced), O(state=overridden) and O(state=deleted)
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
    policies: []
    assigned: ""
after:
  description:
    - The store after the task, in the shape of RV(before). In check mode, the state the task predicts (not
      read back from the host).
    - After a partial failure, the store as read back from the host.
  returned: with O(state=merged), O(state=replaced), O(state=overridden) and O(state=deleted)
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
    filter_lists:
      - name: All inbound traffic
        description: ""
        filters:
          - source: any
            source_mask: null
            destination: me
            destination_mask: null
            protocol: any
            source_port: 0
            destination_port: 0
            mirrored: true
            description: ""
    filter_actions:
      - name: Block
        description: ""
        action: block
        inpass: false
        soft: false
        qmpfs: false
        qm_security_methods: []
    policies: []
    assigned: ""
predicted:
  description:
    - With O(state=gathered) in check mode, V(true) when RV(gathered) is the store the earlier tasks of the run
      predict, not the store read from the host.
  returned: when the gathered store is a prediction
  type: bool
  sample: true
gathered:
  description:
    - With O(state=gathered), the store as read from the host, in the shape of the
      O(lockdown.ipsec.ipsec_config#module:config) option of M(lockdown.ipsec.ipsec_config), with every option
      present, objects sorted by name and pre-shared keys shown as C(********).
    - It can be given back as O(config) once the redacted pre-shared keys are replaced by the real ones.
  returned: with O(state=gathered)
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
    filter_lists:
      - name: All inbound traffic
        description: ""
        filters:
          - source: any
            source_mask: null
            destination: me
            destination_mask: null
            protocol: any
            source_port: 0
            destination_port: 0
            mirrored: true
            description: ""
    filter_actions:
      - name: Block
        description: ""
        action: block
        inpass: false
        soft: false
        qmpfs: false
        qm_security_methods: []
    policies: []
    assigned: ""
rendered:
  description:
    - With O(state=rendered), the netsh command lines that would create O(config) on an empty store, in order.
      Pre-shared keys are shown as C(********).
  returned: with O(state=rendered)
  type: list
  elements: str
  sample:
    - netsh ipsec static add filteraction name=Block action=block qmpfs=no inpass=no soft=no
unsupported:
  description:
    - With O(state=parsed) and a script, every line that could not be translated exactly, in line order; empty
      when the whole script was translated. The lines listed are not in RV(parsed).
  returned: with O(state=parsed), when O(running_config) or O(running_config_file) is a script
  type: list
  elements: dict
  contains:
    line:
      description: The line number in the script (1 for the first line; a line continued with C(^) counts as its first).
      type: int
    text:
      description: The script's text of the line.
      type: str
    reason:
      description: Why it could not be translated.
      type: str
  sample:
    - line: 7
      text: netsh ipsec static add filter filterlist=Bans srcaddr=%IP% dstaddr=me
      reason: "uses the cmd variable '%IP%': its value is not in the script"
parsed:
  description:
    - With O(state=parsed), the store that O(running_config) or O(running_config_file) describes, in the shape
      of RV(gathered). For a script, the store it would leave on an empty store.
  returned: with O(state=parsed)
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
    filter_lists:
      - name: All inbound traffic
        description: ""
        filters:
          - source: any
            source_mask: null
            destination: me
            destination_mask: null
            protocol: any
            source_port: 0
            destination_port: 0
            mirrored: true
            description: ""
    filter_actions:
      - name: Block
        description: ""
        action: block
        inpass: false
        soft: false
        qmpfs: false
        qm_security_methods: []
    policies: []
    assigned: ""
backup_path:
  description:
    - The file on the host the store was exported to before the change (O(backup)).
  returned: when O(backup) exported the store, that is when something changed and not in check mode
  type: str
  sample: 'C:\Windows\Temp\lockdown-ipsec-backup.ipsec'
backup_fetched_to:
  description:
    - The file on the controller the export was copied to (O(backup_options.fetch_to)), read back in the write batch.
  returned: when the export ran and its copy was written on the controller
  type: str
  sample: /srv/backups/web01-ipsec.ipsec
guard:
  description:
    - One verdict per packet of O(guard), under the policy the store assigns after the change.
  returned: when O(guard) is given and the plan was made
  type: list
  elements: dict
  contains:
    source:
      description: The packet's source address.
      type: str
    destination:
      description: The packet's destination address.
      type: str
    protocol:
      description: The packet's protocol, by name where it has one.
      type: raw
    source_port:
      description: The packet's source port.
      type: int
    destination_port:
      description: The packet's destination port.
      type: int
    policy:
      description: The policy that decides it; null when none will be assigned (the store filters nothing).
      type: str
    action:
      description: C(permit), C(block) or C(negotiate).
      type: str
    rule:
      description: The deciding rule; null when no filter matches.
      type: str
    filter_list:
      description: The deciding rule's filter list.
      type: str
    order_dependent:
      description: Whether another plausible reading of filter specificity decides another action.
      type: bool
    safe:
      description: Permitted under every reading.
      type: bool
  sample:
    - source: 10.20.0.0
      destination: me
      protocol: tcp
      source_port: 0
      destination_port: 5986
      policy: BL - Blocklist
      action: permit
      rule: BL - Management
      filter_list: BL - Management
      order_dependent: false
      safe: true
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
      netsh ipsec static add filter "filterlist=All inbound traffic" srcaddr=any dstaddr=me
      protocol=ANY mirrored=yes
    rc: 1
    stdout: "ERR IPsec[nnnnn] : (the message netsh printed)"
    stderr: ""
succeeded_commands:
  description:
    - When a netsh command failed, the command lines that ran and succeeded before it, in order.
  returned: when a netsh command failed
  type: list
  elements: str
  sample:
    - netsh ipsec static add filteraction name=Block action=block qmpfs=no inpass=no soft=no
    - netsh ipsec static add filterlist "name=All inbound traffic"
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
