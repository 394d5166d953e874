"""Every tutorial cell runs in the sandbox exactly as CPython + PyTorch run it."""

from __future__ import annotations

import ast
import contextlib
import io
import re
import warnings
from typing import Any

import pytest
import torch

from autodiff_viz.result import RunResult
from autodiff_viz.sandbox.execute import execute
from tests.sandbox import seed_cells


def reference(source: str, seed: int = 0) -> tuple[str, dict[str, Any]]:
    """Run ``source`` with plain ``exec`` (tests only), showing a bare last line like a notebook."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    env: dict[str, Any] = {"torch": torch}  # the sandbox pre-binds torch too
    out = io.StringIO()
    with torch.random.fork_rng(devices=[]), contextlib.redirect_stdout(out):
        warnings.simplefilter("ignore")
        torch.manual_seed(seed)
        exec(compile(tree, "<cell>", "exec"), env)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), env)
            if value is not None:
                print(repr(value))
    return out.getvalue(), env


def assert_same_as_python(source: str, seed: int = 0) -> RunResult:
    expected, env = reference(source, seed)
    # A grad_fn shows as an inert `<MulBackward0 object>`: no address is given away.
    expected = re.sub(r" object at 0x[0-9a-f]+>", " object>", expected)
    result = execute(source, _options(seed))
    assert result.error is None, result.error
    assert result.stdout == expected
    for name, value in env.items():
        if isinstance(value, torch.Tensor) and value.is_leaf and value.grad is not None:
            grad = result.variable(name).grad
            assert grad is not None, name
            assert torch.equal(torch.tensor(grad.data, dtype=value.grad.dtype), value.grad), name
    return result


def _options(seed: int) -> Any:
    from autodiff_viz.sandbox.options import RunOptions

    return RunOptions(seed=seed)


@pytest.mark.parametrize("key", seed_cells.RUNNABLE)
def test_seed_cell_matches_python(key: str) -> None:
    assert_same_as_python(seed_cells.program(key))


@pytest.mark.parametrize("key", list(seed_cells.T3_RESTORED))
def test_tutorial_3_restored_blocks_match_python(key: str) -> None:
    assert_same_as_python(seed_cells.T3_RESTORED[key])


@pytest.mark.parametrize("key", seed_cells.GLUED)
def test_glued_blocks_give_a_syntax_error_with_a_line(key: str) -> None:
    result = execute(seed_cells.CELLS[key])
    assert result.error is not None
    assert result.error.kind == "syntax"
    assert result.error.line == 1
    assert "not valid Python" in result.error.message


def test_restored_regression_cell_runs_like_python() -> None:
    result = assert_same_as_python(seed_cells.T3_REGRESSION_RESTORED)
    assert result.stdout.count("epoch") == 10
    modules = {node.module for graph in result.graphs for node in graph.nodes}
    assert "model.linear: Linear" in modules


def test_torch_only_regression_trains_like_python() -> None:
    result = assert_same_as_python(seed_cells.T3_REGRESSION_TORCH)
    assert result.stdout.count("epoch") == 10
    assert len(result.graphs) > 0


def test_tutorial_1_notebook_display_and_graphs() -> None:
    result = execute(seed_cells.program("t1_cell4"))
    assert result.stdout.endswith(
        "(tensor(112.), tensor(224.), tensor([   0.,  896., 1792., 2688.]))\n"
    )
    assert result.graph_lines == (3,) or len(result.graphs) == 1


def test_version_string_is_the_one_dunder() -> None:
    result = execute(seed_cells.CELLS["t0_cell0"])
    assert result.stdout == f"torch.__version__={torch.__version__}\n"


def test_sgd_loop_of_tutorial_0_records_graphs_within_budget() -> None:
    result = execute(seed_cells.CELLS["t0_cell6"])
    assert result.error is None
    assert "最小值 y =" in result.stdout
    assert len(result.graphs) + result.graphs_dropped == 500
