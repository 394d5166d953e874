"""Every example of the five autograd tutorials, captured: values and grads against PyTorch."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from autodiff_viz.graph import Graph
from tests.capture.programs import data, grad, ops, run

QUADRATIC = """
x = torch.tensor(0.0, requires_grad=True)
a = torch.tensor(1.0)
b = torch.tensor(-2.0)
c = torch.tensor(1.0)
y = a * torch.pow(x, 2) + b * x + c
y.backward()
dy_dx = x.grad
"""


def assert_like_torch(graph: Graph, namespace: dict[str, Any], names: list[str]) -> None:
    """Named nodes hold the tensors' values; retained and leaf grads equal ``.grad``."""
    for name in names:
        tensor = namespace[name]
        node = graph.named(name)
        close(data(node), tensor)
        if (tensor.is_leaf or tensor.retains_grad) and tensor.grad is not None:
            close(grad(node), tensor.grad)


def close(plain: Any, tensor: torch.Tensor) -> None:
    expected = tensor.detach().double()
    torch.testing.assert_close(torch.tensor(plain, dtype=torch.float64), expected)


def test_scalar_quadratic_values_grads_and_cut_constants() -> None:
    rec, ns = run(QUADRATIC)
    (graph,) = rec.graphs
    assert data(graph.named("y")) == 1.0 and grad(graph.named("x")) == -2.0
    assert graph.node(graph.outputs[0]).name == "y"
    cuts = {n.name: (n.cut_reason, data(n)) for n in graph.nodes if n.kind == "cut"}
    assert cuts == {"a": ("constant", 1.0), "b": ("constant", -2.0), "c": ("constant", 1.0)}
    assert ops(graph).count("PowBackward0") == 1 and ops(graph).count("MulBackward0") == 2
    pow_node = next(n for n in graph.nodes if n.op == "PowBackward0")
    assert data(pow_node) == 0.0 and grad(pow_node) == 1.0  # dy/d(x**2) = a
    assert pow_node.line == 6 and pow_node.source == "y = a * torch.pow(x, 2) + b * x + c"
    assert dict(pow_node.saved)["self"].data == 0.0
    assert graph.line == 7 and rec.graph_lines == [7]
    assert_like_torch(graph, ns, ["x", "y"])


@pytest.mark.parametrize("scalarised", [False, True])
def test_non_scalar_backward_with_gradient(scalarised: bool) -> None:
    backward = "torch.sum(y * gradient).backward()" if scalarised else "y.backward(gradient)"
    rec, ns = run(
        "x = torch.tensor([[0.0, 0.0], [1.0, 2.0]], requires_grad=True)\n"
        "y = torch.pow(x, 2) - 2 * x + 1\n"
        "y.retain_grad()\n"
        "gradient = torch.tensor([[1.0, 1.0], [1.0, 1.0]])\n" + backward + "\n"
    )
    graph = rec.graphs[-1]
    assert grad(graph.named("x")) == [[-2.0, -2.0], [0.0, 2.0]]
    assert data(graph.named("y")) == [[1.0, 1.0], [0.0, 1.0]]
    assert graph.named("y").retains_grad
    assert_like_torch(graph, ns, ["x", "y"])


def test_autograd_grad_first_and_second_order() -> None:
    rec, ns = run(
        QUADRATIC.replace("y.backward()\ndy_dx = x.grad", "")
        + "dy_dx = torch.autograd.grad(y, x, create_graph=True)[0]\n"
        + "dy2_dx2 = torch.autograd.grad(dy_dx, x)[0]\n"
    )
    first, second = rec.graphs
    assert (first.call, first.create_graph, first.second_order) == ("autograd.grad", True, False)
    assert grad(first.named("x")) == -2.0 and first.named("x").grad is not None
    assert first.backward_order == first.outputs[:1] + first.backward_order[1:]
    assert second.second_order and not second.create_graph
    assert grad(second.named("x")) == 2.0 == ns["dy2_dx2"].item()
    root = second.node(second.outputs[0])
    assert root.name == "dy_dx" and root.second_order and data(root) == -2.0
    # dy/dx = 2ax + b is built from x directly: every op node came from the first pass.
    assert all(n.second_order for n in second.nodes if n.kind in ("op", "output"))
    assert not any(n.second_order for n in first.nodes)


def test_autograd_grad_several_outputs_and_inputs() -> None:
    rec, ns = run(
        "x1 = torch.tensor(1.0, requires_grad=True)\n"
        "x2 = torch.tensor(2.0, requires_grad=True)\n"
        "y1 = x1 * x2\n"
        "y2 = x1 + x2\n"
        "g1 = torch.autograd.grad(outputs=y1, inputs=[x1, x2], retain_graph=True)\n"
        "g12 = torch.autograd.grad(outputs=[y1, y2], inputs=[x1, x2])\n"
    )
    one, both = rec.graphs
    assert (grad(one.named("x1")), grad(one.named("x2"))) == (2.0, 1.0)
    assert len(one.outputs) == 1 and len(both.outputs) == 2
    assert (grad(both.named("x1")), grad(both.named("x2"))) == (3.0, 2.0)
    assert [t.item() for t in ns["g12"]] == [3.0, 2.0]
    assert "AccumulateGrad" not in [both.node(i).op for i in both.backward_order]


def test_sgd_loop_keeps_first_graphs_and_last() -> None:
    rec, ns = run(
        "x = torch.tensor(0.0, requires_grad=True)\n"
        "a = torch.tensor(1.0)\n"
        "b = torch.tensor(-2.0)\n"
        "c = torch.tensor(1.0)\n"
        "optimizer = torch.optim.SGD(params=[x], lr=0.01)\n"
        "def f(x):\n"
        "    return a * torch.pow(x, 2) + b * x + c\n"
        "for i in range(500):\n"
        "    optimizer.zero_grad()\n"
        "    y = f(x)\n"
        "    y.backward()\n"
        "    optimizer.step()\n"
    )
    assert len(rec.graphs) == 20 and rec.dropped == 480 and rec.graph_lines == [11] * 20
    first, second, last = rec.graphs[0], rec.graphs[1], rec.graphs[-1]
    assert data(first.named("x")) == 0.0 and grad(first.named("x")) == -2.0
    assert data(second.named("x")) == pytest.approx(0.02)  # x after one step, at op time
    x_499 = ns["x"].item() + 0.01 * ns["x"].grad.item()  # undo the last step
    assert data(last.named("x")) == pytest.approx(x_499, abs=1e-6)
    assert grad(last.named("x")) == pytest.approx(2 * x_499 - 2, abs=1e-6)


def test_d2l_chain_with_retained_grads() -> None:
    rec, ns = run(
        "x = torch.arange(4.0)\n"
        "x.requires_grad_(True)\n"
        "y = 2 * torch.dot(x, x)\n"
        "y.retain_grad()\n"
        "z = 2 * y\n"
        "z.retain_grad()\n"
        "h = z ** 2\n"
        "h.backward()\n"
    )
    graph = rec.graphs[0]
    assert (grad(graph.named("z")), grad(graph.named("y"))) == (112.0, 224.0)
    assert grad(graph.named("x")) == [0.0, 896.0, 1792.0, 2688.0]
    assert graph.named("z").retains_grad and not graph.named("h").retains_grad
    dot = next(n for n in graph.nodes if n.op == "DotBackward0")
    assert data(dot) == 14.0 and grad(dot) == 448.0
    assert_like_torch(graph, ns, ["x", "y", "z", "h"])


def test_accumulation_across_passes_and_zero() -> None:
    rec, _ = run(
        "x = torch.arange(4.0, requires_grad=True)\n"
        "(x * x).sum().backward()\n"
        "(x * x * x).sum().backward()\n"
        "x.grad.zero_()\n"
        "y = x.sum()\n"
        "y.backward()\n"
    )
    first, accumulated, after_zero = rec.graphs
    assert grad(first.named("x")) == [0.0, 2.0, 4.0, 6.0]
    assert grad(accumulated.named("x")) == [0.0, 5.0, 16.0, 33.0]  # 2x + 3x**2
    assert grad(after_zero.named("x")) == [1.0, 1.0, 1.0, 1.0]
    into_x = [e for e in accumulated.edges if e.src == accumulated.named("x").id]
    assert sorted(e.grad.data for e in into_x if e.grad) == [[0.0, 1.0, 4.0, 9.0]] * 3


def test_detach_no_grad_and_data_are_cut_inputs() -> None:
    rec, ns = run(
        "x = torch.arange(4.0, requires_grad=True)\n"
        "y = x * x\n"
        "u = y.detach()\n"
        "z = u * x\n"
        "z.sum().backward()\n"
        "x1 = torch.tensor(1.0, requires_grad=True)\n"
        "y1 = x1 ** 2\n"
        "with torch.no_grad():\n"
        "    y2 = x1 ** 3\n"
        "y3 = y1 + y2\n"
        "y3.backward()\n"
        "w = torch.ones(1, requires_grad=True)\n"
        "q = 2 * w\n"
        "w.data *= 100\n"
        "q.backward()\n"
    )
    detached, no_grad, data_pass = rec.graphs
    u = detached.named("u")
    assert (u.kind, u.cut_reason, data(u), u.line) == ("cut", "detached", [0.0, 1.0, 4.0, 9.0], 3)
    assert [e.cut for e in detached.edges if e.src == u.id] == [True]
    assert grad(detached.named("x")) == [0.0, 1.0, 4.0, 9.0]
    assert "y" not in [n.name for n in detached.nodes]  # y's branch is not in z's graph
    y2 = no_grad.named("y2")
    assert (y2.cut_reason, data(y2), grad(no_grad.named("x1"))) == ("no_grad", 1.0, 2.0)
    assert data(data_pass.named("w")) == [1.0]  # the value the op saw, not 100
    assert grad(data_pass.named("w")) == [2.0] and ns["w"].item() == 100.0


def test_python_control_flow_is_unrolled() -> None:
    rec, ns = run(
        "def f(a):\n"
        "    b = a * 2\n"
        "    while b.norm() < 1000:\n"
        "        b = b * 2\n"
        "    if b.sum() > 0:\n"
        "        c = b\n"
        "    else:\n"
        "        c = 100 * b\n"
        "    return c\n"
        "a = torch.tensor(-0.7, requires_grad=True)\n"
        "d = f(a)\n"
        "d.backward()\n"
    )
    graph = rec.graphs[0]
    doublings = ops(graph).count("MulBackward0")
    assert doublings == 12  # 2**11 * 0.7 >= 1000, then the 100 * b branch
    assert grad(graph.named("a")) == pytest.approx(ns["d"].item() / -0.7)
    assert data(graph.named("d")) == pytest.approx(ns["d"].item())


def test_mean_sum_and_two_tensor_examples_float64() -> None:
    rec, ns = run(
        "x = torch.tensor([[1, 2], [2, 3]], dtype=float, requires_grad=True)\n"
        "y = x + 2\n"
        "z = y * y * 3\n"
        "out = z.mean()\n"
        "out.backward()\n"
        "s = torch.tensor(3.0, requires_grad=True)\n"
        "o = torch.ones(2, 2, requires_grad=True)\n"
        "t = s * s\n"
        "z = 2 * t + 2 * o * o\n"
        "z = z.mean()\n"
        "z.backward()\n"
    )
    mean_pass, two = rec.graphs
    assert mean_pass.named("x").value.dtype == "float64"
    assert grad(mean_pass.named("x")) == [[4.5, 6.0], [6.0, 7.5]]
    assert data(mean_pass.named("out")) == 49.5
    assert (grad(two.named("s")), grad(two.named("o"))) == (12.0, [[1.0, 1.0], [1.0, 1.0]])
    assert data(two.named("z")) == 20.0  # the latest binding of z: the mean
    assert_like_torch(two, ns, ["s", "o", "t", "z"])


def test_linear_model_first_and_second_order_backward() -> None:
    rec, ns = run(
        "x = torch.tensor(1.0, requires_grad=True)\n"
        "b = torch.tensor(2.0, requires_grad=True)\n"
        "w = torch.tensor(3.0, requires_grad=True)\n"
        "z = w * x + b\n"
        "z.backward()\n"
        "p = torch.tensor(2.0).requires_grad_()\n"
        "q = torch.tensor(3.0).requires_grad_()\n"
        "r = p * p * q\n"
        "r.backward(create_graph=True)\n"
        "p.grad.data.zero_()\n"
        "p.grad.backward()\n"
    )
    linear, first, second = rec.graphs
    assert [grad(linear.named(n)) for n in "xwb"] == [3.0, 1.0, 1.0]
    assert first.create_graph and grad(first.named("p")) == 12.0
    assert second.second_order and grad(second.named("p")) == 6.0 == ns["p"].grad.item()
    assert grad(second.named("q")) == 4.0 + 4.0  # accumulated: 4 from r, 2p from p.grad


def test_dot_with_constant_input_and_sin_derivative() -> None:
    rec, ns = run(
        "X = torch.tensor([1.5, 2.5, 3.5], requires_grad=False)\n"
        "W = torch.tensor([0.2, 0.4, 0.6], requires_grad=True)\n"
        "b = torch.tensor(0.1, requires_grad=True)\n"
        "Y = torch.add(torch.dot(X, W), b)\n"
        "Y.backward()\n"
        "x = torch.arange(0, 3, 0.5).clone().detach().requires_grad_(True)\n"
        "y = torch.sin(x)\n"
        "y.backward(gradient=torch.ones(size=x.shape))\n"
    )
    dot, sin = rec.graphs
    assert grad(dot.named("W")) == [1.5, 2.5, 3.5] and grad(dot.named("b")) == 1.0
    assert dot.named("X").cut_reason == "constant"
    close(grad(sin.named("x")), torch.cos(ns["x"]))


def test_linear_regression_with_mse_loss_internal_nodes() -> None:
    rec, ns = run(
        "torch.manual_seed(0)\n"
        "model = torch.nn.Linear(1, 1)\n"
        "criterion = torch.nn.MSELoss()\n"
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.01)\n"
        "inputs = torch.arange(11.0).reshape(-1, 1)\n"
        "targets = 2 * inputs + 1\n"
        "for epoch in range(30):\n"
        "    outputs = model(inputs)\n"
        "    loss = criterion(outputs, targets)\n"
        "    optimizer.zero_grad()\n"
        "    loss.backward()\n"
        "    optimizer.step()\n",
        max_graphs=3,
    )
    assert rec.dropped == 27
    graph = rec.graphs[-1]
    assert {"MseLossBackward0", "AddmmBackward0", "TBackward0"} <= set(ops(graph))
    loss, outputs = graph.named("loss"), graph.named("outputs")
    assert loss.op == "MseLossBackward0" and outputs.op == "AddmmBackward0"
    t_node = next(n for n in graph.nodes if n.op == "TBackward0")
    weight = graph.named("model.weight")
    assert data(t_node) == data(weight) and grad(t_node) == grad(weight)
    assert graph.named("inputs").cut_reason == "constant"
    # outputs/loss values at op time of the last epoch equal a re-run with the old weights
    w_old = ns["model"].weight + 0.01 * ns["model"].weight.grad
    b_old = ns["model"].bias + 0.01 * ns["model"].bias.grad
    expected = (ns["inputs"] @ w_old.t() + b_old).detach()
    close(data(outputs), expected)
    close(grad(outputs), 2 * (expected - ns["targets"]) / 11)
