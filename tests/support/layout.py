"""Checks that a page's words fit, in real Chromium: no control wrapped or cut, no code split.

Chinese labels are shorter in characters but wider per character than English ones; a label
that wraps to a second line, or a button whose text is cut off, is what a teacher notices first.
:func:`controls_fit` checks the page as it is now (and saves a full-page screenshot,
``tests/artifacts/zh-<name>-<size>.png``; ``pytest --update-screenshot`` also puts the viewport
in ``docs/pages/``); :func:`inline_code_unbroken` opens every closed expander and checks that no
inline code span is laid out on two lines (Chinese text may break anywhere).

The checks run on a page a test has already opened for its own checks, so one page load serves
both (a load costs Chromium seconds of CPU; a check costs milliseconds).
"""

from __future__ import annotations

from tests.support.browser import ROOT, screenshot, wait_for_app

DOCS = ROOT / "docs" / "pages"

#: Controls whose text must sit on one line, uncut: buttons (segmented controls, tabs,
#: the sidebar's pages and radio), widget labels, and the text a select box shows.
CONTROLS = ", ".join(
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
FIND_BAD = """
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

#: Inline code spans laid out on more than one line (Chinese text may break anywhere).
BROKEN_CODE = """
() => [...document.querySelectorAll('[data-testid="stMarkdownContainer"] :not(pre) > code')]
  .filter(code => code.getBoundingClientRect().width > 0)
  .filter(code => new Set([...code.getClientRects()].map(r => Math.round(r.top))).size > 1)
  .map(code => code.innerText)
"""


def size_of(page) -> str:  # type: ignore[no-untyped-def]
    """The tab's viewport as ``<width>x<height>``."""
    viewport = page.viewport_size
    return f"{viewport['width']}x{viewport['height']}"


def controls_fit(page, request, name: str) -> None:  # type: ignore[no-untyped-def]
    """No error on the page, and every control's text on one line, inside its box."""
    wait_for_app(page)
    page.wait_for_timeout(500)  # charts and the graph settle their size after the script
    assert page.locator("[data-testid='stException']").count() == 0
    bad = page.evaluate(FIND_BAD, CONTROLS)
    shot = screenshot(page, f"zh-{name}-{size_of(page)}")
    assert shot.stat().st_size > 10_000
    if request.config.getoption("--update-screenshot"):
        DOCS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS / shot.name))  # the viewport, as the class sees it
    assert not bad, f"{name} at {size_of(page)}: {bad}"


def inline_code_unbroken(page) -> None:  # type: ignore[no-untyped-def]
    """Open every closed expander, then: no inline code span laid out on two lines."""
    wait_for_app(page)
    for opener in page.locator("[data-testid='stExpander'] summary").all():
        # The texts inside expanders too: open each closed one (a click on an open one would
        # close it and make the expanders inside it inert).
        if not opener.evaluate("e => e.closest('details').open"):
            opener.click()
            wait_for_app(page)  # an expander drawn when opened reruns its part of the page
    page.wait_for_timeout(300)
    assert page.evaluate(BROKEN_CODE) == [], size_of(page)
