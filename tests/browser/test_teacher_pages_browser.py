"""Every page as a teacher meets it, at classroom screen sizes, in English and 中文.

Every label, menu value and scene name fits (nothing clipped or cut to "…") at 1280×720 and
1440×900 in both languages; the line fit's equation follows the animation; the slider's
current value is clear of Play / Pause. In 中文 the same tabs also get the checks of
:mod:`tests.support.layout` (no control wrapped or cut, no inline code split over two lines;
the explorer's error message too). Each page is loaded once per language and checked at
both sizes by resizing the open tab, as a teacher dragging the window to the projector would.
``pytest --update-screenshot`` also refreshes the pictures of these pages in ``docs/pages/``.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from autodiff_viz.i18n import t
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, wait_for_app
from tests.support.layout import controls_fit, inline_code_unbroken

pytestmark = pytest.mark.browser

SIZES = [(1280, 720), (1440, 900)]
CHART = ".js-plotly-plot"
DOCS = ROOT / "docs" / "pages"

#: Every text of the main area that its box clips: an element that hides its overflow (a
#: label cut to "…", a scene switch scrolled sideways) and is narrower than its content.
#: Figures, tables, code blocks and the racers' chips scroll or clip by design.
CLIPPED = """async () => {
  await document.fonts.ready;
  const skip = '.js-plotly-plot, [data-testid="stDataFrame"], [data-testid="stCode"]';
  const out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (el.closest(skip) || !el.textContent.trim()) continue;
    if (getComputedStyle(el).overflowX === 'visible') continue;
    if (el.scrollWidth > el.clientWidth + 1) out.push(el.textContent.slice(0, 60));
  }
  return out;
}"""


def at_sizes(tab) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Resize the open tab to each classroom size in turn; yields the size as ``<w>x<h>``."""
    for width, height in SIZES:
        if tab.viewport_size != {"width": width, "height": height}:
            tab.set_viewport_size({"width": width, "height": height})
            tab.wait_for_timeout(300)  # charts, tables and the graph fit the new size
        yield f"{width}x{height}"


def first_size(tab) -> None:  # type: ignore[no-untyped-def]
    width, height = SIZES[0]
    tab.set_viewport_size({"width": width, "height": height})


def open_page(tab, app_url: str, path: str, lang: str) -> None:  # type: ignore[no-untyped-def]
    tab.goto(f"{app_url}/{path}?lang={lang}")
    wait_for_app(tab)
    # The first figure of a server waits for a warm worker, then plotly.js loads.
    tab.wait_for_selector(f"{CHART} .main-svg", timeout=90_000)


def picture(tab, request, name: str) -> None:  # type: ignore[no-untyped-def]
    """The viewport as a teacher sees it, into docs/ when asked to refresh the pictures."""
    if request.config.getoption("--update-screenshot"):
        DOCS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(DOCS / f"{name}.png"))


def choose_scene(tab, lang: str, scene: str) -> None:  # type: ignore[no-untyped-def]
    switch = tab.locator("[data-testid='stButtonGroup']")
    switch.get_by_text(t(f"descent.scene.{scene}", lang), exact=True).click()
    wait_for_app(tab)
    tab.wait_for_selector(f"{CHART} .main-svg", timeout=90_000)


def in_view(tab, selector: str) -> bool:  # type: ignore[no-untyped-def]
    box = tab.locator(selector).first.bounding_box()
    height = tab.viewport_size["height"]
    return bool(box and box["y"] >= 0 and box["y"] + box["height"] <= height)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_descent_scenes_fit_and_stay_in_view(page, app_url, request, lang) -> None:  # type: ignore[no-untyped-def]
    tab = page
    first_size(tab)
    open_page(tab, app_url, "descent", lang)
    switch = "[data-testid='stButtonGroup']"
    for scene in ("1d", "2d", "line"):
        if scene != "1d":
            first_size(tab)
            choose_scene(tab, lang, scene)
        for size in at_sizes(tab):
            assert tab.evaluate(CLIPPED) == [], (scene, lang, size)
            # Choosing a scene leaves the switch, and the top of the new figure, on screen.
            assert in_view(tab, switch), (scene, lang, size)
            assert tab.locator(CHART).first.bounding_box()["y"] < tab.viewport_size["height"]
            picture(tab, request, f"descent-{scene}-{lang}-{size}")
            if lang == "zh":
                controls_fit(tab, request, f"descent-{scene}")
    if lang == "zh":
        choose_scene(tab, lang, "1d")  # the scene a link opens
        for _ in at_sizes(tab):
            inline_code_unbroken(tab)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_derivatives_labels_fit(page, app_url, request, lang) -> None:  # type: ignore[no-untyped-def]
    tab = page
    first_size(tab)
    open_page(tab, app_url, "derivatives", lang)
    for size in at_sizes(tab):
        assert tab.get_by_text(t("derivatives.second", lang), exact=True).is_visible()
        assert tab.evaluate(CLIPPED) == [], (lang, size)
        picture(tab, request, f"derivatives-{lang}-{size}")
        if lang == "zh":
            controls_fit(tab, request, "derivatives")
            inline_code_unbroken(tab)


#: The equation drawn over the line fit (the one text trace), as the browser shows it.
EQUATION = f"() => document.querySelector('{CHART} .textpoint text')?.textContent ?? null"


def test_line_equation_follows_the_frame_and_the_slider_value_is_clear(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_page(page, app_url, "descent", "en")
    choose_scene(page, "en", "line")
    page.wait_for_function(f"({EQUATION})() !== null")
    first = page.evaluate(EQUATION)
    assert re.fullmatch(r"y = -?[\d.e-]+x [+-] [\d.e-]+", first), first
    current = page.locator(f"{CHART} .slider-group > text.slider-label")
    assert current.text_content() == "epoch: 0"
    # The slider's value and the buttons must not overlap.
    label = current.bounding_box()
    for button in page.locator(f"{CHART} .updatemenu-button").all():
        box = button.bounding_box()
        apart = (
            label["x"] >= box["x"] + box["width"]
            or box["x"] >= label["x"] + label["width"]
            or label["y"] >= box["y"] + box["height"]
            or box["y"] >= label["y"] + label["height"]
        )
        assert apart, (label, box)
    page.locator(f"{CHART} .updatemenu-button").filter(has_text="Play").click()
    page.wait_for_function(
        f"() => document.querySelector('{CHART} .slider-group > text.slider-label')"
        ".textContent === 'epoch: 100'",
        timeout=60_000,
    )
    last = page.evaluate(EQUATION)
    assert last != first and re.fullmatch(r"y = 2\.\d+x [+-] \d\.\d+", last), last
    caption = page.get_by_text(re.compile(r"^After 100 epochs: ")).text_content() or ""
    assert caption.startswith(f"After 100 epochs: {last}, MSE loss ")


def test_the_race_turns_into_a_3d_surface(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_page(page, app_url, "descent", "en")
    choose_scene(page, "en", "2d")
    page.get_by_text(t("descent.2d.view3d", "en"), exact=True).click()
    wait_for_app(page)
    page.wait_for_selector(f"{CHART} .gl-container canvas", timeout=60_000)
    types = page.evaluate(f"() => document.querySelector('{CHART}').data.map(d => d.type)")
    assert types[0] == "surface" and types.count("scatter3d") == 5  # four racers, the start


def _fonts_without_cjk(folder: Path) -> Path:
    """A fontconfig file that sees only this machine's fonts for no Chinese: a PC without CJK."""
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}\\n"], capture_output=True, text=True, check=True
    ).stdout.split()
    chinese = set(
        subprocess.run(
            ["fc-list", ":lang=zh", "--format", "%{file}\\n"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    fonts = folder / "fonts"
    fonts.mkdir()
    for n, file in enumerate(sorted(set(listed) - chinese)):
        (fonts / f"{n}-{Path(file).name}").symlink_to(file)
    config = folder / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{fonts}</dir>'
        f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    return config


def test_chinese_reads_on_a_pc_without_cjk_fonts(browser, app_url, tmp_path, request) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "FONTCONFIG_FILE": str(_fonts_without_cjk(tmp_path))}
    # The browser's system has nothing for 梯度: only the app's own font can draw it.
    seen = subprocess.run(
        ["fc-list", ":lang=zh"], env=env, capture_output=True, text=True, check=True
    )
    assert seen.stdout.strip() == ""
    # A second Chromium of the same Playwright, started with that font configuration.
    bare = browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, env=env
    )
    try:
        tab = bare.new_page(viewport={"width": 1280, "height": 720})
        open_page(tab, app_url, "descent", "zh")
        loaded = tab.evaluate(
            """async () => { await document.fonts.ready;
            return [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'autodiff-zh')
              .map(f => f.status); }"""
        )
        assert loaded == ["loaded"]
        assert tab.evaluate("() => document.fonts.check('16px autodiff-zh', '梯度下降')")
        if request.config.getoption("--update-screenshot"):
            DOCS.mkdir(parents=True, exist_ok=True)
            tab.screenshot(path=str(DOCS / "descent-zh-without-system-cjk-fonts.png"))
    finally:
        bare.close()


#: The inputs table's scroll area: wider content than box means a column is cut off.
TABLE_OVERFLOW = """() => {
  const box = document.querySelector('[data-testid="stDataFrame"] .dvn-scroller');
  return box ? box.scrollWidth - box.clientWidth : null;
}"""


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explorer_inputs_table_shows_every_column(page, app_url, request, lang) -> None:  # type: ignore[no-untyped-def]
    tab = page
    first_size(tab)
    tab.goto(f"{app_url}/?lang={lang}")
    wait_for_app(tab)
    tab.wait_for_selector("[data-testid='stDataFrame'] .dvn-scroller", timeout=90_000)
    for size in at_sizes(tab):
        tab.wait_for_timeout(500)  # the grid sizes its columns after it mounts or resizes
        assert tab.evaluate(TABLE_OVERFLOW) <= 2, (lang, size)  # borders round to a pixel or two
        picture(tab, request, f"explorer-{lang}-{size}")
        if lang == "zh":
            controls_fit(tab, request, "explorer")
            inline_code_unbroken(tab)


def test_explorer_error_fits_in_chinese(page, app_url, request) -> None:  # type: ignore[no-untyped-def]
    tab = page
    first_size(tab)
    tab.goto(f"{app_url}/?lang=zh")
    wait_for_app(tab)
    tab.locator("h1").first.wait_for()
    tab.get_by_text(t("explorer.mode.code", "zh"), exact=True).first.click()
    wait_for_app(tab)
    editor = tab.locator("textarea").first
    editor.fill("import torch\nx = torch.ones(3, requires_grad=True)\ny = x * 2\ny.backward()\n")
    editor.press("Control+Enter")
    error = tab.locator("[data-testid='stAlertContentError']").first
    error.wait_for()
    assert "第 4 行：只能对标量调用 backward()：请先 .sum()" in error.inner_text()
    for _ in at_sizes(tab):
        error.scroll_into_view_if_needed()
        controls_fit(tab, request, "explorer-error")
