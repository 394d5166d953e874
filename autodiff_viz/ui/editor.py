"""The explorer's input: gallery, the two ways in (function + inputs, code), share links.

The user's text lives in session state under keys of its own, so it survives
reruns, errors and page switches (Streamlit forgets a widget's value when a
page without that widget runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from autodiff_viz.explorer.data import (
    DEFAULT_FUNCTION,
    DEFAULT_INPUTS,
    DTYPES,
    OUTPUT_NAME,
    VIEW_KEYS,
    FormError,
    InputRow,
    form_places,
    function_program,
    numbered_lines,
    read_share_query,
    share_url,
)
from autodiff_viz.explorer.examples import DEFAULT_EXAMPLE, EXAMPLES
from autodiff_viz.i18n import Lang, t
from autodiff_viz.ui.code_gutter import code_gutter, key_class
from autodiff_viz.ui.graph_panel import SHOWN_VIEW
from autodiff_viz.ui.inspector import MONOSPACE
from autodiff_viz.ui.state import kept, put, saved

CODE = "explorer.code"
FUNCTION = "explorer.function"
INPUTS = "explorer.inputs"
MODE = "explorer.mode"
GALLERY = "explorer.gallery"
_LINK_SEEN = "explorer.link_seen"
TABLE = "explorer.inputs.table"
_TABLE_BASE = "explorer.inputs.base"


@dataclass(frozen=True)
class ProgramInput:
    """What to run: the program text, or the reason it could not be built."""

    source: str
    backward_of: str | None = None  # the function form's output: run backward from it
    form_error: str | None = None  # translated text
    #: the function form: program line -> (i18n key, fields) of the row or function it came from
    places: dict[int, tuple[str, dict[str, Any]]] | None = None
    #: the code editor's place for its line numbers, right below it (None in the function form)
    gutter: DeltaGenerator | None = None


def load_program(code: str) -> None:
    """Put ``code`` into the code editor (gallery choice, share link)."""
    put(CODE, code)
    put(MODE, "code")


def open_share_link(lang: Lang) -> None:
    """Load the program of ``?code=`` / ``?example=`` once per session and link."""
    params = {key: st.query_params[key] for key in ("code", "example") if key in st.query_params}
    shared = read_share_query(params, lang)
    if shared is None or st.session_state.get(_LINK_SEEN) == params:
        return
    st.session_state[_LINK_SEEN] = params
    if shared.error_key:
        st.warning(t(shared.error_key, lang))
    if shared.code:
        load_program(shared.code)
    # The gallery box names the example the link opened, not "Load an example…".
    st.session_state[GALLERY] = shared.example


def line_numbers(program: ProgramInput, error_line: int | None) -> None:
    """Number the code editor's lines and mark ``error_line`` (browser side; see code_gutter).

    Called once the program has run, into the place :func:`program_input` kept under the editor:
    the same place on every run, so the browser keeps the one gutter it drew.
    """
    if program.gutter is not None:
        with program.gutter:
            code_gutter(CODE, program.source, error_line)


def error_lines(source: str, line: int | None) -> None:
    """The lines around an error's line, numbered and that line marked (plain text, no markup).

    Kept although the editor's gutter marks the line too: the message and the lines it means
    read together when the editor is closed (a link opens it closed) or scrolled away, it needs
    no JavaScript, and hiding it from the browser would make the page below it jump.
    """
    excerpt = numbered_lines(source, line) if line else ""
    if excerpt:
        st.code(excerpt, language=None)


def address_names(source: str) -> bool:
    """Whether the address bar's ``?example=`` / ``?code=`` opens ``source`` unedited."""
    key = st.query_params.get("example")
    if key is not None:
        return key in EXAMPLES and EXAMPLES[key].is_text(source)
    return st.query_params.get("code") == source


def share_box(source: str, lang: Lang) -> None:
    """The link that opens ``source``, shown on request in a code block with a copy button.

    On request, not in a closed expander: a code block anywhere on the page makes the browser
    load and start Streamlit's syntax highlighter, measured 0.3-0.4 s before the graph shows.
    """
    if st.toggle(t("explorer.share", lang), key="explorer.share"):
        # st.context.url is the address the browser shows, so the link is right behind a
        # proxy or under a path prefix too.
        # The graph's view (as the browser last reported it) travels too.
        view = st.session_state.get(SHOWN_VIEW) or {
            k: st.query_params[k] for k in VIEW_KEYS if k in st.query_params
        }
        link = share_url(st.context.url or "", source, lang, view)
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("explorer.share.help", lang))


def _gallery_label(key: str, lang: Lang) -> str:
    example = EXAMPLES[key]
    origin = (
        t("explorer.tutorial", lang, number=example.tutorial)
        if example.tutorial
        else t("explorer.classic", lang)
    )
    return f"{t(example.title_key, lang)} · {origin}"


def gallery(lang: Lang) -> None:
    """A picker of every example; choosing one loads it into the code editor."""

    def chosen() -> None:
        key = st.session_state.get(GALLERY)
        if key:
            load_program(EXAMPLES[key].text(lang))
            st.query_params.pop("code", None)
            st.query_params["example"] = key

    key = st.selectbox(
        t("explorer.gallery", lang),
        options=list(EXAMPLES),
        index=None,
        format_func=lambda key: _gallery_label(key, lang),
        placeholder=t("explorer.gallery.placeholder", lang),
        key=GALLERY,
        on_change=chosen,
    )
    example = EXAMPLES[key] if key else None
    if example and example.tutorial and example.is_text(str(saved(CODE, ""))):
        how = "translated" if example.translated(lang) else "verbatim"
        st.caption(t(f"explorer.gallery.{how}", lang, number=example.tutorial))


def _function_form(lang: Lang) -> ProgramInput:
    st.text_input(t("explorer.function", lang), **kept(FUNCTION, DEFAULT_FUNCTION))
    # The table widget keeps its edits as a diff against the data it was given; a fresh
    # widget (first run, or back from another page) starts from the last edited table.
    if TABLE not in st.session_state:
        st.session_state[_TABLE_BASE] = saved(INPUTS, [vars(row) for row in DEFAULT_INPUTS])
    rows = st.data_editor(
        st.session_state[_TABLE_BASE],
        num_rows="dynamic",
        column_config={
            # Widths that add up to the controls' column at 1280 px: sized to their contents
            # the dtype column was pushed out of view at 1440 px.
            "name": st.column_config.TextColumn(
                t("explorer.inputs.name", lang), required=True, width=44
            ),
            "value": st.column_config.TextColumn(
                t("explorer.inputs.value", lang), required=True, width=60
            ),
            "requires_grad": st.column_config.CheckboxColumn(
                t("explorer.inputs.requires_grad", lang), default=False, width=92
            ),
            "dtype": st.column_config.SelectboxColumn(
                t("explorer.inputs.dtype", lang), options=DTYPES, default=DTYPES[0], width=64
            ),
        },
        width="stretch",
        key=TABLE,
    )
    put(INPUTS, rows)
    inputs = [
        InputRow(
            str(row.get("name") or ""),
            str(row.get("value") or ""),
            bool(row.get("requires_grad")),
            str(row.get("dtype") or DTYPES[0]),
        )
        for row in rows
    ]
    try:
        source = function_program(st.session_state[FUNCTION], inputs)
    except FormError as err:
        return ProgramInput("", form_error=t(err.key, lang, **err.fields))
    with st.expander(t("explorer.as_code", lang)):
        st.code(source, language="python")
    return ProgramInput(source, backward_of=OUTPUT_NAME, places=form_places(inputs))


def program_input(lang: Lang) -> ProgramInput:
    """The gallery, the mode switch and the editor of that mode."""
    open_share_link(lang)
    gallery(lang)
    mode = st.segmented_control(
        t("explorer.mode", lang),
        options=["function", "code"],
        format_func=lambda m: t(f"explorer.mode.{m}", lang),
        **kept(MODE, "function"),
    )
    if mode is None:  # the user clicked the selected option again: keep it
        mode = saved(MODE, "function")
    if mode == "function":
        return _function_form(lang)
    # Code keeps its columns (the line-number gutter copies the text area's font).
    st.html(f"<style>.{key_class(CODE)} textarea {{ font-family: {MONOSPACE}; }}</style>")
    st.text_area(
        t("explorer.code", lang),
        height=340,
        help=t("explorer.code.help", lang),
        **kept(CODE, EXAMPLES[DEFAULT_EXAMPLE].text(lang)),
    )
    return ProgramInput(st.session_state[CODE], gutter=st.empty())
