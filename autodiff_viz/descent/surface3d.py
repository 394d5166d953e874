"""The race on f(x, y) as a 3D surface with every racer's path on it: rotatable, not animated.

The contour animation (:mod:`autodiff_viz.descent.race_plots`) shows *when*; this view
shows *where* in height - the valley the paths run down. It stays light for a classroom
(every rerun re-sends the figure): the grid is the job's 40 × 40, a path keeps at most
:data:`PATH_POINTS` points, numbers keep six digits, and there are no frames.
Pure: plotly only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from autodiff_viz.descent.animation import COLOURS, FONT, THEMES, frame_steps, r6
from autodiff_viz.descent.data import Race2D
from autodiff_viz.descent.plots import full_labels

PATH_POINTS = 150


def _height(least: float, log_z: bool) -> Any:
    """f as drawn: log10(1 + f - min f) on a log scale, so a narrow valley is not flattened."""

    def height(value: float | None) -> float | None:
        if value is None or not math.isfinite(value):
            return None
        return r6(math.log10(1 + max(value - least, 0.0)) if log_z else value)

    return height


def surface_figure(
    race: Race2D,
    *,
    labels: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    theme: str = "light",
    log_z: bool = False,
) -> go.Figure:
    """f's surface, the start, and each optimiser's whole path drawn on it."""
    text = full_labels(labels)
    style = THEMES[theme]
    finite = [v for row in race.grid.z for v in row if v is not None and math.isfinite(v)]
    height = _height(min(finite, default=0.0), log_z)
    heights = [height(v) for v in finite]
    # The paths ride a little above the surface they lie on, so the surface never hides them.
    lift = 0.01 * (max(heights, default=0.0) - min(heights, default=0.0))
    data: list[dict[str, Any]] = [
        {
            "type": "surface",
            "x": [r6(x) for x in race.grid.xs],
            "y": [r6(y) for y in race.grid.ys],
            "z": [[height(v) for v in row] for row in race.grid.z],
            "colorscale": "Greys",
            "reversescale": True,
            "opacity": 0.6,  # the paths on and under the bowl's far wall stay in sight
            "showscale": False,
            "hoverinfo": "skip",
            "contours": {"z": {"show": True, "usecolormap": True, "project": {"z": True}}},
        }
    ]
    for i, path in enumerate(race.paths):
        label = (names or {}).get(path.optimizer, path.optimizer)
        keep = frame_steps(len(path.xs), PATH_POINTS)
        colour = COLOURS[i % len(COLOURS)]
        data.append(
            {
                "type": "scatter3d",
                "mode": "lines+markers",
                "name": f"{label} (lr {path.lr:g})",
                "x": [r6(path.xs[k]) for k in keep],
                "y": [r6(path.ys[k]) for k in keep],
                "z": [height(path.fs[k]) + lift for k in keep],
                "line": {"color": colour, "width": 7},
                "marker": {
                    "color": colour,
                    "size": _sizes(len(keep)),
                    "line": {"color": style["ink"], "width": 1},
                },
                "hovertemplate": f"{label}<br>x = %{{x}}<br>y = %{{y}}<extra></extra>",
            }
        )
    start = race.paths[0].fs[0] if race.paths and race.paths[0].fs else None
    data.append(
        {
            "type": "scatter3d",
            "mode": "markers",
            "name": text["start"],
            "x": [race.start[0]],
            "y": [race.start[1]],
            "z": [height(start)],
            "marker": {"symbol": "x", "size": 6, "color": style["ink"]},
        }
    )
    z_title = f"log₁₀(1 + {text['value']} − min)" if log_z else text["value"]
    layout = {
        "template": style["template"],
        "font": FONT,
        "paper_bgcolor": style["bg"],
        "scene": {
            "xaxis": {"title": text["x"]},
            "yaxis": {"title": text["y"]},
            "zaxis": {"title": z_title},
            # from higher up, looking into the bowl where the racers end
            "camera": {"eye": {"x": 1.3, "y": -1.3, "z": 1.6}},
        },
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "margin": {"l": 0, "r": 0, "t": 40, "b": 0},
        "height": 560,
    }
    return go.Figure({"data": data, "layout": layout})


def _sizes(points: int) -> Sequence[int]:
    """A small dot per kept state and a big one at the end, where the racer stopped."""
    return [3] * (points - 1) + [10] if points else []
