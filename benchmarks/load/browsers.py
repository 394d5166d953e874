"""A few real Chromium tabs beside the protocol-level crowd: proof the page still renders.

Uses the system Chromium with the flags of the browser tests (never a downloaded browser), at
the lowest CPU priority: in a classroom the browsers run on the students' laptops, not on the
server, and here two tabs drawing the page took as much of the two cores as the server had.

The priority is Linux's ``SCHED_IDLE`` policy, set on the thread that starts Playwright: its
driver, Chromium and every thread they ever start inherit it. Renicing the processes once they
ran (as this did before) reached only each process's main thread: 90 % of Chromium's threads
stayed at nice 0, its compositor and display threads at -8 (it raises them itself), and measured
in a crowd they took more CPU than the server; Chromium's own ``setpriority`` calls leave the
idle policy alone.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

from tests.support.browser import GRAPH_NODES, launch_chromium


@dataclass
class BrowserVisit:
    link: str
    ok: bool = False
    graph_s: float | None = None
    error: str | None = None


def browse(
    base_url: str, links: list[str], ready: threading.Event, go: threading.Event, timeout: float
) -> list[BrowserVisit]:
    """Open each link in its own tab when ``go`` is set; ``ready`` once Chromium is up.

    Call it in a thread of its own: that thread keeps the idle policy (see the module doc).
    """
    from playwright.sync_api import Error, sync_playwright

    visits = [BrowserVisit(link) for link in links]
    try:
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            pages = [browser.new_context().new_page() for _ in links]
            ready.set()
            if not go.wait(timeout):
                raise TimeoutError("the crowd never started")
            started = time.perf_counter()
            # Navigate every tab first, then wait: the tabs load side by side like the crowd.
            for page, visit in zip(pages, visits, strict=True):
                page.goto(base_url + visit.link, wait_until="commit", timeout=timeout * 1000)
            for page, visit in zip(pages, visits, strict=True):
                left = max(1.0, timeout - (time.perf_counter() - started))
                try:
                    page.wait_for_selector(GRAPH_NODES, timeout=left * 1000)
                    visit.graph_s = time.perf_counter() - started
                    visit.ok = True
                except Error as exc:
                    visit.error = str(exc).splitlines()[0]
            browser.close()
    except Exception as exc:
        for visit in visits:
            if not visit.ok:
                visit.error = visit.error or f"{type(exc).__name__}: {exc}"
    finally:
        ready.set()
    return visits
