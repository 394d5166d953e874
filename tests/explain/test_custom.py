"""A user ``autograd.Function``: its own ``backward``'s code is the rule, its return the term.

The Functions a course writes (exp that saves its result, ReLU that saves its input,
square), one whose backward is wrong on purpose, and a hostile one (markup, 200 lines):
run by real PyTorch through the sandbox as the explorer runs them, explained, and shown
on the page in English and Chinese.
"""

from __future__ import annotations

import pytest

from autodiff_viz.capture.sources import BACKWARD_LINES
from autodiff_viz.chain import explain
from autodiff_viz.chain.text import node_lines, step_lines
from autodiff_viz.graph import Graph
from autodiff_viz.i18n import t
from autodiff_viz.sandbox import run_program
from autodiff_viz.ui.graph_panel import TABS
from autodiff_viz.ui.inspector import SELECTED
from tests.capture.programs import run
from tests.support.apptest import open_app

COURSE = """\
class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * y


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[x < 0] = 0
        return grad_input


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
loss = (MyExp.apply(x) + MyReLU.apply(x) * 3 + Square.apply(x)).sum()
loss.backward()
"""

WRONG = """\
class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g  # wrong on purpose: d(x³)/dx is 3x²


x = torch.tensor(2.0, requires_grad=True)
y = Cube.apply(x)
y.backward()
"""


def _graph(source: str) -> Graph:
    result = run_program(source, isolated=False)
    assert result.error is None, result.error
    (graph,) = result.graphs
    return graph


def test_course_functions_show_their_backward_and_agree_with_pytorch() -> None:
    graph = _graph(COURSE)
    x = graph.named("x")
    why = explain(graph, x.id)
    assert why.agrees
    custom = {term.op: term for term in why.terms}
    assert set(custom) == {"MyExpBackward", "MyReLUBackward", "SquareBackward"}
    square = custom["SquareBackward"]
    assert square.rule.splitlines() == [
        "@staticmethod",
        "def backward(ctx, g):",
        "    (x,) = ctx.saved_tensors",
        "    return 2 * x * g",
    ]
    assert square.code_line == 34 and square.local is None and square.status == "custom"
    assert square.value == [-2.0, 1.0, 4.0]  # what the backward returned: 2·x·1
    relu = custom["MyReLUBackward"]
    assert "grad_input[x < 0] = 0" in relu.rule and relu.value == [0.0, 3.0, 3.0]
    # Every node with a gradient is explained (the custom ones by their own code).
    for node in graph.nodes:
        if node.grad is not None and node.kind != "cut":
            assert explain(graph, node.id).agrees, node


def test_a_wrong_backward_is_shown_as_written_with_what_pytorch_used() -> None:
    graph = _graph(WRONG)
    x = graph.named("x")
    why = explain(graph, x.id)
    (term,) = why.terms
    # PyTorch used the wrong 2·x (4.0), not 3x² (12.0): the term is what it used.
    assert term.value == 4.0 and why.pytorch == 4.0 and why.agrees
    assert "wrong on purpose" in term.rule
    for lang in ("en", "zh"):
        lines = node_lines(graph, x.id, lang)
        text = "\n".join(lines.lines)
        assert "│     return 2 * x * g  # wrong on purpose" in text
        assert t("explain.custom_trusted", lang) in text
        assert "x.grad += 4.0  " + t("explain.custom_returned", lang) in text
        assert lines.verdict == "custom"
    cube = next(n for n in graph.nodes if n.op == "CubeBackward")
    assert "def backward(ctx, g):" in "\n".join(step_lines(graph, cube.id, "en").lines)


def test_a_function_run_outside_the_sandbox_shows_its_code_too() -> None:
    rec, _ = run(COURSE)
    (graph,) = rec.graphs
    why = explain(graph, graph.named("x").id)
    assert why.agrees
    square = next(term for term in why.terms if term.op == "SquareBackward")
    assert square.rule.endswith("return 2 * x * g") and "def backward" in square.rule


def _hostile(lines: int) -> str:
    markup = "<b>**{k}**</b> [x](javascript:alert(1))"
    body = "".join(f"        g = g * 1  # {markup.format(k=k)}\n" for k in range(lines))
    return (
        "class Odd(torch.autograd.Function):\n"
        "    @staticmethod\n"
        "    def forward(ctx, x):\n"
        "        return x * 2\n"
        "    @staticmethod\n"
        "    def backward(ctx, g):\n"
        "        '<script>alert(1)</script>'\n" + body + "        return g * 2\n"
        "x = torch.tensor(1.0, requires_grad=True)\n"
        "Odd.apply(x).backward()\n"
    )


def test_a_hostile_backward_stays_text_and_is_bounded() -> None:
    graph = _graph(_hostile(200))
    (term,) = explain(graph, graph.named("x").id).terms
    code = term.rule.splitlines()
    assert len(code) == BACKWARD_LINES + 1 and code[-1] == "…"
    assert code[2] == "    '<script>alert(1)</script>'"
    assert term.value == 2.0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_inspector_shows_the_users_backward_as_text(lang: str) -> None:
    source = _hostile(3)
    at = open_app(code=source, lang=lang)
    at.session_state[SELECTED] = _graph(source).named("x").id  # ids are the same in every run
    at.session_state[TABS] = t("explorer.tab.inspector", lang)
    at.run()
    assert not at.exception
    shown = "\n".join(str(e.value) for e in at.text)
    assert "│     '<script>alert(1)</script>'" in shown
    assert "│     return g * 2" in shown
    assert t("explain.custom_code", lang, name="Odd", line=5) in shown
    assert t("explain.custom_trusted", lang) in shown
    assert not at.success  # not a plain "agrees": part of the sum is the user's own code
    assert [i.value for i in at.info] == [t("explain.verdict.custom", lang)]
    # Markup of the program reaches no element that interprets it.
    for element in (*at.markdown, *at.caption, *at.info, *at.warning):
        assert "<script>" not in str(element.value) and "javascript:" not in str(element.value)


def test_ops_after_a_custom_function_are_explained_with_its_output_value() -> None:
    # w's gradient needs the value MyExp returned (mul's rule: ∂(a·b)/∂b = a): capture keeps
    # a custom Function's output at its first use, since no op of its own recorded it.
    source = COURSE.replace(
        "loss = (MyExp.apply(x) + MyReLU.apply(x) * 3 + Square.apply(x)).sum()",
        "w = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)\n"
        "loss = (MyExp.apply(x) * w + MyReLU.apply(x * w) * w + Square.apply(x)).sum()",
    )
    graph = _graph(source)
    exp = next(n for n in graph.nodes if n.op == "MyExpBackward")
    assert exp.value is not None and exp.value.data == pytest.approx(
        [0.36788, 1.64872, 7.38906], 1e-4
    )
    for node in graph.nodes:
        if node.grad is not None and node.kind != "cut":
            assert explain(graph, node.id).agrees, node
    assert explain(graph, graph.named("w").id).total == pytest.approx(
        [0.36788, 1.64872, 15.38906], 1e-4
    )
