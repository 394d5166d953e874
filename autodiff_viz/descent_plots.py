"""Plotly animations of gradient descent that play in the browser (Play / Pause / slider).

* :func:`descent_figure` - the point walking down f(x) with its downhill
  arrow, beside f per step;
* :func:`race_figure` - optimisers racing over the contours of f(x, y);
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

from autodiff_viz.descent_data import LineFit, Race2D, Stop, Trajectory1D

MAX_FRAMES = 120
CONTOUR_LEVELS = 12
FRAME_MS = 40

DEFAULT_LABELS: dict[str, str] = {
    "curve": "f(x)",
    "point": "x",
    "arrow": "downhill (-f′(x))",
    "loss": "f(x) at each step",
    "step": "step",
    "x": "x",
    "y": "y",
    "value": "f",
    "start": "start",
    "data": "data: y = 2x + 1",
    "fit": "fitted line",
    "epoch": "epoch",
    "mse": "MSE loss",
    "play": "▶ Play",
    "pause": "❚❚ Pause",
    "diverged_nan": "{quantity} became nan at step {step}: the run stops there",
    "diverged_inf": "{quantity} became infinite at step {step}: the run stops there",
    "diverged_exploded": "|{quantity}| passed 10⁶ at step {step}: the run diverged",
    # What diverged, as the messages above name it (``Stop.quantity`` -> words).
    "quantity_x": "x",
    "quantity_y": "y",
    "quantity_f": "f",
    "quantity_grad": "the gradient",
    "quantity_loss": "the loss",
    "quantity_weight": "the weight",
    "quantity_bias": "the bias",
}

#: Okabe-Ito colours and distinct marker shapes: paths stay apart for colour-blind eyes too.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "star", "hexagon")
_THEMES = {
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
_ERROR_RED = "#D55E00"


def frame_steps(states: int, max_frames: int = MAX_FRAMES) -> list[int]:
    """At most ``max_frames`` indices spread over ``range(states)``, first and last included."""
    if states <= max_frames:
        return list(range(states))
    stride = (states - 1) / (max_frames - 1)
    return sorted({round(i * stride) for i in range(max_frames)})


def _r(value: float) -> float:
    """Six significant digits: all a picture needs, and a third of the JSON of full floats."""
    return float(f"{value:.6g}")


def _rs(values: Sequence[float | None]) -> list[float | None]:
    return [None if v is None else _r(v) for v in values]


def _range(values: Sequence[float | None], pad: float = 0.05) -> list[float]:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 1.0)
    margin = (hi - lo) * pad if hi > lo else 0.5
    return [_r(lo - margin), _r(hi + margin)]


def _labels(labels: Mapping[str, str] | None) -> dict[str, str]:
    return {**DEFAULT_LABELS, **(labels or {})}


def stop_message(stop: Stop | None, labels: Mapping[str, str] | None = None) -> str | None:
    """Why and where a run diverged, in the words of ``labels``; None for a run that did not."""
    if stop is None:
        return None
    text = _labels(labels)
    quantity = text.get(f"quantity_{stop.quantity}", stop.quantity)
    return text[f"diverged_{stop.reason}"].format(step=stop.step, quantity=quantity)


class _Loss:
    """The right-hand panel: the whole loss curve drawn once, the future under a fog.

    Revealing the curve by resending it up to each step would cost O(steps) per
    frame; a translucent rectangle over the steps still to come costs five points.
    """

    def __init__(self, values: Sequence[float], name: str, colour: str, fog: str) -> None:
        self.x_range = [0, max(len(values) - 1, 1)]
        self.y_range = _range(values)
        self.values = values
        self.static = [
            {
                "type": "scatter",
                "x": list(range(len(values))),
                "y": _rs(values),
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
            {"x": [k], "y": [_r(self.values[k])]},
        ]


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
                "y": -0.12,
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
                "y": -0.08,
                "yanchor": "top",
                "currentvalue": {"prefix": f"{prefix}: "},
                "steps": [{"label": n, "method": "animate", "args": [[n], still]} for n in names],
            }
        ],
    }


def _figure(
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
        layout["margin"] = {"l": 50, "r": 20, "t": 50, "b": 120}
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
                "font": {"color": _ERROR_RED, "size": 14},
            },
        ]
    return go.Figure(
        {
            "data": data,
            "layout": layout,
            "frames": [{"name": n, "traces": moving_ids, "data": d} for n, d in frames],
        }
    )


def _two_panels(theme: str, left: dict[str, Any], right: dict[str, Any]) -> dict[str, Any]:
    style = _THEMES[theme]
    return {
        "template": style["template"],
        "paper_bgcolor": style["bg"],
        "plot_bgcolor": style["bg"],
        "xaxis": {"domain": [0, 0.55], **left["x"]},
        "yaxis": {"anchor": "x", **left["y"]},
        "xaxis2": {"domain": [0.65, 1], "anchor": "y2", **right["x"]},
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
    text = _labels(labels)
    x_range, y_range = _range(traj.curve_x, 0), _range(traj.curve_y)
    # The arrow is a fixed share of the panel long, along the tangent, pointing downhill.
    span_x, span_y = x_range[1] - x_range[0], y_range[1] - y_range[0]
    loss = _Loss(traj.ys, text["loss"], COLOURS[0], _THEMES[theme]["fog"])

    def state(k: int) -> list[dict[str, Any]]:
        x, y, g = traj.xs[k], traj.ys[k], traj.grads[k]
        dx = -math.copysign(0.1, g) / math.hypot(1 / span_x, g / span_y) if g else 0.0
        hover = f"{text['step']} {k}<br>x = {x:.6g}<br>f = {y:.6g}<br>f′ = {g:.6g}"
        # The first point has no "previous" to orient by and is not drawn: it is doubled.
        ends = {"x": [_r(x), _r(x), _r(x + dx)], "y": [_r(y), _r(y), _r(y + g * dx)]}
        point = {**ends, "text": ["", hover, ""]}
        return [point, *loss.at(k)]

    static: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "x": _rs(traj.curve_x),
            "y": _rs(traj.curve_y),
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
            "line": {"color": _ERROR_RED, "width": 3},
            "hovertemplate": "%{text}<extra></extra>",
            "marker": {
                "color": _ERROR_RED,
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
    return _figure(
        static, moving, frames, layout, labels=text, prefix=text["step"], stop_text=stop_text
    )


def line_fit_figure(
    fit: LineFit,
    *,
    labels: Mapping[str, str] | None = None,
    theme: str = "light",
    max_frames: int = MAX_FRAMES,
) -> go.Figure:
    """Tutorial 003: the data, the line ``w·x + b`` of each epoch, beside the MSE loss."""
    text = _labels(labels)
    ends = [min(fit.xs), max(fit.xs)]
    loss = _Loss(fit.losses, text["mse"], COLOURS[0], _THEMES[theme]["fog"])

    def state(k: int) -> list[dict[str, Any]]:
        w, b = fit.weights[k], fit.biases[k]
        line = {"x": ends, "y": [_r(w * x + b) for x in ends], "name": f"y = {w:.4g}x + {b:+.4g}"}
        return [line, *loss.at(k)]

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
        {"type": "scatter", "mode": "lines", "line": {"color": _ERROR_RED, "width": 3}},
        *loss.moving,
    ]
    states = list(zip(fit.weights, fit.biases, strict=True))
    lines = [v for w, b in states for v in (w * ends[0] + b, w * ends[1] + b)]
    frames = [(str(k), state(k)) for k in frame_steps(len(fit.losses), max_frames)]
    layout = _two_panels(
        theme,
        {
            "x": {"range": _range(fit.xs), "title": "x"},
            "y": {"range": _range([*fit.ys, *lines]), "title": "y"},
        },
        {
            "x": {"range": loss.x_range, "title": text["epoch"]},
            "y": {"range": loss.y_range, "title": text["mse"]},
        },
    )
    stop_text = stop_message(fit.stop, text)
    return _figure(
        static, moving, frames, layout, labels=text, prefix=text["epoch"], stop_text=stop_text
    )


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
    text = _labels(labels)
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
            "marker": {"symbol": "x", "size": 11, "color": _THEMES[theme]["ink"]},
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
                "x": [_r(path.xs[j]) for j in trail],
                "y": [_r(path.ys[j]) for j in trail],
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
                "name": f"{label} (lr {path.lr:g})",
                "marker": {
                    "color": colour,
                    "size": 13,
                    "symbol": SYMBOLS[i % len(SYMBOLS)],
                    "line": {"color": _THEMES[theme]["ink"], "width": 1},
                },
                "hovertemplate": f"{label}<br>x = %{{x}}<br>y = %{{y}}<extra></extra>",
            }
        )
        stop = stop_message(path.stop, text)
        if stop:
            notes.append(f"{label}: {stop}")

    def state(k: int) -> list[dict[str, Any]]:
        # A path that diverged (or is shorter) waits at its last finite state.
        at = [(p, min(k, len(p.xs) - 1)) for p in race.paths]
        return [{"x": [_r(p.xs[j])], "y": [_r(p.ys[j])]} if j >= 0 else {} for p, j in at]

    longest = max((len(p.xs) for p in race.paths), default=0)
    frames = [(str(k), state(k)) for k in frame_steps(longest, max_frames)]
    style = _THEMES[theme]
    layout = {
        "template": style["template"],
        "paper_bgcolor": style["bg"],
        "plot_bgcolor": style["bg"],
        "xaxis": {"range": _range(race.grid.xs, 0), "title": text["x"]},
        "yaxis": {"range": _range(race.grid.ys, 0), "title": text["y"]},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hovermode": "closest",
    }
    return _figure(
        static,
        moving,
        frames,
        layout,
        labels=text,
        prefix=text["step"],
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
