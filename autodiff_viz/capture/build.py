"""Turn a walked backward graph and what one pass logged into a :class:`Graph`.

This is where torch objects become plain data: every tensor is converted once
(a tensor met twice, e.g. a grad that is both a node's input and an edge's VJP,
is converted once), all of a graph's tensors in bulk (:func:`tensor_values`),
ids become ``n0, n1, ...`` in walk order, the engine's hook log becomes
``backward_order`` and the ops' module calls become ``Node.module`` labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from typing import Any

import torch
from torch.autograd.function import BackwardCFunction

from autodiff_viz.capture.records import InputSnap, OpRecord, snapshot
from autodiff_viz.capture.scopes import ModuleCall, ModulePaths, module_labels, parameter_ids
from autodiff_viz.capture.sources import backward_source
from autodiff_viz.capture.tensors import number_value, tensor_value, tensor_values
from autodiff_viz.capture.walk import RawEdge, Scalar, Walk, aligned_inputs, is_accumulate
from autodiff_viz.graph import (
    Attr,
    CallKind,
    Edge,
    Graph,
    GraphNote,
    Node,
    Output,
    TensorValue,
    assemble,
)

Grads = tuple[torch.Tensor | None, ...]


@dataclass
class PassLog:
    """What one backward pass (or forward view) produced, by walk index."""

    call: CallKind
    line: int | None = None
    create_graph: bool = False
    #: (walk index, grad_inputs, grad_outputs) in the order the engine ran the nodes.
    fired: list[tuple[int, Grads, Grads]] = field(default_factory=list)
    #: dL/d(output 0) known otherwise: a leaf's ``.grad``, a grad ``autograd.grad`` returned.
    grads: dict[int, torch.Tensor | None] = field(default_factory=dict)
    saved: dict[int, list[tuple[str, torch.Tensor]]] = field(default_factory=dict)
    #: The numbers each node saved for backward (an exponent, a dim), as plain data.
    attrs: dict[int, tuple[tuple[str, Scalar], ...]] = field(default_factory=dict)
    notes: list[GraphNote] = field(default_factory=list)
    #: A leaf's current value by walk index, copied when a pass is frozen (else read at build).
    leaves: dict[int, torch.Tensor] = field(default_factory=dict)
    #: Where the user's modules sit among their variables when the pass ran.
    paths: ModulePaths = field(default_factory=dict)


def _copy(t: torch.Tensor | None) -> torch.Tensor | None:
    return None if t is None else snapshot(t)


def freeze(walk: Walk, log: PassLog) -> tuple[Walk, PassLog]:
    """``walk`` and ``log`` with nothing the program can still change, for a later build.

    The program may change tensors in place (``optimizer.step()``, ``x.grad.zero_()``)
    and bind new names after a pass: its grads, saved tensors, leaves and the
    records' labels are copied so that building later gives the Graph building
    now would have given. Forward snapshots are copies already.
    """
    records = [
        None
        if r is None
        else OpRecord(
            r.line,
            r.inputs,
            r.second_order,
            r.module,
            dict(r.values),
            None if r.names is None else dict(r.names),
            None if r.retains_grad is None else set(r.retains_grad),
        )
        for r in walk.records
    ]
    frozen = PassLog(
        log.call,
        log.line,
        log.create_graph,
        fired=[(i, tuple(map(_copy, gin)), tuple(map(_copy, gout))) for i, gin, gout in log.fired],
        grads={i: _copy(g) for i, g in log.grads.items()},
        saved={i: [(name, snapshot(t)) for name, t in pairs] for i, pairs in log.saved.items()},
        attrs=log.attrs,  # plain data, never changed after the pass
        notes=list(log.notes),
        leaves={
            i: snapshot(fn.variable)
            for i, fn in enumerate(walk.fns)
            if fn is not None and is_accumulate(fn)
        },
        paths=log.paths,
    )
    return replace(walk, records=records), frozen


class _Converter:
    """``tensor_value`` with a per-pass cache keyed by tensor identity."""

    def __init__(self, max_elements: int) -> None:
        self.max_elements = max_elements
        self._values: dict[int, TensorValue] = {}
        #: Every tensor converted, so that no id in ``_values`` is reused meanwhile.
        self._alive: list[torch.Tensor] = []
        self._numbers: dict[tuple[type, str], TensorValue] = {}

    def __call__(self, t: torch.Tensor | float | int | None) -> TensorValue | None:
        value = self._values.get(id(t))
        if value is not None or t is None:
            return value
        if not isinstance(t, torch.Tensor):
            # The same constant (the 1.001 of ``y * 1.001`` in a loop) makes one value;
            # by repr, which tells -0.0 from 0.0 (equal as numbers).
            key = (type(t), repr(t))
            number = self._numbers.get(key)
            if number is None:
                number = self._numbers[key] = number_value(t)
            return number
        value = self._values[id(t)] = tensor_value(t, self.max_elements)
        self._alive.append(t)
        return value

    def prefill(self, tensors: Iterable[torch.Tensor | float | int | None]) -> None:
        """Convert ``tensors`` now, in bulk (:func:`tensor_values`); calls then hit the cache."""
        todo: dict[int, torch.Tensor] = {}
        for t in tensors:
            if isinstance(t, torch.Tensor) and id(t) not in self._values:
                todo[id(t)] = t
        batch = list(todo.values())
        self._values.update(zip(todo, tensor_values(batch, self.max_elements), strict=True))
        self._alive.extend(batch)


def _tensors_of(walk: Walk, log: PassLog) -> Iterator[torch.Tensor | float | int | None]:
    """Every tensor a Graph of ``walk`` and ``log`` shows (and a few it may not)."""
    for record in walk.records:
        if record is not None:
            yield from record.values.values()
    for snap in walk.cuts.values():
        yield snap.value
    for _, grad_inputs, grad_outputs in log.fired:
        yield from grad_inputs
        yield from grad_outputs
    yield from log.grads.values()


def _leaf_snapshots(walk: Walk) -> dict[int, torch.Tensor | float | int]:
    """A leaf's value as its first consumer saw it, by the leaf's walk index."""
    found: dict[int, torch.Tensor | float | int] = {}
    for edge in walk.edges:
        if edge.cut or edge.src in found or not is_accumulate(walk.fns[edge.src]):
            continue
        inputs = aligned_inputs(walk.records[edge.dst], len(walk.fns[edge.dst].next_functions))
        snap = inputs[edge.input_nr] if inputs else None
        if snap is not None:
            found[edge.src] = snap.value
    return found


def _module_calls(walk: Walk) -> list[ModuleCall | None]:
    """The module call of every walk entry: its op's call; for a leaf, see below.

    A leaf that is a parameter of a module takes the earliest call of that module
    among its consumers, so that a fold of the call takes its parameters in; other
    leaves and cut inputs belong to no module.
    """
    calls = [None if record is None else record.module for record in walk.records]
    owned: dict[int, set[int]] = {}  # parameter ids by module id
    for edge in walk.edges:
        call, fn, first = calls[edge.dst], walk.fns[edge.src], calls[edge.src]
        if edge.cut or call is None or not is_accumulate(fn):
            continue
        if first is not None and first.seq <= call.seq:
            continue
        params = owned.get(id(call.module))
        if params is None:
            params = owned[id(call.module)] = parameter_ids(call.module)
        if id(fn.variable) in params:
            calls[edge.src] = call
    return calls


@dataclass
class GraphBuilder:
    """Builds one Graph; ``name_of`` names a leaf tensor, ``source_of`` gives a line's text."""

    walk: Walk
    log: PassLog
    name_of: Callable[[torch.Tensor], str | None]
    source_of: Callable[[int | None], str | None]
    max_elements: int = 10_000
    #: The program's text, where the Recorder was given it (to show a custom backward's code).
    program: str | None = None

    def build(self) -> Graph:
        walk, log = self.walk, self.log
        value = _Converter(self.max_elements)
        fired = {i: (gin, gout) for i, gin, gout in log.fired}
        leaf_values = _leaf_snapshots(walk)
        value.prefill(chain(_tensors_of(walk, log), leaf_values.values()))
        roots = set(walk.roots)
        modules = module_labels(_module_calls(walk), log.paths)
        nodes: list[Node] = []
        unknown = 0
        no_grads: tuple[Grads, Grads] = ((), ())
        for i, (fn, record) in enumerate(zip(walk.fns, walk.records, strict=True)):
            if fn is None:
                nodes.append(self._cut(i, walk.cuts[i], value))
            elif is_accumulate(fn):
                snap = leaf_values.get(i)
                nodes.append(
                    self._leaf(i, fn, snap, is_root=i in roots, value=value, module=modules[i])
                )
            else:
                if record is None or 0 not in record.values:
                    unknown += 1
                grad_outputs = fired.get(i, no_grads)[1]
                nodes.append(
                    self._op(
                        i,
                        fn,
                        record,
                        grad_outputs,
                        is_root=i in roots,
                        value=value,
                        module=modules[i],
                    )
                )
        edges = [_edge(edge, fired.get(edge.dst, no_grads)[0], value) for edge in walk.edges]
        notes = list(log.notes)
        if unknown:
            notes.append(GraphNote("unknown_forward", unknown))
        return Graph(
            nodes=tuple(nodes),
            edges=tuple(edges),
            outputs=tuple(f"n{i}" for i in walk.roots),
            backward_order=tuple(f"n{i}" for i, _, _ in log.fired),
            call=log.call,
            line=log.line,
            create_graph=log.create_graph,
            second_order=any(n.second_order for n in nodes),
            notes=tuple(notes),
        )

    def _saved(self, i: int, value: _Converter) -> tuple[tuple[str, TensorValue], ...]:
        saved = self.log.saved.get(i)
        if not saved:  # most nodes: big graphs record no saved tensors at all
            return ()
        pairs = ((name, value(t)) for name, t in saved)
        return tuple((name, v) for name, v in pairs if v is not None)

    def _grad(self, i: int, grad_outputs: Grads, output_nr: int) -> torch.Tensor | None:
        if output_nr == 0 and i in self.log.grads:
            return self.log.grads[i]
        return grad_outputs[output_nr] if output_nr < len(grad_outputs) else None

    def _custom(self, fn: Any) -> tuple[tuple[str, Attr], ...]:
        """A user ``autograd.Function``'s node: the code of its ``backward`` and its first line."""
        if not isinstance(fn, BackwardCFunction):
            return ()
        found = backward_source(fn, self.program)
        return () if found is None else (("backward", found[1]), ("backward_line", found[0]))

    def _op(
        self,
        i: int,
        fn: Any,
        record: OpRecord | None,
        grad_outputs: Grads,
        *,
        is_root: bool,
        value: _Converter,
        module: str | None,
    ) -> Node:
        values = record.values if record else {}
        names = (record.names if record else None) or {}
        more: tuple[Output, ...] = ()
        count = max(len(grad_outputs), max(values, default=0) + 1)
        if count > 1:
            more = tuple(
                Output(
                    nr, value(values.get(nr)), value(self._grad(i, grad_outputs, nr)), names.get(nr)
                )
                for nr in range(1, count)
            )
        line = record.line if record else None
        return assemble(
            Node,
            id=f"n{i}",
            kind="output" if is_root else "op",
            op=type(fn).__name__,
            name=names.get(0),
            value=value(values.get(0)),
            grad=value(self._grad(i, grad_outputs, 0)),
            requires_grad=True,
            is_leaf=False,
            retains_grad=bool(record and record.retains_grad and 0 in record.retains_grad),
            saved=self._saved(i, value),
            attrs=self.log.attrs.get(i, ()) + (record.attrs if record else ()) + self._custom(fn),
            line=line,
            source=self.source_of(line),
            cut_reason=None,
            second_order=bool(record and record.second_order),
            more_outputs=more,
            module=module,
        )

    def _leaf(
        self,
        i: int,
        fn: Any,
        snap: torch.Tensor | float | int | None,
        *,
        is_root: bool,
        value: _Converter,
        module: str | None,
    ) -> Node:
        leaf = fn.variable
        return Node(
            id=f"n{i}",
            kind="output" if is_root else "leaf",
            op=type(fn).__name__,
            name=self.name_of(leaf),
            # No consumer recorded the leaf (it was used before capture): its value now.
            value=value(snap if snap is not None else self.log.leaves.get(i, leaf)),
            grad=value(self.log.grads.get(i)),
            requires_grad=True,
            is_leaf=True,
            saved=self._saved(i, value),
            module=module,
        )

    def _cut(self, i: int, snap: InputSnap, value: _Converter) -> Node:
        return assemble(
            Node,
            id=f"n{i}",
            kind="cut",
            op=None,
            name=snap.name,
            value=value(snap.value),
            grad=None,
            requires_grad=False,
            is_leaf=True,
            retains_grad=False,
            saved=(),
            attrs=(),
            line=snap.line,
            source=self.source_of(snap.line),
            cut_reason=snap.reason,
            second_order=False,
            more_outputs=(),
            module=None,
        )


def _edge(edge: RawEdge, grad_inputs: Grads, value: _Converter) -> Edge:
    """``grad_inputs`` of the consumer: the VJP along its slot ``edge.input_nr``."""
    slot = edge.input_nr
    grad = grad_inputs[slot] if not edge.cut and slot < len(grad_inputs) else None
    return assemble(
        Edge,
        src=f"n{edge.src}",
        dst=f"n{edge.dst}",
        input_nr=slot,
        output_nr=edge.output_nr,
        grad=value(grad),
        cut=edge.cut,
    )
