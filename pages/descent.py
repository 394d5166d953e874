"""Gradient descent: real torch.optim walking down a curve, racing on a surface, fitting a line."""

import streamlit as st

from autodiff_viz.descent.data import LineFit, Race2D, Trajectory1D, race_rows
from autodiff_viz.descent.plots import descent_figure, line_equation, line_fit_figure, stop_message
from autodiff_viz.descent.race_plots import race_figure
from autodiff_viz.descent.surface3d import surface_figure
from autodiff_viz.i18n import section, t
from autodiff_viz.result import RunError
from autodiff_viz.ui import markup
from autodiff_viz.ui.descent_controls import (
    controls,
    descent_result,
    optimizer_label,
    scene_switch,
)
from autodiff_viz.ui.figures import shared_figure
from autodiff_viz.ui.frame import presentation_scale
from autodiff_viz.ui.graph_panel import app_theme
from autodiff_viz.ui.page import page_header
from autodiff_viz.ui.runs import error_text, job_cached

lang = page_header("page.descent", "descent.intro")
words = section("descent.plot", lang)
theme = app_theme()
scale = presentation_scale()
scene = scene_switch(lang)
left, right = st.columns([1, 2], gap="large")


with left:
    options = controls(scene, lang)
    result = job_cached("descent", dict(options.job), lang, descent_result)


def show(figure: object, stops: list[str], view: str = "") -> None:
    """The figure, then why the run stopped early (if it did) in words."""
    st.plotly_chart(figure, theme=None, key=f"descent.chart.{options.scene}{view}")
    for text in stops:
        st.warning(text, icon=":material/warning:")  # our words and numbers only
    if stops:
        st.caption(t("descent.diverged.help", lang))


#: Everything a figure of this page depends on: the job (hence the result), the words, the look.
key = ["descent", options.scene, dict(options.job), options.log_z, lang, theme]

with right:
    match result:
        case RunError():
            markup.error(error_text(result, lang), icon=":material/error:")
        case Trajectory1D():
            stop = stop_message(result.stop, words)
            figure = shared_figure(
                key, lambda: descent_figure(result, labels=words, theme=theme), scale=scale
            )
            show(figure, [stop] if stop else [])
            st.caption(t("descent.1d.final", lang, steps=len(result.xs) - 1))
            if result.xs:
                st.code(
                    t("descent.1d.print", lang, y=result.ys[-1], x=result.xs[-1]), language=None
                )
        case Race2D():
            names = {path.optimizer: optimizer_label(path.optimizer, lang) for path in result.paths}
            stops = [
                t("label.value", lang, label=names[p.optimizer], value=stop_message(p.stop, words))
                for p in result.paths
                if p.stop
            ]
            if st.toggle(t("descent.2d.view3d", lang), key="descent.2d.view3d"):
                surface = shared_figure(
                    [*key, "3d"],
                    lambda: surface_figure(
                        result, labels=words, names=names, theme=theme, log_z=options.log_z
                    ),
                    scale=scale,
                )
                show(surface, stops, view=".3d")
                st.caption(t("descent.2d.view3d.help", lang))
            else:
                race = shared_figure(
                    key,
                    lambda: race_figure(
                        result, labels=words, names=names, theme=theme, log_z=options.log_z
                    ),
                    scale=scale,
                )
                show(race, stops)
            st.caption(t("descent.2d.final", lang))
            columns = ("optimizer", "lr", "steps", "x", "y", "f")
            headers = [t(f"descent.2d.col.{c}", lang) for c in columns]
            rows = [(names[row[0]], *row[1:]) for row in race_rows(result)]
            st.dataframe([dict(zip(headers, row, strict=True)) for row in rows], hide_index=True)
        case LineFit():
            stop = stop_message(result.stop, words)
            figure = shared_figure(
                key, lambda: line_fit_figure(result, labels=words, theme=theme), scale=scale
            )
            show(figure, [stop] if stop else [])
            if result.losses:
                final = t(
                    "descent.line.final",
                    lang,
                    epochs=len(result.losses) - 1,
                    equation=line_equation(result.weights[-1], result.biases[-1]),
                    loss=f"{result.losses[-1]:.5g}",
                )
                st.markdown(final)
