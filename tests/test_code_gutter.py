"""The code editor's line numbers: what the browser is told, and the page that tells it.

The drawing itself (alignment, typing, scrolling) is checked in Chromium, in
tests/browser/test_code_gutter_browser.py.
"""

from __future__ import annotations

import json
from typing import Any

from streamlit.testing.v1 import AppTest

from autodiff_viz.ui.code_gutter import gutter_data, key_class
from autodiff_viz.ui.editor import CODE
from tests.support.apptest import open_app, run_clean

BROKEN = "import torch\nx = torch.ones(2)\ny = (x +\nz = 1\n"


def test_key_class_is_the_one_streamlit_writes() -> None:
    # Streamlit 1.67's frontend: "st-key-" + key with every character outside [a-zA-Z0-9_-]
    # replaced by "-" (the browser test finds the text area by it).
    assert key_class("explorer.code") == "st-key-explorer-code"
    assert key_class(" a b/c_d-9 ") == "st-key-a-b-c_d-9"
    assert key_class("程序") == "st-key---"


def test_gutter_data_carries_the_line_and_its_text() -> None:
    data = gutter_data("explorer.code", BROKEN, 3)
    assert data == {"target": "st-key-explorer-code", "line": 3, "text": "y = (x +"}


def test_gutter_data_marks_nothing_without_a_line_of_the_text() -> None:
    for line in (None, 0, -1, 6):
        data = gutter_data("k", BROKEN, line)
        assert (data["line"], data["text"]) == (None, None)
    # The text area shows a line after the last newline (empty): it is line 5 here.
    assert gutter_data("k", BROKEN, 5)["line"] == 5
    assert gutter_data("k", BROKEN, 5)["text"] == ""
    assert gutter_data("k", "", 1)["text"] == ""


def gutters(at: AppTest) -> list[dict[str, Any]]:
    """The data of every line-number component on the page."""
    return [
        json.loads(element.proto.json)
        for element in at.main
        if getattr(element, "type", None) == "bidi_component"
        and element.proto.component_name == "autodiff_viz.code_gutter"
    ]


def test_explorer_numbers_its_code_and_marks_the_error_line() -> None:
    at = open_app(lang="zh", code=BROKEN)
    assert "第 3 行" in at.error[0].value
    assert gutters(at) == [{"target": "st-key-explorer-code", "line": 3, "text": "y = (x +"}]
    # The numbered excerpt stays with the message (a closed editor, no JavaScript).
    assert "→ 3 │ y = (x +" in at.code[0].value
    # Fixed: numbers still, no mark, no excerpt; the user's text is the text area's.
    at.text_area(key=CODE).set_value(BROKEN.replace("(x +", "(x + 1)")).run()
    assert not at.error
    (data,) = gutters(at)
    assert data["line"] is None and data["text"] is None
    assert not at.code
    assert at.session_state[CODE] == BROKEN.replace("(x +", "(x + 1)")


def test_function_form_has_no_gutter() -> None:
    at = open_app(lang="en")  # the function form: a one-line function, no code editor
    assert gutters(at) == []
    at.segmented_control(key="explorer.mode").set_value("code")
    run_clean(at)
    (data,) = gutters(at)
    assert data["target"] == "st-key-explorer-code" and data["line"] is None
