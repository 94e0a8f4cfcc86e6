#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r"""
---
module: ipsec_backup
short_description: Back up the Windows static IPsec policy store, or restore it without ever leaving less
description:
  - With O(state=exported), reads the Windows static IPsec policy store (C(netsh ipsec static)) and backs it up,
    in one round trip, in one or both of two ways.
  - A B(native export) (O(path)) is a file on the Windows host written by C(netsh ipsec static exportpolicy),
    the format of the IP Security Policies console's "Export Policies". It can be imported on any Windows host,
    with or without this collection, but its content cannot be read on the controller. RV(assigned) says which
    policy was assigned, because an export does not restore the assignment; keep it with the file. O(fetch_to)
    copies the file to the controller in the same round trip.
  - A B(structured backup) (O(controller_file)) is the whole store as data in a YAML file on the controller, in
    the shape of the O(lockdown.ipsec.ipsec_config#module:config) option of M(lockdown.ipsec.ipsec_config), the
    assigned policy included. It holds pre-shared keys in clear, so it is written with mode C(0600) (and never
    shown in the task's result, where keys are C(********)). It needs nothing on the host.
  - With O(state=restored) and O(path), restores a native export. The file must open for reading on the host
    before anything is deleted (also in check mode); then one write batch deletes everything (C(delete all)),
    imports the file (C(importpolicy)) and, when O(assigned) is given, assigns that policy. If any of it fails
    (a corrupt file, an O(assigned) policy the export does not hold), everything is undone and the store is read
    back; it ends exactly as it was, and the task fails saying so. This is the "delete everything, then import
    the backup" of the AnalogX article's "Playing it safe", made safe.
  - With O(state=restored) and O(controller_file), restores a structured backup as a plan like any other change;
    it computes the commands that turn the store into the backed-up one (no C(delete all)), in the
    make-before-break order, with an exact prediction in check mode and a real diff. O(on_failure) applies to
    it; a restore from a native export is always undone when it fails, so O(on_failure=stop) is refused with
    O(path).
  - Which to use? Choose a structured backup when the controller keeps your backups, when you want to review a restore
    with C(--check --diff), and when the policy that is assigned must stay assigned throughout. A native export
    when the file must be usable without Ansible, for example with the IP Security Policies console. Both can
    be written by one task.
  - Exporting natively changes no policy, but it writes a file on the host, so it reports C(changed), in check
    mode too (where nothing is written). Writing the structured backup reports C(changed) when the file's
    content changes (or, in check mode, would change).
  - The module runs on the controller and talks to Windows with one encoded PowerShell command per round
    trip, which runs C(netsh.exe) once per netsh command. C(become) is not supported.
  - netsh behaviours the module relies on that are not documented by Microsoft are listed in the assumption
    register, C(docs/assumptions.md) in the collection.
extends_documentation_fragment:
  - lockdown.ipsec.ipsec
  - lockdown.ipsec.ipsec.write
  - lockdown.ipsec.ipsec.assignment
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - ansible.builtin.action_common_attributes.conn
options:
  path:
    description:
      - The native export file on the Windows host, used exactly as given (netsh may append C(.ipsec) when the
        name has no extension). A relative path is relative to the working directory of the connection's
        process on the host.
      - With O(state=exported), written; with O(state=restored), read.
      - To keep a copy on the controller, give O(fetch_to) (the export is read back in the same round trip), or
        use O(controller_file) instead.
    type: str
  fetch_to:
    description:
      - With O(state=exported) and O(path), a file on the controller to copy the native export to. The round
        trip that exports the store reads the file back, so the copy costs nothing more and needs nothing on
        the host (no M(ansible.builtin.fetch), no C(ansible.windows)).
      - A relative path is relative to the playbook, as the C(dest) of M(ansible.builtin.fetch) is. Parent
        directories are created; the file is written with mode C(0600) and replaced atomically. Not written in
        check mode.
      - If the export cannot be read back or the file cannot be written, the task warns; the export is still on
        the host.
    type: path
  controller_file:
    description:
      - The structured backup file on the controller (YAML). A relative path is relative to the playbook's
        directory.
      - With O(state=exported), written (parent directories created, mode C(0600), atomically). With
        O(state=restored), read, checked like the O(lockdown.ipsec.ipsec_config#module:config) option of
        M(lockdown.ipsec.ipsec_config), and restored exactly.
    type: path
  state:
    description:
      - V(exported) backs the store up to O(path), O(controller_file), or both; at least one is required.
      - V(restored) replaces the whole store with the content of O(path) or of O(controller_file); exactly one
        is required.
    type: str
    choices: [exported, restored]
    default: exported
  assigned:
    description:
      - With O(state=restored) and O(path), the name of the policy to assign after the import (use the
        RV(assigned) the export returned). V("") or left out assigns none.
      - A structured backup records the assignment itself, so this is refused with O(controller_file).
      - Ignored with O(state=exported).
    type: str
attributes:
  check_mode:
    support: full
    details:
      - In check mode the store is only read; nothing is exported, written, deleted or imported.
      - A restore from a native export cannot know the store it would bring, so its RV(after) is null and the
        task warns; a restore from a structured backup predicts it exactly.
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
- name: Back up the IPsec policy store before changing it, on the host and on the controller
  lockdown.ipsec.ipsec_backup:
    path: C:\Windows\Temp\ipsec-backup.ipsec
    controller_file: backups/{{ inventory_hostname }}-ipsec.yml
  register: ipsec_backup

- name: Review what restoring the structured backup would change (run with --check --diff)
  lockdown.ipsec.ipsec_backup:
    state: restored
    controller_file: backups/{{ inventory_hostname }}-ipsec.yml

- name: Restore the native export and the assignment it had
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
fetched_to:
  description: With O(fetch_to), the file on the controller the native export was copied to.
  returned: state is exported, fetch_to is given, not in check mode, and the copy was written
  type: str
  sample: /home/ops/playbooks/backups/web01.ipsec
controller_file:
  description: With O(controller_file), the absolute path of the structured backup on the controller.
  returned: state is exported and controller_file is given
  type: str
  sample: /home/ops/playbooks/backups/web01-ipsec.yml
commands:
  description:
    - The netsh command lines run (or, in check mode, that would run), in order. Pre-shared keys are shown as
      C(********).
    - For a native export, the C(exportpolicy) command. For a native restore, C(delete all),
      C(importpolicy) and the assignment. For a structured restore, the commands of the plan.
  returned: always
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
    - With O(state=restored), the store after the restore, read back from the host after a native restore,
      predicted from the plan after a structured one. In check mode, predicted for a structured restore, and
      null for a native one (the content of the file is not known without importing it; the task warns).
    - After a failure, the store as read back from the host.
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
undo_commands:
  description:
    - When a netsh command failed and O(on_failure=rollback), the command lines that undid the commands before
      it, in order (empty when nothing had been applied).
  returned: when a netsh command failed and O(on_failure=rollback)
  type: list
  elements: str
  sample:
    - netsh ipsec static delete policy "name=Packet Filter"
"""
