"""The package's layers, read from its source: the store depends only on the model, and no
modules import each other in a cycle.

Every ``import`` counts, at module level or inside a function: a lazy import is still a
dependency, and one placed in a function only to hide a cycle is still a cycle. Imports under
``if TYPE_CHECKING:`` never run, so they are left out of the cycle check; they still count
for the store's rule, since the store should not even name the stages above it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "newsweave"
STORE = "newsweave.store"
ABOVE_STORE = ("newsweave.ingest", "newsweave.annotate", "newsweave.events", "newsweave.compare")


@dataclass(frozen=True, slots=True)
class Import:
    """One module of the package importing another, at a line of its source."""

    importer: str
    imported: str
    line: int
    typing_only: bool

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.imported}"


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    found: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _targets(
    node: ast.Import | ast.ImportFrom, importer: str, is_package: bool, modules: set[str]
) -> set[str]:
    """The modules one import statement loads: ``from a import b`` loads module ``a.b`` when
    there is one, else ``a``; a relative import is read against the importer's package."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    base = node.module or ""
    if node.level:
        package = importer.split(".") if is_package else importer.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, *([base] if base else [])])
    named = (f"{base}.{alias.name}" for alias in node.names)
    return {name if name in modules else base for name in named}


def _imports_of(importer: str, path: Path, modules: set[str]) -> Iterator[Import]:
    is_package = path.name == "__init__.py"

    def walk(node: ast.AST, typing_only: bool) -> Iterator[Import]:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from walk(child, True)
            for child in node.orelse:
                yield from walk(child, typing_only)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in sorted(_targets(node, importer, is_package, modules) & modules):
                yield Import(importer, target, node.lineno, typing_only)
        for inner in ast.iter_child_nodes(node):
            yield from walk(inner, typing_only)

    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    yield from walk(tree, False)


def all_imports() -> list[Import]:
    modules = module_names()
    names = set(modules)
    found: list[Import] = []
    for name, path in modules.items():
        found.extend(_imports_of(name, path, names))
    return found


def _inside(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def store_violations(imports: list[Import]) -> list[Import]:
    """Imports of the stages above the store by a module of the store."""
    return [
        item
        for item in imports
        if _inside(item.importer, STORE) and any(_inside(item.imported, a) for a in ABOVE_STORE)
    ]


def cycles(imports: list[Import]) -> list[list[Import]]:
    """One cycle through each group of modules that import each other (strongly connected
    components, Tarjan's algorithm), as the imports that close it."""
    graph: dict[str, dict[str, Import]] = {}
    for item in imports:
        if not item.typing_only and item.imported != item.importer:
            graph.setdefault(item.importer, {}).setdefault(item.imported, item)
    return [_one_cycle(group, graph) for group in _components(graph) if len(group) > 1]


def _components(graph: dict[str, dict[str, Import]]) -> list[set[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: set[str] = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _one_cycle(group: set[str], graph: dict[str, dict[str, Import]]) -> list[Import]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start = min(group)
    paths: dict[str, list[Import]] = {start: []}
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node in frontier:
            for target, item in sorted(graph.get(node, {}).items()):
                if target == start:
                    return [*paths[node], item]
                if target in group and target not in paths:
                    paths[target] = [*paths[node], item]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {start}")  # a component always has one


def test_the_import_reader_sees_every_kind_of_import() -> None:
    imports = all_imports()
    assert any(item.imported == "newsweave.model" for item in imports)
    assert any(item.typing_only for item in imports)
    api_lazy = [
        i for i in imports if i.importer == "newsweave.api" and i.imported.endswith("service")
    ]
    assert api_lazy, "the API's import inside Newsweave.annotate is read"


def test_cycles_are_found() -> None:
    made_up = [
        Import("newsweave.a", "newsweave.b", 1, False),
        Import("newsweave.b", "newsweave.c", 2, False),
        Import("newsweave.c", "newsweave.a", 3, False),
        Import("newsweave.c", "newsweave.d", 4, False),
        Import("newsweave.d", "newsweave.c", 5, True),  # typing only: no cycle
    ]
    found = cycles(made_up)
    assert [[str(item) for item in cycle] for cycle in found] == [
        [
            "newsweave.a:1 imports newsweave.b",
            "newsweave.b:2 imports newsweave.c",
            "newsweave.c:3 imports newsweave.a",
        ]
    ]


def test_the_store_depends_only_on_the_model() -> None:
    found = [str(item) for item in store_violations(all_imports())]
    assert not found, "the store imports the stages above it:\n" + "\n".join(found)


def test_no_import_cycles() -> None:
    found = cycles(all_imports())
    shown = ["\n  ".join(str(item) for item in cycle) for cycle in found]
    assert not found, "modules import each other:\n  " + "\n\n  ".join(shown)
