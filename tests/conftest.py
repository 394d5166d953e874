"""Shared test options and fixtures: golden-file updates, the served app, a Chromium page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.browser import CONTEXT_OPTIONS, TabLender, launch_chromium, serve_app


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden files (tests/golden/**) from the current output; review the diff",
    )
    parser.addoption(
        "--update-screenshot",
        action="store_true",
        help="rewrite docs/screenshot.png from the browser test",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules with slow or browser tests first, the rest in their order: pytest's workers
    (``-n auto``, a module at a time) then end on short unit-test modules together, instead
    of one waiting while the other runs a long module it drew last."""
    heavy = {
        item.nodeid.split("::")[0]
        for item in items
        if item.get_closest_marker("slow") or item.get_closest_marker("browser")
    }
    items.sort(key=lambda item: item.nodeid.split("::")[0] not in heavy)


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """The real app, served by ``streamlit run app.py`` on a free loopback port."""
    with serve_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def tab_lender(browser) -> Iterator[TabLender]:  # type: ignore[no-untyped-def]
    """The tab of this test worker, in one browser context (a test that needs another browser
    language makes a context of its own)."""
    context = browser.new_context(**CONTEXT_OPTIONS)
    yield TabLender(context)
    context.close()


@pytest.fixture
def page(tab_lender: TabLender) -> Iterator[object]:
    """The worker's tab at the default window and theme; any uncaught page error fails the test."""
    with tab_lender.lend() as tab:
        yield tab
