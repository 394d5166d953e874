"""Presentation mode and the mini-map in headless Chromium at a projector's 1280x720.

Presentation mode must enlarge what a class reads on every page (the graph's node text, plotly's
ticks and legends) and keep every control row on one line, whole, in both languages and themes.
A graph too big to fit at a readable size opens on the part around the loss with a mini-map of
the whole picture in a corner that hides neither the loss nor the top node on screen.
"""

from __future__ import annotations

import shutil
from statistics import median
from typing import Any

import pytest

from autodiff_viz.i18n import t
from autodiff_viz.render.layout import has_dot
from autodiff_viz.ui.frame import PRESENTATION_SCALE
from autodiff_viz.ui.graph_view import MIN_TEXT_PX
from tests.browser.test_explorer_browser import (
    DRAWN_IN,
    Q,
    captured,
    expected_digest,
    node_text_px,
    open_link,
    wait_for_picture,
)
from tests.support.browser import MLP, ROOT, screenshot, wait_for_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_dot(), reason="needs graphviz's dot"),
]
PROJECTOR = {"width": 1280, "height": 720}
CHART = ".js-plotly-plot"

#: Every control row that must not wrap, and every button whose text must not be cut: the
#: graph's toolbar (in its shadow root), Streamlit's button groups and rows, plotly's buttons.
CONTROL_PROBLEMS = """() => {
  const roots = [document, ...[...document.querySelectorAll('*')]
    .filter((e) => e.shadowRoot).map((e) => e.shadowRoot)];
  const bad = [];
  const visible = (e) => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const oneLine = (name, items) => {
    const shown = items.filter(visible);
    if (shown.length < 2) return;
    const tops = shown.map((e) => Math.round(e.getBoundingClientRect().top));
    if (Math.max(...tops) - Math.min(...tops) > 2) {
      bad.push(name + ' wraps: ' + shown.map((e) => e.textContent.trim()).join(' | '));
    }
  };
  for (const r of roots) {
    for (const bar of r.querySelectorAll('.gv-toolbar')) {
      oneLine('graph toolbar', [...bar.querySelectorAll('button')]);
      if (bar.scrollWidth > bar.clientWidth + 1) {
        bad.push('graph toolbar overflows: ' + bar.scrollWidth + ' > ' + bar.clientWidth);
      }
    }
    for (const g of r.querySelectorAll('[data-testid=stButtonGroup]')) {
      oneLine('button group', [...g.querySelectorAll('button')]);
    }
    for (const g of r.querySelectorAll('[data-testid=stHorizontalBlock]')) {
      if (g.querySelector('[data-testid=stColumn]')) continue; // columns, not a row of controls
      oneLine('button row', [...g.querySelectorAll('button')]);
    }
    for (const g of r.querySelectorAll('.updatemenu-container')) {
      oneLine('plotly buttons', [...g.querySelectorAll('.updatemenu-button')]);
    }
    for (const b of r.querySelectorAll('button')) {
      if (visible(b) && b.scrollWidth > b.clientWidth + 1) bad.push('cut: ' + b.textContent.trim());
    }
  }
  return bad;
}"""

PLOTLY_FONTS = """(sel) => {
  const chart = document.querySelector(sel);
  const px = (q) => [...chart.querySelectorAll(q)]
    .map((e) => parseFloat(getComputedStyle(e).fontSize)).filter((v) => v > 0);
  return { ticks: px('.xtick text, .ytick text'), legend: px('.legend text') };
}"""


def plotly_fonts(page: Any) -> dict[str, float]:
    """The median tick and legend text size (CSS px) of the page's first plotly chart."""
    for part in (".ytick text", ".legend text"):
        page.wait_for_selector(f"{CHART} {part}", state="attached", timeout=60_000)
    fonts = page.evaluate(PLOTLY_FONTS, CHART)
    assert fonts["ticks"] and fonts["legend"], fonts
    return {part: float(median(sizes)) for part, sizes in fonts.items()}


def go_to(page: Any, title_key: str, lang: str) -> None:
    """Switch page through the sidebar (the same session keeps presentation mode)."""
    page.get_by_role("link", name=t(title_key, lang)).click()
    page.wait_for_function(
        "t => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === t",
        arg=t(title_key, lang),
    )
    wait_for_app(page)


def median_node_px(page: Any) -> float:
    sizes = node_text_px(page)
    assert sizes
    return float(median(sizes))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_presentation_mode_enlarges_what_a_class_reads_and_keeps_controls_whole(  # type: ignore[no-untyped-def]
    page, app_url, request, lang
) -> None:
    """Each page once per language; the reader's theme switches on the open page (light, dark)."""
    page.set_viewport_size(PROJECTOR)
    page.emulate_media(color_scheme="light")
    # The normal sizes first, on a session of their own.
    page.goto(f"{app_url}/derivatives?lang={lang}")
    wait_for_app(page)
    normal = {"derivatives": plotly_fonts(page)}
    go_to(page, "page.descent", lang)
    normal["descent"] = plotly_fonts(page)

    open_link(page, app_url, code=MLP, lang=lang, view="step", step="4")
    page.wait_for_function("() => {" + Q + " return !!q('.gv-stage svg g.node'); }")
    assert median_node_px(page) >= MIN_TEXT_PX
    page.get_by_text(t("app.presentation", lang), exact=True).click()
    wait_for_app(page)
    least = MIN_TEXT_PX * PRESENTATION_SCALE
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function(DRAWN_IN, arg=scheme == "dark", timeout=20_000)
        wait_for_app(page)
        # The graph fits again to the larger smallest text (after the page took its size).
        page.wait_for_function(
            "(least) => {"
            + Q
            + """ const svg = q('.gv-stage svg'); if (!svg) return false;
              const w = svg.getBoundingClientRect().width;
              const s = w / parseFloat(svg.getAttribute('width'));
              return s * 14 >= least - 0.01; }""",
            arg=least,
        )
        assert median_node_px(page) >= least - 0.01
        assert page.evaluate(CONTROL_PROBLEMS) == [], scheme
        name = f"presentation-1280x720-{scheme}-{lang}"
        shot = screenshot(page, name)
        if request.config.getoption("--update-screenshot"):
            shutil.copy(shot, ROOT / "docs" / f"{name}.png")

    for title, path in (("page.derivatives", "derivatives"), ("page.descent", "descent")):
        go_to(page, title, lang)
        big = plotly_fonts(page)
        for part, size in big.items():
            assert size == pytest.approx(normal[path][part] * PRESENTATION_SCALE, rel=0.05), part
        for scheme in ("dark", "light"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_timeout(300)  # the page's colours follow on the next frames
            assert page.evaluate(CONTROL_PROBLEMS) == [], (path, scheme)
            screenshot(page, f"presentation-{path}-{scheme}-{lang}")


#: A long chain: far taller than a 1280x720 panel at a readable size.
BIG = (
    "x = torch.tensor(1.0, requires_grad=True)\n"
    "y = x\n"
    "for i in range(30):\n"
    "    y = y * 1.01 + 0.1\n"
    "y.backward()\n"
)

MINI = (
    "() => {"
    + Q
    + """
  const box = q('.gv-minimap'), view = q('.gv-mini-view'), vp = q('.gv-viewport');
  const rect = (e) => { const r = e.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; };
  const v = rect(vp);
  const seen = [...q('.gv-stage').querySelectorAll('g.node')].map((g) => [g, rect(g)]).filter(
    ([, r]) => r.bottom > v.top && r.top < v.bottom && r.right > v.left && r.left < v.right);
  const top = seen.reduce((a, b) => (a === null || b[1].top < a[1].top ? b : a), null);
  const output = seen.find(([g]) => g.classList.contains('output'));
  return { hidden: box.hidden, box: rect(box), view: rect(view), map: rect(q('.gv-mini-map')),
    top: top && top[1], output: output && output[1], viewport: v,
    cropped: q('.gv-root').classList.contains('gv-cropped'),
    cue: getComputedStyle(q('.gv-cue')).display !== 'none',
    transform: q('.gv-stage').style.transform };
}"""
)


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and (b["top"] < a["bottom"])
    )


def test_a_big_graph_opens_with_a_mini_map_that_follows_and_moves_it(  # type: ignore[no-untyped-def]
    page, app_url
) -> None:
    page.set_viewport_size(PROJECTOR)
    open_link(page, app_url, code=BIG, lang="en")
    wait_for_picture(page, expected_digest(captured(BIG), "en"))
    page.wait_for_function("() => {" + Q + " return !q('.gv-minimap').hidden; }")
    first = page.evaluate(MINI)
    assert first["cropped"] and first["cue"]  # "drag or zoom to see the rest", in the mini-map
    assert median_node_px(page) >= MIN_TEXT_PX
    # In a corner, over neither the loss nor the topmost node on screen.
    assert first["output"] is not None and not overlaps(first["box"], first["output"])
    assert first["top"] is not None and not overlaps(first["box"], first["top"])
    # The rectangle is the part on screen: the bottom of the picture, around the loss.
    assert first["view"]["bottom"] == pytest.approx(first["map"]["bottom"], abs=2)
    assert first["view"]["top"] > first["map"]["top"] + 2
    screenshot(page, "minimap-opened")

    # Dragging the picture down shows what is above: the rectangle moves up.
    vp = first["viewport"]
    x, y = (vp["left"] + vp["right"]) / 2, (vp["top"] + vp["bottom"]) / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y + 120, steps=6)
    page.mouse.up()
    dragged = page.evaluate(MINI)
    assert dragged["view"]["top"] < first["view"]["top"] - 1
    assert not dragged["hidden"]

    # A click near the top of the mini-map brings that part of the picture into view.
    target_x = (dragged["map"]["left"] + dragged["map"]["right"]) / 2
    target_y = dragged["map"]["top"] + 6
    page.mouse.click(target_x, target_y)
    clicked = page.evaluate(MINI)
    assert clicked["transform"] != dragged["transform"]
    assert clicked["view"]["top"] <= target_y <= clicked["view"]["bottom"]
    assert clicked["view"]["top"] == pytest.approx(clicked["map"]["top"], abs=2)  # top reached
    # A click in the mini-map never selects a node of the picture behind it.
    assert page.locator(".gv-root").get_attribute("data-selected") is None
    # The graph keeps the keyboard: the next key steps backward.
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => {" + Q + " return q('.gv-viewport').dataset.step === '1'; }")
    screenshot(page, "minimap-moved")
