"""What to differentiate: a pass the program ran, or an output and its gradient vector."""

from __future__ import annotations

import math
from dataclasses import dataclass

import streamlit as st

from autodiff_viz.explorer.data import FormError, parse_numbers, pass_labels
from autodiff_viz.i18n import Lang, t
from autodiff_viz.result import RunResult, Variable
from autodiff_viz.sandbox.options import GradientChoice, RunOptions
from autodiff_viz.ui import markup
from autodiff_viz.ui.runs import Run, run_cached


@dataclass(frozen=True)
class Target:
    """An output to run backward from, with the gradient for a non-scalar one."""

    name: str
    gradient: GradientChoice = "ones"
    custom: object = None


def differentiable(result: RunResult) -> list[Variable]:
    """Tensors the program left that have a graph behind them (or need grad)."""
    return [v for v in result.variables if v.value is not None and (v.grad_fn or v.requires_grad)]


def pick_pass(result: RunResult, lang: Lang) -> int:
    """The index of the pass to draw (the last one unless the user picks another)."""
    labels = pass_labels(result)
    if result.graphs_dropped:
        st.caption(t("explorer.pass.dropped", lang, count=result.graphs_dropped))
    if len(labels) == 1:
        return 0
    return int(
        st.selectbox(
            t("explorer.pass", lang),
            range(len(labels)),
            index=len(labels) - 1,
            format_func=lambda i: t(
                "explorer.pass.label", lang, number=i + 1, call=labels[i][0], line=labels[i][1]
            ),
            key="explorer.pass",
        )
    )


def _gradient(output: Variable, lang: Lang) -> Target:
    choices: list[GradientChoice] = ["ones", "mean", "custom"]
    choice: GradientChoice = st.radio(
        t("explorer.gradient", lang),
        choices,
        format_func=lambda c: t(f"explorer.gradient.{c}", lang),
        horizontal=True,
        key="explorer.gradient",
    )
    with st.expander(t("explorer.vjp.title", lang)):
        st.markdown(t("explorer.vjp.body", lang))
    if choice != "custom":
        return Target(output.name, choice)
    shape = output.value.shape if output.value else ()
    text = st.text_input(
        t("explorer.gradient.custom_value", lang),
        value=str(_ones(shape)),
        key=f"explorer.gradient.custom.{output.name}",
    )
    try:
        return Target(output.name, "custom", parse_numbers(text, "gradient"))
    except FormError as err:
        markup.error(t(err.key, lang, **err.fields))
        return Target(output.name, "ones")


def _ones(shape: tuple[int, ...]) -> object:
    value: object = 1.0
    for size in reversed(shape):
        value = [value] * size
    return value


def remembered_target(name: str) -> Target:
    """Backward from ``name`` with the gradient the widgets chose on an earlier run.

    The function form always differentiates its output, so it can run once with this target
    before :func:`pick_output` draws the widgets (which then show the same choice).
    """
    choice: GradientChoice = st.session_state.get("explorer.gradient", "ones")
    if choice != "custom":
        return Target(name, choice)
    try:
        text = st.session_state.get(f"explorer.gradient.custom.{name}", "")
        return Target(name, "custom", parse_numbers(text, "gradient"))
    except FormError:
        return Target(name, "ones")


def pick_output(result: RunResult, lang: Lang, only: str | None = None) -> Target | None:
    """Which output to run backward from, and which gradient vector (``only``: that output)."""
    outputs = [v for v in differentiable(result) if only is None or v.name == only]
    if not outputs:
        st.info(t("explorer.no_output", lang))
        return None
    names = [v.name for v in outputs]
    name = names[0]
    if only is None:
        name = st.selectbox(
            t("explorer.output", lang), names, index=len(names) - 1, key="explorer.pick_output"
        )
    output = outputs[names.index(name)]
    if output.value is None or math.prod(output.value.shape) <= 1:
        return Target(name)
    return _gradient(output, lang)


def options_for(target: Target | None, seed: int = 0) -> RunOptions:
    """The run options that ask the worker for a backward pass from ``target``."""
    if target is None:
        return RunOptions(seed=seed)
    return RunOptions(
        seed=seed,
        backward_of=target.name,
        gradient=target.gradient,
        custom_gradient=target.custom,
    )


def run_and_differentiate(source: str, backward_of: str | None, lang: Lang) -> Run:
    """Run ``source``; when it ran no backward pass, let the student pick one and run that.

    ``backward_of`` (the function form's output) is differentiated in the same, single run.
    """
    if backward_of:
        run = run_cached(source, options_for(remembered_target(backward_of)), lang)
        if run.result.ok:
            pick_output(run.result, lang, only=backward_of)
        return run
    run = run_cached(source, RunOptions(), lang)
    if run.result.ok and not run.result.graphs:
        target = pick_output(run.result, lang)
        if target is not None:
            run = run_cached(source, options_for(target), lang)
    return run
