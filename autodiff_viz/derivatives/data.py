"""Derivative curves as plain data: what the worker computes and the server draws.

:class:`Curve` (f, f′, f″ on a grid, the finite-difference check, kinks, the
tangent at x₀) and its JSON round trip; :data:`PRESETS`, the functions the
derivatives page offers; :func:`tangent_program`, the explorer program for f at
one point. No torch here: :mod:`autodiff_viz.derivatives.job` computes the curves.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from autodiff_viz.graph import encode_numbers


@dataclass(frozen=True)
class Tangent:
    """The tangent of f at ``x0``: the line ``y0 + slope·(x − x0)``, slope by autograd.

    ``d2y`` is f″(x0) when the curve has a second derivative.
    """

    x0: float
    y0: float
    slope: float
    d2y: float | None = None


@dataclass(frozen=True)
class Curve:
    """f and its derivatives on an evenly spaced grid, as plain floats (nan and ±inf kept).

    ``dy`` comes from autograd; ``d2y`` (when asked for) from a second autograd pass through the
    graph of the first. ``fd`` is the central difference (f(x+h) − f(x−h)) / 2h with
    h = ``fd_step``·max(1, |x|), and ``fd_max_error`` is max |fd − dy| over the smooth points
    (nan when there is none). ``kinks`` indexes the grid points where f and f′ are finite but
    f is not smooth within ±h (its one-sided slopes disagree: abs and relu at 0, steps, the
    edge of a domain), where autograd picks one value of a set of candidates; ``nonfinite``
    indexes the points where f or f′ is nan or infinite.
    """

    x: tuple[float, ...]
    y: tuple[float, ...]
    dy: tuple[float, ...]
    fd: tuple[float, ...]
    fd_step: float
    fd_max_error: float
    kinks: tuple[int, ...] = ()
    nonfinite: tuple[int, ...] = ()
    d2y: tuple[float, ...] | None = None
    tangent: Tangent | None = None

    @property
    def n(self) -> int:
        return len(self.x)


@dataclass(frozen=True)
class Preset:
    """A function the page offers, with its range and its derivative worked out by hand.

    Its name on the page is the i18n string ``deriv_preset.<key>``.
    ``derivative`` is a torch expression in x used only by the tests, which check autograd's
    curve against it; the page never plots it.
    """

    key: str
    expr: str
    lo: float
    hi: float
    derivative: str


def _presets(*presets: Preset) -> dict[str, Preset]:
    return {p.key: p for p in presets}


# Symmetric ranges with an odd number of points put a grid point exactly at 0, where the
# kinks of relu and abs are.
PRESETS: dict[str, Preset] = _presets(
    Preset("sin", "torch.sin(x)", 0.0, 2 * math.pi, "torch.cos(x)"),
    Preset("quadratic", "x**2 - 2*x + 1", -1.0, 3.0, "2*x - 2"),
    Preset("cubic", "x**3 - 2*x", -2.0, 2.0, "3*x**2 - 2"),
    Preset("relu", "torch.relu(x)", -2.0, 2.0, "(x > 0).double()"),
    Preset("abs", "torch.abs(x)", -2.0, 2.0, "torch.sign(x)"),
    Preset("sigmoid", "torch.sigmoid(x)", -6.0, 6.0, "torch.sigmoid(x) * (1 - torch.sigmoid(x))"),
    Preset("tanh", "torch.tanh(x)", -3.0, 3.0, "1 - torch.tanh(x)**2"),
    Preset("gaussian", "torch.exp(-x**2)", -3.0, 3.0, "-2*x*torch.exp(-x**2)"),
    Preset("x_sin", "x*torch.sin(x)", -2 * math.pi, 2 * math.pi, "torch.sin(x) + x*torch.cos(x)"),
)  # fmt: skip
DEFAULT_PRESET = "sin"


# --- JSON round trip ------------------------------------------------------------------------


def curve_to_dict(curve: Curve) -> dict[str, Any]:
    """The curve as JSON-ready dicts and lists (nan and ±inf as the strings "nan", "inf")."""
    encoded: dict[str, Any] = encode_numbers(asdict(curve))
    return encoded


def curve_from_dict(raw: Mapping[str, Any]) -> Curve:
    """Inverse of :func:`curve_to_dict`."""

    def floats(values: Any) -> tuple[float, ...]:
        return tuple(float(v) for v in values)  # float("nan"), float("-inf") parse the strings

    tangent = raw.get("tangent")
    d2y = raw.get("d2y")
    return Curve(
        x=floats(raw["x"]),
        y=floats(raw["y"]),
        dy=floats(raw["dy"]),
        fd=floats(raw["fd"]),
        fd_step=float(raw["fd_step"]),
        fd_max_error=float(raw["fd_max_error"]),
        kinks=tuple(int(i) for i in raw.get("kinks", ())),
        nonfinite=tuple(int(i) for i in raw.get("nonfinite", ())),
        d2y=None if d2y is None else floats(d2y),
        tangent=None if tangent is None else _tangent_from_dict(tangent),
    )


def _tangent_from_dict(raw: Mapping[str, Any]) -> Tangent:
    d2y = raw.get("d2y")
    return Tangent(
        x0=float(raw["x0"]),
        y0=float(raw["y0"]),
        slope=float(raw["slope"]),
        d2y=None if d2y is None else float(d2y),
    )


def tangent_program(expr: str, x0: float) -> str:
    """A program for the graph explorer: f at the single point x0, its backward, the grad."""
    value = float(f"{x0:.6g}")  # 6 digits read well; repr keeps "1.0" a float, not an int
    return (
        f"x = torch.tensor({value!r}, requires_grad=True)\n"
        f"y = {expr.strip()}\n"
        "y.backward()\n"
        "print(x.grad)\n"
    )
