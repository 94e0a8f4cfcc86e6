"""The tests of ``test_config_states`` and ``test_filter_action``, run again with every module reading
the store through netsh's ``show`` text (``read_from: netsh``, set for the play through the
collection's action group) instead of the registry, the default.

The netsh path stays the alternative for a host whose registry disagrees with us, so it must keep
working end to end: every state of ``ipsec_config``, filter actions (whose show layout is least
certain, A-16), check mode, diff and unchanged re-runs, with the read requests the fixtures assert.
"""

from __future__ import annotations

# pytest collects the imported tests as this module's own; conftest.py's ``read_from`` fixture reads
# READ_FROM from this module.
from test_config_states import *  # noqa: F401,F403  # pylint: disable=wildcard-import,unused-wildcard-import
from test_filter_action import *  # noqa: F401,F403  # pylint: disable=wildcard-import,unused-wildcard-import

READ_FROM = "netsh"
