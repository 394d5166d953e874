"""The chain rule written out for the derivatives page, checked against torch.autograd."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from autodiff_viz.chain.rules import RULES
from autodiff_viz.chain.symbolic import DERIVATIVES, agrees, symbolic_chain
from autodiff_viz.derivatives.data import PRESETS
from autodiff_viz.i18n import t
from autodiff_viz.ui.derivatives_controls import EXPR
from tests.support.apptest import open_page

EXPRESSIONS = [
    *(p.expr for p in PRESETS.values()),
    "sin(x**2)",
    "torch.cos(3*x - 1) / (1 + x**2)",
    "torch.log(x**2 + 1) * torch.sqrt(x**2 + 2)",
    "2**x - x**x",
    "torch.nn.functional.softplus(x)",
    "-x**3 + torch.tan(x / 3)",
    "x.sin().exp()",
    "torch.tanh(2*x)**2 - torch.sigmoid(-x)",
]


def autograd_slope(expr: str, x0: float) -> float:
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    names = {"torch": torch, "x": x, "sin": torch.sin}
    y = eval(expr, names)
    (dy,) = torch.autograd.grad(y, x)
    return float(dy)


@pytest.mark.parametrize("expr", EXPRESSIONS)
@pytest.mark.parametrize("x0", [-1.7, 0.3, 1.0, 2.5])
def test_chain_value_equals_autograd(expr: str, x0: float) -> None:
    if "x**x" in expr and x0 <= 0:
        x0 = abs(x0) + 0.1  # xˣ is real for x > 0
    chain = symbolic_chain(expr, x0)
    assert chain is not None, expr
    assert agrees(chain, autograd_slope(expr, x0)), (chain.text, chain.value)


@settings(max_examples=40, deadline=None)
@given(x0=st.floats(-3, 3, allow_nan=False))
def test_property_sin_of_a_square(x0: float) -> None:
    chain = symbolic_chain("torch.sin(x**2)", x0)
    assert chain is not None
    assert chain.text == "d/dx sin(x²) = cos(x²)·2x"
    assert math.isclose(chain.value, math.cos(x0 * x0) * 2 * x0, rel_tol=1e-12, abs_tol=1e-12)
    assert agrees(chain, autograd_slope("torch.sin(x**2)", x0))


def test_readable_forms() -> None:
    cases = {
        "x**2 - 2*x + 1": "d/dx x² − 2x + 1 = 2x − 2",
        "x*torch.sin(x)": "d/dx x·sin(x) = sin(x) + x·cos(x)",
        "torch.exp(-x**2)": "d/dx exp(−x²) = −exp(−x²)·2x",
    }
    for expr, text in cases.items():
        chain = symbolic_chain(expr, 0.5)
        assert chain is not None and chain.text == text


def test_the_chain_uses_the_explorer_rule_table() -> None:
    assert set(DERIVATIVES) <= {rule.key for rule in RULES.values()}
    chain = symbolic_chain("sin(x**2)", 1.0)
    assert chain is not None and chain.rules == ("pow", "sin")


@pytest.mark.parametrize(
    "expr", ["x[0]", "__import__('os')", "torch.where(x > 0, x, 0)", "y + 1", "(" * 500, "True"]
)
def test_outside_the_language_gives_none(expr: str) -> None:
    assert symbolic_chain(expr, 1.0) is None


def test_derivatives_page_shows_the_chain_and_its_check() -> None:
    at = open_page("pages/derivatives.py", "zh")
    at.text_input(key=EXPR).set_value("torch.sin(x**2)").run()
    assert not at.exception
    texts = [x.value for x in at.text]
    assert "d/dx sin(x²) = cos(x²)·2x" in texts
    (success,) = [s.value for s in at.success if "autograd" in s.value]
    assert success.startswith("在 x₀ =")
    assert t("explain.say.sin", "zh") in " ".join(c.value for c in at.caption)
