"""Derivative curves computed by autograd: f, f′ and f″ on a grid, checked by finite differences.

Tutorial 004, exercise 5 asks for the graph of sin(x) and of its derivative *without* writing
cos(x): autograd supplies it. :func:`derivative_curve` does that for any elementwise f with one
vectorised ``torch.autograd.grad`` (``grad_outputs`` = ones) over the whole grid, as the tutorial
does with ``y.backward(gradient=torch.ones(...))``, and adds what a student needs to trust the
picture: a central-difference check, the points where f is not smooth (``abs`` and ``relu`` at
0, steps, nan and inf), the second derivative through ``create_graph=True`` and the tangent at a
point x₀.

The result, :class:`Curve`, is plain data (tuples of floats, nan and ±inf kept) with a JSON
round trip, because it is computed in the worker process and drawn by the server, which never
imports torch. For the same reason importing this module does not import torch; computing a
curve does. :func:`derivative_job` is the worker's entry point for a curve of a user's
expression. The data types, presets and JSON live in :mod:`autodiff_viz.derivatives.data`.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from autodiff_viz.derivatives.data import Curve, Tangent, curve_to_dict
from autodiff_viz.result import KeyedError, RunError

if TYPE_CHECKING:
    from torch import Tensor

MIN_POINTS = 2
MAX_POINTS = 20_000
#: Bound on |lo| and |hi|: keeps hi - lo, x ± h and the tangent's end points finite.
MAX_ABS_X = 1e6

#: Relative step of the central difference. eps^(1/3) balances its truncation error (~h²·f‴)
#: against rounding (~eps·f/h): about 1e-11 absolute error for sin in float64.
FD_STEP = sys.float_info.epsilon ** (1 / 3)

#: A kink's slope jump must exceed this fraction of the slopes' size (see _finite_differences).
_KINK_TOLERANCE = 1e-6

_MESSAGE_LIMIT = 500  # characters of an exception's text shown to the student


class CurveError(KeyedError):
    """A request :func:`derivative_curve` cannot honour: a ``curve.*`` key and its fields."""

    prefix = "curve"


def derivative_curve(
    f: Callable[[Tensor], Tensor],
    lo: float,
    hi: float,
    n: int,
    *,
    second: bool = False,
    x0: float | None = None,
) -> Curve:
    """f, f′ (and f″) by autograd on ``n`` evenly spaced points of [lo, hi], in float64.

    f must work elementwise: take a 1-d tensor and return one of the same shape whose i-th
    value depends on the i-th input alone. Raises :class:`CurveError` when it does not, or when
    the range is invalid; exceptions raised by f itself pass through.
    """
    check_range(lo, hi, n, x0)
    import torch

    grid = _grid(lo, hi, n)
    with torch.enable_grad():
        x = grid.clone().requires_grad_()  # a copy: f cannot change the grid under our feet
        y_graph = _evaluate(f, x)
        dy, d2y = _derivatives(y_graph, x, second=second)
    y = y_graph.detach().to(torch.float64)
    with torch.no_grad():
        fd, kink, step_ok = _finite_differences(f, grid, y)
    finite = torch.isfinite(y) & torch.isfinite(dy)
    smooth = finite & ~kink & step_ok
    errors = (fd - dy).abs()[smooth]
    return Curve(
        x=_floats(grid),
        y=_floats(y),
        dy=_floats(dy),
        fd=_floats(fd),
        fd_step=FD_STEP,
        fd_max_error=errors.max().item() if errors.numel() else math.nan,
        kinks=_indices(kink & finite),
        nonfinite=_indices(~finite),
        d2y=None if d2y is None else _floats(d2y),
        tangent=None if x0 is None else _tangent(f, x0, second=second),
    )


def check_range(lo: float, hi: float, n: int, x0: float | None = None) -> None:
    """Raise :class:`CurveError` unless lo < hi, 2 <= n <= 20,000 and x0 lies in [lo, hi]."""
    if not all(math.isfinite(v) and abs(v) <= MAX_ABS_X for v in (lo, hi)):
        raise CurveError("range_bounds", kind="refused", limit=MAX_ABS_X, lo=lo, hi=hi)
    if not lo < hi:
        raise CurveError("range_order", kind="refused", lo=lo, hi=hi)
    if not MIN_POINTS <= n <= MAX_POINTS:
        raise CurveError("points", kind="refused", low=MIN_POINTS, high=MAX_POINTS, n=n)
    if x0 is not None and not lo <= x0 <= hi:
        raise CurveError("x0", kind="refused", x0=x0, lo=lo, hi=hi)


def _grid(lo: float, hi: float, n: int) -> Tensor:
    import torch

    # lo·(1 − t) + hi·t rather than torch.linspace: the ends are exact and so is the middle of a
    # symmetric range (linspace(-2, 2, 201)[100] is -4e-17, which would hide relu's kink at 0).
    t = torch.arange(n, dtype=torch.float64) / (n - 1)
    return lo * (1 - t) + hi * t


def _evaluate(f: Callable[[Tensor], Tensor], x: Tensor) -> Tensor:
    import torch

    out = f(x)
    if not isinstance(out, torch.Tensor):
        raise CurveError("not_tensor", type=type(out).__name__)
    if out.dim() == 0 and not out.requires_grad:  # a number (f = 2): a constant function
        out = out.expand(x.shape)
    if out.shape != x.shape:
        got, want = tuple(out.shape), tuple(x.shape)
        raise CurveError("shape", got=str(got), want=str(want))
    if out.is_complex():
        raise CurveError("complex", dtype=str(out.dtype))
    return out


def _derivatives(y: Tensor, x: Tensor, *, second: bool) -> tuple[Tensor, Tensor | None]:
    """dy/dx and, if ``second``, d²y/dx², each by one vectorised autograd pass."""
    import torch

    zeros = torch.zeros_like(x, requires_grad=False)
    # A result autograd cannot trace back to x (torch.ones_like(x), a comparison) is constant
    # as far as autograd can tell: its derivative is 0, not an error.
    if not y.requires_grad:
        return zeros, (zeros if second else None)
    # grad_outputs = ones sums the Jacobian's rows; for an elementwise f that is its diagonal.
    (dy,) = torch.autograd.grad(y, x, torch.ones_like(y), create_graph=second, allow_unused=True)
    if dy is None:
        return zeros, (zeros if second else None)
    if not second:
        return dy, None
    if not dy.requires_grad:  # f′ constant in x (f = 3*x): no graph for a second pass
        return dy.detach(), zeros
    (d2y,) = torch.autograd.grad(dy, x, torch.ones_like(dy), allow_unused=True)
    return dy.detach(), (zeros if d2y is None else d2y)


def _finite_differences(
    f: Callable[[Tensor], Tensor], grid: Tensor, y: Tensor
) -> tuple[Tensor, Tensor, Tensor]:
    """Central differences, kink flags, and whether f(x ± h) are finite, from one call of f.

    Kinks: where f is smooth, its one-sided slopes over ±s differ by about s·f″, so the gap
    shrinks 4-fold from s = h to s = h/4; at a kink it stays the slope's jump (1 for relu at 0,
    2 for abs). Comparing the two steps needs no guess at the size of f″.

    The same call evaluates f on every other grid point: an elementwise f gives the values it
    gave on the whole grid, while one that mixes points (a sum, softmax, cumsum, random noise)
    does not and is refused, since backward(ones) would not give its derivative.
    """
    import torch

    n = grid.numel()
    step = FD_STEP * grid.abs().clamp(min=1.0)
    shifted = (grid - step, grid + step, grid - step / 4, grid + step / 4)
    part = grid[1::2]
    out = _evaluate(f, torch.cat((part, *shifted)))
    f_part, *f_shifted = out.to(torch.float64).split((part.numel(), n, n, n, n))
    eps = torch.finfo(out.dtype).eps if out.dtype.is_floating_point else 0.0
    _check_elementwise(f_part, y[1::2], eps)

    below, above, near_below, near_above = shifted
    f_below, f_above, f_near_below, f_near_above = f_shifted
    # Divide by the steps as represented (above - below), not 2h: x ± h rounds.
    fd = (f_above - f_below) / (above - below)
    wide, _ = _slope_gap(grid, y, (below, f_below), (above, f_above))
    near, size = _slope_gap(grid, y, (near_below, f_near_below), (near_above, f_near_above))
    # Rounding noise of the near slopes (~eps·|f|/s: large for an f in float32) and of
    # cancellation inside f must not pass for a kink either.
    noise = 8 * eps * (y.abs() + f_near_below.abs() + f_near_above.abs()) / (step / 4)
    tolerance = wide / 2 + noise + _KINK_TOLERANCE * (1 + size)
    kink = ~(near <= tolerance)  # nan (the edge of f's domain) counts as a kink
    return fd, kink, torch.isfinite(fd)


def _slope_gap(
    x: Tensor, y: Tensor, below: tuple[Tensor, Tensor], above: tuple[Tensor, Tensor]
) -> tuple[Tensor, Tensor]:
    """|right slope − left slope| and |right slope| + |left slope| at each x."""
    right = (above[1] - y) / (above[0] - x)
    left = (y - below[1]) / (x - below[0])
    return (right - left).abs(), right.abs() + left.abs()


def _check_elementwise(part: Tensor, expected: Tensor, eps: float) -> None:
    import torch

    # Vectorised and scalar kernels may round differently: allow the noise of f's own dtype.
    if not torch.allclose(part, expected, rtol=eps**0.5, atol=eps**0.5, equal_nan=True):
        raise CurveError("elementwise")


def _tangent(f: Callable[[Tensor], Tensor], x0: float, *, second: bool) -> Tangent:
    import torch

    with torch.enable_grad():
        x = torch.tensor([x0], dtype=torch.float64, requires_grad=True)
        y = _evaluate(f, x)
        dy, d2y = _derivatives(y, x, second=second)
    return Tangent(
        x0=x0,
        y0=y.detach().double().item(),
        slope=dy.item(),
        d2y=None if d2y is None else d2y.item(),
    )


def _floats(values: Tensor) -> tuple[float, ...]:
    # clone() gives storage to the ZeroTensor autograd may hand back (abs's second derivative),
    # which tolist() cannot read.
    return tuple(values.detach().clone().tolist())


def _indices(mask: Tensor) -> tuple[int, ...]:
    return tuple(mask.nonzero().flatten().tolist())


# --- the worker's job ---------------------------------------------------------------------


def derivative_job(args: Mapping[str, Any]) -> dict[str, Any]:
    """Worker entry point: the curve of a user's expression in x, or why there is none.

    ``args`` = {"expr": "torch.sin(x)", "lo": 0.0, "hi": 6.28, "n": 200, "second": False,
    "x0": 1.0 (optional)}. The expression runs through the sandbox. Returns
    {"curve": curve_to_dict(...)} or {"error": RunError as a dict}; never raises for bad input.
    """
    from autodiff_viz.sandbox.execute import compile_function

    try:
        expr, lo, hi, n, second, x0 = _job_args(args)
        f = compile_function(expr, ("x",))
        curve = derivative_curve(f, lo, hi, n, second=second, x0=x0)
    except Exception as exc:  # the student's f may raise anything; each becomes a RunError
        return {"error": _run_error(exc).to_dict()}
    return {"curve": curve_to_dict(curve)}


def _job_args(args: Mapping[str, Any]) -> tuple[str, float, float, int, bool, float | None]:
    def number(key: str) -> float:
        value = args.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CurveError("number", kind="refused", arg=key)
        return float(value)

    expr, n, second = args.get("expr"), args.get("n"), args.get("second", False)
    if not isinstance(expr, str) or not expr.strip():
        raise CurveError("empty", kind="refused")
    if isinstance(n, bool) or not isinstance(n, int):
        raise CurveError("whole", kind="refused")
    x0 = None if args.get("x0") is None else number("x0")
    return expr, number("lo"), number("hi"), n, bool(second), x0


def _run_error(exc: Exception) -> RunError:
    # SandboxError and CurveError know how to explain themselves; anything else came from f.
    to_run_error = getattr(exc, "to_run_error", None)
    if callable(to_run_error):
        error: RunError = to_run_error()
        return error
    from autodiff_viz.sandbox.messages import runtime

    error = runtime(exc).to_run_error()
    detail = str(error.fields.get("detail", ""))
    if len(detail) > _MESSAGE_LIMIT:
        error = replace(error, fields={**error.fields, "detail": detail[:_MESSAGE_LIMIT] + " …"})
    return error
