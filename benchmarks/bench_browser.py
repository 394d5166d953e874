"""Time the explorer in headless Chromium: share link to graph on screen, step to picture.

Run: ``python -m benchmarks.bench_browser [--runs N]``. Starts its own ``streamlit run app.py``.
The first load also starts PyTorch in the workers (cold); the rest find the run cached
on the server (warm), which is what a class opening the teacher's link sees.
Figures on a shared machine are noisy: read the medians.
"""

from __future__ import annotations

import argparse
import statistics
import time

from playwright.sync_api import sync_playwright

from autodiff_viz.examples import EXAMPLES
from autodiff_viz.explorer import share_query
from tests.support.browser import launch_chromium, serve_app, wait_for_app

NODES = ".gv-stage svg g.node"
SLIDER = "[data-testid='stSlider'] input[type=range]"
_DIGEST_CHANGED = (
    "old => [...document.querySelectorAll('*')].some(e => e.shadowRoot &&"
    " [...e.shadowRoot.querySelectorAll('.gv-viewport')].some(v => v.dataset.digest &&"
    " v.dataset.digest !== old))"
)


def link_to_graph(browser, url: str) -> float:  # type: ignore[no-untyped-def]
    """Seconds from opening ``url`` in a fresh tab until the graph's nodes are drawn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.locator(NODES).first.wait_for(timeout=60_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rows = []
    with serve_app() as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for key in ["t1_retain_grad", "t3_linear_regression", "micrograd"]:
            url = f"{base}/{share_query(code=EXAMPLES[key].source, lang='en')}"
            cold = link_to_graph(browser, url)
            warm = [link_to_graph(browser, url) for _ in range(args.runs)]
            rows.append((f"link -> graph  {key}", cold, warm))
        url = f"{base}/{share_query(code=EXAMPLES['t1_retain_grad'].source, lang='en')}"
        steps = step_to_picture(browser, url, steps=5)
        rows.append(("step -> picture  t1_retain_grad", float("nan"), steps))
        browser.close()
    print(f"{'measure':<40} {'first s':>8} {'median s':>9} {'min s':>7} {'max s':>7}  runs")
    for name, first, times in rows:
        print(
            f"{name:<40} {first:>8.2f} {statistics.median(times):>9.2f}"
            f" {min(times):>7.2f} {max(times):>7.2f}  {len(times)}"
        )
    print("goal: link -> graph <= 1.5 s warm (median)")


if __name__ == "__main__":
    main()
