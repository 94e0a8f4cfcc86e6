"""WS-Management SOAP messages of the Windows Remote Shell (WinRS): reading requests, writing replies.

Shapes follow MS-WSMV (the WinRS shell resource ``http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd``)
and what pywinrm reads from a reply (execution.md §3.2): the ``ShellId`` selector of a Create reply,
``CommandId``, ``rsp:Stream`` elements with base64 text, ``CommandState/Done`` with ``rsp:ExitCode``, and
``a:RelatesTo`` equal to the request's ``a:MessageID`` (pywinrm asserts it on Signal and Delete).
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "a": "http://schemas.xmlsoap.org/ws/2004/08/addressing",
    "w": "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd",
    "rsp": "http://schemas.microsoft.com/wbem/wsman/1/windows/shell",
    "x": "http://schemas.xmlsoap.org/ws/2004/09/transfer",
    "f": "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault",
}
SHELL_URI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
COMMAND_STATE = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/CommandState/"
FAULT_ACTION = "http://schemas.dmtf.org/wbem/wsman/1/wsman/fault"


class SoapError(Exception):
    """A request the endpoint cannot read or serve; answered with a SOAP fault (HTTP 500).

    ``code`` is the WSManFault code a real Windows host sends for the situation; pywinrm turns
    2150858793 into ``WinRMOperationTimeoutError`` and everything else into ``WSManFaultError``.
    """

    def __init__(self, reason: str, *, code: int = 2150858752, subcode: str = "w:InvalidParameter") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.subcode = subcode


# The fault a real host sends when a Receive finds no output within OperationTimeout
# (execution.md §3.2, pitfall 12: clients retry it).
def timed_out() -> SoapError:
    """The ``w:TimedOut`` fault, code 2150858793, that clients answer by sending Receive again."""
    return SoapError(
        "The WS-Management service cannot complete the operation within the time specified in OperationTimeout.",
        code=2150858793,
        subcode="w:TimedOut",
    )


@dataclass
class Request:
    """One WS-Management request, reduced to what the endpoint acts on."""

    action: str  # last path segment of a:Action: Create, Command, Send, Receive, Signal, Delete
    message_id: str
    shell_id: str | None
    options: dict = field(default_factory=dict)  # w:OptionSet, name -> text
    operation_timeout: float | None = None  # seconds, from w:OperationTimeout (PT20S)
    body: ElementTree.Element | None = None  # the first child of s:Body, if any
    resource_uri: str | None = None  # w:ResourceURI: the cmd shell or a PowerShell configuration (PSRP, _psrp)
    max_envelope_size: int | None = None  # w:MaxEnvelopeSize: the largest reply the client takes (PSRP, _psrp)


def parse_request(data: bytes) -> Request:
    """Read a SOAP envelope; raise :class:`SoapError` for anything that is not one."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise SoapError(f"The request is not well-formed XML: {exc}.") from None
    header = root.find("s:Header", NS)
    if root.tag != f"{{{NS['s']}}}Envelope" or header is None:
        raise SoapError("The request is not a SOAP 1.2 envelope with a header.")
    action = (header.findtext("a:Action", "", NS) or "").strip()
    message_id = (header.findtext("a:MessageID", "", NS) or "").strip()
    if not action or not message_id:
        raise SoapError("The request has no a:Action or a:MessageID.")
    shell_id = None
    for selector in header.iterfind("w:SelectorSet/w:Selector", NS):
        if selector.get("Name") == "ShellId":
            shell_id = (selector.text or "").strip()
    options = {option.get("Name"): (option.text or "") for option in header.iterfind("w:OptionSet/w:Option", NS)}
    body = root.find("s:Body", NS)
    return Request(
        action=action.rsplit("/", 1)[-1],
        message_id=message_id,
        shell_id=shell_id,
        options=options,
        operation_timeout=_duration(header.findtext("w:OperationTimeout", None, NS)),
        body=body[0] if body is not None and len(body) else None,
        resource_uri=(header.findtext("w:ResourceURI", "", NS) or "").strip() or None,
        max_envelope_size=_envelope_size(header.findtext("w:MaxEnvelopeSize", None, NS)),
    )


def _envelope_size(text: str | None) -> int | None:
    """``153600`` -> 153600; anything else -> None (the endpoint's default applies)."""
    return int(text.strip()) if text and text.strip().isdigit() else None


def _duration(text: str | None) -> float | None:
    """``PT20S`` / ``PT20.000S`` -> 20.0; anything else -> None (the endpoint's default applies)."""
    if not text or not text.startswith("PT") or not text.endswith("S"):
        return None
    try:
        return float(text[2:-1])
    except ValueError:
        return None


def envelope(action: str, relates_to: str, body: str) -> bytes:
    """A reply envelope for ``action`` (a full action URI) answering the request ``relates_to``."""
    prefixes = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
    return (
        f'<s:Envelope xml:lang="en-US" {prefixes}><s:Header>'
        f"<a:Action>{escape(action)}</a:Action>"
        f"<a:MessageID>uuid:{str(uuid.uuid4()).upper()}</a:MessageID>"
        "<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>"
        f"<a:RelatesTo>{escape(relates_to)}</a:RelatesTo>"
        f"</s:Header><s:Body>{body}</s:Body></s:Envelope>"
    ).encode("utf-8")


def fault(error: SoapError, relates_to: str, machine: str) -> bytes:
    """The SOAP fault envelope for ``error``."""
    reason = escape(error.reason)
    body = (
        "<s:Fault><s:Code><s:Value>s:Receiver</s:Value>"
        f"<s:Subcode><s:Value>{escape(error.subcode)}</s:Value></s:Subcode></s:Code>"
        f'<s:Reason><s:Text xml:lang="en-US">{reason}</s:Text></s:Reason>'
        f"<s:Detail><f:WSManFault Code={quoteattr(str(error.code))} Machine={quoteattr(machine)}>"
        f"<f:Message>{reason}</f:Message></f:WSManFault></s:Detail></s:Fault>"
    )
    return envelope(FAULT_ACTION, relates_to, body)


def created(shell_id: str, address: str) -> str:
    """Body of a Create reply: the shell's endpoint reference and its rsp:Shell."""
    return (
        f"<x:ResourceCreated><a:Address>{escape(address)}</a:Address><a:ReferenceParameters>"
        f"<w:ResourceURI>{SHELL_URI}</w:ResourceURI>"
        f'<w:SelectorSet><w:Selector Name="ShellId">{shell_id}</w:Selector></w:SelectorSet>'
        "</a:ReferenceParameters></x:ResourceCreated>"
        f"<rsp:Shell><rsp:ShellId>{shell_id}</rsp:ShellId><rsp:ResourceUri>{SHELL_URI}</rsp:ResourceUri>"
        "<rsp:InputStreams>stdin</rsp:InputStreams><rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>"
    )


def command_response(command_id: str) -> str:
    """Body of a Command reply."""
    return f"<rsp:CommandResponse><rsp:CommandId>{command_id}</rsp:CommandId></rsp:CommandResponse>"


def receive_response(command_id: str, stdout: bytes, stderr: bytes, exit_code: int | None) -> str:
    """Body of a Receive reply: this slice of output; ``exit_code`` None means the command still runs."""
    streams = []
    for name, data in (("stdout", stdout), ("stderr", stderr)):
        if data:
            streams.append(f'<rsp:Stream Name="{name}" CommandId="{command_id}">{base64.b64encode(data).decode("ascii")}</rsp:Stream>')
        if exit_code is not None:
            streams.append(f'<rsp:Stream Name="{name}" CommandId="{command_id}" End="true"></rsp:Stream>')
    if exit_code is None:
        state = f'<rsp:CommandState CommandId="{command_id}" State="{COMMAND_STATE}Running"/>'
    else:
        state = f'<rsp:CommandState CommandId="{command_id}" State="{COMMAND_STATE}Done"><rsp:ExitCode>{exit_code}</rsp:ExitCode></rsp:CommandState>'
    return f"<rsp:ReceiveResponse>{''.join(streams)}{state}</rsp:ReceiveResponse>"


def command_line(body: ElementTree.Element | None) -> tuple[str, list[str]]:
    """``rsp:Command`` and the ``rsp:Arguments`` of a Command request body."""
    if body is None or body.tag != f"{{{NS['rsp']}}}CommandLine":
        raise SoapError("A Command request must carry rsp:CommandLine.")
    command = body.findtext("rsp:Command", "", NS) or ""
    return command.strip(), [argument.text or "" for argument in body.iterfind("rsp:Arguments", NS)]


def stdin_chunk(body: ElementTree.Element | None) -> tuple[str, bytes, bool]:
    """``(command id, data, end)`` of a Send request body."""
    stream = body.find("rsp:Stream", NS) if body is not None else None
    if stream is None or stream.get("Name") != "stdin":
        raise SoapError("A Send request must carry an rsp:Stream named stdin.")
    try:
        data = base64.b64decode((stream.text or "").strip(), validate=True)
    except ValueError:
        raise SoapError("The stdin stream of a Send request is not base64.") from None
    return stream.get("CommandId", ""), data, stream.get("End", "").lower() == "true"


def command_id_of(body: ElementTree.Element | None, child: str) -> str:
    """The CommandId of a Receive (``rsp:DesiredStream``) or Signal (the body itself) request."""
    if body is None:
        raise SoapError("The request has no body.")
    element = body if child == "." else body.find(child, NS)
    command_id = element.get("CommandId") if element is not None else None
    if not command_id:
        raise SoapError("The request names no CommandId.")
    return command_id
