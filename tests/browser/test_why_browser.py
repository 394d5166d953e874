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
from autodiff_viz.render.styles import THEMES
from tests.support.browser import screenshot, wait_for_app, wait_for_report

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
    wait_for_report(page, f"backward:{k}")


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


def rgb(color: str) -> str:
    """``#RRGGBB`` as the browser's computed style writes it."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def luminance(css: str) -> float:
    """Relative luminance (WCAG 2) of a computed ``rgb(r, g, b)`` colour."""
    channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


STYLE = "e => { const s = getComputedStyle(e); return [s.fill, s.stroke, s.strokeWidth]; }"


def open_in(page, app_url, scheme: str, size=(1280, 720), **query) -> None:  # type: ignore[no-untyped-def]
    """The share link of ``query`` in ``page``, at a colour scheme and window size."""
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(color_scheme=scheme)
    page.goto(app_url + "/" + share_query(**query))
    wait_for_app(page)
    page.locator(f"{VIEWPORT} svg g.node").first.wait_for()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_running_op_is_highlighted_and_its_name_readable(  # type: ignore[no-untyped-def]
    page, app_url, scheme
) -> None:
    open_in(page, app_url, scheme, example="why_4x", lang="en", view={"view": "step"})
    page.locator(VIEWPORT).click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")  # step 1: the engine ran MulBackward0
    expect(page.locator(VIEWPORT)).to_have_attribute("data-step", "1")
    current = page.locator(f"{VIEWPORT} svg g.node.op.gv-current")
    expect(current).to_have_count(1)
    plain = page.locator(f"{VIEWPORT} svg g.node.op:not(.gv-current)").first
    fill, _, width = current.locator("ellipse").evaluate(STYLE)
    plain_fill, _, plain_width = plain.locator("ellipse").evaluate(STYLE)
    assert fill == rgb(THEMES[scheme].current_fill) != plain_fill
    assert width == "3.5px" != plain_width
    text_fill = current.locator("text").evaluate(STYLE)[0]
    assert contrast(text_fill, fill) >= 4.5, (text_fill, fill)
    screenshot(page, f"why-current-op-{scheme}")


def test_a_clicked_op_is_outlined_and_the_inspector_wraps(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_in(page, app_url, "light", example="why_4x", lang="en")
    ops = page.locator(f"{VIEWPORT} svg g.node.op")
    mul = ops.filter(has_text="mul")
    mul.click()
    expect(mul).to_have_class(re.compile(r"\bgv-selected\b"))
    outline = mul.locator("ellipse").evaluate(STYLE)
    other = ops.filter(has_text="dot").locator("ellipse").evaluate(STYLE)
    assert outline[2] == "4px" and outline[1] != other[1]
    # Saved for backward: "other = shape []  dtype int64" is read whole, never cut off.
    saved = page.locator(".gv-inspector pre").filter(has_text="dtype int64")
    expect(saved).to_have_count(1)
    assert saved.evaluate("e => e.scrollWidth <= e.clientWidth")
    screenshot(page, "why-selected-mul")


@pytest.mark.parametrize(
    ("example", "lang", "scheme"),
    [
        ("why_4x", "en", "light"),
        ("custom_function", "en", "light"),
        ("custom_function", "zh", "dark"),
    ],
)
def test_every_step_title_fits_in_the_picture(  # type: ignore[no-untyped-def]
    page, app_url, example, lang, scheme
) -> None:
    open_in(page, app_url, scheme, example=example, lang=lang, view={"view": "step"})
    page.locator(VIEWPORT).click(position={"x": 5, "y": 5})
    total = int(page.locator(".gv-step").inner_text().split("/")[1])
    inside = (
        "svg => { const t = [...svg.querySelectorAll('g.graph text')]"
        ".find(e => !e.closest('g.node, g.edge')).getBoundingClientRect();"
        " const s = svg.getBoundingClientRect();"
        " return [t.left >= s.left - 0.5 && t.right <= s.right + 0.5, t.width]; }"
    )
    svg = page.locator(f"{VIEWPORT} svg").first
    for k in range(total + 1):
        if k:
            page.keyboard.press("ArrowRight")
        expect(page.locator(VIEWPORT)).to_have_attribute("data-step", str(k))
        fits, width = svg.evaluate(inside)
        assert fits and width > 0, (k, width)
    screenshot(page, f"why-title-{example}-{lang}-{scheme}")


def test_dark_view_takes_the_picture_background(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_in(page, app_url, "dark", example="custom_function", lang="zh")
    background = page.locator(VIEWPORT).evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == rgb(THEMES["dark"].background)
    screenshot(page, "why-dark-background")
