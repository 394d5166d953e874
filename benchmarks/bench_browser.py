"""Time the explorer in headless Chromium: link to graph, key to next step, click to inspector.

Run: ``python -m benchmarks.bench_browser [--runs N] [--load N]``. Starts its own
``streamlit run app.py``. The first load also starts PyTorch in the workers (cold); the rest
find the run cached on the server (warm), which is what a class opening the teacher's link sees.
``--load N`` measures step -> picture a second time while N protocol-level sessions
(:func:`tests.support.session.visit`, one thread each) open another example's link over and
over: a class using the app while one student steps through the backward pass. The last row is
the floor: the load test's bare Streamlit app of the same frame with one static graph.
``key -> next step`` and ``click -> inspector`` are timed on the issue's MLP (2-layer
``nn.Sequential``, cross-entropy, batch of 5) at 1280x720, from the key press or click to the
step or the node's details on screen (median and p95). They work on this explorer (steps and
inspector in the browser) and on the one before it (a slider and a tab that rerun the
server), so running this file in a checkout of the earlier commit prints the "before" figures.
Figures on a shared machine are noisy: read the medians.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import sync_playwright

from autodiff_viz.explorer.data import share_query
from autodiff_viz.explorer.examples import EXAMPLES
from benchmarks.load_test import BARE, BARE_ENV
from tests.support.browser import MLP, launch_chromium, serve_app, wait_for_app
from tests.support.procs import serve
from tests.support.session import Visit, visit

NODES = ".gv-stage svg g.node"
BARE_NODES = "[data-testid='stGraphVizChart'] svg g.node"
SLIDER = "[data-testid='stSlider'] input[type=range]"
_DIGEST_CHANGED = (
    "old => [...document.querySelectorAll('*')].some(e => e.shadowRoot &&"
    " [...e.shadowRoot.querySelectorAll('.gv-viewport')].some(v => v.dataset.digest &&"
    " v.dataset.digest !== old))"
)


def link_to_graph(browser, url: str, nodes: str = NODES) -> float:  # type: ignore[no-untyped-def]
    """Seconds from opening ``url`` in a fresh tab until the graph's nodes are drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.locator(nodes).first.wait_for(timeout=60_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


_IN_BROWSER = ".gv-steps"  # this explorer's step buttons; the one before had a server slider


def _projector_page(browser, url: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    page.locator(NODES).first.wait_for(timeout=60_000)
    return context, page


def key_to_next_step(browser, url: str, presses: int = 10) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from → on the graph until the next step's picture is in place."""
    context, page = _projector_page(browser, url)
    times = []
    if page.locator(_IN_BROWSER).count():
        page.locator(".gv-viewport").click(position={"x": 5, "y": 5})
        page.keyboard.press("Home")
        for k in range(1, presses + 1):
            started = time.perf_counter()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "k => [...document.querySelectorAll('*')].some(e => e.shadowRoot &&"
                " e.shadowRoot.querySelector('.gv-viewport')?.dataset.step === String(k))",
                arg=k,
            )
            times.append(time.perf_counter() - started)
    else:
        times = step_to_picture(browser, url, steps=presses)[:-1]
    context.close()
    return times


def click_to_inspector(browser, url: str, clicks: int = 10) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from a click on a node until its details are on screen."""
    context, page = _projector_page(browser, url)
    nodes = page.locator(f"{NODES}.tensor")
    ids = list(nodes.evaluate_all("els => els.map(e => e.id)"))
    times = []
    in_browser = page.locator(_IN_BROWSER).count() > 0
    if not in_browser:
        page.get_by_role("tab", name="Node inspector").click()
        wait_for_app(page)
    page.locator(".gv-toolbar button[data-act='fit']").click()  # every node in view
    for k in range(clicks):
        node_id = ids[k % len(ids)]
        if in_browser:
            started = time.perf_counter()
            page.locator(f"{NODES}#{node_id}").click()
            page.wait_for_function(
                "id => [...document.querySelectorAll('*')].some(e => e.shadowRoot &&"
                " e.shadowRoot.querySelector('.gv-root')?.dataset.selected === id &&"
                " e.shadowRoot.querySelector('.gv-inspector h4'))",
                arg=node_id,
            )
        else:
            started = time.perf_counter()
            page.locator(f"{NODES}#{node_id}").click()
            page.wait_for_function(
                "id => [...document.querySelectorAll('input[role=combobox]')]"
                ".some(e => e.value.startsWith(id + ' '))",
                arg=node_id,
            )
        times.append(time.perf_counter() - started)
        wait_for_app(page)
    context.close()
    return times


def step_to_picture(browser, url: str, steps: int) -> list[float]:  # type: ignore[no-untyped-def]
    """Seconds from a key press on the step slider until the new picture is in place."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    page.locator("[data-testid='stButtonGroup']").get_by_text(
        "Step through backward", exact=True
    ).click()
    wait_for_app(page)
    times = []
    for key in ["ArrowRight"] * steps + ["Home"]:
        old = page.locator(".gv-viewport").get_attribute("data-digest")
        page.locator(SLIDER).focus()
        started = time.perf_counter()
        page.keyboard.press(key)
        page.wait_for_function(_DIGEST_CHANGED, arg=old, timeout=30_000)
        times.append(time.perf_counter() - started)
        wait_for_app(page)
    context.close()
    return times


@contextmanager
def background_load(base: str, link: str, sessions: int) -> Iterator[list[Visit]]:
    """``sessions`` threads, each opening ``link`` again as soon as its last visit finished;
    yields the visits done so far (the list grows while the block runs)."""
    stop = threading.Event()
    visits: list[Visit] = []

    def loop() -> None:
        while not stop.is_set():
            visits.append(visit(base, link, timeout=60))

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(sessions)]
    for thread in threads:
        thread.start()
    try:
        yield visits
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=70)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--load", type=int, default=0, help="also measure step -> picture with N busy sessions"
    )
    args = parser.parse_args()
    load_note = ""
    rows = []
    with serve_app() as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for key in ["t1_retain_grad", "t3_linear_regression", "micrograd"]:
            url = f"{base}/{share_query(code=EXAMPLES[key].source, lang='en')}"
            cold = link_to_graph(browser, url)
            warm = [link_to_graph(browser, url) for _ in range(args.runs)]
            rows.append((f"link -> graph  {key}", cold, warm))
        url = f"{base}/{share_query(code=EXAMPLES['t1_retain_grad'].source, lang='en')}"
        mlp = f"{base}/{share_query(code=MLP, lang='en')}"
        keys = key_to_next_step(browser, mlp)
        rows.append(("key -> next step  MLP 1280x720", float("nan"), keys))
        clicks = click_to_inspector(browser, mlp)
        rows.append(("click -> inspector  MLP 1280x720", float("nan"), clicks))
        if args.load:
            other = "/" + share_query(code=EXAMPLES["t3_linear_regression"].source, lang="en")
            with background_load(base, other, args.load) as visits:
                loaded = key_to_next_step(browser, mlp, presses=5)
                done = list(visits)
            rows.append((f"  key -> step, {args.load} sessions busy", float("nan"), loaded))
            failed = sum(not v.ok for v in done)
            finished = sorted(v.finished_s for v in done if v.finished_s is not None)
            p95 = finished[int(0.95 * (len(finished) - 1))] if finished else float("nan")
            load_note = (
                f"background: {len(done)} visits during the loaded steps, {failed} failed,"
                f" p95 {p95:.2f} s per visit"
            )
        # The floor: Streamlit's own page load, a bare app of the same frame with one graph.
        with serve(BARE, env=BARE_ENV) as bare:
            url = f"{bare.url}/?lang=en"
            cold = link_to_graph(browser, url, BARE_NODES)
            warm = [link_to_graph(browser, url, BARE_NODES) for _ in range(args.runs)]
            rows.append(("link -> graph  bare Streamlit app (floor)", cold, warm))
        browser.close()
    print(f"{'measure':<40} {'first s':>8} {'median s':>9} {'p95 s':>7} {'max s':>7}  runs")
    for name, first, times in rows:
        ordered = sorted(times)
        p95 = ordered[round(0.95 * (len(ordered) - 1))]
        print(
            f"{name:<40} {first:>8.2f} {statistics.median(times):>9.2f}"
            f" {p95:>7.2f} {max(times):>7.2f}  {len(times)}"
        )
    if load_note:
        print(load_note)
    print(
        "goal: link -> graph <= 1.5 s warm (median);"
        " key -> step <= 0.10 s; click -> inspector <= 0.15 s"
    )


if __name__ == "__main__":
    main()
