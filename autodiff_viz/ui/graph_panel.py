"""The graph with its controls: view, backward step (slider and play), legend, export.

Drawn inside a fragment, so playing the backward pass or clicking a node
reruns only this part of the page.
"""

from __future__ import annotations

from typing import Literal

import streamlit as st

from autodiff_viz.cache import Cache, share
from autodiff_viz.graph import Graph
from autodiff_viz.i18n import Lang, section, t
from autodiff_viz.render.dot import DrawOptions, op_label, to_dot
from autodiff_viz.render.fold import should_fold
from autodiff_viz.render.styles import legend_dot
from autodiff_viz.ui.graph_view import export_buttons, graph_view, picture
from autodiff_viz.ui.inspector import (
    SELECTED,
    node_inspector,
    printed_output,
    select_node,
    variables_table,
)
from autodiff_viz.ui.runs import Run, run_of
from autodiff_viz.ui.why import why_step

VIEW = "explorer.view"
STEP = "explorer.step"
PLAYING = "explorer.playing"
#: Graph nodes drawn at first, and after "show more": bounds that keep graphviz's layout
#: well under a second (a 1,000-node expansion took about 2 s of CPU).
SHOWN_NODES = 150
EXPANDED_NODES = 400
PLAY_SECONDS = 1.2

View = Literal["forward", "backward", "full"]
#: The DOT of each picture of a graph, made once for every session that shows it, keyed by the
#: run's digest, the pass and the picture's options: forty students stepping through the same
#: backward pass ask for the same pictures. Measured, rendering the DOT was a quarter of the
#: explorer's server time per session.
_DRAWINGS: Cache[str] = Cache(share(0.1))


def app_theme() -> Literal["light", "dark"]:
    """The theme the browser shows the app in (the graph follows it)."""
    theme = st.context.theme.type
    return "dark" if theme == "dark" else "light"


def _step_caption(graph: Graph, step: int, lang: Lang) -> str:
    total = len(graph.backward_order)
    if step == 0:
        return t("explorer.step.start", lang, total=total)
    node = graph.node(graph.backward_order[step - 1])
    op = node.op or node.name or node.id
    readable = op_label(node.op) or op
    op = t("label.paren", lang, text=readable, detail=op) if readable != op else op
    return t("explorer.step.caption", lang, step=step, total=total, op=op)


def _stop_playing() -> None:
    st.session_state[PLAYING] = False


def _toggle_play(total: int) -> None:
    """Play from the start when at the end; otherwise play or pause where we are."""
    playing = st.session_state.get(PLAYING, False)
    if not playing and st.session_state.get(STEP, 0) >= total:
        st.session_state[STEP] = 0
    st.session_state[PLAYING] = not playing


def _play(total: int, timer_on: bool) -> bool:
    """Keep the fragment's timer in line with play/pause; advance one step while playing.

    ``run_every`` is fixed when the page runs, not when the fragment reruns: starting or
    stopping the timer takes a full rerun. Returns whether the pass is playing.
    """
    playing = bool(st.session_state.get(PLAYING, False))
    if playing != timer_on:
        st.rerun()
    if playing:
        step = min(st.session_state.get(STEP, 0) + 1, total)
        st.session_state[STEP] = step
        if step >= total:  # the last picture, drawn by a run that stops the timer
            st.session_state[PLAYING] = False
            st.rerun()
    return playing


def _controls(graph: Graph, lang: Lang, timer_on: bool) -> tuple[View, int | None]:
    total = len(graph.backward_order)
    views: list[View] = ["forward", "backward", "full"] if total else ["forward"]
    if st.session_state.get(VIEW) not in views:
        st.session_state[VIEW] = views[-1]
    view: View = (
        st.segmented_control(
            t("explorer.view", lang),
            options=views,
            format_func=lambda v: t(f"explorer.view.{v}", lang),
            key=VIEW,
            on_change=_stop_playing,
        )
        or views[-1]
    )
    if view != "backward":
        st.session_state[PLAYING] = False
    playing = _play(total, timer_on)
    if view != "backward":
        return view, None
    st.session_state[STEP] = min(st.session_state.get(STEP, 0), total)
    slider, button = st.columns([5, 1], vertical_alignment="bottom")
    # Moving the slider by hand takes over from play.
    step = slider.slider(t("explorer.step", lang), 0, total, key=STEP, on_change=_stop_playing)
    button.button(
        t("explorer.pause" if playing else "explorer.play", lang),
        icon=":material/pause:" if playing else ":material/play_arrow:",
        key="explorer.play_button",
        width="stretch",
        on_click=_toggle_play,
        args=(total,),
    )
    st.caption(_step_caption(graph, step, lang))
    why_step(graph, step, lang)  # hook: the step's rule with its numbers (ui/why.py, issue #18)
    return view, step


def _fold_toggle(graph: Graph, lang: Lang) -> bool:
    """Whether to fold module calls: the user's choice, offered when the graph recorded any."""
    if not any(node.module for node in graph.nodes):
        return False
    folded = should_fold(graph, "auto")
    # Big and small graphs remember the choice apart: unfolding one big model should not
    # fold the next tutorial's three-node Linear.
    return st.toggle(
        t("explorer.fold", lang),
        value=folded,
        key=f"explorer.fold.{'big' if folded else 'small'}",
        help=t("explorer.fold.help", lang),
    )


def _expand_label(total: int, lang: Lang) -> str:
    """ "Show all 205 nodes" when they all fit, else how many of them the toggle shows."""
    if total <= EXPANDED_NODES:
        return t("explorer.expand.all", lang, shown=SHOWN_NODES, total=total)
    return t("explorer.expand", lang, shown=SHOWN_NODES, more=EXPANDED_NODES, total=total)


def graph_panel(graph: Graph, lang: Lang, *, name: str, timer_on: bool = False) -> None:
    """Controls, the picture (a click selects a node: see ``select_node``) and its downloads.

    ``name`` tells this graph from every other (the run's digest and the pass): its pictures
    are kept under it. ``timer_on``: whether the enclosing fragment reruns by itself (see
    :func:`play_interval`).
    """
    view, step = _controls(graph, lang, timer_on)
    if graph.second_order:
        st.info(t("explorer.second_order", lang), icon=":material/functions:")
    theme = app_theme()
    max_nodes = SHOWN_NODES
    if len(graph.nodes) > SHOWN_NODES and st.toggle(
        _expand_label(len(graph.nodes), lang), key="explorer.expand"
    ):
        max_nodes = EXPANDED_NODES
    fold_modules = _fold_toggle(graph, lang)
    focus = st.session_state.get(SELECTED)
    options = DrawOptions(
        view=view,
        step=step,
        theme=theme,
        max_nodes=max_nodes,
        fold_modules=fold_modules,
        focus=focus,
        rankdir="TB",  # the graph shares the page with the editor: tall fits better than wide
        words=section("draw", lang),
    )

    def draw() -> tuple[str, int]:
        dot = to_dot(graph, options)
        return dot, len(dot.encode())

    dot = _DRAWINGS.get_or_compute((name, options), draw)
    graph_view(dot, key="explorer.graph", theme=theme, lang=lang, height=560, on_click=select_node)
    # Drawn when opened (the fragment reruns): the legend's picture is the biggest element of a
    # first paint after the graph, and most visits never open it.
    legend = st.expander(t("explorer.legend", lang), key="explorer.legend", on_change="rerun")
    if legend.open:
        with legend:
            picture(legend_dot(theme, section("draw", lang)))
    export_buttons(dot, file_stem="autograd-graph", lang=lang)


def play_interval() -> float | None:
    """How often the fragment reruns by itself: only while the backward pass plays."""
    return PLAY_SECONDS if st.session_state.get(PLAYING) else None


TABS = "explorer.tabs"


def result_view(run: Run, index: int, lang: Lang) -> None:
    """Pass ``index`` of ``run`` in the graph panel and, beside it, output / variables /
    inspector — one fragment.

    Only the open tab is drawn (switching reruns the fragment): forty students opening a link
    see the output first, and the variables and the inspector, eight elements more for the
    server to make and send per session, come when asked for. The fragment, which Streamlit
    keeps per session for its reruns, holds the run's key, not its result: the result is the
    cache's, shared by every session.
    """

    interval = play_interval()
    first = [run]  # the page's own run serves the first drawing, then the closure lets it go
    key, drawing = run.key, f"{run.digest}/{index}"

    @st.fragment(run_every=interval)
    def view() -> None:
        result = (first.pop() if first else run_of(key)).result
        graph = result.graphs[index]
        graph_panel(graph, lang, name=drawing, timer_on=interval is not None)
        output, variables, inspector = st.tabs(
            [t(f"explorer.tab.{name}", lang) for name in ("output", "variables", "inspector")],
            key=TABS,
            on_change="rerun",
        )
        if output.open:
            with output:
                printed_output(result, lang)
        if variables.open:
            with variables:
                variables_table(result, lang)
        if inspector.open:
            with inspector:
                node_inspector(graph, lang)

    view()
