"""Presentation mode through the real pages (AppTest): one factor for the interface, the graph's
smallest fitted text and every plotly figure, and nothing of one mode shown in the other."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from autodiff_viz.ui.frame import PRESENTATION_CSS, PRESENTATION_SCALE
from autodiff_viz.ui.graph_view import MIN_TEXT_PX
from tests.support.apptest import APP, graph_data, plotly_figure, run_clean

KEPT = "presentation_kept"  # where the frame keeps the switch across languages and pages


def opened(page: str | None, presenting: bool, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state[KEPT] = presenting
    for key, value in {"lang": "en", **query}.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return run_clean(at)


def test_the_factor_is_the_interfaces_root_size() -> None:
    assert f"font-size: {PRESENTATION_SCALE:.0%}" in PRESENTATION_CSS


@pytest.mark.parametrize("presenting", [False, True])
def test_the_graph_fits_to_a_larger_smallest_text_when_presenting(presenting: bool) -> None:
    at = opened(None, presenting, example="t1_retain_grad")
    scale = PRESENTATION_SCALE if presenting else 1.0
    data = graph_data(at)
    assert data["scale"] == scale
    assert data["min_px"] == pytest.approx(MIN_TEXT_PX * scale)


def test_derivative_figure_is_larger_when_presenting_and_the_normal_one_stays() -> None:
    normal = plotly_figure(opened("pages/derivatives.py", False))
    big = plotly_figure(opened("pages/derivatives.py", True))
    assert big["layout"]["font"]["size"] == pytest.approx(normal["layout"]["font"]["size"] * 1.25)
    widths = [t["line"]["width"] for t in normal["data"] if "width" in t.get("line", {})]
    assert widths and [t["line"]["width"] for t in big["data"] if "width" in t.get("line", {})] == [
        pytest.approx(w * 1.25) for w in widths
    ]
    # Built for one mode, never handed to the other (the shared figure's key has the factor).
    again = plotly_figure(opened("pages/derivatives.py", False))
    assert again["layout"]["font"]["size"] == normal["layout"]["font"]["size"]


@pytest.mark.parametrize("scene", ["1d", "2d", "line"])
def test_every_descent_figure_is_larger_when_presenting(scene: str) -> None:
    def font(presenting: bool) -> float:
        at = opened("pages/descent.py", presenting)
        if scene != "1d":
            at.button_group(key="descent.scene").set_value(scene)
            run_clean(at)
        figure = plotly_figure(at)
        return float(figure["layout"]["font"].get("size", 12))

    assert font(True) == pytest.approx(font(False) * 1.25)
