"""The explorer page in headless Chromium: share links, stepping and playing backward, clicks.

The expected pictures come from running the same program with real PyTorch in this process
and drawing it with the app's own options: the page must show exactly that DOT's picture.
"""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import expect

from autodiff_viz.explorer.data import share_query
from autodiff_viz.explorer.examples import EXAMPLES
from autodiff_viz.graph import Graph
from autodiff_viz.i18n import section, t
from autodiff_viz.render.dot import DrawOptions, known_after, to_dot
from autodiff_viz.render.layout import has_dot
from autodiff_viz.sandbox import run_program
from autodiff_viz.ui.graph_view import digest
from tests.support.browser import (
    MLP,
    ROOT,
    open_expander,
    screenshot,
    wait_for_app,
    wait_for_report,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_dot(), reason="needs graphviz's dot"),
]
NODES = ".gv-stage svg g.node"
VIEWPORT = ".gv-viewport"
RETAIN = EXAMPLES["t1_retain_grad"].source
SUFFIX = re.compile(r"_(op|o\d+|u\d+|fold)$")  # SVG ids of a node's parts, as graph_view reads them


@cache
def captured(source: str) -> Graph:
    """The program's last backward pass, captured by real PyTorch in this process."""
    return run_program(source, isolated=False).graphs[-1]


def expected_digest(graph: Graph, lang: str, focus: str | None = None) -> str:
    """The digest of the DOT the explorer draws (light theme): one picture, every grad."""
    words = section("draw", lang)
    options = DrawOptions(view="full", theme="light", focus=focus, rankdir="TB", words=words)
    return digest(to_dot(graph, options))


def open_link(page, app_url: str, **query: str) -> None:  # type: ignore[no-untyped-def]
    view = {k: query.pop(k) for k in ("view", "step", "node") if k in query}
    page.goto(app_url + "/" + share_query(**query, view=view))  # type: ignore[arg-type]
    wait_for_app(page)


def wait_for_picture(page, wanted: str) -> None:  # type: ignore[no-untyped-def]
    """Until the graph component shows the SVG of the DOT with digest ``wanted``."""
    page.wait_for_function(
        "([sel, d]) => [...document.querySelectorAll('*')].some(e => e.shadowRoot &&"
        " [...e.shadowRoot.querySelectorAll(sel)].some(v => v.dataset.digest === d))",
        arg=[VIEWPORT, wanted],
        timeout=20_000,
    )


def shown_digest(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(VIEWPORT).get_attribute("data-digest"))


def svg_texts(page) -> list[str]:  # type: ignore[no-untyped-def]
    texts = page.eval_on_selector_all(f"{NODES} text", "els => els.map(e => e.textContent)")
    return [str(text).strip() for text in texts]


def classes(page) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """Graph id -> classes of its drawn parts (a tensor and the op that made it share an id)."""
    pairs = page.eval_on_selector_all(NODES, "els => els.map(e => [e.id, e.getAttribute('class')])")
    found: dict[str, set[str]] = {}
    for svg_id, cls in pairs:
        found.setdefault(SUFFIX.sub("", svg_id), set()).update(cls.split())
    return found


def picture_title(page) -> str:  # type: ignore[no-untyped-def]
    """The title drawn above the picture (the first text outside nodes and edges)."""
    return str(
        page.evaluate(
            "() => {" + Q + " return [...q('.gv-stage svg').querySelectorAll('g.graph text')]"
            ".find(t => !t.closest('g.node, g.edge')).textContent; }"
        )
    )


def tagged(page, name: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {node_id for node_id, cls in classes(page).items() if name in cls}


# Finds an element of the graph component, inside its shadow root (page scripts do not pierce).
Q = (
    "const q = (sel) => { for (const e of document.querySelectorAll('*')) {"
    " const hit = e.shadowRoot && e.shadowRoot.querySelector(sel); if (hit) return hit; }"
    " return document.querySelector(sel); };"
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_code_link_draws_names_values_and_grads(page, app_url, lang) -> None:  # type: ignore[no-untyped-def]
    open_link(page, app_url, code=RETAIN, lang=lang)
    wait_for_picture(page, expected_digest(captured(RETAIN), lang))
    texts = svg_texts(page)
    drawn = [("z", "56.0", "112.0"), ("y", "28.0", "224.0"), ("h", "3136.0", "1.0")]
    for name, value, grad in drawn:
        i = texts.index(name)
        assert texts[i + 1 : i + 3] == [f"data {value}", f"grad {grad}"]
    assert "grad [0.0, 896.0, 1792.0, 2688.0]" in texts  # x.grad = 224 * 4x
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.locator("textarea")).to_have_value(RETAIN)  # waits: the box may fill after
    screenshot(page, f"explorer-link-{lang}")


def shown_step(page) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    viewport = page.locator(VIEWPORT)
    return str(viewport.get_attribute("data-view")), int(viewport.get_attribute("data-step") or -1)


def transform(page) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(".gv-stage").get_attribute("style"))


def press_and_time(page, key: str) -> float:  # type: ignore[no-untyped-def]
    """Press ``key`` on the focused graph; milliseconds until the restyled picture is painted.

    Timed in the page: from the key event's own time stamp to the first animation frame after
    the viewport says it shows another step.
    """
    page.evaluate(
        """() => {"""
        + Q
        + """
          const vp = q('.gv-viewport');
          window.__gvTimes = window.__gvTimes || [];
          window.__gvStart = null;
          document.addEventListener('keydown', (e) => { window.__gvStart = e.timeStamp; },
            { capture: true, once: true });
          const seen = new MutationObserver(() => {
            seen.disconnect();
            const start = window.__gvStart;
            requestAnimationFrame(() => window.__gvTimes.push(performance.now() - start));
          });
          seen.observe(vp, { attributes: true, attributeFilter: ['data-step', 'data-view'] });
        }"""
    )
    before = len(page.evaluate("() => window.__gvTimes"))
    page.keyboard.press(key)
    page.wait_for_function("n => window.__gvTimes.length > n", arg=before, timeout=5_000)
    return float(page.evaluate("() => window.__gvTimes[window.__gvTimes.length - 1]"))


def click_and_time(page, selector: str) -> float:  # type: ignore[no-untyped-def]
    """Click a node; milliseconds from the click to the painted inspector showing it."""
    page.evaluate(
        """() => {"""
        + Q
        + """
          const box = q('.gv-inspector');
          window.__gvClick = null;
          document.addEventListener('pointerup', (e) => { window.__gvClick = e.timeStamp; },
            { capture: true, once: true });
          const seen = new MutationObserver(() => {
            seen.disconnect();
            const start = window.__gvClick;
            requestAnimationFrame(() => { window.__gvInspected = performance.now() - start; });
          });
          window.__gvInspected = null;
          seen.observe(box, { childList: true, subtree: true });
        }"""
    )
    page.locator(selector).click()
    page.wait_for_function("() => window.__gvInspected !== null", timeout=5_000)
    return float(page.evaluate("() => window.__gvInspected"))


def node_text_px(page) -> list[float]:  # type: ignore[no-untyped-def]
    """On-screen size (CSS px) of every node text inside the visible part of the viewport."""
    return page.evaluate(
        """() => {"""
        + Q
        + """
          const vp = q('.gv-viewport').getBoundingClientRect();
          const svg = q('.gv-stage svg');
          const scale = svg.getBoundingClientRect().width / parseFloat(svg.getAttribute('width'));
          return [...svg.querySelectorAll('g.node text')].filter((t) => {
            const r = t.getBoundingClientRect();
            return r.bottom > vp.top && r.top < vp.bottom && r.right > vp.left && r.left < vp.right;
          }).map((t) => parseFloat(t.getAttribute('font-size')) * scale);
        }"""
    )


def test_mlp_link_at_projector_size_is_readable_and_steps_in_the_browser(  # type: ignore[no-untyped-def]
    page, app_url
) -> None:
    """The issue's bar: 1280x720, a 2-layer MLP with cross-entropy on a batch of 5, by link."""
    page.set_viewport_size({"width": 1280, "height": 720})
    graph = captured(MLP)
    open_link(page, app_url, code=MLP, lang="en", view="step")
    wait_for_picture(page, expected_digest(graph, "en"))
    # Above the fold, and readable: the median node text on screen is at least 11 px.
    box = page.locator(VIEWPORT).bounding_box()
    assert box is not None and box["y"] < 400 and box["y"] + box["height"] <= 720
    sizes = sorted(node_text_px(page))
    assert sizes and sizes[len(sizes) // 2] >= 11, sizes
    # view=step opens step-through at step 0: nothing known yet.
    assert shown_step(page) == ("backward", 0)
    assert tagged(page, "gv-pending") == classes(page).keys()
    # The user zooms in; stepping keeps that zoom and takes well under 150 ms per key.
    page.locator("button[data-act='in']").click()
    zoomed = transform(page)
    total = len(graph.backward_order)
    times = []
    for k in range(1, total + 1):
        times.append(press_and_time(page, "ArrowRight" if k % 2 else "PageDown"))
        assert shown_step(page) == ("backward", k)
        assert tagged(page, "gv-current") == {graph.backward_order[k - 1]}
        drawn = classes(page).keys()
        assert drawn - tagged(page, "gv-pending") == known_after(graph, k) & drawn
        assert transform(page) == zoomed
        assert picture_title(page).startswith(t("draw.backward", "en", step=k, total=total))
    assert sorted(times)[len(times) // 2] <= 150, times
    press_and_time(page, "PageUp")
    assert shown_step(page) == ("backward", total - 1)
    press_and_time(page, "Home")
    assert shown_step(page) == ("backward", 0)
    # The address keeps the view: a copied link reopens this step.
    press_and_time(page, "End")
    page.wait_for_function(
        "t => new URLSearchParams(location.search).get('step') === String(t)", arg=total
    )
    assert "view=step" in page.evaluate("() => location.search")
    # A click shows the node's details beside the picture, without scrolling.
    loss = graph.node(graph.outputs[0])  # in view: the default fit shows the part around it
    elapsed = click_and_time(page, f"{NODES}#{loss.id}")
    inspector = page.locator(".gv-inspector")
    side = inspector.bounding_box()
    assert side is not None and side["x"] >= box["x"] + box["width"] - 1 and side["y"] < 720
    assert str(loss.op) in inspector.inner_text() and "loss" in inspector.inner_text()
    assert elapsed <= 150, elapsed
    screenshot(page, "explorer-mlp-1280")


def test_space_plays_to_the_end_and_pauses(page, app_url) -> None:  # type: ignore[no-untyped-def]
    graph = captured(RETAIN)
    total = len(graph.backward_order)
    open_link(page, app_url, code=RETAIN, lang="en")
    wait_for_picture(page, expected_digest(graph, "en"))
    assert shown_step(page)[0] == "full"
    page.locator(VIEWPORT).click(position={"x": 5, "y": 5})  # focus the graph
    page.keyboard.press(" ")
    page.wait_for_function(
        "t => {" + Q + " return q('.gv-viewport').dataset.step === String(t); }",
        arg=total,
        timeout=30_000,
    )
    page.keyboard.press(" ")  # play again from the end starts over; pause holds the step
    page.wait_for_function("() => {" + Q + " return q('.gv-viewport').dataset.step === '1'; }")
    page.keyboard.press(" ")
    held = shown_step(page)[1]
    page.wait_for_timeout(2500)  # more than two ticks of play
    assert shown_step(page)[1] == held < total


def test_views_restyle_the_same_picture(page, app_url) -> None:  # type: ignore[no-untyped-def]
    graph = captured(RETAIN)
    open_link(page, app_url, code=RETAIN, lang="zh")
    wait_for_picture(page, expected_digest(graph, "zh"))
    before = shown_digest(page)
    page.locator(".gv-views button[data-view='forward']").click()
    assert shown_step(page)[0] == "forward"
    assert picture_title(page) == t("draw.forward", "zh")
    hidden = page.eval_on_selector_all(
        f"{NODES} text.gv-hidden", "els => els.map(e => e.textContent)"
    )
    assert any(text.startswith("grad") for text in hidden)
    page.locator(".gv-views button[data-view='full']").click()
    assert page.eval_on_selector_all(f"{NODES} text.gv-hidden", "els => els.length") == 0
    assert shown_digest(page) == before  # no new layout, no server round trip


def test_focus_mode_shows_only_the_graph(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_link(page, app_url, code=RETAIN, lang="en")
    wait_for_picture(page, expected_digest(captured(RETAIN), "en"))
    page.locator(VIEWPORT).click(position={"x": 5, "y": 5})
    page.keyboard.press("f")
    full = page.locator(".gv-root").bounding_box()
    size = page.viewport_size
    assert full is not None and size is not None
    assert full["width"] >= size["width"] - 1 and full["height"] >= size["height"] - 1
    page.keyboard.press("Escape")
    assert "gv-full" not in str(page.locator(".gv-root").get_attribute("class"))


def test_clicking_a_node_opens_it_in_both_inspectors(page, app_url) -> None:  # type: ignore[no-untyped-def]
    graph = captured(RETAIN)
    open_link(page, app_url, code=RETAIN, lang="en")
    wait_for_picture(page, expected_digest(graph, "en"))
    z = next(node for node in graph.nodes if node.name == "z")
    page.locator(f"{NODES}#{z.id}").click()
    side = page.locator(".gv-inspector")
    expect(side).to_contain_text("56.0")
    expect(side).to_contain_text("112.0")
    assert "gv-selected" in classes(page)[z.id]
    wait_for_app(page)
    page.get_by_role("tab", name=t("explorer.tab.inspector", "en")).click()
    picker = page.get_by_role("combobox", name=t("explorer.inspector.pick", "en"))
    expect(picker).to_have_value(re.compile(r"^z · mul"))  # names, not internal ids
    texts = page.locator("[data-testid='stText']")  # waits: the tab fills after the click
    expect(texts.filter(has_text="56.0").first).to_be_visible()
    expect(texts.filter(has_text="112.0").first).to_be_visible()
    # An op node selects the tensor it made.
    y = next(node for node in graph.nodes if node.name == "y")
    page.locator(f"{NODES}#{y.id}_op").click()
    expect(side).to_contain_text("28.0")
    outlined = classes(page)
    assert "gv-selected" in outlined[y.id] and "gv-selected" not in outlined[z.id]
    screenshot(page, "explorer-inspector")


BROKEN = "import torch\nx = torch.ones(2, requires_grad=True)\ny = x +\n"


@pytest.mark.parametrize(("lang", "line"), [("en", "Line 3"), ("zh", "第 3 行")])
def test_syntax_error_names_the_line_and_keeps_the_text(page, app_url, lang, line) -> None:  # type: ignore[no-untyped-def]
    open_link(page, app_url, code=BROKEN, lang=lang)
    alert = page.locator("[data-testid='stAlertContentError']").first
    alert.wait_for()
    assert line in alert.inner_text()
    assert "Traceback" not in page.content()
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.locator("textarea")).to_have_value(BROKEN)  # the user's text is kept
    screenshot(page, f"explorer-syntax-error-{lang}")


def share_link(page, lang: str) -> str:  # type: ignore[no-untyped-def]
    # A link opens the page with the program folded away: open it to reach the share toggle.
    open_expander(page, t("explorer.program", lang))
    page.get_by_text(t("explorer.share", lang)).click()
    code = page.locator("[data-testid='stCode']").filter(has_text="lang=")
    code.wait_for()
    return code.inner_text().strip()


def test_share_link_of_an_example_names_it_and_keeps_the_step(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_link(page, app_url, code=RETAIN, lang="zh")  # a code link of an unedited example
    wait_for_picture(page, expected_digest(captured(RETAIN), "zh"))
    page.locator(VIEWPORT).click(position={"x": 5, "y": 5})
    for _ in range(3):
        page.keyboard.press("PageDown")
    # The browser reports the view once the user settles; the share link then carries it.
    wait_for_report(page, "backward:3")
    address, query = share_link(page, "zh").split("?")
    assert address.rstrip("/") == app_url  # the address the browser shows
    assert query == "example=t1_retain_grad&lang=zh&view=step&step=3"


PASTED = (
    "import torch\nw = torch.tensor([1.0, 2.0], requires_grad=True)\n"
    "loss = (w * w).sum()\nloss.backward()\n"
)


def open_code_editor(page, app_url: str, source: str) -> None:  # type: ignore[no-untyped-def]
    """A fresh page, switched to the code editor, ``source`` typed in and run."""
    page.goto(app_url + "/?lang=en")
    wait_for_app(page)
    page.get_by_text(t("explorer.mode.code", "en"), exact=True).click()
    wait_for_app(page)
    page.locator("textarea").fill(source)
    page.keyboard.press("Control+Enter")
    wait_for_picture(page, expected_digest(captured(source), "en"))


def test_stepping_pasted_code_leaves_no_step_in_an_address_that_names_no_program(
    page, app_url
) -> None:  # type: ignore[no-untyped-def]
    """``/?lang=en&view=step&step=3`` would open the default program at step 3."""
    open_code_editor(page, app_url, PASTED)
    page.locator(VIEWPORT).click(position={"x": 5, "y": 5})
    for _ in range(3):
        page.keyboard.press("PageDown")
    assert shown_step(page) == ("backward", 3)
    wait_for_report(page, "backward:3")  # after the address bar's timer (250 ms)
    query = page.evaluate("() => location.search")
    assert "step=" not in query and "view=" not in query, query
    page.get_by_text(t("explorer.share", "en")).click()  # the share link names the program
    link = page.locator("[data-testid='stCode']").filter(has_text="lang=")
    link.wait_for()
    assert "code=" in link.inner_text() and "view=step&step=3" in link.inner_text()


TABLE = (
    "import torch\nw = torch.arange(6.0).reshape(2, 3).requires_grad_()\n"
    "loss = (w * 1.5).sum()\nloss.backward()\nprint(w.grad * 11.25 - w)\n"
)


def test_printed_output_and_the_code_editor_are_monospace(page, app_url) -> None:  # type: ignore[no-untyped-def]
    """PyTorch lines a tensor's columns up with spaces: a proportional font breaks them."""
    open_code_editor(page, app_url, TABLE)
    printed = run_program(TABLE, isolated=False).stdout.rstrip("\n")
    assert "\n" in printed  # a two-row tensor
    shown = page.locator("[data-testid='stText']").filter(has_text="tensor([[")
    shown.wait_for()
    style = shown.evaluate(  # the element that holds the text (Streamlit wraps it in a span)
        "e => { const s = getComputedStyle(e.querySelector('span') || e);"
        " return [s.fontFamily, s.whiteSpace]; }"
    )
    assert "monospace" in style[0] and style[1].startswith("pre"), style
    assert shown.inner_text() == printed  # every space kept
    font = page.locator("textarea").evaluate("e => getComputedStyle(e).fontFamily")
    assert "monospace" in font, font
    screenshot(page, "explorer-printed-monospace")


#: The background of the picture on screen, as the server drew it.
BACKGROUND = "() => {" + Q + " return q('.gv-stage svg g.graph polygon').getAttribute('fill'); }"
#: True once the picture is drawn in the theme asked for (the argument: dark or not).
DRAWN_IN = (
    "dark => { const v = parseInt((" + BACKGROUND + ")().slice(1, 3), 16);"
    " return dark ? v < 128 : v >= 128; }"
)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_docs_screenshots(page, app_url, request, lang) -> None:  # type: ignore[no-untyped-def]
    """docs/explorer-<w>x<h>-<scheme>-<lang>.png: ``pytest --update-screenshot`` refreshes them
    (and docs/screenshot.png, the README's, from the 1440x900 light English one).

    One page load per language: the window is resized and the reader's theme switched on the
    open page, as a projector or a dark desktop would; the picture follows each time."""
    page.set_viewport_size({"width": 1280, "height": 720})
    graph = captured(MLP)
    open_link(page, app_url, code=MLP, lang=lang, view="step", step="4")
    page.locator(VIEWPORT).wait_for()
    page.wait_for_function("() => {" + Q + " return !!q('.gv-stage svg g.node'); }")
    for width, height in [(1280, 720), (1440, 900)]:
        for scheme in ["light", "dark"]:
            page.set_viewport_size({"width": width, "height": height})
            page.emulate_media(color_scheme=scheme)
            page.wait_for_function(DRAWN_IN, arg=scheme == "dark", timeout=20_000)
            wait_for_app(page)
            page.wait_for_timeout(300)  # the fit follows the new size on the next frame
            assert shown_step(page) == ("backward", 4)
            assert tagged(page, "gv-current") == {graph.backward_order[3]}
            name = f"explorer-{width}x{height}-{scheme}-{lang}"
            shot = screenshot(page, name)
            if request.config.getoption("--update-screenshot"):
                (ROOT / "docs").mkdir(exist_ok=True)
                shutil.copy(shot, ROOT / "docs" / f"{name}.png")
                if (width, scheme, lang) == (1440, "light", "en"):
                    shutil.copy(shot, ROOT / "docs" / "screenshot.png")


def test_export_buttons_download_the_picture_on_screen(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_link(page, app_url, code=RETAIN, lang="en")
    wait_for_picture(page, expected_digest(captured(RETAIN), "en"))
    files: dict[str, bytes] = {}
    for kind in ("dot", "svg", "png"):
        with page.expect_download() as download:
            page.get_by_role("button", name=t(f"graph.download_{kind}", "en")).click()
        assert download.value.suggested_filename == f"autograd-graph.{kind}"
        files[kind] = Path(download.value.path()).read_bytes()
    assert digest(files["dot"].decode()) == shown_digest(page)  # the DOT of the drawn graph
    assert files["svg"].startswith(b"<?xml") and b"<svg" in files["svg"]
    assert b">z</text>" in files["svg"] and b">grad 112.0</text>" in files["svg"]
    assert files["png"].startswith(b"\x89PNG\r\n\x1a\n")


SMALL = (
    "import torch\n\n"
    "class Exp(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, i):\n"
    "        result = i.exp()\n"
    "        ctx.save_for_backward(result)\n"
    "        return result\n\n"
    "    @staticmethod\n"
    "    def backward(ctx, grad_output):\n"
    "        (result,) = ctx.saved_tensors\n"
    "        return grad_output * result\n\n"
    "x = torch.tensor([0.0, 1.0], requires_grad=True)\n"
    "y = Exp.apply(x).sum()\n"
    "y.backward()\n"
)


def run_typed(page, source: str) -> None:  # type: ignore[no-untyped-def]
    """Type a program into the open editor and run it (Ctrl+Enter), as a user does."""
    editor = page.locator("textarea")
    editor.fill(source)
    editor.press("Control+Enter")
    wait_for_app(page)


def test_mini_map_leaves_with_the_big_picture(page, app_url) -> None:  # type: ignore[no-untyped-def]
    """A big program, then a small one typed in the same tab: the mini-map goes away."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(app_url + "/?lang=en")
    wait_for_app(page)
    modes = page.locator("[data-testid='stButtonGroup'] button")
    modes.filter(has_text=t("explorer.mode.code", "en")).first.click()  # the editor, open
    wait_for_app(page)
    run_typed(page, MLP)
    wait_for_picture(page, expected_digest(captured(MLP), "en"))
    minimap = page.locator(".gv-minimap")
    expect(minimap).to_be_visible()  # the MLP opens on the part around the loss
    run_typed(page, SMALL)
    wait_for_picture(page, expected_digest(captured(SMALL), "en"))
    page.wait_for_timeout(500)  # a late resize of the page may fit the picture again
    screenshot(page, "explorer-small-after-big")
    expect(minimap).to_be_hidden()
    assert "gv-cropped" not in str(page.locator(".gv-root").get_attribute("class"))


def test_the_picture_follows_a_theme_switched_after_it_was_drawn(page, app_url) -> None:  # type: ignore[no-untyped-def]
    # The reader's OS turns dark (or back) while the page is open: the page follows at once,
    # and the picture, drawn by the server, must follow too without anything else being done.
    graph = captured(RETAIN)
    open_link(page, app_url, code=RETAIN, lang="en")
    wait_for_picture(page, expected_digest(graph, "en"))
    assert page.evaluate(BACKGROUND).lower() == "#ffffff"
    for scheme, dark in (("dark", True), ("light", False)):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_function(DRAWN_IN, arg=dark, timeout=20_000)
