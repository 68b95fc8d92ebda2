"""Imports run one way (views -> services -> queries -> models -> core): no cycle between files or packages.

The graph counts every import in ``app/``, inside functions too, because an import moved into a function to dodge
a cycle still ties the two modules together. A package is the first name under ``app`` (``app.forum``); the
top-level modules (``app.models``, ``app.db``...) are each their own node.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from functools import cache
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

def _module_name(path: Path) -> str:
    parts = ("app", *path.relative_to(APP).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in APP.rglob("*.py") if "migrations" not in path.parts}


def _imported_names(path: Path, module: str, modules: set[str]) -> set[str]:
    """What a file imports; ``from a import b`` names ``a`` itself only when ``b`` is not a module of its own."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            submodules = {f"{base}.{alias.name}" for alias in node.names}
            names.update(submodules)
            if not submodules <= modules:
                names.add(base)
    return names


@cache
def module_graph() -> dict[str, frozenset[str]]:
    """Each module of ``app`` and the modules of ``app`` it imports (``from a import b`` counts ``a.b`` if a module)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        names = set(modules)
        targets = {target for target in _imported_names(path, name, names) if target in modules and target != name}
        # ``from app.forum import services`` names the package too; the package __init__ is only a real edge
        # when nothing more specific was imported from it.
        graph[name] = frozenset(t for t in targets
                                if not any(o.startswith(t + ".") for o in targets) or _has_code(modules[t]))
    return graph


def _has_code(path: Path) -> bool:
    return bool(path.read_text(encoding="utf-8").strip())


def _package(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, targets in module_graph().items():
        graph[_package(module)].update(_package(t) for t in targets if _package(t) != _package(module))
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of nodes that reach each other (Tarjan); a group of two or more is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_module_imports_another_that_imports_it_back():
    assert strongly_connected(module_graph()) == []


def test_no_package_imports_another_that_imports_it_back():
    """Packages form layers: a domain may build on those below it, never on one that builds on it."""
    assert strongly_connected(package_graph()) == []


def test_core_imports_no_domain():
    """core is the bottom layer: it may use the app's basics (config, db, extensions, i18n, security) and nothing
    above."""
    allowed = {"app.config", "app.core", "app.db", "app.extensions", "app.i18n", "app.security"}
    assert package_graph()["app.core"] <= allowed
