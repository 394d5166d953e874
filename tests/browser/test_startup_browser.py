"""The first visitor after a server start gets the frame, whatever page their link opens."""

from __future__ import annotations

import pytest

from autodiff_viz.i18n import t
from tests.support.browser import screenshot, serve_app, wait_for_app

pytestmark = pytest.mark.browser
#: A fresh server for each test: what they check is the frame, which one worker serves as well.
ONE_WORKER = {"AUTODIFF_VIZ_WORKERS": "1"}


def test_first_visit_to_a_subpage_runs_the_frame(page) -> None:  # type: ignore[no-untyped-def]
    # A fresh server: nobody has opened "/" yet.
    with serve_app(env=ONE_WORKER) as url:
        page.goto(f"{url}/descent?lang=zh")
        wait_for_app(page)
        # The frame's sidebar, not Streamlit's own page list.
        page.get_by_text("Language / 语言").wait_for()
        links = page.locator("[data-testid='stSidebarNav'] a")
        assert any(t("page.explorer", "zh") in text for text in links.all_inner_texts())
        assert page.locator("h1").first.inner_text().strip() == t("page.descent", "zh")
        assert page.url.startswith(f"{url}/descent")  # the page the link named, still
        screenshot(page, "startup-descent-zh")
        page.goto("about:blank")  # leave before the server stops


def test_first_visitor_keeps_their_language_after_a_click(page) -> None:  # type: ignore[no-untyped-def]
    # The first run after a server start is an old-style run of app.py: the language switch it
    # made was not the one of the next run, and the first click turned the page English.
    with serve_app(env=ONE_WORKER) as url:
        page.goto(f"{url}/?lang=zh")
        wait_for_app(page)
        page.get_by_text(t("explorer.mode.code", "zh"), exact=True).first.click()
        wait_for_app(page)
        page.locator("textarea").first.wait_for()
        assert page.locator("h1").first.inner_text().strip() == t("page.explorer", "zh")
        assert "lang=zh" in page.url
        page.goto("about:blank")
