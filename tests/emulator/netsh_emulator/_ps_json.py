"""``ConvertTo-Json -Compress`` as PowerShell 5.1 writes it, for the documents the fake PowerShell prints or builds.

Contract: :func:`ps_json` ``(document) -> str``: compact JSON, ASCII only (``\\uXXXX`` escapes), and ``< > & '``
escaped as ``\\u003c \\u003e \\u0026 \\u0027`` as 5.1's serializer does.
"""

from __future__ import annotations

import json


def ps_json(document: object) -> str:
    """*document* as 5.1's ``ConvertTo-Json -Compress`` text."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=True)
    for char in "<>&'":
        text = text.replace(char, "\\u%04x" % ord(char))
    return text
