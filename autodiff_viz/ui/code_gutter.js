// Line numbers beside a Streamlit text area (st.components.v2), the error's line marked.
// Loaded by autodiff_viz/ui/code_gutter.py; checked by `node --input-type=module --check`.
//
// The text area stays Streamlit's own. This finds it by its key's class, turns off its soft
// wrap (code_gutter.css: one text line is one row, so the numbers need no measuring), and puts two
// things into its box, before it: the column of numbers, and a band behind the text for the
// error's line. Typing renumbers at once, scrolling moves the numbers with the text, a resize
// or a new root font size (presentation mode) lays them out again; none of it reruns Python.
//
// Streamlit 1.67 calls this function again on every rerun, into the same parent element, and
// calls only the last run's cleanup (when the component leaves the page): so one Gutter lives
// on the parent and each run hands it the latest data.
const WATCH_MS = 400;
// The theme's colours, set by Streamlit on the component's wrapper, copied to the text area's
// box (the gutter is not inside the wrapper, so it would not inherit them).
const COLORS = ["--st-text-color", "--st-red-color", "--st-border-color"];

/** Whether the text area is drawn (a closed expander keeps it in the DOM, not on screen). */
function drawn(area) {
  return area.checkVisibility ? area.checkVisibility() : area.getClientRects().length > 0;
}

function el(cls) {
  const e = document.createElement("div");
  e.className = cls;
  e.setAttribute("aria-hidden", "true");
  return e;
}

class Gutter {
  constructor() {
    this.data = {};
    this.colors = {};
    this.area = null;
    this.seen = null; // the text the numbers were made for
    this.marked = null; // the row of the error's line, while it is marked
    this.revealed = null; // the error last scrolled into view
    this.onInput = () => this.renumber();
    this.onScroll = () => this.follow();
    this.resizer = new ResizeObserver(() => this.layout());
    // Streamlit can replace the text area (a page or mode switch), or set its text without an
    // input event (an example loaded): a cheap look every WATCH_MS catches both.
    this.timer = setInterval(() => this.watch(), WATCH_MS);
  }

  update(data, colors) {
    this.data = data || {};
    this.colors = colors;
    this.watch();
    if (!this.area) return;
    this.paint();
    this.renumber();
    this.reveal();
  }

  watch() {
    const area = this.data.target
      ? document.querySelector(`.${this.data.target} textarea`)
      : null;
    if (area !== this.area || (area && !this.gutter.isConnected)) {
      this.detach();
      if (area) this.attach(area);
    } else if (area && !this.box.classList.contains("cg-on")) {
      // React wrote the box's classes again (a theme change restyles it): ours went with them.
      this.box.classList.add("cg-on");
      this.layout();
    } else if (area && area.value !== this.seen) {
      this.renumber();
    }
    if (this.area) this.reveal(); // once the editor is opened, if it was closed
  }

  attach(area) {
    this.area = area;
    this.box = area.parentElement;
    this.gutter = el("cg-gutter");
    this.clip = this.gutter.appendChild(el("cg-clip"));
    this.rows = this.clip.appendChild(el("cg-rows"));
    this.probe = this.gutter.appendChild(el("cg-probe")); // 1rem wide: sees the root font change
    this.view = el("cg-view");
    this.band = this.view.appendChild(el("cg-band"));
    this.box.insertBefore(this.gutter, area);
    this.box.insertBefore(this.view, area);
    this.box.classList.add("cg-on");
    area.addEventListener("input", this.onInput);
    area.addEventListener("scroll", this.onScroll, { passive: true });
    this.resizer.observe(area);
    this.resizer.observe(this.probe);
    this.seen = null;
    this.marked = null;
    this.digits = 0;
    this.paint();
    this.layout();
  }

  detach() {
    if (!this.area) return;
    this.resizer.disconnect();
    this.area.removeEventListener("input", this.onInput);
    this.area.removeEventListener("scroll", this.onScroll);
    this.gutter.remove();
    this.view.remove();
    this.box.classList.remove("cg-on");
    this.box.style.removeProperty("padding-left");
    for (const name of COLORS) this.box.style.removeProperty(name.replace("--st-", "--cg-"));
    this.area = null;
    this.marked = null;
  }

  destroy() {
    clearInterval(this.timer);
    this.detach();
  }

  paint() {
    for (const name of COLORS) {
      const value = this.colors[name];
      if (value) this.box.style.setProperty(name.replace("--st-", "--cg-"), value);
    }
  }

  /** Copy the text's font, line height and top offset; size the clip to the text's view. */
  layout() {
    if (!this.area) return;
    const area = this.area;
    const cs = getComputedStyle(area);
    for (const prop of ["fontFamily", "fontSize", "fontWeight", "lineHeight"]) {
      this.gutter.style[prop] = cs[prop];
    }
    this.padTop = parseFloat(cs.paddingTop) || 0;
    this.top = area.offsetTop + area.clientTop; // the text area's inner top, in its box
    const bottom = this.top + area.clientHeight; // above a horizontal scrollbar
    this.clip.style.height = `${bottom}px`;
    this.view.style.top = `${this.top}px`;
    this.view.style.height = `${area.clientHeight}px`;
    this.renumber(true);
    this.reveal();
  }

  /** One row per text line: add or drop rows when the count changes, then mark and follow. */
  renumber(force = false) {
    if (!this.area) return;
    const text = this.area.value;
    const lines = text.split("\n");
    if (text !== this.seen || force) {
      const rows = this.rows;
      while (rows.childElementCount > lines.length) rows.lastElementChild.remove();
      while (rows.childElementCount < lines.length) {
        const row = document.createElement("div");
        row.className = "cg-row";
        row.textContent = String(rows.childElementCount + 1);
        rows.appendChild(row);
      }
      const digits = Math.max(2, String(lines.length).length);
      if (digits !== this.digits || force) this.widen(digits); // not per key: it forces layout
      this.seen = text;
    }
    this.mark(lines);
    this.follow();
  }

  /** Room for ``digits`` digits: the gutter's width, and as much padding left of the text. */
  widen(digits) {
    this.digits = digits;
    this.gutter.style.width = `calc(${digits}ch + 1.1em)`;
    const width = this.gutter.getBoundingClientRect().width;
    this.box.style.paddingLeft = `${width}px`;
    this.view.style.left = `${width}px`;
  }

  /** Mark the error's line while the text there is still the text that ran. */
  mark(lines) {
    const { line, text } = this.data;
    const row = line && lines[line - 1] === text ? this.rows.children[line - 1] : null;
    if (row === this.marked) return;
    this.marked?.classList.remove("cg-error");
    this.marked = row;
    row?.classList.add("cg-error");
    this.band.hidden = !row;
  }

  /** Move the numbers (and the band) with the text's scroll. */
  follow() {
    if (!this.area) return;
    const y = this.top + this.padTop - this.area.scrollTop;
    this.rows.style.transform = `translateY(${y}px)`;
    if (this.marked) {
      const top = y - this.top + this.marked.offsetTop;
      this.band.style.transform = `translateY(${top}px)`;
      this.band.style.height = `${this.marked.offsetHeight}px`;
    }
  }

  /** Scroll a new error's line into the middle of the text's view, once per error. */
  reveal() {
    const key = this.data.line ? `${this.data.line}\n${this.data.text}` : null;
    if (key === null) this.revealed = null;
    if (!this.marked || key === this.revealed || !drawn(this.area)) return;
    this.revealed = key;
    const area = this.area;
    const top = this.padTop + this.marked.offsetTop;
    const height = this.marked.offsetHeight;
    if (top < area.scrollTop || top + height > area.scrollTop + area.clientHeight) {
      area.scrollTop = Math.max(0, top + height / 2 - area.clientHeight / 2);
    }
    this.follow();
  }
}

export default function (component) {
  const { data, parentElement } = component;
  const style = getComputedStyle(parentElement);
  const colors = Object.fromEntries(COLORS.map((n) => [n, style.getPropertyValue(n).trim()]));
  let gutter = parentElement.__codeGutter;
  if (!gutter) gutter = parentElement.__codeGutter = new Gutter();
  gutter.update(data, colors);
  return () => {
    gutter.destroy();
    delete parentElement.__codeGutter;
  };
}
