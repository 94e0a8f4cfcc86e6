"""The netsh command-line grammar: context keywords, verbs, objects, tags and positional values.

Contract: :func:`parse_command` takes the argv netsh.exe receives (already unquoted by the CRT,
see ``_crt``) and returns either a :class:`HelpRequest` (context help or usage text to print with
rc 0) or a :class:`Command` (spec + :class:`Args`). Grammar errors raise ``NetshLevelError``;
missing required tags raise ``UsageError``.

Rules (SYNTAX.md §2):

* keywords (``ipsec``, ``static``, verbs, objects) are case-insensitive and may be abbreviated to
  any unambiguous prefix; an exact match wins over a longer keyword it prefixes (``filter`` vs
  ``filterlist``); an ambiguous prefix is an error ("Keyword abbreviation", ``del rule`` [S33]);
* ``tag=value``, ``tag = value``, ``tag= value`` and ``tag =value`` are equivalent (INFERRED [S34][S8]);
  a token ``tag=`` swallows the next token as its value unless that token is itself a
  ``tag=...`` assignment for this command, so ``description=`` followed by ``mmpfs=no`` (or
  nothing) gives an empty description (emulator choice; netsh's real behaviour is UNKNOWN);
* tags are matched case-insensitively by unambiguous prefix (``qmsec=``, ``mmsec=`` [S2][S3]); a
  prefix matching several tags is an error, except the spellings in ``CommandSpec.aliases``
  (``filter=`` for ``filterlist`` in ``add rule`` / ``set rule``: REAL-WORLD.md, A-110);
* an untagged value is the value of the tag that follows, in usage order, the tag of the argument
  before it (the first tag when it comes first), flag tags skipped (``add filter filterlist=block
  any srcmask=32 ...`` [S5]; ``del rule all X`` makes X the policy and ``show policy name=X
  verbose`` gives the level, REAL-WORLD.md, A-111). With arguments in usage order this is the
  *i*-th tag for argument *i*. It is the emulator's reading of netsh's positional matching; a value
  with no tag left after it (free text after the last tag), or for a tag already given, is an error;
* flag tags (``all``, ``default``) are the bare keyword (case-insensitive, no abbreviation);
* ``?``, ``/?`` or ``-?`` anywhere after the object asks for the usage text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import _messages as msg
from ._spec import COMMANDS, IPSEC_LEVEL, OBJECTLESS_VERBS, TOP_LEVEL, VERBS, CommandSpec, objects_of

_HELP_TOKENS = ("?", "/?", "-?")


@dataclass
class Args:
    """Tag values of one command. Keys are full tag names."""

    values: dict[str, str] = field(default_factory=dict)
    multi: dict[str, list[str]] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    order: list[tuple[str, str]] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return name in self.values or name in self.multi or name in self.flags

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.values.get(name, default)


@dataclass
class Command:
    spec: CommandSpec
    args: Args


@dataclass
class HelpRequest:
    """Print help: ``context`` is a verb ('' = the static context) or ``usage`` is a spec."""

    context: str | None = None
    usage: CommandSpec | None = None


def resolve_keyword(word: str, choices: list[str] | tuple[str, ...]) -> tuple[str | None, list[str]]:
    """Return (match, candidates): exact case-insensitive match first, then unique prefix."""
    low = word.lower()
    if low in choices:
        return low, [low]
    cands = [c for c in choices if c.startswith(low)] if low else []
    if len(cands) == 1:
        return cands[0], cands
    return None, cands


def _keyword(argv: list[str], index: int, choices) -> str:
    found, cands = resolve_keyword(argv[index], choices)
    if found is not None:
        return found
    if cands:
        raise msg.ambiguous_keyword(argv[index], cands)
    raise msg.command_not_found(argv[: index + 1])


def parse_command(argv: list[str]) -> Command | HelpRequest:
    """Parse a full netsh argv (without the program name)."""
    if not argv:
        raise msg.not_emulated("Interactive netsh (no arguments)")
    top = _keyword(argv, 0, TOP_LEVEL)
    if top != "ipsec":
        raise msg.not_emulated(f'The netsh command or context "{top}"')
    if len(argv) == 1:
        raise msg.not_emulated('Interactive "netsh ipsec"')
    sub = _keyword(argv, 1, IPSEC_LEVEL)
    if sub != "static":
        raise msg.not_emulated(f'"netsh ipsec {sub}"')
    if len(argv) == 2:
        return HelpRequest(context="")
    verb = _keyword(argv, 2, VERBS)
    if verb in ("help", "?"):
        return HelpRequest(context="")
    if verb == "dump":
        raise msg.not_emulated('"netsh ipsec static dump"')
    if verb in OBJECTLESS_VERBS:
        spec, tokens = COMMANDS[(verb, "")], argv[3:]
    else:
        if len(argv) == 3:
            return HelpRequest(context=verb)
        if argv[3] in _HELP_TOKENS:
            return HelpRequest(context=verb)
        obj = _keyword(argv, 3, objects_of(verb))
        spec, tokens = COMMANDS[(verb, obj)], argv[4:]
    if any(t in _HELP_TOKENS for t in tokens):
        return HelpRequest(usage=spec)
    args = parse_args(spec, tokens)
    for group in spec.required:
        if not any(args.has(t) for t in group):
            raise msg.UsageError(spec.verb, spec.obj)
    return Command(spec, args)


def _resolve_tag(spec: CommandSpec, tag: str) -> str | None:
    """Full name of *tag* for *spec*, or None when it names no tag (raises when ambiguous)."""
    alias = dict(spec.aliases).get(tag.lower())
    if alias is not None:
        return alias
    names = [t.name for t in spec.tags if not t.flag]
    found, cands = resolve_keyword(tag, names)
    if found is None and len(cands) > 1:
        raise msg.ambiguous_tag(tag, spec.title, cands)
    return found


def _is_assignment(spec: CommandSpec, token: str) -> bool:
    """True when *token* is ``tag=...`` for a tag of *spec* (ambiguity counts as a tag)."""
    left, eq, dummy = token.partition("=")
    if not eq or not left:
        return False
    names = [t.name for t in spec.tags if not t.flag]
    _found, cands = resolve_keyword(left, names)
    return bool(cands)


def _merge_tokens(spec: CommandSpec, tokens: list[str]) -> list[tuple[str | None, str]]:
    """Re-join ``tag``, ``=``, ``value`` pieces into (tag or None, value) items."""
    items: list[tuple[str | None, str]] = []
    bare_ok: list[bool] = []  # may the item take a following "=..." token as its value?
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        left, eq, right = tok.partition("=")
        if not eq:
            items.append((None, tok))
            bare_ok.append(True)
        elif left:
            if right == "" and i + 1 < n and not _is_assignment(spec, tokens[i + 1]):
                right = tokens[i + 1]
                i += 1
            items.append((left, right))
            bare_ok.append(False)
        else:
            # "=value" or "=" : the previous bare token was the tag ("tag =value", "tag = value")
            if not items or items[-1][0] is not None or not bare_ok[-1]:
                raise msg.misplaced_value(tok, spec.title)
            tag = items.pop()[1]
            bare_ok.pop()
            if right == "" and i + 1 < n:
                right = tokens[i + 1]
                i += 1
            items.append((tag, right))
            bare_ok.append(False)
        i += 1
    return items


def _next_value_tag(spec: CommandSpec, previous: int) -> int | None:
    """Index of the first non-flag tag after usage index *previous* (-1: before the first), or None."""
    for index in range(previous + 1, len(spec.tags)):
        if not spec.tags[index].flag:
            return index
    return None


def parse_args(spec: CommandSpec, tokens: list[str]) -> Args:
    """Assign every token of *tokens* to a tag of *spec* (see module docstring)."""
    args = Args()
    names = spec.tag_names()
    flag_names = {t.name for t in spec.tags if t.flag}
    previous = -1  # usage index of the tag of the argument before
    for tag, value in _merge_tokens(spec, tokens):
        if tag is None:
            if value.lower() in flag_names:
                name = value.lower()
                if name in args.flags:
                    raise msg.duplicate_tag(name, spec.title)
                args.flags.add(name)
                args.order.append((name, ""))
                previous = names.index(name)
                continue
            index = _next_value_tag(spec, previous)
            if index is None:
                raise msg.misplaced_value(value, spec.title)
            name = names[index]
        else:
            found = _resolve_tag(spec, tag)
            if found is None:
                raise msg.unknown_tag(tag, spec.title)
            name = found
        previous = names.index(name)
        if spec.tag(name).multi:
            args.multi.setdefault(name, []).append(value)
        else:
            if name in args.values:
                raise msg.duplicate_tag(name, spec.title)
            args.values[name] = value
        args.order.append((name, value))
    return args
