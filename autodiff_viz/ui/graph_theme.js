// The graph component's theme watcher, loaded before graph_view.js (graph_view.py joins the
// files into one module; graph_view.js calls watchTheme with its state object `st`).
//
// The server draws the picture in the page's theme (light or dark) as it was at the last run.
// When the reader's OS or Streamlit's settings menu switches the theme later, the page follows at
// once but the picture would keep its old colours until something else reruns the script. The
// watcher compares the page's background with the theme the picture was drawn in and, when
// they differ, reports the page's theme: the report reruns the script, which draws in it.
const THEME_WATCH_MS = 700;

/** "dark" or "light": the lightness of a CSS colour, as the browser resolves it. */
function themeOf(color, probe) {
  probe.style.color = "";
  probe.style.color = color;
  const rgb = (getComputedStyle(probe).color.match(/[\d.]+/g) || []).map(Number);
  if (rgb.length < 3) return null;
  const luma = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  return luma < 128 ? "dark" : "light";
}

/** Start watching once per component; `st.data.theme` is the theme of the picture shown. */
function watchTheme(st, root) {
  const probe = document.createElement("span");
  probe.hidden = true;
  root.appendChild(probe);
  st.themeTimer = setInterval(() => {
    if (!root.isConnected) {
      clearInterval(st.themeTimer);
      return;
    }
    const background = getComputedStyle(root).getPropertyValue("--st-background-color").trim();
    const page = background ? themeOf(background, probe) : null;
    const drawn = (st.data || {}).theme === "dark" ? "dark" : "light";
    // Ask once per change: if the server cannot see the new theme, the picture stays as it is.
    if (page && page !== drawn && st.themeAsked !== `${drawn}>${page}`) {
      st.themeAsked = `${drawn}>${page}`;
      if (st.report) st.report("theme", page);
    }
  }, THEME_WATCH_MS);
}
