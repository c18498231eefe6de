"""The catalog keys the code can ask for, read from its source (tests/app/test_i18n.py uses it).

A literal key is a string constant of the form ``<namespace>.<name>`` whose namespace is one of
the catalogs' (``status``, ``home`` …). An f-string key (``f"status.{s}"``) becomes its
template (``status.{s}``) and the values its placeholder can take: read from the code when the
f-string sits in a comprehension or loop over a tuple of strings, a module constant or an
imported constant (``for c in training.CATEGORIES``); otherwise the test names them.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# where the code asks for visible text: the app, the pages, the Streamlit side (the meeting pack
# in ui/briefing included) and the view models
SOURCES = ("app.py", "pages/*.py", "ui/**/*.py", "views/*.py")
LITERAL = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
FILE_SUFFIXES = (".py", ".json", ".sql", ".csv", ".png", ".pptx", ".pdf", ".parquet", ".toml")


@dataclass(frozen=True)
class Site:
    path: str  # relative to the repository
    line: int
    template: str  # status.{s}; a literal key has no placeholder
    values: tuple[str, ...] | None  # the placeholder's values when the code tells; None otherwise


def source_files() -> list[Path]:
    return sorted({p for pattern in SOURCES for p in ROOT.glob(pattern)})


def _template(node: ast.JoinedStr) -> str:
    return "".join(
        str(v.value) if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"
        for v in node.values
        if isinstance(v, ast.Constant | ast.FormattedValue)
    )


def _strings(value: object) -> tuple[str, ...] | None:
    """A tuple, list, set or mapping of strings as the strings it iterates over."""
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        return None
    items = tuple(value)  # type: ignore[call-overload]
    return items if items and all(isinstance(i, str) for i in items) else None


class _Module:
    """One source file: its module-level constants and imports, to resolve a loop's iterable."""

    def __init__(self, tree: ast.Module) -> None:
        self.assigned: dict[str, ast.expr] = {}
        self.imported: dict[str, tuple[str, str | None]] = {}  # name -> (module, attribute or None)
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.assigned[target.id] = node.value
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    self.imported[alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.imported[alias.asname or alias.name] = (alias.name, None)

    def values(self, expr: ast.expr) -> tuple[str, ...] | None:
        if isinstance(expr, ast.Tuple | ast.List | ast.Set):
            found = [e.value for e in expr.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            return tuple(found) if len(found) == len(expr.elts) and found else None
        if isinstance(expr, ast.Name):
            if expr.id in self.assigned:
                return self.values(self.assigned[expr.id])
            if expr.id in self.imported:
                module, attr = self.imported[expr.id]
                if attr is not None:
                    try:
                        return _strings(getattr(importlib.import_module(module), attr))
                    except (ImportError, AttributeError):
                        return _strings(getattr(importlib.import_module(f"{module}.{attr}"), "__all__", None))
            return None
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id in self.imported:
            module, attr = self.imported[expr.value.id]
            name = module if attr is None else f"{module}.{attr}"
            return _strings(getattr(importlib.import_module(name), expr.attr, None))
        return None


def _loops(tree: ast.Module) -> dict[int, list[tuple[str, ast.expr]]]:
    """id(node) of every node inside a comprehension or for loop → the (variable, iterable) pairs
    around it, innermost last."""
    around: dict[int, list[tuple[str, ast.expr]]] = {}

    def visit(node: ast.AST, bound: list[tuple[str, ast.expr]]) -> None:
        here = bound
        if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
            here = bound + [(g.target.id, g.iter) for g in node.generators if isinstance(g.target, ast.Name)]
        elif isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            here = [*bound, (node.target.id, node.iter)]
        around[id(node)] = here
        for child in ast.iter_child_nodes(node):
            visit(child, here)

    visit(tree, [])
    return around


def sites(namespaces: set[str]) -> Iterator[Site]:
    """Every place the code names a catalog key (a namespace of ``namespaces``)."""
    for path in source_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = _Module(tree)
        loops = _loops(tree)
        rel = str(path.relative_to(ROOT))
        in_fstring = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in in_fstring:
                key = node.value
                if LITERAL.match(key) and key.split(".")[0] in namespaces and not key.endswith(FILE_SUFFIXES):
                    yield Site(rel, node.lineno, key, ())
            elif isinstance(node, ast.JoinedStr):
                template = _template(node)
                if "." not in template or template.split(".")[0] not in namespaces or " " in template:
                    continue
                holes = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
                values = None
                if len(holes) == 1 and isinstance(holes[0], ast.Name):
                    iterable = next((it for name, it in reversed(loops[id(node)]) if name == holes[0].id), None)
                    values = module.values(iterable) if iterable is not None else None
                yield Site(rel, node.lineno, template, values)


def expand(template: str, values: tuple[str, ...]) -> set[str]:
    """``status.{s}`` with ("done", "late") → {"status.done", "status.late"}."""
    head, _, rest = template.partition("{")
    tail = rest.partition("}")[2]
    return {f"{head}{v}{tail}" for v in values}
