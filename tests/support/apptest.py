"""Read what a page drew in an AppTest run: the graph component's SVG and its texts."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

_TEXT = re.compile(r"<text[^>]*>(.*?)</text>", re.S)


def graph_data(at: AppTest) -> dict[str, Any]:
    """What the page sent its (first) graph component: the SVG, the step script, the labels."""
    for element in at.main:
        if getattr(element, "type", None) == "bidi_component":
            data: dict[str, Any] = json.loads(element.proto.json)
            if "svg" in data:
                return data
    raise AssertionError("no graph on the page")


def graph_svg(at: AppTest) -> str:
    """The SVG of the (first) graph component on the page."""
    return str(graph_data(at)["svg"])


def graph_texts(at: AppTest) -> list[str]:
    """Every text drawn in the graph, in drawing order."""
    return [html.unescape(text) for text in _TEXT.findall(graph_svg(at))]


APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_clean(at: AppTest) -> AppTest:
    """Run the app once more and fail on any uncaught exception."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_app(**query: str) -> AppTest:
    """The real app opened with ``query`` as its query string (``lang=zh``, ``code=...``)."""
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    return run_clean(at)


def open_page(page: str, lang: str = "en") -> AppTest:
    """The real app at ``page`` (e.g. ``pages/derivatives.py``) in ``lang``."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.switch_page(page)
    return run_clean(at)


def plotly_figure(at: AppTest) -> dict[str, Any]:
    """The page's one plotly figure, as the JSON the browser receives."""
    (chart,) = at.get("plotly_chart")
    spec: dict[str, Any] = json.loads(chart.proto.spec)
    return spec


def shown(markdown: str) -> str:
    """The text a Markdown element shows of text written by ``autodiff_viz.ui.markup.literal``:
    backslash escapes and the invisible word joiners removed, hard breaks as newlines."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("  \n", "\n")).replace("\u2060", "")
