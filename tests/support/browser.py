"""Run the real app in a real browser: a Streamlit server on a free loopback port, Debian Chromium.

``serve_app(script)`` starts ``streamlit run`` (see :func:`tests.support.procs.serve`) and yields
its base URL once ``/_stcore/health`` says ok;
``launch_chromium(playwright)`` starts the system Chromium headless (never a downloaded browser);
``wait_for_app(page)`` waits until the script has finished running.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

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


@contextlib.contextmanager
def serve_app(script: Path = ROOT / "app.py", *, timeout: float = 60.0) -> Iterator[str]:
    """Start ``streamlit run script`` on loopback; yield its base URL; stop it afterwards.

    Its log is kept in ``tests/artifacts`` for a failed test to be read.
    """
    with serve(script, timeout=timeout, log_dir=ARTIFACTS) as server:
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


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
