"""The derivatives figure: f above its autograd derivative f′ (and f″), a tangent on a slider.

:func:`derivative_figure` turns a :class:`~autodiff_viz.derivatives.data.Curve` (plain data) into a
plotly figure; it imports neither torch nor streamlit. The rows share the x axis, so the slope of
the tangent drawn on f is the height of the point on f′ right below it.

Moving x₀ happens in the browser: each slider step restyles only the small moving traces (the
tangent line and one point per row), so there is no server round trip and the JSON stays small
enough to re-send on every Streamlit rerun. Steps rather than animation frames: plotly.py
validates frames slowly (~60 ms for 50), and plotly.js drops the traces of a subplot without a
moving trace when it animates with redraw off.

What the figure shows rather than hides: nan and ±inf leave gaps in the lines and are shaded;
kinks (abs and relu at 0, steps) break the f′ line and carry a marker at the value autograd
picked there; the finite-difference check is a row of markers on f′ with the largest error in
its legend entry.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from autodiff_viz.derivatives.data import Curve, Tangent
from autodiff_viz.i18n import section

#: The texts of the figure in English, from the i18n table's ``deriv.*`` (one source); the page
#: passes the reader's language.
DEFAULT_LABELS: Mapping[str, str] = section("deriv", "en")

SLIDER_POSITIONS = 50
FD_MARKERS = 40
KINK_MARKERS = 200  # more kinks than this means the grid does not resolve f anyway
SIGNIFICANT_DIGITS = 7  # far below a pixel, and half the JSON of full float reprs

_COLOURS: Mapping[str, Mapping[str, str]] = {
    "light": {"f": "#1f77b4", "df": "#d62728", "d2f": "#2ca02c", "fd": "#111111",
              "kink": "#9467bd", "tangent": "#ff7f0e", "nonfinite": "rgba(127,127,127,0.22)",
              "text": "#222222"},
    "dark": {"f": "#5aa9ff", "df": "#ff6b6b", "d2f": "#6bdc6b", "fd": "#f2f2f2",
             "kink": "#d291ff", "tangent": "#ffb347", "nonfinite": "rgba(200,200,200,0.22)",
             "text": "#eeeeee"},
}  # fmt: skip
_TEMPLATES = {"light": "plotly_white", "dark": "plotly_dark"}
_ROW_GAP = 0.05  # between rows, as a fraction of the plotting height
_AXIS_TITLES = ("f(x)", "f′(x)", "f″(x)")


def derivative_figure(
    curve: Curve,
    *,
    labels: Mapping[str, str],
    theme: str = "light",
    show_second: bool,
    show_check: bool,
) -> go.Figure:
    """f, f′ (and f″ when ``show_second``) in rows sharing x, with a tangent slider.

    ``labels`` overrides any of :data:`DEFAULT_LABELS`. ``show_second`` needs a curve computed
    with ``second=True``. The slider starts at the curve's tangent point when it has one, else
    in the middle.
    """
    if theme not in _COLOURS:
        raise ValueError(f"theme must be one of {sorted(_COLOURS)}, got {theme!r}")
    if show_second and curve.d2y is None:
        raise ValueError("show_second needs a curve computed with second=True")
    text = {**DEFAULT_LABELS, **labels}
    colours = _COLOURS[theme]
    rows = 3 if show_second else 2
    broken = set(curve.kinks) | set(curve.nonfinite)
    grid = _grid_axis(curve.x)

    traces = [
        _line(grid, curve.y, (), text["f"], colours["f"], row=1),
        _line(grid, curve.dy, broken, text["df"], colours["df"], row=2),
    ]
    if show_second and curve.d2y is not None:
        traces.append(_line(grid, curve.d2y, broken, text["d2f"], colours["d2f"], row=3))
    if show_check:
        traces.append(_check_markers(curve, broken, text, colours["fd"]))
    if curve.kinks:
        traces += [
            _kink_markers(curve, v, r, text, colours) for r, v in ((1, curve.y), (2, curve.dy))
        ]
    tangents, active = _slider_tangents(curve)
    moving = range(len(traces), len(traces) + 1 + rows)
    traces += _moving_traces(curve, tangents[active], rows, text, colours)

    layout = {
        "template": _TEMPLATES[theme],
        # The page's fonts (.streamlit/config.toml): Chinese reads without system CJK fonts.
        "height": 180 + 230 * rows,
        "font": {"size": 16, "family": "'Source Sans', autodiff-zh, sans-serif"},
        "margin": {"l": 70, "r": 20, "t": 60, "b": 40},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "hovermode": "closest",
        "shapes": _nonfinite_bands(curve, text["nonfinite"], colours["nonfinite"]),
        "sliders": [
            _slider(curve, tangents, active, moving=list(moving), text=text, colours=colours)
        ],
        **_axes(curve, rows, text["x"]),
    }
    return go.Figure(data=traces, layout=layout)


def _axes(curve: Curve, rows: int, x_title: str) -> dict[str, Any]:
    """One x and one y axis per row, top to bottom; the x axes all follow the first one."""
    height = (1 - _ROW_GAP * (rows - 1)) / rows
    axes: dict[str, Any] = {}
    for row in range(1, rows + 1):
        top = 1 - (row - 1) * (height + _ROW_GAP)
        bottom = row == rows
        suffix = "" if row == 1 else str(row)
        axes[f"xaxis{suffix}"] = {
            "anchor": f"y{suffix}",
            "range": [curve.x[0], curve.x[-1]],
            "showticklabels": bottom,
            **({"title": {"text": x_title}} if bottom else {}),
            **({} if row == 1 else {"matches": "x"}),
        }
        axes[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "domain": [max(top - height, 0.0), top],
            "title": {"text": _AXIS_TITLES[row - 1]},
        }
    # A fixed range for f: the tangent spans the whole x range and must not rescale the row.
    axes["yaxis"]["range"] = _padded_range(curve.y)
    return axes


def _on(row: int) -> dict[str, str]:
    suffix = "" if row == 1 else str(row)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def _grid_axis(xs: Sequence[float]) -> dict[str, Any]:
    """``x0``/``dx`` for an evenly spaced grid (plotly rebuilds x), else the x values."""
    dx = (xs[-1] - xs[0]) / (len(xs) - 1)
    if all(math.isclose(x, xs[0] + i * dx, abs_tol=1e-9 * abs(dx)) for i, x in enumerate(xs)):
        return {"x0": xs[0], "dx": dx}
    return {"x": list(xs)}


def _plain(values: Iterable[float]) -> list[float | None]:
    """Values for plotly: rounded, with nan and ±inf as None (a gap in the line)."""
    return [float(f"{v:.{SIGNIFICANT_DIGITS}g}") if math.isfinite(v) else None for v in values]


def _line(
    grid: Mapping[str, Any],
    values: Sequence[float],
    breaks: Collection[int],
    name: str,
    colour: str,
    *,
    row: int,
) -> dict[str, Any]:
    ys = _plain(values)
    for i in breaks:
        ys[i] = None
    return {
        "type": "scatter", **grid, "y": ys, "name": name, "mode": "lines",
        "line": {"color": colour, "width": 3}, "connectgaps": False, **_on(row),
    }  # fmt: skip


def _sample(indices: Sequence[int], limit: int) -> list[int]:
    """At most ``limit`` of ``indices``, evenly spread, first and last included."""
    if len(indices) <= limit:
        return list(indices)
    return [indices[round(k * (len(indices) - 1) / (limit - 1))] for k in range(limit)]


def _check_markers(
    curve: Curve, broken: Collection[int], text: Mapping[str, str], colour: str
) -> dict[str, Any]:
    smooth = [i for i in range(curve.n) if i not in broken and math.isfinite(curve.fd[i])]
    shown = _sample(smooth, FD_MARKERS)
    error = curve.fd_max_error
    error_text = f"{error:.2g}" if math.isfinite(error) else "—"
    return {
        "type": "scatter",
        "x": [curve.x[i] for i in shown],
        "y": _plain(curve.fd[i] for i in shown),
        "name": text["fd_error"].format(error=error_text),
        "mode": "markers",
        "marker": {"symbol": "circle-open", "size": 10, "color": colour, "line": {"width": 2}},
        **_on(2),
    }


def _kink_markers(
    curve: Curve,
    values: Sequence[float],
    row: int,
    text: Mapping[str, str],
    colours: Mapping[str, str],
) -> dict[str, Any]:
    shown = _sample(curve.kinks, KINK_MARKERS)
    return {
        "type": "scatter",
        "x": [curve.x[i] for i in shown],
        "y": _plain(values[i] for i in shown),
        "name": text["kink"],
        "legendgroup": "kink",
        "showlegend": row == 2,  # one legend entry for the markers on both rows
        "mode": "markers",
        "marker": {"symbol": "x", "size": 14, "color": colours["kink"]},
        **_on(row),
    }


def _runs(indices: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive stretches of sorted indices as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


def _nonfinite_bands(curve: Curve, name: str, colour: str) -> list[dict[str, Any]]:
    # Half a grid step wider than each stretch on both sides, so one point (1/x at 0) shows too.
    half = (curve.x[-1] - curve.x[0]) / (curve.n - 1) / 2
    return [
        {
            "type": "rect", "xref": "x", "yref": "paper", "y0": 0, "y1": 1,
            "x0": curve.x[first] - half, "x1": curve.x[last] + half,
            "fillcolor": colour, "line": {"width": 0}, "layer": "below",
            "name": name, "legendgroup": "nonfinite", "showlegend": k == 0,
        }
        for k, (first, last) in enumerate(_runs(curve.nonfinite))
    ]  # fmt: skip


def _slider_tangents(curve: Curve) -> tuple[list[Tangent], int]:
    """The tangents of the slider's steps, and the step it starts at.

    Evenly spread grid points, plus the curve's own tangent point in its place when it has one.
    """
    d2y = curve.d2y
    tangents = [
        Tangent(curve.x[i], curve.y[i], curve.dy[i], None if d2y is None else d2y[i])
        for i in _sample(range(curve.n), SLIDER_POSITIONS)
    ]
    start = curve.tangent
    if start is None:
        return tangents, len(tangents) // 2
    tangents = sorted([*(t for t in tangents if t.x0 != start.x0), start], key=lambda t: t.x0)
    return tangents, next(k for k, t in enumerate(tangents) if t is start)


def _moving_positions(
    curve: Curve, tangent: Tangent, rows: int
) -> tuple[list[list[float]], list[list[float | None]]]:
    """x and y of the tangent line on f and of the points at x₀ on f, f′ (and f″)."""
    x0, ends = tangent.x0, [curve.x[0], curve.x[-1]]
    line = [tangent.y0 + tangent.slope * (x - x0) for x in ends]
    heights = (tangent.y0, tangent.slope, math.nan if tangent.d2y is None else tangent.d2y)
    xs = [ends] + [[x0]] * rows
    ys = [_plain(line)] + [_plain([h]) for h in heights[:rows]]
    return xs, ys


def _moving_traces(
    curve: Curve, tangent: Tangent, rows: int, text: Mapping[str, str], colours: Mapping[str, str]
) -> list[dict[str, Any]]:
    xs, ys = _moving_positions(curve, tangent, rows)
    line = {"color": colours["tangent"], "width": 3, "dash": "dash"}
    dot = {"size": 14, "color": colours["tangent"], "line": {"width": 2, "color": colours["text"]}}
    tangent_line = {"type": "scatter", "x": xs[0], "y": ys[0], "name": text["tangent"],
                    "mode": "lines", "line": line, **_on(1)}  # fmt: skip
    points = [
        {"type": "scatter", "x": x, "y": y, "mode": "markers", "marker": dot,
         "showlegend": False, **_on(row)}
        for row, (x, y) in enumerate(zip(xs[1:], ys[1:], strict=True), start=1)
    ]  # fmt: skip
    return [tangent_line, *points]


def _slider(
    curve: Curve,
    tangents: Sequence[Tangent],
    active: int,
    *,
    moving: list[int],
    text: Mapping[str, str],
    colours: Mapping[str, str],
) -> dict[str, Any]:
    rows = len(moving) - 1  # the tangent line, then one point per row
    steps = []
    for tangent in tangents:
        xs, ys = _moving_positions(curve, tangent, rows)
        steps.append({
            "method": "restyle",
            "args": [{"x": xs, "y": ys}, moving],
            "label": f"{tangent.x0:.4g}   {text['slope']} f′(x₀) = {tangent.slope:.4g}",
        })  # fmt: skip
    return {
        "active": active,
        "steps": steps,
        "pad": {"t": 50},
        "font": {"color": "rgba(0,0,0,0)"},  # 50 tick labels would overlap; the value shows
        "currentvalue": {"prefix": f"{text['x0']} = ", "font": {"color": colours["text"]}},
    }


def _padded_range(values: Sequence[float]) -> list[float]:
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return [-1.0, 1.0]
    lo, hi = min(finite), max(finite)
    pad = 0.08 * (hi - lo) if hi > lo else max(1.0, abs(lo))
    return [lo - pad, hi + pad]
