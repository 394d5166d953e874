"""Median time per tutorial cell: in the sandbox, through a warm worker, and plain exec().

Run from the repository root: ``python -m benchmarks.bench_sandbox [repeats]``.
All sides are warm (one untimed run first) with the same seed; execute() includes the
gate, the interpreter, budgets and the graph recorder; the worker column adds the pool's
JSON round trip and the RunResult decoding the server does.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import sys
import time
import warnings
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autodiff_viz.sandbox.execute import execute
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import WorkerPool
from tests.sandbox import seed_cells

#: A class-based 2-layer MLP trained for 100 steps: the issue's bar is 2 s through a worker.
MLP_CLASS = """\
import torch.nn as nn
torch.manual_seed(0)
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.l1 = nn.Linear(2, 16)
        self.l2 = nn.Linear(16, 1)

    def forward(self, x):
        return self.l2(torch.relu(self.l1(x)))

x = torch.randn(64, 2)
y = (x ** 2).sum(dim=1, keepdim=True)
model = MLP()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for step in range(100):
    opt.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
print(loss.item())
"""


def plain(source: str) -> None:
    with torch.random.fork_rng(devices=[]), contextlib.redirect_stdout(io.StringIO()):
        torch.manual_seed(0)
        exec(compile(source, "<cell>", "exec"), {"torch": torch})


def median_ms(action: object, repeats: int) -> float:
    assert callable(action)
    action()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    warnings.simplefilter("ignore")
    programs = {key: seed_cells.CELLS[key] for key in seed_cells.RUNNABLE}
    programs["t3_regression_torch"] = seed_cells.T3_REGRESSION_TORCH
    restored = getattr(seed_cells, "T3_REGRESSION_RESTORED", None)  # classes + numpy (#16)
    if restored is not None:
        programs["t3_regression_class"] = restored
        programs["mlp_class_100_steps"] = MLP_CLASS
    pool = WorkerPool(1)
    pool.wait_ready()
    print(f"{'cell':<22}{'execute ms':>12}{'worker ms':>11}{'exec ms':>10}{'ratio':>8}")
    ratios, pooled = [], []
    for key, source in programs.items():
        text = seed_cells.program(key) if key in seed_cells.CELLS else source
        sandboxed = median_ms(lambda text=text: execute(text), repeats)
        through_pool = median_ms(lambda text=text: pool.run_program(text, RunOptions()), repeats)
        native = median_ms(lambda text=text: plain(text), repeats)
        ratios.append(through_pool / native)
        pooled.append(through_pool)
        print(
            f"{key:<22}{sandboxed:>12.2f}{through_pool:>11.2f}{native:>10.2f}"
            f"{through_pool / native:>8.1f}"
        )
    pool.close()
    print(
        f"through the worker: median {statistics.median(pooled):.1f} ms per cell; "
        f"ratio to plain exec median {statistics.median(ratios):.1f}, max {max(ratios):.1f}"
    )


if __name__ == "__main__":
    main()
