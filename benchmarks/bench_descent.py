"""Trajectory time, figure build time and figure JSON size for the descent scenes.

Goal for the 500-step 1D animation: build <= 50 ms, JSON <= 100 KB.
Run: python benchmarks/bench_descent.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import torch

from autodiff_viz.descent import descend_1d, fit_line, race_2d
from autodiff_viz.descent_data import PRESETS_2D
from autodiff_viz.descent_plots import descent_figure, line_fit_figure, race_figure

REPEATS = 7


def median_ms(run: Callable[[], object]) -> float:
    run()  # warm-up: first calls import plotly validators and torch.optim internals
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def tutorial_f(x: torch.Tensor) -> torch.Tensor:
    return x**2 - 2 * x + 1


def main() -> None:
    rows = []
    for steps in (500, 5000):
        traj = descend_1d(tutorial_f, 0.0, steps=steps)
        fig = descent_figure(traj)
        rows.append(
            (
                f"1d SGD, {steps} steps",
                median_ms(lambda s=steps: descend_1d(tutorial_f, 0.0, steps=s)),
                median_ms(lambda t=traj: descent_figure(t)),
                len(fig.to_json()) / 1000,
            )
        )
    for key, preset in PRESETS_2D.items():
        f = eval(f"lambda x, y: {preset.expr}")  # trusted preset text, benchmark only

        def run(p=preset, f=f):
            return race_2d(f, p.start, lr=p.lrs, steps=p.steps, bounds=p.bounds)

        race = run()
        rows.append(
            (
                f"2d {key}, 4 optimisers x {preset.steps}",
                median_ms(run),
                median_ms(lambda r=race, p=preset: race_figure(r, log_z=p.log_z)),
                len(race_figure(race, log_z=preset.log_z).to_json()) / 1000,
            )
        )
    fit = fit_line()
    rows.append(
        (
            "line fit, 100 epochs",
            median_ms(fit_line),
            median_ms(lambda: line_fit_figure(fit)),
            len(line_fit_figure(fit).to_json()) / 1000,
        )
    )
    print(f"{'scene':<36} {'run ms':>8} {'figure ms':>10} {'JSON KB':>8}")
    for name, run_ms, fig_ms, kb in rows:
        print(f"{name:<36} {run_ms:>8.1f} {fig_ms:>10.1f} {kb:>8.1f}")


if __name__ == "__main__":
    main()
