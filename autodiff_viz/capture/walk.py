"""Walk PyTorch's backward graph from its roots, iteratively, in a deterministic order.

:func:`walk` follows ``next_functions`` from the outputs in slot order and
numbers the nodes in forward order (every input before its consumer).
Inputs the gradient does not flow into (``None`` slots of ``next_functions``)
become cut entries, numbered where they are met, when the forward record
says which tensor sat in that slot. An explicit stack, not recursion, so
10,000-node chains are fine; :class:`GraphTooLarge` stops a walk over the
caller's limit before any hook is placed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import torch

from autodiff_viz.capture.records import InputSnap, OpRecord, record_of


class GraphTooLarge(RuntimeError):
    """The backward graph has more nodes than the capture may walk."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"the autograd graph has more than {limit:,} nodes, the most one capture may walk"
        )
        self.limit = limit


class RawEdge(NamedTuple):
    """Forward flow ``src -> dst`` by walk index; ``input_nr`` is dst's slot."""

    src: int
    dst: int
    input_nr: int
    output_nr: int
    cut: bool = False


@dataclass
class Walk:
    """The graph as met: entry ``i`` is an autograd node (``fns[i]``) or a cut input."""

    fns: list[Any] = field(default_factory=list)
    records: list[OpRecord | None] = field(default_factory=list)
    cuts: dict[int, InputSnap] = field(default_factory=dict)
    edges: list[RawEdge] = field(default_factory=list)
    roots: list[int] = field(default_factory=list)
    index: dict[Any, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.fns)


def is_accumulate(fn: Any) -> bool:
    """Whether an autograd node is a leaf's ``AccumulateGrad``."""
    return type(fn).__name__ == "AccumulateGrad"


def aligned_inputs(record: OpRecord | None, slots: int) -> Sequence[InputSnap | None]:
    """The record's inputs by ``next_functions`` slot, or nothing when they do not line up.

    The slots are the op's differentiable tensor arguments in schema order, which is
    what the record lists; an op whose autograd formula takes other inputs than its
    dispatch call cannot be matched, and showing no cut beats showing a wrong one.
    """
    if record is None or len(record.inputs) != slots:
        return ()
    return record.inputs


def walk(roots: Sequence[Any], max_nodes: int) -> Walk:
    """Every node reachable from ``roots`` (autograd nodes), inputs before their consumers.

    An iterative depth-first search in ``next_functions`` slot order that numbers
    a node once all its inputs are numbered (post-order): leaves come first,
    outputs last, like the program that built the graph, so the last node that
    holds a name is its latest binding.
    """
    graph = Walk()
    fns, records, index = graph.fns, graph.records, graph.index
    nexts: dict[Any, tuple[Any, ...]] = {}
    cut_at: dict[tuple[Any, int], int] = {}

    def add(fn: Any, record: OpRecord | None) -> int:
        if len(fns) >= max_nodes:
            raise GraphTooLarge(max_nodes)
        fns.append(fn)
        records.append(record)
        return len(fns) - 1

    for root in roots:
        if root in nexts:
            continue
        nexts[root] = root.next_functions
        stack: list[tuple[Any, int]] = [(root, 0)]
        while stack:
            fn, slot = stack[-1]
            children = nexts[fn]
            if slot == len(children):
                stack.pop()
                index[fn] = add(fn, record_of(fn))
                continue
            stack[-1] = (fn, slot + 1)
            child = children[slot][0]
            if child is None:
                inputs = aligned_inputs(record_of(fn), len(children))
                snap = inputs[slot] if inputs else None
                if snap is not None and snap.reason is not None:
                    cut_at[fn, slot] = cut = add(None, None)
                    graph.cuts[cut] = snap
            elif child not in nexts:
                if len(nexts) >= max_nodes:
                    raise GraphTooLarge(max_nodes)
                nexts[child] = child.next_functions
                stack.append((child, 0))
    edges = graph.edges
    for dst, fn in enumerate(fns):
        for slot, (child, output_nr) in enumerate(nexts.get(fn, ())):
            if child is not None:
                edges.append(RawEdge(index[child], dst, slot, output_nr))
            elif (fn, slot) in cut_at:
                edges.append(RawEdge(cut_at[fn, slot], dst, slot, 0, cut=True))
    graph.roots = list(dict.fromkeys(graph.index[root] for root in roots))
    return graph


_SAVED_NAMES: dict[type, tuple[str, ...]] = {}
#: Per node type, the ``_saved_*`` attributes that held no tensor on its first node.
_SCALAR_NAMES: dict[type, tuple[str, ...]] = {}
#: Sizes and strides of inputs: the Graph knows them from the inputs' values already.
_SIZE_SUFFIXES = ("_sym_sizes", "_sym_strides", "_sym_numel", "_sym_argsize_0", "_sym_argsize_1")
_UINT64 = 1 << 64

#: A node's non-tensor saved argument as plain data: an exponent, a dim, a slope, a reduction.
Scalar = int | float | bool | str | tuple[int | float, ...] | None


def saved_tensors(fn: Any) -> list[tuple[str, torch.Tensor]]:
    """The tensors a node saved for backward: ``_saved_self`` -> ("self", tensor)."""
    names = _SAVED_NAMES.get(type(fn))
    if names is None:
        names = _SAVED_NAMES[type(fn)] = tuple(a for a in dir(fn) if a.startswith("_saved_"))
    pairs: list[tuple[str, torch.Tensor]] = []
    for attr in names:
        try:
            saved = getattr(fn, attr)
        except RuntimeError:  # freed by an earlier pass, or changed in place since
            continue
        label = attr.removeprefix("_saved_")
        if isinstance(saved, torch.Tensor):
            pairs.append((label, saved))
        elif isinstance(saved, (list, tuple)):
            pairs.extend(
                (f"{label}[{k}]", t) for k, t in enumerate(saved) if isinstance(t, torch.Tensor)
            )
    return pairs


def _int(value: int | torch.SymInt) -> int:
    number = int(value)
    # PyTorch hands back negative int64 arguments as unsigned (dim=-1, ignore_index=-100).
    return number - _UINT64 if number >= _UINT64 >> 1 else number


def _plain(value: Any) -> tuple[bool, Scalar]:
    """(True, value as plain data), or (False, None) for a tensor or anything else."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return True, value
    if isinstance(value, (int, torch.SymInt)):
        return True, _int(value)
    if isinstance(value, (float, torch.SymFloat)):
        return True, float(value)
    if isinstance(value, (tuple, list)) and all(
        isinstance(v, (int, float, torch.SymInt)) and not isinstance(v, bool) for v in value
    ):
        return True, tuple(_int(v) if isinstance(v, (int, torch.SymInt)) else v for v in value)
    return False, None


def saved_scalars(fn: Any) -> tuple[tuple[str, Scalar], ...]:
    """The numbers a node saved for backward (``PowBackward0``: ``exponent``), as plain data.

    The rules of :mod:`autodiff_viz.chain` need them and no value of the Graph holds
    them. Which attributes to read is found once per node type (tensor attributes are
    left alone: reading one unpacks it); a reading that turns out a tensor is skipped.
    """
    names = _SCALAR_NAMES.get(type(fn))
    if names is None:
        found = []
        for attr in dir(fn):
            if not attr.startswith("_saved_") or attr.endswith(_SIZE_SUFFIXES):
                continue
            try:
                plain, _ = _plain(getattr(fn, attr))
            except RuntimeError:
                continue
            if plain:
                found.append(attr)
        names = _SCALAR_NAMES[type(fn)] = tuple(found)
    pairs: list[tuple[str, Scalar]] = []
    for attr in names:
        try:
            plain, value = _plain(getattr(fn, attr))
        except RuntimeError:
            continue
        if plain and value is not None:  # an absent optional argument says nothing
            pairs.append((attr[7:], value))
    return tuple(pairs)
