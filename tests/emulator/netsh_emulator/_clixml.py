"""How the fake PowerShell reports a terminating error: :class:`ScriptRejected` and its CLIXML document.

Contract: code anywhere in the fake PowerShell raises :class:`ScriptRejected` with the message;
``run_powershell`` turns it into exit code 1, no stdout, and :func:`clixml_error` of the message on
stderr -- what powershell.exe does for a terminating error (execution.md §2.2 "Exit code").
"""

from __future__ import annotations

from xml.sax.saxutils import escape

# The message of PowerShell's PipelineStoppedException, the error of a run cut off under it.
PIPELINE_STOPPED = "The pipeline has been stopped."


class ScriptRejected(Exception):
    """The fake PowerShell refuses the invocation or the run fails (reported as CLIXML, rc 1)."""


def clixml_error(message: str) -> bytes:
    """A ``#< CLIXML`` stderr document with one ``<S S="Error">`` element per line."""
    parts = []
    for line in message.splitlines() or [""]:
        text = escape(line.replace("_x", "_x005F_x"))
        parts.append(f'<S S="Error">{text}_x000D__x000A_</S>')
    body = ('<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">'
            + "".join(parts) + "</Objs>")
    return ("#< CLIXML\r\n" + body).encode("utf-8")
