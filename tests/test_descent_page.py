"""The descent page through AppTest with the real worker pool: three scenes, errors, languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
import torch
from streamlit.testing.v1 import AppTest

from autodiff_viz.descent.data import PRESETS_2D
from autodiff_viz.descent.plots import DEFAULT_LABELS
from autodiff_viz.i18n import section, t
from autodiff_viz.ui.descent_controls import DEFAULTS
from tests.support.apptest import open_page as open_page_at
from tests.support.apptest import plotly_figure, run_clean, shown

PAGE = "pages/descent.py"


def open_page(lang: str = "en") -> AppTest:
    return open_page_at(PAGE, lang)


def moving(fig: dict[str, Any], frame: int = -1) -> list[dict[str, Any]]:
    """The moving traces of one frame (the point and its arrow come first)."""
    data: list[dict[str, Any]] = fig["frames"][frame]["data"]
    return data


def tutorial_000_loop() -> tuple[float, float]:
    """Tutorial 000's loop, verbatim: the final x and f(x) it prints."""
    a, b, c = torch.tensor(1.0), torch.tensor(-2.0), torch.tensor(1.0)
    x = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.SGD(params=[x], lr=0.01)
    for _ in range(500):
        optimizer.zero_grad()
        y = a * torch.pow(x, 2) + b * x + c
        y.backward()
        optimizer.step()
    return x.item(), (a * torch.pow(x, 2) + b * x + c).item()


def test_default_is_tutorial_000_and_ends_where_pytorch_does() -> None:
    at = open_page()
    assert at.text_input(key="descent.1d.expr").value == "a*x**2 + b*x + c"
    assert at.selectbox(key="descent.1d.optimizer").value == "SGD"
    assert [at.number_input(key=f"descent.1d.{k}").value for k in "abc"] == [1.0, -2.0, 1.0]
    assert at.number_input(key="descent.1d.lr").value == 0.01
    assert at.number_input(key="descent.1d.steps").value == 500
    x, y = tutorial_000_loop()
    fig = plotly_figure(at)
    assert fig["frames"][-1]["name"] == "500"
    point = moving(fig)[0]
    assert point["x"][0] == pytest.approx(x, rel=1e-6) and point["y"][0] == pytest.approx(y)
    assert moving(fig, 0)[0]["x"][0] == 0.0  # it opens on the start, x0 = 0
    # The tutorial's own print, digit for digit.
    assert at.code[0].value == f"minimum y = {y} ; x = {x}"
    assert abs(x - 0.99996) < 1e-5 and y == 0.0
    assert not at.error and not at.warning


def test_divergence_says_where_and_the_animation_stops_there() -> None:
    at = open_page()
    at.text_input(key="descent.1d.expr").set_value("x**2")
    at.number_input(key="descent.1d.x0").set_value(1.0)
    at.number_input(key="descent.1d.lr").set_value(1.5)
    fig = plotly_figure(run_clean(at))
    assert fig["frames"][-1]["name"] == "19"  # 1, -2, 4, ...: |x| passes 10⁶ at step 20
    (warning,) = at.warning
    assert warning.value == "|x| passed 10⁶ at step 20: the run diverged"
    assert any("step 20" in note["text"] for note in fig["layout"]["annotations"])
    assert not at.error


def test_a_bad_function_is_a_clean_error_and_the_text_survives_a_page_switch() -> None:
    at = open_page()
    at.text_input(key="descent.1d.expr").set_value("q*x + a")
    run_clean(at)
    (error,) = [shown(e.value) for e in at.error]  # the line and Python's own words
    assert error == (
        "Line 1: NameError: name 'q' is not defined — check the spelling, "
        "or assign it on an earlier line"
    )
    assert not at.get("plotly_chart")
    at.switch_page("pages/explorer.py")
    run_clean(at)
    at.switch_page(PAGE)
    run_clean(at)
    assert at.text_input(key="descent.1d.expr").value == "q*x + a"
    assert at.error
    at.text_input(key="descent.1d.expr").set_value("torch.sum(x**2)")
    assert "elementwise" in run_clean(at).error[0].value
    at.button[0].click()  # back to the tutorial's values
    run_clean(at)
    assert at.text_input(key="descent.1d.expr").value == DEFAULTS["descent.1d.expr"]
    assert not at.error


# Rosenbrock (4 x 500 sandboxed steps) is covered by test_descent.py: through the pool it needs
# most of the 10 s job budget on a loaded machine, which would make this test flaky.
@pytest.mark.parametrize("surface", ["bowl", "saddle"])
def test_2d_presets_race_four_optimisers(surface: str) -> None:
    at = open_page()
    at.button_group(key="descent.scene").set_value("2d")
    run_clean(at)
    at.selectbox(key="descent.2d.surface").set_value(surface)
    fig = plotly_figure(run_clean(at))
    racers = fig["frames"][0]["traces"]
    assert len(racers) == 4
    names = [fig["data"][i]["name"] for i in racers]
    assert names[0].startswith("SGD (lr ") and names[3].startswith("Adam (lr ")
    assert fig["frames"][-1]["name"] == str(PRESETS_2D[surface].steps)
    table = at.dataframe[0].value  # the final states, as the last frame draws them
    assert [float(v) for v in table["x"]] == pytest.approx(
        [m["x"][0] for m in moving(fig)], rel=1e-3
    )
    assert [float(v) for v in table["y"]] == pytest.approx(
        [m["y"][0] for m in moving(fig)], rel=1e-3
    )
    # Four significant digits at most: a tiny value is 7e-34, never 0.000…0007.
    assert all(len(v.split("e")[0].lstrip("-").replace(".", "")) <= 4 for v in table["f(x, y)"])
    assert not at.error and not at.warning
    # The 3D view: the same race as a rotatable surface with each path on it.
    at.toggle(key="descent.2d.view3d").set_value(True)
    surface = plotly_figure(run_clean(at))
    assert [trace["type"] for trace in surface["data"]][:2] == ["surface", "scatter3d"]
    ends = [trace["x"][-1] for trace in surface["data"][1:5]]
    assert ends == pytest.approx([m["x"][0] for m in moving(fig)], rel=1e-5)


def test_2d_custom_surface_and_racers() -> None:
    at = open_page()
    at.button_group(key="descent.scene").set_value("2d")
    run_clean(at)
    at.selectbox(key="descent.2d.surface").set_value("custom")
    run_clean(at)
    at.button_group(key="descent.2d.racers").set_value(["Adam", "SGD"])
    at.text_input(key="descent.2d.expr").set_value("(x - 1)**2 + (y + 2)**2")
    fig = plotly_figure(run_clean(at))
    racers = [fig["data"][i]["name"] for i in fig["frames"][0]["traces"]]
    assert [name.split(" ")[0] for name in racers] == ["SGD", "Adam"]  # menu order, not clicks
    table = at.dataframe[0].value
    assert float(table["x"][0]) == pytest.approx(1.0, abs=1e-3)  # SGD reached the minimum (1, -2)
    assert float(table["y"][0]) == pytest.approx(-2.0, abs=1e-3)
    at.text_input(key="descent.2d.expr").set_value("x + y +")
    assert "not valid Python" in run_clean(at).error[0].value


def test_line_fit_is_tutorial_003() -> None:
    at = open_page()
    at.button_group(key="descent.scene").set_value("line")
    fig = plotly_figure(run_clean(at))
    assert fig["frames"][-1]["name"] == "100"
    assert len(fig["data"][0]["x"]) == 11
    final = at.main.markdown[-1].value
    # The last frame's equation, one sign between the terms (never "+ +" or "+ -").
    last = fig["frames"][-1]["data"][1]["text"][0]
    assert re.fullmatch(r"y = 2\.\d+x [+-] \d\.\d+", last), last
    assert final.startswith(f"After 100 epochs: {last}, MSE loss ")
    at.number_input(key="descent.line.lr").set_value(0.1)
    run_clean(at)
    assert "passed" in at.warning[0].value or "infinite" in at.warning[0].value


def test_every_figure_label_is_translated() -> None:
    for lang in ("en", "zh"):
        words = section("descent.plot", lang)
        assert set(words) == set(DEFAULT_LABELS)
    assert section("descent.plot", "en") == DEFAULT_LABELS  # English is the figures' default


def test_chinese_page() -> None:
    at = open_page("zh")
    assert at.title[0].value == t("page.descent", "zh")
    fig = plotly_figure(at)
    assert fig["layout"]["updatemenus"][0]["buttons"][0]["label"] == "▶ 播放"
    assert at.code[0].value.startswith("最小值 y = 0.0 ; 对应的 x = 0.99995")
    at.text_input(key="descent.1d.expr").set_value("q*x")
    error = shown(run_clean(at).error[0].value)
    assert error == (
        "第 1 行：变量名 'q' 没有定义：请检查拼写，或先在前面的行给它赋值"
        "（name 'q' is not defined）"
    )
    at.text_input(key="descent.1d.expr").set_value("torch.sqrt(x)")
    at.number_input(key="descent.1d.x0").set_value(1.0)
    at.number_input(key="descent.1d.lr").set_value(10.0)
    assert run_clean(at).warning[0].value == "f 在第 1 步变成了 nan：运行到此停止"
