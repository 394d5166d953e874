"""The package's shape: few top-level modules, no import cycle (lazy imports too), small modules."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "autodiff_viz"
MAX_TOP_LEVEL_MODULES = 8
MAX_MODULE_LINES = 450


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, known: set[str]) -> set[str]:
    """Every package module ``path`` imports, at the top or inside a function."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.add(sub if sub in known else node.module)
    out &= known
    return out


def test_at_most_eight_modules_at_the_top_of_the_package() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


def test_no_module_is_too_long_to_read_in_one_sitting() -> None:
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text("utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long


def test_the_package_has_no_import_cycle() -> None:
    mods = modules()
    known = set(mods)
    # A package's __init__ importing its own submodules, or a submodule its package's
    # __init__, is how packages are put together; any other loop is a cycle.
    graph = {
        name: {
            dep
            for dep in imports_of(path, known)
            if dep != name and not dep.startswith(name + ".") and not name.startswith(dep + ".")
        }
        for name, path in mods.items()
    }
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep) :], dep])
            elif dep not in state:
                visit(dep, [*stack, dep])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles


def test_the_cycle_finder_sees_a_cycle(tmp_path: Path) -> None:
    # The check above must be able to fail: two modules importing each other inside functions.
    a = tmp_path / "a.py"
    a.write_text("def f():\n    from pkg import b\n")
    assert imports_of(a, {"pkg.b"}) == {"pkg.b"}
