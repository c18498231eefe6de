"""The FPA_* settings exist once (analytics/settings.py, issue 19): nothing else reads one from the
environment, the README's table names each with the declared default, no document states another
default, and each accessor parses (or refuses, naming the variable and the value) at call time.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from analytics import db, settings
from analytics.auth import AuthError, session_settings, trusted_proxies
from analytics.reporting import cycle
from ui.briefing import browser

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("analytics", "views", "ui", "pages", "deploy", "app.py")
OWNER = ROOT / "analytics" / "settings.py"
NOT_SETTINGS = {"FPA_REPLICA"}  # deploy/haproxy.py: a cookie name, not an environment variable
DECLARED = {s.name: s for s in settings.ALL}


def _product_files() -> list[Path]:
    out: list[Path] = []
    for entry in PRODUCT:
        path = ROOT / entry
        out += [path] if path.is_file() else sorted(path.rglob("*.py"))
    return [p for p in out if p != OWNER]


# ------------------------------------------------------------------ (1) one reader: the scan


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level NAME = "text" (annotated or not): how a key written as a name is resolved."""
    out: dict[str, str] = {}
    for node in tree.body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
            out[target.id] = value.value
    return out


def _is_os_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and _dotted(node.value) == "os"


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return "?"


def environment_reads(source: str) -> list[str]:
    """Where ``source`` reads an FPA_ variable (or an environment key it cannot name) itself.

    Flagged: any ``.get/.pop/.setdefault/.getenv(key)``, ``[key]`` read or ``key in …`` whose key
    is an ``FPA_`` string (written out or through a module constant) or a declaration's ``.name``
    (``settings.X.name``), on any mapping (``(os.environ if env is None else env).get(…)`` too);
    and any read of ``os.environ``/``os.getenv`` whose key is not a constant string. Building an
    environment for a child process (``{**os.environ, "FPA_DATA_DIR": …}``) is not a read."""
    tree = ast.parse(source)
    constants = _constants(tree)
    found: list[str] = []

    def key_of(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and node.id in constants:
            return constants[node.id]
        return None

    def check(key: ast.AST, on_os: bool, line: int) -> None:
        text = key_of(key)
        via_declaration = isinstance(key, ast.Attribute) and key.attr == "name" and "settings." in _dotted(key)
        if (text is not None and text.startswith("FPA_")) or via_declaration:
            found.append(f"line {line}: {ast.unparse(key)}")
        elif on_os and text is None:
            found.append(f"line {line}: os.environ[{ast.unparse(key)}] (not a constant: cannot tell)")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            if node.func.attr in ("get", "pop", "setdefault"):
                check(node.args[0], _is_os_environ(node.func.value), node.lineno)
            elif node.func.attr == "getenv" and _dotted(node.func.value) == "os":
                check(node.args[0], True, node.lineno)
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            check(node.slice, _is_os_environ(node.value), node.lineno)
        elif isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
            for comparator in node.comparators:
                if _is_os_environ(comparator):
                    check(node.left, True, node.lineno)
    return found


def test_the_scan_finds_each_way_of_reading_a_variable() -> None:
    # the scan itself, on code written to be caught or not: a scan that finds nothing proves nothing
    caught = {
        'os.environ.get("FPA_DATA_DIR")': 1,
        'os.getenv("FPA_X", "1")': 1,
        'x = os.environ["FPA_X"]': 1,
        'NAME = "FPA_X"\nos.environ.get(NAME, "")': 1,
        'NAME: Final = "FPA_X"\n(os.environ if env is None else env).get(NAME, "")': 1,
        'env.get("FPA_X")': 1,
        'if "FPA_X" in os.environ: pass': 1,
        "os.environ.get(settings.USERS_FILE.name)": 1,
        "os.environ.get(key)": 1,  # a key the scan cannot resolve is not trusted
    }
    for code, n in caught.items():
        assert len(environment_reads(code)) == n, code
    for code in (
        'os.environ.get("PATH", "/usr/bin")',
        'env = {**os.environ, "FPA_DATA_DIR": "/tmp/x"}',
        'os.environ["FPA_DATA_DIR"] = "/tmp/x"',  # a write (a benchmark's child process)
        'STICKY = "FPA_REPLICA"',
        "settings.users_file()",
    ):
        assert environment_reads(code) == [], code


def test_no_product_code_reads_an_fpa_variable_but_the_settings_module() -> None:
    files = _product_files()
    assert len(files) > 50 and ROOT / "analytics" / "db.py" in files
    reads = {
        str(p.relative_to(ROOT)): found for p in files if (found := environment_reads(p.read_text(encoding="utf-8")))
    }
    assert reads == {}


def test_every_fpa_name_in_the_code_is_declared() -> None:
    named: set[str] = set()
    for path in _product_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                named |= set(re.findall(r"\bFPA_[A-Z][A-Z0-9_]*\b", node.value))
    assert "FPA_DATA_DIR" in named  # the scan reads docstrings and messages, where most names appear
    assert named - NOT_SETTINGS - set(DECLARED) == set()


def test_each_variable_is_declared_once() -> None:
    names = [s.name for s in settings.ALL]
    assert len(names) == len(set(names)) == 12
    for s in settings.ALL:
        assert s.name.startswith("FPA_") and s.zh and s.en and s.readers, s.name
        assert s.default or s.unset, f"{s.name}: an unset variable must say what unset means"


# ------------------------------------------------------------------ (2) the README and the documents


def _readme_table() -> dict[str, tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## 设置 / Settings", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 3 and cells[0].startswith("`FPA_"):
            assert cells[0].strip("`") not in rows, f"{cells[0]} twice in the README table"
            rows[cells[0].strip("`")] = (cells[1], cells[2].replace("\\|", "|"))
    return rows


def test_the_readme_table_lists_every_variable_with_its_default() -> None:
    table = _readme_table()
    assert set(table) == set(DECLARED)
    assert table["FPA_REPORTING_DEADLINE_DAY"][0] == "`5`"  # written by hand: the rule is day 5
    assert table["FPA_USERS_FILE"][0] == "(unset: local demo mode)"
    for name, (default, meaning) in table.items():
        s = DECLARED[name]
        assert default == s.shown_default(), name
        assert meaning == f"{s.zh} / {s.en}", name


_DEFAULT_WORD = re.compile(r"(default|默认)", re.IGNORECASE)


def stated_defaults(text: str, name: str, *, wrapped: bool = True) -> list[str]:
    """What a document says the default of ``name`` is: after each mention, within the sentence
    (across a wrapped line when ``wrapped``: prose, not code) and before another FPA_ name, the
    words following "default"/"默认" up to a closing mark."""
    out: list[str] = []
    for mention in re.finditer(rf"\b{name}\b", text):
        rest = text[mention.end() : mention.end() + 200].split("\n\n" if wrapped else "\n", 1)[0]
        rest = " ".join(rest.split())
        rest = re.split(r"\bFPA_[A-Z]|[.。](?:\s|$)", rest, maxsplit=1)[0]
        word = _DEFAULT_WORD.search(rest)
        if word:
            out.append(re.split(r"[)）;；,，]", rest[word.end() :], maxsplit=1)[0].replace("`", "").strip(" :：是"))
    return out


def _says(stated: str, default: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(default)}(?![\w.])", stated) is not None or (
        default.endswith("/") and default in stated
    )


def test_the_document_check_catches_another_default() -> None:
    assert stated_defaults("`FPA_REPORTING_DEADLINE_DAY`，默认 10，与", "FPA_REPORTING_DEADLINE_DAY") == ["10"]
    assert not _says("10", "5") and _says("5", "5") and not _says("15", "5")
    assert _says("the bundled data/", "data/") and not _says("/srv/data", "/usr/bin/chromium")
    # a default stated for the next name on the line is that name's
    assert (
        stated_defaults("FPA_SESSION_IDLE_MINUTES and FPA_SESSION_MAX_HOURS (default 12)", "FPA_SESSION_IDLE_MINUTES")
        == []
    )


def test_no_document_states_another_default() -> None:
    places = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *_product_files()]
    checked = 0
    for path in places:
        text = path.read_text(encoding="utf-8")
        for s in settings.ALL:
            if not s.default:
                continue  # an unset variable's meaning is words, compared in the README table above
            for stated in stated_defaults(text, s.name, wrapped=path.suffix == ".md"):
                checked += 1
                assert _says(stated, s.default), (
                    f"{path.relative_to(ROOT)}: {s.name} default {stated!r}, not {s.default}"
                )
    assert checked >= 4  # README, docs/plan.md, docs/reporting.md (twice) state defaults today


# ------------------------------------------------------------------ (3) parsing, by hand


def test_the_deadline_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FPA_REPORTING_DEADLINE_DAY", raising=False)
    assert cycle.deadline_day() == 5
    monkeypatch.setenv("FPA_REPORTING_DEADLINE_DAY", " 28 ")  # read at call time, after the import
    assert cycle.deadline_day() == 28
    for bad in ("29", "0", "ten", "5.5"):
        monkeypatch.setenv("FPA_REPORTING_DEADLINE_DAY", bad)
        with pytest.raises(ValueError, match=rf"^FPA_REPORTING_DEADLINE_DAY must be a day 1-28 .*not '{bad}'$"):
            cycle.deadline_day()


def test_session_limits() -> None:
    assert settings.session_idle_minutes({}) == 30 and settings.session_max_hours({}) == 12
    assert settings.session_idle_minutes({"FPA_SESSION_IDLE_MINUTES": "0.5"}) == 0.5
    with pytest.raises(settings.SettingError, match=r"^FPA_SESSION_MAX_HOURS: 'twelve' is not a number$"):
        settings.session_max_hours({"FPA_SESSION_MAX_HOURS": "twelve"})
    with pytest.raises(settings.SettingError, match=r"^FPA_SESSION_IDLE_MINUTES must be positive, not '-1'$"):
        settings.session_idle_minutes({"FPA_SESSION_IDLE_MINUTES": "-1"})
    with pytest.raises(settings.SettingError, match="not a number"):
        settings.session_idle_minutes({"FPA_SESSION_IDLE_MINUTES": "nan"})
    # the auth layer's error: the app shows the message and no pages
    with pytest.raises(AuthError, match=r"^FPA_SESSION_MAX_HOURS: 'twelve' is not a number$"):
        session_settings({"FPA_SESSION_MAX_HOURS": "twelve"})


def test_proxies_demo_and_users_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert settings.trusted_proxies({}) == ()
    assert [str(n) for n in settings.trusted_proxies({"FPA_TRUSTED_PROXIES": "10.0.0.1, [::1],"})] == [
        "10.0.0.1/32",
        "::1/128",
    ]
    with pytest.raises(AuthError, match=r"^FPA_TRUSTED_PROXIES: 'nginx' is not an IP address or network"):
        trusted_proxies({"FPA_TRUSTED_PROXIES": "127.0.0.1,nginx"})
    assert [settings.allow_open_demo({"FPA_ALLOW_OPEN_DEMO": v}) for v in ("1", " 1 ", "yes", "0", "")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    monkeypatch.setenv("FPA_USERS_FILE", str(tmp_path / "u.json"))
    assert settings.users_file() == tmp_path / "u.json"
    monkeypatch.setenv("FPA_USERS_FILE", " ")
    assert settings.users_file() is None


def test_data_root_memory_chromium_and_pause(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FPA_DATA_DIR", raising=False)
    assert db.data_dir_from_env() == ROOT / "data"
    monkeypatch.setenv("FPA_DATA_DIR", str(tmp_path))
    assert db.data_dir_from_env() == tmp_path
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("FPA_DATA_DIR", "~/fpa")
    assert db.data_dir_from_env() == tmp_path / "fpa"

    assert settings.duckdb_memory({}) is None
    assert [settings.duckdb_memory({"FPA_DUCKDB_MEMORY": v}) for v in ("1GB", "512 MB", "1.5GiB")] == [
        "1GB",
        "512 MB",
        "1.5GiB",
    ]
    with pytest.raises(settings.SettingError, match=r"^FPA_DUCKDB_MEMORY: 'lots' is not a size"):
        settings.duckdb_memory({"FPA_DUCKDB_MEMORY": "lots"})

    monkeypatch.delenv("FPA_CHROMIUM", raising=False)
    assert browser.chromium() == Path("/usr/bin/chromium")
    monkeypatch.setenv("FPA_CHROMIUM", "/opt/chrome/chrome")
    assert browser.chromium() == Path("/opt/chrome/chrome")

    assert settings.publish_pause({}) == 0 and settings.publish_pause({"FPA_PUBLISH_PAUSE": "60"}) == 60
    with pytest.raises(settings.SettingError, match=r"^FPA_PUBLISH_PAUSE must not be negative, not '-1'$"):
        settings.publish_pause({"FPA_PUBLISH_PAUSE": "-1"})
