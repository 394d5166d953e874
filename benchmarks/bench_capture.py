"""Capture cost against bare forward+backward and against torchviz.make_dot.

Four graph shapes at about 10 / 100 / 1,000 / 10,000 autograd nodes: a chain
of scalar ops, an MLP on a batch (depth grows), an RNN cell with shared
weights unrolled over time, and a double-backward graph. Each row prints the
best wall time of the bare program (forward + backward, the floor), of the
same program captured with ``autodiff_viz.capture``, their ratio, and of
``torchviz.make_dot`` on the same graph (forward + drawing, no values).

The ``watch`` column is what the two hooks PyTorch offers Python cost on their
own, doing nothing: a dispatch mode that sees every op of the forward pass
(where values are taken) and a hook on every node of the backward pass (where
grads and the engine's order are taken). Capture cannot cost less than that.
Last, the memory the captured Graphs hold (Python heap, ``tracemalloc``): values
stay packed until read.

Run: ``python benchmarks/bench_capture.py [SIZE ...]`` (default 10 100 1000 10000);
times are the best of a few repeats, the three programs taking turns, after one
untimed warm-up run of each (the first run pays torch's lazy initialisation,
which is neither the floor's nor capture's cost). The best, as ``timeit``
advises: on a shared machine the slower runs measure the other processes.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator

import torch
from torch.utils._python_dispatch import TorchDispatchMode

from autodiff_viz.capture import Recorder
from autodiff_viz.graph import Graph, TensorValue

sys.setrecursionlimit(1_000)  # Python's default: what a notebook user has

Program = Callable[[], torch.Tensor]  # builds the forward graph, returns the output


def chain(n: int) -> Program:
    def forward() -> torch.Tensor:
        x = torch.tensor(0.5, requires_grad=True)
        y = x
        for _ in range(n - 1):  # n - 1 MulBackward0 + one AccumulateGrad
            y = y * 1.001
        return y

    return forward


def mlp(n: int) -> Program:
    layers = max(1, n // 6)  # each layer: t, addmm, relu, 2 parameters ~ 5-6 nodes
    torch.manual_seed(0)
    weights = [torch.nn.Linear(16, 16) for _ in range(layers)]

    def forward() -> torch.Tensor:
        h = torch.randn(32, 16)
        for layer in weights:
            h = torch.relu(layer(h))
        return h.pow(2).mean()

    return forward


def rnn(n: int) -> Program:
    steps = max(1, n // 4)  # mm, add, tanh (+ a view) per step, weights shared
    torch.manual_seed(0)
    w = torch.randn(8, 8, requires_grad=True)
    u = torch.randn(8, 8, requires_grad=True)

    def forward() -> torch.Tensor:
        h = torch.zeros(1, 8)
        for _ in range(steps):
            h = torch.tanh(h @ w + torch.ones(1, 8) @ u)
        return h.sum()

    return forward


def double_backward(n: int) -> Program:
    depth = max(1, n // 8)  # the first-order graph doubles, roughly, in the second pass

    def forward() -> torch.Tensor:
        x = torch.tensor(0.3, requires_grad=True)
        y = x
        for _ in range(depth):
            y = torch.sin(y) * 1.1
        (dy,) = torch.autograd.grad(y, x, create_graph=True)
        return dy

    return forward


def autograd_nodes(root: torch.Tensor) -> set[object]:
    seen, stack = {root.grad_fn}, [root.grad_fn]
    while stack:
        for child, _ in stack.pop().next_functions:
            if child is not None and child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def count_nodes(root: torch.Tensor) -> int:
    return len(autograd_nodes(root))


def best_ms(fn: Callable[[], object], repeats: int) -> float:
    (ms,) = interleaved_ms([fn], repeats)
    return ms


def interleaved_ms(fns: list[Callable[[], object]], repeats: int) -> list[float]:
    """Best wall time of each of ``fns``, run in turn so that they share the machine's noise."""
    for fn in fns:
        fn()  # warm-up, untimed
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, spent in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            spent.append((time.perf_counter() - start) * 1e3)
    return [min(spent) for spent in times]


def bare(program: Program) -> None:
    program().backward()


class _SeeEveryOp(TorchDispatchMode):
    """A dispatch mode that runs each op and does nothing else."""

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        return False

    def __torch_dispatch__(
        self, func: object, types: object, args: tuple = (), kwargs: dict | None = None
    ) -> object:
        return func(*args, **(kwargs or {}))  # type: ignore[operator]


def _ignore(grad_inputs: object, grad_outputs: object) -> None:
    return None


def watched(program: Program) -> None:
    """The program under capture's two hooks, each doing nothing."""
    with _SeeEveryOp():
        out = program()
    handles = [node.register_hook(_ignore) for node in autograd_nodes(out)]  # type: ignore[attr-defined]
    out.backward()
    for handle in handles:
        handle.remove()


def captured(program: Program) -> None:
    with Recorder(names=dict, line=lambda: None, source="") as rec:
        program().backward()
    assert rec.graphs


def graph_memory(program: Program) -> tuple[float, float]:
    """MiB of Python heap a run's Graphs hold: as captured, and once every value is read."""
    tracemalloc.start()
    with Recorder(names=dict, line=lambda: None, source="") as rec:
        program().backward()
    graphs = rec.graphs
    del rec
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    for graph in graphs:
        for value in graph_values(graph):
            _ = value.data, value.stats
    read = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return held / 2**20, read / 2**20


def graph_values(graph: Graph) -> Iterator[TensorValue]:
    for node in graph.nodes:
        yield from (v for v in (node.value, node.grad) if v is not None)
    yield from (edge.grad for edge in graph.edges if edge.grad is not None)


def torchviz(program: Program) -> str:
    try:
        from torchviz import make_dot
    except ImportError:
        return "not installed"
    try:
        ms = best_ms(lambda: make_dot(program()).source, 2)
    except RecursionError:
        return "RecursionError"
    return f"{ms:9.1f}"


def main() -> None:
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    header = f"{'graph':16} {'nodes':>6} {'bare ms':>9} {'capture ms':>11} {'ratio':>6} "
    print(header + f"{'watch ms':>9} {'ratio':>6} {'torchviz ms':>14}")
    shapes = {"chain": chain, "mlp": mlp, "rnn": rnn, "double-backward": double_backward}
    sizes = [int(arg) for arg in sys.argv[1:]] or [10, 100, 1_000, 10_000]
    for name, make in shapes.items():
        for n in sizes:
            program = make(n)
            nodes = count_nodes(program())
            repeats = 7 if n <= 1_000 else 5
            floor, cost, watch = interleaved_ms(
                [
                    lambda p=program: bare(p),
                    lambda p=program: captured(p),
                    lambda p=program: watched(p),
                ],
                repeats,
            )
            print(
                f"{name:16} {nodes:6d} {floor:9.2f} {cost:11.2f} {cost / floor:6.1f} "
                f"{watch:9.2f} {watch / floor:6.1f} {torchviz(program):>14}"
            )
    print("\nMiB the Graphs of one run hold (largest size): as captured, once every value is read")
    for name, make in shapes.items():
        held, read = graph_memory(make(max(sizes)))
        print(f"{name:16} {held:8.1f} {read:8.1f}")


if __name__ == "__main__":
    main()
