"""Helpers for the emulated host's PSRP tests (``test_emu_psrp*.py``); the client is the real pypsrp.

``runspace_pool`` opens a ``RunspacePool`` the way ansible-core's ``psrp`` connection does (a ``PSHost`` whose ``rc``
``SetShouldExit`` sets, NTLM with message encryption over HTTP by default); ``invoke`` runs one script with input, as
its ``_exec_psrp_script`` does, and returns what ansible-core would read from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from emu_support import MARKER, STUB, bootstrap_results
from pypsrp.complex_objects import PSInvocationState
from pypsrp.host import PSHost, PSHostUserInterface
from pypsrp.powershell import PowerShell, RunspacePool
from pypsrp.wsman import WSMan

USER = "vagrant"
PASSWORD = "vagrant"
POWERSHELL_RESOURCE = "http://schemas.microsoft.com/powershell/Microsoft.PowerShell"


def wsman(host, auth: str = "ntlm", **options) -> WSMan:
    """A pypsrp WSMan connection to *host* (HTTP); ``options`` go to WSMan (time-outs, max_envelope_size, encryption)."""
    return WSMan("127.0.0.1", port=host.port, username=USER, password=PASSWORD, ssl=False, auth=auth, cert_validation=False, **options)


def runspace_pool(host, auth: str = "ntlm", configuration_name: str = "Microsoft.PowerShell", **options) -> RunspacePool:
    """An unopened pool with ansible-core's host (``PSHost(None, None, False, "Ansible PSRP Host", None, ui, None)``)."""
    ps_host = PSHost(None, None, False, "Ansible PSRP Host", None, PSHostUserInterface(), None)
    return RunspacePool(wsman(host, auth, **options), host=ps_host, configuration_name=configuration_name)


@dataclass
class Invoked:
    """One pipeline as ansible-core sees it: outputs, the exit code ``SetShouldExit`` gave (None: never called),
    the pipeline, and its errors as ``(message, FullyQualifiedErrorId)``."""

    output: list
    exit_code: int | None
    pipeline: PowerShell

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(str(error), error.fq_error) for error in self.pipeline.streams.error]

    @property
    def results(self) -> dict:
        """The batch script's answer (the document after the result marker)."""
        assert self.output and self.output[-1].startswith(MARKER), self.output
        return bootstrap_results(("\r\n".join(self.output) + "\r\n").encode("ascii"))


def invoke(pool: RunspacePool, script: str = STUB, input_lines: list | None = None) -> Invoked:
    """Run *script* in *pool* with *input_lines* as pipeline input (``PowerShell.invoke``), as ansible-core does."""
    pool.host.rc = None
    pipeline = PowerShell(pool)
    pipeline.add_script(script, use_local_scope=True)
    output = pipeline.invoke(input=input_lines)
    return Invoked(output, pool.host.rc, pipeline)


def invoke_built(pool: RunspacePool, build) -> Invoked:
    """Run a pipeline that ``build(PowerShell)`` fills with commands, without input."""
    pool.host.rc = None
    pipeline = PowerShell(pool)
    build(pipeline)
    return Invoked(pipeline.invoke(), pool.host.rc, pipeline)


def stop_last(invoked: Invoked) -> None:
    """What ansible-core does to the previous pipeline before the next: mark it running, stop it (a Signal)."""
    invoked.pipeline.state = PSInvocationState.RUNNING
    invoked.pipeline.stop()
