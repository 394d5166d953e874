"""Draw a :class:`~autodiff_viz.graph.Graph` as DOT text: ``to_dot(graph, options) -> str``.

The picture is the one students know from micrograd, for real PyTorch: every tensor is a record
``name | data | grad``, every backward function an ellipse with a readable op (``mul``; the class
``MulBackward0`` is its tooltip), edges go the way the forward pass went and can carry the
gradient that flowed back along them. This module assembles the picture; the pieces are its
siblings in :mod:`autodiff_viz.render` (condense, fold, roles, nodes, styles, text).

``to_dot`` is pure: no torch, no graphviz package, same graph and options -> same text. Ids are
short and stable (``n3`` for node n3's tensor, ``n3_op`` for its function, ``n3_o1`` for its
second output, ``n3_u2`` for the second drawn use of a shared leaf, ``n3_fold`` for a module
call whose output is n3, ``g0`` for a loop group), and every SVG group that
``dot`` makes from them carries classes (``tensor leaf known current``...) that a browser can query.

All user text (names, source lines, values) is escaped by :mod:`autodiff_viz.render.text`, so no
name can close a label, add an attribute or smuggle markup into the SVG.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Literal

from autodiff_viz.chain.text import edge_factors
from autodiff_viz.graph import Edge, Graph
from autodiff_viz.render import fold
from autodiff_viz.render.condense import SPLIT_SHARED_ABOVE, Plan, plan
from autodiff_viz.render.nodes import (
    DrawContext,
    View,
    edge_line,
    fold_node,
    group_node,
    op_node,
    tensor_node,
)
from autodiff_viz.render.roles import has_op, known_after, op_label, role_of
from autodiff_viz.render.styles import LEGEND, STYLES, THEMES, WORDS, LegendEntry, Theme, legend_dot
from autodiff_viz.render.text import attrs, dot_string

__all__ = [
    "DEFAULT_OPTIONS",
    "LEGEND",
    "NODE_FONT_PT",
    "DrawOptions",
    "LegendEntry",
    "View",
    "dot_string",
    "known_after",
    "legend_dot",
    "op_label",
    "role_of",
    "to_dot",
]

_FONT = "Helvetica,Arial,sans-serif"
#: Node text size: a picture fitted at 80 % still shows 11 px text, readable on a projector.
NODE_FONT_PT = 14


def _title(ctx: DrawContext, graph: Graph, step: int) -> str:
    """The picture's title; ``graph`` is the captured one (a folded graph has fewer steps)."""
    words = ctx.words
    if ctx.view == "backward":
        lines = [words["backward"].format(step=step, total=len(graph.backward_order))]
        if step > 0:
            ran = graph.backward_order[step - 1]
            lines.append(words["ran"].format(op=graph.node(ran).op or ran))
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


def _nodes(ctx: DrawContext, plan_: Plan) -> tuple[list[str], dict[str, str]]:
    """Node statements, and for each drawn unit (node or group) the DOT node edges go into."""
    graph = ctx.graph
    lines: list[str] = []
    heads: dict[str, str] = {}
    for gid in plan_.kept:
        if gid in plan_.group_of:
            continue
        node = graph.node(gid)
        if gid in ctx.folds:
            lines.append(fold_node(ctx, node, ctx.folds[gid]))
            heads[gid] = gid
            continue
        with_op = has_op(node)
        heads[gid] = f"{gid}_op" if with_op else gid
        if with_op:
            lines.append(op_node(ctx, node))
        if gid not in plan_.split:
            lines.append(tensor_node(ctx, gid, node))
        for out in node.more_outputs:
            lines.append(tensor_node(ctx, f"{gid}_o{out.output_nr}", node, output_nr=out.output_nr))
        if with_op:
            lines.append(edge_line(ctx, f"{gid}_op", gid))
            lines.extend(
                edge_line(ctx, f"{gid}_op", f"{gid}_o{o.output_nr}") for o in node.more_outputs
            )
    for g in plan_.groups:
        lines.append(group_node(ctx, g))
        heads[g.id] = g.id
    return lines, heads


def _edges(ctx: DrawContext, plan_: Plan, heads: dict[str, str]) -> list[str]:
    """Edge statements between drawn units; a split leaf gets one copy per unit it feeds."""
    graph, kept = ctx.graph, set(plan_.kept)
    drawn: list[tuple[Edge, str]] = []
    seen: set[tuple[str, str]] = set()
    for e in graph.edges:
        if e.src not in kept or e.dst not in kept:
            continue
        tail_unit = plan_.group_of.get(e.src, e.src)
        head_unit = plan_.group_of.get(e.dst, e.dst)
        in_group = e.src in plan_.group_of or e.dst in plan_.group_of
        if tail_unit == head_unit or (in_group and (tail_unit, head_unit) in seen):
            continue  # inside a group, or a second edge between the same two units
        seen.add((tail_unit, head_unit))
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
                lines.append(tensor_node(ctx, tail, graph.node(e.src), copy=copy))
        lines.append(edge_line(ctx, tail, heads[head_unit], None if in_group else e))
    return lines


def _bound_note(ctx: DrawContext, plan_: Plan, heads: dict[str, str]) -> list[str]:
    """The "showing k of n nodes" note, and a "⋯ n more" stub into each node with hidden inputs."""
    if not plan_.bounded:
        return []
    text = ctx.words["shown"].format(shown=plan_.shown, total=plan_.total)
    dim = dot_string(ctx.colors.dim_text)
    lines = [
        '  "note" '
        + attrs(
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
            + attrs(
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


def _folding(graph: Graph, setting: bool | Literal["auto"]) -> fold.Folding | None:
    return fold.fold_modules(graph) if fold.should_fold(graph, setting) else None


def _in_graph_terms(plan_: Plan, folding: fold.Folding, total: int) -> Plan:
    """The plan of a folded graph, told in the captured graph's nodes ("showing 600 of 10,001").

    A call fed by nothing outside it has no producers, like a leaf: it is never split.
    """
    folds = folding.folds
    shown = sum(len(folds[i].members) if i in folds else 1 for i in plan_.kept)
    split = plan_.split - folds.keys()
    return dataclasses.replace(plan_, split=split, shown=shown, total=total)


@dataclasses.dataclass(frozen=True)
class DrawOptions:
    """How to draw a graph: every choice :func:`to_dot` makes, hashable, so it is a cache key.

    ``view="backward"`` replays ``graph.backward_order``: after ``step`` steps (default: all)
    the nodes whose gradient is known are drawn normally with their grad, the others dimmed
    with ``?``, and the node run at that step is highlighted. ``max_nodes`` bounds how many
    graph nodes are drawn (``expand`` raises it), ``focus`` centres that bound on one node and
    outlines it. ``split_shared`` (default: for graphs over 30 nodes) draws a shared leaf once
    per use; ``collapse`` folds repeated loop iterations into one ``× N`` node.

    ``fold_modules`` draws each ``nn.Module`` call as one node (``n5_fold``: its output is n5)
    that lists its ops; ``"auto"`` folds graphs of more than
    :data:`~autodiff_viz.render.fold.FOLD_MODULES_ABOVE` nodes. Loops of calls then collapse, and
    ``max_nodes`` counts a call as one node. ``focus`` may name any node of the graph: a folded
    one centres and outlines its call.

    ``words`` replaces some of :data:`~autodiff_viz.render.styles.WORDS` (a translation). It is
    compared but not hashed (a dict is not hashable): two options with other words are two keys.
    """

    view: View = "full"
    step: int | None = None
    theme: Theme = "light"
    edge_grads: bool = True
    max_nodes: int = 150
    focus: str | None = None
    expand: bool = False
    rankdir: Literal["LR", "TB"] = "LR"
    split_shared: bool | None = None
    collapse: bool = True
    fold_modules: bool | Literal["auto"] = "auto"
    words: Mapping[str, str] | None = dataclasses.field(default=None, hash=False)


DEFAULT_OPTIONS = DrawOptions()


def to_dot(graph: Graph, options: DrawOptions = DEFAULT_OPTIONS) -> str:
    """The graph as DOT text, drawn as ``options`` say (see :class:`DrawOptions`).

    ``to_dot(graph)`` draws the whole graph with values and grads; in a notebook,
    ``to_dot(graph, DrawOptions(view="backward", step=2))`` shows the second backward step.
    """
    view, step, theme = options.view, options.step, options.theme
    focus, split_shared = options.focus, options.split_shared
    total_steps = len(graph.backward_order)
    k = total_steps if step is None else min(max(step, 0), total_steps)
    backward = view == "backward"
    known = known_after(graph, k) if backward else None
    current = graph.backward_order[k - 1] if backward and k > 0 else None
    folding = _folding(graph, options.fold_modules)
    drawn = graph
    if folding is not None:
        drawn = folding.graph
        known = folding.drawn_known(known) if known is not None else None
        current = folding.drawn_id(current) if current is not None else None
        focus = folding.drawn_id(focus) if focus is not None else None
        if split_shared is None:  # the size that makes a graph big is the captured one
            split_shared = len(graph.nodes) > SPLIT_SHARED_ABOVE
    ctx = DrawContext(
        graph=drawn,
        view=view,
        styles=STYLES[theme],
        colors=THEMES[theme],
        words={**WORDS, **(options.words or {})},
        known=known,
        current=current,
        focus=focus,
        edge_grads=options.edge_grads,
        folds=folding.folds if folding is not None else {},
        factors=edge_factors(drawn) if options.edge_grads and view != "forward" else {},
    )
    plan_ = plan(
        drawn,
        max_nodes=options.max_nodes,
        focus=focus,
        expand=options.expand,
        split_shared=split_shared,
        collapse=options.collapse,
    )
    if folding is not None:
        plan_ = _in_graph_terms(plan_, folding, len(graph.nodes))
    colors = ctx.colors
    nodes, heads = _nodes(ctx, plan_)
    body = [*nodes, *_edges(ctx, plan_, heads), *_bound_note(ctx, plan_, heads)]
    header = [
        "digraph autograd {",
        "  graph "
        + attrs(
            rankdir=options.rankdir,
            bgcolor=dot_string(colors.background),
            fontname=dot_string(_FONT),
            fontcolor=dot_string(colors.text),
            fontsize=15,
            labelloc="t",
            label=dot_string(_title(ctx, graph, k)),
            nodesep=0.25,
            ranksep=0.3,
            tooltip='" "',
        )
        + ";",
        "  node "
        + attrs(fontname=dot_string(_FONT), fontsize=NODE_FONT_PT, margin='"0.06,0.03"', height=0.3)
        + ";",
        "  edge " + attrs(fontname=dot_string(_FONT), fontsize=12, arrowsize=0.7) + ";",
    ]
    return "\n".join([*header, *body, "}"]) + "\n"
