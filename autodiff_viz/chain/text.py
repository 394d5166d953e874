"""An explanation as lines a student reads, in English or Chinese (pure: no Streamlit).

* :func:`node_lines` — the terms of one tensor's gradient and their sum, with the
  verdict (equal to PyTorch's, or the rule not matched and PyTorch's value shown).
* :func:`step_lines` — what the op that ran at a backward step sent to each input,
  with the numbers plugged in: ``x.grad += 1.0 × 3.0 = 3.0``;
* :func:`edge_factors` — the local factor (``× 3.0``) the step view writes on an edge,
  beside the gradient it carries.

Values follow the honest-summary rule: a small tensor in full; a larger one as its
shape, range and first entries (the inspector shows the whole matrix beside it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from autodiff_viz.chain.core import Explanation, Term, explain, op_terms, term_for
from autodiff_viz.chain.rules import rule_for
from autodiff_viz.graph import Data, Graph, Node
from autodiff_viz.i18n import t
from autodiff_viz.render.formatting import format_number, format_shape

#: Tensors up to this many elements are written out in full.
FULL_ELEMENTS = 12
FIRST_ENTRIES = 4

#: "custom": the sum equals PyTorch's gradient, and a user's backward gave some of it (taken as
#: its code returned it: nothing checked that code against forward).
Verdict = Literal["agrees", "custom", "mismatch", "unexplained", "none"]


def _flat(data: Any, out: list[float]) -> None:
    if isinstance(data, list):
        for item in data:
            _flat(item, out)
    else:
        out.append(data)


def _rows(data: Any) -> str:
    if isinstance(data, list):
        return "[" + ", ".join(_rows(x) for x in data) + "]"
    return format_number(data)


def _shape(data: Any) -> tuple[int, ...]:
    shape: list[int] = []
    while isinstance(data, list):
        shape.append(len(data))
        if not data:
            break
        data = data[0]
    return tuple(shape)


def summary(data: Data | None) -> str:
    """``data`` in full when small; else shape, min/max and the first entries."""
    if data is None:
        return "—"
    flat: list[float] = []
    _flat(data, flat)
    if len(flat) <= FULL_ELEMENTS:
        return _rows(data)
    finite = [x for x in flat if isinstance(x, (int, float)) and math.isfinite(x)]
    first = ", ".join(format_number(x) for x in flat[:FIRST_ENTRIES])
    span = f" {format_number(min(finite))}…{format_number(max(finite))}" if finite else ""
    return f"shape {format_shape(_shape(data))}{span} [{first}, …]"


def target(node: Node, output_nr: int = 0) -> str:
    """How the gradient of a tensor is written: ``x.grad`` for a leaf, ``∂L/∂y`` otherwise."""
    name = node.name if output_nr == 0 else None
    if node.is_leaf and node.kind != "cut":
        return f"{name or node.id}.grad"
    return f"∂L/∂{name or node.id}"


def shapes_text(shapes: tuple[tuple[int, ...], ...], lang: str) -> str:
    """``shapes: ∂L/∂out [2, 1]; inputs [1], [2, 3], [3, 1]`` (a matrix rule's sizes)."""
    upstream, *inputs = shapes
    listed = ", ".join(map(format_shape, inputs))
    return t("explain.shapes", lang, upstream=format_shape(upstream), inputs=listed)


def _term_line(graph: Graph, term: Term, into: str, lang: str) -> str:
    if term.status == "seed":
        return f"{into} = {summary(term.value)}"
    if term.value is None:
        shown = t("explain.pytorch_value", lang, value=summary(term.pytorch))
        return f"{into} += {shown}"
    if term.status == "custom":
        return f"{into} += {summary(term.value)}  " + t("explain.custom_returned", lang)
    if term.local is not None and term.upstream is not None:
        line = f"{into} += {summary(term.upstream)} × {summary(term.local)}"
        if term.summed:
            line += " " + t("explain.summed", lang, dims=", ".join(map(str, term.summed)))
        return f"{line} = {summary(term.value)}"
    return f"{into} += {summary(term.value)}"


def _rule_lines(term: Term, where: str, lang: str) -> list[str]:
    """The rule as lines: a formula, or (a user's autograd.Function) its backward's code."""
    if term.code_line is None:
        return [f"{term.rule}{where}"]
    name = term.op.removesuffix("Backward")
    head = t("explain.custom_code", lang, name=name, line=term.code_line)
    return [f"{head}{where}", *(f"   │ {line}" for line in term.rule.splitlines())]


def _term_notes(term: Term, lang: str) -> list[str]:
    notes = []
    if term.status == "custom":
        notes.append(t("explain.custom_trusted", lang))
    if term.status == "mismatch":
        notes.append(t("explain.term_mismatch", lang, value=summary(term.pytorch)))
    if term.status == "missing":
        if term.budget is not None:
            budget = f"{term.budget:,}"
            notes.append(t("explain.missing_budget", lang, what=term.missing, count=budget))
        elif term.missing:
            notes.append(t("explain.missing", lang, what=term.missing))
        else:
            notes.append(t("explain.failed", lang))
    if term.nonfinite:
        notes.append(t(f"explain.nonfinite.{term.nonfinite}", lang, op=term.op))
    return notes


@dataclass(frozen=True)
class Lines:
    """Text lines to show as they are (they carry user names), and a verdict."""

    lines: tuple[str, ...]
    verdict: Verdict
    notes: tuple[str, ...] = ()


def node_lines(graph: Graph, node_id: str, lang: str) -> Lines:
    """Why the gradient of ``node_id`` is what it is: one block per term, then the sum."""
    why: Explanation = explain(graph, node_id, lang=lang)
    node = graph.node(node_id)
    into = target(node)
    notes = [t(f"explain.note.{note}", lang) for note in why.notes if not note.startswith("cut.")]
    if why.kind == "cut":
        reason = why.notes[0].removeprefix("cut.") if why.notes else "constant"
        return Lines((), "none", (t(f"explain.cut.{reason}", lang),))
    if not why.terms:
        return Lines((), "none", tuple(notes))
    lines: list[str] = []
    for k, term in enumerate(why.terms, 1):
        where = "" if term.status == "seed" else f"  ({term.consumer}, {term.op})"
        first, *code = _rule_lines(term, where, lang)
        lines.append(f"{k}. {first}")
        lines.extend(code)
        if term.shapes:
            lines.append(f"   {shapes_text(term.shapes, lang)}")
        lines.append(f"   {_term_line(graph, term, into, lang)}")
        lines.extend(f"   {note}" for note in _term_notes(term, lang))
    if len(why.terms) > 1 and why.total is not None:
        parts = " + ".join(summary(term.value) for term in why.terms)
        lines.append(f"{into} = {parts} = {summary(why.total)}")
    if why.before is not None:
        notes.append(t("explain.before", lang, target=into, before=summary(why.before)))
    verdict: Verdict = (
        "agrees" if why.agrees else "unexplained" if why.total is None else "mismatch"
    )
    if verdict == "agrees" and any(term.status == "custom" for term in why.terms):
        verdict = "custom"
    if verdict != "agrees":
        lines.append(t("explain.pytorch_value", lang, value=summary(why.pytorch)))
    return Lines(tuple(lines), verdict, tuple(notes))


def step_lines(graph: Graph, node_id: str, lang: str) -> Lines:
    """What the backward step of ``node_id`` did: each input's share, numbers plugged in."""
    node = graph.node(node_id)
    if node.is_leaf:  # AccumulateGrad: the shares of every use, summed into .grad
        return node_lines(graph, node_id, lang)
    lines: list[str] = []
    verdict: Verdict = "agrees"
    last_rule = None
    for edge, term in op_terms(graph, node_id, lang):
        source = graph.node(edge.src)
        into = target(source, edge.output_nr)
        if term.rule != last_rule:
            lines.extend(_rule_lines(term, "", lang))
            if term.shapes:
                lines.append(f"   {shapes_text(term.shapes, lang)}")
            last_rule = term.rule
        lines.append(f"   {_term_line(graph, term, into, lang)}")
        lines.extend(f"   {note}" for note in _term_notes(term, lang))
        if term.status not in ("rule", "seed", "custom"):
            verdict = "unexplained" if term.value is None else "mismatch"
    return Lines(tuple(lines), verdict if lines else "none")


#: Graphs up to this many nodes get local factors on their edges (all worked out per picture).
FACTOR_NODES = 400
#: A factor is written out when it has at most this many entries, or one value for all of them;
#: otherwise the edge gets none (honest summary: the inspector shows the whole matrix).
FACTOR_ELEMENTS = 4
#: Ops whose gradient or output has more entries than this are not redone for a label.
FACTOR_WORK = 1_000


def edge_factors(graph: Graph) -> dict[tuple[str, str], str]:
    """``× 3.0`` for each edge (src, dst) whose op's rule is elementwise and its factor short.

    Only factors of terms their rule worked out and PyTorch's gradient confirmed; two edges
    between the same nodes with different factors get none.
    """
    if len(graph.nodes) > FACTOR_NODES:
        return {}
    found: dict[tuple[str, str], str | None] = {}
    for edge in graph.edges:
        if edge.cut or edge.grad is None or edge.grad.numel > FACTOR_WORK:
            continue
        consumer = graph.node(edge.dst)
        if consumer.value is not None and consumer.value.numel > FACTOR_WORK:
            continue  # its other inputs may be as big: not redone for a label
        rule = rule_for(consumer.op)
        if rule is None or not rule.elementwise:
            continue
        text = factor_text(term_for(graph, consumer, edge))
        key = (edge.src, edge.dst)
        found[key] = text if found.get(key, text) == text else None
    return {key: text for key, text in found.items() if text}


def factor_text(term: Term) -> str | None:
    """``× 2.0`` (one value for every entry) or ``× [0.0, 1.0]``; None when long or unchecked."""
    if term.status != "rule" or term.local is None:
        return None
    flat: list[float] = []
    _flat(term.local, flat)
    if not flat:
        return None
    if all(x == flat[0] for x in flat):
        return f"× {format_number(flat[0])}"
    if len(flat) > FACTOR_ELEMENTS:
        return None
    return f"× {_rows(term.local)}"
