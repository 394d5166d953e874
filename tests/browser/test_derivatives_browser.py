"""The derivatives page in headless Chromium: f′ of sin drawn as cos, x₀ moved in the browser."""

from __future__ import annotations

import math

import pytest

from autodiff_viz.i18n import t
from tests.support.browser import screenshot, wait_for_app

pytestmark = pytest.mark.browser

PLOT = ".js-plotly-plot"
# The traces plotly.js drew, as plain JSON: x rebuilt from x0/dx where the grid is even.
READ_TRACES = """
() => document.querySelector('.js-plotly-plot').data.map(d => ({
    name: d.name ?? null,
    yaxis: d.yaxis,
    mode: d.mode,
    x: d.x ? Array.from(d.x) : Array.from(d.y, (_, i) => d.x0 + i * d.dx),
    y: Array.from(d.y),
}))
"""


def open_page(page, app_url: str, lang: str) -> list[dict]:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/derivatives?lang={lang}")
    wait_for_app(page)
    # The first curve of a server waits for a warm worker, then plotly.js loads: be patient.
    page.wait_for_selector(f"{PLOT} .slider-container", timeout=90_000)
    assert page.locator("[data-testid='stException']").count() == 0
    traces: list[dict] = page.evaluate(READ_TRACES)
    return traces


def point_on_df(traces: list[dict]) -> dict:
    """The moving point on f′ (its height is the tangent's slope)."""
    (point,) = (d for d in traces if d["yaxis"] == "y2" and len(d["x"]) == 1)
    return {"x": point["x"], "y": point["y"]}


def line(traces: list[dict], axis: str) -> dict:
    return next(d for d in traces if d["yaxis"] == axis and d["mode"] == "lines")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_drawn_derivative_of_sin_is_cos(page, app_url, lang) -> None:  # type: ignore[no-untyped-def]
    traces = open_page(page, app_url, lang)
    df = line(traces, "y2")
    assert df["name"] == t("deriv.df", lang)
    assert len(df["y"]) > 100
    assert df["x"][0] == 0.0 and df["x"][-1] == pytest.approx(2 * math.pi)
    assert max(abs(y - math.cos(x)) for x, y in zip(df["x"], df["y"], strict=True)) < 1e-6
    f = line(traces, "y")
    assert max(abs(y - math.sin(x)) for x, y in zip(f["x"], f["y"], strict=True)) < 1e-6
    shot = screenshot(page, f"derivatives-{lang}")
    assert shot.stat().st_size > 30_000  # a drawn figure, not a blank page


def test_the_tangent_slider_moves_in_the_browser(page, app_url) -> None:  # type: ignore[no-untyped-def]
    sent: list[object] = []  # what the page tells the server: a rerun would be a frame here

    def record(frame: object) -> None:  # a Python function: playwright cannot wrap a builtin
        sent.append(frame)

    def watch(socket) -> None:  # type: ignore[no-untyped-def]
        socket.on("framesent", record)

    page.on("websocket", watch)
    traces = open_page(page, app_url, "en")
    assert point_on_df(traces) == {"x": [1.0], "y": [pytest.approx(math.cos(1.0), abs=1e-6)]}
    page.wait_for_timeout(500)
    sent.clear()
    rail = page.locator(f"{PLOT} .slider-rail-rect").first
    box = rail.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 3, box["y"] + box["height"] / 2)  # the first step: x₀ = 0
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot').data.some("
        "d => d.yaxis === 'y2' && d.x && d.x.length === 1 && d.x[0] === 0)"
    )
    moved = page.evaluate(READ_TRACES)
    assert point_on_df(moved) == {"x": [0.0], "y": [pytest.approx(1.0, abs=1e-6)]}  # cos(0)
    page.wait_for_timeout(500)
    assert not sent  # no rerun: the tangent moved without the server
    page.remove_listener("websocket", watch)  # the tab serves the next test too
    screenshot(page, "derivatives-tangent-moved")
