"""The derivatives page's server side: one derivative job through the warm worker pool.

Run from the repository root: ``python benchmarks/bench_derivatives_page.py``. Prints medians for
1,000 points (the curve itself, without the pool, is in bench_derivative.py): the round trip a
page run waits for when the curve is not cached yet, its reply's size, and reading the reply
back into a Curve on the server. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autodiff_viz.sandbox.pool import WorkerPool
from autodiff_viz.ui.derivatives_controls import curve_or_error

POINTS = 1_000
REPEATS = 15
EXPRESSIONS = ("torch.sin(x)", "x**3 - 2*x", "torch.relu(x)")


def median_ms(work: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def main() -> None:
    pool = WorkerPool(size=1)
    pool.wait_ready()
    print(f"one derivative job of {POINTS:,} points through a warm pool, median of {REPEATS}")
    for expr in EXPRESSIONS:
        for second in (False, True):
            args = {"expr": expr, "lo": -math.pi, "hi": math.pi, "n": POINTS,
                    "second": second, "x0": 1.0}  # fmt: skip
            reply = pool.run_job("derivative", args)  # this expression's first use warms up
            assert reply["ok"] and "curve" in reply["result"], reply
            label = f"{expr}{' with f″' if second else ''}"
            print(
                f"  {label:<34} {median_ms(lambda a=args: pool.run_job('derivative', a)):7.1f} ms"
            )
    text = json.dumps(reply)
    print(f"  {'reply size (f″ included)':<34} {len(text) / 1024:7.1f} KiB")
    read = median_ms(lambda: curve_or_error(json.loads(text)))
    print(f"  {'server: reply to Curve':<34} {read:7.1f} ms")
    pool.close()


if __name__ == "__main__":
    main()
