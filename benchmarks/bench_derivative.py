"""Derivative curves and their figure: time per curve (goal <= 20 ms for 1,000 points) and size.

Run: python benchmarks/bench_derivative.py
Prints medians of several runs. The first sandboxed curve of a process, which warms up the
sandbox's checks, is timed on its own.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable

import torch

from autodiff_viz.derivatives.job import derivative_curve
from autodiff_viz.derivatives.plots import derivative_figure
from autodiff_viz.sandbox.execute import compile_function

POINTS = 1_000
REPEATS = 15
LO, HI = 0.0, 2 * math.pi
EXPRESSIONS = ("torch.sin(x)", "x**3 - 2*x", "torch.relu(x)", "x*torch.sin(x)")


def median_ms(work: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def row(label: str, value: str) -> None:
    print(f"{label:<52} {value:>16}")


def curve_times(f: Callable[[torch.Tensor], torch.Tensor]) -> str:
    first = median_ms(lambda: derivative_curve(f, LO, HI, POINTS))
    both = median_ms(lambda: derivative_curve(f, LO, HI, POINTS, second=True, x0=1.0))
    return f"{first:.1f} | {both:.1f} ms"


def main() -> None:
    threads = torch.get_num_threads()
    print(f"derivative curves of {POINTS:,} points, median of {REPEATS}, {threads} torch threads")
    row("curve: f′ only | f′, f″ and the tangent", "")
    row("  plain torch.sin", curve_times(torch.sin))

    start = time.perf_counter()
    derivative_curve(compile_function("x**3 - 2*x", ("x",)), LO, HI, POINTS, second=True)
    row("  sandboxed: first curve of the process", f"{(time.perf_counter() - start) * 1e3:.0f} ms")
    for expr in EXPRESSIONS:
        f = compile_function(expr, ("x",))
        derivative_curve(f, LO, HI, POINTS, second=True)  # this expression's first use
        row(f"  sandboxed {expr}", curve_times(f))

    print()
    curve = derivative_curve(torch.sin, LO, HI, POINTS, second=True, x0=1.0)
    for rows in (2, 3):

        def build(rows: int = rows) -> str:
            figure = derivative_figure(curve, labels={}, show_second=rows == 3, show_check=True)
            return str(figure.to_json())

        build()
        row(f"figure, {rows} rows: build + to_json", f"{median_ms(build, 7):.1f} ms")
        row(f"figure, {rows} rows: JSON size", f"{len(build()) / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
