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
from tests.support.browser import ROOT, screenshot, wait_for_app

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not has_dot(), reason="needs graphviz's dot"),
]
NODES = ".gv-stage svg g.node"
VIEWPORT = ".gv-viewport"
SLIDER = "[data-testid='stSlider'] input[type=range]"
RETAIN = EXAMPLES["t1_retain_grad"].source
SUFFIX = re.compile(r"_(op|o\d+|u\d+|fold)$")  # SVG ids of a node's parts, as graph_view reads them


@cache
def captured(source: str) -> Graph:
    """The program's last backward pass, captured by real PyTorch in this process."""
    return run_program(source, isolated=False).graphs[-1]


def expected_digest(graph: Graph, lang: str, focus: str | None = None, **view: object) -> str:
    """The digest of the DOT the explorer draws (light theme)."""
    words = section("draw", lang)
    return digest(
        to_dot(graph, DrawOptions(theme="light", focus=focus, rankdir="TB", words=words, **view))
    )


def open_link(page, app_url: str, **query: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(app_url + "/" + share_query(**query))  # type: ignore[arg-type]
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


def tagged(page, name: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {node_id for node_id, cls in classes(page).items() if name in cls}


def step_value(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator(SLIDER).get_attribute("aria-valuetext") or "-1")


def button(page, label: str):  # type: ignore[no-untyped-def]
    """The st.button whose label (after its icon's ligature) is ``label``."""
    return page.locator("[data-testid='stButton'] button").filter(
        has_text=re.compile(rf"{re.escape(label)}$")
    )


def backward_view(page, lang: str) -> None:  # type: ignore[no-untyped-def]
    views = page.locator("[data-testid='stButtonGroup']")
    views.get_by_text(t("explorer.view.backward", lang), exact=True).click()
    wait_for_app(page)
    page.locator(SLIDER).wait_for()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_code_link_draws_names_values_and_grads(page, app_url, lang) -> None:  # type: ignore[no-untyped-def]
    open_link(page, app_url, code=RETAIN, lang=lang)
    wait_for_picture(page, expected_digest(captured(RETAIN), lang, view="full"))
    texts = svg_texts(page)
    drawn = [("z", "56.0", "112.0"), ("y", "28.0", "224.0"), ("h", "3136.0", "1.0")]
    for name, value, grad in drawn:
        i = texts.index(name)
        assert texts[i + 1 : i + 3] == [f"data {value}", f"grad {grad}"]
    assert "grad [0.0, 896.0, 1792.0, 2688.0]" in texts  # x.grad = 224 * 4x
    assert page.locator("[data-testid='stException']").count() == 0
    expect(page.locator("textarea")).to_have_value(RETAIN)  # waits: the box may fill after
    screenshot(page, f"explorer-link-{lang}")


def test_every_backward_step_is_its_own_correct_picture(page, app_url) -> None:  # type: ignore[no-untyped-def]
    graph = captured(RETAIN)
    total = len(graph.backward_order)
    open_link(page, app_url, code=RETAIN, lang="en")
    backward_view(page, "en")
    wait_for_picture(page, expected_digest(graph, "en", view="backward", step=0))
    assert tagged(page, "known") == set()
    seen = {shown_digest(page)}
    slider = page.locator(SLIDER)
    for k in range(1, total + 1):
        slider.focus()
        page.keyboard.press("ArrowRight")
        wait_for_picture(page, expected_digest(graph, "en", view="backward", step=k))
        wait_for_app(page)
        assert step_value(page) == k
        seen.add(shown_digest(page))
        # The node the engine ran at step k is highlighted; exactly the known grads are shown.
        assert tagged(page, "current") == {graph.backward_order[k - 1]}
        assert tagged(page, "known") == known_after(graph, k) & classes(page).keys()
        assert f"{k} of {total}" in page.get_by_text(re.compile(r"^Step \d+ of")).inner_text()
        screenshot(page, f"explorer-step-{k}")
    assert len(seen) == total + 1
    # Going back shows the earlier picture again.
    slider.focus()
    page.keyboard.press("Home")
    wait_for_picture(page, expected_digest(graph, "en", view="backward", step=0))


def test_play_runs_to_the_end_and_pause_stops(page, app_url) -> None:  # type: ignore[no-untyped-def]
    graph = captured(RETAIN)
    total = len(graph.backward_order)
    open_link(page, app_url, code=RETAIN, lang="en")
    backward_view(page, "en")
    button(page, "Play").click()
    steps = set()
    pause = button(page, "Pause")
    pause.wait_for()
    while pause.count():  # until play stops by itself
        steps.add(step_value(page))
        page.wait_for_timeout(200)
        assert len(steps) <= total + 1
    wait_for_app(page)
    assert step_value(page) == total
    assert steps >= set(range(2, total))  # every step was on screen on the way
    wait_for_picture(page, expected_digest(graph, "en", view="backward", step=total))
    # Play again from the end starts over; pause holds the step.
    button(page, "Play").click()
    page.wait_for_function("sel => document.querySelector(sel).value === '2'", arg=SLIDER)
    button(page, "Pause").click()
    wait_for_app(page)
    held = step_value(page)
    assert held < total
    page.wait_for_timeout(3000)  # more than two ticks of play
    assert step_value(page) == held
    assert button(page, "Play").count() == 1


def test_clicking_a_node_opens_it_in_the_inspector(page, app_url) -> None:  # type: ignore[no-untyped-def]
    graph = captured(RETAIN)
    open_link(page, app_url, code=RETAIN, lang="en")
    page.get_by_role("tab", name=t("explorer.tab.inspector", "en")).click()
    z = next(node for node in graph.nodes if node.name == "z")
    page.locator(f"{NODES}#{z.id}").click()
    wait_for_app(page)
    picker = page.get_by_role("combobox", name=t("explorer.inspector.pick", "en"))
    expect(picker).to_have_value(re.compile(rf"^{z.id} · z"))
    shown = "\n".join(page.locator("[data-testid='stText']").all_inner_texts())
    assert "56.0" in shown and "112.0" in shown  # z's value and grad, in full
    assert "focus" in classes(page)[z.id]  # outlined by the same click, not the next one
    # An op node selects the tensor it made.
    y = next(node for node in graph.nodes if node.name == "y")
    page.locator(f"{NODES}#{y.id}_op").click()
    wait_for_app(page)
    expect(picker).to_have_value(re.compile(rf"^{y.id} · y"))
    outlined = classes(page)
    assert "focus" in outlined[y.id] and "focus" not in outlined[z.id]
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
    page.get_by_text(t("explorer.share", lang)).click()
    code = page.locator("[data-testid='stCode']").filter(has_text="lang=")
    code.wait_for()
    return code.inner_text().strip()


def test_share_link_of_an_example_names_it(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_link(page, app_url, code=RETAIN, lang="zh")  # a code link of an unedited example
    address, query = share_link(page, "zh").split("?")
    assert address.rstrip("/") == app_url  # the address the browser shows
    assert query == "example=t1_retain_grad&lang=zh"


def test_readme_screenshot(page, app_url, request) -> None:  # type: ignore[no-untyped-def]
    """The README's picture: ``pytest --update-screenshot`` refreshes docs/screenshot.png."""
    graph = captured(RETAIN)
    page.set_viewport_size({"width": 1440, "height": 900})
    open_link(page, app_url, example="t1_retain_grad", lang="en")
    backward_view(page, "en")
    page.locator(SLIDER).focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_for_picture(page, expected_digest(graph, "en", view="backward", step=3))
    wait_for_app(page)
    shot = screenshot(page, "explorer-readme")
    if request.config.getoption("--update-screenshot"):
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copy(shot, ROOT / "docs" / "screenshot.png")


def test_export_buttons_download_the_picture_on_screen(page, app_url) -> None:  # type: ignore[no-untyped-def]
    open_link(page, app_url, code=RETAIN, lang="en")
    wait_for_picture(page, expected_digest(captured(RETAIN), "en", view="full"))
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
