"""Why this gradient? The chain rule with the real numbers, beside the graph (issue #18).

Two entry points, each called from one marked line elsewhere:

* :func:`why_node` — in the node inspector: the terms of the selected tensor's
  gradient and their sum, checked against PyTorch's value;
* :func:`why_step` — under the backward-step slider: the rule of the op the
  engine ran at that step, with its numbers plugged in;
* :func:`why_derivative` — on the derivatives page: f′ written out by the chain
  rule for the user's f, its value at x₀ checked against autograd's.

The lines carry the user's variable names, so they go to ``st.text`` (never
Markdown); the verdicts are fixed sentences of the translation table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

import streamlit as st

from autodiff_viz.cache import Cache, Identity, approx_bytes, share
from autodiff_viz.chain.symbolic import agrees, symbolic_chain
from autodiff_viz.chain.text import Lines, node_lines, step_lines
from autodiff_viz.derivatives.data import Curve
from autodiff_viz.graph import Graph
from autodiff_viz.i18n import Lang, t

#: Explanations of a graph's nodes, shared by every session showing the graph (forty students
#: stepping through one link ask for the same ones); worked out when first asked for.
_EXPLAINED: Cache[Lines] = Cache(share(0.02), max_entries=512)


def _cached(graph: Graph, key: tuple[str, str, str], make: Callable[[], Lines]) -> Lines:
    """``make()``, kept per graph (frozen: every session reads the same one)."""

    def compute() -> tuple[Lines, int]:
        lines = make()
        return lines, approx_bytes(asdict(lines))

    return _EXPLAINED.get_or_compute((Identity(graph), *key), compute)


def _verdict(lines: Lines, lang: Lang) -> None:
    if lines.verdict == "agrees":
        st.success(t("explain.verdict.agrees", lang), icon=":material/check:")
    elif lines.verdict == "custom":
        st.info(t("explain.verdict.custom", lang), icon=":material/info:")
    elif lines.verdict in ("mismatch", "unexplained"):
        st.warning(t(f"explain.verdict.{lines.verdict}", lang), icon=":material/warning:")


def _show(lines: Lines) -> None:
    if lines.lines:
        st.text("\n".join(lines.lines))
    for note in lines.notes:
        st.text(note)


def why_node(graph: Graph, node_id: str, lang: Lang) -> None:
    """The inspector's "why this gradient?" block for ``node_id``."""
    st.markdown(f"**{t('explain.title', lang)}**")
    lines = _cached(graph, ("node", node_id, lang), lambda: node_lines(graph, node_id, lang))
    _show(lines)
    _verdict(lines, lang)


def why_step(graph: Graph, step: int, lang: Lang) -> None:
    """The rule of the op the engine ran at backward ``step`` (1-based; 0 shows nothing)."""
    if not 0 < step <= len(graph.backward_order):
        return
    node_id = graph.backward_order[step - 1]
    lines = _cached(graph, ("step", node_id, lang), lambda: step_lines(graph, node_id, lang))
    if not lines.lines:
        return
    st.text("\n".join(lines.lines))
    if lines.verdict in ("mismatch", "unexplained"):
        st.warning(t(f"explain.verdict.{lines.verdict}", lang), icon=":material/warning:")


def why_derivative(expr: str, curve: Curve, lang: Lang) -> None:
    """The chain rule for ``expr`` at the curve's x₀, beside autograd's f′(x₀)."""
    tangent = curve.tangent
    if tangent is None:
        return
    st.markdown(f"**{t('explain.chain.title', lang)}**")
    chain = symbolic_chain(expr, tangent.x0)
    if chain is None:
        st.caption(t("explain.chain.none", lang))
        return
    st.text(chain.text)  # carries the user's expression: shown as is, never as Markdown
    fields = {
        "x0": f"{tangent.x0:.6g}",
        "value": f"{chain.value:.6g}",
        "autograd": f"{tangent.slope:.6g}",
    }
    if agrees(chain, tangent.slope):
        st.success(t("explain.chain.agrees", lang, **fields), icon=":material/check:")
    else:
        st.warning(t("explain.chain.mismatch", lang, **fields), icon=":material/warning:")
    words = [t(f"explain.say.{key}", lang) for key in chain.rules]
    st.caption(t("explain.chain.rules", lang) + " " + " ".join(words))
