"""Plotly animations of gradient descent that play in the browser (Play / Pause / slider).

* :func:`descent_figure` - the point walking down f(x) with its downhill
  arrow, beside f per step;
* (the race over a surface lives in :mod:`autodiff_viz.descent.race_plots`);
* :func:`line_fit_figure` - tutorial 003's fitted line epoch by epoch, beside the loss;
* :func:`stop_message` - the words for a diverged run (the figures show it too).

Everything that stays put (the curve, the contours, the whole loss curve) is
drawn once; a frame carries only the few numbers that move, and long runs are
subsampled to at most ``max_frames`` frames (always with the first and the
last state). That keeps a 500-step figure far below 100 KB of JSON, since
Streamlit re-sends the whole figure on every rerun.

The figure opens on step 0, the start: Play then tells the run in order, and
the slider's position matches what is drawn. The last frame is the final
state. A diverged run ends at its last finite state, with a message.

Pure: plotly only. Texts come in ``labels`` (the page translates them; the
keys and English defaults are :data:`DEFAULT_LABELS`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from autodiff_viz.descent.animation import (
    COLOURS,
    ERROR_RED,
    FONT,
    MAX_FRAMES,
    THEMES,
    animated_figure,
    frame_steps,
    padded_range,
    r6,
    r6_list,
)
from autodiff_viz.descent.data import LineFit, Stop, Trajectory1D
from autodiff_viz.i18n import section

#: The figures' words in English: the i18n table's ``descent.plot.*`` (one source).
DEFAULT_LABELS: dict[str, str] = section("descent.plot", "en")


def full_labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    return {**DEFAULT_LABELS, **(labels or {})}


def _short(value: float) -> str:
    text = f"{value:.3g}"
    return "0" if text == "-0" else text


def line_equation(weight: float, bias: float) -> str:
    """``y = 1.98x + 1.05``: three significant digits, one sign between the terms."""
    sign = "-" if bias < 0 and _short(abs(bias)) != "0" else "+"
    return f"y = {_short(weight)}x {sign} {_short(abs(bias))}"


def stop_message(stop: Stop | None, labels: Mapping[str, str] | None = None) -> str | None:
    """Why and where a run diverged, in the words of ``labels``; None for a run that did not."""
    if stop is None:
        return None
    text = full_labels(labels)
    quantity = text.get(f"quantity_{stop.quantity}", stop.quantity)
    return text[f"diverged_{stop.reason}"].format(step=stop.step, quantity=quantity)


class _Loss:
    """The right-hand panel: the whole loss curve drawn once, the future under a fog.

    Revealing the curve by resending it up to each step would cost O(steps) per
    frame; a translucent rectangle over the steps still to come costs five points.
    """

    def __init__(self, values: Sequence[float], name: str, colour: str, fog: str) -> None:
        self.x_range = [0, max(len(values) - 1, 1)]
        self.y_range = padded_range(values)
        self.values = values
        self.static = [
            {
                "type": "scatter",
                "x": list(range(len(values))),
                "y": r6_list(values),
                "name": name,
                "mode": "lines",
                "line": {"color": colour, "width": 2},
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ]
        self.moving = [
            {
                "type": "scatter",
                "fill": "toself",
                "fillcolor": fog,
                "mode": "lines",
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
                "xaxis": "x2",
                "yaxis": "y2",
            },
            {
                "type": "scatter",
                "mode": "markers",
                "marker": {"color": colour, "size": 10},
                "showlegend": False,
                "hovertemplate": "%{x}: %{y}<extra></extra>",
                "xaxis": "x2",
                "yaxis": "y2",
            },
        ]

    def at(self, k: int) -> list[dict[str, Any]]:
        """The fog and the marker at state k."""
        x1, (y0, y1) = self.x_range[1], self.y_range
        return [
            {"x": [k, x1, x1, k, k], "y": [y0, y0, y1, y1, y0]},
            {"x": [k], "y": [r6(self.values[k])]},
        ]


def _two_panels(theme: str, left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    style = THEMES[theme]
    return {
        "template": style["template"],
        "font": FONT,
        "paper_bgcolor": style["bg"],
        "plot_bgcolor": style["bg"],
        # A gap wide enough for the right panel's ticks and title, also in presentation mode.
        "xaxis": {"domain": [0, 0.53], **left["x"]},
        "yaxis": {"anchor": "x", **left["y"]},
        "xaxis2": {"domain": [0.67, 1], "anchor": "y2", **right["x"]},
        "yaxis2": {"anchor": "x2", **right["y"]},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hovermode": "closest",
    }


def descent_figure(
    traj: Trajectory1D,
    *,
    labels: Mapping[str, str] | None = None,
    theme: str = "light",
    max_frames: int = MAX_FRAMES,
) -> go.Figure:
    """The point moving down f(x) with its downhill arrow, beside f per step."""
    text = full_labels(labels)
    x_range, y_range = padded_range(traj.curve_x, 0), padded_range(traj.curve_y)
    # The arrow is a fixed share of the panel long, along the tangent, pointing downhill.
    span_x, span_y = x_range[1] - x_range[0], y_range[1] - y_range[0]
    loss = _Loss(traj.ys, text["loss"], COLOURS[0], THEMES[theme]["fog"])

    def state(k: int) -> list[dict[str, Any]]:
        x, y, g = traj.xs[k], traj.ys[k], traj.grads[k]
        dx = -math.copysign(0.1, g) / math.hypot(1 / span_x, g / span_y) if g else 0.0
        hover = f"{text['step']} {k}<br>x = {x:.6g}<br>f = {y:.6g}<br>f′ = {g:.6g}"
        # The first point has no "previous" to orient by and is not drawn: it is doubled.
        ends = {
            "x": [r6(x), r6(x), r6(x + dx)],
            "y": [r6(y), r6(y), r6(y + g * dx)],
        }
        point = {**ends, "text": ["", hover, ""]}
        return [point, *loss.at(k)]

    static: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": r6_list(traj.curve_x),
            "y": r6_list(traj.curve_y),
            "mode": "lines",
            "name": text["curve"],
            "line": {"color": "#555555", "width": 2},
            "hoverinfo": "skip",
        },
        *loss.static,
    ]
    moving: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": text["arrow"],
            "line": {"color": ERROR_RED, "width": 3},
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {
                "color": ERROR_RED,
                "size": [0, 13, 12],
                "symbol": ["circle", "circle", "arrow"],
                "angleref": "previous",
            },
        },
        *loss.moving,
    ]
    frames = [(str(k), state(k)) for k in frame_steps(len(traj.xs), max_frames)]
    layout = _two_panels(
        theme,
        {
            "x": {"range": x_range, "title": text["x"]},
            "y": {"range": y_range, "title": text["curve"]},
        },
        {
            "x": {"range": loss.x_range, "title": text["step"]},
            "y": {"range": loss.y_range, "title": text["loss"]},
        },
    )
    stop_text = stop_message(traj.stop, text)
    return animated_figure(
        static,
        moving,
        frames,
        layout,
        labels=text,
        prefix=text["slider"].format(label=text["step"]),
        stop_text=stop_text,
    )


def line_fit_figure(
    fit: LineFit,
    *,
    labels: Mapping[str, str] | None = None,
    theme: str = "light",
    max_frames: int = MAX_FRAMES,
) -> go.Figure:
    """Tutorial 003: the data, the line ``w·x + b`` of each epoch, beside the MSE loss."""
    text = full_labels(labels)
    ends = [min(fit.xs), max(fit.xs)]
    loss = _Loss(fit.losses, text["mse"], COLOURS[0], THEMES[theme]["fog"])

    def state(k: int) -> list[dict[str, Any]]:
        w, b = fit.weights[k], fit.biases[k]
        line = {"x": ends, "y": [r6(w * x + b) for x in ends]}
        # The equation is a text trace of its own: a legend entry is not redrawn by an
        # animation frame, so a trace name would stay at epoch 0 while the line moves.
        equation = {"x": [corner[0]], "y": [corner[1]], "text": [line_equation(w, b)]}
        return [line, equation, *loss.at(k)]

    static: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": list(fit.xs),
            "y": list(fit.ys),
            "mode": "markers",
            "name": text["data"],
            "marker": {"color": "#555555", "size": 8},
        },
        *loss.static,
    ]
    moving: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": text["fit"],
            "line": {"color": ERROR_RED, "width": 3},
            "hoverinfo": "skip",
        },
        {
            # Top left: the data rise to the right, so that corner stays empty.
            "type": "scatter",
            "mode": "text",
            "textposition": "bottom right",
            "textfont": {"color": ERROR_RED, "size": 16},
            "showlegend": False,
            "hoverinfo": "skip",
        },
        *loss.moving,
    ]
    states = list(zip(fit.weights, fit.biases, strict=True))
    lines = [v for w, b in states for v in (w * ends[0] + b, w * ends[1] + b)]
    x_range, y_range = padded_range(fit.xs), padded_range([*fit.ys, *lines])
    corner = (x_range[0] + 0.02 * (x_range[1] - x_range[0]), y_range[1])
    frames = [(str(k), state(k)) for k in frame_steps(len(fit.losses), max_frames)]
    layout = _two_panels(
        theme,
        {
            "x": {"range": x_range, "title": "x"},
            "y": {"range": y_range, "title": "y"},
        },
        {
            "x": {"range": loss.x_range, "title": text["epoch"]},
            "y": {"range": loss.y_range, "title": text["mse"]},
        },
    )
    stop_text = stop_message(fit.stop, text)
    return animated_figure(
        static,
        moving,
        frames,
        layout,
        labels=text,
        prefix=text["slider"].format(label=text["epoch"]),
        stop_text=stop_text,
    )
