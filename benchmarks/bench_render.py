"""to_dot time and `dot` layout time, ours against torchviz's, for four graph shapes.

Run from the repository root:  python -m benchmarks.bench_render [--timeout 5] [--sizes 10,100]

Ours: synthetic Graphs of ~N nodes (chain, MLP, shared-weight RNN, double backward) through
``to_dot`` with its defaults (shared leaves split, loops collapsed, at most 150 nodes drawn).
``mlp+fold`` is the MLP as ``nn.Sequential(Linear, ReLU, ...)``: its nodes carry their module
calls, so ``to_dot``'s default ``fold_modules="auto"`` draws each call as one node (graphs over
30 nodes); torchviz draws the same MLP program.
torchviz: ``make_dot`` of the same program run by real PyTorch. A layout that does not finish
within the time limit is killed and reported as "> T s". ``to_dot`` is timed on its first call
(which builds the graph's id index), as the best of three wall-clock calls, and as the best of
three in CPU time of this process (steadier on a machine other programs keep busy).
"""

from __future__ import annotations

import argparse
import subprocess
import time
from collections.abc import Callable

from autodiff_viz.graph import Graph
from autodiff_viz.render.dot import to_dot
from tests.support.graphs import SHAPES, mlp

BENCH_SHAPES: dict[str, Callable[[int], Graph]] = {
    **SHAPES,
    "mlp+fold": lambda n: mlp(n, modules=True),
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
    print(
        f"{'shape':8} {'nodes':>6} {'to_dot 1st':>10} {'best of 3':>9} {'cpu':>8} "
        f"{'dot (ours)':>11} {'torchviz dot':>13}"
    )
    for shape, build in BENCH_SHAPES.items():
        for n in sizes:
            graph = build(n)
            first, dot = _timed(graph)  # includes building the graph's id index
            best = min(_timed(graph)[0] for _ in range(3))
            cpu = min(_timed(graph, time.process_time)[0] for _ in range(3))
            ours = layout_seconds(dot, args.timeout)
            program = shape.removesuffix("+fold")
            theirs = "-" if args.no_torchviz else torchviz_seconds(program, n, args.timeout)
            print(
                f"{shape:8} {len(graph.nodes):>6} {first:>8.1f}ms {best:>7.1f}ms {cpu:>6.1f}ms "
                f"{ours:>11} {theirs:>13}"
            )


def _timed(graph: Graph, clock: Callable[[], float] = time.perf_counter) -> tuple[float, str]:
    """Milliseconds ``to_dot(graph)`` takes on ``clock``, and its text.

    ``time.process_time`` counts only this process, so other programs on the machine add less.
    """
    start = clock()
    dot = to_dot(graph)
    return (clock() - start) * 1000, dot


if __name__ == "__main__":
    main()
