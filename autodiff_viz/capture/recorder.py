"""Record real PyTorch autograd graphs, with forward values and backward grads, while code runs.

In a notebook::

    import torch
    import autodiff_viz as adv

    x = torch.tensor(2.0, requires_grad=True)
    with adv.capture() as rec:        # names and lines come from this frame
        y = 3 * x**2 + x
        y.backward()
    graph = rec.graphs[-1]            # autodiff_viz.graph.Graph: plain data
    graph.named("y").value.data       # 14.0
    graph.named("x").grad.data        # 13.0

Nodes made inside an ``nn.Module`` call name it: with ``model = nn.Sequential(...)``
bound in the block's frame, ``node.module`` reads ``"model.0: Linear"``.

Every ``backward()`` / ``torch.autograd.backward`` / ``torch.autograd.grad``
run inside the block yields one Graph in ``rec.graphs`` (program order; the
first ``max_graphs - 1`` and the last are kept, ``rec.dropped`` counts the
rest: :mod:`~autodiff_viz.capture.kept`). Inside the block ops run for real; capture only watches:

* a ``TorchDispatchMode`` sees every aten op (also inside ``nn.Linear``) and
  snapshots its outputs when it runs, so values survive later in-place
  changes; the record is attached to the op's ``grad_fn`` at the next op,
  once autograd has set it (see :mod:`autodiff_viz.capture.records`);
* a ``TorchFunctionMode`` catches the backward calls and ``.data``; for each
  pass it walks the graph from the outputs, puts one hook on every node
  (dL/d(outputs), the VJP along each edge, the engine's real order), runs
  the real call and removes the hooks again (:mod:`~autodiff_viz.capture.passes`);
* two global ``nn.Module`` hooks tell which module call ran each op
  (``Node.module``, see :mod:`~autodiff_viz.capture.scopes`).

While a block records, Python's youngest garbage-collector generation is
collected every 50,000 allocations instead of 700 (restored on exit): capture
keeps a few small objects per op, and the default made collections cost a
third of the recording (:mod:`~autodiff_viz.capture.collector`).

Outside a block: :func:`graph_of` runs one backward pass on a tensor built
earlier (forward values unknown, a note says so); :meth:`Recorder.forward_graph`
draws a graph without running backward. Records stay in ``grad_fn.metadata``
under ``"autodiff_viz"`` and go away with the graph; no hook outlives a pass.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from types import FrameType, TracebackType
from typing import Any

import torch
from torch.autograd.function import BackwardCFunction
from torch.autograd.graph import get_gradient_edge
from torch.utils.weak import WeakIdKeyDictionary

from autodiff_viz.capture.build import GraphBuilder, PassLog
from autodiff_viz.capture.collector import collector_paused, young_generation
from autodiff_viz.capture.kept import KeptPasses, NamesById
from autodiff_viz.capture.mode_stack import mode_on_top, pop_mode, push_mode
from autodiff_viz.capture.modes import DispatchRecorder, FunctionRecorder
from autodiff_viz.capture.passes import collect_grads, hook_nodes, read_saved
from autodiff_viz.capture.records import (
    ArgValue,
    InplaceAttrs,
    InputSnap,
    OpRecord,
    attach,
    inplace_attrs,
    is_mutable,
    named_tensors,
    record_of,
    snapshot,
    tensor_args,
)
from autodiff_viz.capture.scopes import ModuleScopes, module_paths
from autodiff_viz.capture.sources import Line, Names, SourceOf, frame_callables, text_source
from autodiff_viz.capture.walk import Walk, walk
from autodiff_viz.graph import CallKind, CutReason, Graph

#: Input snapshots are cached per tensor between mutations; the cache is bounded.
_INPUT_CACHE_SIZE = 4_096

_DETACH = torch.ops.aten.detach.default


class Recorder:
    """A context manager that turns each backward pass run inside it into a :class:`Graph`.

    ``names`` returns the user's variables (to label nodes), ``line`` the
    1-based line now running, ``source`` the program text (or a function from a line to
    its text); left out, they
    come from the frame that enters the block. ``max_nodes`` bounds one walk
    (:class:`GraphTooLarge`), ``max_elements`` the tensors stored in full.
    """

    def __init__(
        self,
        max_graphs: int = 20,
        max_elements: int = 10_000,
        *,
        names: Names | None = None,
        line: Line | None = None,
        source: str | SourceOf | None = None,
        max_nodes: int = 50_000,
    ) -> None:
        self._kept = KeptPasses(max_graphs, self._build)
        self.max_elements = max_elements
        self.max_nodes = max_nodes
        self._names = names
        self._line = line
        self._source_of = text_source(source) if isinstance(source, str) else source
        self._program = source if isinstance(source, str) else None
        self._stack: ExitStack | None = None
        self._dispatch: DispatchRecorder | None = None
        self._scopes = ModuleScopes()
        self._pending: list[
            tuple[Sequence[Any], list[torch.Tensor | None], OpRecord, InplaceAttrs | None]
        ] = []
        self._input_cache: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}
        self._tags: WeakIdKeyDictionary = WeakIdKeyDictionary()
        self._names_by_id: NamesById = {}
        self._last_line: int | None = None
        self._paused = False
        self.in_pass = False
        self._pass_create_graph = False

    # --- context ----------------------------------------------------------------

    def __enter__(self) -> Recorder:
        if self._stack is not None:
            raise RuntimeError("this Recorder is already recording")
        if self._names is None or self._line is None or self._source_of is None:
            self._use_frame(sys._getframe(1))
        self._stack = ExitStack()
        self._stack.enter_context(young_generation())
        self._stack.enter_context(FunctionRecorder(self))
        self._scopes = self._stack.enter_context(ModuleScopes())
        self._dispatch = self._stack.enter_context(DispatchRecorder(self))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        stack, self._stack = self._stack, None
        if stack is not None:
            stack.close()
        self._dispatch = None
        self._resolve()
        self._input_cache.clear()

    def _use_frame(self, frame: FrameType) -> None:
        names, line, source_of = frame_callables(frame)
        self._names = self._names or names
        self._line = self._line or line
        self._source_of = self._source_of or source_of

    # --- public -----------------------------------------------------------------

    @property
    def graphs(self) -> list[Graph]:
        """The kept graphs in program order (the first ``max_graphs - 1`` and the latest)."""
        self._flush()
        return self._kept.graphs

    @property
    def graph_lines(self) -> list[int]:
        """The line of the call that ran each kept graph's pass (0 when unknown)."""
        self._flush()
        return self._kept.lines

    @property
    def dropped(self) -> int:
        """How many passes were not kept (see :class:`~autodiff_viz.capture.kept.KeptPasses`)."""
        return self._kept.dropped

    def backward_of(self, tensor: torch.Tensor, gradient: torch.Tensor | None = None) -> Graph:
        """Run ``tensor.backward(gradient)`` as a captured pass and return its Graph."""
        self.run_pass("backward", [tensor], False, (), lambda: tensor.backward(gradient))
        return self.graphs[-1]

    def forward_graph(self, roots: Sequence[torch.Tensor]) -> Graph:
        """The graph behind ``roots`` with forward values only, without running backward."""
        self._resolve()
        self._scan_names()
        with self._quiet():
            graph = walk(self._root_nodes(roots), self.max_nodes)
            log = PassLog("forward", line=self._now(), paths=self._module_paths())
            return self._build(graph, log, self._names_by_id)

    def paused(self) -> AbstractContextManager[None]:
        """A block whose torch calls are not recorded (a sandbox's own checks, printing)."""
        return self._quiet()

    @contextmanager
    def _quiet(self) -> Iterator[None]:
        """Run capture's own torch calls unrecorded, below the dispatch mode, without the GC.

        Below the mode, not just ignored by it: the Python dispatch turns wrapped
        numbers (a saved ``2`` of ``x * 2``) into ints, which ``detach`` refuses.
        Without the cyclic GC: building a graph makes millions of lists and numbers
        that hold no cycle, and the collections they trigger (each one walking every
        object of the process) cost more than the build itself.
        """
        self._paused = True
        # Pop our mode only when it is on top (it is, unless code inside the block
        # pushed its own); otherwise the paused flag alone keeps the ops unrecorded.
        mode = (
            self._dispatch
            if self._dispatch is not None and mode_on_top() is self._dispatch
            else None
        )
        if mode is not None:
            pop_mode()
        try:
            with collector_paused():
                yield
        finally:
            if mode is not None:
                push_mode(mode)
            self._paused = False

    # --- forward recording ------------------------------------------------------

    def _now(self) -> int | None:
        return self._line() if self._line is not None else None

    def on_op(self, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Run one aten op for the dispatch mode and write down what it made."""
        # Runs for every aten op of the program: kept to a few attribute reads and
        # one copy per output (the one place where capture costs per op).
        if self._paused:
            return func(*args, **kwargs)
        if self._pending:
            self._resolve()
        if self.in_pass and not self._pass_create_graph:
            return func(*args, **kwargs)
        mutable = is_mutable(func)
        if mutable:
            self._input_cache.clear()  # a cached snapshot may be stale now
        out = func(*args, **kwargs)
        inputs = tensor_args(func, args, kwargs)
        for t in inputs:
            if isinstance(t, torch.Tensor) and t.requires_grad:
                break
        else:
            return out
        outs = out if isinstance(out, (list, tuple)) else (out,)
        grad_mode = torch.is_grad_enabled()
        if not grad_mode or func is _DETACH:
            for o in outs:
                self.tag(o, "detached" if grad_mode else "no_grad")
            return out
        line = self._line() if self._line is not None else None
        if line != self._last_line:
            self._last_line = line
            self._scan_names()  # the previous statement is done: its names are bound
        snaps = [
            snapshot(o) if isinstance(o, torch.Tensor) and o.is_floating_point() else None
            for o in outs
        ]
        record = OpRecord(
            line, tuple([self._input(t, line) for t in inputs]), self.in_pass, self._scopes.current
        )
        inplace = inplace_attrs(func, args, kwargs) if mutable else None
        self._pending.append((outs, snaps, record, inplace))
        return out

    def _input(self, t: ArgValue, line: int | None) -> InputSnap | None:
        if not isinstance(t, torch.Tensor):
            return None if t is None else InputSnap(t, "constant", None, line)
        if t.requires_grad:
            if t.is_leaf:
                return InputSnap(self._snapshot(t), None)
            fn = t.grad_fn
            if isinstance(fn, BackwardCFunction) and record_of(fn) is None:
                # The output of a user autograd.Function (no aten op of ours made it): its
                # value, kept at its first use, is what the rules of the ops using it need.
                attach(fn, t.output_nr, OpRecord(line, ()), snapshot(t))
            return None
        reason, tag_line = self._tags.get(t, ("constant", line))
        entry = self._names_by_id.get(id(t))
        name = entry[1] if entry is not None and entry[0] is t else None
        return InputSnap(self._snapshot(t), reason, name, tag_line)

    def _snapshot(self, t: torch.Tensor) -> torch.Tensor:
        """A snapshot shared by every use of ``t`` until something is mutated."""
        hit = self._input_cache.get(id(t))
        if hit is not None and hit[0] is t:
            return hit[1]
        if len(self._input_cache) >= _INPUT_CACHE_SIZE:
            self._input_cache.clear()
        copy = snapshot(t)
        self._input_cache[id(t)] = (t, copy)
        return copy

    def tag(self, out: Any, reason: CutReason) -> None:
        """Mark ``out`` as cut from the graph (``.data``, ``detach``, ``no_grad``)."""
        if isinstance(out, torch.Tensor) and not out.requires_grad:
            self._tags[out] = (reason, self._now())

    def _resolve(self) -> None:
        """Attach pending records to the grad_fn autograd has set on the outputs by now."""
        pending, self._pending = self._pending, []
        for outs, snaps, record, inplace in pending:
            for out, snap in zip(outs, snaps, strict=True):
                fn = out.grad_fn if snap is not None else None
                if fn is None:
                    continue
                attach(fn, out.output_nr, record, snap)
                base = out._base if inplace is not None else None
                if base is not None and base.grad_fn is not None:
                    # In place on a view: the base's node (CopySlices) holds the new base.
                    attach(
                        base.grad_fn,
                        base.output_nr,
                        OpRecord(record.line, (), module=record.module, attrs=inplace or ()),
                        snapshot(base),
                    )

    def _scan_names(self) -> None:
        """Label records with the user's variables as bound now (the latest binding wins)."""
        if self._names is None:
            return
        by_id: NamesById = {}
        for name, obj in named_tensors(self._names()):
            if id(obj) in by_id:
                continue  # one tensor under two names: the first in binding order
            by_id[id(obj)] = (obj, name)
            fn = obj.grad_fn
            if fn is not None:
                # A tensor made before capture started still gets its name (no value).
                record = record_of(fn) or attach(fn, obj.output_nr, OpRecord(None, ()), None)
                record.label(obj.output_nr, name, obj.retains_grad)
        self._names_by_id = by_id

    def _module_paths(self) -> dict[int, tuple[torch.nn.Module, str]]:
        """Where the user's modules sit now: read once per pass, not per op."""
        return module_paths(self._names()) if self._names is not None else {}

    # --- passes -------------------------------------------------------------------

    @staticmethod
    def _root_nodes(tensors: Sequence[torch.Tensor]) -> list[Any]:
        return [get_gradient_edge(t).node for t in tensors if t.requires_grad]

    def run_pass(
        self,
        call: CallKind,
        outputs: list[torch.Tensor],
        create_graph: bool,
        inputs: Sequence[torch.Tensor],
        run: Callable[[], Any],
    ) -> Any:
        """Run one backward pass (``run``) with hooks on its nodes and keep its Graph."""
        if self.in_pass:  # a backward inside a backward (a custom Function): same pass
            return run()
        self._resolve()
        self._scan_names()
        log = PassLog(call, line=self._now(), create_graph=create_graph, paths=self._module_paths())
        with self._quiet():
            graph = walk(self._root_nodes(outputs), self.max_nodes)
            read_saved(graph, log)
            handles = hook_nodes(graph, log)
        self.in_pass, self._pass_create_graph = True, create_graph
        try:
            if create_graph:  # the pass makes new nodes: record them
                result = run()
            else:  # nothing to record: keep the engine's ops off the Python dispatch
                with self._quiet():
                    result = run()
        finally:
            self.in_pass = False
            for handle in handles:
                handle.remove()
        self._resolve()  # nodes the create_graph pass made
        self._input_cache.clear()
        with self._quiet():
            collect_grads(graph, log, inputs, result)
            self._kept.keep(graph, log, self._names_by_id)
        return result

    def _build(self, graph: Walk, log: PassLog, names_by_id: NamesById) -> Graph:
        def name_of(leaf: torch.Tensor) -> str | None:
            entry = names_by_id.get(id(leaf))
            return entry[1] if entry is not None and entry[0] is leaf else None

        return GraphBuilder(
            graph,
            log,
            name_of=name_of,
            source_of=self._source_of or (lambda line: None),
            max_elements=self.max_elements,
            program=self._program,
        ).build()

    def _flush(self) -> None:
        if self._kept.waiting:
            with self._quiet():
                self._kept.flush()


def capture(max_graphs: int = 20, max_elements: int = 10_000) -> Recorder:
    """A :class:`Recorder` labelled from the caller's variables and lines (notebook use)."""
    return Recorder(max_graphs=max_graphs, max_elements=max_elements)


def graph_of(y: torch.Tensor, gradient: torch.Tensor | None = None) -> Graph:
    """Run ``y.backward(gradient)`` once and return its Graph.

    The forward pass ran before capture, so op nodes' values are unknown (None)
    and the Graph's notes say so; leaves show their current value. Like any
    backward, this accumulates into the leaves' ``.grad``.
    """
    names, line, source_of = frame_callables(sys._getframe(1))
    recorder = Recorder(max_graphs=1, names=names, line=line, source=source_of)
    with recorder:
        return recorder.backward_of(y, gradient)
