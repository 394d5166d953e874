"""Read what a page drew in an AppTest run: the graph component's SVG and its texts."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from streamlit.testing.v1 import AppTest

_TEXT = re.compile(r"<text[^>]*>(.*?)</text>", re.S)


def graph_svg(at: AppTest) -> str:
    """The SVG of the (first) graph component on the page."""
    for element in at.main:
        if getattr(element, "type", None) == "bidi_component":
            data: dict[str, Any] = json.loads(element.proto.json)
            if "svg" in data:
                return str(data["svg"])
    raise AssertionError("no graph on the page")


def graph_texts(at: AppTest) -> list[str]:
    """Every text drawn in the graph, in drawing order."""
    return [html.unescape(text) for text in _TEXT.findall(graph_svg(at))]
