"""The descent page in headless Chromium: press Play and watch the point walk down the curve."""

from __future__ import annotations

import pytest

from autodiff_viz.i18n import t
from tests.support.browser import screenshot, wait_for_app

pytestmark = pytest.mark.browser

CHART = ".js-plotly-plot"
CURRENT = ".slider-group > text.slider-label"  # the slider's "step: k" caption
# The moving point is the first moving trace; its second point is the marker (see descent_plots).
POINT_X = """() => {
  const chart = document.querySelector('.js-plotly-plot');
  const point = chart && chart.data && chart.data.find(d => d.mode === 'lines+markers');
  return point ? point.x[1] : null;
}"""


def test_play_moves_the_point_down_the_curve(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/descent?lang=en")
    wait_for_app(page)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=60_000)
    page.wait_for_function(f"() => ({POINT_X})() !== null")
    start = page.evaluate(POINT_X)
    assert start == 0.0  # tutorial 000 starts at x0 = 0
    screenshot(page, "descent-start")
    page.locator(f"{CHART} .updatemenu-button").filter(has_text="Play").click()
    # 120 frames of 40 ms: x climbs from 0 towards the minimum at 1.
    page.wait_for_function(f"() => ({POINT_X})() > 0.5", timeout=30_000)
    # The animation ends on the last frame, the final state of the 500 steps.
    current = page.locator(f"{CHART} {CURRENT}")
    page.wait_for_function(
        f"() => document.querySelector('{CHART} {CURRENT}').textContent === 'step: 500'",
        timeout=60_000,
    )
    assert page.evaluate(POINT_X) == pytest.approx(0.999959, abs=1e-6)
    assert current.text_content() == "step: 500"
    screenshot(page, "descent-end")


def test_switching_scene_draws_the_race(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/descent?lang=zh")
    wait_for_app(page)
    page.get_by_text(t("descent.scene.2d", "zh"), exact=True).click()
    wait_for_app(page)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=60_000)
    legend = page.locator(f"{CHART} .legend").text_content() or ""
    assert "Adam" in legend and "SGD + 动量 0.9" in legend
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "descent-race-zh")
