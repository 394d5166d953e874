"""Every gallery program (the tutorials' examples and the classics): every gradient explained.

Each program runs through ``run_program`` as the explorer runs it; every node that
received a gradient must have an explanation whose terms come from rules (or, for a
user's ``autograd.Function``, from its own backward) and whose sum equals PyTorch's
gradient. ``EXCEPTIONS`` would list, with the reason, any node that may not (none today).
"""

from __future__ import annotations

import pytest

from autodiff_viz.chain import explain
from autodiff_viz.explorer.examples import EXAMPLES
from autodiff_viz.sandbox import run_program

#: (example, op) pairs allowed not to agree, each with its reason. Empty: all agree.
EXCEPTIONS: dict[tuple[str, str], str] = {}


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_every_gradient_of_the_gallery_is_explained(key: str) -> None:
    result = run_program(EXAMPLES[key].text("en"), isolated=False)
    assert result.error is None, result.error
    checked = 0
    for graph in result.graphs:
        for node in graph.nodes:
            if node.grad is None or node.kind == "cut":
                continue
            why = explain(graph, node.id)
            if (key, node.op or "") in EXCEPTIONS:
                continue
            statuses = [(t.op, t.status, t.missing) for t in why.terms if t.status != "rule"]
            assert why.agrees, (key, node.id, node.op, statuses)
            # A user's autograd.Function is explained by its own backward's code.
            assert all(t.status in ("rule", "seed", "custom") for t in why.terms)
            checked += 1
    assert checked or not result.graphs
