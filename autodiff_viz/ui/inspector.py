"""Beside the graph: the printed output, the variables table, the node inspector.

Text is shown with ``st.text`` (no markup, every space kept), not ``st.code``: a code block
makes the browser load Streamlit's syntax highlighter before it draws the graph (0.3-0.4 s
measured). Streamlit 1.67 draws ``st.text`` in the interface's proportional font, which breaks
the columns PyTorch lines a tensor up in: the printout and the inspector's texts sit in
containers whose key CSS sets in the code font (:data:`MONOSPACE`).
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from autodiff_viz.graph import Graph, Node
from autodiff_viz.i18n import Lang, message, section, t
from autodiff_viz.render.details import node_title
from autodiff_viz.render.dot import op_label
from autodiff_viz.render.formatting import format_full, format_value
from autodiff_viz.result import RunResult
from autodiff_viz.sandbox import error_hints
from autodiff_viz.ui import markup
from autodiff_viz.ui.why import why_node

SELECTED = "explorer.selected"
_PICKER = "explorer.inspector.pick"
#: Streamlit's code font: a printout lines up a tensor's columns with spaces, code its blocks.
MONOSPACE = "'Source Code Pro', monospace"
#: ``st.text`` inside a container whose key starts with ``explorer.mono`` is monospace.
_MONO_CSS = (
    "<style>[class*='st-key-explorer-mono'] [data-testid='stText'],"
    " [class*='st-key-explorer-mono'] [data-testid='stText'] *"
    f" {{ font-family: {MONOSPACE}; }}</style>"
)


def monospace(name: str) -> DeltaGenerator:
    """A container whose ``st.text`` shows in the code font (``name`` tells it from others)."""
    st.html(_MONO_CSS)  # style only: Streamlit puts it where it takes no room
    return st.container(key=f"explorer.mono.{name}")


def printed_output(result: RunResult, lang: Lang) -> None:
    """What the program printed, like a notebook cell shows it."""
    if result.stdout:
        with monospace("output"):
            st.text(result.stdout)
    else:
        st.caption(t("explorer.no_output_text", lang))
    if result.warnings:
        with st.expander(t("explorer.warnings", lang), expanded=True):
            for warning in result.warnings:
                key, fields = error_hints.warning(warning)  # PyTorch's text, explained when we can
                markup.warning(message(key, lang, fields), icon=":material/warning:")
    graph_notes = [note for graph in result.graphs for note in graph.notes]
    if result.notices or graph_notes:  # they quote the program's names: st.text reads no markup
        with st.expander(t("explorer.notices", lang), expanded=True):
            for note in result.notices:
                st.text(note.text(lang))
            for graph_note in dict.fromkeys(graph_notes):  # once each, in capture order
                st.text(t(f"graph.note.{graph_note.key}", lang, count=graph_note.count))


def variables_table(result: RunResult, lang: Lang) -> None:
    """One row per name the program left: value, grad, is_leaf, requires_grad, grad_fn."""
    header = [t(f"explorer.col.{name}", lang) for name in ("name", "type", "value", "grad")]
    words = section("draw", lang)
    rows = [
        [
            var.name,
            var.type,
            format_value(var.value, max_chars=60, words=words) if var.value else var.text,
            format_value(var.grad, max_chars=60, words=words) if var.grad else "",
            _flag(var.is_leaf),
            _flag(var.requires_grad),
            var.grad_fn or "",
        ]
        for var in result.variables
    ]
    # Markdown, not st.table or st.dataframe: a table element makes every browser fetch and run
    # Streamlit's Arrow table code (measured: 0.86 MB of JavaScript in 10 more requests per tab)
    # and the server convert the rows through pandas to Arrow on every run; the grid widget also
    # cost the page ~0.4 s of browser time before the graph showed. A handful of rows nobody sorts.
    st.markdown(markup.table([*header, "is_leaf", "requires_grad", "grad_fn"], rows))


def _flag(value: bool | None) -> str:
    return "" if value is None else str(value)


def _node_label(node: Node) -> str:
    """What the picker lists: the program's name and the op, never an internal id alone."""
    op = op_label(node.op) or node.op or node.cut_reason or ""
    line = f"L{node.line}" if node.line is not None else ""
    words = [node_title(node), op if op != node_title(node) else "", line]
    return " · ".join(w for w in words if w)


def select_node(node_id: str) -> None:
    """Outline ``node_id`` in the graph and open it in the inspector (a click's callback)."""
    st.session_state[_PICKER] = st.session_state[SELECTED] = node_id


def node_inspector(graph: Graph, lang: Lang) -> None:
    """Pick a node (or click it in the graph: :func:`select_node`) and see all captured about it."""
    ids = [node.id for node in graph.nodes]
    # The graph outlines a node only once the user chose one, by a click or in the list; the
    # picker forgets its value while its tab is closed, the selection does not.
    if st.session_state.get(_PICKER) not in ids:
        selected = st.session_state.get(SELECTED)
        st.session_state[_PICKER] = (
            selected if selected in ids else graph.outputs[0] if graph.outputs else ids[0]
        )

    def picked() -> None:
        st.session_state[SELECTED] = st.session_state[_PICKER]

    node_id = st.selectbox(
        t("explorer.inspector.pick", lang),
        ids,
        format_func=lambda i: _node_label(graph.node(i)),
        key=_PICKER,
        on_change=picked,
    )
    with monospace("inspector"):
        _node_details(graph.node(node_id), graph, lang)


def _node_details(node: Node, graph: Graph, lang: Lang) -> None:
    """What was captured about ``node``: op, line, value, grad, why, flags, saved tensors."""
    words = section("draw", lang)
    if node.op:
        label = f"**{t('explorer.inspector.op', lang)}**"
        st.markdown(t("label.value", lang, label=label, value=markup.literal(node.op)))
    if node.line:
        st.markdown(t("explorer.inspector.line", lang, line=node.line))
        if node.source:
            st.text(node.source.strip())
    st.markdown(f"**{t('explorer.inspector.value', lang)}**")
    st.text(format_full(node.value, words=words))
    st.markdown(f"**{t('explorer.inspector.grad', lang)}**")
    st.text(format_full(node.grad, words=words))
    why_node(graph, node.id, lang)  # hook: why this gradient? (ui/why.py, issue #18)
    flags = {"requires_grad": node.requires_grad, "is_leaf": node.is_leaf}
    flags["retains_grad"] = node.retains_grad
    markup.caption(" · ".join(f"{k}={v}" for k, v in flags.items()))
    if node.saved:
        st.markdown(f"**{t('explorer.inspector.saved', lang)}**")
        for name, value in node.saved:
            st.text(f"{name} = {format_full(value, words=words)}")
