"""What a rule sees of one op: its inputs, output, upstream gradient and saved numbers.

:class:`OpContext` is built from the Graph alone (pure data): the value of each
input slot is the forward value of the node the edge comes from, the output
is the op node's own value, the upstream gradient is the gradient PyTorch
delivered to the op's output. A rule that needs something the Graph did not
keep raises :class:`Missing` and the explanation says so instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from autodiff_viz.chain.arrays import Arr, from_value, full, scalar
from autodiff_viz.graph import Attr, Edge, Graph, Node, TensorValue


class Part(NamedTuple):
    """One input's share: ``value`` (shaped like the input), the local factor, summed dims."""

    value: Arr
    local: Arr | None = None
    summed: tuple[int, ...] = ()


class Missing(Exception):
    """A value the rule needs was not recorded (``what`` names it for the message)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


#: Tensors above this many elements are not explained in pure Python (a few seconds' work).
MAX_ELEMENTS = 40_000


def _arr(value: TensorValue | None) -> Arr | None:
    if value is None or value.numel > MAX_ELEMENTS:
        return None
    return from_value(value)


@dataclass
class OpContext:
    """One op node of the graph, with its values as :class:`Arr` (None where unknown)."""

    node: Node
    inputs: list[Arr | None]
    input_shapes: list[tuple[int, ...] | None]
    output: Arr | None
    upstreams: list[Arr | None]
    attrs: dict[str, Attr] = field(default_factory=dict)
    saved: dict[str, TensorValue] = field(default_factory=dict)

    @property
    def slots(self) -> int:
        return len(self.inputs)

    def x(self, slot: int, saved: str | None = None, attr: str | None = None) -> Arr:
        """The forward value of input ``slot`` (``Missing`` when not recorded).

        Where no edge brings it (a number argument, an input the walk could not line
        up), the tensor the node saved as ``saved`` or the number it saved as ``attr``.
        """
        value = self.inputs[slot] if slot < len(self.inputs) else None
        if value is not None:
            return value
        if saved is not None and saved in self.saved:
            return self.saved_arr(saved)
        if attr is not None and isinstance(self.attrs.get(attr), (int, float)):
            return scalar(float(self.attrs[attr]))  # type: ignore[arg-type]
        raise Missing(f"input {slot}")

    def shape(self, slot: int) -> tuple[int, ...]:
        shape = self.input_shapes[slot] if slot < len(self.input_shapes) else None
        if shape is None:
            raise Missing(f"input {slot}")
        return shape

    def y(self) -> Arr:
        if self.output is None:
            raise Missing("output")
        return self.output

    @property
    def g(self) -> Arr:
        """dL/d(output 0), zeros when only other outputs received a gradient."""
        grad = self.upstreams[0] if self.upstreams else None
        if grad is None:
            out = self.node.value
            if out is None:
                raise Missing("upstream gradient")
            return full(out.shape, 0.0)
        return grad

    def attr(self, name: str, default: Attr | None = None) -> Attr:
        value = self.attrs.get(name, default)
        if value is None:
            raise Missing(name)
        return value

    def number(self, name: str, default: float | None = None) -> float:
        value = self.attr(name, default)
        if not isinstance(value, (int, float)):
            raise Missing(name)
        return float(value)

    def ints(self, name: str) -> tuple[int, ...]:
        value = self.attr(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return (value,)
        if isinstance(value, tuple):
            return tuple(int(v) for v in value)
        raise Missing(name)

    def saved_arr(self, name: str) -> Arr:
        value = _arr(self.saved.get(name))
        if value is None:
            raise Missing(name)
        return value


def op_context(graph: Graph, node: Node, inputs_by_dst: dict[str, list[Edge]]) -> OpContext:
    """The :class:`OpContext` of op ``node`` (``inputs_by_dst``: edges into each node)."""
    edges = inputs_by_dst.get(node.id, [])
    slots = max((e.input_nr for e in edges), default=-1) + 1
    inputs: list[Arr | None] = [None] * slots
    shapes: list[tuple[int, ...] | None] = [None] * slots
    for edge in edges:
        value = output_value(graph.node(edge.src), edge.output_nr)
        if value is not None:
            shapes[edge.input_nr] = value.shape
            inputs[edge.input_nr] = _arr(value)
        elif edge.grad is not None:
            # A value not recorded (made inside a custom Function): a gradient has the shape
            # of its tensor, and rules that need no value (add, sum, view) need only that.
            shapes[edge.input_nr] = edge.grad.shape
    grads = [node.grad] + [o.grad for o in node.more_outputs]
    return OpContext(
        node=node,
        inputs=inputs,
        input_shapes=shapes,
        output=_arr(node.value),
        upstreams=[_arr(g) for g in grads],
        attrs=dict(node.attrs),
        saved=dict(node.saved),
    )


def output_value(node: Node, output_nr: int) -> TensorValue | None:
    """The forward value of output ``output_nr`` of ``node``."""
    if output_nr == 0:
        return node.value
    for out in node.more_outputs:
        if out.output_nr == output_nr:
            return out.value
    return None


def output_grad(node: Node, output_nr: int) -> TensorValue | None:
    """The gradient PyTorch delivered to output ``output_nr`` of ``node``."""
    if output_nr == 0:
        return node.grad
    for out in node.more_outputs:
        if out.output_nr == output_nr:
            return out.grad
    return None
