# -*- coding: utf-8 -*-
# Copyright: (c) 2026, lockdown.ipsec contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""PRIVATE to the collection. The grammar of ``netsh ipsec static`` commands as people write them.

:func:`parse_netsh` reads the arguments after ``ipsec static`` (e.g. ``("del", "rule", "all", "P")``)
into a :class:`NetshCommand`: the verb and object in full, and the tag values in the order given. It
follows SYNTAX.md §2, the usage blocks of §4-§8, and what REAL-WORLD.md shows scripts rely on:

* verbs and objects in any case and by unambiguous prefix, an exact word winning over a longer one it
  starts (``filter`` vs ``filterlist``); ``del`` for ``delete`` ([S33], 4 scripts);
* tags in any case and by unambiguous prefix (``qmsec=``, ``desc=``, ``mirror=``); ``filter=`` in
  ``add rule`` / ``set rule`` is the filter list (2 scripts, although it also starts ``filteraction``);
* a value without a tag takes the place in the usage block after the argument before it (the first
  place for the first argument): ``add policy P``, ``add filter filterlist=L any me``,
  ``del rule all P`` (``all`` has its place between ``id`` and ``policy`` in ``delete rule``'s usage).
  A value whose place is past the end of the block or already given (free text after the last tag,
  4 scripts) is refused, since what netsh does with it is unknown (A-105);
* flag words (``all``, ``default``) in any case, in their place of the usage block.

It raises :class:`GrammarError` for anything else (an unknown or ambiguous word or tag, a tag given
twice, a value it cannot place, a required tag missing), with the reason a user can act on.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._errors import LockdownError


class GrammarError(LockdownError):
    """A command netsh would refuse or that cannot be read exactly; the message says why."""


@dataclass(frozen=True)
class Usage:
    """One command: its places in usage order (tags and flag words; the positional order), which of
    them are flag words, repeatable tags, and groups of which at least one must be given."""

    places: tuple[str, ...]
    flags: tuple[str, ...] = ()
    repeatable: tuple[str, ...] = ()
    required: tuple[tuple[str, ...], ...] = ()

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(place for place in self.places if place not in self.flags)


_AUTH = ("kerberos", "psk", "rootca")

# Usage blocks: add [S2][S3] (SYNTAX.md §4), set [S1] (§5), delete [S1][S4] (§6), show [S1] (§7), §8.
USAGES: dict[tuple[str, str], Usage] = {
    ("add", "policy"): Usage(("name", "description", "mmpfs", "qmpermm", "mmlifetime", "activatedefaultrule", "pollinginterval", "assign",
                              "mmsecmethods"), required=(("name",),)),
    ("add", "filterlist"): Usage(("name", "description"), required=(("name",),)),
    ("add", "filter"): Usage(("filterlist", "srcaddr", "dstaddr", "description", "protocol", "mirrored", "srcmask", "dstmask", "srcport",
                              "dstport"), required=(("filterlist",), ("srcaddr",), ("dstaddr",))),
    ("add", "filteraction"): Usage(("name", "description", "qmpfs", "inpass", "soft", "action", "qmsecmethods"), required=(("name",),)),
    ("add", "rule"): Usage(("name", "policy", "filterlist", "filteraction", "tunnel", "conntype", "activate", "description", *_AUTH),
                           repeatable=("rootca",), required=(("name",), ("policy",), ("filterlist",), ("filteraction",))),
    ("set", "policy"): Usage(("name", "guid", "newname", "description", "mmpfs", "qmpermm", "mmlifetime", "activatedefaultrule",
                              "pollinginterval", "assign", "gponame", "mmsecmethods"), required=(("name", "guid"),)),
    ("set", "filterlist"): Usage(("name", "guid", "newname", "description"), required=(("name", "guid"),)),
    ("set", "filteraction"): Usage(("name", "guid", "newname", "description", "qmpfs", "inpass", "soft", "action", "qmsecmethods"),
                                   required=(("name", "guid"),)),
    ("set", "rule"): Usage(("name", "id", "policy", "newname", "description", "filterlist", "filteraction", "tunnel", "conntype", "activate",
                            *_AUTH), repeatable=("rootca",), required=(("name", "id"), ("policy",))),
    ("set", "defaultrule"): Usage(("policy", "qmpfs", "activate", "qmsecmethods", *_AUTH), repeatable=("rootca",), required=(("policy",),)),
    ("set", "store"): Usage(("location", "domain"), required=(("location",),)),
    ("set", "batch"): Usage(("mode",), required=(("mode",),)),
    ("delete", "policy"): Usage(("name", "all"), flags=("all",), required=(("name", "all"),)),
    ("delete", "filterlist"): Usage(("name", "all"), flags=("all",), required=(("name", "all"),)),
    ("delete", "filteraction"): Usage(("name", "all"), flags=("all",), required=(("name", "all"),)),
    ("delete", "rule"): Usage(("name", "id", "all", "policy"), flags=("all",), required=(("name", "id", "all"), ("policy",))),
    ("delete", "filter"): Usage(("filterlist", "srcaddr", "dstaddr", "protocol", "mirrored", "srcmask", "dstmask", "srcport", "dstport"),
                                required=(("filterlist",), ("srcaddr",), ("dstaddr",))),
    ("delete", "all"): Usage(()),
    # name, rule, id and the flags are alternative selectors (SYNTAX.md §7): a value after one takes the place after them all.
    ("show", "policy"): Usage(("name", "level", "format", "wide", "all"), flags=("all",)),
    ("show", "filterlist"): Usage(("name", "rule", "level", "format", "resolvedns", "wide", "all"), flags=("all",)),
    ("show", "filteraction"): Usage(("name", "rule", "level", "format", "wide", "all"), flags=("all",)),
    ("show", "rule"): Usage(("name", "id", "policy", "type", "level", "format", "wide", "all", "default"), flags=("all", "default")),
    ("show", "all"): Usage(("format", "wide")),
    ("show", "gpoassignedpolicy"): Usage(("name",)),
    ("show", "store"): Usage(()),
    ("exportpolicy", ""): Usage(("file",), required=(("file",),)),
    ("importpolicy", ""): Usage(("file",), required=(("file",),)),
    ("dump", ""): Usage(()),
}

VERBS = ("add", "delete", "dump", "exportpolicy", "importpolicy", "set", "show")
# Words netsh takes for a verb besides its prefixes (REAL-WORLD.md: "del" in 4 scripts, [S33]).
_VERB_ALIASES = {"del": "delete"}
# Tags scripts abbreviate to a prefix that is ambiguous in netsh's usage (REAL-WORLD.md: 2 scripts).
_TAG_ALIASES = {("add", "rule", "filter"): "filterlist", ("set", "rule", "filter"): "filterlist"}


@dataclass(frozen=True)
class NetshCommand:
    """One command read: ``verb`` and ``obj`` in full (``obj`` is ``""`` for objectless verbs),
    ``arguments`` as (tag, value) in the order given (a flag as (flag, "")), and ``flags``."""

    verb: str
    obj: str
    arguments: tuple[tuple[str, str], ...]
    flags: frozenset[str]

    def get(self, tag: str) -> str | None:
        """The value of ``tag`` (the first, for a repeatable tag), or ``None``."""
        return next((value for name, value in self.arguments if name == tag), None)

    def has(self, tag: str) -> bool:
        return any(name == tag for name, dummy in self.arguments)

    @property
    def title(self) -> str:
        return f"{self.verb} {self.obj}".strip()


def resolve(word: str, choices, what: str) -> str:
    """``word`` as one of ``choices``: itself in any case, or the one choice it is a prefix of.

    Raises:
        GrammarError: no choice, or several, start with it.
    """
    low = word.lower()
    if low in choices:
        return low
    found = [choice for choice in choices if choice.startswith(low)] if low else []
    if len(found) == 1:
        return found[0]
    if found:
        raise GrammarError(f"{what} {word!r} is ambiguous: it starts {', '.join(sorted(found))}")
    raise GrammarError(f"{what} {word!r} is not one netsh knows here (expected one of {', '.join(sorted(choices))})")


def parse_netsh(argv) -> NetshCommand:
    """Read the arguments after ``ipsec static`` into a :class:`NetshCommand` (module docstring).

    Raises:
        GrammarError: the command is not one netsh would run as written, naming why.
    """
    if not argv:
        raise GrammarError("no command after 'ipsec static'")
    verb = _VERB_ALIASES.get(argv[0].lower()) or resolve(argv[0], VERBS, "the command")
    objects = sorted(obj for (name, obj) in USAGES if name == verb)
    if objects == [""]:
        obj, rest = "", list(argv[1:])
    else:
        if len(argv) < 2:
            raise GrammarError(f"'{verb}' needs one of {', '.join(objects)}")
        obj, rest = resolve(argv[1], objects, f"the object of '{verb}'"), list(argv[2:])
    usage = USAGES[(verb, obj)]
    arguments: list[tuple[str, str]] = []
    flags: set[str] = set()
    place = -1  # the place in the usage block of the argument before
    for token in rest:
        tag, equals, value = token.partition("=")
        if not equals and token.lower() in usage.flags:
            tag, value = token.lower(), ""
            flags.add(tag)
        elif not equals:
            following = place + 1
            if following >= len(usage.places) or usage.places[following] in usage.flags or \
                    any(name == usage.places[following] for name, dummy in arguments):
                title = f"{verb} {obj}".strip()
                raise GrammarError(f"{token!r} has no tag and no place of its own in '{title}' "
                                   "(free text after the tags is refused: what netsh does with it is unknown)")
            tag, value = usage.places[following], token
        else:
            tag = _TAG_ALIASES.get((verb, obj, tag.lower())) or resolve(tag, usage.tags, f"in '{verb} {obj}', the tag")
        if tag not in usage.repeatable and any(name == tag for name, dummy in arguments):
            raise GrammarError(f"{tag} is given twice" if tag in usage.flags else f"{tag}= is given twice")
        place = usage.places.index(tag)
        arguments.append((tag, value))
    given = {name for name, dummy in arguments}
    for group in usage.required:
        if not given & set(group):
            raise GrammarError(f"'{verb} {obj}' needs {' or '.join(f'{name}=' if name not in usage.flags else name for name in group)}")
    return NetshCommand(verb, obj, tuple(arguments), frozenset(flags))


__all__ = ["GrammarError", "NetshCommand", "USAGES", "VERBS", "parse_netsh", "resolve"]
