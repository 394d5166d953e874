"""The descent animations: frames carry only what moves, small JSON, controls, final state."""

from __future__ import annotations

import json

import pytest
import torch

from autodiff_viz.descent.animation import MAX_FRAMES, frame_steps
from autodiff_viz.descent.data import PRESETS_2D, Trajectory1D, short_number
from autodiff_viz.descent.job import descend_1d, fit_line, race_2d
from autodiff_viz.descent.plots import descent_figure, line_equation, line_fit_figure
from autodiff_viz.descent.race_plots import race_figure
from autodiff_viz.descent.surface3d import PATH_POINTS, surface_figure


@pytest.fixture(scope="module")
def tutorial():
    return descend_1d(lambda x: x**2 - 2 * x + 1, 0.0)


def spec(fig) -> dict:
    return json.loads(fig.to_json())


def test_frame_steps_keep_first_and_last() -> None:
    assert frame_steps(5, 10) == [0, 1, 2, 3, 4]
    steps = frame_steps(5001, 120)
    assert steps[0] == 0 and steps[-1] == 5000 and len(steps) == 120
    assert steps == sorted(set(steps))
    assert frame_steps(0) == []


def test_1d_frames_carry_only_the_moving_traces(tutorial) -> None:
    fig = spec(descent_figure(tutorial))
    frames, data = fig["frames"], fig["data"]
    assert len(frames) == MAX_FRAMES
    curve = data[0]
    assert len(curve["x"]) == len(tutorial.curve_x)  # the curve: drawn once, never in a frame
    moving = frames[0]["traces"]
    assert 0 not in moving and 1 not in moving  # curve and full loss line are static
    for frame in frames:
        assert frame["traces"] == moving
        assert all(len(trace.get("x", ())) <= 5 for trace in frame["data"])
    assert len(data[1]["y"]) == 501  # the loss plot keeps every step


def test_1d_json_is_small_and_opens_on_the_start(tutorial) -> None:
    fig = descent_figure(tutorial)
    assert len(fig.to_json()) <= 100_000
    data = spec(fig)["data"]
    point = data[spec(fig)["frames"][0]["traces"][0]]
    assert point["x"][0] == 0.0 and point["y"][0] == 1.0


def test_1d_last_frame_is_the_final_state(tutorial) -> None:
    fig = spec(descent_figure(tutorial))
    last = fig["frames"][-1]
    assert last["name"] == "500"
    point, _, marker = last["data"]
    assert point["x"][0] == pytest.approx(tutorial.xs[-1], rel=1e-6)
    assert point["y"][0] == pytest.approx(tutorial.ys[-1], rel=1e-5, abs=1e-12)
    assert marker["x"] == [500]
    # The arrow points downhill: f'(x) < 0 just left of the minimum, so to the right.
    assert point["x"][2] > point["x"][1]


def test_play_pause_and_slider_present(tutorial) -> None:
    layout = spec(descent_figure(tutorial))["layout"]
    buttons = layout["updatemenus"][0]["buttons"]
    assert [b["method"] for b in buttons] == ["animate", "animate"]
    assert buttons[0]["args"][0] is None and buttons[0]["args"][1]["frame"]["redraw"] is False
    steps = layout["sliders"][0]["steps"]
    assert len(steps) == MAX_FRAMES and steps[-1]["args"][0] == ["500"]


def test_labels_are_used() -> None:
    traj = descend_1d(lambda x: x**2, 1.0, steps=10)
    fig = spec(descent_figure(traj, labels={"play": "▶ 播放", "loss": "损失"}))
    assert fig["layout"]["updatemenus"][0]["buttons"][0]["label"] == "▶ 播放"
    assert fig["data"][1]["name"] == "损失"


def test_divergence_ends_the_animation_with_a_message() -> None:
    traj = descend_1d(lambda x: x**2, 1.0, lr=1.5)
    fig = spec(descent_figure(traj))
    assert fig["frames"][-1]["name"] == "19"
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert any("step 20" in t for t in texts)
    # Diverged at the very first state: no frames, still a figure with the message.
    empty = spec(descent_figure(descend_1d(torch.log, 0.0, steps=3)))
    assert not empty.get("frames") and "annotations" in empty["layout"]


def sgd_on_parabola(steps: int, lr: float = 0.01) -> Trajectory1D:
    """SGD on (x - 1)² from 0 in closed form: x ← x - lr·2(x - 1), no torch needed."""
    xs = [0.0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * 2 * (xs[-1] - 1))
    curve = [i / 50 for i in range(101)]
    return Trajectory1D(
        optimizer="SGD",
        lr=lr,
        steps=steps,
        xs=tuple(xs),
        ys=tuple((x - 1) ** 2 for x in xs),
        grads=tuple(2 * (x - 1) for x in xs),
        curve_x=tuple(curve),
        curve_y=tuple((x - 1) ** 2 for x in curve),
    )


def test_the_closed_form_fixture_is_what_torch_runs() -> None:
    ran = descend_1d(lambda x: x**2 - 2 * x + 1, 0.0, steps=50)
    assert sgd_on_parabola(50).xs == pytest.approx(ran.xs, abs=1e-6)


def test_5000_steps_stay_bounded() -> None:
    fig = descent_figure(sgd_on_parabola(5000))
    assert len(fig.frames) == MAX_FRAMES
    assert len(fig.to_json()) < 200_000


def test_race_markers_move_over_static_contours() -> None:
    preset = PRESETS_2D["rosenbrock"]
    race = race_2d(
        lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
        preset.start,
        lr=preset.lrs,
        steps=preset.steps,
        bounds=preset.bounds,
    )
    fig = spec(race_figure(race, log_z=True))
    frames, data = fig["frames"], fig["data"]
    assert all(trace["type"] == "scatter" for trace in data)  # contours survive animation
    moving = frames[0]["traces"]
    assert len(moving) == 4
    assert [data[i]["marker"]["symbol"] for i in moving] == [
        "circle",
        "square",
        "diamond",
        "triangle-up",
    ]
    assert len({data[i]["marker"]["color"] for i in moving}) == 4
    for frame in frames:
        assert all(len(trace["x"]) == 1 for trace in frame["data"])
    final = frames[-1]["data"]
    for path, marker in zip(race.paths, final, strict=True):
        assert marker["x"][0] == pytest.approx(path.xs[-1], rel=1e-5)
    assert len(json.dumps(fig)) < 250_000


def test_line_fit_animates_the_line() -> None:
    fit = fit_line()
    fig = spec(line_fit_figure(fit))
    assert len(fig["data"][0]["x"]) == 11  # the data, drawn once
    first, last = fig["frames"][0]["data"][0], fig["frames"][-1]["data"][0]
    assert last["y"][1] == pytest.approx(fit.weights[-1] * 10 + fit.biases[-1], rel=1e-5)
    assert first["y"] != last["y"]
    assert fig["frames"][-1]["name"] == "100"
    # The equation follows the frame: each frame's text is that epoch's weight and bias.
    for frame in fig["frames"]:
        k = int(frame["name"])
        assert frame["data"][1]["text"] == [line_equation(fit.weights[k], fit.biases[k])]
    assert fig["frames"][0]["data"][1]["text"] != fig["frames"][-1]["data"][1]["text"]
    line = fig["data"][fig["frames"][0]["traces"][0]]
    assert line["name"] == "fitted line"  # the legend names the line, not one epoch


@pytest.mark.parametrize(
    ("weight", "bias", "text"),
    [
        (1.98, 1.05, "y = 1.98x + 1.05"),
        (-0.007487, 0.5364, "y = -0.00749x + 0.536"),
        (2.0141, -0.90252, "y = 2.01x - 0.903"),
        (2.0, -0.0000001, "y = 2x - 1e-07"),
        (2.0, -0.0, "y = 2x + 0"),
    ],
)
def test_line_equation_has_one_sign(weight: float, bias: float, text: str) -> None:
    assert line_equation(weight, bias) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(7e-34, "7e-34"), (0.5364, "0.5364"), (123456.0, "1.235e+05"), (-2.0, "-2"), (None, "")],
)
def test_race_table_numbers_are_short(value: float | None, text: str) -> None:
    assert short_number(value) == text


def test_surface_view_is_light_and_carries_every_path() -> None:
    race = race_2d(lambda x, y: x**2 + 3 * y**2, (2.0, -1.5), steps=500)
    fig = spec(surface_figure(race, names={"SGD": "SGD"}))
    surface, *paths, start = fig["data"]
    assert surface["type"] == "surface" and len(surface["z"]) == len(race.grid.ys)
    assert [p["type"] for p in paths] == ["scatter3d"] * len(race.paths)
    heights = [z for row in surface["z"] for z in row if z is not None]
    span = max(heights) - min(heights)
    for path, trace in zip(race.paths, paths, strict=True):
        assert len(trace["x"]) <= PATH_POINTS
        assert trace["x"][-1] == pytest.approx(path.xs[-1], rel=1e-5, abs=1e-12)
        # drawn just above the surface where it stopped, so the surface cannot hide it
        assert 0 < trace["z"][-1] - path.fs[-1] <= 0.02 * span
    assert start["x"] == [2.0]
    assert not fig.get("frames")  # rotatable, not animated
    assert len(json.dumps(fig)) < 120_000  # re-sent on every rerun: kept small


def test_dark_theme_keeps_markers_visible() -> None:
    race = race_2d(lambda x, y: x**2 + y**2, (1.0, 1.0), steps=5, grid_points=6)
    for theme, ink in (("light", "#000000"), ("dark", "#fafafa")):
        fig = spec(race_figure(race, theme=theme))
        start = next(trace for trace in fig["data"] if trace.get("name") == "start")
        assert start["marker"]["color"] == ink
        assert fig["layout"]["paper_bgcolor"] == ("#0e1117" if theme == "dark" else "#ffffff")
