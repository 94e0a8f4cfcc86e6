"""The table of ``netsh ipsec static`` commands: verbs, objects and their tags in usage order.

Contract: for every (verb, object) pair :data:`COMMANDS` gives the tags in the order of the
command's usage block -- that order is the positional order (SYNTAX.md §2 "Tags"). Sources for the
orders: ``add *`` usage blocks [S2][S3] (samples/usage__add_*), ``set/delete/show`` syntax lines
of [S1] as quoted in SYNTAX.md §5-§8.

A ``flag`` tag takes no value and is written as the bare keyword (``all``, ``default``). A
``multi`` tag may be repeated (``rootca``: "Multiple certificates can be provided by using the
rootca parameter multiple times." [S3]).

``required`` lists groups of tags: at least one tag of each group must be given, otherwise the
usage text is printed (SYNTAX.md §2 "Help / missing arguments").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tag:
    name: str
    flag: bool = False
    multi: bool = False


@dataclass(frozen=True)
class CommandSpec:
    verb: str
    obj: str
    tags: tuple[Tag, ...]
    required: tuple[tuple[str, ...], ...] = ()
    #: (spelling, tag): a tag spelling that would be an ambiguous prefix and that real scripts use
    #: for one tag (REAL-WORLD.md, A-110); matched case-insensitively, the whole spelling only.
    aliases: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        return f"{self.verb} {self.obj}".strip()

    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]

    def tag(self, name: str) -> Tag:
        for t in self.tags:
            if t.name == name:
                return t
        raise KeyError(name)


def _tags(*names: str) -> tuple[Tag, ...]:
    out = []
    for n in names:
        if n.startswith("!"):
            out.append(Tag(n[1:], flag=True))
        elif n.endswith("*"):
            out.append(Tag(n[:-1], multi=True))
        else:
            out.append(Tag(n))
    return tuple(out)


_SHOW_COMMON = ("level", "format", "wide")

# "filter=" for "filterlist" in add rule (REAL-WORLD.md: 2 sources); the first of the two tags it
# prefixes in usage order. set rule has the same order and gets the same reading.
_FILTER_IS_FILTERLIST = (("filter", "filterlist"),)

COMMANDS: dict[tuple[str, str], CommandSpec] = {
    (spec.verb, spec.obj): spec
    for spec in (
        # add: usage blocks [S2][S3]
        CommandSpec("add", "policy", _tags(
            "name", "description", "mmpfs", "qmpermm", "mmlifetime", "activatedefaultrule",
            "pollinginterval", "assign", "mmsecmethods"), (("name",),)),
        CommandSpec("add", "filterlist", _tags("name", "description"), (("name",),)),
        CommandSpec("add", "filter", _tags(
            "filterlist", "srcaddr", "dstaddr", "description", "protocol", "mirrored", "srcmask",
            "dstmask", "srcport", "dstport"), (("filterlist",), ("srcaddr",), ("dstaddr",))),
        CommandSpec("add", "filteraction", _tags(
            "name", "description", "qmpfs", "inpass", "soft", "action", "qmsecmethods"), (("name",),)),
        CommandSpec("add", "rule", _tags(
            "name", "policy", "filterlist", "filteraction", "tunnel", "conntype", "activate",
            "description", "kerberos", "psk", "rootca*"),
            (("name",), ("policy",), ("filterlist",), ("filteraction",)), _FILTER_IS_FILTERLIST),
        # set: [S1] (SYNTAX.md §5)
        CommandSpec("set", "policy", _tags(
            "name", "guid", "newname", "description", "mmpfs", "qmpermm", "mmlifetime",
            "activatedefaultrule", "pollinginterval", "assign", "gponame", "mmsecmethods"),
            (("name", "guid"),)),
        CommandSpec("set", "filterlist", _tags("name", "guid", "newname", "description"),
                    (("name", "guid"),)),
        CommandSpec("set", "filteraction", _tags(
            "name", "guid", "newname", "description", "qmpfs", "inpass", "soft", "action",
            "qmsecmethods"), (("name", "guid"),)),
        CommandSpec("set", "rule", _tags(
            "name", "id", "policy", "newname", "description", "filterlist", "filteraction", "tunnel",
            "conntype", "activate", "kerberos", "psk", "rootca*"), (("name", "id"), ("policy",)),
            _FILTER_IS_FILTERLIST),
        CommandSpec("set", "defaultrule", _tags(
            "policy", "qmpfs", "activate", "qmsecmethods", "kerberos", "psk", "rootca*"), (("policy",),)),
        CommandSpec("set", "store", _tags("location", "domain"), (("location",),)),
        CommandSpec("set", "batch", _tags("mode"), (("mode",),)),
        # delete: [S1] (SYNTAX.md §6); "| all" on policy/filterlist/filteraction is the Windows 2003
        # reference form (general knowledge, harmless superset)
        CommandSpec("delete", "policy", _tags("name", "!all"), (("name", "all"),)),
        CommandSpec("delete", "filterlist", _tags("name", "!all"), (("name", "all"),)),
        CommandSpec("delete", "filteraction", _tags("name", "!all"), (("name", "all"),)),
        CommandSpec("delete", "rule", _tags("name", "id", "!all", "policy"),
                    (("name", "id", "all"), ("policy",))),
        CommandSpec("delete", "filter", _tags(
            "filterlist", "srcaddr", "dstaddr", "protocol", "mirrored", "srcmask", "dstmask",
            "srcport", "dstport"), (("filterlist",), ("srcaddr",), ("dstaddr",))),
        CommandSpec("delete", "all", ()),
        # show: [S1] (SYNTAX.md §7)
        CommandSpec("show", "policy", _tags("name", "!all", *_SHOW_COMMON), (("name", "all"),)),
        CommandSpec("show", "filterlist", _tags("name", "rule", "!all", "level", "format",
                                                "resolvedns", "wide"), (("name", "rule", "all"),)),
        CommandSpec("show", "filteraction", _tags("name", "rule", "!all", *_SHOW_COMMON),
                    (("name", "rule", "all"),)),
        CommandSpec("show", "rule", _tags("name", "id", "!all", "!default", "policy", "type",
                                          *_SHOW_COMMON), (("name", "id", "all", "default"), ("policy",))),
        CommandSpec("show", "all", _tags("format", "wide")),
        CommandSpec("show", "gpoassignedpolicy", _tags("name")),
        CommandSpec("show", "store", ()),
        # [S1] (SYNTAX.md §8); no object word
        CommandSpec("exportpolicy", "", _tags("file"), (("file",),)),
        CommandSpec("importpolicy", "", _tags("file"), (("file",),)),
    )
}

#: Verbs of the ``ipsec static`` context [S2] (context_help__static__zh-CN.txt); ``dump`` is
#: recognised but not emulated. ``help`` and ``?`` print the context help.
VERBS = ("add", "delete", "dump", "exportpolicy", "help", "importpolicy", "set", "show", "?")

#: Verbs that are complete commands without an object word.
OBJECTLESS_VERBS = ("exportpolicy", "importpolicy", "dump", "help", "?")


def objects_of(verb: str) -> list[str]:
    """Object words of *verb*, alphabetically (the order of the context help [S2][S28])."""
    return sorted(obj for (v, obj) in COMMANDS if v == verb and obj)


#: netsh top-level contexts and commands (Windows 10 era, general knowledge) -- only needed so that
#: prefix abbreviation of the first keyword behaves like netsh (``ip`` -> ``ipsec``, ``i`` ambiguous).
TOP_LEVEL = (
    "..", "?", "abort", "add", "advfirewall", "alias", "branchcache", "bridge", "bye", "commit",
    "delete", "dhcpclient", "dnsclient", "dump", "exec", "exit", "firewall", "help", "http",
    "interface", "ipsec", "lan", "mbn", "namespace", "netio", "offline", "online", "p2p", "popd",
    "pushd", "quit", "ras", "rpc", "set", "show", "trace", "unalias", "wcn", "wfp", "winhttp",
    "winsock", "wlan",
)

#: Sub-contexts and commands of the ``ipsec`` context.
IPSEC_LEVEL = ("dump", "dynamic", "help", "show", "static", "?")
