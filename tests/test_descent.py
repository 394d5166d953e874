"""The descent engine against plain PyTorch loops: tutorial 000, tutorial 003, each optimiser."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import torch

from autodiff_viz.descent.data import (
    OPTIMIZERS,
    PRESETS_2D,
    TUTORIAL_000,
    DescentInputError,
    LineFit,
    Race2D,
    Stop,
    Trajectory1D,
    result_from_job,
)
from autodiff_viz.descent.job import descend_1d, descent_job, fit_line, race_2d
from autodiff_viz.result import RunError

A, B, C = torch.tensor(1.0), torch.tensor(-2.0), torch.tensor(1.0)


def tutorial_f(x: torch.Tensor) -> torch.Tensor:
    return A * torch.pow(x, 2) + B * x + C


def preset_f(expr: str):  # trusted preset text, evaluated in the test only
    return lambda x, y: eval(expr, {"torch": torch, "x": x, "y": y})


def test_tutorial_000_final_x_and_y_equal_the_plain_loop_exactly() -> None:
    x = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.SGD(params=[x], lr=0.01)
    for _ in range(500):
        optimizer.zero_grad()
        y = tutorial_f(x)
        y.backward()
        optimizer.step()
    traj = descend_1d(tutorial_f, 0.0)
    assert len(traj.xs) == len(traj.ys) == len(traj.grads) == 501
    assert traj.xs[-1] == x.item()
    assert traj.ys[-1] == tutorial_f(x).item()
    assert traj.xs[0] == 0.0 and traj.grads[0] == -2.0
    assert traj.stop is None
    assert abs(traj.xs[-1] - 1) < 1e-4 and traj.ys[-1] < 1e-8


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_1d_every_optimiser_equals_a_plain_loop(name: str) -> None:
    spec = OPTIMIZERS[name]
    x = torch.tensor(2.5, requires_grad=True)
    optimizer = getattr(torch.optim, spec.torch_class)([x], lr=0.05, **spec.options)
    xs = []
    for _ in range(60):
        optimizer.zero_grad()
        (torch.sin(x) + 0.1 * x**2).backward()
        xs.append(x.item())
        optimizer.step()
    traj = descend_1d(lambda t: torch.sin(t) + 0.1 * t**2, 2.5, optimizer=name, lr=0.05, steps=60)
    assert list(traj.xs[:-1]) == xs
    assert traj.xs[-1] == x.item()


@pytest.mark.parametrize("name", ["SGD", "Momentum", "RMSprop", "Adam"])
def test_2d_each_optimiser_equals_a_plain_loop(name: str) -> None:
    preset = PRESETS_2D["rosenbrock"]
    f = preset_f(preset.expr)
    spec = OPTIMIZERS[name]
    x = torch.tensor(-1.5, requires_grad=True)
    y = torch.tensor(2.0, requires_grad=True)
    optimizer = getattr(torch.optim, spec.torch_class)([x, y], lr=preset.lrs[name], **spec.options)
    for _ in range(100):
        optimizer.zero_grad()
        f(x, y).backward()
        optimizer.step()
    race = race_2d(f, (-1.5, 2.0), optimizers=[name], lr=preset.lrs, steps=100, grid_points=8)
    (path,) = race.paths
    assert (path.xs[-1], path.ys[-1], path.fs[-1]) == (x.item(), y.item(), f(x, y).item())
    assert path.lr == preset.lrs[name] and path.stop is None


def test_presets_behave_as_their_story_says() -> None:
    bowl = PRESETS_2D["bowl"]
    race = race_2d(preset_f(bowl.expr), bowl.start, lr=bowl.lrs, steps=bowl.steps)
    assert all(p.stop is None and p.fs[-1] < 1e-3 for p in race.paths)
    rb = PRESETS_2D["rosenbrock"]
    race = race_2d(preset_f(rb.expr), rb.start, lr=rb.lrs, steps=rb.steps, grid_points=8)
    final = {p.optimizer: p.fs[-1] for p in race.paths}
    assert all(p.stop is None for p in race.paths)
    assert final["Adam"] < 0.05 < final["SGD"]  # the valley: Adam far along it, SGD crawling
    saddle = PRESETS_2D["saddle"]
    race = race_2d(preset_f(saddle.expr), saddle.start, lr=saddle.lrs, steps=saddle.steps)
    assert all(p.fs[-1] < 0 for p in race.paths)  # everyone escapes the saddle point


def test_contour_grid_is_one_vectorised_evaluation_covering_paths() -> None:
    calls = []

    def f(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        calls.append(x.shape)
        return x**2 + 3 * y**2

    race = race_2d(f, (2.0, -1.0), optimizers=["SGD"], lr=0.1, steps=20, grid_points=30)
    assert calls.count(torch.Size([30, 30])) == 1
    grid = race.grid
    assert len(grid.z) == len(grid.ys) == 30 and len(grid.z[0]) == len(grid.xs) == 30
    assert grid.z[3][7] == pytest.approx(grid.xs[7] ** 2 + 3 * grid.ys[3] ** 2, rel=1e-5)
    assert grid.xs[0] < 0 < 2 < grid.xs[-1] and grid.ys[0] < -1 < 0 < grid.ys[-1]


def test_line_fit_equals_tutorial_003_and_leaves_the_process_rng_alone() -> None:
    before = torch.random.get_rng_state()
    fit = fit_line(epochs=100, lr=0.01, seed=7)
    assert torch.equal(before, torch.random.get_rng_state())
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(7)
        model = torch.nn.Linear(1, 1)
    x_train = torch.tensor([[float(i)] for i in range(11)])
    y_train = torch.tensor([[2.0 * i + 1] for i in range(11)])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    criterion = torch.nn.MSELoss()
    losses = []
    for _ in range(100):
        loss = criterion(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert list(fit.losses[:-1]) == losses
    assert (fit.weights[-1], fit.biases[-1]) == (model.weight.item(), model.bias.item())
    assert fit.xs == tuple(float(i) for i in range(11)) and fit.ys[3] == 7.0
    assert fit.losses[-1] < fit.losses[0] / 1000


def test_divergence_stops_at_the_step() -> None:
    # lr 1.5 on x**2: x -> -2x, |x| = 2**k passes 1e6 at step 20.
    assert descend_1d(lambda x: x**2, 1.0, lr=1.5).stop == Stop(20, "exploded", "x")
    # lr 10: x -> -19x, caught long before float32 overflows.
    grows = descend_1d(lambda x: x**2, 1.0, lr=10, steps=500)
    assert grows.stop == Stop(5, "exploded", "x") and len(grows.xs) == 5
    assert descend_1d(torch.sqrt, 1.0, lr=10).stop == Stop(1, "nan", "f")
    assert descend_1d(lambda x: -torch.exp(x), 0.0, lr=10).stop == Stop(2, "inf", "f")
    assert fit_line(lr=0.1).stop is not None
    assert all(map(float.__abs__, grows.xs))  # the kept states are all finite


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"steps": 5001}, "steps"),
        ({"steps": 0}, "steps"),
        ({"lr": 0.0}, "learning rate"),
        ({"lr": float("nan")}, "learning rate"),
        ({"optimizer": "LBFGS"}, "unknown optimiser"),
        ({"momentum": 1.0}, "momentum"),
    ],
)
def test_bad_inputs_are_refused_in_both_languages(kwargs: dict, fragment: str) -> None:
    with pytest.raises(DescentInputError, match=fragment) as info:
        descend_1d(tutorial_f, 0.0, **kwargs)
    error = info.value.to_run_error()
    assert error.message_zh and error.message_zh != error.message


def test_functions_that_cannot_be_descended_are_refused() -> None:
    with pytest.raises(DescentInputError, match="one number"):
        descend_1d(lambda x: x * torch.ones(3), 0.0)
    with pytest.raises(DescentInputError, match="does not depend"):
        descend_1d(lambda x: torch.tensor(3.0), 0.0)
    with pytest.raises(DescentInputError, match="elementwise"):
        descend_1d(lambda x: torch.sum(x**2), 1.0, steps=3)


def test_json_round_trips() -> None:
    stopped = descend_1d(torch.sqrt, 1.0, lr=10)  # diverges: the Stop survives the trip
    assert Trajectory1D.from_dict(json.loads(json.dumps(stopped.to_dict()))) == stopped
    traj = descend_1d(torch.log, 0.2, steps=5)
    assert Trajectory1D.from_dict(json.loads(json.dumps(traj.to_dict()))) == traj
    race = race_2d(lambda x, y: x**2 + y**2, (1.0, 1.0), steps=5, grid_points=5)
    assert Race2D.from_dict(json.loads(json.dumps(race.to_dict()))) == race
    fit = fit_line(epochs=5)
    assert LineFit.from_dict(json.loads(json.dumps(fit.to_dict()))) == fit
    assert traj.curve_y[0] is None  # log(x) left of 0 is not finite: a gap, valid JSON


def test_job_line_scene_and_refusals_need_no_sandbox() -> None:
    answer = json.loads(json.dumps(descent_job({"scene": "line", "epochs": 10})))
    assert result_from_job(answer) == fit_line(epochs=10)
    error = result_from_job(descent_job({"scene": "line", "epochs": 10**6}))
    assert isinstance(error, RunError) and error.kind == "budget" and error.message_zh
    assert isinstance(result_from_job(descent_job({"scene": "3d"})), RunError)
    assert isinstance(result_from_job(descent_job({"scene": "line", "lr": "fast"})), RunError)


@pytest.mark.parametrize(
    "module",
    ["autodiff_viz.descent.job", "autodiff_viz.descent.plots", "autodiff_viz.descent.race_plots"],
)
def test_importing_the_module_does_not_load_torch(module: str) -> None:
    code = f"import sys, {module}; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_job_runs_user_expressions_through_the_sandbox() -> None:
    pytest.importorskip("autodiff_viz.sandbox.execute")
    traj = result_from_job(json.loads(json.dumps(descent_job(TUTORIAL_000))))
    assert isinstance(traj, Trajectory1D)
    assert traj.xs[-1] == descend_1d(tutorial_f, 0.0).xs[-1]
    race = result_from_job(descent_job({"scene": "2d", "preset": "bowl", "steps": 20}))
    assert isinstance(race, Race2D) and len(race.paths) == 4
    refused = result_from_job(descent_job({"scene": "1d", "expr": "__import__('os')"}))
    assert isinstance(refused, RunError)
