"""Draw a :class:`~autodiff_viz.graph.Graph` as DOT text: ``to_dot(graph, **options) -> str``.

The picture is the one students know from micrograd, for real PyTorch: every tensor is a record
``name | data | grad``, every backward function an ellipse with a readable op (``mul``; the class
``MulBackward0`` is its tooltip), edges go the way the forward pass went and can carry the
gradient that flowed back along them. Looks live in :mod:`autodiff_viz.styles`; which part of a
big graph is drawn is decided by :mod:`autodiff_viz.condense`.

``to_dot`` is pure: no torch, no graphviz package, same graph and options -> same text. Ids are
short and stable (``n3`` for node n3's tensor, ``n3_op`` for its function, ``n3_o1`` for its
second output, ``n3_u2`` for the second drawn use of a shared leaf), and every SVG group that
``dot`` makes from them carries classes (``tensor leaf known current``...) that a browser can query.

All user text (names, source lines, values) is escaped into HTML-like labels or into entity-only
quoted strings, so no name can close a label, add an attribute or smuggle markup into the SVG.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from autodiff_viz.condense import Group, Plan, plan
from autodiff_viz.formatting import MISSING, format_full, format_value
from autodiff_viz.graph import Edge, Graph, Node, TensorValue
from autodiff_viz.styles import (
    LEGEND,
    STYLES,
    THEMES,
    WORDS,
    LegendEntry,
    NodeStyle,
    Role,
    Theme,
    ThemeColors,
    legend_dot,
)

__all__ = [
    "LEGEND",
    "LegendEntry",
    "View",
    "dot_string",
    "known_after",
    "legend_dot",
    "op_label",
    "role_of",
    "to_dot",
]

View = Literal["full", "forward", "backward"]

_NAME_CHARS = 24
_CELL_CHARS = 32
_EDGE_CHARS = 24
_TOOLTIP_CHARS = 1500
_FONT = "Helvetica,Arial,sans-serif"


# --- escaping ----------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Drop control and surrogate characters (``dot`` rejects some); newlines become spaces."""
    text = text.replace("\r\n", "\n").replace("\n", " ")
    return "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cs"))


def _html(text: str, limit: int = _CELL_CHARS) -> str:
    """User text for an HTML-like label cell: one line, shortened, every markup char escaped."""
    text = _clean(text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # dot expands \N, \G, \L... even inside HTML labels; a doubled backslash stays one.
    return html.escape(text, quote=True).replace("\\", "\\\\")


_ENTITIES = {"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "\n": "&#10;"}
_ENTITY_RE = re.compile(r'[&"<>\n]')


def _quoted(text: str, backslash: str) -> str:
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cs"))
    text = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group()], text)
    return '"' + text.replace("\\", backslash) + '"'


def dot_string(text: str) -> str:
    """``text`` as a quoted DOT string for a label: it shows exactly ``text``.

    Markup characters become entities, which dot decodes for display (and copies as entities
    into SVG). Entities cannot protect a backslash, though: dot decodes them *before* it
    expands escapes such as ``\\N`` (the node's name), so backslashes are doubled instead.
    """
    return _quoted(text, "\\\\")


def tooltip_string(text: str) -> str:
    """Like :func:`dot_string` for tooltips, where dot (2.43) unescapes backslashes twice."""
    return _quoted(text, "\\" * 4)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- what a node is ------------------------------------------------------------------------------

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def op_label(op: str | None) -> str | None:
    """The op a student reads: ``MulBackward0`` -> ``mul``, ``MseLossBackward0`` -> ``mse_loss``.

    None for ``AccumulateGrad`` (a leaf is drawn as its tensor only) and for no op.
    """
    if not op or op.endswith("AccumulateGrad"):
        return None
    base = op.rsplit("::", 1)[-1]
    base = re.sub(r"Backward\d*$", "", base) or base
    return _CAMEL.sub("_", base).lower()


def role_of(node: Node, outputs: tuple[str, ...] = ()) -> Role:
    """Which legend entry a tensor belongs to."""
    if node.kind == "cut":
        return "cut"
    if node.kind == "output" or node.id in outputs:
        return "output"
    if node.is_leaf or node.kind == "leaf":
        return "leaf" if node.requires_grad else "cut"
    return "retained" if node.retains_grad else "intermediate"


def _has_op(node: Node) -> bool:
    return node.kind in ("op", "output") and not node.is_leaf and op_label(node.op) is not None


def known_after(graph: Graph, step: int) -> set[str]:
    """Ids whose gradient is known after ``step`` steps of ``graph.backward_order``.

    A node's gradient is known once the engine has run it. A leaf the order does not list
    (captures may leave out ``AccumulateGrad``) is known once every op consuming it has run.
    """
    done = set(graph.backward_order[:step])
    listed = set(graph.backward_order)
    consumers: dict[str, set[str]] = {}
    for e in graph.edges:
        if not e.cut:
            consumers.setdefault(e.src, set()).add(e.dst)
    for node in graph.nodes:
        users = consumers.get(node.id)
        if node.id not in listed and users and users <= done and node.grad is not None:
            done.add(node.id)
    return done


# --- drawing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    """Everything the helpers need besides the node: options resolved once per call."""

    graph: Graph
    view: View
    styles: dict[Role, NodeStyle]
    colors: ThemeColors
    words: Mapping[str, str]
    known: set[str] | None  # None unless view == "backward"
    current: str | None
    focus: str | None
    edge_grads: bool


def _attrs(**attrs: str | float | int) -> str:
    return "[" + ", ".join(f"{k}={v}" for k, v in attrs.items()) + "]"


def _classes(ctx: _Ctx, node_id: str, *base: str) -> str:
    names = list(base)
    if ctx.known is not None:
        names.append("known" if node_id in ctx.known else "pending")
    if node_id == ctx.current:
        names.append("current")
    if node_id == ctx.focus:
        names.append("focus")
    return dot_string(" ".join(dict.fromkeys(names)))


def _look(ctx: _Ctx, node_id: str, style: NodeStyle, *, op: bool) -> dict[str, str | float]:
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


def _grad_cell(ctx: _Ctx, node: Node, role: Role, grad: TensorValue | None) -> str | None:
    if ctx.view == "forward":
        return None
    word = ctx.words["grad"]
    if role == "cut":
        return _html(ctx.words["no_grad"])
    if ctx.known is not None and node.id not in ctx.known:
        return f"{_html(word)} {_html(ctx.words['pending'])}"
    text = f"{_html(word)} {_html(format_value(grad, max_chars=_CELL_CHARS))}"
    if grad is not None:
        text = f'<FONT COLOR="{_look_grad(ctx, node)}">{text}</FONT>'
    # PyTorch drops a non-leaf's grad unless retain_grad() was called: show it, but in italics.
    return f"<I>{text}</I>" if role == "intermediate" else text


def _look_grad(ctx: _Ctx, node: Node) -> str:
    return ctx.colors.grad if ctx.known is None or node.id in ctx.known else ctx.colors.dim_text


def _tensor_label(
    ctx: _Ctx,
    node: Node,
    *,
    role: Role,
    name: str | None,
    value: TensorValue | None,
    grad: TensorValue | None,
    border: str,
) -> str:
    cells: list[str] = []
    if name:
        cells.append(f"<B>{_html(name, _NAME_CHARS)}</B>")
    if role == "cut":
        reason = node.cut_reason or "constant"
        cells.append("✂ " + _html(ctx.words.get(f"cut_{reason}", reason)))
    data = format_value(value, max_chars=_CELL_CHARS) if value is not None else MISSING
    cells.append(f"{_html(ctx.words['data'])} {_html(data)}")
    grad_cell = _grad_cell(ctx, node, role, grad)
    if grad_cell is not None:
        cells.append(grad_cell)
    row = "<VR/>".join(f"<TD>{c}</TD>" for c in cells)
    return (
        f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLOR="{border}">'
        f"<TR>{row}</TR></TABLE>>"
    )


def _tooltip(parts: list[str]) -> str:
    return tooltip_string(_shorten("\n".join(p for p in parts if p), _TOOLTIP_CHARS))


def _source(node: Node) -> str:
    if node.source is None:
        return ""
    return f"line {node.line}: {node.source}" if node.line is not None else node.source


def _tensor_node(
    ctx: _Ctx, dot_id: str, node: Node, *, output_nr: int = 0, copy: tuple[int, int] | None = None
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
            f"{ctx.words['data']}:\n{format_full(value)}",
            f"{ctx.words['grad']}:\n{format_full(grad)}" if show_grad else "",
            _source(node),
        ]
    )
    label = _tensor_label(
        ctx, node, role=role, name=name, value=value, grad=grad, border=str(look["color"])[1:-1]
    )
    return (
        f'  "{dot_id}" '
        + _attrs(
            id=dot_string(dot_id),
            label=label,
            tooltip=tip,
            **{"class": _classes(ctx, node.id, *classes)},
            **look,
        )
        + ";"
    )


def _op_node(ctx: _Ctx, node: Node) -> str:
    role: Role = "op2" if node.second_order else "op"
    dot_id = f"{node.id}_op"
    look = _look(ctx, node.id, ctx.styles[role], op=True)
    tip = _tooltip([f"{node.op} ({node.id})", ctx.words[role], _source(node)])
    label = dot_string(op_label(node.op) or "")
    return (
        f'  "{dot_id}" '
        + _attrs(
            id=dot_string(dot_id),
            label=label,
            tooltip=tip,
            **{"class": _classes(ctx, node.id, "op", role)},
            **look,
        )
        + ";"
    )


def _grad_shown(ctx: _Ctx, edge: Edge) -> bool:
    """An edge's gradient is drawn once the op it flows back from has run."""
    if not ctx.edge_grads or ctx.view == "forward":
        return False
    return ctx.known is None or edge.dst in ctx.known


def _edge(ctx: _Ctx, tail: str, head: str, edge: Edge | None = None) -> str:
    """``tail -> head``; with ``edge`` the forward edge, labelled with its gradient if known."""
    attrs: dict[str, str | float] = {"color": dot_string(ctx.colors.edge)}
    if edge is not None and edge.cut:
        attrs["style"] = "dashed"
    elif edge is not None and edge.grad is not None and _grad_shown(ctx, edge):
        attrs["label"] = dot_string(format_value(edge.grad, max_chars=_EDGE_CHARS))
        attrs["fontcolor"] = dot_string(ctx.colors.grad)
        attrs["tooltip"] = tooltip_string(_shorten(format_full(edge.grad), _TOOLTIP_CHARS))
    return f'  "{tail}" -> "{head}" {_attrs(**attrs)};'


def _title(ctx: _Ctx, step: int) -> str:
    graph, words = ctx.graph, ctx.words
    if ctx.view == "backward":
        lines = [words["backward"].format(step=step, total=len(graph.backward_order))]
        if ctx.current is not None:
            lines.append(words["ran"].format(op=graph.node(ctx.current).op or ctx.current))
        else:
            lines.append(words["before"])
    else:
        lines = [words[ctx.view]]
    if graph.second_order or graph.create_graph:
        lines.append(words["second_order"])
    return " · ".join(lines)


def _tail(graph: Graph, plan_: Plan, e: Edge) -> str:
    """DOT name of the tensor an edge leaves from (a group, an extra output, or the node)."""
    if e.src in plan_.group_of:
        return plan_.group_of[e.src]
    node = graph.node(e.src)
    if e.output_nr and any(o.output_nr == e.output_nr for o in node.more_outputs):
        return f"{e.src}_o{e.output_nr}"
    return e.src


def _nodes(ctx: _Ctx, plan_: Plan) -> tuple[list[str], dict[str, str]]:
    """Node statements, and for each drawn unit (node or group) the DOT node edges go into."""
    graph = ctx.graph
    lines: list[str] = []
    heads: dict[str, str] = {}
    for gid in plan_.kept:
        if gid in plan_.group_of:
            continue
        node = graph.node(gid)
        has_op = _has_op(node)
        heads[gid] = f"{gid}_op" if has_op else gid
        if has_op:
            lines.append(_op_node(ctx, node))
        if gid not in plan_.split:
            lines.append(_tensor_node(ctx, gid, node))
        for out in node.more_outputs:
            lines.append(
                _tensor_node(ctx, f"{gid}_o{out.output_nr}", node, output_nr=out.output_nr)
            )
        if has_op:
            lines.append(_edge(ctx, f"{gid}_op", gid))
            lines.extend(
                _edge(ctx, f"{gid}_op", f"{gid}_o{o.output_nr}") for o in node.more_outputs
            )
    for g in plan_.groups:
        lines.append(_group_node(ctx, g))
        heads[g.id] = g.id
    return lines, heads


def _group_node(ctx: _Ctx, group: Group) -> str:
    style = ctx.styles["intermediate"]
    ops = " → ".join(op_label(op) or op for op in group.ops)
    text = ctx.words["repeat"].format(n=group.repeats) + ": " + ops
    attrs = _attrs(
        id=dot_string(group.id),
        label=dot_string(text),
        shape="box3d",
        style="filled",
        fillcolor=dot_string(style.fill),
        color=dot_string(style.border),
        fontcolor=dot_string(style.font),
        tooltip=tooltip_string(text),
        **{"class": '"group"'},
    )
    return f'  "{group.id}" {attrs};'


def _edges(ctx: _Ctx, plan_: Plan, heads: dict[str, str]) -> list[str]:
    """Edge statements between drawn units; a split leaf gets one copy per unit it feeds."""
    graph, kept = ctx.graph, set(plan_.kept)
    drawn: list[tuple[Edge, str]] = []
    seen: set[tuple[str, str]] = set()
    for e in graph.edges:
        if e.src not in kept or e.dst not in kept:
            continue
        head_unit = plan_.group_of.get(e.dst, e.dst)
        in_group = e.src in plan_.group_of or e.dst in plan_.group_of
        if plan_.group_of.get(e.src, e.src) == head_unit or (
            in_group and (e.src, head_unit) in seen
        ):
            continue  # inside a group, or a second edge between the same two units
        seen.add((e.src, head_unit))
        drawn.append((e, head_unit))
    users: dict[str, list[str]] = {}
    for e, head_unit in drawn:
        if e.src in plan_.split and head_unit not in users.setdefault(e.src, []):
            users[e.src].append(head_unit)
    lines: list[str] = []
    for e, head_unit in drawn:
        in_group = e.src in plan_.group_of or e.dst in plan_.group_of
        tail = _tail(graph, plan_, e)
        if e.src in plan_.split:
            k = users[e.src].index(head_unit) + 1
            tail = f"{e.src}_u{k}"
            if (e.src, f"#{k}") not in seen:
                seen.add((e.src, f"#{k}"))
                copy = (k, len(users[e.src]))
                lines.append(_tensor_node(ctx, tail, graph.node(e.src), copy=copy))
        lines.append(_edge(ctx, tail, heads[head_unit], None if in_group else e))
    return lines


def _bound_note(ctx: _Ctx, plan_: Plan, heads: dict[str, str]) -> list[str]:
    """The "showing k of n nodes" note, and a "⋯ n more" stub into each node with hidden inputs."""
    if not plan_.bounded:
        return []
    text = ctx.words["shown"].format(shown=plan_.shown, total=plan_.total)
    dim = dot_string(ctx.colors.dim_text)
    lines = [
        '  "note" '
        + _attrs(
            id='"note"',
            shape="note",
            style="filled",
            fillcolor=dot_string(ctx.colors.note_fill),
            fontcolor=dot_string(ctx.colors.text),
            color=dot_string(ctx.colors.edge),
            label=dot_string(f"{text} — {ctx.words['expand']}"),
            **{"class": '"note"'},
        )
        + ";"
    ]
    hidden: dict[str, int] = {}
    for gid in plan_.kept:  # graph order keeps the text stable
        if gid in plan_.cut_off:
            unit = plan_.group_of.get(gid, gid)
            hidden[unit] = hidden.get(unit, 0) + plan_.cut_off[gid]
    for unit, n in hidden.items():
        stub = f"{unit}_more"
        label = dot_string("⋯ " + ctx.words["hidden_inputs"].format(n=n))
        lines.append(
            f'  "{stub}" '
            + _attrs(
                id=dot_string(stub),
                shape="plaintext",
                fontcolor=dim,
                label=label,
                **{"class": '"more"'},
            )
            + ";"
        )
        lines.append(f'  "{stub}" -> "{heads[unit]}" [style=dotted, color={dim}];')
    return lines


def to_dot(
    graph: Graph,
    *,
    view: View = "full",
    step: int | None = None,
    theme: Theme = "light",
    edge_grads: bool = True,
    max_nodes: int = 150,
    focus: str | None = None,
    expand: bool = False,
    rankdir: Literal["LR", "TB"] = "LR",
    split_shared: bool | None = None,
    collapse: bool = True,
    words: Mapping[str, str] | None = None,
) -> str:
    """The graph as DOT text (see the module docstring).

    ``view="backward"`` replays ``graph.backward_order``: after ``step`` steps (default: all)
    the nodes whose gradient is known are drawn normally with their grad, the others dimmed
    with ``?``, and the node run at that step is highlighted. ``max_nodes`` bounds how many
    graph nodes are drawn (``expand`` raises it), ``focus`` centres that bound on one node and
    outlines it. ``split_shared`` (default: for graphs over 30 nodes) draws a shared leaf once
    per use; ``collapse`` folds repeated loop iterations into one ``× N`` node.
    """
    total_steps = len(graph.backward_order)
    k = total_steps if step is None else min(max(step, 0), total_steps)
    backward = view == "backward"
    ctx = _Ctx(
        graph=graph,
        view=view,
        styles=STYLES[theme],
        colors=THEMES[theme],
        words={**WORDS, **(words or {})},
        known=known_after(graph, k) if backward else None,
        current=graph.backward_order[k - 1] if backward and k > 0 else None,
        focus=focus,
        edge_grads=edge_grads,
    )
    plan_ = plan(
        graph,
        max_nodes=max_nodes,
        focus=focus,
        expand=expand,
        split_shared=split_shared,
        collapse=collapse,
    )
    colors = ctx.colors
    nodes, heads = _nodes(ctx, plan_)
    body = [*nodes, *_edges(ctx, plan_, heads), *_bound_note(ctx, plan_, heads)]
    header = [
        "digraph autograd {",
        "  graph "
        + _attrs(
            rankdir=rankdir,
            bgcolor=dot_string(colors.background),
            fontname=dot_string(_FONT),
            fontcolor=dot_string(colors.text),
            fontsize=13,
            labelloc="t",
            label=dot_string(_title(ctx, k)),
            nodesep=0.25,
            ranksep=0.3,
            tooltip='" "',
        )
        + ";",
        "  node "
        + _attrs(fontname=dot_string(_FONT), fontsize=11, margin='"0.06,0.03"', height=0.3)
        + ";",
        "  edge " + _attrs(fontname=dot_string(_FONT), fontsize=10, arrowsize=0.7) + ";",
    ]
    return "\n".join([*header, *body, "}"]) + "\n"
