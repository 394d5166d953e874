"""Time typing and scrolling in the explorer's code editor in headless Chromium.

Run: ``python -m benchmarks.bench_code_gutter [--keys N]``. Starts its own ``streamlit run
app.py``, opens programs of 30, 300 and 3000 lines by link (an error on the middle line), opens
the editor and measures, in the page, from each key press (Enter or a letter, at the end of the
text) or wheel step to the first frame drawn after it: what the line numbers add to typing and
scrolling. It also prints the bytes the line-number component adds to every run of the page.
It works on an explorer without line numbers too (the numbers' columns then say ``-``), so
running this file in a checkout of the earlier commit prints the "before" figures. Figures on a
shared machine are noisy: read the medians.
"""

from __future__ import annotations

import argparse
import statistics
from importlib import resources

from playwright.sync_api import sync_playwright

from autodiff_viz.explorer.data import share_query
from tests.support.browser import launch_chromium, serve_app, wait_for_app

SIZES = (30, 300, 3000)
# Each key press or wheel step: from the event to the first frame after it (a task queued in
# that frame's animation callback runs once the frame is drawn).
_RECORD = """() => {
  window.__frames = [];
  const record = (e) => {
    const start = e.timeStamp;
    requestAnimationFrame(() => setTimeout(() => window.__frames.push(performance.now() - start)));
  };
  document.addEventListener('keydown', record, true);
  document.addEventListener('wheel', record, { capture: true, passive: true });
}"""


def program(lines: int) -> str:
    """``lines`` lines (the last one empty), short enough for a link; line ``lines // 2`` bad."""
    return "".join("y = (x +\n" if n == lines // 2 else "a = 1\n" for n in range(1, lines))


def _median_p95(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered):6.1f} / {p95:6.1f}"


def measure(browser, url: str, lines: int, keys: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    code = program(lines)
    page.goto(url + "/" + share_query(code=code, lang="en"))
    wait_for_app(page)
    page.locator(".st-key-explorer-editor summary").click()
    wait_for_app(page)
    area = page.locator(".st-key-explorer-code textarea")
    area.evaluate("a => a.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(1000)
    has_gutter = page.locator(".cg-row").count() > 0
    page.evaluate(_RECORD)
    area.click()
    page.keyboard.press("Control+End")
    for i in range(keys):
        page.keyboard.press("Enter" if i % 2 == 0 else "a")
    page.wait_for_timeout(300)
    typing = list(page.evaluate("() => window.__frames"))
    rows = page.locator(".cg-row").count()
    page.evaluate("() => { window.__frames = []; }")
    box = area.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for i in range(keys):
        page.mouse.wheel(0, -120 if i % 2 else 120)
        page.wait_for_timeout(20)
    page.wait_for_timeout(300)
    scrolling = list(page.evaluate("() => window.__frames"))
    context.close()
    return {
        "gutter": "yes" if has_gutter else "no",
        "rows": str(rows) if has_gutter else "-",
        "typing": _median_p95(typing),
        "scrolling": _median_p95(scrolling),
    }


def component_bytes() -> str:
    """What every run of the page sends for the component: its JS and CSS (and a little data)."""
    folder = resources.files("autodiff_viz.ui")
    names = ("code_gutter.js", "code_gutter.css")
    if not all(folder.joinpath(name).is_file() for name in names):
        return "-"
    return str(sum(len(folder.joinpath(name).read_bytes()) for name in names))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=40, help="key presses and wheel steps")
    args = parser.parse_args()
    print(f"line-number component, bytes per page run (JS + CSS): {component_bytes()}")
    print("lines  gutter  rows after typing  key->frame ms (median / p95)  wheel->frame ms")
    with serve_app() as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for lines in SIZES:
            row = measure(browser, url, lines, args.keys)
            print(
                f"{lines:5d}  {row['gutter']:>6}  {row['rows']:>17}  {row['typing']:>28}"
                f"  {row['scrolling']:>15}"
            )
        browser.close()


if __name__ == "__main__":
    main()
