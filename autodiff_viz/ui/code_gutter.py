"""Line numbers beside a ``st.text_area``, with the line of an error marked.

Every error the app shows cites "Line N", worded as Python would. The text stays a plain
Streamlit text area (its value lives in session state, tests drive it, it works without
JavaScript); :func:`code_gutter` adds, in the browser only, a small ``st.components.v2``
component (``code_gutter.js`` and ``.css`` beside this module) that finds that text area by
its key's class, turns off soft wrap (one text line, one row: right for code, and the numbers
need no measuring), draws a column of numbers to its left that follows typing, scrolling and
resizing without a rerun, marks the error's line and scrolls it into view once per new error.

The numbers are not part of the text: they sit outside the text area, so copying the code
copies none and they never cover the text or the caret. The component's own element takes
no room on the page.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any

import streamlit as st

__all__ = ["code_gutter", "gutter_data", "key_class"]

_NOT_IN_CLASS = re.compile(r"[^a-zA-Z0-9_-]")


def key_class(key: str) -> str:
    """The CSS class Streamlit gives the element of the widget with ``key`` (``st-key-…``).

    Streamlit 1.67 writes ``st-key-`` and the key with every character outside
    ``[a-zA-Z0-9_-]`` replaced by ``-``.
    """
    return "st-key-" + _NOT_IN_CLASS.sub("-", key.strip())


def gutter_data(text_key: str, source: str, error_line: int | None) -> dict[str, Any]:
    """What the browser needs: which text area, and the error's line with its text.

    The line's text lets the browser tell when the student has edited that line (or moved it
    by adding lines above) since the run: the mark then goes, rather than point at the wrong
    line. A line the text does not have (an error "at the end of the input") marks nothing.
    """
    lines = source.split("\n")
    found = error_line is not None and 1 <= error_line <= len(lines)
    return {
        "target": key_class(text_key),
        "line": error_line if found else None,
        "text": lines[error_line - 1] if found and error_line is not None else None,
    }


def _asset(name: str) -> str:
    return resources.files("autodiff_viz.ui").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def _component() -> Any:
    """Register once per process. Styles are not isolated: the gutter lives in the page's DOM,
    beside the text area, so its CSS must reach there (every rule is scoped to its classes)."""
    return st.components.v2.component(
        "autodiff_viz.code_gutter",
        html='<span class="cg-host" hidden></span>',
        css=_asset("code_gutter.css"),
        js=_asset("code_gutter.js"),
        isolate_styles=False,
    )


def code_gutter(text_key: str, source: str, error_line: int | None) -> None:
    """Number the lines of the text area with key ``text_key``; mark ``error_line`` (1-based).

    ``source`` is the text that ran (the text area's value). Call it once per run, at a place
    of the page that does not move between runs (the component keeps its state there).
    """
    data = gutter_data(text_key, source, error_line)
    _component()(key=f"{text_key}.gutter", data=data)
