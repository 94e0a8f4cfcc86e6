"""Per-invocation context handed to every command handler."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ._locale import Settings, now_text
from ._state import Store


@dataclass
class Context:
    settings: Settings
    store: Store

    def now(self) -> str:
        return now_text(self.settings)

    def new_guid(self) -> str:
        """Upper-case braced GUID (format doc §2 [S6]); uuid4, or a counter kept in the store when
        ``NETSH_EMU_GUID_MODE=sequential`` (deterministic tests)."""
        store = self.store
        used = {o.guid for o in [*store.policies, *store.filterlists, *store.filteractions]}
        used.update(r.guid for p in store.policies for r in p.rules)
        while True:
            if self.settings.guid_mode == "sequential":
                store.guid_counter += 1
                guid = "{00000000-0000-4000-8000-%012X}" % store.guid_counter
            else:
                guid = "{" + str(uuid.uuid4()).upper() + "}"
            if guid not in used:  # imported objects may already carry "our" next GUID
                return guid
