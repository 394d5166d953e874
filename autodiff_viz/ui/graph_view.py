"""Show a graph's DOT as a zoomable, clickable SVG, and offer it for download.

``graph_view(dot, key=...)`` lays the DOT out on the server (``dot`` subprocess with a time
limit, cached by DOT text, see :mod:`autodiff_viz.render.layout`) and hands the SVG to a small
``st.components.v2`` component: wheel or buttons zoom, drag pans, "fit" shows the whole width,
a click on a node reports that node's graph id back to Python (the return value).

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
from typing import Any

import streamlit as st

from autodiff_viz import i18n
from autodiff_viz.render.layout import LayoutError, dot_to_png, dot_to_svg, has_dot

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
    "no_dot": "graph.no_dot",
    "layout_failed": "graph.layout_failed",
    "download_dot": "graph.download_dot",
    "download_svg": "graph.download_svg",
    "download_png": "graph.download_png",
    "export_needs_dot": "graph.export_needs_dot",
}

_HTML = """
<div class="gv-root">
  <div class="gv-toolbar">
    <button type="button" data-act="in">+</button>
    <button type="button" data-act="out">−</button>
    <button type="button" data-act="fit"></button>
    <button type="button" data-act="actual"></button>
    <span class="gv-hint"></span>
  </div>
  <div class="gv-viewport"><div class="gv-stage"></div></div>
</div>
"""

_CSS = """
/* rem: follows the app's root size, which presentation mode enlarges */
.gv-root { font-family: sans-serif; font-size: 0.8125rem; }
.gv-toolbar { display: flex; gap: 6px; align-items: center; margin-bottom: 4px; }
.gv-toolbar button { min-width: 2.2em; padding: 2px 8px; border-radius: 6px; cursor: pointer;
  white-space: nowrap; flex: none; font-size: inherit;
  border: 1px solid var(--st-border-color, #ccc); background: var(--st-secondary-background-color,
  #f0f2f6); color: var(--st-text-color, #222); }
.gv-hint { opacity: 0.7; }
.gv-viewport { position: relative; overflow: hidden; border-radius: 8px; cursor: grab;
  border: 1px solid var(--st-border-color, #ccc); touch-action: none; }
.gv-viewport.gv-dragging { cursor: grabbing; }
.gv-stage { position: absolute; left: 0; top: 0; transform-origin: 0 0; }
.gv-stage g.node { cursor: pointer; }
.gv-root.gv-dark .gv-viewport { background: #0E1117; }
.gv-root.gv-light .gv-viewport { background: #FFFFFF; }
"""

# The component's function runs again on every rerun with new data, into the same shadow root,
# and Streamlit 1.67 does not call the previous run's cleanup then: so listeners are attached
# once (remembered on the root) and each run only swaps the SVG and reads the latest data.
_JS = """
const SUFFIX = /_(op|o\\d+|u\\d+|fold)$/;

function sanitize(svgText) {
  const doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
  const svg = doc.documentElement;
  if (!svg || svg.nodeName !== "svg") return null;
  // Defence in depth: the renderer escapes every user string, and dot writes none of these.
  svg.querySelectorAll("script, foreignObject, iframe, object, embed").forEach((e) => e.remove());
  svg.querySelectorAll("*").forEach((e) => {
    for (const a of [...e.attributes]) {
      if (a.name.startsWith("on") || /href$/i.test(a.name)) e.removeAttribute(a.name);
    }
  });
  return document.importNode(svg, true);
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".gv-root");
  const viewport = root.querySelector(".gv-viewport");
  const stage = root.querySelector(".gv-stage");
  const labels = data.labels || {};
  root.className = "gv-root gv-" + (data.theme === "dark" ? "dark" : "light");
  viewport.style.height = data.height + "px";
  for (const b of root.querySelectorAll("button[data-act]")) {
    const name = { in: "zoom_in", out: "zoom_out", fit: "fit", actual: "actual" }[b.dataset.act];
    b.title = labels[name] || "";
    if (b.dataset.act === "fit" || b.dataset.act === "actual") b.textContent = labels[name] || "";
  }
  root.querySelector(".gv-hint").textContent = labels.hint || "";

  let st = root.__gv;
  if (!st) {
    st = root.__gv = { s: 1, x: 0, y: 0, w: 1, h: 1, digest: null };
    const apply = () => {
      stage.style.transform = `translate(${st.x}px, ${st.y}px) scale(${st.s})`;
    };
    st.apply = apply;
    st.fit = () => {
      const vw = viewport.clientWidth || 800;
      st.s = Math.min(vw / st.w, 1.5);
      st.x = Math.max((vw - st.w * st.s) / 2, 0);
      st.y = Math.max((viewport.clientHeight - st.h * st.s) / 2, 0);
      apply();
    };
    const zoom = (factor, cx, cy) => {
      const s = Math.min(Math.max(st.s * factor, 0.05), 8);
      const f = s / st.s;
      st.x = cx - (cx - st.x) * f;
      st.y = cy - (cy - st.y) * f;
      st.s = s;
      apply();
    };
    viewport.addEventListener("wheel", (ev) => {
      ev.preventDefault();
      const r = viewport.getBoundingClientRect();
      zoom(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
    }, { passive: false });
    root.querySelector(".gv-toolbar").addEventListener("click", (ev) => {
      const act = ev.target.closest("button")?.dataset.act;
      const cx = viewport.clientWidth / 2, cy = viewport.clientHeight / 2;
      if (act === "in") zoom(1.25, cx, cy);
      if (act === "out") zoom(0.8, cx, cy);
      if (act === "fit") st.fit();
      if (act === "actual") { st.s = 1; st.x = 0; st.y = 0; apply(); }
    });
    let drag = null;
    viewport.addEventListener("pointerdown", (ev) => {
      drag = { x: ev.clientX, y: ev.clientY, ox: st.x, oy: st.y, moved: false };
      viewport.setPointerCapture(ev.pointerId);
    });
    viewport.addEventListener("pointermove", (ev) => {
      if (!drag) return;
      const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
      if (!drag.moved) return;
      viewport.classList.add("gv-dragging");
      st.x = drag.ox + dx;
      st.y = drag.oy + dy;
      apply();
    });
    viewport.addEventListener("pointerup", (ev) => {
      const wasDrag = drag && drag.moved;
      drag = null;
      viewport.classList.remove("gv-dragging");
      if (wasDrag) return;
      // Pointer capture retargets the event to the viewport: find what is under the pointer.
      const hit = parentElement.elementFromPoint
        ? parentElement.elementFromPoint(ev.clientX, ev.clientY)
        : document.elementFromPoint(ev.clientX, ev.clientY);
      const node = hit && hit.closest ? hit.closest("g.node") : null;
      if (!node || /\\b(note|more|group)\\b/.test(node.getAttribute("class") || "")) return;
      const id = (node.getAttribute("id") || "").replace(SUFFIX, "");
      if (id) {
        root.dataset.selected = id;
        setStateValue("selected", id);
      }
    });
  }

  if (st.digest !== data.digest) {
    const svg = sanitize(data.svg);
    stage.replaceChildren();
    if (svg) {
      const vb = (svg.getAttribute("viewBox") || "0 0 800 600").split(/[ ,]+/).map(Number);
      st.w = vb[2] || 800;
      st.h = vb[3] || 600;
      svg.setAttribute("width", st.w);
      svg.setAttribute("height", st.h);
      stage.appendChild(svg);
    }
    st.digest = data.digest;
    viewport.dataset.digest = data.digest;
    st.fit();
  }
}
"""


@functools.cache
def _component() -> Any:
    """Register the component once per process (registering it again logs a warning)."""
    return st.components.v2.component("autodiff_viz.graph_view", html=_HTML, css=_CSS, js=_JS)


def labels_for(lang: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every word of this module in ``lang``, from the app's i18n table (the one source)."""
    words = {name: i18n.t(key, lang) for name, key in LABEL_KEYS.items()}
    return {**words, **(overrides or {})}


def digest(dot: str) -> str:
    return hashlib.sha256(dot.encode()).hexdigest()[:16]


def graph_view(
    dot: str,
    *,
    key: str,
    height: int = 520,
    theme: str = "light",
    lang: str = "en",
    labels: Mapping[str, str] | None = None,
    timeout: float = 3.0,
    on_click: Callable[[str], None] | None = None,
) -> str | None:
    """Draw ``dot``; return the graph id of the node last clicked (None before any click).

    ``on_click(node_id)`` runs as the click's callback, before the rerun it causes: whatever
    it changes (the outlined node) is already in the picture that rerun draws.
    """
    words = labels_for(lang, labels)
    if not has_dot():
        st.caption(words["no_dot"])
        st.graphviz_chart(dot, width="stretch")
        return None
    try:
        svg = dot_to_svg(dot, timeout=timeout)
    except LayoutError as exc:
        st.warning(words["layout_failed"].format(error=exc))
        return None
    data = {
        "svg": svg,
        "digest": digest(dot),
        "theme": theme,
        "height": height,
        "labels": words,
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
        st.caption(words["layout_failed"].format(error=exc))
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
