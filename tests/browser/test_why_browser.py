"""Why this gradient? in headless Chromium: stepping through the seeds' y = 2xᵀx example.

The gallery's ``why_4x`` is tutorial 004's ``y = 2 * torch.dot(x, x)``. Each backward step
must show the rule of the op the engine ran with its numbers plugged in, worked out from
the rule and checked against PyTorch; the inspector shows x's two terms adding up to 4x.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from autodiff_viz.explorer.data import share_query
from autodiff_viz.i18n import t
from autodiff_viz.render.layout import has_dot
from tests.support.browser import screenshot, wait_for_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_dot(), reason="needs graphviz's dot"),
]
VIEWPORT = ".gv-viewport"
TEXT = "[data-testid='stText']"
TERM = "x.grad += 2.0 × [0.0, 1.0, 2.0, 3.0] = [0.0, 2.0, 4.0, 6.0]"
#: A busy machine (a classroom server, a shared CI box) may take seconds per rerun.
WAIT = 30_000
SUM = "x.grad = [0.0, 2.0, 4.0, 6.0] + [0.0, 2.0, 4.0, 6.0] = [0.0, 4.0, 8.0, 12.0]"


def shown_text(page) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(page.locator(TEXT).all_inner_texts())


def go_to_step(page, k: int) -> None:  # type: ignore[no-untyped-def]
    """→ on the graph; the browser reports the step to the server once the user settles."""
    page.keyboard.press("ArrowRight")
    expect(page.locator(VIEWPORT)).to_have_attribute("data-step", str(k))
    page.wait_for_timeout(1800)  # the settle delay before the browser reports its step
    wait_for_app(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_stepping_through_two_x_t_x_reads_each_rule_with_its_numbers(  # type: ignore[no-untyped-def]
    page, app_url, lang
) -> None:
    page.goto(app_url + "/" + share_query(example="why_4x", lang=lang, view={"view": "step"}))
    wait_for_app(page)
    page.locator(f"{VIEWPORT} svg g.node").first.wait_for()
    page.locator(VIEWPORT).click(position={"x": 5, "y": 5})  # focus the graph
    # Step 1: the engine ran MulBackward0 (y = 2 · dot): 1.0 × 2.0 goes back to the dot.
    go_to_step(page, 1)
    expect(page.locator(TEXT).filter(has_text="1.0 × 2.0 = 2.0")).to_have_count(1, timeout=WAIT)
    assert "∂(a·b)/∂a = b" in shown_text(page)
    # Step 2: DotBackward0 sends 2·x to each of its inputs, both x.
    go_to_step(page, 2)
    expect(page.locator(TEXT).filter(has_text=TERM)).to_have_count(1, timeout=WAIT)
    text = shown_text(page)
    assert text.count(TERM) == 2
    assert "d = Σ aᵢbᵢ: ∂d/∂a = b" in text and "d = Σ aᵢbᵢ: ∂d/∂b = a" in text
    screenshot(page, f"why-step-2-{lang}")
    # Step 3: x's AccumulateGrad: the two terms add up to 4x, equal to PyTorch's x.grad.
    go_to_step(page, 3)
    expect(page.locator(TEXT).filter(has_text=SUM)).to_have_count(1, timeout=WAIT)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentWarning']").count() == 0


def test_inspector_shows_x_terms_and_the_check(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/" + share_query(example="why_4x", lang="en"))
    wait_for_app(page)
    page.get_by_role("tab", name=t("explorer.tab.inspector", "en")).click()
    wait_for_app(page)
    picker = page.get_by_role("combobox", name=t("explorer.inspector.pick", "en"))
    option = page.get_by_role("option", name=re.compile(r"^x\b"))
    for _ in range(3):  # a rerun of the graph's part of the page (its view report) closes the list
        wait_for_app(page)
        picker.click()
        try:
            option.click(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    wait_for_app(page)
    expect(page.locator(TEXT).filter(has_text=SUM)).to_have_count(1, timeout=WAIT)
    expect(page.get_by_text(t("explain.verdict.agrees", "en"))).to_be_visible(timeout=WAIT)
    screenshot(page, "why-inspector")


def factors(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The local factors the step view writes on the edges now (hidden ones left out)."""
    return sorted(
        page.locator(f"{VIEWPORT} svg text.gv-factor:not(.gv-hidden)").all_text_contents()
    )


def test_step_view_edges_show_the_local_factor(page, app_url) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/" + share_query(example="why_4x", lang="en", view={"view": "step"}))
    wait_for_app(page)
    page.locator(f"{VIEWPORT} svg g.node").first.wait_for()
    page.locator(VIEWPORT).click(position={"x": 5, "y": 5})
    assert factors(page) == []  # before backward: no gradient known, no factor
    # Step 1: MulBackward0 (y = 2 · dot) ran: the edge from the dot carries 2.0, times 2.0.
    page.keyboard.press("ArrowRight")
    expect(page.locator(VIEWPORT)).to_have_attribute("data-step", "1")
    assert factors(page) == ["× 2.0"]
    edge = page.locator(f"{VIEWPORT} svg g.edge").filter(has_text="× 2.0")
    assert edge.locator("text").all_text_contents() == ["2.0", "× 2.0"]  # upstream, then local
    # Step 2: DotBackward0 ran: each of its two edges from x is × x.
    page.keyboard.press("ArrowRight")
    expect(page.locator(VIEWPORT)).to_have_attribute("data-step", "2")
    assert factors(page) == ["× 2.0", "× [0.0, 1.0, 2.0, 3.0]", "× [0.0, 1.0, 2.0, 3.0]"]
    screenshot(page, "why-step-factors")
    # The "values and grads" view shows the gradients alone, as before.
    page.locator(".gv-views button[data-view='full']").click()
    expect(page.locator(VIEWPORT)).to_have_attribute("data-view", "full")
    assert factors(page) == []
    assert page.locator(f"{VIEWPORT} svg g.edge text:not(.gv-hidden)").count() == 3
