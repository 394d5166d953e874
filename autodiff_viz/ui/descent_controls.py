"""The descent page's controls: pick a scene, set its inputs, get the worker job to run.

:func:`scene_switch` draws the scene switch, :func:`controls` the chosen scene's
widgets; it returns :class:`DescentOptions` - the arguments of the worker's ``descent``
job (``autodiff_viz.descent.job.descent_job``) and how to draw its answer;
:func:`descent_result` reads that answer. The 1D scene opens on tutorial 000
exactly (:data:`~autodiff_viz.descent.data.TUTORIAL_000`).

Every widget keeps its value in session state under a key of its own, given
back before the widget is drawn: typed text survives reruns, errors and page
switches (Streamlit forgets a widget's value when a page without it runs).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from autodiff_viz.descent.data import (
    MAX_STEPS,
    OPTIMIZERS,
    PRESETS_2D,
    TUTORIAL_000,
    JobResult,
    result_from_job,
)
from autodiff_viz.i18n import Lang, t
from autodiff_viz.sandbox.replies import reply_error
from autodiff_viz.ui.state import kept, put, saved

SCENES = ("1d", "2d", "line")
CUSTOM = "custom"  # the 2D surface menu's last choice: the user's own f(x, y)
RACERS = ("SGD", "Momentum", "RMSprop", "Adam")
_CONSTANTS = ("a", "b", "c")

#: Every widget of the page and its first value; the 1D values are tutorial 000's.
DEFAULTS: dict[str, Any] = {
    "descent.scene": "1d",
    "descent.1d.expr": TUTORIAL_000["expr"],
    **{f"descent.1d.{name}": TUTORIAL_000["constants"][name] for name in _CONSTANTS},
    "descent.1d.x0": TUTORIAL_000["x0"],
    "descent.1d.optimizer": TUTORIAL_000["optimizer"],
    "descent.1d.lr": TUTORIAL_000["lr"],
    "descent.1d.steps": TUTORIAL_000["steps"],
    "descent.2d.surface": "bowl",
    "descent.2d.racers": list(RACERS),
    "descent.2d.expr": "x**2 + x*y + 3*y**2",
    "descent.2d.x0": 2.0,
    "descent.2d.y0": -1.5,
    "descent.2d.lr": 0.05,
    "descent.2d.steps": 200,
    "descent.line.epochs": 100,
    "descent.line.lr": 0.01,
    "descent.line.seed": 0,
}


@dataclass(frozen=True)
class DescentOptions:
    """What to run and how to show it: the ``descent`` job's arguments, contour scale."""

    scene: str
    job: Mapping[str, Any]
    log_z: bool = False


def _kept(key: str) -> dict[str, Any]:
    return kept(key, DEFAULTS[key])


def _reset(scene: str) -> None:
    """Put every widget of ``scene`` back to its first value."""
    for key, value in DEFAULTS.items():
        if key.startswith(f"descent.{scene}."):
            put(key, value)


def _number(label: str, key: str, **limits: Any) -> Any:
    return st.number_input(label, **limits, **_kept(key))


def _lr(key: str, lang: Lang) -> float:
    value: float = _number(
        t("descent.lr", lang),
        key,
        min_value=1e-5,
        max_value=100.0,
        step=0.01,
        format="%g",
        help=t("descent.lr.help", lang),
    )
    return value


def _steps(key: str, label: str) -> int:
    value: int = _number(label, key, min_value=1, max_value=MAX_STEPS, step=50)
    return value


def _scene_1d(lang: Lang) -> DescentOptions:
    st.markdown(t("descent.1d.about", lang))
    expr = st.text_input(
        t("descent.1d.expr", lang), help=t("descent.1d.expr.help", lang), **_kept("descent.1d.expr")
    )
    constants: dict[str, float] = {}
    *columns, last = st.columns(len(_CONSTANTS) + 1)
    for name, column in zip(_CONSTANTS, columns, strict=True):
        with column:
            constants[name] = float(_number(name, f"descent.1d.{name}", step=0.5, format="%g"))
    with last:
        x0 = float(_number(t("descent.1d.x0", lang), "descent.1d.x0", step=0.5, format="%g"))
    # The optimiser menu gets a row of its own: its longest choice ("SGD + momentum 0.9")
    # is clipped in a third of the controls' column.
    optimizer = _optimizer_menu(lang)
    left, right = st.columns(2)
    with left:
        lr = _lr("descent.1d.lr", lang)
    with right:
        steps = _steps("descent.1d.steps", t("descent.steps", lang))
    job = {
        "scene": "1d",
        "expr": expr,
        "constants": constants,
        "x0": x0,
        "optimizer": optimizer,
        "lr": lr,
        "steps": steps,
    }
    return DescentOptions("1d", job)


def _optimizer_menu(lang: Lang) -> str:
    name: str = st.selectbox(
        t("descent.optimizer", lang),
        options=list(OPTIMIZERS),
        format_func=lambda key: optimizer_label(key, lang),
        **_kept("descent.1d.optimizer"),
    )
    return name


def optimizer_label(key: str, lang: Lang) -> str:
    """The optimiser's name in the menu and the legend."""
    OPTIMIZERS[key]  # a KeyError for a name the job would refuse, as before
    return t(f"optimizer.{key}", lang)


def _surface_label(key: str, lang: Lang) -> str:
    if key == CUSTOM:
        return t("descent.2d.custom", lang)
    return t(f"surface.{PRESETS_2D[key].key}", lang)


def _scene_2d(lang: Lang) -> DescentOptions:
    st.markdown(t("descent.2d.about", lang))
    surface = st.selectbox(
        t("descent.2d.surface", lang),
        options=[*PRESETS_2D, CUSTOM],
        format_func=lambda key: _surface_label(key, lang),
        **_kept("descent.2d.surface"),
    )
    # Pills, not a multiselect: every racer stays in sight, on or off, and the row wraps in a
    # narrow column (a multiselect's chips were cut off at 1280 px).
    racers = st.pills(
        t("descent.2d.racers", lang),
        options=list(OPTIMIZERS),
        selection_mode="multi",
        wrap=True,
        format_func=lambda key: optimizer_label(key, lang),
        **_kept("descent.2d.racers"),
    )
    # The job keeps the menu's order whatever order the racers were picked in, so a
    # racer's colour does not depend on the clicks that chose it.
    chosen = [name for name in OPTIMIZERS if name in racers]
    if surface != CUSTOM:
        preset = PRESETS_2D[surface]
        return DescentOptions(
            "2d", {"scene": "2d", "preset": surface, "optimizers": chosen}, log_z=preset.log_z
        )
    expr = st.text_input(
        t("descent.2d.expr", lang), help=t("descent.2d.expr.help", lang), **_kept("descent.2d.expr")
    )
    columns = [*st.columns(2), *st.columns(2)]  # two rows: four labels in one row are clipped
    with columns[0]:
        x0 = float(_number(t("descent.2d.x0", lang), "descent.2d.x0", step=0.5, format="%g"))
    with columns[1]:
        y0 = float(_number(t("descent.2d.y0", lang), "descent.2d.y0", step=0.5, format="%g"))
    with columns[2]:
        lr = _lr("descent.2d.lr", lang)
    with columns[3]:
        steps = _steps("descent.2d.steps", t("descent.steps", lang))
    job = {
        "scene": "2d",
        "expr": expr,
        "start": [x0, y0],
        "optimizers": chosen,
        "lr": lr,
        "steps": steps,
    }
    return DescentOptions("2d", job)


def _scene_line(lang: Lang) -> DescentOptions:
    st.markdown(t("descent.line.about", lang))
    left, right = st.columns(2)
    with left:
        epochs = _steps("descent.line.epochs", t("descent.line.epochs", lang))
    with right:
        lr = _lr("descent.line.lr", lang)
    seed = int(
        _number(
            t("descent.line.seed", lang),
            "descent.line.seed",
            min_value=0,
            max_value=2**31 - 1,
            step=1,
            help=t("descent.line.seed.help", lang),
        )
    )
    return DescentOptions("line", {"scene": "line", "epochs": epochs, "lr": lr, "seed": seed})


_SCENES = {"1d": _scene_1d, "2d": _scene_2d, "line": _scene_line}


def scene_switch(lang: Lang) -> str:
    """The scene switch; drawn across the page, where every scene's name fits in both languages."""
    scene = st.segmented_control(
        t("descent.scene", lang),
        options=list(SCENES),
        format_func=lambda key: t(f"descent.scene.{key}", lang),
        **_kept("descent.scene"),
    )
    if scene is None:  # the user clicked the selected scene again: keep it
        scene = saved("descent.scene")
    return str(scene)


def controls(scene: str, lang: Lang) -> DescentOptions:
    """The scene's inputs and a reset; the job to run for them."""
    options = _SCENES[scene](lang)
    st.button(
        t("descent.reset", lang), icon=":material/restart_alt:", on_click=_reset, args=(scene,)
    )
    return options


def descent_result(reply: Mapping[str, Any]) -> JobResult:
    """What a "descent" job's reply shows: the paths, or why there are none."""
    if reply["ok"]:
        return result_from_job(reply["result"])
    return reply_error(reply["error"])  # the pool's own failure: a time limit, a lost worker
