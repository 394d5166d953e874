"""Graph explorer: type or paste a program, run it, see values flow forward and grads flow back.

Graph first: the program sits in an expander above the picture (closed when a link opened
it), errors show above the picture, and the picture takes the page's width.
"""

import streamlit as st

from autodiff_viz.i18n import t
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.ui.differentiate import options_for, pick_output, pick_pass
from autodiff_viz.ui.editor import program_input, share_box
from autodiff_viz.ui.graph_panel import result_view
from autodiff_viz.ui.inspector import printed_output
from autodiff_viz.ui.page import page_header
from autodiff_viz.ui.runs import error_text, keep_last_good, run_cached

from_link = any(key in st.query_params for key in ("code", "example"))
lang = page_header("page.explorer", "explorer.intro", intro=not from_link)
editor = st.expander(
    t("explorer.program", lang),
    expanded=not from_link,
    icon=":material/code:",
    key="explorer.editor",
)
messages = st.container()

with editor:
    program = program_input(lang)
    st.button(t("explorer.run", lang), type="primary", icon=":material/play_arrow:")
    result = None
    if program.form_error:
        messages.error(program.form_error, icon=":material/error:")
    elif program.source.strip():
        result = run_cached(program.source, RunOptions(), lang)
        if result.ok and not result.graphs:
            target = pick_output(result, lang)
            if target is not None:
                result = run_cached(program.source, options_for(target), lang)
        if result.error:
            messages.error(error_text(result.error, lang), icon=":material/error:")
    shown, stale = keep_last_good(result, "explorer")
    share_box(program.source, lang)

if shown is not None and shown.graphs:
    if stale:
        st.warning(t("explorer.stale", lang), icon=":material/history:")
    index = pick_pass(shown, lang)
    result_view(shown.graphs[index], shown, lang)
elif shown is not None:
    printed_output(shown, lang)
