"""Error conditions, their codes and their English texts.

Three kinds of failure exist (format doc §8, SYNTAX.md §9, EXIT_AND_SCRIPTS.md §1):

* :class:`IpsecError` -- printed as the single stdout line ``ERR IPsec[NNNNN] : <text>``; the exit
  code comes from ``NETSH_EMU_ERROR_EXIT`` (default 1, A-21).
* :class:`NetshLevelError` -- a problem netsh itself detects before the IPsec helper runs (unknown
  command, unknown or ambiguous tag, ...). Real netsh prints a generic message whose text is
  UNKNOWN (EXIT_AND_SCRIPTS.md §1 point 4); the texts below are INVENTED. Printed on stdout, rc 1.
* :class:`UsageError` -- a required argument is missing: the usage text of the command is printed
  (SYNTAX.md §2 "Help / missing arguments" [S2]), rc 1.

Codes 05005..05073 are the documented ones [S12][S13][S14][S17]; their texts are A-13 (only
"No Policies" [S14], the two "There are no ..." texts of the format doc and the 05050 line quoted in
REAL-WORLD.md are fixed). Every code
>= 05900 is INVENTED by this emulator for a situation no source covers (A-19); the collection must
never depend on them. The table :data:`INVENTED_CODES` is the single list of them (the README
repeats it).
"""

from __future__ import annotations

# --- documented codes -------------------------------------------------------------------------
POLICY_EXISTS = 5005            # [S12]
FILTERLIST_EXISTS = 5010        # [S12][S14]
FILTERACTION_EXISTS = 5014      # [S12][S14]
RULE_EXISTS = 5020              # [S12]
FILTERLIST_MISSING = 5049       # [S12]
FILTER_MISSING = 5050           # REAL-WORLD.md "Output evidence": one line quoted verbatim
NO_FILTERLISTS = 5067           # [S12][S13]
NO_FILTERACTIONS = 5068         # [S12][S13]
NO_POLICIES = 5072              # [S12][S13][S14]
STORE_UNAVAILABLE = 5073        # [S17]

# --- INVENTED codes: situations without a known code ----------------------------------
POLICY_MISSING = 5901
FILTERACTION_MISSING = 5902
RULE_MISSING = 5903
# 5904 was "delete filter: nothing matches" until the real 05050 line surfaced (REAL-WORLD.md); unused since
FILTERLIST_IN_USE = 5905
FILTERACTION_IN_USE = 5906
INVALID_VALUE = 5907
DOMAIN_STORE_UNSUPPORTED = 5908
IMPORT_FAILED = 5909
EXPORT_FAILED = 5910
NO_RULES = 5911
DNS_UNRESOLVED = 5912

INVENTED_CODES: dict[int, str] = {
    POLICY_MISSING: "policy (by name or GUID) does not exist",
    FILTERACTION_MISSING: "filter action (by name or GUID) does not exist",
    RULE_MISSING: "rule (by name or id) does not exist in the policy, or no rule has that name",
    FILTERLIST_IN_USE: "delete filterlist: the list is still used by a rule",
    FILTERACTION_IN_USE: "delete filteraction: the action is still used by a rule",
    INVALID_VALUE: "a parameter value is invalid (address, mask, protocol, port, integer, "
                   "yes/no, enumeration, security method, rootca, tunnel, combination)",
    DOMAIN_STORE_UNSUPPORTED: "set store location=domain, or gponame=: the domain store is not emulated",
    IMPORT_FAILED: "importpolicy: the file cannot be read or is not an emulator export",
    EXPORT_FAILED: "exportpolicy: the file cannot be written",
    NO_RULES: "show rule all: the policy has no rules",
    DNS_UNRESOLVED: "a DNS name cannot be resolved (emulator: names ending in .invalid)",
}


class NetshEmulatorError(Exception):
    """Base class of every failure the command layer reports."""


class IpsecError(NetshEmulatorError):
    """An ``ERR IPsec[NNNNN] : text`` failure."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"IPsec[{code:05d}] {text}")
        self.code = code
        self.text = text

    def line(self) -> str:
        """The stdout line, without line ending (separator `` : `` is A-13)."""
        return f"ERR IPsec[{self.code:05d}] : {self.text}"


class NetshLevelError(NetshEmulatorError):
    """A netsh shell failure (not IPsec); *text* is printed as is. Texts are INVENTED."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class UsageError(NetshEmulatorError):
    """Missing required argument(s): print the usage text of ``verb object``."""

    def __init__(self, verb: str, obj: str) -> None:
        super().__init__(f"usage: {verb} {obj}")
        self.verb = verb
        self.obj = obj


class InvalidValue(NetshEmulatorError):
    """A value failed validation; the command layer reports it as :data:`INVALID_VALUE`."""

    def __init__(self, tag: str, value: str, reason: str) -> None:
        super().__init__(f"{tag}={value}: {reason}")
        self.tag = tag
        self.value = value
        self.reason = reason

    def to_ipsec(self) -> IpsecError:
        return IpsecError(INVALID_VALUE, f'Invalid value "{self.value}" for "{self.tag}": {self.reason}.')


# --- text builders (A-13 for the documented codes, INVENTED for the others) -------------------

def policy_exists(name: str) -> IpsecError:
    return IpsecError(POLICY_EXISTS, f'Policy with name "{name}" already exists.')


def filterlist_exists(name: str) -> IpsecError:
    return IpsecError(FILTERLIST_EXISTS, f'Filter List with name "{name}" already exists.')


def filteraction_exists(name: str) -> IpsecError:
    return IpsecError(FILTERACTION_EXISTS, f'Filter Action with name "{name}" already exists.')


def rule_exists(name: str, policy: str) -> IpsecError:
    return IpsecError(RULE_EXISTS, f'Rule with name "{name}" already exists in policy "{policy}".')


def filterlist_missing(name: str) -> IpsecError:
    return IpsecError(FILTERLIST_MISSING, f'Filter List "{name}" does not exist.')


def no_filterlists() -> IpsecError:
    return IpsecError(NO_FILTERLISTS, "There are no filter lists in the Policy Store.")


def no_filteractions() -> IpsecError:
    return IpsecError(NO_FILTERACTIONS, "There are no filter actions in the Policy Store.")


def no_policies() -> IpsecError:
    return IpsecError(NO_POLICIES, "No Policies in Policy Store.")


def store_unavailable() -> IpsecError:
    return IpsecError(STORE_UNAVAILABLE, "The Policy Store cannot be opened.")


def policy_missing(name: str) -> IpsecError:
    return IpsecError(POLICY_MISSING, f'Policy "{name}" does not exist.')


def filteraction_missing(name: str) -> IpsecError:
    return IpsecError(FILTERACTION_MISSING, f'Filter Action "{name}" does not exist.')


def rule_missing(name: str, policy: str | None) -> IpsecError:
    where = f' in policy "{policy}"' if policy is not None else ""
    return IpsecError(RULE_MISSING, f'Rule "{name}" does not exist{where}.')


def filter_missing(filterlist: str) -> IpsecError:
    # The one IPsec error line quoted verbatim by a user (Windows Server 2016 / Windows 10, REAL-WORLD.md).
    return IpsecError(FILTER_MISSING, f"Filter with the specified spec does not exist in FilterList with name '{filterlist}'.")


def filterlist_in_use(name: str, rule: str, policy: str) -> IpsecError:
    return IpsecError(FILTERLIST_IN_USE,
                      f'Filter List "{name}" is used by rule "{rule}" of policy "{policy}".')


def filteraction_in_use(name: str, rule: str, policy: str) -> IpsecError:
    return IpsecError(FILTERACTION_IN_USE,
                      f'Filter Action "{name}" is used by rule "{rule}" of policy "{policy}".')


def domain_store_unsupported() -> IpsecError:
    return IpsecError(DOMAIN_STORE_UNSUPPORTED, "The domain policy store is not supported by this emulator.")


def import_failed(path: str, why: str) -> IpsecError:
    return IpsecError(IMPORT_FAILED, f'Cannot import from "{path}": {why}.')


def export_failed(path: str, why: str) -> IpsecError:
    return IpsecError(EXPORT_FAILED, f'Cannot export to "{path}": {why}.')


def no_rules(policy: str) -> IpsecError:
    return IpsecError(NO_RULES, f'Policy "{policy}" has no rules.')


def dns_unresolved(tag: str, name: str) -> IpsecError:
    return IpsecError(DNS_UNRESOLVED, f'The DNS name "{name}" given for "{tag}" cannot be resolved.')


# --- netsh-level texts (INVENTED except where noted) --------------------------------------------

def command_not_found(words: list[str]) -> NetshLevelError:
    # Modelled on the generic netsh message "The following command was not found: ..." (general
    # knowledge of netsh, not backed by a source in the reference set).
    return NetshLevelError(f"The following command was not found: {' '.join(words)}.")


def ambiguous_keyword(word: str, choices: list[str]) -> NetshLevelError:
    return NetshLevelError(f'The command "{word}" is ambiguous; it matches: {", ".join(choices)}.')


def unknown_tag(tag: str, command: str) -> NetshLevelError:
    return NetshLevelError(f'The tag "{tag}" is not valid for "{command}".')


def ambiguous_tag(tag: str, command: str, choices: list[str]) -> NetshLevelError:
    return NetshLevelError(f'The tag "{tag}" is ambiguous for "{command}"; it matches: {", ".join(choices)}.')


def duplicate_tag(tag: str, command: str) -> NetshLevelError:
    return NetshLevelError(f'The tag "{tag}" is given more than once for "{command}".')


def misplaced_value(value: str, command: str) -> NetshLevelError:
    return NetshLevelError(f'The value "{value}" cannot be placed positionally in "{command}".')


def not_emulated(what: str) -> NetshLevelError:
    return NetshLevelError(f"{what} is not supported by the netsh emulator.")
