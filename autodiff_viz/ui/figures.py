"""Plotly figures built once per server and shown to every session that asks for the same one.

Measured under forty simultaneous sessions, building the descent page's 500-step animation
cost 60 ms of the one server process's CPU per session, the derivatives page's figure most of
its 55 ms: more than everything else those pages do. Every student of a class opens the same
defaults, so a figure is built once per *key* (everything it depends on) and handed, unchanged,
to each ``st.plotly_chart``, which only reads it. ``st.plotly_chart`` also deep-copies a figure
into a dict on every call (18 ms for the descent animation): a shared figure makes that dict once.

Presentation mode draws every figure bigger (:func:`scaled_figure`: fonts, markers, lines and
margins times one factor); the factor is part of the key, so a figure made for a projector is
never handed to a session reading at the normal size, nor the other way round.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import plotly.graph_objects as go
import streamlit as st

__all__ = ["scaled_figure", "shared_figure"]

#: plotly's text size and figure height when a figure names none (``layout.font.size``,
#: ``layout.height``).
PLOTLY_FONT_PX = 12
PLOTLY_HEIGHT_PX = 450
#: What a figure's dict calls the size of each kind of part: a key ending in ``font`` holds a
#: text's ``size``, ``marker`` a marker's ``size``, ``line`` a line's ``width``.
_SIZED = (("font", "size"), ("marker", "size"), ("line", "width"))
_MARGINS = ("l", "r", "t", "b", "pad")


def _times(value: Any, scale: float) -> Any:
    """A size (a number, or one number per point) ``scale`` times as big."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return round(value * scale, 3)
    if isinstance(value, list | tuple):
        return [_times(v, scale) for v in value]
    return value


def _scaled_tree(tree: Any, scale: float, name: str = "") -> Any:
    if isinstance(tree, list | tuple):
        return [_scaled_tree(item, scale, name) for item in tree]
    if not isinstance(tree, Mapping):
        return tree
    out = {key: _scaled_tree(value, scale, key) for key, value in tree.items()}
    for part, size in _SIZED:
        if (name.endswith(part) if part == "font" else name == part) and size in out:
            out[size] = _times(out[size], scale)
    return out


def scaled_figure(figure: Mapping[str, Any], scale: float) -> dict[str, Any]:
    """A copy of a plotly figure's dict with every text, marker and line ``scale`` times as big.

    Fonts, marker sizes and line widths are scaled wherever they are set (traces, animation
    frames, the layout and its template); the layout's base font, which every unsized text
    inherits, is set if the figure left it to plotly. Margins and the height grow by the same
    factor, so what is placed in fractions of the figure (buttons and sliders under the axes,
    legends above) keeps clear of the larger text, as the page around it grows too.
    """
    out: dict[str, Any] = _scaled_tree(figure, scale)
    if scale == 1:
        return out
    layout = out.setdefault("layout", {})
    font = layout.setdefault("font", {})
    font.setdefault("size", round(PLOTLY_FONT_PX * scale, 3))
    layout["height"] = round((layout.get("height") or PLOTLY_HEIGHT_PX) * scale)
    margin = layout.get("margin")
    if isinstance(margin, dict):
        layout["margin"] = {k: _times(v, scale) if k in _MARGINS else v for k, v in margin.items()}
    return out


class _SharedFigure(go.Figure):
    """A figure that is only read: its dict (what ``st.plotly_chart`` sends) is made once."""

    def to_dict(self) -> dict[str, Any]:
        made: dict[str, Any] | None = self.__dict__.get("_shared_dict")
        if made is None:
            made = self._shared_dict = super().to_dict()
        return made


@st.cache_resource(max_entries=64, show_spinner=False)
def _built(key: str, scale: float, _build: Callable[[], go.Figure]) -> go.Figure:
    # Streamlit hashes ``key`` and ``scale`` only (a leading underscore leaves ``_build`` out),
    # and sessions asking for one key at once wait for the first one's build.
    built = _build()
    figure = _SharedFigure(built if scale == 1 else scaled_figure(built.to_dict(), scale))
    figure.to_dict()  # made here, under the cache's lock, not by the first readers at once
    return figure


def shared_figure(key: object, build: Callable[[], go.Figure], *, scale: float = 1.0) -> go.Figure:
    """``build()``'s figure, built once per ``key`` (JSON data naming all it depends on) and
    ``scale`` (presentation mode's factor, :func:`scaled_figure`).

    The figure is shared: callers must not change it (its dict would not follow).
    """
    return _built(json.dumps(key, sort_keys=True, default=str), float(scale), build)
