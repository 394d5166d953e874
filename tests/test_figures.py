"""Figures shared between sessions (once per key and scale) and presentation mode's scaling."""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go
import pytest
import torch

from autodiff_viz.derivatives.job import derivative_curve
from autodiff_viz.derivatives.plots import derivative_figure
from autodiff_viz.descent.job import descend_1d
from autodiff_viz.descent.plots import descent_figure
from autodiff_viz.ui.figures import PLOTLY_FONT_PX, scaled_figure, shared_figure


def _figure(y: list[float]) -> go.Figure:
    return go.Figure(go.Scatter(x=[0, 1, 2], y=y), layout={"title": {"text": "f"}})


def test_a_key_is_built_once_and_reads_like_a_fresh_figure() -> None:
    builds: list[int] = []

    def build() -> go.Figure:
        builds.append(1)
        return _figure([1.0, 2.0, 3.0])

    first = shared_figure(["test", 1], build)
    again = shared_figure(["test", 1], build)
    assert again is first and len(builds) == 1
    assert first.to_dict() == _figure([1.0, 2.0, 3.0]).to_dict()
    assert first.to_dict() is first.to_dict()  # made once, not a copy per session
    other = shared_figure(["test", 2], lambda: _figure([3.0, 2.0, 1.0]))
    assert list(other.to_dict()["data"][0]["y"]) == [3.0, 2.0, 1.0]


def _sizes(tree: object, part: str = "", found: list[tuple[str, float]] | None = None) -> list:
    """Every (kind, number) size of a figure's dict: text sizes, marker sizes, line widths."""
    found = [] if found is None else found
    if isinstance(tree, list):
        for item in tree:
            _sizes(item, part, found)
    elif isinstance(tree, dict):
        for key, value in tree.items():
            _sizes(value, key, found)
        wanted = {"font": "size", "marker": "size", "line": "width"}
        kind = "font" if part.endswith("font") else part
        size = tree.get(wanted.get(kind, ""))
        for number in size if isinstance(size, list) else [size]:
            if isinstance(number, int | float) and not isinstance(number, bool):
                found.append((kind, float(number)))
    return found


def test_scaling_enlarges_every_text_marker_and_line_of_a_real_figure() -> None:
    tutorial = descend_1d(lambda x: x**2 - 2 * x + 1, 0.0)
    plain = descent_figure(tutorial, labels={}, theme="dark").to_dict()
    before = json.dumps(plain, sort_keys=True, default=str)
    big = scaled_figure(plain, 1.25)
    assert json.dumps(plain, sort_keys=True, default=str) == before  # the input is left alone
    assert len(big["frames"]) == len(plain["frames"]) > 0  # frames restyle the scaled traces
    # Everything but the layout's base font, which the plain figure leaves to plotly.
    sizes = _sizes({**plain, "layout": {**plain["layout"], "font": None}})
    scaled = _sizes({**big, "layout": {**big["layout"], "font": None}})
    assert {kind for kind, _ in sizes} >= {"marker", "line"}
    assert len(scaled) == len(sizes)
    for (kind, old), (same_kind, new) in zip(sizes, scaled, strict=True):
        assert kind == same_kind and new == pytest.approx(old * 1.25, abs=1e-3)
    # The text a figure leaves to plotly's default grows too; the margins make room for it.
    assert "size" not in plain["layout"]["font"]
    assert big["layout"]["font"]["size"] == pytest.approx(PLOTLY_FONT_PX * 1.25)
    margin = plain["layout"]["margin"]
    assert big["layout"]["margin"] == {k: pytest.approx(v * 1.25) for k, v in margin.items()}
    assert big["layout"]["height"] == round(plain["layout"].get("height", 450) * 1.25)
    go.Figure(big)  # still a figure plotly accepts (it validates every property)


def test_scaling_a_derivative_figure_keeps_its_own_font_size_proportional() -> None:
    curve = derivative_curve(torch.sin, 0.0, 2 * math.pi, 101, second=True)
    plain = derivative_figure(curve, labels={}, show_second=True, show_check=True).to_dict()
    big = scaled_figure(plain, 1.25)
    assert plain["layout"]["font"]["size"] == 16
    assert big["layout"]["font"]["size"] == 20
    assert big["layout"]["height"] == round(plain["layout"]["height"] * 1.25)
    tangent = next(t for t in big["data"] if t.get("line", {}).get("dash") == "dash")
    assert tangent["line"]["width"] == pytest.approx(3 * 1.25)
    assert scaled_figure(plain, 1) == plain  # the normal size: the same figure


def test_a_presentation_figure_is_kept_apart_from_the_normal_one() -> None:
    def build() -> go.Figure:
        return go.Figure(go.Scatter(x=[0, 1], y=[1, 0], marker={"size": 10}))

    normal = shared_figure(["test", "scale"], build)
    big = shared_figure(["test", "scale"], build, scale=1.25)
    assert big is not normal and big is shared_figure(["test", "scale"], build, scale=1.25)
    assert normal.to_dict()["data"][0]["marker"]["size"] == 10
    assert big.to_dict()["data"][0]["marker"]["size"] == 12.5
    assert big.to_dict()["layout"]["font"]["size"] == 15
