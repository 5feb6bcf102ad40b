"""The package's layers: no import cycles, no module over 500 lines of code.

The import graph is built from the source (every `import` and `from … import`,
at any depth, including the ones inside functions), module by module.
`from package import submodule` depends on the submodule, not on the
package's __init__.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "lsarchive"
MAX_LINES_OF_CODE = 500


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            submodules = [f"{module}.{alias.name}" for alias in node.names]
            candidates = [m for m in submodules if m in known]
            if len(candidates) < len(submodules):
                candidates.append(module)
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return cycles


def test_the_import_graph_finds_a_cycle_when_there_is_one():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_in_the_package():
    known = modules()
    graph = {name: imports_of(name, path, known) for name, path in known.items()}
    assert sum(len(targets) for targets in graph.values()) > 100  # the graph was really built
    assert import_cycles(graph) == []


def test_no_module_over_500_lines_of_code():
    def lines_of_code(path: Path) -> int:
        return sum(1 for line in path.read_text(encoding="utf-8").splitlines()
                   if line.strip() and not line.strip().startswith("#"))

    too_long = {str(path.relative_to(PACKAGE)): lines_of_code(path) for path in modules().values()
                if lines_of_code(path) > MAX_LINES_OF_CODE}
    assert too_long == {}


def test_the_mirror_knows_nothing_of_the_profiles_or_the_crawler():
    """The mirror is the oracle the crawler is tested against: its knowledge is its own."""
    known = modules()
    for name, path in known.items():
        if name.startswith("lsarchive.mirror"):
            reaching = {target for target in imports_of(name, path, known)
                        if target.startswith(("lsarchive.profiles", "lsarchive.crawl", "lsarchive.extract",
                                              "lsarchive.store"))}
            assert reaching == set(), name
