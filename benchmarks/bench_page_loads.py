"""CPU of opening the app in Chromium: a fresh browser context per tab, or one shared context.

Run: ``python -m benchmarks.bench_page_loads [--loads N] [--path P]``. Starts its own
``streamlit run app.py`` and the system Chromium, opens a warm link (``P``, by default an
explorer example, whose run is then cached on the server; ``derivatives?lang=en`` for a plotly
page) ``N`` times each way, and prints the whole machine's busy CPU seconds and the wall seconds per
load, read from ``/proc/stat`` (Chromium's processes are not all children of this one). The
ratio is why the tests open their tabs in one context per worker (``tests/conftest.py``):

- ``fresh context``: every tab in a new context, as a first visitor (no HTTP cache, no V8
  code cache);
- ``shared context``: a new tab each time, in one context kept open;
- ``same tab``: one tab that goes to the link again (the floor).

Nothing else should run on the machine meanwhile.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

from tests.support.browser import GRAPH_NODES, launch_chromium, serve_app, wait_for_app


def busy_seconds() -> float:
    """CPU seconds the machine has spent busy since boot (all cores, idle and iowait excluded)."""
    fields = [int(v) for v in Path("/proc/stat").read_text("ascii").split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / 100.0


def measure(loads: int, load_once: Callable[[], None]) -> tuple[float, float]:
    """Busy CPU seconds and wall seconds per call of ``load_once``."""
    cpu, wall = busy_seconds(), time.perf_counter()
    for _ in range(loads):
        load_once()
    return (busy_seconds() - cpu) / loads, (time.perf_counter() - wall) / loads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=8)
    parser.add_argument("--path", default="?example=t0_scalar&lang=en")
    args = parser.parse_args()
    loads = args.loads
    with serve_app() as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        link = f"{url}/{args.path}"

        def open_link(tab: Any) -> None:
            tab.goto(link)
            wait_for_app(tab)
            tab.locator(f"{GRAPH_NODES}, .js-plotly-plot .main-svg").first.wait_for()

        def fresh_context() -> None:
            context = browser.new_context()
            open_link(context.new_page())
            context.close()

        shared = browser.new_context()

        def shared_context() -> None:
            tab = shared.new_page()
            open_link(tab)
            tab.close()

        kept = shared.new_page()
        fresh_context()  # the server's first run of the link, and Chromium's first start
        rows = [
            ("fresh context", measure(loads, fresh_context)),
            ("shared context", measure(loads, shared_context)),
            ("same tab", measure(loads, lambda: open_link(kept))),
        ]
        browser.close()
    base = rows[0][1][0]
    print(f"{'tab opened in':<16}{'CPU s/load':>12}{'wall s/load':>13}{'CPU ratio':>11}")
    for name, (cpu, wall) in rows:
        print(f"{name:<16}{cpu:>12.2f}{wall:>13.2f}{cpu / base:>11.2f}")


if __name__ == "__main__":
    main()
