"""The explorer shows why a gradient has its value: step rules and the inspector's terms."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from autodiff_viz.i18n import t
from autodiff_viz.ui.graph_panel import TABS
from autodiff_viz.ui.inspector import SELECTED
from tests.support.apptest import open_app


def texts(at: AppTest) -> str:
    return "\n".join(str(x.value) for x in at.text)


def test_each_backward_step_shows_its_rule_with_the_numbers() -> None:
    # A link that opens step K of the backward pass (as a teacher shares it).
    shown = []
    for step in (1, 2, 3):
        at = open_app(example="why_4x", lang="en", view="step", step=str(step))
        assert not at.exception
        shown.append(texts(at))
    # Step 1: y = dot * 2 sends 1.0 × 2.0 back to the dot product.
    assert "∂(a·b)/∂a = b" in shown[0] and "+= 1.0 × 2.0 = 2.0" in shown[0]
    # Step 2: the dot product sends 2·x back to each of its inputs, both of them x.
    assert shown[1].count("x.grad += 2.0 × [0.0, 1.0, 2.0, 3.0] = [0.0, 2.0, 4.0, 6.0]") == 2
    # Step 3: x's AccumulateGrad adds the two terms.
    assert (
        "x.grad = [0.0, 2.0, 4.0, 6.0] + [0.0, 2.0, 4.0, 6.0] = [0.0, 4.0, 8.0, 12.0]" in shown[2]
    )
    assert not at.warning


def test_inspector_shows_the_terms_and_that_they_equal_pytorch() -> None:
    at = open_app(example="why_4x", lang="zh")
    at.session_state[SELECTED] = "n0"  # x: the first node of the walk
    at.session_state[TABS] = t("explorer.tab.inspector", "zh")
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "x.grad = [0.0, 2.0, 4.0, 6.0] + [0.0, 2.0, 4.0, 6.0] = [0.0, 4.0, 8.0, 12.0]" in shown
    assert t("explain.note.accumulate", "zh") in shown
    assert [s.value for s in at.success] == [t("explain.verdict.agrees", "zh")]


def test_a_detached_input_says_no_gradient_flows() -> None:
    at = open_app(example="t1_detach", lang="en")
    at.session_state[SELECTED] = "n0"  # u = y.detach(), the first input met by the walk
    at.session_state[TABS] = t("explorer.tab.inspector", "en")
    at.run()
    assert at.selectbox(key="explorer.inspector.pick").value == "n0"
    assert t("explain.cut.detached", "en") in texts(at)
    at.session_state[SELECTED] = "n1"  # x: z = u * x, so x.grad = u
    at.session_state["explorer.inspector.pick"] = "n1"
    at.run()
    assert "x.grad += [1.0, 1.0, 1.0, 1.0] × [0.0, 1.0, 4.0, 9.0] = [0.0, 1.0, 4.0, 9.0]" in texts(
        at
    )
