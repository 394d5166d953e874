"""What the forward pass leaves behind for capture: one :class:`OpRecord` per autograd node.

A ``grad_fn`` does not keep the tensor it produced, so capture writes down,
when each op runs, a snapshot of its outputs, the source line, and the
inputs the gradient will not flow into (constants, detached tensors). The
record is stored in the node's own ``metadata`` dict under :data:`KEY`: it
then lives exactly as long as the node does, so a program that builds a
thousand graphs in a loop frees each record with its graph.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import torch

from autodiff_viz.capture.scopes import ModuleCall
from autodiff_viz.graph import Attr, CutReason

#: The key of our record in ``grad_fn.metadata`` (a dict PyTorch keeps per node).
KEY = "autodiff_viz"


class InputSnap(NamedTuple):
    """One differentiable-dtype tensor argument of an op, as it was when the op ran.

    ``reason`` is None for a leaf that requires grad (the snapshot gives the
    leaf's value at op time) and the cut reason for a tensor the gradient does
    not flow into. A named tuple, not a dataclass: one is made per op input, and
    a frozen dataclass costs several times more to construct.
    """

    value: torch.Tensor | float | int
    reason: CutReason | None
    name: str | None = None
    line: int | None = None


@dataclass(slots=True)
class OpRecord:
    """What one op produced: output snapshots by ``output_nr``, line, inputs, names.

    ``module`` is the innermost ``nn.Module`` call that ran the op (None outside any).
    """

    line: int | None
    inputs: tuple[InputSnap | None, ...]
    second_order: bool = False
    module: ModuleCall | None = None
    values: dict[int, torch.Tensor] = field(default_factory=dict)
    #: The user's variable by output_nr, and the outputs that retain their grad: most
    #: records have neither, and a record is made per op, so both are made on first use.
    names: dict[int, str] | None = None
    retains_grad: set[int] | None = None
    #: Numbers the node's rule needs that PyTorch does not expose on the node (an in-place
    #: op on a view: which op, and where the view lies in its base; see :func:`inplace_attrs`).
    attrs: tuple[tuple[str, Attr], ...] = ()

    def label(self, output_nr: int, name: str, retains_grad: bool) -> None:
        """Output ``output_nr`` is the user's variable ``name``; it may retain its grad."""
        if self.names is None:
            self.names = {}
        self.names[output_nr] = name
        if retains_grad:
            if self.retains_grad is None:
                self.retains_grad = set()
            self.retains_grad.add(output_nr)


def record_of(node: Any) -> OpRecord | None:
    """The record capture attached to this autograd node, if any."""
    record: OpRecord | None = node.metadata.get(KEY)
    return record


def attach(node: Any, output_nr: int, record: OpRecord, value: torch.Tensor | None) -> OpRecord:
    """Attach ``record`` to ``node`` (first one wins), file ``value`` under ``output_nr``.

    Returns the record the node holds now.
    """
    attached: OpRecord = node.metadata.setdefault(KEY, record)
    if value is not None:
        attached.values.setdefault(output_nr, value)
    return attached


#: A tensor argument as the op received it: a tensor, a Python number in a Tensor
#: slot (``x * 2``), or None for an absent optional tensor.
ArgValue = torch.Tensor | float | int | None

_TENSOR_SLOTS: dict[Any, tuple[tuple[int, str, bool], ...]] = {}
#: Per aten overload: the positions of its Tensor slots when none takes a list, else None.
_PLAIN_SLOTS: dict[Any, tuple[int, ...] | None] = {}


def _tensor_slots(func: Any) -> tuple[tuple[int, str, bool], ...]:
    """(position, name, is_list) of each Tensor-typed argument of an aten overload."""
    slots = _TENSOR_SLOTS.get(func)
    if slots is None:
        slots = tuple(
            (pos, arg.name, "[]" in str(arg.type) or "List" in str(arg.type))
            for pos, arg in enumerate(func._schema.arguments)
            if "Tensor" in str(arg.type)
        )
        _TENSOR_SLOTS[func] = slots
        _PLAIN_SLOTS[func] = (
            None if any(is_list for _, _, is_list in slots) else tuple(pos for pos, _, _ in slots)
        )
    return slots


def tensor_args(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[ArgValue]:
    """The values in ``func``'s Tensor-typed slots that can carry a gradient, in schema order.

    These line up with the ``grad_fn``'s ``next_functions``: a Python number in a
    Tensor slot (``x * 2``) has a slot there, an integer or bool tensor (an index,
    a ``where`` condition) has none, lists (``cat``) count one slot per tensor.
    """
    plain = _PLAIN_SLOTS.get(func)
    if plain is None or kwargs:  # lists, keywords, or not seen yet: the general path
        items = _slot_items(func, args, kwargs)
    else:  # most ops: every Tensor slot given by position, none a list
        items = [args[pos] if pos < len(args) else None for pos in plain]
    found: list[ArgValue] = []
    for item in items:
        if isinstance(item, torch.Tensor):
            if item.is_floating_point() or item.is_complex():
                found.append(item)
        elif item is None or isinstance(item, (int, float)):
            found.append(item)
    return found


def _slot_items(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
    items: list[Any] = []
    for pos, name, is_list in _tensor_slots(func):
        value = args[pos] if pos < len(args) else kwargs.get(name)
        if is_list and value is not None:
            items.extend(value)
        else:
            items.append(value)
    return items


def snapshot(t: torch.Tensor) -> torch.Tensor:
    """A copy of ``t``'s current data, safe from later in-place changes."""
    return t.detach().clone()


_MUTABLE: dict[Any, bool] = {}


def is_mutable(func: Any) -> bool:
    """Whether an aten overload writes into one of its arguments (``add_``, ``out=``)."""
    mutable = _MUTABLE.get(func)
    if mutable is None:
        mutable = _MUTABLE[func] = bool(func._schema.is_mutable)
    return mutable


def named_tensors(names: Mapping[str, object]) -> Iterator[tuple[str, torch.Tensor]]:
    """Tensors bound to names, with a module's parameters as ``model.weight``."""
    for name, obj in list(names.items()):
        if isinstance(obj, torch.Tensor):
            yield name, obj
        elif isinstance(obj, torch.nn.Module):
            for param_name, param in obj.named_parameters():
                yield f"{name}.{param_name}", param


#: The numbers :func:`inplace_attrs` gives, by name.
InplaceAttrs = tuple[tuple[str, Attr], ...]


def inplace_attrs(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> InplaceAttrs:
    """How an in-place op on a view (``x[0] = y``, ``x[:, 1] *= 2``) wrote into the view's base.

    PyTorch records such an op as a ``CopySlices`` node that keeps neither the op nor the
    view's place: the op's name, the view's size, stride and offset in the base's storage, the
    base's strides and a number argument (``2`` of ``*= 2``, ``alpha``) are what its rule needs.
    Empty when ``args[0]`` is not a view.
    """
    view = args[0] if args else None
    if not isinstance(view, torch.Tensor) or view._base is None:
        return ()
    op = str(func.overloadpacket.__name__)
    if not op.endswith("_"):  # out= of a functional op: not a write PyTorch records this way
        return ()
    base = view._base
    attrs: list[tuple[str, Attr]] = [
        ("inplace", op),
        ("view_size", tuple(view.shape)),
        ("view_stride", tuple(view.stride())),
        ("view_offset", int(view.storage_offset() - base.storage_offset())),
        ("base_stride", tuple(base.stride())),
    ]
    number = next(
        (a for a in args[1:] if isinstance(a, (int, float)) and not isinstance(a, bool)), None
    )
    if number is not None:
        attrs.append(("other", float(number)))
    alpha = kwargs.get("alpha")
    if isinstance(alpha, (int, float)) and not isinstance(alpha, bool):
        attrs.append(("alpha", float(alpha)))
    return tuple(attrs)
