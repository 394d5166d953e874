// The graph component's behaviour (st.components.v2): draw the SVG, zoom, pan, step through
// the backward pass, select and inspect nodes. Loaded by autodiff_viz/ui/graph_view.py with
// importlib.resources, after graph_toolbar.js and graph_minimap.js (the functions fitToolbar,
// watchToolbar and miniMap* come from them); checked by `node --input-type=module --check`.
//
// The picture is laid out once per graph on the server. Views (forward / backward steps /
// values and grads), the running op's highlight and the selection restyle that same SVG here,
// from the step script the server sent with it: no server round trip, the user's zoom kept.
//
// The component's function runs again on every rerun with new data, into the same root, and
// Streamlit 1.67 does not call the previous run's cleanup then: so listeners are attached once
// (remembered on the root) and each run only reads the latest data.
const SUFFIX = /_(op|o\d+|u\d+|fold)$/;
const SKIP = /\b(note|more|group)\b/;
const PLAY_MS = 900;
const REPORT_MS = 1500;
const VIEWS = ["forward", "backward", "full"];
// A picture whose whole fits with text at most this much below the readable size is fitted
// whole: cropping it would hide a sliver of it (a title, an edge) behind the mini-map.
const NEARLY_READABLE = 0.95;

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

function graphId(svgId) {
  return (svgId || "").replace(SUFFIX, "");
}

// Text only, never markup: every string from the program goes through textContent.
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/** Index the drawn nodes and edges once per picture: what each step restyles. */
function indexPicture(svg, gradColor) {
  const nodes = [];
  for (const g of svg.querySelectorAll("g.node")) {
    if (SKIP.test(g.getAttribute("class") || "")) continue;
    const grads = [...g.querySelectorAll("text")].filter(
      (t) => (t.getAttribute("fill") || "").toLowerCase() === gradColor,
    );
    nodes.push({ g, id: graphId(g.id), grads, first: grads.length ? grads[0].textContent : "" });
  }
  const edges = [];
  for (const g of svg.querySelectorAll("g.edge")) {
    const labels = [...g.querySelectorAll("text")];
    if (!labels.length) continue;
    const title = g.querySelector("title")?.textContent || "";
    const head = title.split("->").pop() || "";
    edges.push({ labels, head: graphId(head.trim()) });
  }
  // The picture's title: the first text outside nodes and edges (graphviz wraps it in a link
  // group when the graph has a tooltip, so it is not always a child of g.graph).
  const title = [...svg.querySelectorAll("g.graph text")].find((t) => !t.closest("g.node, g.edge")) || null;
  return { nodes, edges, title };
}

/**
 * The picture was laid out with one title; stepping swaps in the script's longer ones. Widen
 * the viewBox on both sides (the title is centred) for the longest, once per picture, so no
 * step's title is clipped. Returns the picture's new width.
 */
function widenForTitles(svg, title, script, width) {
  if (!title || !script || typeof title.getComputedTextLength !== "function") return width;
  const laidOut = title.textContent;
  let longest = 0;
  for (const text of [...(script.titles || []), ...Object.values(script.view_titles || {})]) {
    title.textContent = text;
    longest = Math.max(longest, title.getComputedTextLength());
  }
  title.textContent = laidOut;
  const needed = Math.ceil(longest + 16); // a margin of 8 on each side
  if (needed <= width) return width;
  const vb = svg.getAttribute("viewBox").split(/[ ,]+/).map(Number);
  const extra = (needed - width) / 2;
  svg.setAttribute("viewBox", `${vb[0] - extra} ${vb[1]} ${vb[2] + 2 * extra} ${vb[3]}`);
  return needed;
}

/** The picture's own background (the fill of graphviz's first polygon), or null. */
function pictureBackground(svg) {
  const bg = svg.querySelector("g.graph polygon");
  const fill = bg ? bg.getAttribute("fill") : null;
  return fill && fill !== "none" && fill !== "transparent" ? fill : null;
}

// --- Step view: the local factor on each edge (issue 18) -----------------------------------
// The server writes, under the gradient an edge carries, the factor its op's rule multiplied
// the upstream gradient by (a last label line `× 3.0`: laid out with the picture). Stepping
// shows it with the gradient once that is known (upstream × local on the picture); the other
// views show the gradients alone.

/** The factor lines of the edge labels. */
function indexFactors(svg) {
  return [...svg.querySelectorAll("g.edge text")].filter((t) => t.textContent.startsWith("× "));
}

/** Hide the factors unless stepping (stepping, they follow their edge's gradient). */
function showFactors(lines, stepping) {
  for (const t of lines) {
    t.classList.add("gv-factor");
    t.setAttribute("font-style", "italic");
    if (!stepping) t.classList.add("gv-hidden");
  }
}

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const root = parentElement.querySelector(".gv-root");
  const viewport = root.querySelector(".gv-viewport");
  const stage = root.querySelector(".gv-stage");
  const inspector = root.querySelector(".gv-inspector");
  const labels = data.labels || {};

  let st = root.__gv;
  if (!st) {
    st = root.__gv = { s: 1, x: 0, y: 0, w: 1, h: 1, digest: null, view: "full", step: 0 };
    attach(st, root, viewport, stage, inspector);
    miniMapInit(st, viewport);
    watchToolbar(st, root);
    watchTheme(st, root);
  }
  // Presentation mode changed the smallest readable text: fit again once the page has its size.
  const rescaled = st.minPx !== undefined && st.minPx !== data.min_px;
  st.minPx = data.min_px;
  st.data = data;
  st.report = setStateValue;
  root.classList.toggle("gv-dark", data.theme === "dark");
  root.classList.toggle("gv-light", data.theme !== "dark");
  const colors = data.colors || {};
  root.style.setProperty("--gv-dim-fill", colors.dim_fill || "#EEEEEE");
  root.style.setProperty("--gv-dim-text", colors.dim_text || "#999999");
  root.style.setProperty("--gv-current-fill", colors.current_fill || "#FFD54F");
  root.style.setProperty("--gv-current-text", colors.current_text || "#000000");
  if (data.height) {
    viewport.style.height = data.height + "px";
    inspector.style.height = data.height + "px";
  } else if (!st.sized) {
    st.sized = true;
    st.size();
  }
  inspector.hidden = !data.details;
  labelButtons(root, labels, data.script);
  fitToolbar(root, labels);
  root.querySelector(".gv-hint").textContent = labels.hint || "";
  root.querySelector(".gv-cue").textContent = labels.cue || "";
  root.querySelector(".gv-minimap").title = labels.minimap || "";

  if (st.digest !== data.digest) {
    const first = st.digest === null;
    const svg = sanitize(data.svg);
    stage.replaceChildren();
    st.stageSvg = null;
    st.index = { nodes: [], edges: [], title: null };
    st.factors = [];
    if (svg) {
      const vb = (svg.getAttribute("viewBox") || "0 0 800 600").split(/[ ,]+/).map(Number);
      st.w = vb[2] || 800;
      st.h = vb[3] || 600;
      svg.setAttribute("width", st.w);
      svg.setAttribute("height", st.h);
      stage.appendChild(svg);
      st.stageSvg = svg;
      st.index = indexPicture(svg, (colors.grad || "").toLowerCase());
      st.factors = indexFactors(svg);
      st.w = widenForTitles(svg, st.index.title, data.script, st.w);
      svg.setAttribute("width", st.w);
    }
    // The view around the picture takes its background: no band beside a narrow graph.
    viewport.style.background = (svg && pictureBackground(svg)) || "";
    st.digest = data.digest;
    viewport.dataset.digest = data.digest;
    if (first && data.initial) {
      // A share link's view: ?view=&step=&node= (read on the server, passed once).
      if (VIEWS.includes(data.initial.view)) st.view = data.initial.view;
      if (Number.isFinite(data.initial.step)) st.step = data.initial.step;
      st.selected = data.initial.node || null;
    }
    if (!data.script) st.view = "full";
    st.step = Math.min(Math.max(st.step, 0), data.script ? data.script.total : 0);
    // What the server already knows (the link's view, or the default): nothing to report, so
    // opening a page costs no extra rerun; only a view the user changed to is reported.
    if (first) st.reported = JSON.stringify({ view: st.view, step: st.step });
    st.show();
    st.fit(true);
    st.inspect(st.selected);
  } else if (rescaled) {
    setTimeout(() => { st.size(); st.fit(true); }, 120);
  }
}

/** Button titles and the view buttons, in the page's language. */
function labelButtons(root, labels, script) {
  const names = { in: "zoom_in", out: "zoom_out", fit: "fit", full: "focus", first: "first",
    prev: "prev", next: "next", last: "last", play: "play" };
  for (const b of root.querySelectorAll("button[data-act]")) {
    b.title = labels[names[b.dataset.act]] || "";
    b.setAttribute("aria-label", b.title);
    if (b.dataset.act === "fit") b.textContent = labels.fit || "";
    if (b.dataset.act === "full") b.textContent = labels.focus_short || "";
  }
  const views = root.querySelector(".gv-views");
  if (views.childElementCount === 0) {
    for (const v of VIEWS) {
      const b = el("button", "", "");
      b.type = "button";
      b.dataset.view = v;
      views.appendChild(b);
    }
  }
  for (const b of views.querySelectorAll("button")) {
    b.textContent = labels["view_" + b.dataset.view] || b.dataset.view;
  }
  root.classList.toggle("gv-no-steps", !script);
}

function attach(st, root, viewport, stage, inspector) {
  const apply = () => {
    stage.style.transform = `translate(${st.x}px, ${st.y}px) scale(${st.s})`;
    miniMapShow(st, viewport);
  };
  st.apply = apply;

  // The panel fills the window below where it starts (the picture is the largest thing on
  // screen), between 300 px and 1600 px; it follows the window when it is resized.
  st.size = () => {
    const d = st.data || {};
    if (d.height) return;
    const top = viewport.getBoundingClientRect().top;
    const below = 34; // the hint line under the picture
    const h = Math.round(Math.min(Math.max(window.innerHeight - top - below, 300), 1600));
    viewport.style.height = h + "px";
    inspector.style.height = h + "px";
  };
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { st.size(); st.fit(true); }, 150);
  });

  // The default fit never draws node text much below minPx on screen (NEARLY_READABLE): when
  // the whole picture would need smaller text, it shows the part around the output (the loss) at a readable scale and
  // says there is more ("drag or zoom to see the rest").
  st.fit = (readable) => {
    const vw = viewport.clientWidth || 800;
    const vh = viewport.clientHeight || 500;
    const whole = Math.min(vw / st.w, vh / st.h, 1.5);
    const d = st.data || {};
    // Rounded up: 11 / 14 in floating point would draw 10.99999 px.
    const least = Math.ceil(((d.min_px || 11) / (d.font_pt || 14)) * 1000) / 1000;
    const cropped = readable && whole < least * NEARLY_READABLE;
    root.classList.toggle("gv-cropped", cropped);
    if (st.mini) st.mini.shown = false; // a new view: the mini-map chooses its corner again
    if (!cropped) {
      st.s = whole;
      st.x = Math.max((vw - st.w * st.s) / 2, 0);
      st.y = Math.max((vh - st.h * st.s) / 2, 0);
      apply();
      return;
    }
    st.s = least;
    const out = stage.querySelector("g.node.output") || stage.querySelector("g.node");
    let cx = st.w / 2, cy = st.h;
    if (out) {
      stage.style.transform = "none"; // measured at scale 1 (not apply: no mini-map yet)
      const r = out.getBoundingClientRect(), o = stage.getBoundingClientRect();
      cx = r.left - o.left + r.width / 2;
      cy = r.top - o.top + r.height;
      st.s = least;
    }
    st.x = Math.min(Math.max(vw / 2 - cx * st.s, vw - st.w * st.s), 0);
    st.y = Math.min(Math.max(vh - 24 - cy * st.s, vh - st.h * st.s), 0);
    if (st.w * st.s < vw) st.x = (vw - st.w * st.s) / 2;
    apply();
  };

  const zoom = (factor, cx, cy) => {
    const s = Math.min(Math.max(st.s * factor, 0.05), 8);
    const f = s / st.s;
    st.x = cx - (cx - st.x) * f;
    st.y = cy - (cy - st.y) * f;
    st.s = s;
    root.classList.remove("gv-cropped");
    apply();
  };

  // One step of the replay: classes and texts of the same SVG, nothing laid out again.
  st.show = () => {
    const d = st.data || {};
    const script = d.script;
    const words = d.words || {};
    const view = st.view;
    const k = st.step;
    const stepping = view === "backward" && script;
    const known = (id) => {
      const at = script ? script.known_at[id] : undefined;
      return at !== undefined && at <= k;
    };
    const current = stepping && k > 0 ? script.current[k] : null;
    for (const n of st.index.nodes) {
      const pending = stepping && !known(n.id);
      n.g.classList.toggle("gv-pending", !!pending);
      n.g.classList.toggle("gv-current", current !== null && n.id === current);
      n.g.classList.toggle("gv-selected", n.id === st.selected);
      n.grads.forEach((t, i) => {
        t.classList.toggle("gv-hidden", view === "forward" || (pending && i > 0));
        t.textContent = pending && i === 0 ? `${words.grad || "grad"} ${words.pending || "?"}` : (i === 0 ? n.first : t.textContent);
      });
    }
    for (const e of st.index.edges) {
      const hide = view === "forward" || (stepping && !known(e.head));
      e.labels.forEach((t) => t.classList.toggle("gv-hidden", hide));
    }
    showFactors(st.factors || [], stepping);
    if (st.index.title && script) {
      st.index.title.textContent = stepping ? script.titles[k] : script.view_titles[view];
    }
    for (const b of root.querySelectorAll(".gv-views button")) {
      b.setAttribute("aria-pressed", String(b.dataset.view === view));
    }
    const total = script ? script.total : 0;
    root.querySelector(".gv-step").textContent = script ? `${k} / ${total}` : "";
    root.classList.toggle("gv-not-stepping", !stepping);
    const play = root.querySelector('button[data-act="play"]');
    play.textContent = st.timer ? "❚❚" : "▶";
    play.title = (d.labels || {})[st.timer ? "pause" : "play"] || "";
    viewport.dataset.view = view;
    viewport.dataset.step = String(k);
    remember();
  };

  // The view goes into the address bar (?view=&step=&node=): a copied link reopens it.
  let urlTimer = null;
  let reportTimer = null;
  const remember = () => {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      try {
        const url = new URL(window.location.href);
        if (st.data.address === false) {
          // The address names no program this view is of: a link must not open another's.
          for (const k of ["view", "step", "node"]) url.searchParams.delete(k);
          window.history.replaceState(window.history.state, "", url.toString());
          return;
        }
        const names = { forward: "forward", backward: "step", full: "grads" };
        url.searchParams.set("view", names[st.view] || "grads");
        if (st.view === "backward") url.searchParams.set("step", String(st.step));
        else url.searchParams.delete("step");
        if (st.selected) url.searchParams.set("node", st.selected);
        else url.searchParams.delete("node");
        window.history.replaceState(window.history.state, "", url.toString());
      } catch (err) {
        // An address bar we may not write (sandboxed frame): the view still works.
      }
    }, 250);
    // The server learns the view once the user settles (one quiet rerun, the picture does not
    // change): its share link then carries it. Never per step: stepping stays in the browser.
    clearTimeout(reportTimer);
    reportTimer = setTimeout(() => {
      const view = { view: st.view, step: st.step };
      const key = JSON.stringify(view);
      if (key !== st.reported && st.report && !st.timer) {
        st.reported = key;
        st.report("view", view);
        viewport.dataset.reported = `${view.view}:${view.step}`; // what the server was told
      }
    }, REPORT_MS);
  };

  st.go = (view, step) => {
    const script = (st.data || {}).script;
    if (!script) return;
    st.view = view;
    st.step = Math.min(Math.max(step, 0), script.total);
    st.show();
  };
  const stepBy = (delta) => st.go("backward", (st.view === "backward" ? st.step : delta > 0 ? 0 : (st.data.script || {}).total || 0) + delta);
  const stopPlay = () => {
    if (st.timer) clearInterval(st.timer);
    st.timer = null;
  };
  const togglePlay = () => {
    const script = (st.data || {}).script;
    if (!script) return;
    if (st.timer) {
      stopPlay();
      st.show();
      return;
    }
    if (st.view !== "backward" || st.step >= script.total) st.go("backward", 0);
    st.timer = setInterval(() => {
      st.go("backward", st.step + 1);
      if (st.step >= script.total) {
        stopPlay(); // stopped with the last picture: Space now plays again from the start
        st.show();
      }
    }, PLAY_MS);
    st.show();
  };
  const full = (on) => {
    root.classList.toggle("gv-full", on);
    requestAnimationFrame(() => st.fit(true));
    root.focus({ preventScroll: true });
  };

  st.inspect = (id) => {
    const d = st.data || {};
    const details = d.details;
    if (!details) return;
    const L = d.labels || {};
    inspector.replaceChildren();
    const info = id ? details[id] : null;
    if (!info) {
      inspector.appendChild(el("p", "gv-muted", L.pick_node || ""));
      return;
    }
    inspector.appendChild(el("h4", "", info.title));
    const row = (key, text, pre) => {
      if (text === undefined || text === null || text === "") return;
      inspector.appendChild(el("div", "gv-k", L[key] || key));
      inspector.appendChild(el(pre ? "pre" : "div", "", text));
    };
    row("op", info.op);
    row("line", info.line);
    row("value", info.value, true);
    row("grad", info.grad, true);
    for (const [name, text] of info.saved || []) row("saved", `${name} = ${text}`, true);
    row("flags", info.flags);
  };

  const select = (id) => {
    st.selected = id;
    root.dataset.selected = id;
    for (const n of st.index.nodes) n.g.classList.toggle("gv-selected", n.id === id);
    st.inspect(id);
    remember();
    // The server's own inspector and share link follow, after the picture already did.
    if (st.report) st.report("selected", id);
  };

  viewport.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = viewport.getBoundingClientRect();
    zoom(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  root.querySelector(".gv-toolbar").addEventListener("click", (ev) => {
    const button = ev.target.closest("button");
    if (!button) return;
    const act = button.dataset.act;
    const cx = viewport.clientWidth / 2, cy = viewport.clientHeight / 2;
    if (button.dataset.view) {
      stopPlay();
      st.go(button.dataset.view, button.dataset.view === "backward" && st.view !== "backward" ? 0 : st.step);
    }
    if (act === "in") zoom(1.25, cx, cy);
    if (act === "out") zoom(0.8, cx, cy);
    if (act === "fit") st.fit(false);
    if (act === "full") full(!root.classList.contains("gv-full"));
    if (act === "first") { stopPlay(); st.go("backward", 0); }
    if (act === "last") { stopPlay(); st.go("backward", (st.data.script || {}).total || 0); }
    if (act === "prev") { stopPlay(); stepBy(-1); }
    if (act === "next") { stopPlay(); stepBy(1); }
    if (act === "play") togglePlay();
    root.focus({ preventScroll: true });
  });
  // Keys with the graph focused; a presenter's clicker sends PageDown / PageUp.
  root.addEventListener("keydown", (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const script = (st.data || {}).script;
    const keys = {
      ArrowRight: () => { stopPlay(); stepBy(1); },
      PageDown: () => { stopPlay(); stepBy(1); },
      ArrowLeft: () => { stopPlay(); stepBy(-1); },
      PageUp: () => { stopPlay(); stepBy(-1); },
      Home: () => { stopPlay(); st.go("backward", 0); },
      End: () => { stopPlay(); st.go("backward", script ? script.total : 0); },
      " ": togglePlay,
      f: () => full(!root.classList.contains("gv-full")),
      Escape: () => full(false),
    };
    const run = keys[ev.key];
    if (!run) return;
    if (!script && !["f", "Escape"].includes(ev.key)) return;
    ev.preventDefault();
    run();
  });

  let drag = null;
  viewport.addEventListener("pointerdown", (ev) => {
    drag = { x: ev.clientX, y: ev.clientY, ox: st.x, oy: st.y, moved: false };
    viewport.setPointerCapture(ev.pointerId);
    root.focus({ preventScroll: true });
  });
  viewport.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    if (!drag.moved) return;
    viewport.classList.add("gv-dragging");
    root.classList.remove("gv-cropped");
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
    const scope = root.getRootNode && root.getRootNode().elementFromPoint ? root.getRootNode() : document;
    const hit = scope.elementFromPoint(ev.clientX, ev.clientY);
    const node = hit && hit.closest ? hit.closest("g.node") : null;
    if (!node || SKIP.test(node.getAttribute("class") || "")) return;
    const id = graphId(node.getAttribute("id"));
    if (id) select(id);
  });
}
