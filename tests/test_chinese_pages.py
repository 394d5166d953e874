"""Every page as a Chinese reader sees it: no half-width , : ; ( ) glued to a Chinese word.

The table is checked key by key (``test_chinese.py``); this runs each page in 中文
through AppTest and reads every text it sent (labels, Markdown, captions,
alerts, figure and graph texts), so a page that glues a translated label to
``": "`` or ``" ("`` itself fails here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from tests.support.apptest import APP, run_clean
from tests.test_chinese import half_width_after_chinese


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value[:1] in "{[":  # a figure's or a component's JSON: its texts too
            try:
                yield from _strings(json.loads(value))
                return
            except ValueError:
                pass
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _texts(node: Any) -> Iterator[str]:
    proto = getattr(node, "proto", None)
    if proto is not None and hasattr(proto, "DESCRIPTOR"):
        yield from _strings(MessageToDict(proto))
    for child in getattr(node, "children", {}).values():
        yield from _texts(child)


def _page(path: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "zh"
    run_clean(at)
    if path:
        at.switch_page(path)
        run_clean(at)
    return at


@pytest.mark.parametrize("path", ["", "pages/derivatives.py", "pages/descent.py"])
def test_a_page_in_chinese_uses_full_width_punctuation(path: str) -> None:
    at = _page(path)
    texts = list(_texts(at._tree))
    assert any("：" in text for text in texts)  # the page did speak Chinese
    bad = {text[:80]: half_width_after_chinese(text) for text in texts}
    assert not {k: v for k, v in bad.items() if v}


def test_a_chinese_error_on_the_page_uses_full_width_punctuation() -> None:
    at = _page("pages/derivatives.py")
    at.text_input(key="derivatives.expr").set_value("x.sum()")
    run_clean(at)
    texts = list(_texts(at._tree))
    assert any(text.startswith("无法画出 f：") for text in texts)
    assert not [t for t in texts if half_width_after_chinese(t)]
