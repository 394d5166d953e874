"""The server-start warm-up computes exactly what each page's first visitor asks for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from autodiff_viz.ui import runs, warmup

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


@pytest.mark.parametrize("page", [None, "pages/derivatives.py", "pages/descent.py"])
def test_default_pages_are_served_from_the_warmed_cache(page: str | None) -> None:
    warmup._warm()  # what app.py starts in a thread, here to the end
    misses = (runs._RUNS.stats().misses, runs._JOBS.stats().misses)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception and not at.error
    assert (
        runs._RUNS.stats().misses,
        runs._JOBS.stats().misses,
    ) == misses  # no run or job computed on demand


_FIGURES_AFTER_WARM_UP = """
import sys
from autodiff_viz.derivatives.job import derivative_job
from autodiff_viz.derivatives.data import curve_from_dict
from autodiff_viz.derivatives.plots import derivative_figure
from autodiff_viz.descent.job import descent_job
from autodiff_viz.descent.data import TUTORIAL_000, result_from_job
from autodiff_viz.descent.plots import descent_figure
from autodiff_viz.i18n import section
from autodiff_viz.ui.derivatives_controls import default_options
from autodiff_viz.ui.warmup import load_plotly

curve = curve_from_dict(derivative_job(default_options().job_args())["curve"])
trajectory = result_from_job(descent_job(dict(TUTORIAL_000)))
load_plotly()
before = {name for name in sys.modules if name.startswith("plotly")}
derivative_figure(
    curve, labels=section("deriv", "zh"), theme="dark", show_second=False, show_check=True
).to_json()
descent_figure(trajectory, labels=section("descent.plot", "zh"), theme="dark").to_json()
print(sorted({name for name in sys.modules if name.startswith("plotly")} - before))
"""


def test_load_plotly_imports_what_the_default_figures_need() -> None:
    # A fresh interpreter: in this one, earlier tests have imported all of plotly already.
    done = subprocess.run(
        [sys.executable, "-c", _FIGURES_AFTER_WARM_UP],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    assert done.stdout.strip() == "[]"


def _page_that_prefetches_in_a_thread() -> None:
    """A page whose script starts a prefetch in a thread of its own, as the warm-up does."""
    import threading

    from autodiff_viz.sandbox.options import RunOptions
    from autodiff_viz.ui import runs

    source = "import torch\nx = torch.ones(2, requires_grad=True)\nx.sum().backward()\n"
    thread = threading.Thread(target=runs.prefetch_run, args=(source, RunOptions()))
    thread.start()
    thread.join(60)


def test_prefetching_outside_a_session_reads_no_session_state(
    capfd: pytest.CaptureFixture[str],
) -> None:
    # The warm-up's thread has no session: reading a session's state there makes Streamlit
    # warn of a missing ScriptRunContext (and marks the run as nobody's in the queue).
    misses = runs._RUNS.stats().misses
    at = AppTest.from_function(_page_that_prefetches_in_a_thread, default_timeout=90)
    at.run()
    assert not at.exception
    assert runs._RUNS.stats().misses == misses + 1  # computed in the thread, not a cache hit
    assert "ScriptRunContext" not in capfd.readouterr().err
