"""What a node of a Graph is, in the words of the picture (pure, no DOT).

* :func:`op_label` — the op a student reads (``MulBackward0`` -> ``mul``).
* :func:`role_of` — the legend entry of a tensor (leaf, intermediate, retained, output, cut).
* :func:`has_op` — whether a node is drawn with a function node in front of its tensor.
* :func:`known_after` — which gradients are known after k steps of the engine's real order.
"""

from __future__ import annotations

import re

from autodiff_viz.graph import Graph, Node
from autodiff_viz.render.styles import Role

__all__ = ["has_op", "known_after", "op_label", "role_of"]

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_BACKWARD = re.compile(r"Backward\d*$")


def op_label(op: str | None) -> str | None:
    """The op a student reads: ``MulBackward0`` -> ``mul``, ``MseLossBackward0`` -> ``mse_loss``.

    None for ``AccumulateGrad`` (a leaf is drawn as its tensor only) and for no op.
    """
    if not op or op.endswith("AccumulateGrad"):
        return None
    base = op.rsplit("::", 1)[-1]
    base = _BACKWARD.sub("", base) or base
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


def has_op(node: Node) -> bool:
    """A non-leaf made by a backward function gets an op node in front of its tensor."""
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
