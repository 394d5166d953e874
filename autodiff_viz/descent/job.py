"""Gradient descent with the real ``torch.optim``: trajectories ready to animate.

Three scenes, each returning a plain-data result of :mod:`autodiff_viz.descent.data`
(computed in the worker process, sent to the server as JSON):

* :func:`descend_1d` - one optimiser walking down f(x); the default run is
  tutorial 000 (``a*x**2 + b*x + c``, SGD, lr 0.01, 500 steps).
* :func:`race_2d` - several optimisers started at one point of f(x, y), with a
  contour grid of f; ``PRESETS_2D`` holds the bowl, Rosenbrock and saddle.
* :func:`fit_line` - tutorial 003's linear regression (``nn.Linear(1, 1)``,
  ``MSELoss``, SGD) epoch by epoch.

A run that diverged (x, f or the gradient turns nan/inf, or |x| explodes)
stops there and says where and why in its ``Stop``; it is a result, not an
error. :func:`descent_job` is the worker's entry point for user expressions.

torch is imported inside the functions that run optimisers, so importing this
module (say, for a type) does not load torch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from autodiff_viz.descent.data import (
    MAX_CONSTANTS,
    OPTIMIZERS,
    PRESETS_2D,
    Bounds,
    DescentInputError,
    Grid,
    LineFit,
    Path2D,
    Race2D,
    Trajectory1D,
    check_lr,
    check_start,
    check_steps,
    find_stop,
    finite_or_none,
    number_arg,
    numbers_arg,
    text_arg,
    whole_arg,
)
from autodiff_viz.result import RunError

if TYPE_CHECKING:
    from torch import Tensor
    from torch.optim import Optimizer

CURVE_POINTS = 400
GRID_POINTS = 40


def _make_optimizer(name: str, params: list[Tensor], lr: float, momentum: float) -> Optimizer:
    import torch

    spec = OPTIMIZERS.get(name)
    if spec is None:
        raise DescentInputError("optimizer", name=repr(name), choices=", ".join(OPTIMIZERS))
    if not 0 <= momentum < 1:
        raise DescentInputError("momentum", momentum=momentum)
    options = dict(spec.options)
    if momentum and spec.torch_class in ("SGD", "RMSprop"):
        options["momentum"] = momentum
    optimizer: Optimizer = getattr(torch.optim, spec.torch_class)(params, lr=lr, **options)
    return optimizer


# --- the runs -------------------------------------------------------------------------------


def _scalar_of(out: object, what: str) -> Tensor:
    """``out`` as a one-element tensor that depends on the inputs, or a clear refusal."""
    import torch

    if not isinstance(out, torch.Tensor) or out.numel() != 1:
        raise DescentInputError("one_number", what=what)
    if not out.requires_grad:
        raise DescentInputError("constant", what=what)
    return out.reshape(())


def _sample(f: Callable[..., Tensor], axes: Sequence[Tensor], what: str) -> Tensor:
    """f on the grid spanned by ``axes`` in ONE vectorised call (f must be elementwise)."""
    import torch

    mesh = torch.meshgrid(*reversed(axes), indexing="ij")  # rows follow the last axis
    with torch.no_grad():
        out = f(*reversed(mesh))
    if not isinstance(out, torch.Tensor) or out.shape != mesh[0].shape:
        raise DescentInputError("elementwise", what=what)
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

    check_steps(steps)
    check_lr(lr)
    check_start(x0, "x")
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
        stop = find_stop(step, zip(("x", "f", "grad"), state, strict=True), ("x",))
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
        curve_y=finite_or_none(curve.tolist()),
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
        stop = find_stop(step, named, ("x", "y"))
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

    check_steps(steps)
    for value, name in zip(start, "xy", strict=True):
        check_start(value, name)
    if not optimizers:
        raise DescentInputError("no_optimizer")
    rates = {name: lr[name] if isinstance(lr, Mapping) else lr for name in optimizers}
    for rate in rates.values():
        check_lr(rate)
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
            tuple(gx.tolist()), tuple(gy.tolist()), tuple(finite_or_none(r) for r in z.tolist())
        ),
    )


def fit_line(epochs: int = 100, lr: float = 0.01, seed: int = 0) -> LineFit:
    """Tutorial 003: fit y = 2x + 1 on x = 0..10 with nn.Linear(1, 1), MSELoss and SGD."""
    import torch

    check_steps(epochs)
    check_lr(lr)
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
        stop = find_stop(epoch, zip(("weight", "bias", "loss"), state, strict=True), ())
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
            epochs, seed = whole_arg(args, "epochs", 100), whole_arg(args, "seed", 0)
            fit = fit_line(epochs, number_arg(args, "lr", 0.01), seed)
            return {"fit": fit.to_dict()}
        raise DescentInputError("scene", scene=repr(scene))
    except DescentInputError as exc:
        return {"error": exc.to_run_error().to_dict()}
    except Exception as exc:
        # The sandbox's errors (refusals, budgets, the user's runtime errors) know how to
        # explain themselves; anything else is our bug and goes to the pool as a failure.
        to_run_error = getattr(exc, "to_run_error", None)
        if to_run_error is None:
            raise
        error: RunError = to_run_error()
        return {"error": error.to_dict()}


def _job_1d(args: Mapping[str, Any]) -> Trajectory1D:
    import torch

    constants = args.get("constants") or {}
    if not isinstance(constants, Mapping) or len(constants) > MAX_CONSTANTS:
        raise DescentInputError("constants", limit=MAX_CONSTANTS)
    names = tuple(str(name) for name in constants)
    if not all(name.isidentifier() and not name.startswith("_") for name in names):
        raise DescentInputError("constant_names")
    g = _compile(text_arg(args, "expr"), ("x", *names))
    # 0-dim float32 tensors, as tutorial 000 writes a = torch.tensor(1.0).
    values = [torch.tensor(number_arg(constants, name, 0.0)) for name in names]
    return descend_1d(
        lambda x: g(x, *values),
        number_arg(args, "x0", 0.0),
        optimizer=text_arg(args, "optimizer", "SGD"),
        lr=number_arg(args, "lr", 0.01),
        steps=whole_arg(args, "steps", 500),
        momentum=number_arg(args, "momentum", 0.0),
    )


def _job_2d(args: Mapping[str, Any]) -> Race2D:
    key = args.get("preset")
    preset = PRESETS_2D.get(key) if isinstance(key, str) else None
    if key is not None and preset is None:
        raise DescentInputError("surface", surface=repr(key), choices=", ".join(PRESETS_2D))
    expr = text_arg(args, "expr", preset.expr if preset else None)
    start = numbers_arg(args, "start", preset.start if preset else (1.0, 1.0), 2)
    optimizers = args.get("optimizers", ("SGD", "Momentum", "RMSprop", "Adam"))
    if not isinstance(optimizers, Sequence) or isinstance(optimizers, str):
        raise DescentInputError("optimizers")
    lr: float | Mapping[str, float]
    if isinstance(args.get("lr"), Mapping):
        lr = {str(name): number_arg(args["lr"], str(name), 0.01) for name in args["lr"]}
    elif "lr" in args or preset is None:
        lr = number_arg(args, "lr", 0.01)
    else:
        lr = preset.lrs
    bounds: Bounds | None = None
    if args.get("bounds") is not None:
        b = numbers_arg(args, "bounds", (), 4)
        bounds = (b[0], b[1], b[2], b[3])
    elif preset and _inside(start, preset.bounds):
        bounds = preset.bounds  # the preset's view, unless the start moved out of it
    return race_2d(
        _compile(expr, ("x", "y")),
        (start[0], start[1]),
        optimizers=[str(name) for name in optimizers],
        lr=lr,
        steps=whole_arg(args, "steps", preset.steps if preset else 200),
        bounds=bounds,
    )


def _inside(point: Sequence[float], bounds: Bounds) -> bool:
    return bounds[0] <= point[0] <= bounds[1] and bounds[2] <= point[1] <= bounds[3]


def _compile(expr: str, params: tuple[str, ...]) -> Callable[..., Tensor]:
    from autodiff_viz.sandbox.execute import compile_function

    function: Callable[..., Tensor] = compile_function(expr, params)
    return function
