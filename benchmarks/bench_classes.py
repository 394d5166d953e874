"""A class-based MLP against the same MLP as nn.Sequential, through a warm worker.

Run from the repository root: ``python -m benchmarks.bench_classes [repeats]``.
Prints the median wall time of 100 Adam steps of a 2-layer MLP written as an
``nn.Module`` class (the issue's bar: 2 s), the same model as ``nn.Sequential``
(no user code in forward), and plain ``exec`` in this process with one thread
(the worker's setting), interleaved so that a busy machine slows all alike.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import WorkerPool
from benchmarks.bench_sandbox import MLP_CLASS

SEQUENTIAL = MLP_CLASS.replace(
    "model = MLP()", "model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 1))"
)


def plain(source: str) -> None:
    with torch.random.fork_rng(devices=[]), contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "<cell>", "exec"), {"torch": torch})


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    torch.set_num_threads(1)
    pool = WorkerPool(1)
    pool.wait_ready()
    sides = {
        "class MLP, worker": lambda: pool.run_program(MLP_CLASS, RunOptions()),
        "nn.Sequential, worker": lambda: pool.run_program(SEQUENTIAL, RunOptions()),
        "class MLP, plain exec": lambda: plain(MLP_CLASS),
    }
    times: dict[str, list[float]] = {name: [] for name in sides}
    for action in sides.values():
        action()
    for _ in range(repeats):
        for name, action in sides.items():
            started = time.perf_counter()
            action()
            times[name].append(time.perf_counter() - started)
    pool.close()
    base = statistics.median(times["class MLP, plain exec"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<24}{median:>8.2f} s{median / base:>8.1f}x plain")


if __name__ == "__main__":
    main()
