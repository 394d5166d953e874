// The graph component's mini-map, loaded before graph_view.js (graph_view.py joins the two into
// one module; these functions are what graph_view.js calls, with its state object `st`).
//
// While the picture is larger than the view (a big graph opens on the part around the loss),
// a corner shows the whole picture small, with a rectangle for the part on screen: a click or a
// drag in it moves the view there. It is a copy of the same SVG's shapes (text is unreadable at
// that size and is left out), made once per picture when first needed; no second layout. It
// sits in the corner that covers the fewest nodes on screen, never the loss or the top node.
const MINI_W = 168;
const MINI_H = 126;
const MINI_INSET = 8;

/** The mini-map's elements and state, kept on the view's state object. */
function miniMapInit(st, viewport) {
  const box = viewport.querySelector(".gv-minimap");
  st.mini = { box, map: box.querySelector(".gv-mini-map"), rect: box.querySelector(".gv-mini-view"),
    digest: null, m: 1, shown: false };
  const move = (ev) => {
    const r = st.mini.map.getBoundingClientRect();
    const gx = (ev.clientX - r.left) / st.mini.m, gy = (ev.clientY - r.top) / st.mini.m;
    // Centred on that point, but never past the picture's edges (a small side is centred).
    const vw = viewport.clientWidth, vh = viewport.clientHeight;
    const within = (v, lo, hi) => (lo > hi ? (lo + hi) / 2 : Math.min(Math.max(v, lo), hi));
    st.x = within(vw / 2 - gx * st.s, vw - st.w * st.s, 0);
    st.y = within(vh / 2 - gy * st.s, vh - st.h * st.s, 0);
    st.apply();
  };
  let down = false;
  // Its own pointer events: a click here moves the view, it never drags or selects a node.
  box.addEventListener("pointerdown", (ev) => {
    ev.stopPropagation();
    down = true;
    box.setPointerCapture(ev.pointerId);
    const root = viewport.closest(".gv-root");
    root.classList.remove("gv-cropped");
    root.focus({ preventScroll: true }); // the step keys keep working after a click here
    move(ev);
  });
  box.addEventListener("pointermove", (ev) => {
    ev.stopPropagation();
    if (down) move(ev);
  });
  box.addEventListener("pointerup", (ev) => {
    ev.stopPropagation();
    down = false;
  });
}

/** Copy the laid-out picture's shapes into the mini-map, once per picture. */
function miniMapBuild(st) {
  const mini = st.mini;
  const svg = st.stageSvg;
  if (!svg || mini.digest === st.digest) return;
  mini.digest = st.digest;
  const scale = (st.data && st.data.scale) || 1;
  mini.m = Math.min((MINI_W * scale) / st.w, (MINI_H * scale) / st.h);
  const copy = svg.cloneNode(true);
  copy.querySelectorAll("text, title").forEach((e) => e.remove());
  for (const e of [copy, ...copy.querySelectorAll("*")]) {
    e.removeAttribute("id");
    e.removeAttribute("class");
  }
  copy.setAttribute("width", String(st.w * mini.m));
  copy.setAttribute("height", String(st.h * mini.m));
  copy.setAttribute("aria-hidden", "true");
  mini.map.replaceChildren(copy, mini.rect);
  mini.map.style.background = mini.box.parentElement.style.background; // the picture's own
  mini.map.style.width = `${st.w * mini.m}px`;
  mini.map.style.height = `${st.h * mini.m}px`;
}

/** After every move: shown while the picture overflows the view; the rectangle follows. */
function miniMapShow(st, viewport) {
  const mini = st.mini;
  if (!mini) return;
  const vw = viewport.clientWidth, vh = viewport.clientHeight;
  const over = st.stageSvg && (st.w * st.s > vw + 1 || st.h * st.s > vh + 1);
  if (!over) {
    mini.box.hidden = true;
    mini.shown = false;
    return;
  }
  miniMapBuild(st);
  mini.box.hidden = false;
  if (!mini.shown) {
    mini.shown = true;
    miniMapPlace(st, viewport);
  }
  const m = mini.m;
  const x = Math.max(-st.x / st.s, 0), y = Math.max(-st.y / st.s, 0);
  const right = Math.min((vw - st.x) / st.s, st.w), bottom = Math.min((vh - st.y) / st.s, st.h);
  Object.assign(mini.rect.style, {
    left: `${x * m}px`, top: `${y * m}px`,
    width: `${Math.max(right - x, 0) * m}px`, height: `${Math.max(bottom - y, 0) * m}px`,
  });
}

/** Choose the corner that hides least: never the loss or the topmost node on screen. */
function miniMapPlace(st, viewport) {
  const mini = st.mini;
  if (!mini || mini.box.hidden) return;
  const vp = viewport.getBoundingClientRect();
  const bw = mini.box.offsetWidth, bh = mini.box.offsetHeight;
  const seen = [];
  // Nodes, and the edges' labels (which count as little as any node's area).
  for (const g of viewport.querySelectorAll(".gv-stage g.node, .gv-stage g.edge text")) {
    const r = g.getBoundingClientRect();
    if (r.bottom > vp.top && r.top < vp.bottom && r.right > vp.left && r.left < vp.right) {
      seen.push({ r, output: g.classList.contains("output"), node: g.tagName === "g" });
    }
  }
  const top = seen.filter((n) => n.node)
    .reduce((a, b) => (a === null || b.r.top < a.r.top ? b : a), null);
  const corners = [["right", "top"], ["left", "top"], ["right", "bottom"], ["left", "bottom"]];
  let best = null;
  for (const [h, v] of corners) {
    const left = vp.left + (h === "left" ? MINI_INSET : vp.width - MINI_INSET - bw);
    const upper = vp.top + (v === "top" ? MINI_INSET : vp.height - MINI_INSET - bh);
    let cost = 0;
    for (const n of seen) {
      const w = Math.min(n.r.right, left + bw) - Math.max(n.r.left, left);
      const hh = Math.min(n.r.bottom, upper + bh) - Math.max(n.r.top, upper);
      if (w > 0 && hh > 0) cost += w * hh * (n.output || n === top ? 1000 : 1);
    }
    if (best === null || cost < best.cost) best = { h, v, cost };
  }
  mini.box.dataset.corner = `${best.v}-${best.h}`;
}
