"""to_dot time and `dot` layout time, ours against torchviz's, for four graph shapes.

Run from the repository root:  python -m benchmarks.bench_render [--timeout 5] [--sizes 10,100]

Ours: synthetic Graphs of ~N nodes (chain, MLP, shared-weight RNN, double backward) through
``to_dot`` with its defaults (shared leaves split, loops collapsed, at most 150 nodes drawn).
torchviz: ``make_dot`` of the same program run by real PyTorch. A layout that does not finish
within the time limit is killed and reported as "> T s".
"""

from __future__ import annotations

import argparse
import subprocess
import time
from collections.abc import Callable

from autodiff_viz.graph import Edge, Graph, Node
from autodiff_viz.render import to_dot
from tests.render.graphs import chain, edge, leaf, op, rnn


def mlp(n: int) -> Graph:
    """Layers of h = relu(h @ W.T + b): 5 nodes per layer (W, b, t, addmm, relu)."""
    nodes: list[Node] = [op("n0", "SumBackward0", 1.0, 1.0, "loss", kind="output")]
    edges: list[Edge] = []
    prev = None
    for layer in range(max(n // 5, 1)):
        w, b, t, mm, relu = (f"n{1 + 5 * layer + k}" for k in range(5))
        nodes += [
            leaf(w, f"W{layer}", [[0.1, 0.2], [0.3, 0.4]], [[0.1, 0.1], [0.1, 0.1]]),
            leaf(b, f"b{layer}", [0.0, 0.1], [0.1, 0.1]),
            op(t, "TBackward0", [[0.1, 0.3], [0.2, 0.4]], [[0.1, 0.1], [0.1, 0.1]]),
            op(mm, "AddmmBackward0", [0.5, 0.6], [1.0, 1.0]),
            op(relu, "ReluBackward0", [0.5, 0.6], [1.0, 1.0], "h"),
        ]
        edges += [edge(b, mm, [1.0, 1.0]), edge(w, t), edge(t, mm, input_nr=2), edge(mm, relu)]
        if prev is not None:
            edges.append(edge(prev, mm, [1.0, 1.0], input_nr=1))
        prev = relu
    edges.append(edge(prev or "n0", "n0", [1.0, 1.0]))
    return Graph(tuple(nodes), tuple(edges), outputs=("n0",))


def double_backward(n: int) -> Graph:
    """y = sin(sin(...sin(x))); g = dy/dx with create_graph: g's graph reads every forward step."""
    steps = max(n // 3, 1)
    nodes: list[Node] = [leaf("n1", "x", 0.5, 1.0)]
    edges: list[Edge] = []
    prev = "n1"
    for i in range(steps):  # forward chain
        nodes.append(op(f"f{i}", "SinBackward0", 0.5, 1.0))
        edges.append(edge(prev, f"f{i}", 1.0))
        prev = f"f{i}"
    back = None
    for i in reversed(range(steps)):  # g = prod cos(f_{i-1}): each factor reads a forward node
        src = "n1" if i == 0 else f"f{i - 1}"
        nodes.append(op(f"c{i}", "CosBackward0", 0.9, 1.0, second_order=True))
        edges.append(edge(src, f"c{i}", 1.0))
        nodes.append(op(f"m{i}", "MulBackward0", 0.9, 1.0, second_order=True))
        edges.append(edge(f"c{i}", f"m{i}", 1.0))
        if back is not None:
            edges.append(edge(back, f"m{i}", 1.0, input_nr=1))
        back = f"m{i}"
    final = nodes.pop()
    nodes.insert(0, Node(**{**final.__dict__, "kind": "output"}))
    return Graph(tuple(nodes), tuple(edges), outputs=(final.id,), second_order=True)


SHAPES: dict[str, Callable[[int], Graph]] = {
    "chain": chain,
    "mlp": mlp,
    "rnn": lambda n: rnn(max((n - 4) // 5, 1)),
    "double": double_backward,
}


def torchviz_dot(shape: str, n: int) -> str:
    import torch
    from torchviz import make_dot

    x = torch.tensor([0.5, -0.5], requires_grad=True)
    if shape == "chain":
        w, h = torch.tensor(1.0, requires_grad=True), x
        for i in range(n):
            h = h * w if i % 2 else h + 1
        return str(make_dot(h.sum()).source)
    if shape == "mlp":
        layers = [torch.nn.Linear(2, 2) for _ in range(max(n // 5, 1))]
        h = x
        for layer in layers:
            h = torch.relu(layer(h))
        return str(make_dot(h.sum()).source)
    if shape == "rnn":
        w = torch.randn(2, 2, requires_grad=True)
        u = torch.randn(2, 2, requires_grad=True)
        h = torch.zeros(2)
        for _ in range(max((n - 4) // 5, 1)):
            h = torch.tanh(w @ h + u @ x.detach())
        return str(make_dot(h.sum()).source)
    y = x
    for _ in range(max(n // 3, 1)):
        y = torch.sin(y)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    return str(make_dot(g.sum()).source)


def layout_seconds(dot: str, timeout: float) -> str:
    start = time.perf_counter()
    try:
        subprocess.run(
            ["dot", "-Tsvg"], input=dot.encode(), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return f"> {timeout:g} s"
    return f"{time.perf_counter() - start:.2f} s"


def torchviz_seconds(shape: str, n: int, timeout: float) -> str:
    try:
        return layout_seconds(torchviz_dot(shape, n), timeout)
    except RecursionError:  # make_dot walks the graph recursively
        return "RecursionError"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--sizes", default="10,100,1000,10000")
    parser.add_argument("--no-torchviz", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'shape':8} {'nodes':>6} {'to_dot':>9} {'dot (ours)':>11} {'torchviz dot':>13}")
    for shape, build in SHAPES.items():
        for n in sizes:
            graph = build(n)
            start = time.perf_counter()
            dot = to_dot(graph)
            ms = (time.perf_counter() - start) * 1000
            ours = layout_seconds(dot, args.timeout)
            theirs = "-" if args.no_torchviz else torchviz_seconds(shape, n, args.timeout)
            print(f"{shape:8} {len(graph.nodes):>6} {ms:>7.1f}ms {ours:>11} {theirs:>13}")


if __name__ == "__main__":
    main()
