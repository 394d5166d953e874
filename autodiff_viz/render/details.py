"""What the inspector beside the graph shows for each drawn node, as plain data (pure).

The browser shows a clicked node's details at once from this table, sent with the picture:
the name the program gave it, its op (``MulBackward0``), source line, full value and grad,
saved tensors and flags. Every text is plain (the component writes it with ``textContent``);
long values are cut at ``max_chars`` so a big graph's table stays small.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from autodiff_viz.graph import Graph, Node
from autodiff_viz.render.formatting import format_full
from autodiff_viz.render.roles import op_label

__all__ = ["node_details", "node_title"]

#: Characters of each value or grad text: enough for a 20 x 20 matrix.
DETAIL_CHARS = 4000
#: Nodes with details: a bound on what one picture sends (its drawn nodes are at most 400).
MAX_DETAILED = 600


def node_title(node: Node) -> str:
    """The name the program gave the node, else its readable op, else its id."""
    return node.name or op_label(node.op) or node.op or node.id


def _line(node: Node, words: Mapping[str, str]) -> str:
    if node.line is None:
        return ""
    if node.source:
        template = words.get("line_source", "line {line}: {source}")
        return template.format(line=node.line, source=node.source.strip())
    return words.get("line", "line {line}").format(line=node.line)


def _one(node: Node, words: Mapping[str, str], max_chars: int) -> dict[str, object]:
    flags = {
        "requires_grad": node.requires_grad,
        "is_leaf": node.is_leaf,
        "retains_grad": node.retains_grad,
    }
    return {
        "title": node_title(node),
        "op": f"{op_label(node.op)} ({node.op})" if op_label(node.op) else node.op or "",
        "line": _line(node, words),
        "value": format_full(node.value, max_chars=max_chars),
        "grad": format_full(node.grad, max_chars=max_chars),
        "saved": [[name, format_full(v, max_chars=max_chars)] for name, v in node.saved],
        "flags": " · ".join(f"{k}={v}" for k, v in flags.items() if v is not None),
    }


def node_details(
    graph: Graph,
    ids: Iterable[str] | None = None,
    *,
    words: Mapping[str, str] | None = None,
    max_chars: int = DETAIL_CHARS,
) -> dict[str, dict[str, object]]:
    """Graph id -> details, for ``ids`` (default: every node), at most :data:`MAX_DETAILED`."""
    wanted = [n.id for n in graph.nodes] if ids is None else list(ids)
    out: dict[str, dict[str, object]] = {}
    for node_id in wanted[:MAX_DETAILED]:
        try:
            node = graph.node(node_id)
        except KeyError:
            continue  # a drawn id of no captured node (a loop group)
        out[node_id] = _one(node, words or {}, max_chars)
    return out
