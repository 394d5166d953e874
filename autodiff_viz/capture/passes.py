"""What a Recorder does around one backward pass, before and after the engine runs.

:func:`hook_nodes` puts one hook on every node of the walked graph (they log
dL/d(outputs), the VJP along each edge and the engine's real order into the
:class:`~autodiff_viz.capture.build.PassLog`); :func:`read_saved` reads the
saved tensors before backward frees them; :func:`collect_grads` reads what the
pass gave the leaves (``.grad``) or returned (``autograd.grad``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.autograd.graph import get_gradient_edge
from torch.utils.hooks import RemovableHandle

from autodiff_viz.capture.build import PassLog
from autodiff_viz.capture.walk import Walk, is_accumulate, saved_scalars, saved_tensors
from autodiff_viz.graph import GraphNote

#: Saved tensors are read for graphs up to this size; beyond, nobody inspects them
#: one by one and reading thousands of them would dominate the capture time.
SAVED_TENSORS_MAX_NODES = 2_000


def hook_nodes(graph: Walk, log: PassLog) -> list[RemovableHandle]:
    """Hook every autograd node of ``graph``; the caller removes the handles after the pass."""
    return [fn.register_hook(_hook(i, log)) for i, fn in enumerate(graph.fns) if fn is not None]


def _hook(i: int, log: PassLog) -> Callable[[Any, Any], None]:
    fired = log.fired

    def hook(grad_inputs: Any, grad_outputs: Any) -> None:
        fired.append((i, tuple(grad_inputs), tuple(grad_outputs)))

    return hook


def read_saved(graph: Walk, log: PassLog) -> None:
    """Saved tensors must be read before backward frees them; saved numbers too, for every size.

    The numbers (an exponent, a dim) are what explaining a gradient needs besides the
    values the Graph holds anyway; a few attribute reads per node.
    """
    attrs = log.attrs
    for i, fn in enumerate(graph.fns):
        if fn is not None and (scalars := saved_scalars(fn)):
            attrs[i] = scalars
    if len(graph) > SAVED_TENSORS_MAX_NODES:
        log.notes.append(GraphNote("saved_skipped", SAVED_TENSORS_MAX_NODES))
        return
    for i, fn in enumerate(graph.fns):
        if fn is not None and (pairs := saved_tensors(fn)):
            log.saved[i] = pairs


def collect_grads(graph: Walk, log: PassLog, inputs: Sequence[torch.Tensor], result: Any) -> None:
    """The leaves' ``.grad`` after a backward, or the grads ``autograd.grad`` returned."""
    if log.call == "backward":
        for i, fn in enumerate(graph.fns):
            if fn is not None and is_accumulate(fn):
                log.grads[i] = fn.variable.grad
        return
    for tensor, grad in zip(inputs, result, strict=True):
        edge = get_gradient_edge(tensor) if tensor.requires_grad else None
        found = graph.index.get(edge.node) if edge is not None and edge.output_nr == 0 else None
        if found is not None:
            log.grads[found] = grad
