"""MSVCRT / ``CommandLineToArgvW`` argument splitting and joining.

Contract (execution.md §2.3): ``split_c`` turns the ``Arguments`` string that the bootstrap hands
to ``ProcessStartInfo`` into the argv list netsh.exe would receive from the C runtime:

* spaces and tabs outside quotes separate arguments (runs of them are skipped);
* a run of *n* backslashes followed by ``"`` yields ``n // 2`` backslashes, plus a literal ``"``
  when *n* is odd; when *n* is even the ``"`` is then processed as a quote character;
* other backslashes are literal;
* ``"`` toggles quoting, except that ``""`` inside quotes yields one literal ``"`` (post-2008
  msvcrt / UCRT behaviour; the quoted state continues);
* an empty quoted argument (``""``) is an argument of its own.

The string holds arguments only (no program name), so the special rules the CRT applies to
``argv[0]`` do not apply here.

``join_c`` is the inverse (same algorithm as ``subprocess.list2cmdline`` and ansible.windows'
``quote_c``); the emulator itself never needs it, tests use it for round trips.
"""

from __future__ import annotations

_WHITESPACE = " \t"


def split_c(cmdline: str) -> list[str]:
    """Split *cmdline* with the MSVCRT rules described in the module docstring."""
    args: list[str] = []
    i, n = 0, len(cmdline)
    while True:
        while i < n and cmdline[i] in _WHITESPACE:
            i += 1
        if i >= n:
            return args
        current: list[str] = []
        in_quotes = False
        while i < n:
            ch = cmdline[i]
            if ch == "\\":
                start = i
                while i < n and cmdline[i] == "\\":
                    i += 1
                count = i - start
                if i < n and cmdline[i] == '"':
                    current.append("\\" * (count // 2))
                    if count % 2:
                        current.append('"')
                        i += 1
                    # even: leave the quote for the next iteration
                else:
                    current.append("\\" * count)
                continue
            if ch == '"':
                if in_quotes and i + 1 < n and cmdline[i + 1] == '"':
                    current.append('"')
                    i += 2
                    continue
                in_quotes = not in_quotes
                i += 1
                continue
            if ch in _WHITESPACE and not in_quotes:
                break
            current.append(ch)
            i += 1
        args.append("".join(current))


def quote_c(arg: str) -> str:
    """Quote one argument so that :func:`split_c` returns it unchanged."""
    if "\0" in arg:
        raise ValueError("NUL cannot be passed on a Windows command line")
    if arg == "":
        return '""'
    if not any(c in arg for c in ' \t\n\v"'):
        return arg
    out = ['"']
    backslashes = 0
    for ch in arg:
        if ch == "\\":
            backslashes += 1
            continue
        if ch == '"':
            out.append("\\" * (2 * backslashes + 1) + '"')
        else:
            out.append("\\" * backslashes + ch)
        backslashes = 0
    out.append("\\" * (2 * backslashes) + '"')
    return "".join(out)


def join_c(argv: list[str]) -> str:
    """Join *argv* into one command-line string (inverse of :func:`split_c`)."""
    return " ".join(quote_c(a) for a in argv)
