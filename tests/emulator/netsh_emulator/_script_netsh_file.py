"""A netsh script (``netsh -f file``, ``netsh exec file``) -> the ipsec static commands it runs.

Contract: :func:`netsh_file_steps` takes the file's lines and the context netsh starts in (``""``, or
``"ipsec static"`` for ``netsh -c "ipsec static" -f file``) and returns ``Step`` tuples (see
``_script_steps``), or raises ``ScriptNotRunnable``. What it reads (EXIT_AND_SCRIPTS.md §2, [S27]):

* blank lines and ``#`` comment lines;
* context changes: ``pushd <context>``, ``popd``, ``..`` and a line that only names a context
  (``ipsec static``, ``ipsec`` then ``static``), keywords resolved as netsh resolves them
  (case-insensitive, unambiguous prefix); ``exit``, ``quit`` and ``bye`` end the script;
* commands: in the ``ipsec static`` context, a line starting with one of its verbs (``add``, ``set store
  location=local``, ``delete all`` ...); at the top, or in ``ipsec``, the same command with its context
  words in front (``ipsec static add policy P``).

A line is split with the C runtime's rules (``_crt.split_c``); netsh's own tokenizer for script lines is
not documented, so a line with ``\\"`` (where the two could differ) is refused, as are ``%`` (netsh does
not expand variables, the script's author may have meant it to), commands of any other context
(``pushd ipsec dynamic`` then ``set config ...``, ``interface ...``) and ``popd`` without ``pushd``.

Every command is unconditional: what netsh does after a failing line is unknown (EXIT_AND_SCRIPTS.md
§2); the host goes on with the next line, the inferred behaviour.
"""

from __future__ import annotations

from ._cmdline import resolve_keyword
from ._crt import split_c
from ._script_steps import ScriptNotRunnable, Step, check_netsh_argv
from ._spec import IPSEC_LEVEL, TOP_LEVEL, VERBS

_STATIC = ("ipsec", "static")
_END = ("exit", "quit", "bye")


def netsh_file_steps(lines: list[str], context: str = "") -> tuple[Step, ...]:
    """The steps of the netsh script *lines*, started in *context* (see the module docstring)."""
    current = _context_path((), split_c(context)) if context.strip() else ()
    if current is None:
        raise ScriptNotRunnable(0, context, "the starting context is not a netsh context")
    stack: list[tuple[str, ...]] = []
    steps: list[Step] = []
    for number, raw in enumerate(lines, 1):
        text = raw.strip(" \t\r")
        if not text or text.startswith("#"):
            continue
        if "%" in text:
            raise ScriptNotRunnable(number, raw, "'%' (netsh does not expand variables)")
        if '\\"' in text:
            raise ScriptNotRunnable(number, raw, "'\\\"' (netsh's own reading of it is unknown)")
        words = split_c(text)
        head = words[0].lower()
        if head in _END:
            steps.append(Step("exit", number))
            break
        if head == "popd":
            if not stack or len(words) > 1:
                raise ScriptNotRunnable(number, raw, "popd without a pushd before it" if not stack else "popd with arguments")
            current = stack.pop()
            continue
        if head == "..":
            current = current[:-1]
            continue
        if head == "pushd":
            target = _context_path(current, words[1:]) if len(words) > 1 else None
            if target is None:
                raise ScriptNotRunnable(number, raw, "pushd to something that is not a netsh context")
            stack.append(current)
            current = target
            continue
        target = _context_path(current, words)
        if target is not None:
            current = target
            continue
        steps.append(Step("netsh", number, argv=_command(current, words, number, raw)))
    return tuple(steps)


def _context_path(current: tuple[str, ...], words: list[str]) -> tuple[str, ...] | None:
    """The context *words* lead to from *current* when they only name contexts (``ipsec``, ``ipsec static``,
    ``ipsec dynamic``), else None."""
    path = list(current)
    for word in words:
        if not path:
            found = resolve_keyword(word, TOP_LEVEL)[0]
            allowed: tuple[str, ...] = ("ipsec",)
        elif path == ["ipsec"]:
            found = resolve_keyword(word, IPSEC_LEVEL)[0]
            allowed = ("static", "dynamic")
        else:
            return None
        if found not in allowed:
            return None
        path.append(found)
    return tuple(path) if words else None


def _command(current: tuple[str, ...], words: list[str], number: int, raw: str) -> tuple[str, ...]:
    """netsh's argv for the command *words* in *current*: it must be an ipsec static command."""
    if current not in ((), ("ipsec",), _STATIC):
        raise ScriptNotRunnable(number, raw, f"a command of the netsh context {' '.join(current)!r}, which is not emulated")
    argv = check_netsh_argv([*current, *words], number, raw)
    if len(argv) > 2:
        verb, candidates = resolve_keyword(argv[2], VERBS)
        if verb is None:
            why = "an ambiguous" if candidates else "not an"
            raise ScriptNotRunnable(number, raw, f"{argv[2]!r} is {why} ipsec static verb")
    return argv
