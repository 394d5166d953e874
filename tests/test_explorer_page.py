"""The explorer page through AppTest: gallery, both ways in, choices, steps, errors, links."""

from __future__ import annotations

import base64
import html
import re
from urllib.parse import parse_qsl

import pytest
from streamlit.testing.v1 import AppTest

from autodiff_viz.capture.passes import SAVED_TENSORS_MAX_NODES
from autodiff_viz.explorer.data import share_query
from autodiff_viz.explorer.examples import EXAMPLES
from autodiff_viz.i18n import section, t
from autodiff_viz.render import layout
from autodiff_viz.render.dot import known_after
from autodiff_viz.render.styles import STYLES
from autodiff_viz.sandbox import run_program
from autodiff_viz.ui.graph_panel import GRAPH_KEY, TABS
from autodiff_viz.ui.inspector import SELECTED
from tests.support.apptest import graph_data, graph_svg, graph_texts, open_app, run_clean


def code_of(at: AppTest) -> str:
    return str(at.session_state["explorer.code"])


def test_default_is_tutorial_000_as_a_form() -> None:
    at = open_app(lang="en")
    assert at.text_input(key="explorer.function").value == "a*x**2 + b*x + c"
    # The form's output is y: it is differentiated in the same run, no output to pick.
    assert "explorer.pick_output" not in [box.key for box in at.selectbox]
    texts = graph_texts(at)
    assert texts[texts.index("x") + 2] == "grad -2.0"  # x | data 0.0 | grad -2.0: dy/dx at 0
    assert not at.error


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_every_gallery_example_runs_and_draws(key: str) -> None:
    at = open_app(lang="zh")
    at.selectbox(key="explorer.gallery").select(key).run()
    assert not at.exception
    assert code_of(at) == EXAMPLES[key].source
    assert not at.error, [e.value for e in at.error]
    assert graph_svg(at).startswith("<svg")
    assert at.query_params["example"] == key


def test_a_gallery_example_speaks_the_interface_language() -> None:
    at = open_app(lang="en")
    at.selectbox(key="explorer.gallery").select("t0_scalar").run()
    assert code_of(at) == EXAMPLES["t0_scalar"].text("en")
    assert "# import the PyTorch library" in code_of(at)
    assert not re.search(r"[\u4e00-\u9fff]", code_of(at))
    assert t("explorer.gallery.translated", "en", number="000") in at.caption.values
    assert graph_svg(at).startswith("<svg") and not at.error
    # The Chinese interface opens the tutorial's own cell, and says so.
    other = open_app(lang="zh", example="t0_scalar")
    assert code_of(other) == EXAMPLES["t0_scalar"].source
    assert t("explorer.gallery.verbatim", "zh", number="000") in other.caption.values


def test_an_example_link_names_its_example_in_the_gallery_box() -> None:
    at = open_app(example="t1_retain_grad", lang="en")
    assert at.selectbox(key="explorer.gallery").value == "t1_retain_grad"
    assert code_of(at) == EXAMPLES["t1_retain_grad"].text("en")
    # A code link is no example: the box keeps its placeholder.
    plain = open_app(code="import torch\nx = torch.ones(2, requires_grad=True)\n", lang="en")
    assert plain.selectbox(key="explorer.gallery").value is None


def test_switching_to_code_keeps_the_form_and_the_code() -> None:
    at = open_app(lang="en")
    at.text_input(key="explorer.function").set_value("x**3").run()
    at.button_group(key="explorer.mode").set_value("code").run()
    at.text_area(key="explorer.code").set_value(
        "import torch\nz = torch.ones(2, requires_grad=True) * 3\n"
    ).run()
    assert not at.error
    at.button_group(key="explorer.mode").set_value("function").run()
    assert at.text_input(key="explorer.function").value == "x**3"
    at.button_group(key="explorer.mode").set_value("code").run()
    assert "torch.ones(2" in code_of(at)


def test_non_scalar_output_asks_for_the_gradient_vector() -> None:
    at = open_app(
        code="import torch\nx = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x * x\n"
    )
    radio = at.radio(key="explorer.gradient")
    assert radio.value == "ones"
    assert "grad [2.0, 4.0, 6.0]" in graph_texts(at)
    radio.set_value("mean").run()
    assert "grad [0.6667, 1.333, 2.0]" in graph_texts(at)
    at.radio(key="explorer.gradient").set_value("custom").run()
    at.text_input(key="explorer.gradient.custom.y").set_value("[1.0, 0.0, -1.0]").run()
    assert "grad [2.0, 0.0, -6.0]" in graph_texts(at)


def test_one_picture_carries_every_backward_step() -> None:
    """The page sends the engine's real order once; stepping is the browser's (no rerun)."""
    at = open_app(example="t0_scalar")
    data = graph_data(at)
    script = data["script"]
    assert isinstance(script, dict)
    graph = run_program(EXAMPLES["t0_scalar"].source, isolated=False).graphs[-1]
    assert script["total"] == len(graph.backward_order) >= 5
    assert script["current"] == [None, *graph.backward_order]
    for k in range(script["total"] + 1):
        known = {i for i, at_step in script["known_at"].items() if at_step <= k}
        assert known == known_after(graph, k)
    details = data["details"]
    assert isinstance(details, dict)
    x = next(n for n in graph.nodes if n.name == "x")
    assert details[x.id]["title"] == "x" and "-2.0" in details[x.id]["grad"]


def test_a_link_opens_the_view_it_names() -> None:
    at = open_app(example="t0_scalar", view="step", step="2", node="n0")
    assert graph_data(at)["initial"] == {"view": "backward", "step": 2, "node": "n0"}
    assert at.session_state[SELECTED] == "n0"
    at.run()  # read once: afterwards the browser owns the view
    assert graph_data(at)["initial"] is None
    at.toggle(key="explorer.share").set_value(True).run()
    (link,) = at.get("code")
    assert "view=step&step=2&node=n0" in link.proto.code_text


def report_step(at: AppTest, step: int) -> AppTest:
    """What the graph in the browser reports once the user settled on backward step ``step``."""
    at.session_state[GRAPH_KEY] = {"view": {"view": "backward", "step": step}, "selected": None}
    return run_clean(at)


PASTED = (
    "import torch\nw = torch.tensor(3.0, requires_grad=True)\n"
    "loss = (w * w).sum()\nloss.backward()\n"
)


def test_the_address_carries_a_view_only_with_the_program_it_shows() -> None:
    """An address with ``step=3`` but no program would open the default program at step 3."""
    at = open_app(example="t0_scalar", lang="en")
    assert graph_data(at)["address"] is True  # the browser may write the view
    report_step(at, 3)
    assert at.query_params["example"] == "t0_scalar" and at.query_params["step"] == "3"
    at = run_code(open_app(lang="en"), PASTED)  # pasted code: the address names no program
    assert graph_data(at)["address"] is False
    report_step(at, 1)
    assert not {"view", "step", "node"} & set(at.query_params)
    at.toggle(key="explorer.share").set_value(True).run()
    (link,) = at.get("code")  # the share link names the program, so it carries the step
    assert "code=" in link.proto.code_text and "view=step&step=1" in link.proto.code_text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_link_with_a_view_but_no_program_opens_no_view_and_says_so(lang: str) -> None:
    at = open_app(lang=lang, view="step", step="3")
    assert graph_data(at)["initial"] is None  # not the default program at step 3
    assert at.info[0].value == t("explorer.link_view_unnamed", lang)
    assert not {"view", "step", "node"} & set(at.query_params)


def test_bad_program_names_the_line_and_keeps_the_last_graph() -> None:
    at = open_app(example="t0_scalar", lang="en")
    good = graph_svg(at)
    at.text_area(key="explorer.code").set_value("import torch\nx = torch.ones(2)\ny = x +\n").run()
    assert not at.exception
    assert "Line 3" in at.error[0].value
    assert at.warning[0].value == t("explorer.stale.failed", "en")
    assert graph_svg(at) == good
    assert "y = x +" in code_of(at)  # the user's text is kept
    # The lines the message means, numbered as it counts them, line 3 marked.
    assert at.code[0].value == "  1 │ import torch\n  2 │ x = torch.ones(2)\n→ 3 │ y = x +"


def run_code(at: AppTest, code: str) -> AppTest:
    """Switch a fresh page to the code editor and run ``code`` there."""
    at.button_group(key="explorer.mode").set_value("code").run()
    at.text_area(key="explorer.code").set_value(code)
    return run_clean(at)


PRINT_THEN_FAIL = 'import torch\nx = torch.ones(2, requires_grad=True)\nprint("before error", x)\n'


def test_a_failing_program_shows_what_it_printed_and_its_own_graph() -> None:
    """Like Python: the lines printed before the error, and the graph of the backward() that
    ran (never the default program's output or graph, never a "before your edit" banner)."""
    at = run_code(
        open_app(lang="en"), PRINT_THEN_FAIL + "y = (x * x).sum()\ny.backward()\ny.backward()\n"
    )
    assert "Line 6" in at.error[0].value
    assert not at.warning
    printed = [text.value for text in at.text]
    assert "before error tensor([1., 1.], requires_grad=True)" in printed
    assert not any("tensor(-2.)" in text for text in printed)  # the default form program's
    texts = graph_texts(at)
    assert texts[texts.index("x") + 2] == "grad [2.0, 2.0]"  # d(sum x*x)/dx = 2x


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_program_failing_before_backward_keeps_its_output_under_a_labelled_graph(
    lang: str,
) -> None:
    at = open_app(lang=lang)
    at.button_group(key="explorer.mode").set_value("code").run()
    earlier_graph = graph_svg(at)  # the default program's, as code
    at = run_code(at, PRINT_THEN_FAIL + "y = undefined_name\n")
    assert "4" in at.error[0].value
    assert at.warning[0].value == t("explorer.stale.failed", lang)
    assert graph_svg(at) == earlier_graph  # under its label
    printed = [text.value for text in at.text]
    assert "before error tensor([1., 1.], requires_grad=True)" in printed
    assert not any("tensor(-2.)" in text for text in printed)
    open_tab(at, "variables", lang)
    (table,) = [m.value for m in at.markdown if m.value.startswith("| ")]
    assert [row[0] for row in markdown_rows(table)[1:]] == ["x"]  # this program's names


def test_a_form_that_cannot_run_labels_what_stays_below_as_an_earlier_programs() -> None:
    at = open_app(lang="zh")
    at.text_input(key="explorer.function").set_value("").run()  # nothing runs
    assert at.error and at.warning[0].value == t("explorer.stale", "zh")


def test_refused_program_says_why_in_chinese() -> None:
    at = open_app(lang="zh", code="import os\nos.listdir('.')\n")
    assert "第 1 行" in at.error[0].value
    assert "torch" in at.error[0].value


def test_share_link_round_trip() -> None:
    code = (
        "import torch\nx = torch.tensor(3.0, requires_grad=True)\n"
        + "y = x ** 2  # 平方\ny.backward()\n"
    )
    params = dict(parse_qsl(share_query(code=code, lang="zh").removeprefix("?")))
    at = open_app(**params)
    assert code_of(at) == code
    assert "grad 6.0" in graph_texts(at)
    assert not at.get("code")  # no code block until asked: it costs the browser 0.3 s
    at.toggle(key="explorer.share").set_value(True).run()
    (link,) = at.get("code")
    assert "code=" in link.proto.code_text


def test_big_graph_is_bounded_and_can_show_more() -> None:
    # 200 leaves into one stack: no repeated chain to fold, more nodes than drawn at first.
    code = (
        "import torch\nxs = [torch.tensor(float(i), requires_grad=True) for i in range(200)]\n"
        "y = torch.stack(xs).sum()\ny.backward()\n"
    )
    at = open_app(code=code)
    toggle = at.toggle(key="explorer.expand")
    # 200 leaves, their stack and sum: all of them fit once expanded, so it says "all".
    assert re.fullmatch(r"Show all 20\d nodes \(now 150\)", toggle.label), toggle.label
    first = graph_texts(at)
    assert any("150" in text for text in first)  # the note says how much is shown
    toggle.set_value(True).run()
    assert not at.exception
    assert len(graph_texts(at)) > len(first)


def test_without_graphviz_the_browser_draws_and_dot_still_downloads(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PATH", "")  # no `dot` anywhere: the server cannot lay graphs out
    layout.clear_cache()
    try:
        at = open_app(lang="en")
        assert at.caption.values.count(t("graph.no_dot", "en")) == 1
        (chart,) = [c for c in at.get("graphviz_chart") if "autograd" in c.proto.spec]
        assert "grad -2.0" in chart.proto.spec  # dy/dx at 0: the graph, for the browser to draw
        assert t("graph.export_needs_dot", "en") in at.caption.values
        labels = [b.proto.label for b in at.get("download_button")]
        assert labels == [t("graph.download_dot", "en")]
    finally:
        layout.clear_cache()


def test_legend_is_a_picture_laid_out_by_the_server_when_opened() -> None:
    at = open_app(lang="zh")
    assert not at.get("image")  # drawn only once the legend is opened
    at.session_state["explorer.legend"] = True
    run_clean(at)
    (image,) = at.get("image")
    url = image.proto.imgs[0].url
    assert url.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(url.split(",", 1)[1]).decode()
    words = section("draw", "zh")
    roles = list(STYLES["light"])
    assert [role for role in roles if f">{html.escape(words[role])}</text>" not in svg] == []
    assert not [c for c in at.get("graphviz_chart")]  # no Graphviz in the browser


def open_tab(at: AppTest, name: str, lang: str = "en") -> AppTest:
    """Switch the tabs beside the graph to ``name`` (output, variables, inspector)."""
    at.session_state[TABS] = t(f"explorer.tab.{name}", lang)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def markdown_rows(markdown: str) -> list[list[str]]:
    """The cells of a Markdown table written by ``markdown_table`` (escapes removed)."""
    lines = markdown.split("\n")
    cells = [re.split(r"(?<!\\)\|", line)[1:-1] for line in lines[:1] + lines[2:]]
    return [[re.sub(r"\\(.)", r"\1", cell.strip()) for cell in row] for row in cells]


def test_variables_table_shows_what_pytorch_has() -> None:
    at = open_tab(open_app(example="t1_retain_grad", lang="en"), "variables")
    (table,) = [m.value for m in at.markdown if m.value.startswith("| ")]
    header, *body = markdown_rows(table)
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    grad = t("explorer.col.grad", "en")
    assert rows["x"]["is_leaf"] == rows["x"]["requires_grad"] == "True"
    assert rows["x"]["grad_fn"] == ""
    assert rows["x"][grad] == "[0.0, 896.0, 1792.0, 2688.0]"  # 224 * 4x, as PyTorch prints
    assert rows["y"]["grad_fn"] == "MulBackward0" and rows["y"]["is_leaf"] == "False"
    assert rows["y"][grad] == "224.0"  # y.retain_grad() kept it
    assert rows["z"][grad] == "112.0"


def test_only_the_open_tab_beside_the_graph_is_drawn() -> None:
    at = open_app(example="t1_retain_grad", lang="en")
    picker_label = t("explorer.inspector.pick", "en")
    assert picker_label not in [box.label for box in at.selectbox]
    assert not [m for m in at.markdown if m.value.startswith("| ")]
    # A node clicked while the inspector is closed is the one it opens on.
    at.session_state[SELECTED] = "n0"
    open_tab(at, "inspector")
    assert at.selectbox(key="explorer.inspector.pick").value == "n0"
    open_tab(at, "output")
    assert picker_label not in [box.label for box in at.selectbox]


def test_module_calls_fold_on_request() -> None:
    at = open_app(example="linear_mse", lang="en")
    fold = at.toggle(key="explorer.fold.small")  # small graphs start unfolded: TBackward0 shows
    assert fold.value is False
    assert "AddmmBackward0" in graph_svg(at) and 'class="node fold' not in graph_svg(at)
    fold.set_value(True).run()
    svg = graph_svg(at)
    assert ">layer: Linear<" in svg and ">loss_fn: MSELoss<" in svg and ">t · addmm<" in svg
    assert svg.count('class="node fold module') == 2  # the Linear and the loss, one box each


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_graph_past_the_saved_tensor_limit_says_so(lang: str) -> None:
    code = (
        "import torch\nx = torch.tensor(1.0, requires_grad=True)\ny = x\n"
        f"for _ in range({SAVED_TENSORS_MAX_NODES}):\n    y = y * 1.0001\ny.backward()\n"
    )
    at = open_app(code=code, lang=lang)
    said = t("graph.note.saved_skipped", lang, count=SAVED_TENSORS_MAX_NODES)
    assert said in [text.value for text in at.text]
