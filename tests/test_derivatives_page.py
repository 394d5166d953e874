"""The derivatives page through AppTest with the real worker pool: what it plots, says and keeps."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import parse_qsl

import pytest
import torch
from streamlit.testing.v1 import AppTest

from autodiff_viz.derivatives.data import DEFAULT_PRESET, PRESETS, tangent_program
from autodiff_viz.i18n import t
from autodiff_viz.ui.derivatives_controls import (
    CHECK,
    EXPR,
    HI,
    LO,
    POINTS,
    PRESET,
    SECOND,
    X0,
    DerivativeOptions,
    as_pytorch,
)
from tests.support.apptest import open_page as open_page_at
from tests.support.apptest import plotly_figure, shown

PAGE = "pages/derivatives.py"


def open_page(lang: str = "en") -> AppTest:
    return open_page_at(PAGE, lang)


def row_trace(at: AppTest, axis: str) -> tuple[torch.Tensor, torch.Tensor]:
    """x and y of the line drawn on y axis ``axis`` ("y" for f, "y2" for f′, "y3" for f″)."""
    trace = next(
        d for d in plotly_figure(at)["data"] if d["yaxis"] == axis and d.get("mode") == "lines"
    )
    y = torch.tensor([math.nan if v is None else v for v in trace["y"]], dtype=torch.float64)
    x = trace["x0"] + trace["dx"] * torch.arange(len(y), dtype=torch.float64)
    return x, y


def hand(expr: str, x: torch.Tensor) -> torch.Tensor:
    """A preset's hand-derived derivative, evaluated by plain PyTorch."""
    return eval(expr, {"torch": torch}, {"x": x}).to(torch.float64)


def set_text(at: AppTest, key: str, value: str) -> AppTest:
    at.text_input(key=key).set_value(value).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_default_is_sin_on_0_2pi_and_the_plotted_derivative_is_cos() -> None:
    at = open_page()
    assert at.selectbox(key=PRESET).value == DEFAULT_PRESET
    assert at.text_input(key=EXPR).value == "torch.sin(x)"
    x, f = row_trace(at, "y")
    _, df = row_trace(at, "y2")
    assert (x[0].item(), x[-1].item()) == pytest.approx((0.0, 2 * math.pi))
    assert torch.allclose(f, torch.sin(x), rtol=0, atol=1e-6)
    assert torch.allclose(df, torch.cos(x), rtol=0, atol=1e-6)
    assert not at.error and not at.warning
    check = next(c.value for c in at.caption if "Finite-difference" in c.value)
    assert float(check.rstrip(".").split()[-1]) < 1e-8
    metrics = {m.label: float(m.value) for m in at.metric}
    assert metrics["f′(x₀)"] == pytest.approx(math.cos(1.0), abs=1e-6)


@pytest.mark.parametrize("key", ["cubic", "relu", "gaussian"])
def test_a_preset_loads_its_function_and_range(key: str) -> None:
    preset = PRESETS[key]
    at = open_page()
    at.selectbox(key=PRESET).select(key).run()
    assert not at.exception
    assert at.text_input(key=EXPR).value == preset.expr
    assert (at.number_input(key=LO).value, at.number_input(key=HI).value) == (preset.lo, preset.hi)
    x, df = row_trace(at, "y2")
    smooth = ~torch.isnan(df)  # the figure breaks f′'s line at a kink
    assert torch.allclose(df[smooth], hand(preset.derivative, x)[smooth], rtol=1e-6, atol=1e-6)
    if key == "relu":
        assert "x = 0" in at.info[0].value  # the kink is named
        assert int(smooth.sum()) == len(df) - 1
    else:
        assert not at.info and smooth.all()


def test_typed_function_with_second_derivative_and_the_page_keeps_it() -> None:
    at = set_text(open_page(), EXPR, "x**3 - 2*x")
    at.toggle(key=SECOND).set_value(True).run()
    x, df = row_trace(at, "y2")
    _, d2f = row_trace(at, "y3")
    # The figure keeps 7 significant digits.
    assert torch.allclose(df, 3 * x**2 - 2, rtol=1e-6, atol=1e-6)
    assert torch.allclose(d2f, 6 * x, rtol=1e-6, atol=1e-6)
    assert {m.label for m in at.metric} == {"f(x₀)", "f′(x₀)", "f″(x₀)"}
    # Widgets that are not drawn lose their values: the page must bring them back.
    at.switch_page("pages/explorer.py").run()
    at.switch_page(PAGE).run()
    assert at.text_input(key=EXPR).value == "x**3 - 2*x"
    assert at.toggle(key=SECOND).value is True
    assert (
        len([d for d in plotly_figure(at)["data"] if d.get("mode") == "lines"]) == 4
    )  # 3 + tangent


@pytest.mark.parametrize(
    ("expr", "lang", "cause"),
    [
        ("torch.sin(y)", "en", "y"),
        ("x +", "en", "Line 1"),
        ("x.sum()", "en", "elementwise"),
        ("torch.sin(y)", "zh", "y"),
        ("x.sum()", "zh", "逐元素"),
        ("sin(x**2)", "en", "Did you mean: 'torch.sin'?"),  # as Python 3.11 suggests a name
        ("sin(x**2)", "zh", "torch.sin"),
    ],
)
def test_a_bad_function_gives_a_clean_error_naming_the_cause(
    expr: str, lang: str, cause: str
) -> None:
    at = set_text(open_page(lang), EXPR, expr)
    (error,) = [shown(e.value) for e in at.error]
    assert error.startswith(t("derivatives.error", lang, error=""))
    assert cause in error
    assert "Traceback" not in error
    assert at.text_input(key=EXPR).value == expr  # kept for the student to fix
    # The last good curves stay under the error: the default, sin, and its derivative cos.
    x, dy = row_trace(at, "y2")
    assert torch.allclose(dy, torch.cos(x), atol=1e-6)
    stale = t("derivatives.stale", lang, expr=r"torch\.sin\(x\)")  # f shown literally
    assert stale in [c.value for c in at.caption]


def test_after_an_error_the_last_good_typed_curve_stays_and_a_fix_replaces_it() -> None:
    at = set_text(open_page(), EXPR, "x**3")
    set_text(at, EXPR, "x**3 +")
    assert "Line 1" in at.error[0].value
    x, dy = row_trace(at, "y2")
    assert torch.allclose(dy, 3 * x**2, atol=1e-6)
    assert r"Still showing the last f that worked: x\*\*3" in [c.value for c in at.caption]
    set_text(at, EXPR, "x**3 + x")
    x, dy = row_trace(at, "y2")
    assert torch.allclose(dy, 3 * x**2 + 1, atol=1e-6) and not at.error


def test_the_preset_box_says_custom_once_f_is_typed_over() -> None:
    at = open_page()
    assert at.selectbox(key=PRESET).value == DEFAULT_PRESET
    set_text(at, EXPR, "x**3")
    assert at.selectbox(key=PRESET).value == "custom"
    assert at.selectbox(key=PRESET).format_func("custom") == "custom f(x)"
    at.selectbox(key=PRESET).set_value(DEFAULT_PRESET).run()
    assert at.text_input(key=EXPR).value == PRESETS[DEFAULT_PRESET].expr
    set_text(at, EXPR, PRESETS[DEFAULT_PRESET].expr + " ")  # the same f, one space more
    assert at.selectbox(key=PRESET).value == DEFAULT_PRESET


def test_nan_and_inf_are_named_and_a_bad_range_is_explained_in_chinese() -> None:
    at = set_text(open_page("zh"), EXPR, "torch.log(x)")
    at.number_input(key=LO).set_value(-1.0).run()
    (warning,) = at.warning
    assert "nan" in warning.value and "个网格点" in warning.value
    _, f = row_trace(at, "y")
    assert torch.isnan(f[:5]).all() and not torch.isnan(f[-5:]).any()  # gaps, not a crash
    at.number_input(key=LO).set_value(10.0).run()  # lo > hi
    # The range named the way the page's own boxes name it, with both ends.
    error = shown(at.error[0].value)
    assert error == "无法画出 f：x 起点必须小于 x 终点，当前为 [10, 6.28319]"


def test_chinese_labels_and_the_check_toggle() -> None:
    at = open_page("zh")
    names = {d.get("name") for d in plotly_figure(at)["data"]}
    assert "f′(x)（自动微分）" in names
    assert any(name and name.startswith("有限差分") for name in names)
    assert "教程 004" in at.selectbox(key=PRESET).format_func(DEFAULT_PRESET)
    at.toggle(key=CHECK).set_value(False).run()
    assert not any(d.get("name", "").startswith("有限差分") for d in plotly_figure(at)["data"])


def test_graph_link_opens_the_explorer_with_f_at_x0() -> None:
    at = open_page("zh")
    at.select_slider(key=POINTS).set_value(51)
    at.number_input(key=X0).set_value(0.5).run()
    (link,) = at.get("page_link")
    assert link.proto.page == "explorer"
    query = dict(parse_qsl(link.proto.query_string))
    assert query == {"code": tangent_program("torch.sin(x)", 0.5), "lang": "zh"}
    assert at.metric[1].value == f"{math.cos(0.5):.6g}"  # the tangent is at the new x₀
    # x₀ follows a range that no longer holds it.
    at.number_input(key=LO).set_value(2.0).run()
    assert at.number_input(key=X0).value == 2.0
    assert not at.error


def test_the_pytorch_snippet_runs_and_gives_the_plotted_derivative() -> None:
    options = DerivativeOptions("x**3 - 2*x", -2.0, 2.0, 5, 1.0, second=True, check=True)
    scope: dict[str, Any] = {}
    exec(as_pytorch(options), scope)  # the text the page shows must be a working program
    x = torch.linspace(-2.0, 2.0, 5, dtype=torch.float64)
    assert torch.allclose(scope["dy"], 3 * x**2 - 2)
    assert torch.allclose(scope["d2y"], 6 * x)
