"""The floors of docs/ARCHITECTURE.md, held by the imports themselves.

Each package may import only the packages on the floors beneath it; ``core`` imports no
other; nothing imports ``yuqing`` (the CLI) but its entry point. Imports inside functions
count too: a lazy import is still a dependency. And no two modules import each other,
however indirectly.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# package -> the project packages it may import (besides itself). The floors, bottom up.
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "analysis": {"core"},
    "store": {"core"},
    "crawler": {"core", "analysis", "store"},
    "api": {"core", "analysis", "store"},
    "demo": {"core"},
    "quality": {"core", "analysis", "store", "crawler", "demo"},
    "yuqing": {"core", "analysis", "store", "crawler", "api", "demo"},
}
PROJECT = set(ALLOWED) | {"bench", "tests"}


def _modules() -> dict[str, Path]:
    out = {}
    for package in ALLOWED:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Project modules ``name`` imports (absolute and relative, at any depth of the file)."""
    found = set()
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pkg import module` imports the module when there is one by that name.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        for target in targets:
            if target.split(".")[0] in PROJECT:
                while target and target not in MODULES and "." in target:
                    target = target.rsplit(".", 1)[0]
                found.add(target)
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_the_floors_beneath_it(package):
    upward = sorted(f"{module} -> {target}" for module, targets in GRAPH.items() if module.split(".")[0] == package
                    for target in targets
                    if target.split(".")[0] != package and target.split(".")[0] not in ALLOWED[package])
    assert not upward, f"{package} may import only {sorted(ALLOWED[package]) or 'nothing of the project'}:\n" + \
        "\n".join(upward)


def test_no_import_cycles():
    # Tarjan's strongly connected components over module imports.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in GRAPH.get(node, ()):
            if nxt not in GRAPH:
                continue
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, "modules that import each other:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    """The checker itself: a lazy import and a relative one are both found (else it could pass by blindness)."""
    assert "store" in GRAPH["crawler.storage"] or "store.base" in GRAPH["crawler.storage"]
    assert any(t.startswith("analysis") for t in GRAPH["api.routes.analyze"])  # imported inside the route
    assert GRAPH["crawler.pipelines"] >= {"crawler.pipelines.analyse", "crawler.pipelines.store"}
