"""Figures shared between sessions: built once per key, the same picture as building anew."""

from __future__ import annotations

import plotly.graph_objects as go

from autodiff_viz.ui.figures import shared_figure


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
