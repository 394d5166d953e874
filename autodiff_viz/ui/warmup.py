"""Compute, at server start, what every first visitor of each page asks for.

In a classroom forty students open the same pages within seconds; measured, the
first cold job of the derivatives and descent pages set the p95 time to graph.
Started in a background thread, the defaults are in the result cache before the
class arrives, and callers asking at the same moment share the computation.
"""

from __future__ import annotations

import logging
import threading

from autodiff_viz.descent_data import TUTORIAL_000
from autodiff_viz.explorer import DEFAULT_FUNCTION, DEFAULT_INPUTS, OUTPUT_NAME, function_program
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.ui.derivatives_controls import default_options
from autodiff_viz.ui.runs import prefetch_job, prefetch_run

log = logging.getLogger(__name__)


def _warm() -> None:
    explorer_program = function_program(DEFAULT_FUNCTION, DEFAULT_INPUTS)
    try:
        prefetch_run(explorer_program, RunOptions())
        prefetch_run(explorer_program, RunOptions(backward_of=OUTPUT_NAME))
        prefetch_job("derivative", default_options().job_args())
        prefetch_job("descent", dict(TUTORIAL_000))
    except Exception:  # a warm-up is an optimisation: the pages compute on demand anyway
        log.exception("warming the default runs failed")


def warm_caches() -> threading.Thread:
    """Start computing the default runs of every page; returns the (daemon) thread."""
    thread = threading.Thread(target=_warm, name="autodiff-viz-warmup", daemon=True)
    thread.start()
    return thread
