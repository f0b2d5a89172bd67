"""The layers, read from the source: every import points down and no module takes part in a cycle.

    creditdesk (the shell: settings, wiring, CLI, migrations)
      api, bot (front doors)
        tools
          crm_adapter, knowledge
            kernel (errors, money, clock, message catalogue)

Every import counts: module level, inside a function (lazy) and under `if TYPE_CHECKING:`, except that a
front door may name the shell's types under TYPE_CHECKING (it receives the container, never builds it).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kernel", "crm_adapter", "knowledge", "tools", "api", "bot", "creditdesk")
FRONT_DOORS = {"api", "bot"}
MAY_IMPORT: dict[str, set[str]] = {
    "kernel": {"kernel"},
    "crm_adapter": {"crm_adapter", "kernel"},
    "knowledge": {"knowledge", "kernel"},
    "tools": {"tools", "crm_adapter", "knowledge", "kernel"},
    "api": {"api", "bot", "tools", "crm_adapter", "knowledge", "kernel"},
    "bot": {"bot", "api", "tools", "crm_adapter", "knowledge", "kernel"},
    "creditdesk": set(PACKAGES),
}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the first-party module imported (resolved to one that exists)
    line: int
    type_checking: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(name: str, path: Path, known: dict[str, Path]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    guarded = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and _is_type_checking(node.test)
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from the importing package
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            targets = [source] + [f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in known]
        for target in targets:
            if target.split(".")[0] not in PACKAGES:
                continue
            while target and target not in known:  # `from x.y import name` -> x.y
                target = target.rpartition(".")[0]
            if target and target != name:
                yield Import(name, target, node.lineno, id(node) in guarded)  # type: ignore[attr-defined]


def import_graph() -> list[Import]:
    known = all_modules()
    return [imp for name, path in known.items() for imp in imports_of(name, path, known)]


def layer_violations(edges: list[Import]) -> list[str]:
    problems = []
    for imp in edges:
        src, dst = imp.module.split(".")[0], imp.target.split(".")[0]
        if dst in MAY_IMPORT[src]:
            continue
        if src in FRONT_DOORS and dst == "creditdesk" and imp.type_checking:
            continue  # naming the shell's container type only
        problems.append(f"{imp.module}:{imp.line} imports {imp.target} ({src} may not import {dst})")
    return problems


def cycles(edges: list[Import]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    graph: dict[str, set[str]] = {}
    for imp in edges:
        graph.setdefault(imp.module, set()).add(imp.target)
        graph.setdefault(imp.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


@pytest.fixture(scope="module")
def edges() -> list[Import]:
    found = import_graph()
    assert len(found) > 300  # the parser sees the codebase (a broken walk must not pass vacuously)
    return found


def test_every_import_points_down(edges: list[Import]) -> None:
    assert layer_violations(edges) == []


def test_no_import_cycles(edges: list[Import]) -> None:
    assert cycles(edges) == []


def test_nothing_below_the_shell_imports_it_at_run_time(edges: list[Import]) -> None:
    assert [f"{i.module}:{i.line}" for i in edges if i.target.startswith("creditdesk") and not
            i.module.startswith("creditdesk") and not i.type_checking] == []  # fmt: skip


def test_the_checks_catch_what_they_should() -> None:
    def imp(a: str, b: str, tc: bool = False) -> Import:
        return Import(a, b, 1, tc)

    assert cycles([imp("a.x", "a.y"), imp("a.y", "a.z"), imp("a.z", "a.x"), imp("a.z", "b")]) == [
        ["a.x", "a.y", "a.z"]
    ]
    assert cycles([imp("a", "b"), imp("b", "c")]) == []
    bad = [imp("kernel.money", "tools.access"), imp("tools.x", "api.deps"), imp("knowledge.s", "crm_adapter.m"),
           imp("api.deps", "creditdesk.wiring"), imp("crm_adapter.m", "creditdesk.settings", tc=True)]  # fmt: skip
    ok = [imp("api.deps", "creditdesk.wiring", tc=True), imp("creditdesk.cli.main", "api.app"),
          imp("tools.x", "knowledge.s"), imp("bot.slack.app", "tools.access")]  # fmt: skip
    assert len(layer_violations(bad)) == len(bad)
    assert layer_violations(ok) == []
