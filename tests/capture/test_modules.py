"""Node.module: the nn.Module call that made each node, in the notebook API and the sandbox."""

from __future__ import annotations

import contextlib

import torch

import autodiff_viz.capture as adv
from autodiff_viz.graph import Graph
from autodiff_viz.sandbox.execute import execute
from tests.capture.programs import run

MLP = (
    "torch.manual_seed(0)\n"
    "model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))\n"
    "loss_fn = torch.nn.MSELoss()\n"
    "x = torch.randn(5, 3)\n"
    "loss = loss_fn(model(x), torch.zeros(5, 1))\n"
    "loss.backward()\n"
)

#: (op, name) -> module of every node of MLP's graph, cut inputs (op None) outside any module.
MLP_MODULES = {
    ("AccumulateGrad", "model.0.weight"): "model.0: Linear",
    ("AccumulateGrad", "model.0.bias"): "model.0: Linear",
    ("AccumulateGrad", "model.2.weight"): "model.2: Linear",
    ("AccumulateGrad", "model.2.bias"): "model.2: Linear",
    ("ReluBackward0", None): "model.1: ReLU",
    ("MseLossBackward0", "loss"): "loss_fn: MSELoss",
    (None, "x"): None,
    (None, None): None,  # the zeros target
}

LOOP = (
    "cell = torch.nn.Linear(2, 2)\n"
    "h = torch.zeros(1, 2)\n"
    "for _ in range(3):\n"
    "    h = torch.tanh(cell(h))\n"
    "h.sum().backward()\n"
)


def modules(graph: Graph) -> dict[tuple[str | None, str | None], str | None]:
    """(op, name) -> module for the nodes outside the Linear internals (t, addmm)."""
    return {
        (n.op, n.name): n.module
        for n in graph.nodes
        if n.op not in ("TBackward0", "AddmmBackward0")
    }


def linear_calls(graph: Graph) -> list[str | None]:
    return [n.module for n in graph.nodes if n.op == "AddmmBackward0"]


def check_mlp(graph: Graph) -> None:
    assert modules(graph) == MLP_MODULES
    assert linear_calls(graph) == ["model.0: Linear", "model.2: Linear"]
    assert [n.module for n in graph.nodes if n.op == "TBackward0"] == linear_calls(graph)


def check_loop(graph: Graph) -> None:
    assert linear_calls(graph) == ["cell: Linear", "cell: Linear #2", "cell: Linear #3"]
    tanh = [n.module for n in graph.nodes if n.op == "TanhBackward0"]
    assert tanh == [None, None, None]  # torch.tanh runs outside the module
    # The parameters go with the first call, where a fold of the call takes them in.
    params = {n.name: n.module for n in graph.nodes if n.op == "AccumulateGrad"}
    assert params == {"cell.weight": "cell: Linear", "cell.bias": "cell: Linear"}


def test_sequential_and_loss_nodes_name_their_module_call() -> None:
    rec, _ = run(MLP)
    check_mlp(rec.graphs[0])


def test_a_module_called_three_times_numbers_its_later_calls() -> None:
    rec, _ = run(LOOP)
    check_loop(rec.graphs[0])


def test_numbering_restarts_in_each_graph() -> None:
    rec, _ = run(LOOP + LOOP.replace("cell = torch.nn.Linear(2, 2)\n", ""))
    first, second = rec.graphs
    assert linear_calls(first) == linear_calls(second)


def test_plain_tensor_code_belongs_to_no_module() -> None:
    rec, _ = run(
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "y = (torch.sin(x) * x).sum()\n"
        "y.backward()\n"
    )
    assert [n.module for n in rec.graphs[0].nodes] == [None] * len(rec.graphs[0].nodes)


def test_an_unnamed_module_and_a_user_input_leaf() -> None:
    torch.manual_seed(0)
    x = torch.randn(2, 3, requires_grad=True)
    with adv.capture() as rec:
        torch.nn.Linear(3, 1)(x).sum().backward()
    (graph,) = rec.graphs
    assert linear_calls(graph) == ["Linear"]
    leaves = {n.name: n.module for n in graph.nodes if n.op == "AccumulateGrad"}
    # x is an input of the call, not a parameter of the module: it stays outside.
    assert leaves == {"x": None, None: "Linear"}


def test_notebook_capture_reads_module_paths_from_the_callers_variables() -> None:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
    loss_fn = torch.nn.MSELoss()
    x = torch.randn(5, 3)
    with adv.capture() as rec:
        loss = loss_fn(model(x), torch.zeros(5, 1))
        loss.backward()
    check_mlp(rec.graphs[0])


def test_the_module_hooks_are_gone_after_the_block() -> None:
    hooks = torch.nn.modules.module
    before = (len(hooks._global_forward_pre_hooks), len(hooks._global_forward_hooks))
    with adv.capture():
        torch.nn.Linear(1, 1)(torch.ones(1))
    after = (len(hooks._global_forward_pre_hooks), len(hooks._global_forward_hooks))
    assert after == before


def test_sandbox_graphs_carry_module_calls() -> None:
    result = execute(MLP + "\n" + LOOP)
    assert result.error is None, result.error
    mlp, loop = result.graphs
    check_mlp(mlp)
    check_loop(loop)


def test_a_forward_that_raises_leaves_no_module_call_behind() -> None:
    class Broken(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            raise ValueError("broken")

    model = torch.nn.Sequential(torch.nn.Linear(1, 1), Broken())
    x = torch.ones(1, requires_grad=True)
    with adv.capture() as rec:
        with contextlib.suppress(ValueError):
            model(x)
        (x * 2).sum().backward()
    assert {n.op: n.module for n in rec.graphs[0].nodes} == dict.fromkeys(
        ("AccumulateGrad", "MulBackward0", "SumBackward0", None)
    )
