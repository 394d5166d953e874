// The graph component's behaviour (st.components.v2): draw the SVG, zoom, pan, report clicks.
// Loaded by autodiff_viz/ui/graph_view.py with importlib.resources; checked by `node --check`.
//
// The component's function runs again on every rerun with new data, into the same shadow root,
// and Streamlit 1.67 does not call the previous run's cleanup then: so listeners are attached
// once (remembered on the root) and each run only swaps the SVG and reads the latest data.
const SUFFIX = /_(op|o\d+|u\d+|fold)$/;

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
      if (!node || /\b(note|more|group)\b/.test(node.getAttribute("class") || "")) return;
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
