"""The code editor's line numbers in headless Chromium: aligned, marked, live, scrolled.

Alignment is checked the way a student meets it: a click on the text area level with the
number k puts the caret on line k (the text area's own layout answers, not a copy of it).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from autodiff_viz.explorer.data import share_query
from autodiff_viz.i18n import t
from tests.support.browser import APP_IDLE, ARTIFACTS, wait_for_app

pytestmark = pytest.mark.browser

ROWS = ".cg-row"
#: Line 3 has a syntax error; line 4 is longer than any editor is wide (code does not wrap)
#: and mixes Chinese into it; enough lines that the text area scrolls.
PROGRAM = (
    "import torch\n"
    "x = torch.ones(3, requires_grad=True)\n"
    "y = (x * 2\n"
    "z = y.sum()  # 一个很长的注释，中文和 English 混在一起" + " and a long comment" * 12 + "\n"
    "z.backward()\n" + "".join(f"w{i} = x * {i}  # 第 {i} 行\n" for i in range(20))
)
LINES = PROGRAM.count("\n") + 1  # the empty line after the last newline is a line too

# Where the rows, the gutter, the band and the text area are, in viewport pixels.
_GEOMETRY = """() => {
  const area = document.querySelector('.st-key-explorer-code textarea');
  const box = area.getBoundingClientRect();
  const top = box.top + area.clientTop;
  const inner = { top, bottom: top + area.clientHeight, left: box.left, right: box.right };
  const rows = [...document.querySelectorAll('.cg-row')].map((r) => {
    const b = r.getBoundingClientRect();
    return { n: r.textContent, top: b.top, bottom: b.bottom, left: b.left, right: b.right,
             error: r.classList.contains('cg-error') };
  });
  const gutter = document.querySelector('.cg-gutter').getBoundingClientRect();
  const band = document.querySelector('.cg-band');
  const b = band.getBoundingClientRect();
  return { inner, rows, gutterRight: gutter.right, scrollTop: area.scrollTop,
           band: band.hidden ? null : { top: b.top, bottom: b.bottom, left: b.left } };
}"""
_CARET_LINE = """() => { const a = document.querySelector('.st-key-explorer-code textarea');
  return a.value.slice(0, a.selectionStart).split('\\n').length; }"""


def open_link(page, app_url: str, code: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/" + share_query(code=code, lang=lang))
    wait_for_app(page)


def open_editor(page, app_url: str, code: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    """Open ``code`` by link (the editor starts closed), open the editor, wait for its gutter."""
    open_link(page, app_url, code, lang)
    expand_editor(page, code)


def expand_editor(page, code: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(".st-key-explorer-editor summary").click()
    wait_for_app(page)
    lines = code.count("\n") + 1
    page.wait_for_function(f"() => document.querySelectorAll('{ROWS}').length === {lines}")
    center_editor(page)


def center_editor(page) -> None:  # type: ignore[no-untyped-def]
    """Scroll the text area to the middle of the window and wait until it stays put (the page
    still changes height for a moment after a run, which moves it)."""
    area = page.locator(".st-key-explorer-code textarea")
    last = None
    for _ in range(40):
        area.evaluate("a => a.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(250)
        top = area.evaluate("a => a.getBoundingClientRect().top")
        if top == last:
            return
        last = top
    raise AssertionError("the editor kept moving")


def geometry(page) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return dict(page.evaluate(_GEOMETRY))


def click_line(page, x: float, y: float) -> int:  # type: ignore[no-untyped-def]
    """Click the page at (x, y); the line of the text area the caret went to.

    Waits for the click's mouseup to reach the page first: Playwright can return before the
    browser has handled the click, and the caret read then is the previous one.
    """
    before = page.evaluate(
        "() => { if (window.__ups === undefined) { window.__ups = 0;"
        " document.addEventListener('mouseup', () => window.__ups++, true); }"
        " return window.__ups; }"
    )
    page.mouse.click(x, y)
    page.wait_for_function(f"() => window.__ups > {before}")
    return int(page.evaluate(_CARET_LINE))


def assert_aligned(page) -> int:  # type: ignore[no-untyped-def]
    """Every fully visible number sits level with its line; returns how many were checked."""
    shape = geometry(page)
    inner = shape["inner"]
    x = shape["gutterRight"] + 40  # inside the text, clear of the gutter
    checked = 0
    for row in shape["rows"]:
        if row["top"] < inner["top"] or row["bottom"] > inner["bottom"] - 16:  # 16: a scrollbar
            continue
        height = row["bottom"] - row["top"]
        # Near the row's top and bottom edges too: off by a fifth of a line would fail.
        for y in (row["top"] + 0.2 * height, row["bottom"] - 0.2 * height):
            assert click_line(page, x, y) == int(row["n"]), (row, y)
        checked += 1
    return checked


def scroll_text(page, top: int) -> None:  # type: ignore[no-untyped-def]
    """Scroll the text area; wait two frames, so that its scroll event has been handled."""
    page.locator(".st-key-explorer-code textarea").evaluate(
        "(a, top) => new Promise((done) => { a.scrollTop = top;"
        " requestAnimationFrame(() => requestAnimationFrame(done)); })",
        top,
    )


def watch_reruns(page) -> None:  # type: ignore[no-untyped-def]
    """Count the app's script runs from now on (``window.__runs``)."""
    page.evaluate(
        """() => { window.__runs = 0; const app = document.querySelector('[data-testid=stApp]');
        const count = () => { if (app.dataset.testScriptState === 'running') window.__runs++; };
        new MutationObserver(count)
          .observe(app, { attributes: true, attributeFilter: ['data-test-script-state'] }); }"""
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_numbers_line_up_mark_the_error_and_follow_typing_and_scrolling(
    page, app_url, lang
) -> None:  # type: ignore[no-untyped-def]
    open_editor(page, app_url, PROGRAM, lang)
    shape = geometry(page)
    assert [row["n"] for row in shape["rows"]] == [str(n) for n in range(1, LINES + 1)]
    # Line 3 is the error's (the message says so too), and only line 3 is marked.
    message = page.locator("[data-testid='stAlertContentError']").first.inner_text()
    assert {"en": "Line 3:", "zh": "第 3 行"}[lang] in message
    assert [row["n"] for row in shape["rows"] if row["error"]] == ["3"]
    third = shape["rows"][2]
    assert shape["band"] is not None
    assert abs(shape["band"]["top"] - third["top"]) < 1
    assert abs(shape["band"]["bottom"] - third["bottom"]) < 1
    # Beside the text, never over it: the gutter ends where the text area begins.
    assert shape["gutterRight"] <= shape["inner"]["left"] + 0.5
    assert shape["band"]["left"] >= shape["inner"]["left"] - 0.5
    assert assert_aligned(page) >= 10

    # Typing a new line adds its number at once, with no rerun; the numbers are not text.
    watch_reruns(page)
    page.keyboard.press("Control+End")
    page.keyboard.type("\nv = 1")
    page.wait_for_function(f"() => document.querySelectorAll('{ROWS}').length === {LINES + 1}")
    assert page.evaluate("() => window.__runs") == 0
    value = page.locator(".st-key-explorer-code textarea").input_value()
    assert value == PROGRAM + "\nv = 1"
    assert geometry(page)["rows"][-1]["n"] == str(LINES + 1)

    # Scrolling the text scrolls the numbers with it, still level with their lines.
    scroll_text(page, 0)
    before = geometry(page)
    scroll_text(page, 150)
    after = geometry(page)
    assert after["scrollTop"] > 100
    moved = before["rows"][10]["top"] - after["rows"][10]["top"]
    assert abs(moved - after["scrollTop"]) < 1
    assert assert_aligned(page) >= 10
    assert page.evaluate("() => window.__runs") == 0


def test_error_far_down_is_scrolled_into_view_and_fixing_it_clears_the_mark(page, app_url) -> None:  # type: ignore[no-untyped-def]
    code = "".join(f"a{i} = {i}\n" for i in range(1, 30)) + "b = (a1 +\n" + "c = 2\n"
    open_link(page, app_url, code, "en")
    # A closed editor (as a link opens it) meets its error once opened: scrolled to, marked.
    expand_editor(page, code)
    shape = geometry(page)
    marked = [row for row in shape["rows"] if row["error"]]
    assert [row["n"] for row in marked] == ["30"]
    assert shape["scrollTop"] > 0
    assert (
        shape["inner"]["top"] <= marked[0]["top"]
        and marked[0]["bottom"] <= shape["inner"]["bottom"]
    )
    # Editing the marked line takes the mark away at once (it no longer means that text).
    area = page.locator(".st-key-explorer-code textarea")
    assert click_line(page, shape["gutterRight"] + 40, marked[0]["top"] + 5) == 30
    page.keyboard.press("End")
    page.keyboard.type(" 1)")
    page.wait_for_function("() => !document.querySelector('.cg-error')")
    assert geometry(page)["band"] is None
    # Run it: no error, no mark, the same numbers.
    area.press("Control+Enter")
    wait_for_app(page)
    page.locator(APP_IDLE).wait_for()
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    assert len(geometry(page)["rows"]) == code.count("\n") + 1


def test_a_taller_text_area_shows_more_numbers_still_level(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_editor(page, app_url, PROGRAM, "en")
    before = assert_aligned(page)
    inner = geometry(page)["inner"]
    # Drag the text area's resize handle (its bottom right corner) 120 px down.
    page.mouse.move(inner["right"] - 3, inner["bottom"] - 3)
    page.mouse.down()
    page.mouse.move(inner["right"] - 3, inner["bottom"] + 117, steps=5)
    page.mouse.up()
    taller = inner["bottom"] - inner["top"] + 100
    page.wait_for_function(f"() => document.querySelector('.cg-clip').offsetHeight > {taller}")
    center_editor(page)
    assert assert_aligned(page) >= before + 5


def _ink(page) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    """The numbers' colour and the code's colour, as sRGB channels 0..1."""
    colors = page.evaluate(
        """() => [getComputedStyle(document.querySelector('.cg-row')).color,
          getComputedStyle(document.querySelector('.st-key-explorer-code textarea')).color]"""
    )
    return tuple(_rgb(color) for color in colors)  # type: ignore[return-value]


def _rgb(css: str) -> list[float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return numbers[:3] if css.startswith("color(") else [n / 255 for n in numbers[:3]]


def test_numbers_follow_the_theme_when_it_changes(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 1280, "height": 720})
    page.emulate_media(color_scheme="light")
    open_editor(page, app_url, PROGRAM, "en")
    light_numbers, light_code = _ink(page)
    assert light_numbers == pytest.approx(light_code, abs=0.01)  # the code's ink, dimmed
    was = page.evaluate("() => getComputedStyle(document.querySelector('.cg-row')).color")
    page.emulate_media(color_scheme="dark")  # the reader's OS turns dark: the app follows
    page.wait_for_function(
        "was => getComputedStyle(document.querySelector('.cg-row')).color !== was", arg=was
    )
    dark_numbers, dark_code = _ink(page)
    assert dark_code != light_code
    assert dark_numbers == pytest.approx(dark_code, abs=0.01)
    assert assert_aligned(page) >= 8


def test_presentation_mode_lays_the_numbers_out_again(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_editor(page, app_url, PROGRAM, "zh")
    small = geometry(page)["rows"][0]
    page.get_by_text(t("app.presentation", "zh"), exact=True).click()
    wait_for_app(page)
    page.wait_for_function(
        "() => parseFloat(getComputedStyle(document.documentElement).fontSize) === 20"
    )
    center_editor(page)
    page.wait_for_function(
        f"h => {{ const r = document.querySelector('{ROWS}').getBoundingClientRect();"
        " return r.bottom - r.top > h * 1.2; }",
        arg=small["bottom"] - small["top"],
    )
    assert assert_aligned(page) >= 8
    assert [row["n"] for row in geometry(page)["rows"] if row["error"]] == ["3"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "code-gutter-presentation.png"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_gutter_pictures(page, app_url, lang) -> None:  # type: ignore[no-untyped-def]
    """tests/artifacts/code-gutter-<w>x<h>-<scheme>-<lang>.png, to look at; aligned there too.

    One page load per language: the window is resized and the reader's theme switched on the
    open page; the numbers must stay level with their lines each time."""
    page.set_viewport_size({"width": 1280, "height": 720})
    open_editor(page, app_url, PROGRAM, lang)
    ARTIFACTS.mkdir(exist_ok=True)  # the window, as the class sees it
    for width, height in [(1280, 720), (1440, 900)]:
        for scheme in ["light", "dark"]:
            page.set_viewport_size({"width": width, "height": height})
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(300)  # the gutter measures again on the next frame
            assert assert_aligned(page) >= 8
            click_line(
                page, geometry(page)["gutterRight"] + 40, geometry(page)["rows"][2]["top"] + 5
            )
            name = f"code-gutter-{width}x{height}-{scheme}-{lang}.png"
            page.screenshot(path=str(ARTIFACTS / name))
