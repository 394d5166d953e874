"""The graph view in headless Chromium: every backward step shows its own, correct picture."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from autodiff_viz.render.dot import DrawOptions, known_after, to_dot
from autodiff_viz.render.layout import has_dot
from autodiff_viz.ui.graph_view import digest
from tests.render.graphs import linear_mse
from tests.support.browser import screenshot, serve_app, wait_for_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_dot(), reason="needs graphviz's dot"),
]
HARNESS = Path(__file__).with_name("harness_app.py")
NODES = ".gv-stage svg g.node"


@pytest.fixture(scope="module")
def harness_url() -> Iterator[str]:
    with serve_app(HARNESS) as url:
        yield url


def _wait_for_picture(page, dot: str, selector: str = ".gv-viewport") -> None:  # type: ignore[no-untyped-def]
    """Until the component shows the SVG of exactly this DOT."""
    page.wait_for_function(
        "([sel, d]) => [...document.querySelectorAll('*')].some(e => e.shadowRoot &&"
        " [...e.shadowRoot.querySelectorAll(sel)].some(v => v.dataset.digest === d))",
        arg=[selector, digest(dot)],
        timeout=20_000,
    )


def _classes(page) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    pairs = page.eval_on_selector_all(NODES, "els => els.map(e => [e.id, e.getAttribute('class')])")
    return {node_id: set(cls.split()) for node_id, cls in pairs}


def _set_step(page, k: int) -> None:  # type: ignore[no-untyped-def]
    box = page.get_by_label("step", exact=True)
    box.fill(str(k))
    box.press("Enter")
    wait_for_app(page)


def test_every_backward_step_shows_its_own_picture(page, harness_url) -> None:  # type: ignore[no-untyped-def]
    graph = linear_mse()
    page.goto(f"{harness_url}/?step=0")
    wait_for_app(page)
    seen = set()
    # Forward, back again and skipping: every update must replace the picture.
    for k in [0, 1, 2, 3, 4, 5, 3, 0, 5]:
        if k or seen:
            _set_step(page, k)
        dot = to_dot(graph, DrawOptions(view="backward", step=k))
        _wait_for_picture(page, dot)
        classes = _classes(page)
        known = {i.removesuffix("_op") for i, c in classes.items() if "known" in c}
        assert known == known_after(graph, k) & {i.removesuffix("_op") for i in classes}, k
        current = {i.removesuffix("_op") for i, c in classes.items() if "current" in c}
        assert current == ({graph.backward_order[k - 1]} if k else set())
        title = page.locator(".gv-stage svg #a_graph0 text").first.text_content() or ""
        assert title.startswith(f"backward step {k} of 5")
        if k not in seen:
            screenshot(page, f"graph-view-step-{k}")
        seen.add(k)


def test_click_on_a_node_reports_its_id(page, harness_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{harness_url}/?step=5")
    wait_for_app(page)
    _wait_for_picture(page, to_dot(linear_mse(), DrawOptions(view="backward", step=5)))
    # The default fit keeps text readable and may show only part of this wide graph: fit all.
    page.locator("button[data-act='fit']").first.click()
    page.locator(".gv-stage svg g#n5_op").click()
    page.get_by_text("selected node: n5").wait_for(timeout=15_000)
    page.locator(".gv-stage svg g#n3").click()
    page.get_by_text("selected node: n3").wait_for(timeout=15_000)


def test_zoom_pan_theme_and_a_second_view(page, harness_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{harness_url}/?step=2")
    wait_for_app(page)
    dot = to_dot(linear_mse(), DrawOptions(view="backward", step=2))
    _wait_for_picture(page, dot)
    stage = page.locator(".gv-stage").first
    before = stage.evaluate("e => e.style.transform")
    page.locator("button[data-act='in']").first.click()
    zoomed = stage.evaluate("e => e.style.transform")
    assert zoomed != before
    box = page.locator(".gv-viewport").first.bounding_box()
    page.mouse.move(box["x"] + 50, box["y"] + 300)
    page.mouse.down()
    page.mouse.move(box["x"] + 250, box["y"] + 350, steps=5)
    page.mouse.up()
    assert stage.evaluate("e => e.style.transform") != zoomed
    page.mouse.move(box["x"] + 300, box["y"] + 200)
    page.mouse.wheel(0, -400)
    page.locator("button[data-act='fit']").first.click()
    fitted = stage.evaluate("e => e.style.transform")
    assert fitted != zoomed
    page.locator("button[data-act='in']").first.click()
    page.locator("button[data-act='fit']").first.click()
    assert stage.evaluate("e => e.style.transform") == fitted  # fit is where it always was

    page.get_by_text("dark").click()
    wait_for_app(page)
    _wait_for_picture(
        page, to_dot(linear_mse(), DrawOptions(view="backward", step=2, theme="dark"))
    )
    assert "gv-dark" in page.locator(".gv-root").first.get_attribute("class")
    # st.graphviz_chart leaves a second chart of the same DOT blank; this one must draw it.
    page.get_by_text("second view").click()
    wait_for_app(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('*')].filter(e => e.shadowRoot)"
        ".filter(e => e.shadowRoot.querySelectorAll('.gv-stage svg g.node').length > 5)"
        ".length === 2",
        timeout=20_000,
    )
    screenshot(page, "graph-view-dark-two-views")
