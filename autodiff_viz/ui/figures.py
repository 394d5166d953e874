"""Plotly figures built once per server and shown to every session that asks for the same one.

Measured under forty simultaneous sessions, building the descent page's 500-step animation
cost 60 ms of the one server process's CPU per session, the derivatives page's figure most of
its 55 ms: more than everything else those pages do. Every student of a class opens the same
defaults, so a figure is built once per *key* (everything it depends on) and handed, unchanged,
to each ``st.plotly_chart``, which only reads it. ``st.plotly_chart`` also deep-copies a figure
into a dict on every call (18 ms for the descent animation): a shared figure makes that dict once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go
import streamlit as st

__all__ = ["shared_figure"]


class _SharedFigure(go.Figure):
    """A figure that is only read: its dict (what ``st.plotly_chart`` sends) is made once."""

    def to_dict(self) -> dict[str, Any]:
        made: dict[str, Any] | None = self.__dict__.get("_shared_dict")
        if made is None:
            made = self._shared_dict = super().to_dict()
        return made


@st.cache_resource(max_entries=64, show_spinner=False)
def _built(key: str, _build: Callable[[], go.Figure]) -> go.Figure:
    # Streamlit hashes ``key`` only (a leading underscore leaves ``_build`` out), and sessions
    # asking for one key at once wait for the first one's build instead of repeating it.
    figure = _SharedFigure(_build())
    figure.to_dict()  # made here, under the cache's lock, not by the first readers at once
    return figure


def shared_figure(key: object, build: Callable[[], go.Figure]) -> go.Figure:
    """``build()``'s figure, built once per ``key`` (JSON data naming all it depends on).

    The figure is shared: callers must not change it (its dict would not follow).
    """
    return _built(json.dumps(key, sort_keys=True, default=str), build)
