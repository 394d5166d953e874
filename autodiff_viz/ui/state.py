"""Widget values that survive reruns, errors and page switches.

Streamlit forgets a widget's value when a run does not draw it (the student
went to another page, or another mode of the same page) and brings it back
with the first value it was given. Each kept widget therefore has a saved copy:
``kept(key, default)`` restores the widget from it before the widget is drawn
and returns the widget arguments that save the next edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

_PREFIX = "saved."


def saved(key: str, default: Any = None) -> Any:
    """The last value of widget ``key`` (``default`` before it had one)."""
    return st.session_state.get(_PREFIX + key, default)


def save(key: str) -> None:
    """Copy the widget's value; None (a click on a selected segment) keeps the last choice."""
    if st.session_state.get(key) is not None:
        st.session_state[_PREFIX + key] = st.session_state[key]


def put(key: str, value: Any) -> None:
    """Set a widget and its saved copy (loading an example, a preset, a reset)."""
    st.session_state[key] = st.session_state[_PREFIX + key] = value


def _save_then(key: str, then: Callable[[], None] | None) -> None:
    save(key)
    if then is not None:
        then()


def kept(key: str, default: Any, *, then: Callable[[], None] | None = None) -> dict[str, Any]:
    """Restore widget ``key`` and return the arguments that keep its next edit.

    Restored on every run: the widget's ``on_change`` saves an edit before the
    script runs, so the saved copy is always the newest value; ``then`` runs after.
    """
    st.session_state[key] = st.session_state.setdefault(_PREFIX + key, default)
    return {"key": key, "on_change": _save_then, "args": (key, then)}
