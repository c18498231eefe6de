"""Every ``FPA_*`` environment setting, declared once: its name, default, meaning (Chinese and
English) and who reads it, with one typed accessor each.

The accessors read the environment when called, never at import: a server picks up a changed
users file or proxy list on the next run, and tests set variables with ``monkeypatch``. Each
accepts an optional mapping in place of ``os.environ`` (the auth tests pass one). A value that
cannot be parsed raises :class:`SettingError`, whose message names the variable and the value.

README.md's "设置 / Settings" table lists the same names and defaults
(``tests/unit/test_settings.py`` checks both ways, and that nothing else reads an ``FPA_`` name
from the environment).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

# the project folder: FPA_DATA_DIR's default (the bundled data/) is relative to it, not to the
# current directory, so a command run from elsewhere still finds the bundled data
PROJECT_DIR: Final = Path(__file__).resolve().parent.parent

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class SettingError(ValueError):
    """An environment setting whose value cannot be used: the message names both."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as written in the environment; "" = unset, and ``unset`` says what that means
    zh: str  # one line: what it sets
    en: str
    readers: tuple[str, ...]  # the modules that read it (through this module)
    unset: str = ""  # what an unset variable means, when the default is not a value

    def raw(self, env: Mapping[str, str] | None = None) -> str:
        """The variable's text, stripped; "" when unset or blank."""
        return (os.environ if env is None else env).get(self.name, "").strip()

    def shown_default(self) -> str:
        """The default as the README table shows it."""
        return f"`{self.default}`" if self.default else f"(unset: {self.unset})"


DATA_DIR: Final = Setting(
    "FPA_DATA_DIR",
    "data/",
    "数据目录（已发布的各个版本、审计日志、报送状态库）；默认是随程序附带的 data/",
    "the data root (published versions, audit log, reporting store); default the bundled data/",
    ("analytics/db.py", "every command line's --data-dir default"),
)
USERS_FILE: Final = Setting(
    "FPA_USERS_FILE",
    "",
    "用户文件（须在数据目录之外）；未设置时为本机试用模式",
    "the users file (outside the data root); unset: the local demo mode, no sign-in",
    ("analytics/auth/users.py", "ui/auth.py", "views/users.py", "analytics/auth/cli.py", "analytics/reporting/cli.py"),
    unset="local demo mode",
)
TRUSTED_PROXIES: Final = Setting(
    "FPA_TRUSTED_PROXIES",
    "",
    "可信反向代理的地址或网段，逗号分隔；只信任它们转来的 X-Forwarded-For",
    "reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed",
    ("analytics/auth/clients.py", "ui/auth.py", "deploy/__main__.py"),
    unset="none",
)
ALLOW_OPEN_DEMO: Final = Setting(
    "FPA_ALLOW_OPEN_DEMO",
    "",
    "设为 1 时，试用模式也向其他机器开放（仅限演示）",
    "1: the local demo mode serves other machines too (a demonstration only)",
    ("analytics/auth/clients.py", "ui/auth.py"),
    unset="off",
)
SESSION_IDLE_MINUTES: Final = Setting(
    "FPA_SESSION_IDLE_MINUTES",
    "30",
    "登录后无操作多少分钟即退出",
    "minutes without activity that end a session",
    ("analytics/auth/sessions.py",),
)
SESSION_MAX_HOURS: Final = Setting(
    "FPA_SESSION_MAX_HOURS",
    "12",
    "登录满多少小时即退出",
    "hours after sign-in that end a session",
    ("analytics/auth/sessions.py",),
)
REPORTING_DB: Final = Setting(
    "FPA_REPORTING_DB",
    "",
    "月报状态库的地址（postgresql://…）；默认是数据目录旁的 SQLite 文件",
    "the reporting store's URL (postgresql://…); default a SQLite file in the data root",
    ("analytics/reporting/store.py",),
    unset="SQLite file reporting.sqlite3 in the data root",
)
REPORTING_DEADLINE_DAY: Final = Setting(
    "FPA_REPORTING_DEADLINE_DAY",
    "5",
    "月报截止日：次月几日（1-28）",
    "the day of the following month a month's report is due (1-28)",
    ("analytics/reporting/cycle.py",),
)
DUCKDB_MEMORY: Final = Setting(
    "FPA_DUCKDB_MEMORY",
    "",
    "DuckDB 内存上限（如 1GB），超出时写临时文件",
    "a cap on DuckDB's memory (e.g. 1GB); above it DuckDB spills to disk",
    ("analytics/db.py",),
    unset="DuckDB's own limit",
)
CHROMIUM: Final = Setting(
    "FPA_CHROMIUM",
    "/usr/bin/chromium",
    "会议材料用来画图和打印 PDF 的 Chromium",
    "the Chromium the meeting pack draws its charts and prints its PDF with",
    ("ui/briefing/browser.py",),
)
PUBLISH_PAUSE: Final = Setting(
    "FPA_PUBLISH_PAUSE",
    "0",
    "仅供测试：发布时写完文件后暂停的秒数（生产环境不要设置）",
    "tests only: seconds a publish pauses before switching versions (never in production)",
    ("analytics/publish.py",),
)
TEST_POSTGRES_URL: Final = Setting(
    "FPA_TEST_POSTGRES_URL",
    "",
    "仅供测试：月报状态库的 PostgreSQL 测试服务器",
    "tests only: the PostgreSQL server the reporting store's tests run on",
    ("tests/reporting_support.py", ".ci/run"),
    unset="the PostgreSQL half skips",
)

ALL: Final = (
    DATA_DIR,
    USERS_FILE,
    TRUSTED_PROXIES,
    ALLOW_OPEN_DEMO,
    SESSION_IDLE_MINUTES,
    SESSION_MAX_HOURS,
    REPORTING_DB,
    REPORTING_DEADLINE_DAY,
    DUCKDB_MEMORY,
    CHROMIUM,
    PUBLISH_PAUSE,
    TEST_POSTGRES_URL,
)


# --------------------------------------------------------------------------- parsing


def _number(setting: Setting, env: Mapping[str, str] | None, *, positive: bool) -> float:
    value = setting.raw(env) or setting.default
    try:
        number = float(value)
    except ValueError:
        raise SettingError(f"{setting.name}: {value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):  # nan, inf: not a duration
        raise SettingError(f"{setting.name}: {value!r} is not a number")
    if positive and number <= 0:
        raise SettingError(f"{setting.name} must be positive, not {value!r}")
    if number < 0:
        raise SettingError(f"{setting.name} must not be negative, not {value!r}")
    return number


def _path(setting: Setting, env: Mapping[str, str] | None) -> Path | None:
    value = setting.raw(env)
    return Path(value).expanduser().resolve() if value else None


# --------------------------------------------------------------------------- accessors


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The data root: ``FPA_DATA_DIR`` when set, else the bundled ``data/``."""
    return _path(DATA_DIR, env) or PROJECT_DIR / DATA_DIR.default.rstrip("/")


def users_file(env: Mapping[str, str] | None = None) -> Path | None:
    """The users file, or None (the local demo mode)."""
    return _path(USERS_FILE, env)


def trusted_proxies(env: Mapping[str, str] | None = None) -> tuple[Network, ...]:
    """The trusted reverse proxies: addresses or networks separated by commas (``127.0.0.1,::1``,
    ``10.0.0.0/24``, ``[fd00::1]``). Unset: none."""
    out: list[Network] = []
    for entry in (e.strip() for e in TRUSTED_PROXIES.raw(env).split(",")):
        if not entry:
            continue
        try:
            out.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            raise SettingError(
                f"{TRUSTED_PROXIES.name}: {entry!r} is not an IP address or network (e.g. 127.0.0.1,::1 or 10.0.0.0/24)"
            ) from None
    return tuple(out)


def allow_open_demo(env: Mapping[str, str] | None = None) -> bool:
    """Exactly "1" opens the demo mode to other machines; anything else (``true`` included) does
    not: a security switch fails closed rather than guessing what a word means."""
    return ALLOW_OPEN_DEMO.raw(env) == "1"


def session_idle_minutes(env: Mapping[str, str] | None = None) -> float:
    return _number(SESSION_IDLE_MINUTES, env, positive=True)


def session_max_hours(env: Mapping[str, str] | None = None) -> float:
    return _number(SESSION_MAX_HOURS, env, positive=True)


def reporting_db(env: Mapping[str, str] | None = None) -> str | None:
    """The reporting store's URL when set (None: the SQLite file in the data root)."""
    return REPORTING_DB.raw(env) or None


def reporting_deadline_day(env: Mapping[str, str] | None = None) -> int:
    """The day of the following month a month's report is due: 1-28, so every month has it."""
    value = REPORTING_DEADLINE_DAY.raw(env) or REPORTING_DEADLINE_DAY.default
    try:
        day = int(value)
    except ValueError:
        day = 0  # not a whole number: the same message as a day out of range
    if not 1 <= day <= 28:
        raise SettingError(f"{REPORTING_DEADLINE_DAY.name} must be a day 1-28 (every month has it), not {value!r}")
    return day


# a size as DuckDB's memory_limit takes it: a number and a unit (1GB, 512MB, 1.5GiB)
_SIZE = re.compile(r"\d+(\.\d+)?\s*([KMGT]i?)?B", re.IGNORECASE)


def duckdb_memory(env: Mapping[str, str] | None = None) -> str | None:
    """DuckDB's memory cap (``1GB``), or None for DuckDB's own limit."""
    value = DUCKDB_MEMORY.raw(env)
    if value and not _SIZE.fullmatch(value):
        raise SettingError(f"{DUCKDB_MEMORY.name}: {value!r} is not a size such as 1GB or 512MB")
    return value or None


def chromium(env: Mapping[str, str] | None = None) -> Path:
    return Path(CHROMIUM.raw(env) or CHROMIUM.default)


def publish_pause(env: Mapping[str, str] | None = None) -> float:
    """Seconds a publish pauses before putting a version in force (a test seam; 0 in production)."""
    return _number(PUBLISH_PAUSE, env, positive=False)


def postgres_test_url(env: Mapping[str, str] | None = None) -> str | None:
    return TEST_POSTGRES_URL.raw(env) or None
