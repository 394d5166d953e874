"""Gradient descent with the real ``torch.optim``: trajectories ready to animate.

Three scenes, each a plain-data result with a JSON round trip (they are
computed in the worker process and travel to the server as JSON):

* :func:`descend_1d` - one optimiser walking down f(x); the default run is
  tutorial 000 (``a*x**2 + b*x + c``, SGD, lr 0.01, 500 steps).
* :func:`race_2d` - several optimisers started at one point of f(x, y), with a
  contour grid of f; :data:`PRESETS_2D` holds the bowl, Rosenbrock and saddle.
* :func:`fit_line` - tutorial 003's linear regression (``nn.Linear(1, 1)``,
  ``MSELoss``, SGD) epoch by epoch.

A run that diverges (x, f or the gradient turns nan/inf, or |x| explodes)
stops there and says where and why in :class:`Stop`; it is a result, not an
error. :func:`descent_job` is the worker's entry point for user expressions.

torch is imported inside the functions that run optimisers, so the server can
import this module for its data types and presets without loading torch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Literal

from autodiff_viz.result import ErrorKind, RunError

if TYPE_CHECKING:
    from torch import Tensor
    from torch.optim import Optimizer

MAX_STEPS = 5_000
MAX_ABS_START = 1e4
#: |coordinate| beyond which a run counts as diverged: far outside any sensible
#: picture, and well before float32 overflows to inf.
EXPLODED = 1e6
CURVE_POINTS = 400
GRID_POINTS = 40
MAX_CONSTANTS = 8

Reason = Literal["nan", "inf", "exploded"]
Bounds = tuple[float, float, float, float]  # x_lo, x_hi, y_lo, y_hi


# --- inputs ---------------------------------------------------------------------------------


class DescentInputError(ValueError):
    """An input a descent run does not accept, explained in English and Chinese."""

    def __init__(self, message: str, message_zh: str, kind: ErrorKind = "refused") -> None:
        super().__init__(message)
        self.message_zh = message_zh
        self.kind = kind

    def to_run_error(self) -> RunError:
        return RunError(kind=self.kind, message=str(self), message_zh=self.message_zh)


@dataclass(frozen=True)
class OptimizerSpec:
    """One choice of the optimiser menu: a ``torch.optim`` class and fixed options."""

    torch_class: str
    options: Mapping[str, float]
    label_en: str
    label_zh: str


OPTIMIZERS: dict[str, OptimizerSpec] = {
    "SGD": OptimizerSpec("SGD", {}, "SGD", "SGD"),
    "Momentum": OptimizerSpec("SGD", {"momentum": 0.9}, "SGD + momentum 0.9", "SGD + 动量 0.9"),
    "RMSprop": OptimizerSpec("RMSprop", {}, "RMSprop", "RMSprop"),
    "Adam": OptimizerSpec("Adam", {}, "Adam", "Adam"),
    "Adagrad": OptimizerSpec("Adagrad", {}, "Adagrad", "Adagrad"),
}


def _check_steps(steps: int) -> None:
    if not 1 <= steps <= MAX_STEPS:
        raise DescentInputError(
            f"steps must be between 1 and {MAX_STEPS:,} (got {steps})",
            f"步数必须在 1 到 {MAX_STEPS:,} 之间（当前为 {steps}）",
            kind="budget",
        )


def _check_lr(lr: float) -> None:
    if not (math.isfinite(lr) and 0 < lr <= 100):
        raise DescentInputError(
            f"the learning rate must be a number in (0, 100] (got {lr})",
            f"学习率必须是 (0, 100] 之间的数（当前为 {lr}）",
        )


def _check_start(value: float, name: str) -> None:
    if not (math.isfinite(value) and abs(value) <= MAX_ABS_START):
        raise DescentInputError(
            f"the start {name} must be a number between -{MAX_ABS_START:g} and "
            f"{MAX_ABS_START:g} (got {value})",
            f"起点 {name} 必须是 -{MAX_ABS_START:g} 到 {MAX_ABS_START:g} 之间的数"
            f"（当前为 {value}）",
        )


def _make_optimizer(name: str, params: list[Tensor], lr: float, momentum: float) -> Optimizer:
    import torch

    spec = OPTIMIZERS.get(name)
    if spec is None:
        raise DescentInputError(
            f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMIZERS)}",
            f"未知的优化器 {name!r}；可选：{', '.join(OPTIMIZERS)}",
        )
    if not 0 <= momentum < 1:
        raise DescentInputError(
            f"momentum must be in [0, 1) (got {momentum})",
            f"动量必须在 [0, 1) 之间（当前为 {momentum}）",
        )
    options = dict(spec.options)
    if momentum and spec.torch_class in ("SGD", "RMSprop"):
        options["momentum"] = momentum
    optimizer: Optimizer = getattr(torch.optim, spec.torch_class)(params, lr=lr, **options)
    return optimizer


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    """Where a run diverged: the first step whose ``quantity`` was nan, inf or exploded."""

    step: int
    reason: Reason
    quantity: str  # "x", "y", "f", "grad", "loss", "weight", "bias"


def _find_stop(
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


def _finite_or_none(values: Iterable[float]) -> tuple[float | None, ...]:
    return tuple(v if math.isfinite(v) else None for v in values)


# --- presets (data only) --------------------------------------------------------------------


@dataclass(frozen=True)
class Preset2D:
    """A surface for the race: expression in x and y, start, view and per-optimiser lrs."""

    key: str
    expr: str
    label_en: str
    label_zh: str
    start: tuple[float, float]
    bounds: Bounds
    lrs: Mapping[str, float]
    steps: int
    log_z: bool = False  # contours of log(1 + f - min f): a narrow valley stays visible


PRESETS_2D: dict[str, Preset2D] = {
    "bowl": Preset2D(
        key="bowl",
        expr="x**2 + 10*y**2",
        label_en="Quadratic bowl x² + 10y² (elongated)",
        label_zh="二次碗 x² + 10y²（狭长）",
        start=(-4.0, 1.5),
        bounds=(-5.0, 5.0, -2.5, 2.5),
        lrs={"SGD": 0.08, "Momentum": 0.01, "RMSprop": 0.05, "Adam": 0.2, "Adagrad": 0.8},
        steps=150,
    ),
    "rosenbrock": Preset2D(
        key="rosenbrock",
        expr="(1 - x)**2 + 100*(y - x**2)**2",
        label_en="Rosenbrock (1 - x)² + 100(y - x²)²",
        label_zh="Rosenbrock 函数 (1 - x)² + 100(y - x²)²",
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
        label_en="Saddle x² - y²",
        label_zh="鞍点 x² - y²",
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


# --- the runs -------------------------------------------------------------------------------


def _scalar_of(out: object, what: str) -> Tensor:
    """``out`` as a one-element tensor that depends on the inputs, or a clear refusal."""
    import torch

    if not isinstance(out, torch.Tensor) or out.numel() != 1:
        raise DescentInputError(
            f"{what} must give one number for one point",
            f"{what} 对一个点必须给出一个数",
        )
    if not out.requires_grad:
        raise DescentInputError(
            f"{what} does not depend on its variables, so there is no gradient to follow",
            f"{what} 与自变量无关，没有可以沿着下降的梯度",
        )
    return out.reshape(())


def _sample(f: Callable[..., Tensor], axes: Sequence[Tensor], what: str) -> Tensor:
    """f on the grid spanned by ``axes`` in ONE vectorised call (f must be elementwise)."""
    import torch

    mesh = torch.meshgrid(*reversed(axes), indexing="ij")  # rows follow the last axis
    with torch.no_grad():
        out = f(*reversed(mesh))
    if not isinstance(out, torch.Tensor) or out.shape != mesh[0].shape:
        raise DescentInputError(
            f"{what} must work elementwise on a tensor of points "
            "(sum, mean and matrix products mix the points)",
            f"{what} 必须逐元素计算（sum、mean 和矩阵乘法会把各点混在一起）",
        )
    return out.to(torch.float64)


def _span(values: Sequence[float], centre: float) -> tuple[float, float]:
    """The range of ``values`` (or around ``centre`` if none) with a margin."""
    lo, hi = (min(values), max(values)) if values else (centre, centre)
    pad = max(0.2 * (hi - lo), 0.5)
    return lo - pad, hi + pad


def descend_1d(
    f: Callable[[Tensor], Tensor],
    x0: float,
    *,
    optimizer: str = "SGD",
    lr: float = 0.01,
    steps: int = 500,
    momentum: float = 0.0,
    curve_points: int = CURVE_POINTS,
) -> Trajectory1D:
    """Run ``optimizer`` on f from x0 exactly as tutorial 000's loop does, recording each state."""
    import torch

    _check_steps(steps)
    _check_lr(lr)
    _check_start(x0, "x")
    x = torch.tensor(x0, dtype=torch.float32, requires_grad=True)
    opt = _make_optimizer(optimizer, [x], lr, momentum)
    xs: list[float] = []
    ys: list[float] = []
    grads: list[float] = []
    stop = None
    for step in range(steps + 1):
        opt.zero_grad()
        y = _scalar_of(f(x), "f(x)")
        y.backward()
        state = (x.item(), y.item(), 0.0 if x.grad is None else x.grad.item())
        stop = _find_stop(step, zip(("x", "f", "grad"), state, strict=True), ("x",))
        if stop is not None:
            break
        xs.append(state[0])
        ys.append(state[1])
        grads.append(state[2])
        if step < steps:  # state `steps` is the result; no step after it
            opt.step()
    lo, hi = _span(xs, x0)
    axis = torch.linspace(lo, hi, curve_points, dtype=torch.float32)
    curve = _sample(f, [axis], "f(x)")
    return Trajectory1D(
        optimizer=optimizer,
        lr=lr,
        steps=steps,
        xs=tuple(xs),
        ys=tuple(ys),
        grads=tuple(grads),
        curve_x=tuple(axis.tolist()),
        curve_y=_finite_or_none(curve.tolist()),
        stop=stop,
    )


def _path_2d(
    f: Callable[[Tensor, Tensor], Tensor],
    start: tuple[float, float],
    optimizer: str,
    lr: float,
    steps: int,
) -> Path2D:
    import torch

    x = torch.tensor(start[0], dtype=torch.float32, requires_grad=True)
    y = torch.tensor(start[1], dtype=torch.float32, requires_grad=True)
    opt = _make_optimizer(optimizer, [x, y], lr, 0.0)
    xs: list[float] = []
    ys: list[float] = []
    fs: list[float] = []
    stop = None
    for step in range(steps + 1):
        opt.zero_grad()
        value = _scalar_of(f(x, y), "f(x, y)")
        value.backward()
        state = (x.item(), y.item(), value.item())
        gx, gy = (0.0 if t.grad is None else t.grad.item() for t in (x, y))
        named = (("x", state[0]), ("y", state[1]), ("f", state[2]), ("grad", gx), ("grad", gy))
        stop = _find_stop(step, named, ("x", "y"))
        if stop is not None:
            break
        xs.append(state[0])
        ys.append(state[1])
        fs.append(state[2])
        if step < steps:
            opt.step()
    return Path2D(optimizer, lr, tuple(xs), tuple(ys), tuple(fs), stop)


def race_2d(
    f: Callable[[Tensor, Tensor], Tensor],
    start: tuple[float, float],
    *,
    optimizers: Sequence[str] = ("SGD", "Momentum", "RMSprop", "Adam"),
    lr: float | Mapping[str, float] = 0.01,
    steps: int = 200,
    bounds: Bounds | None = None,
    grid_points: int = GRID_POINTS,
) -> Race2D:
    """Each optimiser from ``start`` on f (same loop as :func:`descend_1d`), plus f's grid.

    ``lr`` is one rate for all or a rate per optimiser name. Without
    ``bounds`` the grid covers the start and every path with a margin.
    """
    import torch

    _check_steps(steps)
    for value, name in zip(start, "xy", strict=True):
        _check_start(value, name)
    if not optimizers:
        raise DescentInputError("choose at least one optimiser", "请至少选择一个优化器")
    rates = {name: lr[name] if isinstance(lr, Mapping) else lr for name in optimizers}
    for rate in rates.values():
        _check_lr(rate)
    paths = tuple(_path_2d(f, start, name, rates[name], steps) for name in optimizers)
    if bounds is None:
        x_lo, x_hi = _span([v for p in paths for v in p.xs], start[0])
        y_lo, y_hi = _span([v for p in paths for v in p.ys], start[1])
        bounds = (x_lo, x_hi, y_lo, y_hi)
    gx = torch.linspace(bounds[0], bounds[1], grid_points, dtype=torch.float32)
    gy = torch.linspace(bounds[2], bounds[3], grid_points, dtype=torch.float32)
    z = _sample(f, [gx, gy], "f(x, y)")
    return Race2D(
        start=start,
        steps=steps,
        paths=paths,
        grid=Grid(
            tuple(gx.tolist()), tuple(gy.tolist()), tuple(_finite_or_none(r) for r in z.tolist())
        ),
    )


def fit_line(epochs: int = 100, lr: float = 0.01, seed: int = 0) -> LineFit:
    """Tutorial 003: fit y = 2x + 1 on x = 0..10 with nn.Linear(1, 1), MSELoss and SGD."""
    import torch

    _check_steps(epochs)
    _check_lr(lr)
    inputs = torch.arange(11, dtype=torch.float32).reshape(-1, 1)
    targets = 2 * inputs + 1
    # A private RNG stream: the seed must not leak into other sessions of the app.
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    criterion = torch.nn.MSELoss()
    weights: list[float] = []
    biases: list[float] = []
    losses: list[float] = []
    stop = None
    for epoch in range(epochs + 1):
        loss = criterion(model(inputs), targets)
        state = (model.weight.item(), model.bias.item(), loss.item())
        stop = _find_stop(epoch, zip(("weight", "bias", "loss"), state, strict=True), ())
        if stop is not None:
            break
        weights.append(state[0])
        biases.append(state[1])
        losses.append(state[2])
        if epoch < epochs:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return LineFit(
        xs=tuple(inputs.flatten().tolist()),
        ys=tuple(targets.flatten().tolist()),
        lr=lr,
        seed=seed,
        weights=tuple(weights),
        biases=tuple(biases),
        losses=tuple(losses),
        stop=stop,
    )


# --- the worker's entry point ---------------------------------------------------------------

JobResult = Trajectory1D | Race2D | LineFit | RunError


def descent_job(args: Mapping[str, Any]) -> dict[str, Any]:
    """Run one scene for the worker: ``{"trajectory" | "race" | "fit": ...}`` or ``{"error": ...}``.

    ``args["scene"]`` is ``"1d"`` (expr in x, optional ``constants`` such as
    tutorial 000's a, b, c, x0, optimizer, lr, steps, momentum), ``"2d"``
    (``preset`` and/or expr in x and y, start, optimizers, lr, steps, bounds)
    or ``"line"`` (epochs, lr, seed). The expression goes through the sandbox;
    its refusals and the user's mistakes come back as ``{"error": RunError}``.
    """
    try:
        scene = args.get("scene")
        if scene == "1d":
            return {"trajectory": _job_1d(args).to_dict()}
        if scene == "2d":
            return {"race": _job_2d(args).to_dict()}
        if scene == "line":
            fit = fit_line(
                _int(args, "epochs", 100), _float(args, "lr", 0.01), _int(args, "seed", 0)
            )
            return {"fit": fit.to_dict()}
        raise DescentInputError(
            f"unknown scene {scene!r}; use '1d', '2d' or 'line'",
            f"未知的场景 {scene!r}；可选 '1d'、'2d'、'line'",
        )
    except DescentInputError as exc:
        return {"error": asdict(exc.to_run_error())}
    except Exception as exc:
        # The sandbox's errors (refusals, budgets, the user's runtime errors) know how to
        # explain themselves; anything else is our bug and goes to the pool as a failure.
        to_run_error = getattr(exc, "to_run_error", None)
        if to_run_error is None:
            raise
        error: RunError = to_run_error()
        return {"error": asdict(error)}


def result_from_job(raw: Mapping[str, Any]) -> JobResult:
    """Decode :func:`descent_job`'s answer on the server side (no torch needed)."""
    if "trajectory" in raw:
        return Trajectory1D.from_dict(raw["trajectory"])
    if "race" in raw:
        return Race2D.from_dict(raw["race"])
    if "fit" in raw:
        return LineFit.from_dict(raw["fit"])
    return RunError(**raw["error"])


def _job_1d(args: Mapping[str, Any]) -> Trajectory1D:
    import torch

    constants = args.get("constants") or {}
    if not isinstance(constants, Mapping) or len(constants) > MAX_CONSTANTS:
        raise DescentInputError(
            f"constants must be at most {MAX_CONSTANTS} names with numbers",
            f"常量最多 {MAX_CONSTANTS} 个，每个是名字和数值",
        )
    names = tuple(str(name) for name in constants)
    if not all(name.isidentifier() and not name.startswith("_") for name in names):
        raise DescentInputError(
            "constant names must be plain names such as a, b, c",
            "常量名必须是 a、b、c 这样的普通名字",
        )
    g = _compile(_str(args, "expr"), ("x", *names))
    # 0-dim float32 tensors, as tutorial 000 writes a = torch.tensor(1.0).
    values = [torch.tensor(_float(constants, name, 0.0)) for name in names]
    return descend_1d(
        lambda x: g(x, *values),
        _float(args, "x0", 0.0),
        optimizer=_str(args, "optimizer", "SGD"),
        lr=_float(args, "lr", 0.01),
        steps=_int(args, "steps", 500),
        momentum=_float(args, "momentum", 0.0),
    )


def _job_2d(args: Mapping[str, Any]) -> Race2D:
    key = args.get("preset")
    preset = PRESETS_2D.get(key) if isinstance(key, str) else None
    if key is not None and preset is None:
        raise DescentInputError(
            f"unknown surface {key!r}; choose one of {', '.join(PRESETS_2D)}",
            f"未知的曲面 {key!r}；可选：{', '.join(PRESETS_2D)}",
        )
    expr = _str(args, "expr", preset.expr if preset else None)
    start = _floats(args, "start", preset.start if preset else (1.0, 1.0), 2)
    optimizers = args.get("optimizers", ("SGD", "Momentum", "RMSprop", "Adam"))
    if not isinstance(optimizers, Sequence) or isinstance(optimizers, str):
        raise DescentInputError("optimizers must be a list of names", "优化器必须是名字的列表")
    lr: float | Mapping[str, float]
    if isinstance(args.get("lr"), Mapping):
        lr = {str(name): _float(args["lr"], str(name), 0.01) for name in args["lr"]}
    elif "lr" in args or preset is None:
        lr = _float(args, "lr", 0.01)
    else:
        lr = preset.lrs
    bounds: Bounds | None = None
    if args.get("bounds") is not None:
        b = _floats(args, "bounds", (), 4)
        bounds = (b[0], b[1], b[2], b[3])
    elif preset and _inside(start, preset.bounds):
        bounds = preset.bounds  # the preset's view, unless the start moved out of it
    return race_2d(
        _compile(expr, ("x", "y")),
        (start[0], start[1]),
        optimizers=[str(name) for name in optimizers],
        lr=lr,
        steps=_int(args, "steps", preset.steps if preset else 200),
        bounds=bounds,
    )


def _inside(point: Sequence[float], bounds: Bounds) -> bool:
    return bounds[0] <= point[0] <= bounds[1] and bounds[2] <= point[1] <= bounds[3]


def _compile(expr: str, params: tuple[str, ...]) -> Callable[..., Tensor]:
    from autodiff_viz.sandbox.execute import compile_function

    function: Callable[..., Tensor] = compile_function(expr, params)
    return function


def _bad_arg(key: str, expected: str, expected_zh: str) -> DescentInputError:
    return DescentInputError(f"{key} must be {expected}", f"{key} 必须是{expected_zh}")


def _float(args: Mapping[str, Any], key: str, default: float) -> float:
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad_arg(key, "a number", "数值")
    return float(value)


def _int(args: Mapping[str, Any], key: str, default: int) -> int:
    value = args.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _bad_arg(key, "a whole number", "整数")
    return value


def _str(args: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = args.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise _bad_arg(key, "a non-empty text", "非空文本")
    return value


def _floats(
    args: Mapping[str, Any], key: str, default: Sequence[float], count: int
) -> tuple[float, ...]:
    value = args.get(key, default)
    if not isinstance(value, Sequence) or len(value) != count:
        raise _bad_arg(key, f"{count} numbers", f" {count} 个数值")
    return tuple(_float({key: v}, key, 0.0) for v in value)
