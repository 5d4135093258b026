"""The modules of eql import one another without a circle, and the engine imports no adapter.

Read from the source (every import, also one inside a function), so a circle hidden by a late
import is found too.
"""

from __future__ import annotations

import ast
from pathlib import Path

ADDIN = Path(__file__).parents[1] / "addin"
# The engine works in dates, Decimals and its own records; these are the adapters around it.
ENGINE = (
    "eql.calendar",
    "eql.caps",
    "eql.conditions",
    "eql.errors",
    "eql.ledger",
    "eql.money",
    "eql.price_history",
    "eql.pricing",
    "eql.quarters",
    "eql.records",
    "eql.terms",
    "eql.terms_names",
    "eql.terms_reader",
    "eql.terms_records",
    "eql.terms_tables",
    "eql.values",
    "eql.vocabulary",
)
ADAPTERS = ("eql.tables", "eql.udfs", "eql.workbook", "eql.check", "eql.commands", "eql.cli")
# ... and what belongs to the whole process: the collector is paused by an adapter, never here.
OUTSIDE = ("xlwings", "openpyxl", "pandas", "numpy", "gc")


def _modules() -> dict[str, Path]:
    found = {}
    for path in ADDIN.joinpath("eql").rglob("*.py"):
        parts = list(path.relative_to(ADDIN).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(path: Path, package: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # a relative import, from the module's package
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        graph[name] = {n for n in _imports(path, package) if n in modules and n != name}
    return graph


def _circle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: being visited, 2: done
    trail: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        trail.append(name)
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                return [*trail[trail.index(other) :], other]
            if other not in state and (found := visit(other)):
                return found
        trail.pop()
        state[name] = 2
        return None

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_no_import_circle() -> None:
    circle = _circle(_graph())
    assert circle is None, " -> ".join(circle or [])


def test_the_circle_finder_finds_one() -> None:
    assert _circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _circle({"a": {"b"}, "b": set()}) is None


def test_the_engine_imports_no_adapter() -> None:
    modules = _modules()
    for name in ENGINE:
        package = name.rpartition(".")[0]
        for imported in _imports(modules[name], package):
            assert not imported.startswith(ADAPTERS), f"{name} imports {imported}"
            assert imported.split(".")[0] not in OUTSIDE, f"{name} imports {imported}"
