"""Hand-built Graphs for the renderer's tests and the browser harness.

Values and grads are the ones PyTorch computes for the programs in each docstring (worked out
by hand); ids follow the capture's convention (``n0`` the output, then inputs depth first).
No torch here: the renderer is tested on its own. Builders and big synthetic graphs live in
``tests.support.graphs``, which the benchmarks import too.
"""

from __future__ import annotations

import dataclasses

from autodiff_viz.graph import Graph, Output
from tests.support.graphs import chain, const, edge, leaf, op, rnn, tv


def scalar_tutorial() -> Graph:
    """x = 0 (requires grad), a = 1, b = -2, c = 1; y = a*torch.pow(x, 2) + b*x + c; y.backward().

    dy/dx = 2*a*x + b = -2.
    """
    src = "y = a * torch.pow(x, 2) + b * x + c"
    nodes = (
        op("n0", "AddBackward0", 1.0, 1.0, "y", kind="output", line=8, source=src),
        op("n1", "AddBackward0", 0.0, 1.0, line=8, source=src),
        const("n2", "c", 1.0),
        op("n3", "MulBackward0", 0.0, 1.0, line=8, source=src),
        op("n4", "MulBackward0", -0.0, 1.0, line=8, source=src),
        const("n5", "a", 1.0),
        op("n6", "PowBackward0", 0.0, 1.0, line=8, source=src),
        const("n7", "b", -2.0),
        leaf("n8", "x", 0.0, -2.0, line=2, source="x = torch.tensor(0.0, requires_grad=True)"),
    )
    edges = (
        edge("n1", "n0", 1.0),
        edge("n2", "n0", input_nr=1, cut=True),
        edge("n3", "n1", 1.0),
        edge("n4", "n1", 1.0, input_nr=1),
        edge("n5", "n3", cut=True),
        edge("n6", "n3", 1.0, input_nr=1),
        edge("n7", "n4", cut=True),
        edge("n8", "n4", -2.0, input_nr=1),
        edge("n8", "n6", 0.0),
    )
    order = ("n0", "n1", "n4", "n3", "n6", "n8")
    return Graph(nodes, edges, outputs=("n0",), backward_order=order, line=11)


def nonscalar_vjp() -> Graph:
    """x = [1, 2, 3] (requires grad); y = x * x; y.backward(torch.tensor([1.0, 0.1, 0.01]))."""
    nodes = (
        op("n0", "MulBackward0", [1.0, 4.0, 9.0], [1.0, 0.1, 0.01], "y", kind="output"),
        leaf("n1", "x", [1.0, 2.0, 3.0], [2.0, 0.4, 0.06]),
    )
    edges = (
        edge("n1", "n0", [1.0, 0.2, 0.03]),
        edge("n1", "n0", [1.0, 0.2, 0.03], input_nr=1),
    )
    return Graph(nodes, edges, outputs=("n0",), backward_order=("n0", "n1"))


def cut_graph() -> Graph:
    """x = 2; y = x*x; u = y.detach(); with no_grad: k = x*2; z = u*x + k; z.backward().

    Gradient does not flow into u or k: x.grad = u = 4.
    """
    nodes = (
        op("n0", "AddBackward0", 12.0, 1.0, "z", kind="output"),
        op("n1", "MulBackward0", 8.0, 1.0),
        const("n2", "k", 4.0, "no_grad"),
        const("n3", "u", 4.0, "detached"),
        leaf("n4", "x", 2.0, 4.0),
        op("n5", "MulBackward0", 4.0, None, "y"),
        const("n6", "w", 2.0, "data"),
    )
    edges = (
        edge("n1", "n0", 1.0),
        edge("n2", "n0", input_nr=1, cut=True),
        edge("n3", "n1", cut=True),
        edge("n4", "n1", 4.0, input_nr=1),
        edge("n5", "n3", cut=True),
        edge("n4", "n5"),
        edge("n4", "n5", input_nr=1),
        edge("n4", "n6", cut=True),
    )
    return Graph(nodes, edges, outputs=("n0",), backward_order=("n0", "n1", "n4"))


def multi_output() -> Graph:
    """x = [[1, 2], [3, 4]]; a, b = x.unbind(0); L = (a * b).sum(); L.backward()."""
    unbind = op(
        "n2",
        "UnbindBackward0",
        [1.0, 2.0],
        [3.0, 4.0],
        "a",
        more_outputs=(Output(1, tv([3.0, 4.0]), tv([1.0, 2.0]), "b"),),
    )
    nodes = (
        op("n0", "SumBackward0", 11.0, 1.0, "L", kind="output"),
        op("n1", "MulBackward0", [3.0, 8.0], [1.0, 1.0]),
        unbind,
        leaf("n3", "x", [[1.0, 2.0], [3.0, 4.0]], [[3.0, 4.0], [1.0, 2.0]]),
    )
    edges = (
        edge("n1", "n0", [1.0, 1.0]),
        edge("n2", "n1", [3.0, 4.0]),
        edge("n2", "n1", [1.0, 2.0], input_nr=1, output_nr=1),
        edge("n3", "n2", [[3.0, 4.0], [1.0, 2.0]]),
    )
    return Graph(nodes, edges, outputs=("n0",), backward_order=("n0", "n1", "n2", "n3"))


def second_order() -> Graph:
    """x = 3; y = x**3; (g,) = autograd.grad(y, x, create_graph=True); g.backward().

    g = 3*x**2 = 27 is built by PowBackward0's own backward formula; x.grad = 6*x = 18.
    """
    nodes = (
        op("n0", "MulBackward0", 27.0, 1.0, "g", kind="output", second_order=True),
        const("n1", None, 1.0),
        op("n2", "MulBackward0", 27.0, 1.0, second_order=True),
        op("n3", "PowBackward0", 9.0, 3.0, second_order=True),
        const("n4", None, 3.0),
        leaf("n5", "x", 3.0, 18.0),
    )
    edges = (
        edge("n1", "n0", cut=True),
        edge("n2", "n0", 1.0, input_nr=1),
        edge("n3", "n2", 3.0),
        edge("n4", "n2", input_nr=1, cut=True),
        edge("n5", "n3", 18.0),
    )
    order = ("n0", "n2", "n3", "n5")
    return Graph(
        nodes, edges, outputs=("n0",), backward_order=order, create_graph=True, second_order=True
    )


def linear_mse() -> Graph:
    """fc = nn.Linear(2, 1) with W = [[0.5, -0.5]], b = [0.1]; X = [[1, 2], [3, 4]];
    loss = F.mse_loss(fc(X), [[1], [2]]); loss.backward().
    """
    dout = [[-1.4], [-2.4]]
    nodes = (
        op("n0", "MseLossBackward0", 3.86, 1.0, "loss", kind="output"),
        op("n1", "AddmmBackward0", [[-0.4], [-0.4]], dout),
        const("n2", "target", [[1.0], [2.0]]),
        leaf("n3", "fc.bias", [0.1], [-3.8]),
        const("n4", "X", [[1.0, 2.0], [3.0, 4.0]]),
        op("n5", "TBackward0", [[0.5], [-0.5]], [[-8.6], [-12.4]]),
        leaf("n6", "fc.weight", [[0.5, -0.5]], [[-8.6, -12.4]]),
    )
    edges = (
        edge("n1", "n0", dout),
        edge("n2", "n0", input_nr=1, cut=True),
        edge("n3", "n1", [-3.8]),
        edge("n4", "n1", input_nr=1, cut=True),
        edge("n5", "n1", [[-8.6], [-12.4]], input_nr=2),
        edge("n6", "n5", [[-8.6, -12.4]]),
    )
    order = ("n0", "n1", "n3", "n5", "n6")
    return Graph(nodes, edges, outputs=("n0",), backward_order=order)


def linear_mse_modules() -> Graph:
    """:func:`linear_mse` as capture records it once it knows modules: t and addmm are made by
    the call ``fc: Linear``, which also tags its parameters (the loss is functional)."""
    graph = linear_mse()
    nodes = tuple(
        dataclasses.replace(n, module="fc: Linear") if n.id in ("n1", "n3", "n5", "n6") else n
        for n in graph.nodes
    )
    return dataclasses.replace(graph, nodes=nodes)


GOLDEN = {
    "scalar_tutorial": scalar_tutorial,
    "nonscalar_vjp": nonscalar_vjp,
    "cut_detach": cut_graph,
    "multi_output": multi_output,
    "second_order": second_order,
    "linear_mse": linear_mse,
    "rnn_50": rnn,
    "chain_10000": chain,
}
