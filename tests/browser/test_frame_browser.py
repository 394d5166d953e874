"""The real app in headless Chromium: every page loads in both languages, the switch works."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from autodiff_viz.i18n import t
from autodiff_viz.ui.frame import PAGES
from tests.support.browser import CONTEXT_OPTIONS, TabLender, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def url_path(page_file: str) -> str:
    """The default url path of a page: its file stem, the first page at ``/``."""
    stem = page_file.removeprefix("pages/").removesuffix(".py")
    return "" if page_file == PAGES[0][0] else stem


@pytest.fixture(scope="module")
def first_visit(browser) -> Iterator[tuple[TabLender, list[str]]]:  # type: ignore[no-untyped-def]
    """A tab lender of a browser context of this module's own (nothing cached: every file the
    pages need is asked for once), and every address that context asked for."""
    context = browser.new_context(**CONTEXT_OPTIONS)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    yield TabLender(context), requested
    context.close()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("path", "title_key", "_icon"), PAGES)
def test_every_page_loads_without_error(first_visit, app_url, lang, path, title_key, _icon) -> None:  # type: ignore[no-untyped-def]
    lender, requested = first_visit
    with lender.lend() as page:
        page.goto(f"{app_url}/{url_path(path)}?lang={lang}")
        wait_for_app(page)
        heading = page.locator("h1").first
        heading.wait_for()
        assert heading.inner_text().strip() == t(title_key, lang)
        assert page.locator("[data-testid='stException']").count() == 0
        assert f"lang={lang}" in page.url
        # Classrooms are often offline: nothing may come from anywhere but the app's own server.
        assert [url for url in requested if not url.startswith((app_url, "blob:", "data:"))] == []
        shot = screenshot(page, f"frame-{url_path(path) or 'explorer'}-{lang}")
        assert shot.stat().st_size > 10_000  # a real picture, not a blank page


def test_language_switch_translates_and_updates_the_link(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/?lang=en")
    wait_for_app(page)
    page.get_by_text("简体中文", exact=True).click()
    page.wait_for_function(
        "t => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === t",
        arg=t("page.explorer", "zh"),
    )
    assert "lang=zh" in page.url
    # The choice survives a page switch through the sidebar navigation.
    page.get_by_role("link", name=t("page.descent", "zh")).click()
    page.wait_for_function(
        "t => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === t",
        arg=t("page.descent", "zh"),
    )
    assert "lang=zh" in page.url


def test_browser_locale_sets_the_first_language(browser, app_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    tab.goto(app_url)
    wait_for_app(tab)
    assert tab.locator("h1").first.inner_text().strip() == t("page.explorer", "zh")
    context.close()


def root_font_px(page) -> float:  # type: ignore[no-untyped-def]
    return float(
        page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)")
    )


def test_presentation_mode_enlarges_every_page_and_lasts(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{app_url}/?lang=en")
    wait_for_app(page)
    normal = root_font_px(page)
    page.get_by_text(t("app.presentation", "en"), exact=True).click()
    page.wait_for_function(
        f"() => parseFloat(getComputedStyle(document.documentElement).fontSize) > {normal}"
    )
    assert root_font_px(page) == pytest.approx(normal * 1.25)
    screenshot(page, "frame-presentation-en")
    # Kept across a language switch (a new label) and a page switch.
    page.get_by_text("简体中文", exact=True).click()
    page.get_by_text(t("app.presentation", "zh"), exact=True).wait_for()
    wait_for_app(page)
    page.get_by_role("link", name=t("page.descent", "zh")).click()
    page.wait_for_function(
        "t => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === t",
        arg=t("page.descent", "zh"),
    )
    wait_for_app(page)
    assert root_font_px(page) == pytest.approx(normal * 1.25)
    page.get_by_text(t("app.presentation", "zh"), exact=True).click()
    page.wait_for_function(
        f"() => parseFloat(getComputedStyle(document.documentElement).fontSize) == {normal}"
    )
