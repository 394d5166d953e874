"""The graph with its controls and inspector, then output / variables / inspector tabs.

The picture is laid out once per graph (every gradient drawn); the browser switches views,
steps through the backward pass and shows a clicked node's details beside the picture on that
one SVG (see ``graph_view.js``), so a step or a click costs no server round trip. The server
sends with it the step script and the node details, and reads a link's
``?view=forward|step|grads&step=K&node=ID`` once to open the view it names.

The view goes into the address bar only while the address also names the program on screen
(``?example=`` or ``?code=``): an address without it would open the default program at that
step. A link with a view but no program opens no view, and says so.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Literal

import streamlit as st

from autodiff_viz.cache import Cache, share
from autodiff_viz.explorer.data import VIEW_KEYS
from autodiff_viz.graph import Graph
from autodiff_viz.i18n import Lang, section, t
from autodiff_viz.render.details import node_details
from autodiff_viz.render.dot import DrawOptions, to_dot
from autodiff_viz.render.fold import should_fold
from autodiff_viz.render.steps import step_script
from autodiff_viz.render.styles import legend_dot
from autodiff_viz.ui.frame import presentation_scale
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

#: Graph nodes drawn at first, and after "show more": bounds that keep graphviz's layout
#: well under a second (a 1,000-node expansion took about 2 s of CPU).
SHOWN_NODES = 150
EXPANDED_NODES = 400
#: A link's ``view=`` words and the component's views.
LINK_VIEWS = {"forward": "forward", "step": "backward", "grads": "full"}
GRAPH_KEY = "explorer.graph"
TABS = "explorer.tabs"
_LINK_READ = "explorer.view_link_read"
#: The view the browser last reported (``view``, ``step``, ``node`` as a link writes them):
#: the share link carries it, whether or not the address bar may.
SHOWN_VIEW = "explorer.shown_view"

#: The DOT of each picture of a graph, made once for every session that shows it, keyed by the
#: run's digest, the pass and the picture's options: forty students opening the same link ask
#: for the same picture. Measured, rendering the DOT was a quarter of the explorer's server
#: time per session.
_DRAWINGS: Cache[str] = Cache(share(0.1))
_DRAWN_ID = re.compile(r'^  "(n\d+)(?:_op|_o\d+|_u\d+|_fold)?" \[id=', re.MULTILINE)


def app_theme() -> Literal["light", "dark"]:
    """The theme the browser shows the app in (the graph follows it)."""
    theme = st.context.theme.type
    return "dark" if theme == "dark" else "light"


def link_view(graph: Graph, lang: Lang, *, addressed: bool) -> dict[str, object] | None:
    """The view a link asked for, once per session and link: ``view``, ``step``, ``node``.

    Read once: afterwards the browser owns the view (and writes it back into the address).
    Only when the address names the program on screen (``addressed``): a view of another
    program is dropped from the address, with a word why.
    """
    params = {k: st.query_params.get(k) for k in ("view", "step", "node", "code", "example")}
    if st.session_state.get(_LINK_READ) == params:
        return None
    if not addressed and any(params[k] for k in VIEW_KEYS):
        for key in VIEW_KEYS:
            st.query_params.pop(key, None)
        st.info(t("explorer.link_view_unnamed", lang), icon=":material/link_off:")
        params = {k: st.query_params.get(k) for k in params}
    st.session_state[_LINK_READ] = params
    if not addressed:
        return None
    view = LINK_VIEWS.get(str(params["view"] or ""))
    initial: dict[str, object] = {}
    if view is not None:
        initial["view"] = view
    step = str(params["step"] or "")
    if step.isdigit():
        initial["step"] = min(int(step), len(graph.backward_order))
        initial.setdefault("view", "backward")
    node = params["node"]
    if node and any(n.id == node for n in graph.nodes):
        initial["node"] = node
        st.session_state[SELECTED] = node
    return initial or None


def _keep_view_in_address(graph: Graph, *, addressed: bool) -> int | None:
    """The view the browser reported (after the user settled) into ``?view=&step=&node=``,
    when the address names the program on screen (``addressed``); else out of the address.

    Returns the backward step it shows, if it is stepping.
    """
    state = st.session_state.get(GRAPH_KEY) or {}
    view, node = state.get("view"), state.get("selected")
    names = {v: k for k, v in LINK_VIEWS.items()}
    wanted: dict[str, str] = {}
    if isinstance(view, dict) and view.get("view") in names:
        wanted["view"] = names[view["view"]]
        step = view.get("step")
        if view["view"] == "backward" and isinstance(step, int):
            wanted["step"] = str(min(max(step, 0), len(graph.backward_order)))
    if isinstance(node, str) and node:
        wanted["node"] = node
    if not wanted:
        return None
    st.session_state[SHOWN_VIEW] = wanted
    for key in VIEW_KEYS:
        if not addressed:
            st.query_params.pop(key, None)
        elif key in wanted and st.query_params.get(key) != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params and key != "node":
            del st.query_params[key]
    # Read as the link of this session already: not a new link to open.
    params = {k: st.query_params.get(k) for k in ("view", "step", "node", "code", "example")}
    st.session_state[_LINK_READ] = params
    return int(wanted["step"]) if "step" in wanted else None


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


def _layout_toggles(graph: Graph, lang: Lang) -> tuple[int, bool]:
    """Show more nodes / fold module calls: the choices that take a new layout, in one row."""
    max_nodes = SHOWN_NODES
    with st.container(horizontal=True):
        if len(graph.nodes) > SHOWN_NODES and st.toggle(
            _expand_label(len(graph.nodes), lang), key="explorer.expand"
        ):
            max_nodes = EXPANDED_NODES
        fold_modules = _fold_toggle(graph, lang)
    return max_nodes, fold_modules


def _drawing(graph: Graph, name: str, options: DrawOptions) -> str:
    def draw() -> tuple[str, int]:
        dot = to_dot(graph, options)
        return dot, len(dot.encode())

    return _DRAWINGS.get_or_compute((name, options), draw)


def graph_panel(graph: Graph, lang: Lang, *, name: str, addressed: bool = False) -> None:
    """The picture with its views, steps and inspector (a click also selects the node here).

    ``name`` tells this graph from every other (the run's digest and the pass): its pictures
    are kept under it. ``addressed``: the address bar names the program this graph is of.
    """
    if graph.second_order:
        st.info(t("explorer.second_order", lang), icon=":material/functions:")
    theme = app_theme()
    slot = st.container()  # the picture first; the toggles that change it go below it
    max_nodes, fold_modules = _layout_toggles(graph, lang)
    # The selection is drawn in the browser; only a graph too big to draw whole centres its
    # part on the selected node, which takes a new picture.
    bounded = len(graph.nodes) > max_nodes
    focus = st.session_state.get(SELECTED) if bounded else None
    words = section("draw", lang)
    options = DrawOptions(
        view="full",
        theme=theme,
        max_nodes=max_nodes,
        fold_modules=fold_modules,
        focus=focus,
        rankdir="TB",  # the page is wider than tall only on paper: tall graphs scroll naturally
        words=words,
    )
    dot = _drawing(graph, name, options)
    script = (
        step_script(graph, fold_modules=fold_modules, words=words) if graph.backward_order else None
    )
    drawn = dict.fromkeys(_DRAWN_ID.findall(dot))
    line_words = {"line": t("graph.line", lang), "line_source": t("graph.line_source", lang)}
    details = node_details(graph, drawn, words=line_words)
    initial = link_view(graph, lang, addressed=addressed)
    with slot:
        graph_view(
            dot,
            key=GRAPH_KEY,
            theme=theme,
            lang=lang,
            on_click=select_node,
            script=script,
            details=details,
            initial=initial,
            scale=presentation_scale(),
            address=addressed,
        )
    step = _keep_view_in_address(graph, addressed=addressed)
    linked = initial.get("step") if initial is not None else None
    if step is None and isinstance(linked, int):
        step = linked  # a link to step K: its rule shows before the browser reports a view
    if step is not None:
        # The rule of the op run at the step the user settled on (ui/why.py, issue #18): the
        # browser reports its step after a pause, never per key.
        why_step(graph, step, lang)
    # Drawn when opened (the fragment reruns): the legend's picture is the biggest element of a
    # first paint after the graph, and most visits never open it.
    legend = st.expander(t("explorer.legend", lang), key="explorer.legend", on_change="rerun")
    if legend.open:
        with legend:
            picture(legend_dot(theme, words))
    # Files keep a light background whatever the app's theme: they go into slides and papers.
    export = _drawing(graph, name, dataclasses.replace(options, theme="light"))
    export_buttons(export, file_stem="autograd-graph", lang=lang)


def result_view(
    run: Run, index: int, lang: Lang, *, texts: Run | None = None, addressed: bool = False
) -> None:
    """Pass ``index`` of ``run`` in the graph panel and, below it, output / variables /
    inspector — one fragment.

    Only the open tab is drawn (switching reruns the fragment): forty students opening a link
    see the output first, and the variables and the inspector, eight elements more for the
    server to make and send per session, come when asked for. The fragment, which Streamlit
    keeps per session for its reruns, holds the run's key, not its result: the result is the
    cache's, shared by every session.

    ``texts`` is the run whose printed output and variables the tabs show, when that is not
    ``run``: a program that failed before drawing a graph, shown under the last graph that
    worked. Its result is held (a failed run stopped by a limit is not cached, and a tab switch
    must not run it again); it carries no graph.
    """
    first = [run]  # the page's own run serves the first drawing, then the closure lets it go
    key, drawing = run.key, f"{run.digest}/{index}"
    own = texts.result if texts is not None and texts.key != run.key else None

    @st.fragment
    def view() -> None:
        result = (first.pop() if first else run_of(key)).result
        graph = result.graphs[index]
        graph_panel(graph, lang, name=drawing, addressed=addressed)
        output, variables, inspector = st.tabs(
            [t(f"explorer.tab.{name}", lang) for name in ("output", "variables", "inspector")],
            key=TABS,
            on_change="rerun",
        )
        if output.open:
            with output:
                printed_output(own or result, lang)
        if variables.open:
            with variables:
                variables_table(own or result, lang)
        if inspector.open:
            with inspector:
                node_inspector(graph, lang)

    view()
