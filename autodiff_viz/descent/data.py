"""The data of gradient descent, free of torch: inputs, results, presets, decoding.

Everything the server needs to ask for a descent run and to draw its answer,
without importing torch (the runs themselves are :mod:`autodiff_viz.descent.job`,
in the worker):

* the menus: :data:`OPTIMIZERS` and the 2D surfaces :data:`PRESETS_2D`;
  :data:`TUTORIAL_000` is the 1D scene's default job;
* the checks every run applies to its inputs, refusing in both languages
  with :class:`DescentInputError`;
* the results - :class:`Trajectory1D`, :class:`Race2D` (of :class:`Path2D`
  over a :class:`Grid`) and :class:`LineFit`, each with its :class:`Stop`
  when it diverged - and their JSON round trip;
* :func:`result_from_job`, which decodes the worker's answer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from autodiff_viz.result import ErrorKind, KeyedError, RunError

MAX_STEPS = 5_000
MAX_ABS_START = 1e4
#: |coordinate| beyond which a run counts as diverged: far outside any sensible
#: picture, and well before float32 overflows to inf.
EXPLODED = 1e6
MAX_CONSTANTS = 8

Reason = Literal["nan", "inf", "exploded"]
Bounds = tuple[float, float, float, float]  # x_lo, x_hi, y_lo, y_hi


# --- inputs ---------------------------------------------------------------------------------


class DescentInputError(KeyedError):
    """An input a descent run does not accept: a ``descent_input.*`` key of i18n and its fields."""

    prefix = "descent_input"
    default_kind: ErrorKind = "refused"


@dataclass(frozen=True)
class OptimizerSpec:
    """One choice of the optimiser menu: a ``torch.optim`` class and fixed options."""

    torch_class: str
    options: Mapping[str, float]


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "SGD": OptimizerSpec("SGD", {}),
    "Momentum": OptimizerSpec("SGD", {"momentum": 0.9}),
    "RMSprop": OptimizerSpec("RMSprop", {}),
    "Adam": OptimizerSpec("Adam", {}),
    "Adagrad": OptimizerSpec("Adagrad", {}),
}


def check_steps(steps: int) -> None:
    """Refuse a run longer than :data:`MAX_STEPS` (a budget: it keeps a job short)."""
    if not 1 <= steps <= MAX_STEPS:
        raise DescentInputError("steps", kind="budget", limit=MAX_STEPS, steps=steps)


def check_lr(lr: float) -> None:
    """Refuse a learning rate that is not a positive number up to 100."""
    if not (math.isfinite(lr) and 0 < lr <= 100):
        raise DescentInputError("lr", lr=lr)


def check_start(value: float, name: str) -> None:
    """Refuse a start coordinate that is not finite or far outside any picture."""
    if not (math.isfinite(value) and abs(value) <= MAX_ABS_START):
        raise DescentInputError("start", name=name, limit=MAX_ABS_START, value=value)


# Job arguments arrive as JSON from the server: read each with its type checked.


def _bad_arg(key: str, expected: str, count: int = 0) -> DescentInputError:
    return DescentInputError(expected, arg=key, count=count)


def number_arg(args: Mapping[str, Any], key: str, default: float) -> float:
    """``args[key]`` as a float (not a bool), or a refusal naming the key."""
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad_arg(key, "number")
    return float(value)


def whole_arg(args: Mapping[str, Any], key: str, default: int) -> int:
    """``args[key]`` as an int (not a bool), or a refusal naming the key."""
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad_arg(key, "whole")
    return value


def text_arg(args: Mapping[str, Any], key: str, default: str | None = None) -> str:
    """``args[key]`` as a non-blank string, or a refusal naming the key."""
    value = args.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise _bad_arg(key, "text")
    return value


def numbers_arg(
    args: Mapping[str, Any], key: str, default: Sequence[float], count: int
) -> tuple[float, ...]:
    """``args[key]`` as exactly ``count`` floats, or a refusal naming the key."""
    value = args.get(key, default)
    if not isinstance(value, Sequence) or len(value) != count:
        raise _bad_arg(key, "numbers", count)
    return tuple(number_arg({key: v}, key, 0.0) for v in value)


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """Where a run diverged: the first step whose ``quantity`` was nan, inf or exploded."""

    step: int
    reason: Reason
    quantity: str  # "x", "y", "f", "grad", "loss", "weight", "bias"


def find_stop(
    step: int, values: Iterable[tuple[str, float]], bounded: Sequence[str]
) -> Stop | None:
    """The first of ``values`` that is nan, inf, or (if named in ``bounded``) exploded."""
    for name, value in values:
        if math.isnan(value):
            return Stop(step, "nan", name)
        if math.isinf(value):
            return Stop(step, "inf", name)
        if name in bounded and abs(value) > EXPLODED:
            return Stop(step, "exploded", name)
    return None


@dataclass(frozen=True)
class Trajectory1D:
    """One optimiser on f(x): state k is x, f(x) and f'(x) after k steps.

    ``xs``/``ys``/``grads`` hold states 0..steps, or 0..stop.step-1 when the
    run diverged. ``curve_x``/``curve_y`` sample f over the path's range for
    the picture (``None`` where f is not finite).
    """

    optimizer: str
    lr: float
    steps: int
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    grads: tuple[float, ...]
    curve_x: tuple[float, ...]
    curve_y: tuple[float | None, ...]
    stop: Stop | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(raw: Mapping[str, Any]) -> Trajectory1D:
        return Trajectory1D(**_fields(raw))


@dataclass(frozen=True)
class Path2D:
    """One optimiser's states on f(x, y): ``xs[k]``, ``ys[k]``, ``fs[k]`` after k steps."""

    optimizer: str
    lr: float
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    fs: tuple[float, ...]
    stop: Stop | None = None


@dataclass(frozen=True)
class Grid:
    """f sampled on a grid: ``z[j][i] = f(xs[i], ys[j])``, ``None`` where not finite."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    z: tuple[tuple[float | None, ...], ...]


@dataclass(frozen=True)
class Race2D:
    """Several optimisers from one start on one f(x, y), and f's contour grid."""

    start: tuple[float, float]
    steps: int
    paths: tuple[Path2D, ...]
    grid: Grid

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(raw: Mapping[str, Any]) -> Race2D:
        return Race2D(
            start=(raw["start"][0], raw["start"][1]),
            steps=raw["steps"],
            paths=tuple(Path2D(**_fields(path)) for path in raw["paths"]),
            grid=Grid(**_fields(raw["grid"])),
        )


@dataclass(frozen=True)
class LineFit:
    """Tutorial 003 epoch by epoch: the line ``weight*x + bias`` and its MSE loss.

    Entry k is the state after k epochs (the loss the tutorial prints at
    epoch k); the last entry is the trained model.
    """

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    lr: float
    seed: int
    weights: tuple[float, ...]
    biases: tuple[float, ...]
    losses: tuple[float, ...]
    stop: Stop | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @staticmethod
    def from_dict(raw: Mapping[str, Any]) -> LineFit:
        return LineFit(**_fields(raw))


def _fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A result's JSON fields as its dataclass holds them: tuples, and a Stop."""
    fields = {key: _tuples(value) for key, value in raw.items()}
    if raw.get("stop"):
        fields["stop"] = Stop(**raw["stop"])
    return fields


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def finite_or_none(values: Iterable[float]) -> tuple[float | None, ...]:
    """``values`` with nan and inf as ``None``: valid JSON, and a gap in a plotted line."""
    return tuple(v if math.isfinite(v) else None for v in values)


# --- presets (data only) --------------------------------------------------------------------


@dataclass(frozen=True)
class Preset2D:
    """A surface for the race: expression in x and y, start, view and per-optimiser lrs."""

    key: str
    expr: str
    start: tuple[float, float]
    bounds: Bounds
    lrs: Mapping[str, float]
    steps: int
    log_z: bool = False  # contours of log(1 + f - min f): a narrow valley stays visible


PRESETS_2D: dict[str, Preset2D] = {
    "bowl": Preset2D(
        key="bowl",
        expr="x**2 + 10*y**2",
        start=(-4.0, 1.5),
        bounds=(-5.0, 5.0, -2.5, 2.5),
        lrs={"SGD": 0.08, "Momentum": 0.01, "RMSprop": 0.05, "Adam": 0.2, "Adagrad": 0.8},
        steps=150,
    ),
    "rosenbrock": Preset2D(
        key="rosenbrock",
        expr="(1 - x)**2 + 100*(y - x**2)**2",
        start=(-1.5, 2.0),
        bounds=(-2.0, 2.0, -1.0, 3.0),
        # SGD crawls along the curved valley; momentum and Adam reach far along it.
        lrs={"SGD": 1e-3, "Momentum": 3e-4, "RMSprop": 1e-2, "Adam": 0.1, "Adagrad": 1.0},
        steps=500,
        log_z=True,
    ),
    "saddle": Preset2D(
        key="saddle",
        expr="x**2 - y**2",
        start=(-2.0, 0.01),
        bounds=(-2.5, 2.5, -2.5, 2.5),
        # Started just off the ridge: plain SGD lingers near the saddle point, Adam escapes.
        lrs={"SGD": 0.05, "Momentum": 0.01, "RMSprop": 0.01, "Adam": 0.05, "Adagrad": 0.1},
        steps=50,
    ),
}

#: Job arguments of tutorial 000, the 1D scene's default.
TUTORIAL_000: dict[str, Any] = {
    "scene": "1d",
    "expr": "a*x**2 + b*x + c",
    "constants": {"a": 1.0, "b": -2.0, "c": 1.0},
    "x0": 0.0,
    "optimizer": "SGD",
    "lr": 0.01,
    "steps": 500,
}


# --- decoding ------------------------------------------------------------------------------

JobResult = Trajectory1D | Race2D | LineFit | RunError


def result_from_job(raw: Mapping[str, Any]) -> JobResult:
    """Decode :func:`autodiff_viz.descent.job.descent_job`'s answer on the server side."""
    if "trajectory" in raw:
        return Trajectory1D.from_dict(raw["trajectory"])
    if "race" in raw:
        return Race2D.from_dict(raw["race"])
    if "fit" in raw:
        return LineFit.from_dict(raw["fit"])
    return RunError.from_dict(raw["error"])


def short_number(value: float | None) -> str:
    """Four significant digits, in scientific notation below 1e-4 and from 1e4 on.

    ``0.0000000000000000000000000000000007`` (Adam at a bowl's minimum) reads as
    ``7e-34``, so a table of these fits beside the figure.
    """
    return "" if value is None else f"{value:.4g}"


def race_rows(race: Race2D) -> list[tuple[str, float, int, str, str, str]]:
    """Where each racer ended: (optimiser key, lr, steps, x, y, f) with the numbers as text."""

    def last(values: Sequence[float]) -> str:
        return short_number(values[-1] if values else None)

    return [
        (path.optimizer, path.lr, len(path.xs) - 1, last(path.xs), last(path.ys), last(path.fs))
        for path in race.paths
    ]
