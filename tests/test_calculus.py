"""Derivative curves by autograd, checked against PyTorch's own functions and hand derivatives."""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stdout

import pytest
import torch

from autodiff_viz.derivatives.data import (
    DEFAULT_PRESET,
    PRESETS,
    Curve,
    curve_from_dict,
    curve_to_dict,
    tangent_program,
)
from autodiff_viz.derivatives.job import MAX_POINTS, CurveError, derivative_curve, derivative_job
from autodiff_viz.i18n import t
from autodiff_viz.result import RunError


def expression(expr: str):
    """A plain-Python f for a preset's text (the app compiles it through the sandbox instead)."""
    return lambda x: eval(expr, {"torch": torch}, {"x": x})


def tensor(values: tuple[float, ...]) -> torch.Tensor:
    return torch.tensor(values, dtype=torch.float64)


def test_derivative_of_sin_is_cos_without_writing_cos() -> None:
    curve = derivative_curve(torch.sin, 0.0, 2 * math.pi, 1000)
    x = tensor(curve.x)
    assert curve.n == 1000
    assert (x[0].item(), x[-1].item()) == (0.0, 2 * math.pi)
    assert torch.allclose(tensor(curve.y), torch.sin(x), rtol=0, atol=1e-15)
    assert torch.allclose(tensor(curve.dy), torch.cos(x), rtol=0, atol=1e-6)
    assert curve.fd_max_error < 1e-9  # the central difference agrees with autograd
    assert curve.kinks == curve.nonfinite == ()
    assert curve.d2y is None


def test_second_derivative_of_sin_is_minus_sin() -> None:
    curve = derivative_curve(torch.sin, -3.0, 3.0, 301, second=True)
    assert curve.d2y is not None
    assert torch.allclose(tensor(curve.d2y), -torch.sin(tensor(curve.x)), rtol=0, atol=1e-12)


@pytest.mark.parametrize("preset", PRESETS.values(), ids=PRESETS.keys())
def test_every_preset_matches_its_hand_derivative(preset) -> None:
    curve = derivative_curve(expression(preset.expr), preset.lo, preset.hi, 401, second=True)
    x = tensor(curve.x)
    hand = expression(preset.derivative)(x).to(torch.float64)
    assert torch.allclose(tensor(curve.dy), hand, rtol=1e-12, atol=1e-12)
    assert curve.nonfinite == ()
    assert curve.fd_max_error < 1e-7
    assert t(f"deriv_preset.{preset.key}", "zh") and preset.lo < preset.hi


def test_presets_registry() -> None:
    assert DEFAULT_PRESET == "sin"
    assert PRESETS["sin"].expr == "torch.sin(x)"
    assert (PRESETS["sin"].lo, PRESETS["sin"].hi) == (0.0, 2 * math.pi)
    assert all(key == preset.key for key, preset in PRESETS.items())
    assert {"relu", "abs", "sigmoid", "tanh", "cubic", "quadratic"} <= PRESETS.keys()


@pytest.mark.parametrize(("f", "left", "right"), [(torch.abs, -1.0, 1.0), (torch.relu, 0.0, 1.0)])
def test_kinks_at_zero_are_flagged_and_autograd_picks_zero(f, left, right) -> None:
    curve = derivative_curve(f, -2.0, 2.0, 201)
    assert curve.x[100] == 0.0  # a symmetric range puts a grid point exactly on the kink
    assert curve.kinks == (100,)
    assert curve.nonfinite == ()
    assert curve.dy[100] == 0.0  # PyTorch's choice among the one-sided slopes
    assert set(curve.dy[:100]) == {left} and set(curve.dy[101:]) == {right}
    assert curve.fd_max_error < 1e-9  # measured away from the kink


def test_one_over_x_at_zero_keeps_inf_and_does_not_crash() -> None:
    curve = derivative_curve(lambda x: 1 / x, -2.0, 2.0, 201, second=True)
    assert curve.nonfinite == (100,)
    assert curve.y[100] == math.inf and curve.dy[100] == -math.inf
    x = tensor(curve.x)
    away = x != 0
    assert torch.allclose(tensor(curve.dy)[away], -1 / x[away] ** 2, rtol=1e-12)
    assert math.isfinite(curve.fd_max_error)


def test_log_and_sqrt_outside_their_domain_give_nan_not_errors() -> None:
    for f, derivative in ((torch.log, lambda x: 1 / x), (torch.sqrt, lambda x: 0.5 / x.sqrt())):
        curve = derivative_curve(f, -1.0, 1.0, 201)
        x, y = tensor(curve.x), tensor(curve.y)
        assert curve.nonfinite == tuple(range(101))  # x < 0 gives nan, x = 0 gives ±inf
        assert torch.isnan(y[:100]).all()
        inside = x > 0
        assert torch.allclose(tensor(curve.dy)[inside], derivative(x[inside]), rtol=1e-12)


def test_steps_are_kinks_and_a_result_without_grad_has_derivative_zero() -> None:
    curve = derivative_curve(lambda x: (x > 0).double(), -1.0, 1.0, 21)
    assert set(curve.dy) == {0.0}
    assert curve.kinks == (10,)


def test_steep_smooth_functions_and_float32_are_not_taken_for_kinks() -> None:
    steep = derivative_curve(lambda x: torch.sin(20 * x), 0.0, 2 * math.pi, 2001)
    single = derivative_curve(lambda x: x.float() ** 2, -2.0, 2.0, 201)
    assert steep.kinks == single.kinks == ()
    assert steep.fd_max_error < 1e-5  # h²·f‴/6 with f‴ = 8000
    assert single.fd_max_error < 0.1  # float32's rounding dominates the difference quotient


def test_constant_and_linear_functions_have_zero_higher_derivatives() -> None:
    number = derivative_curve(lambda x: torch.tensor(2.0), 0.0, 1.0, 5)  # what f = "2" gives
    assert set(number.y) == {2.0} and set(number.dy) == {0.0}
    constant = derivative_curve(torch.ones_like, 0.0, 1.0, 5, second=True)
    linear = derivative_curve(lambda x: 3 * x, 0.0, 1.0, 5, second=True)
    assert set(constant.dy) == set(constant.d2y or ()) == {0.0}
    assert set(linear.dy) == {3.0}
    assert set(linear.d2y or ()) == {0.0}


def test_tangent_at_x0_uses_autograd_at_that_point() -> None:
    curve = derivative_curve(torch.sin, 0.0, 2 * math.pi, 50, second=True, x0=1.0)
    assert curve.tangent is not None
    assert curve.tangent.x0 == 1.0
    assert curve.tangent.y0 == pytest.approx(math.sin(1.0), abs=1e-15)
    assert curve.tangent.slope == pytest.approx(math.cos(1.0), abs=1e-15)
    assert curve.tangent.d2y == pytest.approx(-math.sin(1.0), abs=1e-15)


def test_f_that_reduces_is_refused_with_the_shapes() -> None:
    with pytest.raises(CurveError) as info:
        derivative_curve(lambda x: x.sum(), 0.0, 1.0, 200)
    assert (
        str(info.value) == "f must work elementwise: f(x) returned shape () for x of shape (200,)"
    )
    assert "(200,)" in info.value.message_zh
    assert info.value.to_run_error().kind == "runtime"


@pytest.mark.parametrize(
    "f",
    [
        lambda x: torch.softmax(x, 0),
        lambda x: torch.cumsum(x, 0),
        lambda x: x - x.mean(),  # its Jacobian is symmetric: the finite differences agree
        lambda x: x + torch.randn_like(x),
    ],
    ids=["softmax", "cumsum", "centred", "random"],
)
def test_f_that_mixes_points_is_refused(f) -> None:
    with pytest.raises(CurveError, match=r"elementwise: f\(x\)\[i\] must depend on x\[i\] alone"):
        derivative_curve(f, -1.0, 1.0, 100)


def test_f_must_return_a_tensor() -> None:
    with pytest.raises(CurveError, match="must return a tensor computed from x, got float"):
        derivative_curve(lambda x: 3.0, 0.0, 1.0, 10)


@pytest.mark.parametrize(
    ("lo", "hi", "n", "x0", "match"),
    [
        (1.0, 1.0, 10, None, "x from must be less than x to"),
        (2.0, 1.0, 10, None, "x from must be less than x to"),
        (0.0, math.inf, 10, None, "within"),
        (0.0, math.nan, 10, None, "within"),
        (0.0, 1.0, 1, None, "between 2 and 20,000"),
        (0.0, 1.0, MAX_POINTS + 1, None, "between 2 and 20,000"),
        (0.0, 1.0, 10, 1.5, "outside the range"),
    ],
)
def test_invalid_ranges_are_refused(lo, hi, n, x0, match) -> None:
    with pytest.raises(CurveError, match=match) as info:
        derivative_curve(torch.sin, lo, hi, n, x0=x0)
    assert info.value.kind == "refused"


def test_exceptions_of_f_pass_through() -> None:
    with pytest.raises(RuntimeError, match="size of tensor"):
        derivative_curve(lambda x: x + torch.ones(3), 0.0, 1.0, 10)


def test_json_round_trip_keeps_nan_and_inf() -> None:
    curve = derivative_curve(torch.log, -1.0, 1.0, 21, second=True, x0=0.5)
    text = json.dumps(curve_to_dict(curve), allow_nan=False)  # strict JSON: no NaN literals
    back = curve_from_dict(json.loads(text))
    assert isinstance(back, Curve)
    assert curve_to_dict(back) == curve_to_dict(curve)
    assert math.isnan(back.y[0]) and back.y[10] == -math.inf
    assert back.tangent == curve.tangent


def test_tangent_program_runs_and_prints_the_slope() -> None:
    program = tangent_program("torch.sin(x)", 1.0)
    out = io.StringIO()
    with redirect_stdout(out):
        exec(program, {"torch": torch})
    assert out.getvalue().strip() == f"tensor({math.cos(1.0):.4f})"


def test_derivative_job_through_the_sandbox() -> None:
    pytest.importorskip("autodiff_viz.sandbox.execute")
    ok = derivative_job({"expr": "torch.sin(x)", "lo": 0.0, "hi": 6.0, "n": 100, "x0": 1.0})
    curve = curve_from_dict(ok["curve"])
    assert torch.allclose(tensor(curve.dy), torch.cos(tensor(curve.x)), atol=1e-6)
    assert curve.tangent is not None

    reduced = derivative_job({"expr": "x.sum()", "lo": 0.0, "hi": 1.0, "n": 200})
    error = RunError.from_dict(reduced["error"])
    assert error.text("en") == (
        "f must work elementwise: f(x) returned shape () for x of shape (200,)"
    )
    assert error.text("zh") == "f 必须逐元素计算：x 的形状为 (200,)，f(x) 的形状却是 ()"
    for bad in ({"expr": "torch.sin(x)", "lo": 0.0, "hi": 1.0, "n": "many"},
                {"expr": "", "lo": 0.0, "hi": 1.0, "n": 10},
                {"expr": "torch.sin(x)", "lo": 1.0, "hi": 0.0, "n": 10}):  # fmt: skip
        assert derivative_job(bad)["error"]["kind"] == "refused"
    assert "error" in derivative_job({"expr": "import os", "lo": 0.0, "hi": 1.0, "n": 10})
