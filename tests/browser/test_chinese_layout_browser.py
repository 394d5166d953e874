"""Every page in 中文 at a laptop's and a projector's size: no control clipped or wrapped.

Chinese labels are shorter in characters but wider per character than English
ones; a label that wraps to a second line, or a button whose text is cut off,
is what a teacher notices first. The check runs in real Chromium at
1440×900 and 1280×720 and saves a screenshot of each page
(``tests/artifacts/zh-<page>-<size>.png``; ``pytest --update-screenshot`` also puts them
in ``docs/pages/``, where the reviewed ones are).
"""

from __future__ import annotations

import pytest

from autodiff_viz.i18n import t
from tests.support.browser import ROOT, screenshot, wait_for_app

pytestmark = pytest.mark.browser

SIZES = [(1440, 900), (1280, 720)]
DOCS = ROOT / "docs" / "pages"

#: Controls whose text must sit on one line, uncut: buttons (segmented controls, tabs,
#: the sidebar's pages and radio), widget labels, and the text a select box shows.
_CONTROLS = ", ".join(
    [
        "button",
        "[role='tab']",
        "[data-testid='stWidgetLabel']",
        "[data-testid='stSidebarNavLink']",
        "[data-baseweb='select'] [value]",
        "[data-baseweb='select'] div[title]",
        "[data-testid='stExpander'] summary",
        "[data-testid='stRadio'] label",
    ]
)

#: For each control with text: a text node laid out on two lines, or text past the box's edge.
_FIND_BAD = """
(selector) => {
  const bad = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || !el.innerText || !el.innerText.trim()) continue;
    if (el.closest('[data-testid="stTooltipContent"]')) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()].filter(r => r.width > 0);
      const lines = new Set(rects.map(r => Math.round(r.top)));
      const right = Math.max(...rects.map(r => r.right));
      if (lines.size > 1) bad.push('wrapped: ' + node.textContent.trim());
      else if (right > box.right + 2 || el.scrollWidth > el.clientWidth + 2)
        bad.push('clipped: ' + node.textContent.trim());
    }
    // A control hidden past the edge of a box that scrolls or clips (a scene switch).
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflowX === 'visible') continue;
      const edge = up.getBoundingClientRect();
      if (box.right > edge.right + 2 || box.left < edge.left - 2)
        bad.push('cut off: ' + el.innerText.trim());
      break;
    }
  }
  return bad;
}
"""


def _open(page, app_url: str, path: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(f"{app_url}/{path}?lang=zh")
    wait_for_app(page)
    page.locator("h1").first.wait_for()


def _check(page, request, name: str, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    wait_for_app(page)
    page.wait_for_timeout(500)  # charts and the graph settle their size after the script
    assert page.locator("[data-testid='stException']").count() == 0
    bad = page.evaluate(_FIND_BAD, _CONTROLS)
    shot = screenshot(page, f"zh-{name}-{size[0]}x{size[1]}")
    assert shot.stat().st_size > 10_000
    if request.config.getoption("--update-screenshot"):
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / shot.name))  # the viewport, as the class sees it
    assert not bad, f"{name} at {size}: {bad}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_explorer_in_chinese(page, request, app_url, size) -> None:  # type: ignore[no-untyped-def]
    _open(page, app_url, "", size)
    _check(page, request, "explorer", size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_explorer_error_in_chinese(page, request, app_url, size) -> None:  # type: ignore[no-untyped-def]
    _open(page, app_url, "", size)
    page.get_by_text(t("explorer.mode.code", "zh"), exact=True).first.click()
    wait_for_app(page)
    editor = page.locator("textarea").first
    editor.fill("import torch\nx = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward()\n")
    editor.press("Control+Enter")
    error = page.locator("[data-testid='stAlertContentError']").first
    error.wait_for()
    assert "第 4 行：只能对标量调用 backward()：请先 .sum()" in error.inner_text()
    error.scroll_into_view_if_needed()
    _check(page, request, "explorer-error", size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_derivatives_in_chinese(page, request, app_url, size) -> None:  # type: ignore[no-untyped-def]
    _open(page, app_url, "derivatives", size)
    _check(page, request, "derivatives", size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("scene", ["1d", "2d", "line"])
def test_descent_in_chinese(page, request, app_url, size, scene) -> None:  # type: ignore[no-untyped-def]
    _open(page, app_url, "descent", size)
    if scene != "1d":
        switch = page.locator("[data-testid='stButtonGroup']")
        switch.get_by_text(t(f"descent.scene.{scene}", "zh"), exact=True).click()
        wait_for_app(page)
    _check(page, request, f"descent-{scene}", size)


#: Inline code spans laid out on more than one line (Chinese text may break anywhere).
_BROKEN_CODE = """
() => [...document.querySelectorAll('[data-testid="stMarkdownContainer"] :not(pre) > code')]
  .filter(code => code.getBoundingClientRect().width > 0)
  .filter(code => new Set([...code.getClientRects()].map(r => Math.round(r.top))).size > 1)
  .map(code => code.innerText)
"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("path", ["", "derivatives", "descent"])
def test_inline_code_is_never_split_across_lines(page, app_url, size, path) -> None:  # type: ignore[no-untyped-def]
    _open(page, app_url, path, size)
    wait_for_app(page)
    for opener in page.locator("[data-testid='stExpander'] summary").all():
        # The texts inside expanders too: open each closed one (a click on an open one would
        # close it and make the expanders inside it inert).
        if not opener.evaluate("e => e.closest('details').open"):
            opener.click()
            wait_for_app(page)  # an expander drawn when opened reruns its part of the page
    page.wait_for_timeout(300)
    assert page.evaluate(_BROKEN_CODE) == []
