"""The package's shape: few top-level modules, no import cycle (lazy imports too), small modules,
private APIs of torch and Streamlit behind one door."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "autodiff_viz"
MAX_TOP_LEVEL_MODULES = 8
MAX_MODULE_LINES = 450
#: The one module that may use torch's underscored dispatch-mode API (see its docstring).
PRIVATE_TORCH_DOOR = "autodiff_viz.capture.mode_stack"
#: ``TorchDispatchMode`` is documented at this path; subclassing it is the public way to see ops.
DOCUMENTED_PRIVATE_PATHS = {("torch.utils._python_dispatch", "TorchDispatchMode")}
#: Streamlit is used as ``st`` and, for type hints, its documented container class.
STREAMLIT_IMPORTS = {"streamlit", "streamlit.delta_generator"}


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


def private_uses(path: Path) -> set[str]:
    """Underscored torch or Streamlit names ``path`` imports or reads, and Streamlit submodules."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("streamlit") and node.module not in STREAMLIT_IMPORTS:
                out.add(node.module)
            if node.module.split(".")[0] == "torch":
                for alias in node.names:
                    private = "._" in f".{node.module}.{alias.name}"
                    if private and (node.module, alias.name) not in DOCUMENTED_PRIVATE_PATHS:
                        out.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("streamlit."))
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            root = node.value
            while isinstance(root, ast.Attribute):
                root = root.value
            dotted = ast.unparse(node)
            # Dunders are Python's own; ``torch.ops.aten._foo`` names an operator, not an API.
            if node.attr.startswith("__") or dotted.startswith("torch.ops."):
                continue
            if isinstance(root, ast.Name) and root.id in {"torch", "st", "streamlit"}:
                out.add(dotted)
    return out


def test_private_apis_of_torch_and_streamlit_stay_behind_one_door() -> None:
    found = {
        name: uses
        for name, path in modules().items()
        if name != PRIVATE_TORCH_DOOR and (uses := private_uses(path))
    }
    assert not found
    # ... and the checker sees what it must refuse.
    assert private_uses(PACKAGE / "capture" / "mode_stack.py") >= {
        "torch.utils._python_dispatch._push_mode",
        "torch._C",
    }


def test_the_private_api_finder_sees_streamlit_internals(tmp_path: Path) -> None:
    page = tmp_path / "page.py"
    page.write_text(
        "from streamlit.runtime.pages_manager import PagesManager\n"
        "import streamlit as st\n"
        "st._main.empty()\n"
    )
    assert private_uses(page) == {"streamlit.runtime.pages_manager", "st._main"}


def test_the_cycle_finder_sees_a_cycle(tmp_path: Path) -> None:
    # The check above must be able to fail: two modules importing each other inside functions.
    a = tmp_path / "a.py"
    a.write_text("def f():\n    from pkg import b\n")
    assert imports_of(a, {"pkg.b"}) == {"pkg.b"}
