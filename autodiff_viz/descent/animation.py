"""Browser-side plotly animations: Play / Pause, a frame slider, frames that carry only what moves.

Shared by the descent figures (:mod:`autodiff_viz.descent.plots`) and the race
on a surface (:mod:`autodiff_viz.descent.race_plots`): static traces are drawn once, a
frame updates only the moving traces, and long runs are subsampled to at most
``max_frames`` frames, first and last state included. Pure: plotly only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

MAX_FRAMES = 120
FRAME_MS = 40

#: Okabe-Ito colours and distinct marker shapes: paths stay apart for colour-blind eyes too.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "star", "hexagon")
THEMES = {
    # ink: the start cross and marker outlines, which must stand out from the background.
    "light": {
        "template": "plotly_white",
        "bg": "#ffffff",
        "fog": "rgba(255,255,255,0.8)",
        "ink": "#000000",
    },
    "dark": {
        "template": "plotly_dark",
        "bg": "#0e1117",
        "fog": "rgba(14,17,23,0.8)",
        "ink": "#fafafa",
    },
}
ERROR_RED = "#D55E00"
#: The page's fonts (.streamlit/config.toml): Chinese labels read on a PC without CJK fonts too.
FONT = {"family": "'Source Sans', autodiff-zh, sans-serif"}


def frame_steps(states: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """At most ``max_frames`` indices spread over ``range(states)``, first and last included."""
    if states <= max_frames:
        return list(range(states))
    stride = (states - 1) / (max_frames - 1)
    return sorted({round(i * stride) for i in range(max_frames)})


def r6(value: float) -> float:
    """Six significant digits: all a picture needs, and a third of the JSON of full floats."""
    return float(f"{value:.6g}")


def r6_list(values: Sequence[float | None]) -> list[float | None]:
    return [None if v is None else r6(v) for v in values]


def padded_range(values: Sequence[float | None], pad: float = 0.05) -> list[float]:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    margin = (hi - lo) * pad if hi > lo else 0.5
    return [r6(lo - margin), r6(hi + margin)]


def _controls(names: Sequence[str], labels: Mapping[str, str], prefix: str) -> dict[str, Any]:
    """Play / Pause buttons and a slider over the frames ``names``."""
    still = {
        "mode": "immediate",
        "frame": {"duration": 0, "redraw": False},
        "transition": {"duration": 0},
    }
    play = {
        "mode": "immediate",
        "fromcurrent": True,
        "transition": {"duration": 0},
        "frame": {"duration": FRAME_MS, "redraw": False},
    }
    return {
        "updatemenus": [
            {
                "type": "buttons",
                "direction": "left",
                "showactive": False,
                "x": 0,
                "y": -0.2,
                "xanchor": "left",
                "yanchor": "top",
                "buttons": [
                    {"label": labels["play"], "method": "animate", "args": [None, play]},
                    {"label": labels["pause"], "method": "animate", "args": [[None], still]},
                ],
            }
        ],
        "sliders": [
            {
                "active": 0,
                "x": 0.16,
                "len": 0.84,
                "y": -0.16,
                "yanchor": "top",
                # At the slider's right end: on the left the Play / Pause buttons cover it.
                "currentvalue": {"prefix": prefix, "xanchor": "right"},
                "steps": [{"label": n, "method": "animate", "args": [[n], still]} for n in names],
            }
        ],
    }


def animated_figure(
    static: list[dict[str, Any]],
    moving: list[dict[str, Any]],
    frames: list[tuple[str, list[dict[str, Any]]]],
    layout: dict[str, Any],
    *,
    labels: Mapping[str, str],
    prefix: str,
    stop_text: str | None,
) -> go.Figure:
    """Assemble: static traces, then the moving ones (set to the first frame), then frames."""
    first = frames[0][1] if frames else [{} for _ in moving]
    data = static + [{**trace, **update} for trace, update in zip(moving, first, strict=True)]
    moving_ids = list(range(len(static), len(data)))
    if len(frames) > 1:
        layout |= _controls([name for name, _ in frames], labels, prefix)
        # Below the axis titles: the controls sat on the x title.
        layout["margin"] = {"l": 50, "r": 20, "t": 50, "b": 150}
    if stop_text:
        layout["annotations"] = [
            *layout.get("annotations", []),
            {
                "text": f"<b>{stop_text}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 1.08,
                "showarrow": False,
                "font": {"color": ERROR_RED, "size": 14},
            },
        ]
    return go.Figure(
        {
            "data": data,
            "layout": layout,
            "frames": [{"name": n, "traces": moving_ids, "data": d} for n, d in frames],
        }
    )
