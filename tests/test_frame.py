"""Every page of the real app runs through AppTest in both languages, with translated titles."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from autodiff_viz.i18n import t
from autodiff_viz.ui.frame import PAGES

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def run_app(lang: str | None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("path", "title_key", "_icon"), PAGES)
def test_page_runs_in_each_language(lang: str, path: str, title_key: str, _icon: str) -> None:
    at = run_app(lang, path)
    assert at.title[0].value == t(title_key, lang)
    assert at.query_params["lang"] == lang


def test_default_page_is_the_explorer_in_english() -> None:
    at = run_app(None)
    assert at.title[0].value == t("page.explorer", "en")
    assert at.sidebar.radio[0].value == "en"
    assert at.query_params["lang"] == "en"  # written back so a shared link keeps the language


# Switching the language with the sidebar radio is tested in the real browser
# (tests/browser/test_frame_browser.py): AppTest drops sidebar widgets of an
# st.navigation frame after a widget change, which a browser does not.


def test_language_survives_a_page_switch() -> None:
    at = run_app("zh")
    at.switch_page("pages/derivatives.py")
    at.run()
    assert at.title[0].value == t("page.derivatives", "zh")
