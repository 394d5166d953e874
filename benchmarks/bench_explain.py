"""What explaining gradients costs: at capture time, and per node when someone asks.

Capture keeps the numbers each backward node saved (``Node.attrs``: an exponent, a dim),
where an in-place op on a view wrote (``CopySlices``) and a custom Function's backward code,
because the rules of :mod:`autodiff_viz.chain` need them. The first table prints the
capture of 10,000-node graphs (the shapes of ``bench_capture``) with and without all that
reading, run in turn in one process so that they share the machine's noise, and the
ratio (the budget: at most 1.2). The second prints what :func:`autodiff_viz.explain`
costs on those graphs: building the edge index once, then one node (a leaf and a node
in the middle), in pure Python, which is what the server does when a student asks.

Run: ``python -m benchmarks.bench_explain [SIZE]`` (default 10000).
"""

from __future__ import annotations

import sys
import time
from unittest import mock

from autodiff_viz.capture import Recorder, build, passes, recorder
from autodiff_viz.capture.walk import saved_scalars
from autodiff_viz.chain import explain
from autodiff_viz.chain.core import _INDEXES
from autodiff_viz.graph import Graph
from benchmarks.bench_capture import (
    Program,
    captured,
    chain,
    double_backward,
    interleaved_ms,
    mlp,
    rnn,
)


def attrs_ms(program: Program) -> tuple[float, float]:
    """ms of one capture, and ms of it spent reading the saved numbers (timed inside it)."""
    spent = [0.0]

    def timed(fn: object) -> object:
        start = time.perf_counter()
        found = saved_scalars(fn)
        spent[0] += time.perf_counter() - start
        return found

    start = time.perf_counter()
    with mock.patch.object(passes, "saved_scalars", timed):
        captured(program)
    return (time.perf_counter() - start) * 1e3, spent[0] * 1e3


def without_attrs(program: Program) -> None:
    """Capture without what only explanations need: saved numbers, in-place places, code."""
    with (
        mock.patch.object(passes, "saved_scalars", lambda fn: ()),
        mock.patch.object(recorder, "inplace_attrs", lambda func, args, kwargs: ()),
        mock.patch.object(build.GraphBuilder, "_custom", lambda self, fn: ()),
    ):
        captured(program)


def graph_of(program: Program) -> Graph:
    with Recorder(names=dict, line=lambda: None, source="") as rec:
        program().backward()
    return rec.graphs[-1]


def explain_ms(graph: Graph) -> tuple[float, float, float]:
    """ms of the first explanation (index included), of a leaf's, of a middle node's."""
    _INDEXES.clear()
    timings = []
    leaf = next(n for n in graph.nodes if n.is_leaf and n.grad is not None)
    middle = graph.nodes[len(graph.nodes) // 2]
    for node in (leaf, leaf, middle):
        start = time.perf_counter()
        explain(graph, node.id)
        timings.append((time.perf_counter() - start) * 1e3)
    return timings[0], timings[1], timings[2]


def capture_row(name: str, program: Program) -> str:
    before, after = interleaved_ms([lambda: without_attrs(program), lambda: captured(program)], 3)
    total, reading = attrs_ms(program)
    return (
        f"{name:<16} {before:10.1f} {after:10.1f} {after / before:6.2f}"
        f" {total:11.1f} {reading:11.2f} {reading / total:7.2%}"
    )


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    shapes = {"chain": chain, "mlp": mlp, "rnn": rnn, "double_backward": double_backward}
    print(f"capture of {size:,}-node graphs: without / with the saved numbers, best of 3 in turn;")
    print("then one capture, with the time spent reading the numbers measured inside it")
    head = f"{'graph':<16} {'before ms':>10} {'after ms':>10} {'ratio':>6}"
    print(f"{head} {'capture ms':>11} {'reading ms':>11} {'share':>7}")
    for name, make in shapes.items():
        print(capture_row(name, make(size)), flush=True)
    print("\nexplain one node, pure Python")
    print(f"{'graph':<16} {'nodes':>6} {'first ms':>9} {'leaf ms':>8} {'middle ms':>10}")
    for name, make in shapes.items():
        graph = graph_of(make(size))
        first, leaf, middle = explain_ms(graph)
        row = f"{name:<16} {len(graph.nodes):6d} {first:9.1f} {leaf:8.1f} {middle:10.1f}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
