"""Derivatives: f(x) beside its derivative by autograd, a tangent on a slider, a numerical check."""

import streamlit as st

from autodiff_viz.derivatives.plots import derivative_figure
from autodiff_viz.i18n import section, t
from autodiff_viz.result import RunError
from autodiff_viz.ui.derivatives_controls import (
    as_pytorch,
    at_x0,
    check_text,
    compute_curve,
    controls,
    explorer_link,
    notices,
)
from autodiff_viz.ui.figures import shared_figure
from autodiff_viz.ui.graph_panel import app_theme
from autodiff_viz.ui.page import page_header
from autodiff_viz.ui.runs import error_text

lang = page_header("page.derivatives", "derivatives.intro")
left, right = st.columns([2, 5], gap="large")

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

with right:
    if isinstance(curve, RunError):
        st.error(
            t("derivatives.error", lang, error=error_text(curve, lang)), icon=":material/error:"
        )
    else:
        for level, text in notices(curve, lang):
            getattr(st, level)(text)
        theme = app_theme()
        figure = shared_figure(
            ["derivatives", options.job_args(), options.check, lang, theme],
            lambda: derivative_figure(
                curve,
                labels=section("deriv", lang),
                theme=theme,
                show_second=options.second,
                show_check=options.check,
            ),
        )
        st.plotly_chart(figure, theme=None, config={"displaylogo": False})
        if options.check:
            st.caption(check_text(curve, lang))
        st.caption(t("derivatives.at_x0", lang, x0=f"{options.x0:.6g}"))
        for column, (label, value) in zip(st.columns(3), at_x0(curve), strict=False):
            column.metric(label, value)
