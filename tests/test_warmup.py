"""The server-start warm-up computes exactly what each page's first visitor asks for."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from autodiff_viz.ui import runs, warmup

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.mark.parametrize("page", [None, "pages/derivatives.py", "pages/descent.py"])
def test_default_pages_are_served_from_the_warmed_cache(page: str | None) -> None:
    warmup._warm()  # what app.py starts in a thread, here to the end
    misses = (runs._RUNS.misses, runs._JOBS.misses)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception and not at.error
    assert (runs._RUNS.misses, runs._JOBS.misses) == misses  # no run or job computed on demand
