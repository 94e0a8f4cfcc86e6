"""Print what ``netsh ipsec static show ...`` prints on a Windows host, fetched over WinRM.

    python scripts/lib/show_policy.py --port 55985 [--host 127.0.0.1] [--user vagrant --password vagrant] -- show all

The demo uses it to show the resulting policy exactly as netsh shows it: the command line travels as a
plain ``netsh ipsec static ...`` WinRS command (pywinrm, NTLM), not through the collection.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import winrm


def main() -> int:
    """Run one netsh ipsec static command over WinRM; print its output; return its exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", default="vagrant")
    parser.add_argument("--password", default="vagrant")
    parser.add_argument("words", nargs="+", help="the words after 'netsh ipsec static', e.g. show all")
    args = parser.parse_args()
    session = winrm.Session(f"http://{args.host}:{args.port}/wsman", auth=(args.user, args.password), transport="ntlm")
    # pywinrm joins the arguments with bare spaces; quote them with the MSVCRT rules netsh parses by.
    result = session.run_cmd("netsh " + subprocess.list2cmdline(["ipsec", "static", *args.words]))
    sys.stdout.write(result.std_out.decode("utf-8", errors="replace").replace("\r\n", "\n"))
    sys.stderr.write(result.std_err.decode("utf-8", errors="replace"))
    return result.status_code


if __name__ == "__main__":
    sys.exit(main())
