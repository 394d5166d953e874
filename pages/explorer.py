"""Graph explorer: type or paste a program, run it, see values flow forward and grads flow back.

Graph first: the program sits in an expander above the picture (closed when a link opened
it), errors show above the picture, and the picture takes the page's width.
"""

import streamlit as st

from autodiff_viz.i18n import t
from autodiff_viz.sandbox.bounds import FULL_BYTES
from autodiff_viz.ui import markup
from autodiff_viz.ui.differentiate import pick_pass, run_and_differentiate
from autodiff_viz.ui.editor import (
    address_names,
    error_lines,
    line_numbers,
    program_input,
    share_box,
)
from autodiff_viz.ui.graph_panel import result_view
from autodiff_viz.ui.inspector import printed_output
from autodiff_viz.ui.page import page_header
from autodiff_viz.ui.runs import error_text, keep_last_good

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
    run = None
    if program.form_error:
        with messages:
            markup.error(program.form_error, icon=":material/error:")
    elif program.source.strip():
        run = run_and_differentiate(program.source, program.backward_of, lang)
        if run.result.error:
            with messages:
                markup.error(
                    error_text(run.result.error, lang, program.places), icon=":material/error:"
                )
                if program.backward_of is None:  # the code editor's own lines (not the form's)
                    error_lines(program.source, run.result.error.line)
    line_numbers(program, run.result.error.line if run and run.result.error else None)
    shown, stale = keep_last_good(run, "explorer")
    share_box(program.source, lang)

if shown is not None and shown.result.values_truncated:
    count, mb = shown.result.values_truncated, FULL_BYTES // 1_000_000
    st.caption(t("explorer.truncated", lang, count=count, mb=mb))
# What the program on screen printed and left, even when the graph shown is an earlier one's.
texts = run if run is not None else shown
if shown is not None and shown.result.graphs:
    if stale:
        note = "explorer.stale.failed" if run is not None else "explorer.stale"
        st.warning(t(note, lang), icon=":material/history:")
    addressed = not stale and address_names(program.source)
    result_view(shown, pick_pass(shown.result, lang), lang, texts=texts, addressed=addressed)
elif texts is not None:
    printed_output(texts.result, lang)
