"""Optimisers racing over the contours of f(x, y): one plotly animation.

Each optimiser's path (SGD, momentum, RMSprop, Adam, ...) moves as a marker with
its trail; the contours are drawn once as lines (plotly drops contour traces as
soon as an animation starts). Pure: plotly only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from autodiff_viz.descent.animation import (
    COLOURS,
    FONT,
    MAX_FRAMES,
    SYMBOLS,
    THEMES,
    animated_figure,
    frame_steps,
    padded_range,
    r6,
)
from autodiff_viz.descent.data import Race2D
from autodiff_viz.descent.plots import full_labels, stop_message

CONTOUR_LEVELS = 12


def race_figure(
    race: Race2D,
    *,
    labels: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    theme: str = "light",
    log_z: bool = False,
    max_frames: int = MAX_FRAMES,
) -> go.Figure:
    """Optimisers racing from one start over f's contours; a faint line shows each whole path.

    ``names`` maps optimiser keys to legend texts; ``log_z`` draws contours of
    log10(1 + f - min f), which keeps a narrow valley (Rosenbrock) visible.
    """
    text = full_labels(labels)
    z: list[list[float | None]] = [list(row) for row in race.grid.z]
    if log_z:
        least = min((v for row in z for v in row if v is not None), default=0.0)
        z = [[None if v is None else math.log10(1 + v - least) for v in row] for row in z]
    # Plotly's own contour and heatmap traces vanish once an animation starts
    # (plotly.js #4491, still so in plotly 7); scatter lines stay, so draw isolines.
    static: list[dict[str, Any]] = []
    for n, (xs, ys) in enumerate(_isolines(race.grid.xs, race.grid.ys, z, CONTOUR_LEVELS)):
        grey = round(215 - 150 * n / CONTOUR_LEVELS)  # higher lines darker
        static.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "line": {"color": f"rgb({grey},{grey},{grey})", "width": 1},
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
    static.append(
        {
            "type": "scatter",
            "x": [race.start[0]],
            "y": [race.start[1]],
            "mode": "markers",
            "name": text["start"],
            "marker": {"symbol": "x", "size": 11, "color": THEMES[theme]["ink"]},
        }
    )
    moving: list[dict[str, Any]] = []
    notes = []
    for i, path in enumerate(race.paths):
        colour, label = COLOURS[i % len(COLOURS)], (names or {}).get(path.optimizer, path.optimizer)
        trail = frame_steps(len(path.xs), 4 * max_frames)  # a faint line needs no 5,000 points
        static.append(
            {
                "type": "scatter",
                "x": [r6(path.xs[j]) for j in trail],
                "y": [r6(path.ys[j]) for j in trail],
                "mode": "lines",
                "line": {"color": colour, "width": 1.5, "dash": "dot"},
                "opacity": 0.6,
                "showlegend": False,
                "hoverinfo": "skip",
            }
        )
        moving.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": text["with_lr"].format(label=label, lr=f"{path.lr:g}"),
                "marker": {
                    "color": colour,
                    "size": 13,
                    "symbol": SYMBOLS[i % len(SYMBOLS)],
                    "line": {"color": THEMES[theme]["ink"], "width": 1},
                },
                "hovertemplate": f"{label}<br>x = %{{x}}<br>y = %{{y}}<extra></extra>",
            }
        )
        stop = stop_message(path.stop, text)
        if stop:
            notes.append(text["labelled"].format(label=label, text=stop))

    def state(k: int) -> list[dict[str, Any]]:
        # A path that diverged (or is shorter) waits at its last finite state.
        at = [(p, min(k, len(p.xs) - 1)) for p in race.paths]
        return [{"x": [r6(p.xs[j])], "y": [r6(p.ys[j])]} if j >= 0 else {} for p, j in at]

    longest = max((len(p.xs) for p in race.paths), default=0)
    frames = [(str(k), state(k)) for k in frame_steps(longest, max_frames)]
    style = THEMES[theme]
    layout = {
        "template": style["template"],
        "font": FONT,
        "paper_bgcolor": style["bg"],
        "plot_bgcolor": style["bg"],
        "xaxis": {"range": padded_range(race.grid.xs, 0), "title": text["x"]},
        "yaxis": {"range": padded_range(race.grid.ys, 0), "title": text["y"]},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hovermode": "closest",
    }
    return animated_figure(
        static,
        moving,
        frames,
        layout,
        labels=text,
        prefix=text["slider"].format(label=text["step"]),
        stop_text="<br>".join(notes),
    )


def _isolines(
    xs: Sequence[float], ys: Sequence[float], z: Sequence[Sequence[float | None]], levels: int
) -> list[tuple[list[float | None], list[float | None]]]:
    """Lines z = level for ``levels`` evenly spaced levels, by marching squares.

    Each level is one polyline of segments separated by gaps (None). One pass
    over the cells: a cell only visits the levels between its lowest and
    highest corner.
    """
    finite = [v for row in z for v in row if v is not None]
    low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
    gap = (high - low) / (levels + 1) or 1.0
    lines: list[tuple[list[float | None], list[float | None]]] = [([], []) for _ in range(levels)]
    for j in range(len(ys) - 1):
        for i in range(len(xs) - 1):
            cell = [
                (xs[a], ys[b], z[b][a]) for a, b in ((i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1))
            ]
            values = [v for _, _, v in cell if v is not None]
            if len(values) < 4:
                continue
            first = max(1, math.floor((min(values) - low) / gap) + 1)
            last = min(levels, math.ceil((max(values) - low) / gap) - 1)
            for n in range(first, last + 1):
                level = low + gap * n
                cuts = [
                    (x0 + t * (x1 - x0), y0 + t * (y1 - y0))
                    for (x0, y0, v0), (x1, y1, v1) in zip(cell, cell[1:] + cell[:1], strict=True)
                    if v0 is not None and v1 is not None and (v0 < level) != (v1 < level)
                    for t in ((level - v0) / (v1 - v0),)
                ]
                px, py = lines[n - 1]
                for k in range(0, len(cuts) - 1, 2):  # a saddle cell has two segments
                    px += [float(f"{cuts[k][0]:.4g}"), float(f"{cuts[k + 1][0]:.4g}"), None]
                    py += [float(f"{cuts[k][1]:.4g}"), float(f"{cuts[k + 1][1]:.4g}"), None]
    return lines
