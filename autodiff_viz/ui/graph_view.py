"""Show a graph's DOT as a zoomable, clickable SVG, and offer it for download.

``graph_view(dot, key=...)`` lays the DOT out on the server (``dot`` subprocess with a time
limit, cached by DOT text, see :mod:`autodiff_viz.render.layout`) and hands the SVG to a small
``st.components.v2`` component (``graph_view.html``, ``.css`` and ``.js`` beside this module,
with ``graph_toolbar.js``, which keeps the controls on one line, and ``graph_minimap.js``, the
overview of a picture larger than the view): wheel or buttons zoom, drag pans, "fit" shows the
whole width, a click on a node reports that node's graph id back to Python (the return value).

Why not ``st.graphviz_chart``: on Streamlit 1.67 it was measured to keep showing the previous
picture after a rerun, to leave a second chart of the same DOT blank, to go blank past ~5k nodes
and to block the page while its wasm Graphviz lays out. Here every new SVG replaces the old one
(the component checks the DOT digest on every run) and a runaway layout is killed server side.
``st.graphviz_chart`` remains the fallback when the ``dot`` binary is missing.

UI words come from :func:`labels_for` (the app's i18n table when it has the keys) or a
``labels`` mapping, so nothing here is English-only.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Any

import streamlit as st

from autodiff_viz import i18n
from autodiff_viz.render.dot import NODE_FONT_PT
from autodiff_viz.render.layout import LayoutError, dot_to_png, dot_to_svg, has_dot
from autodiff_viz.render.steps import StepScript
from autodiff_viz.render.styles import THEMES
from autodiff_viz.render.styles import WORDS as DRAW_WORDS
from autodiff_viz.ui import markup

#: The smallest node text the default fit draws, in CSS pixels (read from the back of a room).
MIN_TEXT_PX = 11

__all__ = [
    "LABEL_KEYS",
    "export_buttons",
    "graph_view",
    "labels_for",
    "picture",
]

#: i18n keys (``autodiff_viz.i18n.STRINGS``) for every word this module shows.
LABEL_KEYS: dict[str, str] = {
    "zoom_in": "graph.zoom_in",
    "zoom_out": "graph.zoom_out",
    "fit": "graph.fit",
    "actual": "graph.actual_size",
    "hint": "graph.hint",
    "hint_steps": "graph.hint_steps",
    "cue": "graph.cue",
    "minimap": "graph.minimap",
    "focus": "graph.focus",
    "focus_short": "graph.focus_short",
    "first": "graph.first",
    "prev": "graph.prev",
    "next": "graph.next",
    "last": "graph.last",
    "play": "explorer.play",
    "pause": "explorer.pause",
    "view_forward": "explorer.view.forward",
    "view_backward": "explorer.view.backward",
    "view_full": "explorer.view.full",
    "view_forward_short": "graph.view_short.forward",
    "view_backward_short": "graph.view_short.backward",
    "view_full_short": "graph.view_short.full",
    "pick_node": "graph.pick_node",
    "op": "explorer.inspector.op",
    "line": "graph.source",
    "value": "explorer.inspector.value",
    "grad": "explorer.inspector.grad",
    "saved": "explorer.inspector.saved",
    "flags": "graph.flags",
    "no_dot": "graph.no_dot",
    "layout_failed": "graph.layout_failed",
    "download_dot": "graph.download_dot",
    "download_svg": "graph.download_svg",
    "download_png": "graph.download_png",
    "export_needs_dot": "graph.export_needs_dot",
}


def _asset(name: str) -> str:
    """One of the component's files beside this module (a package resource, so wheels work)."""
    return resources.files("autodiff_viz.ui").joinpath(name).read_text(encoding="utf-8")


@functools.cache
def _component() -> Any:
    """Register the component once per process (registering it again logs a warning)."""
    return st.components.v2.component(
        "autodiff_viz.graph_view",
        html=_asset("graph_view.html"),
        css=_asset("graph_view.css"),
        js=component_js(),
    )


def component_js() -> str:
    """The component's module: the toolbar's, mini-map's and theme watcher's functions, then
    the view."""
    parts = ("toolbar", "minimap", "theme", "view")
    return "\n".join(_asset(f"graph_{part}.js") for part in parts)


def labels_for(lang: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every word of this module in ``lang``, from the app's i18n table (the one source)."""
    words = {name: i18n.t(key, lang) for name, key in LABEL_KEYS.items()}
    return {**words, **(overrides or {})}


def _draw_words(lang: str) -> dict[str, str]:
    """The picture's words the browser writes itself (``grad ?`` of a pending node)."""
    drawn = {**DRAW_WORDS, **i18n.section("draw", lang)}
    return {"grad": drawn["grad"], "pending": drawn["pending"]}


def digest(dot: str) -> str:
    return hashlib.sha256(dot.encode()).hexdigest()[:16]


def graph_view(
    dot: str,
    *,
    key: str,
    height: int | None = None,
    theme: str = "light",
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    timeout: float = 3.0,
    on_click: Callable[[str], None] | None = None,
    script: StepScript | None = None,
    details: Mapping[str, Mapping[str, object]] | None = None,
    initial: Mapping[str, object] | None = None,
    scale: float = 1.0,
    address: bool = True,
) -> str | None:
    """Draw ``dot``; return the graph id of the node last clicked (None before any click).

    ``height`` fixes the panel's height in pixels (default: it grows with the window).
    ``on_click(node_id)`` runs as the click's callback, in the rerun the click causes (the
    picture has already outlined the node and shown ``details[node_id]`` by then).

    With ``script`` (:func:`~autodiff_viz.render.steps.step_script` of the graph ``dot`` draws
    with every gradient) the browser steps through the backward pass and switches views on
    this one picture; ``initial`` is the view a link asked for (``view``, ``step``, ``node``).

    ``scale`` is presentation mode's factor: the default fit's smallest node text, the
    mini-map and the controls grow by it (the picture is fitted again when it changes).

    ``address``: the browser writes the view into the address bar (``?view=&step=&node=``);
    when False it takes those out (the address names no program the view belongs to).
    """
    words = labels_for(lang, labels)
    if not has_dot():
        st.caption(words["no_dot"])
        st.graphviz_chart(dot, width="stretch")
        return None
    try:
        svg = dot_to_svg(dot, timeout=timeout)
    except LayoutError as exc:
        markup.warning(words["layout_failed"].format(error=exc))
        return None
    colors = THEMES["dark" if theme == "dark" else "light"]
    if script is not None:
        words["hint"] = f"{words['hint']} {words['hint_steps']}"
    data = {
        "svg": svg,
        "digest": digest(dot),
        "theme": theme,
        "height": height,
        "labels": words,
        "script": script.to_json() if script is not None else None,
        "details": details,
        "initial": dict(initial) if initial else None,
        "words": _draw_words(lang),
        "colors": {
            "grad": colors.grad,
            "dim_fill": colors.dim_fill,
            "dim_text": colors.dim_text,
            "current_fill": colors.current_fill,
            "current_text": colors.current_text,
        },
        "min_px": MIN_TEXT_PX * scale,
        "scale": scale,
        "font_pt": NODE_FONT_PT,
        "address": address,
    }

    def clicked() -> None:
        node_id = (st.session_state.get(key) or {}).get("selected")
        if on_click is not None and isinstance(node_id, str):
            on_click(node_id)

    result = _component()(
        key=key, data=data, default={"selected": None}, on_selected_change=clicked
    )
    selected = result.get("selected")
    return selected if isinstance(selected, str) else None


def picture(dot: str) -> None:
    """A small graph nobody clicks (the legend), as an image laid out on the server.

    Measured on the explorer, ``st.graphviz_chart`` cost the page about 0.4 s of the browser's
    main thread before the graph appeared: it loads and starts Graphviz compiled to
    WebAssembly. The browser draws it only when ``dot`` is missing or fails.
    """
    if has_dot():
        try:
            st.image(dot_to_svg(dot, standalone=True))
            return
        except LayoutError:
            pass
    st.graphviz_chart(dot)


def export_buttons(
    dot: str, *, file_stem: str, lang: str = "en", labels: Mapping[str, str] | None = None
) -> None:
    """Download buttons: DOT always, SVG and PNG when ``dot`` can lay the graph out.

    The files are made when a button is clicked, not on every rerun: handing Streamlit the
    bytes up front lays out a PNG of every new picture (each backward step) and stores and
    hashes three files per session and run in its media manager, behind one lock for the whole
    server. Clicking downloads without a rerun.
    """
    words = labels_for(lang, labels)
    # One horizontal row, not three columns: four elements for the server to make and send per
    # run instead of seven.
    row = st.container(horizontal=True)
    row.download_button(
        words["download_dot"],
        lambda: dot,
        file_name=f"{file_stem}.dot",
        mime="text/vnd.graphviz",
        on_click="ignore",
    )
    if not has_dot():
        st.caption(words["export_needs_dot"])
        return
    try:
        dot_to_svg(dot)  # laid out for the view already: a cache hit that says whether it can be
    except LayoutError as exc:
        markup.caption(words["layout_failed"].format(error=exc))
        return
    row.download_button(
        words["download_svg"],
        lambda: dot_to_svg(dot, standalone=True),
        file_name=f"{file_stem}.svg",
        mime="image/svg+xml",
        on_click="ignore",
    )
    row.download_button(
        words["download_png"],
        lambda: dot_to_png(dot),
        file_name=f"{file_stem}.png",
        mime="image/png",
        on_click="ignore",
    )
