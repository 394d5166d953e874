"""Awkward graphs draw, readably: one node, long / Chinese / markup names, nan and inf, empty,
int and bool tensors — through the real ``dot``, with no warning, and the step script and the
inspector's details for each."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from autodiff_viz.graph import Graph, TensorValue
from autodiff_viz.render.details import node_details
from autodiff_viz.render.dot import DrawOptions, to_dot
from autodiff_viz.render.steps import step_script
from tests.render.dotcheck import edge_labels_over_nodes, svg_of, texts
from tests.support.graphs import edge, leaf, op, tv


def _pair(name: str, value: Any, dtype: str = "float32") -> Graph:
    """``out = sum(<name>)``: a leaf of ``value`` (floats with a grad) feeding a sum."""
    floating = dtype == "float32"
    tensor = leaf("n1", name, 0.0, None)
    made = tv(value, dtype) if value else TensorValue(shape=(0,), dtype=dtype, data=[])
    tensor = dataclasses.replace(tensor, value=made, grad=made if floating else None)
    nodes = (op("n0", "SumBackward0", 1.0, 1.0, "out", kind="output"), tensor)
    edges = (edge("n1", "n0", value if floating and value else None),)
    return Graph(nodes, edges, outputs=("n0",), backward_order=("n0", "n1"))


CASES = {
    "one node": lambda: Graph(
        (leaf("n0", "w", 1.0, 1.0),), (), outputs=("n0",), backward_order=("n0",)
    ),
    "200-character name": lambda: _pair("w" * 200, [1.0, 2.0]),
    "Chinese name": lambda: _pair("权重_矩阵", [[1.0, 2.0], [3.0, 4.0]]),
    "markup name": lambda: _pair('<b>&"x"</b>\\N', [1.0]),
    "nan and inf": lambda: _pair("bad", [math.nan, math.inf, -math.inf] + [0.5] * 40),
    "empty": lambda: _pair("empty", []),
    "int": lambda: _pair("idx", list(range(50)), "int64"),
    "bool": lambda: _pair("mask", [True, False] * 20, "bool"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_awkward_graph_draws_with_its_steps_and_details(name: str) -> None:
    graph = CASES[name]()
    for theme in ("light", "dark"):
        svg = svg_of(to_dot(graph, DrawOptions(theme=theme, rankdir="TB")))  # type: ignore[arg-type]
        assert edge_labels_over_nodes(svg) == []
        shown = texts(svg)
        assert shown and all(len(t) <= 40 for t in shown), max(shown, key=len)
    script = step_script(graph)
    assert script.total == len(graph.backward_order)
    details = node_details(graph)
    assert set(details) == {n.id for n in graph.nodes}
