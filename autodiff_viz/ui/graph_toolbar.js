// The graph component's toolbar on a narrow panel (graph_view.py joins this file into one module
// with graph_view.js, which calls these functions).
//
// The controls stay on one line and whole: presentation mode's larger text at 1280x720 needs
// more width than the panel has. When they do not fit, the toolbar first shows "fit" and
// "focus" as symbols, then the views by their short names (each button keeps its full title).
const TOOLBAR_LEVELS = 3;

/** The words of each level: 0 full, 1 symbols for fit / focus, 2 also short view names. */
function toolbarWords(root, labels, level) {
  for (const b of root.querySelectorAll(".gv-toolbar button[data-act]")) {
    if (b.dataset.act === "fit") b.textContent = level >= 1 ? "↔" : labels.fit || "";
    if (b.dataset.act === "full") b.textContent = level >= 1 ? "⤢" : labels.focus_short || "";
  }
  for (const b of root.querySelectorAll(".gv-views button")) {
    const name = labels["view_" + b.dataset.view] || b.dataset.view;
    b.textContent = level >= 2 ? labels["view_" + b.dataset.view + "_short"] || name : name;
    b.title = name;
  }
}

/** The first level whose controls fit on the toolbar's one line (the last one otherwise). */
function fitToolbar(root, labels) {
  const bar = root.querySelector(".gv-toolbar");
  if (!bar || bar.clientWidth === 0) return;
  for (let level = 0; level < TOOLBAR_LEVELS; level++) {
    toolbarWords(root, labels, level);
    root.dataset.compact = String(level);
    if (bar.scrollWidth <= bar.clientWidth) return;
  }
}

/** Fit again whenever the toolbar changes size: a resized window, the page's text size. */
function watchToolbar(st, root) {
  if (typeof ResizeObserver === "undefined") return;
  let last = "";
  new ResizeObserver((entries) => {
    const box = entries[0].contentRect;
    const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
    if (size === last) return;
    last = size;
    fitToolbar(root, (st.data || {}).labels || {});
  }).observe(root.querySelector(".gv-toolbar"));
  if (document.fonts && document.fonts.ready) {
    document.fonts.ready.then(() => fitToolbar(root, (st.data || {}).labels || {}));
  }
}
