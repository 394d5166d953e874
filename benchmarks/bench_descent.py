"""Trajectory time, figure build time and figure JSON size for the descent scenes.

Goal for the 500-step 1D animation: build <= 50 ms, JSON <= 100 KB; the race's 3D surface
view is printed under its contour animation (figure bytes are what every rerun re-sends).
Last, the time of one descent job (tutorial 000 and each 2D preset) through the warm worker
pool, as the page asks for it: sandboxed f, JSON both ways, process hop.
Run from the repository root: ``python -m benchmarks.bench_descent``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import torch

from autodiff_viz.descent.data import PRESETS_2D, TUTORIAL_000
from autodiff_viz.descent.job import descend_1d, fit_line, race_2d
from autodiff_viz.descent.plots import descent_figure, line_fit_figure
from autodiff_viz.descent.race_plots import race_figure
from autodiff_viz.descent.surface3d import surface_figure
from autodiff_viz.sandbox.pool import WorkerPool

REPEATS = 7


def median_ms(run: Callable[[], object], repeats: int = REPEATS) -> float:
    run()  # warm-up: first calls import plotly validators and torch.optim internals
    times = []
    for _ in range(repeats):
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
        # The same race as a rotatable 3D surface (no frames): what a toggle costs the page.
        rows.append(
            (
                f"  3D surface view of {key}",
                0.0,
                median_ms(lambda r=race, p=preset: surface_figure(r, log_z=p.log_z)),
                len(surface_figure(race, log_z=preset.log_z).to_json()) / 1000,
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


def pool_jobs() -> None:
    jobs = {"1d tutorial 000": TUTORIAL_000}
    jobs |= {f"2d {key}": {"scene": "2d", "preset": key} for key in PRESETS_2D}
    jobs["line fit"] = {"scene": "line"}
    print(f"\n{'job through the warm pool':<36} {'ms':>8}")
    with WorkerPool(1) as pool:
        pool.wait_ready()
        for name, args in jobs.items():
            # A long time limit: on a loaded machine the 2D presets near the page's 10 s.
            def run(a: dict = args) -> object:
                reply = pool.run_job("descent", a, timeout=120)
                assert reply["ok"] and "error" not in reply["result"], reply
                return reply

            print(f"{name:<36} {median_ms(run, repeats=3):>8.1f}")


if __name__ == "__main__":
    main()
    pool_jobs()
