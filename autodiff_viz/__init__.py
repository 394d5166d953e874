"""autodiff_viz: see PyTorch autograd at work.

The package works on its own, in a notebook too::

    import torch
    import autodiff_viz as adv

    result = adv.run_program("x = torch.tensor(2.0, requires_grad=True)\\ny = x**3\\ny.backward()")
    graph = result.graphs[0]          # pure data: nodes with values and grads
    dot = adv.to_dot(graph)           # DOT text, for graphviz

    with adv.capture() as rec:        # or capture your own plain PyTorch code
        y = x * x
        y.backward()
    rec.graphs[-1]

    why = adv.explain(graph, graph.named("x").id)  # the chain rule, term by term
    why.terms, why.total, why.agrees  # each use's share, their sum, == PyTorch's grad?

Importing the package is cheap: torch is imported only by the parts that run
PyTorch (``run_program`` in-process, ``capture``), so the Streamlit server can
use the pure parts (Graph, to_dot, figures) without it.
"""

from __future__ import annotations

import importlib
from typing import Any

from autodiff_viz.graph import Edge, Graph, Node, TensorValue
from autodiff_viz.result import RunError, RunResult, Variable

__all__ = [
    "Edge",
    "Graph",
    "Node",
    "RunError",
    "RunResult",
    "TensorValue",
    "Variable",
    "capture",
    "explain",
    "graph_of",
    "run_program",
    "to_dot",
]

# Public names that live in modules importing torch (or the renderer): loaded on first use.
_LAZY = {
    "run_program": "autodiff_viz.sandbox",
    "capture": "autodiff_viz.capture",
    "graph_of": "autodiff_viz.capture",
    "to_dot": "autodiff_viz.render.dot",
    "explain": "autodiff_viz.chain",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'autodiff_viz' has no attribute {name!r}")
