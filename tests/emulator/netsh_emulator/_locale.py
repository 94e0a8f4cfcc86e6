"""Emulator settings from the environment, display language, code page and date format.

Environment (all optional except ``NETSH_EMU_STATE`` for commands that touch the store):

=========================== ===================================================================
``NETSH_EMU_STATE``         path of the JSON store file (required; missing file = empty store)
``NETSH_EMU_LANG``          ``en-US`` (default) or ``zh-CN`` (format doc §7)
``NETSH_EMU_CODEPAGE``      OEM code page of stdout; default 437 (en-US) / 936 (zh-CN); 65001 = UTF-8
``NETSH_EMU_COMPUTERNAME``  computer name in ``Local Store <NAME>`` (default ``WIN-EMULATED``)
``NETSH_EMU_DATE_STYLE``    ``en-US`` (default, ``4/21/2021 6:47:44 PM``), ``en-GB``
                            (``21/04/2021 18:47:44``) or ``zh-CN`` (``2021/4/21 18:47:44``)
``NETSH_EMU_NOW``           fixed ``YYYY-MM-DDTHH:MM:SS`` used as "now" (deterministic tests)
``NETSH_EMU_GUID_MODE``     ``random`` (default, uuid4) or ``sequential`` (counter in the store)
``NETSH_EMU_ERROR_EXIT``    exit code after an ``ERR IPsec[`` line (default 1, A-21)
``NETSH_EMU_SUCCESS_TEXT``  line printed after a successful add/set/delete/... (default: nothing)
``NETSH_EMU_STORE_UNAVAILABLE`` when non-empty, every store access fails with IPsec[05073]
``NETSH_EMU_FAIL_ON``       fault injection: a store-changing command containing this text fails
``NETSH_EMU_FAIL_COUNTER``  file counting store-changing commands (see ``_faults``)
``NETSH_EMU_FAIL_AT``       ``n`` or ``n1,n2,...``: the store-changing commands with these counts fail
``NETSH_EMU_HANG_AT``       ``n`` or ``n1,n2,...``: these counts hang, then cut the run off
``NETSH_EMU_HANG_SECONDS``  how long such a command hangs (default 30)
``NETSH_EMU_HANG_MARKER``   file created when a command starts to hang
=========================== ===================================================================

An invalid setting raises :class:`ConfigError` (the caller prints it on stderr, rc 2): it is a
test-harness mistake, not something netsh would report.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import math
from dataclasses import dataclass
from typing import Mapping


class ConfigError(Exception):
    """The emulator's environment is unusable."""


@dataclass(frozen=True)
class Settings:
    lang: str = "en-US"
    codepage: int = 437
    computername: str = "WIN-EMULATED"
    date_style: str = "en-US"
    now: str | None = None
    guid_mode: str = "random"
    error_exit: int = 1
    success_text: str | None = None
    state_path: str | None = None
    store_unavailable: bool = False
    fail_on: str = ""
    fail_counter: str | None = None
    fail_at: frozenset[int] = frozenset()
    hang_at: frozenset[int] = frozenset()
    hang_seconds: float = 30.0
    hang_marker: str | None = None

    @property
    def encoding(self) -> str:
        return codec_for(self.codepage)

    @property
    def zh(self) -> bool:
        return self.lang == "zh-CN"


#: Default OEM code page per display language (A-20; EXIT_AND_SCRIPTS.md §5 [S12][S15]).
DEFAULT_CODEPAGE = {"en-US": 437, "zh-CN": 936}


def codec_for(codepage: int) -> str:
    """Python codec name for a Windows code page number (65001 = UTF-8)."""
    name = "utf-8" if codepage == 65001 else f"cp{codepage}"
    try:
        codecs.lookup(name)
    except LookupError as exc:
        raise ConfigError(f"NETSH_EMU_CODEPAGE={codepage}: no such code page") from exc
    return name


def _int(env: Mapping[str, str], key: str, default: int) -> int:
    raw = env.get(key, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{key}={raw!r}: expected an integer") from exc


def _counts(env: Mapping[str, str], key: str) -> frozenset[int]:
    """``n`` or ``n1,n2,...`` (each a decimal integer >= 1) as a set; unset or empty is the empty set."""
    raw = env.get(key, "")
    if raw.strip() == "":
        return frozenset()
    parts = [part.strip() for part in raw.split(",")]
    if not all(part.isascii() and part.isdecimal() and int(part) >= 1 for part in parts):
        raise ConfigError(f"{key}={raw!r}: expected a count >= 1 or a comma-separated list of them")
    return frozenset(int(part) for part in parts)


def _seconds(env: Mapping[str, str], key: str, default: float) -> float:
    """A finite number of seconds >= 0 (``0.5`` allowed); unset or empty is *default*."""
    raw = env.get(key, "")
    if raw == "":
        return default
    problem = f"{key}={raw!r}: expected a number of seconds >= 0"
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(problem) from exc
    if not (math.isfinite(value) and value >= 0):
        raise ConfigError(problem)
    return value


def _fault_counter(env: Mapping[str, str], fail_at: frozenset[int], hang_at: frozenset[int]) -> str | None:
    """``NETSH_EMU_FAIL_COUNTER``; required as soon as a count is to fail or hang."""
    counter = env.get("NETSH_EMU_FAIL_COUNTER") or None
    for key, counts in (("NETSH_EMU_FAIL_AT", fail_at), ("NETSH_EMU_HANG_AT", hang_at)):
        if counts and counter is None:
            raise ConfigError(f"{key} needs NETSH_EMU_FAIL_COUNTER (the file that counts store-changing commands)")
    return counter


def settings_from_env(env: Mapping[str, str]) -> Settings:
    lang = env.get("NETSH_EMU_LANG", "") or "en-US"
    if lang not in DEFAULT_CODEPAGE:
        raise ConfigError(f"NETSH_EMU_LANG={lang!r}: supported are en-US and zh-CN")
    codepage = _int(env, "NETSH_EMU_CODEPAGE", DEFAULT_CODEPAGE[lang])
    codec_for(codepage)
    date_style = env.get("NETSH_EMU_DATE_STYLE", "") or "en-US"
    if date_style not in ("en-US", "en-GB", "zh-CN"):
        raise ConfigError(f"NETSH_EMU_DATE_STYLE={date_style!r}: supported are en-US, en-GB, zh-CN")
    now = env.get("NETSH_EMU_NOW") or None
    if now is not None:
        try:
            _dt.datetime.strptime(now, "%Y-%m-%dT%H:%M:%S")
        except ValueError as exc:
            raise ConfigError(f"NETSH_EMU_NOW={now!r}: expected YYYY-MM-DDTHH:MM:SS") from exc
    guid_mode = env.get("NETSH_EMU_GUID_MODE", "") or "random"
    if guid_mode not in ("random", "sequential"):
        raise ConfigError(f"NETSH_EMU_GUID_MODE={guid_mode!r}: supported are random and sequential")
    fail_at, hang_at = _counts(env, "NETSH_EMU_FAIL_AT"), _counts(env, "NETSH_EMU_HANG_AT")
    return Settings(
        lang=lang,
        codepage=codepage,
        computername=env.get("NETSH_EMU_COMPUTERNAME", "") or "WIN-EMULATED",
        date_style=date_style,
        now=now,
        guid_mode=guid_mode,
        error_exit=_int(env, "NETSH_EMU_ERROR_EXIT", 1),
        success_text=env.get("NETSH_EMU_SUCCESS_TEXT") or None,
        state_path=env.get("NETSH_EMU_STATE") or None,
        store_unavailable=bool(env.get("NETSH_EMU_STORE_UNAVAILABLE")),
        fail_on=env.get("NETSH_EMU_FAIL_ON", ""),
        fail_counter=_fault_counter(env, fail_at, hang_at),
        fail_at=fail_at,
        hang_at=hang_at,
        hang_seconds=_seconds(env, "NETSH_EMU_HANG_SECONDS", 30.0),
        hang_marker=env.get("NETSH_EMU_HANG_MARKER") or None,
    )


def now_text(settings: Settings) -> str:
    """The current local time as stored in ``modified`` fields."""
    if settings.now:
        return settings.now
    return _dt.datetime.now().replace(microsecond=0).isoformat()


def format_date(settings: Settings, stamp: str) -> str:
    """``Last Modified`` value in the configured user-locale style (format doc §2 [S6])."""
    when = _dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S")
    if settings.date_style == "en-GB":
        return when.strftime("%d/%m/%Y %H:%M:%S")
    if settings.date_style == "zh-CN":
        return f"{when.year}/{when.month}/{when.day} {when.hour}:{when.minute:02d}:{when.second:02d}"
    hour12 = when.hour % 12 or 12
    ampm = "AM" if when.hour < 12 else "PM"
    return f"{when.month}/{when.day}/{when.year} {hour12}:{when.minute:02d}:{when.second:02d} {ampm}"


# --- zh-CN labels and fixed values (format doc §7; SYNTAX.md §7.1 [S15][S16]) ------------------
# Only these are known; every other label and value stays English in zh-CN output (emulator
# choice, documented in the README).
ZH_LABELS = {
    "FilterList Name": "筛选器列表名称",
    "Description": "描述",
    "Mirrored": "已镜像",
    "Source IP Address": "源 IP 地址",
    "Source Mask": "源掩码",
    "Source DNS Name": "源 DNS 名称",
    "Destination IP Address": "目标 IP 地址",
    "Destination Mask": "目标掩码",
    "Destination DNS Name": "目标 DNS 名称",
    "Protocol": "协议",
    "Source Port": "源端口",
    "Destination Port": "目标端口",
    "Assigned": "已分配",
}
ZH_VALUES = {
    "YES": "是",
    "NO": "否",
    "NONE": "无",
    "ANY": "任何",
    "<Any IP Address>": "<任何 IP 地址>",
    "<My IP Address>": "<我的 IP 地址>",
}


def label(settings: Settings, text: str) -> str:
    return ZH_LABELS.get(text, text) if settings.zh else text


def fixed(settings: Settings, text: str) -> str:
    """Translate a fixed value (YES, NO, NONE, ANY, <Any IP Address>, <My IP Address>)."""
    return ZH_VALUES.get(text, text) if settings.zh else text
