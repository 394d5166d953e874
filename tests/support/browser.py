"""Run the real app in a real browser: a Streamlit server on a free loopback port, Debian Chromium.

``serve_app(script)`` starts ``streamlit run`` (see :func:`tests.support.procs.serve`) and yields
its base URL once ``/_stcore/health`` says ok;
``launch_chromium(playwright)`` starts the system Chromium headless (never a downloaded browser);
``wait_for_app(page)`` waits until the script has finished running;
``TabLender(context).lend()`` lends a test the worker's tab, failing it on any uncaught page error.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support.procs import serve

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A drawn graph: node groups of the explorer's SVG component (Playwright's CSS pierces its
#: shadow root) or of an ``st.graphviz_chart`` (the bare app's graph).
GRAPH_NODES = ".gv-stage svg g.node, [data-testid='stGraphVizChart'] svg g.node"
APP_IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
#: The issue's classroom example: a 2-layer MLP with cross-entropy on a batch of 5, opened by
#: link in the browser tests and in ``benchmarks/bench_browser.py``.
MLP = (
    "torch.manual_seed(0)\n"
    "model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))\n"
    "x = torch.randn(5, 4)\n"
    "target = torch.tensor([0, 2, 1, 0, 2])\n"
    "loss = torch.nn.functional.cross_entropy(model(x), target)\n"
    "loss.backward()\n"
)


@contextlib.contextmanager
def serve_app(
    script: Path = ROOT / "app.py", *, env: dict[str, str] | None = None, timeout: float = 60.0
) -> Iterator[str]:
    """Start ``streamlit run script`` on loopback (``env`` added to its environment); yield its
    base URL; stop it afterwards.

    Its log is kept in ``tests/artifacts`` for a failed test to be read.
    """
    with serve(script, env=env, timeout=timeout, log_dir=ARTIFACTS) as server:
        yield server.url


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    """The system's Chromium, headless, with no network of its own."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_for_app(page, timeout: float = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the app's script has run to the end (after a load or an interaction)."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    # A rerun flips the state to "running" and back; give it a moment to start first.
    page.wait_for_timeout(150)
    page.wait_for_selector(APP_IDLE, timeout=timeout)


def wait_for_report(page, view: str, timeout: float = 10_000) -> None:  # type: ignore[no-untyped-def]
    """Until the graph has told the server the view it shows (``"backward:3"``, once the user
    settles on it) and the rerun that followed has ended."""
    page.locator(f".gv-viewport[data-reported='{view}']").wait_for(timeout=timeout)
    wait_for_app(page)


def open_expander(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Open the expander titled ``title`` and wait until it has slid open.

    Its content moves for about half a second: a control inside can pass Playwright's
    "stable" check before the slide starts and be gone from that spot when the click lands
    (under load, one share-link test in three lost its click).
    """
    summary = page.locator("summary").filter(has=page.get_by_text(title, exact=True))
    expander = page.locator("[data-testid='stExpander']").filter(has=summary)
    expander.locator("summary").click()
    expander.evaluate(
        """(expander) => new Promise((done) => {
            const settled = () => expander.querySelector("details").open
                && expander.getAnimations({ subtree: true }).length === 0;
            const check = () => (settled() ? done() : requestAnimationFrame(check));
            check();
        })"""
    )


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


#: The window a test's tab starts with (a test may resize it: ``page.set_viewport_size``).
DEFAULT_VIEWPORT = {"width": 1400, "height": 1000}
#: The tests' browser context: the reader's language and the default window.
CONTEXT_OPTIONS: dict[str, Any] = {"locale": "en-US", "viewport": DEFAULT_VIEWPORT}


class TabLender:
    """One tab per test worker, lent to one test at a time (the ``page`` fixture).

    The tab stays open between tests, so the renderer keeps the app's compiled scripts: opening
    the app in it costs about a third of the CPU of opening it in a fresh browser context, and
    half of opening it in a new tab of the same context (``benchmarks/bench_page_loads.py``).
    Each test gets the tab at the default window and the light theme; any uncaught error
    the page raises fails the test; afterwards the tab goes to a blank page, which ends the
    app's session. A tab that crashed or was closed is replaced.
    """

    def __init__(self, context: Any) -> None:
        self.context = context
        self._tab: Any = None

    @contextlib.contextmanager
    def lend(self) -> Iterator[Any]:
        if self._tab is None or self._tab.is_closed():
            self._tab = self.context.new_page()
        tab = self._tab
        tab.set_viewport_size(DEFAULT_VIEWPORT)
        tab.emulate_media(color_scheme="light")
        errors: list[str] = []

        def record(exc: Exception) -> None:
            errors.append(str(exc))

        tab.on("pageerror", record)
        try:
            yield tab
        finally:
            tab.remove_listener("pageerror", record)
            try:
                tab.goto("about:blank")
            except Exception:  # the tab crashed or was closed: the next test gets a new one
                self._tab = None
        assert not errors, f"uncaught errors in the page: {errors}"
