"""The derivatives figure: its traces, the tangent slider, gaps and markers, and its JSON size."""

from __future__ import annotations

import json
import math

import pytest
import torch

from autodiff_viz.derivatives.job import derivative_curve
from autodiff_viz.derivatives.plots import DEFAULT_LABELS, SLIDER_POSITIONS, derivative_figure


def figure_json(curve, **options) -> dict:
    options = {"labels": {}, "show_second": False, "show_check": True, **options}
    return json.loads(derivative_figure(curve, **options).to_json())


def trace(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name", "").startswith(name))


def test_f_and_autograd_derivative_rows_share_x() -> None:
    curve = derivative_curve(torch.sin, 0.0, 2 * math.pi, 200, second=True)
    fig = figure_json(curve, show_second=True)
    f, df, d2f = (trace(fig, DEFAULT_LABELS[k]) for k in ("f", "df", "d2f"))
    assert (f["yaxis"], df["yaxis"], d2f["yaxis"]) == ("y", "y2", "y3")
    assert fig["layout"]["xaxis2"]["matches"] == fig["layout"]["xaxis3"]["matches"] == "x"
    for drawn, values in ((f, curve.y), (df, curve.dy), (d2f, curve.d2y)):
        xs = [drawn["x0"] + i * drawn["dx"] for i in range(curve.n)]  # x rebuilt by plotly
        assert xs == pytest.approx(curve.x, abs=1e-12)
        assert drawn["y"] == pytest.approx(values, rel=1e-6, abs=1e-12)


def test_check_markers_carry_the_max_error_in_the_legend() -> None:
    curve = derivative_curve(torch.sin, 0.0, 2 * math.pi, 1000)
    check = trace(figure_json(curve), "finite difference")
    assert check["name"] == f"finite difference (max error {curve.fd_max_error:.2g})"
    assert check["mode"] == "markers" and len(check["x"]) == 40
    assert check["y"] == pytest.approx([math.cos(x) for x in check["x"]], abs=1e-6)
    names = [t.get("name", "") for t in figure_json(curve, show_check=False)["data"]]
    assert not any(n.startswith("finite difference") for n in names)


def test_slider_moves_the_tangent_line_and_the_points_in_the_browser() -> None:
    curve = derivative_curve(torch.sin, 0.0, 2 * math.pi, 1000, second=True, x0=1.0)
    fig = figure_json(curve, show_second=True)
    slider = fig["layout"]["sliders"][0]
    steps = slider["steps"]
    assert len(steps) == SLIDER_POSITIONS + 1  # the grid's positions and x0 itself
    assert steps[slider["active"]]["label"].startswith("1   slope f′(x₀) = 0.5403")
    moving = steps[0]["args"][1]
    assert fig["data"][moving[0]]["name"] == DEFAULT_LABELS["tangent"]
    assert [fig["data"][i]["yaxis"] for i in moving] == ["y", "y", "y2", "y3"]
    tangent_heights = set()
    for step in steps:
        assert step["method"] == "restyle"
        (line_x, x0, *_), (line_y, y0, slope, d2) = step["args"][0]["x"], step["args"][0]["y"]
        assert line_x == [curve.x[0], curve.x[-1]]
        measured = (line_y[1] - line_y[0]) / (line_x[1] - line_x[0])
        assert measured == pytest.approx(slope[0], rel=1e-5, abs=1e-6)
        assert slope[0] == pytest.approx(math.cos(x0[0]), abs=1e-6)  # f′(x₀) on the f′ row
        assert y0[0] == pytest.approx(math.sin(x0[0]), abs=1e-6)
        assert d2[0] == pytest.approx(-math.sin(x0[0]), abs=1e-6)
        tangent_heights.add(tuple(line_y))
    assert len(tangent_heights) == len(steps)  # every step moves the line


def test_kinks_break_the_derivative_and_show_autograds_pick() -> None:
    curve = derivative_curve(torch.abs, -2.0, 2.0, 201)
    fig = figure_json(curve)
    assert trace(fig, DEFAULT_LABELS["df"])["y"][100] is None
    kinks = [t for t in fig["data"] if t.get("legendgroup") == "kink"]
    assert [(k["x"], k["y"], k["yaxis"]) for k in kinks] == [
        ([0.0], [0.0], "y"),
        ([0.0], [0.0], "y2"),
    ]
    assert sum(k["showlegend"] for k in kinks) == 1


def test_nan_and_inf_leave_gaps_and_shaded_bands() -> None:
    pole = derivative_curve(lambda x: 1 / x, -2.0, 2.0, 201)
    fig = figure_json(pole)
    assert trace(fig, DEFAULT_LABELS["f"])["y"][100] is None
    (band,) = fig["layout"]["shapes"]
    assert band["x0"] < 0.0 < band["x1"] and band["name"] == "nan / inf" and band["showlegend"]
    assert max(abs(v) for v in fig["layout"]["yaxis"]["range"]) < 100  # the pole sets no scale

    half = figure_json(derivative_curve(torch.sqrt, -1.0, 1.0, 201))
    (band,) = half["layout"]["shapes"]  # one band for the whole stretch of negative x
    assert band["x0"] < -1.0 and -0.01 < band["x1"] < 0.01
    assert json.dumps(half, allow_nan=False)  # strict JSON: nan became null


def test_labels_theme_and_json_size() -> None:
    curve = derivative_curve(torch.sin, 0.0, 2 * math.pi, 1000, second=True, x0=2.0)
    fig = figure_json(
        curve, labels={"f": "函数 f(x)", "x0": "点 x₀"}, theme="dark", show_second=True
    )
    assert trace(fig, "函数 f(x)")["yaxis"] == "y"
    assert fig["layout"]["sliders"][0]["currentvalue"]["prefix"] == "点 x₀ = "
    assert fig["layout"]["template"]["layout"]["paper_bgcolor"] != "white"
    size = len(derivative_figure(curve, labels={}, show_second=True, show_check=True).to_json())
    assert size < 60_000, size  # re-sent on every rerun: only the moving traces are per step


def test_invalid_requests_are_refused() -> None:
    curve = derivative_curve(torch.sin, 0.0, 1.0, 10)
    with pytest.raises(ValueError, match="second=True"):
        derivative_figure(curve, labels={}, show_second=True, show_check=False)
    with pytest.raises(ValueError, match="theme"):
        derivative_figure(curve, labels={}, theme="sepia", show_second=False, show_check=False)


@pytest.mark.browser
def test_moving_the_slider_keeps_every_trace_drawn(tmp_path, page) -> None:  # type: ignore[no-untyped-def]
    curve = derivative_curve(torch.sin, 0.0, 2 * math.pi, 300, second=True, x0=1.0)
    page_file = tmp_path / "figure.html"
    derivative_figure(curve, labels={}, show_second=True, show_check=True).write_html(
        page_file, include_plotlyjs=True, auto_play=False
    )
    page.set_viewport_size({"width": 1280, "height": 1100})  # the slider in view
    page.goto(page_file.as_uri())
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace")
    drawn = "() => document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length"
    before = page.evaluate(drawn)
    line = "() => document.querySelector('.js-plotly-plot').data[4].y"
    start = page.evaluate(line)
    box = page.locator(".slider-rail-touch-rect").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    moved = page.evaluate(line)
    after = page.evaluate(drawn)
    assert before == after == 8  # f, f′, f″, the check, the tangent and three points
    assert start == pytest.approx(
        [math.sin(1.0) - math.cos(1.0), math.sin(1.0) + math.cos(1.0) * (2 * math.pi - 1)], rel=1e-6
    )
    assert moved != pytest.approx(start, rel=1e-3)  # the click moved the tangent
