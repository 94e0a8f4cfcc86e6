#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: ipsec_backup
short_description: Export the Windows static IPsec policy store to a file, or restore it from one
description:
  - With O(state=exported), reads the Windows static IPsec policy store (C(netsh ipsec static)) and exports
    all its policies, filter lists and filter actions to O(path) on the Windows host
    (C(netsh ipsec static exportpolicy)), in one round trip. RV(assigned) says which policy was assigned,
    because an export file does not restore the assignment; keep it with the file.
  - With O(state=restored), reads the store, then in one write batch deletes everything in it
    (C(delete all)), imports O(path) (C(importpolicy)) and, when O(assigned) is given, assigns that policy
    (an import never assigns one), then reads the store back. This is the "delete everything, then import
    the backup" of the AnalogX article's "Playing it safe".
  - Exporting changes no policy, but it writes a file on the host, so it reports C(changed) (except in
    check mode, where nothing is written and the task reports no change).
  - The module runs on the controller and talks to Windows with one encoded PowerShell command per round
    trip, which runs C(netsh.exe) once per netsh command. C(become) is not supported.
  - netsh behaviours the module relies on that are not documented by Microsoft are listed in the assumption
    register, C(docs/assumptions.md) in the collection.
extends_documentation_fragment:
  - lockdown.ipsec.ipsec
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.conn
options:
  path:
    description:
      - The path of the export file on the Windows host, used exactly as given (netsh may append
        C(.ipsec) when the name has no extension).
      - To keep a copy on the controller, fetch it with M(ansible.builtin.fetch) after the export.
    type: str
    required: true
  state:
    description:
      - V(exported) writes the store to O(path).
      - V(restored) replaces the whole store with the content of O(path).
    type: str
    choices: [exported, restored]
    default: exported
  assigned:
    description:
      - With O(state=restored), the name of the policy to assign after the import (use the RV(assigned) the
        export returned). V("") or left out assigns none.
      - Ignored with O(state=exported).
    type: str
attributes:
  check_mode:
    support: full
    details:
      - In check mode the store is only read; nothing is exported, deleted or imported.
  diff_mode:
    support: full
    details:
      - With O(state=restored), the diff shows the store before and after as a netsh script.
  platform:
    platforms: windows
seealso:
  - module: lockdown.ipsec.ipsec_info
  - module: lockdown.ipsec.ipsec_config
author:
  - lockdown.ipsec contributors (!UNKNOWN)
"""

EXAMPLES = r"""
- name: Back up the IPsec policy store before changing it
  lockdown.ipsec.ipsec_backup:
    path: C:\Windows\Temp\ipsec-backup.ipsec
  register: ipsec_backup

- name: Keep a copy on the controller
  ansible.builtin.fetch:
    src: C:\Windows\Temp\ipsec-backup.ipsec
    dest: backups/{{ inventory_hostname }}.ipsec
    flat: true

- name: Restore the store and the assignment it had
  lockdown.ipsec.ipsec_backup:
    path: C:\Windows\Temp\ipsec-backup.ipsec
    state: restored
    assigned: "{{ ipsec_backup.assigned }}"
"""

RETURN = r"""
assigned:
  description: With O(state=exported), the policy that was assigned when the store was exported (V("") for none).
  returned: state is exported
  type: str
  sample: Packet Filter
config:
  description:
    - With O(state=exported), the store that was exported, in the shape of the
      O(lockdown.ipsec.ipsec_config#module:config) option of M(lockdown.ipsec.ipsec_config), for the record.
  returned: state is exported
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
commands:
  description: The netsh command lines run (or, in check mode, that would run) to restore, in order.
  returned: state is restored
  type: list
  elements: str
  sample:
    - netsh ipsec static delete all
    - netsh ipsec static importpolicy file=C:\Windows\Temp\ipsec-backup.ipsec
    - netsh ipsec static set policy "name=Packet Filter" assign=yes
before:
  description: With O(state=restored), the store before the restore, in the shape of RV(config).
  returned: state is restored
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
    - With O(state=restored), the store after the restore, read back from the host. In check mode the same as
      RV(before) (the content of the file is not known without importing it).
  returned: state is restored
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
failed_command:
  description:
    - When a netsh command failed, that command and what netsh said. The commands after it did not run.
  returned: when a netsh command failed
  type: dict
  contains:
    command:
      description: The command line.
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
    command: netsh ipsec static importpolicy file=C:\Windows\Temp\ipsec-backup.ipsec
    rc: 1
    stdout: "ERR IPsec[nnnnn] : (the message netsh printed)"
    stderr: ""
succeeded_commands:
  description: When a netsh command failed, the command lines that ran and succeeded before it, in order.
  returned: when a netsh command failed
  type: list
  elements: str
  sample: []
not_run_commands:
  description: When a netsh command failed, the command lines that did not run.
  returned: when a netsh command failed
  type: list
  elements: str
  sample: []
"""
