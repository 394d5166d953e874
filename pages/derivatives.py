"""Derivatives: f(x) beside its derivative by autograd, a tangent on a slider, a numerical check."""

import streamlit as st

from autodiff_viz.derivatives.plots import derivative_figure
from autodiff_viz.i18n import section, t
from autodiff_viz.result import RunError
from autodiff_viz.ui import markup
from autodiff_viz.ui.derivatives_controls import (
    as_pytorch,
    at_x0,
    check_text,
    compute_curve,
    controls,
    explorer_link,
    last_good,
    notices,
)
from autodiff_viz.ui.figures import shared_figure
from autodiff_viz.ui.frame import presentation_scale
from autodiff_viz.ui.graph_panel import app_theme
from autodiff_viz.ui.page import page_header
from autodiff_viz.ui.runs import error_text
from autodiff_viz.ui.why import why_derivative

lang = page_header("page.derivatives", "derivatives.intro")
left, right = st.columns([1, 2], gap="large")

with left:
    options = controls(lang)
    st.page_link(
        "pages/explorer.py",
        label=t("derivatives.graph_link", lang),
        icon=":material/account_tree:",
        query_params=explorer_link(options, lang),
    )
    with st.expander(t("derivatives.as_code", lang), icon=":material/code:"):
        st.code(as_pytorch(options), language="python")

curve = compute_curve(options, lang)
shown = last_good(options, curve, lang)

with right:
    if isinstance(curve, RunError):
        markup.error(
            t("derivatives.error", lang, error=error_text(curve, lang)), icon=":material/error:"
        )
        if shown is not None:
            # f is user text: shown literally, never as Markdown.
            expr = markup.literal(shown[0].expr, one_line=True)
            st.caption(t("derivatives.stale", lang, expr=expr))
    if shown is not None:
        drawn, good = shown
        for level, text in notices(good, lang):
            getattr(st, level)(text)  # numbers and our words only
        theme = app_theme()
        figure = shared_figure(
            ["derivatives", drawn.job_args(), drawn.check, lang, theme],
            lambda: derivative_figure(
                good,
                labels=section("deriv", lang),
                theme=theme,
                show_second=drawn.second,
                show_check=drawn.check,
            ),
            scale=presentation_scale(),
        )
        st.plotly_chart(figure, theme=None, config={"displaylogo": False})
        if drawn.check:
            st.caption(check_text(good, lang))
        st.caption(t("derivatives.at_x0", lang, x0=f"{drawn.x0:.6g}"))
        for column, (label, value) in zip(st.columns(3), at_x0(good), strict=False):
            column.metric(label, value)
        why_derivative(drawn.expr, good, lang)  # f′ by the chain rule, checked against autograd
