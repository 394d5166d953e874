"""One DOT statement per drawn thing: a tensor record, an op, a loop group, a module call, an edge.

:func:`autodiff_viz.render.dot.to_dot` decides *what* is drawn; this module decides how each piece
looks. A tensor is the micrograd record, its parts stacked as rows (name / data / grad); an op
is an ellipse with the readable op and the PyTorch class as tooltip; a loop group is one ``× N``
box; a folded module call is a component box with the call, its ops in one small line, and
its output's record.
Every statement carries an ``id`` and ``class`` list (``tensor leaf known current``...) that
``dot`` copies into the SVG, so a browser can find and style nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from autodiff_viz.graph import Edge, Graph, Node, TensorValue
from autodiff_viz.render.condense import Group
from autodiff_viz.render.fold import Fold
from autodiff_viz.render.formatting import format_full, value_lines
from autodiff_viz.render.roles import op_label, role_of
from autodiff_viz.render.styles import NodeStyle, Role, ThemeColors
from autodiff_viz.render.text import attrs, cell, dot_string, shorten, tooltip_string

__all__ = [
    "DrawContext",
    "View",
    "edge_line",
    "fold_node",
    "group_node",
    "op_node",
    "tensor_node",
]

View = Literal["full", "forward", "backward"]

_NAME_CHARS = 24
_CELL_CHARS = 32
_EDGE_CHARS = 24
_TOOLTIP_CHARS = 1500
_FOLD_CHARS = 40
#: A value's lines in a record: short, so records stay narrow and a TB layout stays readable.
_LINE_CHARS = 28
_BR = '<BR ALIGN="LEFT"/>'


@dataclass(frozen=True)
class DrawContext:
    """Everything the statements need besides the node: options resolved once per call."""

    graph: Graph
    view: View
    styles: dict[Role, NodeStyle]
    colors: ThemeColors
    words: Mapping[str, str]
    known: set[str] | None  # None unless view == "backward"
    current: str | None
    focus: str | None
    edge_grads: bool
    folds: Mapping[str, Fold] = field(default_factory=dict)  # drawn fold id -> its call
    #: The local factor (``× 3.0``) of an edge (src, dst), written under its gradient.
    factors: Mapping[tuple[str, str], str] = field(default_factory=dict)


def _classes(ctx: DrawContext, node_id: str, *base: str) -> str:
    names = list(base)
    if ctx.known is not None:
        names.append("known" if node_id in ctx.known else "pending")
    if node_id == ctx.current:
        names.append("current")
    if node_id == ctx.focus:
        names.append("focus")
    return dot_string(" ".join(dict.fromkeys(names)))


def _look(ctx: DrawContext, node_id: str, style: NodeStyle, *, op: bool) -> dict[str, str | float]:
    """Fill, outline and font after the backward view's dimming / highlighting."""
    fill, border, font, pen = style.fill, style.border, style.font, style.penwidth
    if ctx.known is not None and node_id not in ctx.known:
        fill, border, font = ctx.colors.dim_fill, ctx.colors.dim_text, ctx.colors.dim_text
    if node_id == ctx.current:
        pen += 2
        if op:
            fill, font = ctx.colors.current_fill, ctx.colors.current_text
    if node_id == ctx.focus:
        pen += 2
    return {
        "shape": style.shape,
        "style": dot_string(style.style),
        "fillcolor": dot_string(fill),
        "color": dot_string(border),
        "fontcolor": dot_string(font),
        "penwidth": pen,
        "peripheries": style.peripheries,
    }


def _lines(word: str, value: TensorValue | None, words: Mapping[str, str]) -> str:
    """``word`` then the value on a few short left-aligned lines (``data 3.0``, or a summary)."""
    shown = value_lines(value, max_chars=_LINE_CHARS, words=words)
    lines = [cell(line, _CELL_CHARS) for line in shown]
    lines[0] = f"{cell(word, _CELL_CHARS)} {lines[0]}"
    return _BR.join(lines)


def _grad_cell(ctx: DrawContext, node: Node, role: Role, grad: TensorValue | None) -> str | None:
    if ctx.view == "forward":
        return None
    word = cell(ctx.words["grad"], _CELL_CHARS)
    if role == "cut":
        return cell(ctx.words["no_grad"], _CELL_CHARS)
    if ctx.known is not None and node.id not in ctx.known:
        return f"{word} {cell(ctx.words['pending'], _CELL_CHARS)}"
    text = _lines(ctx.words["grad"], grad, ctx.words)
    if grad is not None:
        known = ctx.known is None or node.id in ctx.known
        text = f'<FONT COLOR="{ctx.colors.grad if known else ctx.colors.dim_text}">{text}</FONT>'
    # PyTorch drops a non-leaf's grad unless retain_grad() was called: show it, but in italics.
    return f"<I>{text}</I>" if role == "intermediate" else text


def _cells(
    ctx: DrawContext,
    node: Node,
    *,
    role: Role,
    name: str | None,
    value: TensorValue | None,
    grad: TensorValue | None,
) -> list[str]:
    """The record's rows: name / data / grad (a cut input says why instead of a grad)."""
    cells: list[str] = []
    if name:
        cells.append(f"<B>{cell(name, _NAME_CHARS)}</B>")
    if role == "cut":
        reason = node.cut_reason or "constant"
        cells.append("✂ " + cell(ctx.words.get(f"cut_{reason}", reason), _CELL_CHARS))
    cells.append(_lines(ctx.words["data"], value, ctx.words))
    grad_cell = _grad_cell(ctx, node, role, grad)
    if grad_cell is not None:
        cells.append(grad_cell)
    return [f'<TD ALIGN="LEFT" BALIGN="LEFT">{c}</TD>' for c in cells]


def _table(rows: list[str], border: str) -> str:
    """Rows stacked with a rule between them (name / data / grad), like micrograd's records."""
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" COLOR="{border}">'
        f"{'<HR/>'.join(rows)}</TABLE>>"
    )


def _tooltip(parts: list[str]) -> str:
    return tooltip_string(shorten("\n".join(p for p in parts if p), _TOOLTIP_CHARS))


def _source(node: Node) -> str:
    if node.source is None:
        return ""
    return f"line {node.line}: {node.source}" if node.line is not None else node.source


def _statement(dot_id: str, **values: str | float | int) -> str:
    return f'  "{dot_id}" {attrs(id=dot_string(dot_id), **values)};'


def tensor_node(
    ctx: DrawContext,
    dot_id: str,
    node: Node,
    *,
    output_nr: int = 0,
    copy: tuple[int, int] | None = None,
) -> str:
    """A tensor record; ``output_nr`` picks one of several outputs, ``copy`` = (use k, of n)."""
    role = role_of(node, ctx.graph.outputs)
    name, value, grad = node.name, node.value, node.grad
    extra = next((o for o in node.more_outputs if o.output_nr == output_nr), None)
    if extra is not None:
        name, value, grad = extra.name or f"{node.name or ''}[{output_nr}]", extra.value, extra.grad
    look = _look(ctx, node.id, ctx.styles[role], op=False)
    classes = ["tensor", role]
    notes = [ctx.words[role]]
    if copy is not None:
        k, n = copy
        name = f"{name or ''} {ctx.words['use'].format(k=k, n=n)}"
        classes.append("copy")
        notes.append(ctx.words["same_tensor"].format(name=node.name or node.id, n=n))
    if role == "intermediate" and ctx.view != "forward":
        notes.append(ctx.words["not_kept"])
    show_grad = ctx.view != "forward" and role != "cut"
    tip = _tooltip(
        [
            f"{node.name} ({node.id})" if node.name else node.id,
            *notes,
            f"{ctx.words['data']}:\n{format_full(value, words=ctx.words)}",
            f"{ctx.words['grad']}:\n{format_full(grad, words=ctx.words)}" if show_grad else "",
            _source(node),
        ]
    )
    rows = [
        f"<TR>{c}</TR>" for c in _cells(ctx, node, role=role, name=name, value=value, grad=grad)
    ]
    label = _table(rows, border=str(look["color"])[1:-1])
    return _statement(
        dot_id, label=label, tooltip=tip, **{"class": _classes(ctx, node.id, *classes)}, **look
    )


def op_node(ctx: DrawContext, node: Node) -> str:
    """The backward function that made ``node``: readable op, class name as tooltip."""
    role: Role = "op2" if node.second_order else "op"
    look = _look(ctx, node.id, ctx.styles[role], op=True)
    return _statement(
        f"{node.id}_op",
        label=dot_string(op_label(node.op) or ""),
        tooltip=_tooltip([f"{node.op} ({node.id})", ctx.words[role], _source(node)]),
        **{"class": _classes(ctx, node.id, "op", role)},
        **look,
    )


def fold_node(ctx: DrawContext, node: Node, fold: Fold) -> str:
    """A module call as one box: the call, its ops and parameters, its output's record.

    ``node`` is the fold's node in the folded graph: its output's value and grad under the
    fold's id, so the backward view's known / pending / current apply to it as to any node.
    """
    role = role_of(node, ctx.graph.outputs)
    style = ctx.styles["module"]
    look = _look(ctx, node.id, style, op=True)
    if role == "output":  # the graph's output was made inside the call: say so as a tensor would
        look["peripheries"] = 2
    cells = _cells(ctx, node, role=role, name=node.name, value=node.value, grad=node.grad)
    ops = " · ".join(op_label(op) or op for _, op in fold.ops)
    rows = [
        f"<TR><TD><B>{cell(fold.label, _FOLD_CHARS)}</B></TD></TR>",
        f'<TR><TD><FONT POINT-SIZE="11">{cell(ops, _FOLD_CHARS)}</FONT></TD></TR>',
    ]
    if fold.params:
        params = cell(", ".join(fold.params), _FOLD_CHARS)
        rows.append(f'<TR><TD><FONT POINT-SIZE="11">{params}</FONT></TD></TR>')
    rows.extend(f"<TR>{c}</TR>" for c in cells)
    words = ctx.words
    show_grad = ctx.view != "forward"
    tip = _tooltip(
        [
            f"{fold.label} ({fold.id})",
            words["module"],
            words["folded"].format(n=len(fold.ops)),
            *(f"  {op} ({op_id})" for op_id, op in fold.ops),
            words["params"].format(names=", ".join(fold.params)) if fold.params else "",
            f"{node.name} ({fold.output})" if node.name else "",
            f"{words['data']}:\n{format_full(node.value, words=words)}",
            f"{words['grad']}:\n{format_full(node.grad, words=words)}" if show_grad else "",
            _source(node),
        ]
    )
    classes = ["fold", "module", *(["output"] if role == "output" else [])]
    return _statement(
        node.id,
        label=_table(rows, border=str(look["color"])[1:-1]),
        tooltip=tip,
        **{"class": _classes(ctx, node.id, *classes)},
        **look,
    )


def group_node(ctx: DrawContext, group: Group) -> str:
    """Middle iterations of a loop as one box: ``× N: mv → add → tanh`` (``× N: RNNCell``)."""
    style = ctx.styles["intermediate"]
    modules = {f.module_type for f in ctx.folds.values()}
    ops = " → ".join(op if op in modules else op_label(op) or op for op in group.ops)
    text = ctx.words["repeat"].format(n=group.repeats) + ": " + ops
    return _statement(
        group.id,
        label=dot_string(text),
        shape="box3d",
        style="filled",
        fillcolor=dot_string(style.fill),
        color=dot_string(style.border),
        fontcolor=dot_string(style.font),
        tooltip=tooltip_string(text),
        **{"class": '"group"'},
    )


def _grad_shown(ctx: DrawContext, edge: Edge) -> bool:
    """An edge's gradient is drawn once the op it flows back from has run."""
    if not ctx.edge_grads or ctx.view == "forward":
        return False
    return ctx.known is None or edge.dst in ctx.known


def edge_line(ctx: DrawContext, tail: str, head: str, edge: Edge | None = None) -> str:
    """``tail -> head``; with ``edge`` the forward edge, labelled with its gradient if known."""
    values: dict[str, str | float] = {"color": dot_string(ctx.colors.edge)}
    if edge is not None and edge.cut:
        values["style"] = "dashed"
    elif edge is not None and edge.grad is not None and _grad_shown(ctx, edge):
        # Shape and range on two lines: a summary never shrinks to the shape alone.
        lines = value_lines(edge.grad, max_chars=_EDGE_CHARS, words=ctx.words)[:2]
        factor = ctx.factors.get((edge.src, edge.dst))
        if factor is not None:  # upstream × local: the step view shows it, the others hide it
            lines.append(factor)
        values["label"] = dot_string("\n".join(lines))
        values["fontcolor"] = dot_string(ctx.colors.grad)
        tip = shorten(format_full(edge.grad, words=ctx.words), _TOOLTIP_CHARS)
        values["tooltip"] = tooltip_string(tip)
    return f'  "{tail}" -> "{head}" {attrs(**values)};'
