"""Prepare a server, at its start, for the class that opens the same pages within seconds.

* :func:`prepare_server` does it all, once per process: workers, a frozen heap, warm caches.
* :func:`warm_caches` computes what every first visitor of each page asks for: measured, the
  first cold job of the derivatives and descent pages set the p95 time to graph. Started in a
  background thread, the defaults are in the result cache before the class arrives, and
  callers asking at the same moment share the computation.
* :func:`load_plotly` builds one small figure of each kind the pages draw: plotly imports
  the classes of a figure's parts on first use, a hundred modules, which forty sessions
  otherwise wait for behind Python's import lock (and which ``gc.freeze`` then leaves out).
"""

from __future__ import annotations

import gc
import importlib
import logging
import pkgutil
import threading

import autodiff_viz.ui
from autodiff_viz.derivatives.data import Curve, Tangent
from autodiff_viz.derivatives.plots import derivative_figure
from autodiff_viz.descent.data import TUTORIAL_000, Grid, LineFit, Path2D, Race2D, Trajectory1D
from autodiff_viz.descent.plots import descent_figure, line_fit_figure
from autodiff_viz.descent.race_plots import race_figure
from autodiff_viz.explorer.data import (
    DEFAULT_FUNCTION,
    DEFAULT_INPUTS,
    OUTPUT_NAME,
    function_program,
)
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import get_pool
from autodiff_viz.ui.derivatives_controls import curve_or_error, default_options
from autodiff_viz.ui.descent_controls import descent_result
from autodiff_viz.ui.runs import prefetch_job, prefetch_run

log = logging.getLogger(__name__)
_PREPARED = threading.Event()
_PREPARING = threading.Lock()


def prepare_server() -> None:
    """Once per server process: start the workers and freeze the heap built by the imports.

    The workers import PyTorch for seconds; starting them now, without waiting, lets them warm
    up while the first page draws. Streamlit collects garbage after every run, and a full
    collection walks every object of the process: forty sessions at once measured several
    times slower for it. Frozen objects are never walked again, so a run pays only for what it
    creates.

    A plain function, not ``st.cache_resource``: the app's script runs on every rerun, and
    decorating there reads the function's source each time (3 % of an explorer run, measured).
    """
    if _PREPARED.is_set():
        return
    with _PREPARING:
        if _PREPARED.is_set():
            return
        get_pool()
        # The pages are built from autodiff_viz.ui: import all of it now, so it is frozen too.
        for module in pkgutil.iter_modules(autodiff_viz.ui.__path__, "autodiff_viz.ui."):
            importlib.import_module(module.name)
        load_plotly()  # and the plotly classes the figures are made of
        gc.freeze()
        # And collect less often: a run allocates tens of thousands of short-lived objects
        # (protobuf messages, widget states), and the default threshold of 700 started a
        # collection of the youngest generation dozens of times per run. Measured, 20
        # simultaneous sessions: server CPU per explorer session 28 -> 20 ms, descent 21 -> 15 ms.
        # Cycles are still collected.
        gc.set_threshold(50_000, 50, 50)
        # Last: the default runs of every page, computed in the background for the first class.
        warm_caches()
        _PREPARED.set()


def _warm() -> None:
    explorer_program = function_program(DEFAULT_FUNCTION, DEFAULT_INPUTS)
    try:
        prefetch_run(explorer_program, RunOptions())
        prefetch_run(explorer_program, RunOptions(backward_of=OUTPUT_NAME))
        prefetch_job("derivative", default_options().job_args(), curve_or_error)
        prefetch_job("descent", dict(TUTORIAL_000), descent_result)
    except Exception:  # a warm-up is an optimisation: the pages compute on demand anyway
        log.exception("warming the default runs failed")


def warm_caches() -> threading.Thread:
    """Start computing the default runs of every page; returns the (daemon) thread."""
    thread = threading.Thread(target=_warm, name="autodiff-viz-warmup", daemon=True)
    thread.start()
    return thread


def load_plotly() -> None:
    """Build and serialise one tiny figure of each kind the pages draw (see the module doc)."""
    two = (0.0, 1.0)
    curve = Curve(two, two, two, two, 1e-3, 0.0, (0,), (1,), two, Tangent(0.0, 0.0, 1.0, 0.0))
    trajectory = Trajectory1D("SGD", 0.1, 1, two, two, two, two, two)
    race = Race2D(two, 1, (Path2D("SGD", 0.1, two, two, two),), Grid(two, two, (two, two)))
    fit = LineFit(two, two, 0.1, 0, two, two, two)
    for theme in ("light", "dark"):  # each theme's template has parts of its own
        figures = [
            derivative_figure(curve, labels={}, theme=theme, show_second=True, show_check=True),
            descent_figure(trajectory, labels={}, theme=theme),
            race_figure(race, labels={}, theme=theme),
            line_fit_figure(fit, labels={}, theme=theme),
        ]
        for figure in figures:
            figure.to_json()
