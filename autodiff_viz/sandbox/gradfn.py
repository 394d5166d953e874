"""A tensor's ``grad_fn`` as a program may see it: read-only views of autograd nodes.

PyTorch's own autograd tutorial walks ``loss.grad_fn.next_functions``; a real
node also offers ``register_hook``, ``register_prehook`` and ``__call__``
(running a backward formula by hand), which must stay out of reach. A
:class:`GradFnView` shows the node as PyTorch prints it and offers
``name()``, ``next_functions`` (views again, with their input numbers),
``variable`` (the leaf tensor of an ``AccumulateGrad``) and a copy of
``metadata`` — nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autodiff_viz.sandbox.messages import error

#: what a program may read of a grad_fn
MEMBERS = frozenset({"name", "next_functions", "variable", "metadata"})


class GradFnView:
    """One autograd node, read-only; two views of one node compare equal."""

    __slots__ = ("_node",)

    def __init__(self, node: Any) -> None:
        self._node = node

    def __repr__(self) -> str:
        return f"<{type(self._node).__name__} object>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GradFnView) and other._node is self._node

    def __hash__(self) -> int:
        return hash(id(self._node))


def view(node: Any) -> GradFnView | None:
    return None if node is None else GradFnView(node)


def grad_fn_attribute(fn: GradFnView, name: str, method: Callable[[str, Any], Any]) -> Any:
    """``grad_fn.name`` for the members of :data:`MEMBERS`; a refusal for the rest.

    ``method(name, fn)`` makes the program's callable for a bound method.
    """
    node = fn._node
    if name == "name":
        return method("name", node.name)
    if name == "next_functions":
        return tuple((view(nxt), index) for nxt, index in node.next_functions)
    if name == "variable" and hasattr(node, "variable"):
        return node.variable
    if name == "metadata":
        return dict(node.metadata)
    if name not in MEMBERS and not hasattr(node, name):
        raise AttributeError(f"'{type(node).__name__}' object has no attribute '{name}'")
    raise error("refused", "attribute", owner=type(node).__name__, name=name, instead="")
