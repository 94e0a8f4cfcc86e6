"""WS-Management bodies of the PowerShell resource: PSRP carried over WinRS (MS-PSRP 3.1.5, MS-WSMV).

Contract (every reader raises :class:`_soap.SoapError` for a body it cannot read)::

    is_powershell(resource_uri) -> bool          # http://schemas.microsoft.com/powershell/<configuration>
    configuration_of(resource_uri) -> str        # "Microsoft.PowerShell"
    creation(body) -> (shell id the client proposes or None, PSRP fragments of creationXml)
    created(shell_id, resource_uri, address) -> str                 # body of the Create reply
    command_fragments(body) -> (CommandId, fragments of the first Arguments)
    send_stream(body) -> (stream name, CommandId or None, bytes)      # stdin or pr
    receive_target(body) -> CommandId or None                         # None: the runspace pool itself
    signal_of(body) -> (CommandId, signal code URI)
    receive_response(command_id, payloads, done) -> str               # body of a Receive reply
    payload_budget(max_envelope_size, default) -> int                 # fragment bytes one reply may carry

The client is pypsrp (``RunspacePool`` / ``PowerShell`` over ``WinRS``): Create carries ``creationXml`` (base64 of the
SESSION_CAPABILITY and INIT_RUNSPACEPOOL fragments) in ``rsp:Shell``; a pipeline is a Command whose ``CommandId`` is
the pipeline id and whose only ``rsp:Arguments`` is base64 of the first fragment of CREATE_PIPELINE, the rest of it
and the pipeline's input following in Send requests on the ``stdin`` stream; host responses come on ``pr``. Every
reply's output is base64 of PSRP fragments on the ``stdout`` stream, for the pool when the Receive names no
CommandId, for one pipeline otherwise (MS-PSRP 3.1.5.3.x, 3.2.5.3.x). Fragments travel whole in a reply, one
``rsp:Stream`` element each payload.
"""

from __future__ import annotations

import base64
import binascii
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from ._soap import NS, SoapError

POWERSHELL_URI_PREFIX = "http://schemas.microsoft.com/powershell/"
PS_NS = "http://schemas.microsoft.com/powershell"
COMMAND_STATE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/"
# What a reply's SOAP envelope, headers and XML around the streams take at most, in bytes (ours are under 1,000).
ENVELOPE_OVERHEAD = 2048
# The smallest fragment payload the emulator cuts (psrpcore needs 21 bytes of fragment header and some data).
MIN_PAYLOAD = 1024


def is_powershell(resource_uri: str | None) -> bool:
    """Whether ``resource_uri`` names a PowerShell session configuration (PSRP), not the WinRS cmd shell."""
    return bool(resource_uri) and resource_uri.lower().startswith(POWERSHELL_URI_PREFIX)


def configuration_of(resource_uri: str) -> str:
    """The session configuration name of a PowerShell resource URI."""
    return resource_uri[len(POWERSHELL_URI_PREFIX):]


def _base64(text: str | None, what: str) -> bytes:
    try:
        data = base64.b64decode((text or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SoapError(f"{what} is not base64.") from None
    if not data:
        raise SoapError(f"{what} is empty.")
    return data


def creation(body: ElementTree.Element | None) -> tuple[str | None, bytes]:
    """The ShellId the client proposes (pypsrp proposes its runspace pool id) and the fragments of ``creationXml``."""
    if body is None or body.tag != f"{{{NS['rsp']}}}Shell":
        raise SoapError("A Create request of the PowerShell resource must carry rsp:Shell.")
    xml = body.find(f"{{{PS_NS}}}creationXml")
    if xml is None:
        raise SoapError("A Create request of the PowerShell resource must carry creationXml (the runspace pool's opening messages).")
    return body.get("ShellId"), _base64(xml.text, "creationXml")


def created(shell_id: str, resource_uri: str, address: str) -> str:
    """Body of a Create reply: the shell's endpoint reference and its rsp:Shell (pypsrp reads ShellId, ResourceUri
    and the selector set from it)."""
    uri = escape(resource_uri)
    return (
        f"<x:ResourceCreated><a:Address>{escape(address)}</a:Address><a:ReferenceParameters>"
        f"<w:ResourceURI>{uri}</w:ResourceURI>"
        f'<w:SelectorSet><w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet>'
        "</a:ReferenceParameters></x:ResourceCreated>"
        f"<rsp:Shell><rsp:ShellId>{shell_id}</rsp:ShellId><rsp:ResourceUri>{uri}</rsp:ResourceUri>"
        "<rsp:InputStreams>stdin pr</rsp:InputStreams><rsp:OutputStreams>stdout</rsp:OutputStreams></rsp:Shell>"
    )


def command_fragments(body: ElementTree.Element | None) -> tuple[str, bytes]:
    """``(CommandId, fragments)`` of a Command request: the pipeline id and the first fragment of CREATE_PIPELINE."""
    if body is None or body.tag != f"{{{NS['rsp']}}}CommandLine":
        raise SoapError("A Command request must carry rsp:CommandLine.")
    command_id = body.get("CommandId")
    if not command_id:
        raise SoapError("A Command request of the PowerShell resource must name its pipeline (CommandId).")
    arguments = body.findall("rsp:Arguments", NS)
    if len(arguments) != 1:
        raise SoapError(f"A Command request of the PowerShell resource carries one rsp:Arguments (a fragment), not {len(arguments)}.")
    return command_id.upper(), _base64(arguments[0].text, "The fragment in rsp:Arguments")


def send_stream(body: ElementTree.Element | None) -> tuple[str, str | None, bytes]:
    """``(stream, CommandId or None, fragments)`` of a Send request; the stream is ``stdin`` or ``pr``."""
    stream = body.find("rsp:Stream", NS) if body is not None else None
    if stream is None or stream.get("Name") not in ("stdin", "pr"):
        raise SoapError("A Send request of the PowerShell resource must carry an rsp:Stream named stdin or pr.")
    command_id = stream.get("CommandId")
    return stream.get("Name", ""), command_id.upper() if command_id else None, _base64(stream.text, "The Send stream")


def receive_target(body: ElementTree.Element | None) -> str | None:
    """The CommandId a Receive asks for, None for the runspace pool; the desired stream must be ``stdout``."""
    desired = body.find("rsp:DesiredStream", NS) if body is not None else None
    if desired is None or (desired.text or "").split() != ["stdout"]:
        raise SoapError("A Receive request of the PowerShell resource must ask for the stdout stream.")
    command_id = desired.get("CommandId")
    return command_id.upper() if command_id else None


def signal_of(body: ElementTree.Element | None) -> tuple[str, str]:
    """``(CommandId, code)`` of a Signal request."""
    if body is None or body.tag != f"{{{NS['rsp']}}}Signal" or not body.get("CommandId"):
        raise SoapError("A Signal request must carry rsp:Signal with a CommandId.")
    return body.get("CommandId", "").upper(), (body.findtext("rsp:Code", "", NS) or "").strip()


def payload_budget(max_envelope_size: int | None, default: int) -> int:
    """How many bytes of fragments one reply may carry when the client allows ``max_envelope_size`` bytes per
    envelope (the request's ``w:MaxEnvelopeSize``; ``default`` without one): base64 inflates by 4/3. Never less than
    :data:`MIN_PAYLOAD` (a client announcing less gets replies larger than it asked for)."""
    size = max_envelope_size or default
    return max(MIN_PAYLOAD, (size - ENVELOPE_OVERHEAD) * 3 // 4)


def receive_response(command_id: str | None, payloads: list[bytes], done: bool) -> str:
    """Body of a Receive reply: one ``rsp:Stream`` per payload; for a pipeline, ``CommandState/Done`` with exit code 0
    once its last message is sent (the exit code of PSRP pipelines is always 0 there, A-181), ``Running`` before."""
    attribute = f' CommandId="{command_id}"' if command_id else ""
    streams = "".join(f'<rsp:Stream Name="stdout"{attribute}>{base64.b64encode(data).decode("ascii")}</rsp:Stream>' for data in payloads)
    state = ""
    if command_id and done:
        state = f'<rsp:CommandState CommandId="{command_id}" State="{COMMAND_STATE}Done"><rsp:ExitCode>0</rsp:ExitCode></rsp:CommandState>'
    elif command_id:
        state = f'<rsp:CommandState CommandId="{command_id}" State="{COMMAND_STATE}Running"/>'
    return f"<rsp:ReceiveResponse>{streams}{state}</rsp:ReceiveResponse>"
