"""Gradient descent: real torch.optim walking down a curve, racing on a surface, fitting a line."""

import streamlit as st

from autodiff_viz.descent.data import LineFit, Race2D, Trajectory1D
from autodiff_viz.descent.plots import descent_figure, line_fit_figure, stop_message
from autodiff_viz.descent.race_plots import race_figure
from autodiff_viz.i18n import section, t
from autodiff_viz.result import RunError
from autodiff_viz.ui.descent_controls import controls, descent_result, optimizer_label
from autodiff_viz.ui.figures import shared_figure
from autodiff_viz.ui.graph_panel import app_theme
from autodiff_viz.ui.page import page_header
from autodiff_viz.ui.runs import error_text, job_cached

lang = page_header("page.descent", "descent.intro")
words = section("descent.plot", lang)
theme = app_theme()
left, right = st.columns([2, 5], gap="large")


with left:
    options = controls(lang)
    result = job_cached("descent", dict(options.job), lang, descent_result)


def show(figure: object, stops: list[str]) -> None:
    """The animation, then why it stopped early (if it did) in words."""
    st.plotly_chart(figure, theme=None, key=f"descent.chart.{options.scene}")
    for text in stops:
        st.warning(text, icon=":material/warning:")
    if stops:
        st.caption(t("descent.diverged.help", lang))


#: Everything a figure of this page depends on: the job (hence the result), the words, the look.
key = ["descent", options.scene, dict(options.job), options.log_z, lang, theme]

with right:
    match result:
        case RunError():
            st.error(error_text(result, lang), icon=":material/error:")
        case Trajectory1D():
            stop = stop_message(result.stop, words)
            figure = shared_figure(key, lambda: descent_figure(result, labels=words, theme=theme))
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
            race = shared_figure(
                key,
                lambda: race_figure(
                    result, labels=words, names=names, theme=theme, log_z=options.log_z
                ),
            )
            show(race, stops)
            st.caption(t("descent.2d.final", lang))
            st.dataframe(
                [
                    {
                        t("descent.2d.col.optimizer", lang): names[path.optimizer],
                        t("descent.2d.col.lr", lang): path.lr,
                        t("descent.2d.col.steps", lang): len(path.xs) - 1,
                        "x": path.xs[-1] if path.xs else None,
                        "y": path.ys[-1] if path.ys else None,
                        "f(x, y)": path.fs[-1] if path.fs else None,
                    }
                    for path in result.paths
                ],
                hide_index=True,
            )
        case LineFit():
            stop = stop_message(result.stop, words)
            figure = shared_figure(key, lambda: line_fit_figure(result, labels=words, theme=theme))
            show(figure, [stop] if stop else [])
            if result.losses:
                final = t(
                    "descent.line.final",
                    lang,
                    epochs=len(result.losses) - 1,
                    weight=f"{result.weights[-1]:.5g}",
                    bias=f"{result.biases[-1]:.5g}",
                    loss=f"{result.losses[-1]:.5g}",
                )
                st.markdown(final)
