"""Graph and RunResult are plain data: JSON round trips keep every field, nan and inf included."""

from __future__ import annotations

import json
import math

from autodiff_viz.graph import Edge, Graph, Node, Output, Stats, TensorValue
from autodiff_viz.result import RunError, RunResult, Variable


def sample_graph() -> Graph:
    x = TensorValue((), "float32", 0.0, stats=Stats(0.0, 0.0, 0.0))
    y = TensorValue((2,), "float32", [math.nan, math.inf], stats=Stats(0.0, 0.0, 0.0, nan=1, inf=1))
    return Graph(
        nodes=(
            Node(
                "n0",
                "output",
                "UnbindBackward0",
                name="y",
                value=y,
                grad=x,
                line=3,
                source="y = x.unbind()",
                more_outputs=(Output(1, x, x, "y1"),),
            ),
            Node(
                "n1",
                "leaf",
                "AccumulateGrad",
                name="x",
                value=x,
                grad=x,
                requires_grad=True,
                is_leaf=True,
                saved=(("self", x),),
            ),
            Node("n2", "cut", None, name="a", value=x, cut_reason="detached"),
        ),
        edges=(Edge("n1", "n0", 0, 0, grad=y), Edge("n2", "n0", 1, cut=True)),
        outputs=("n0",),
        backward_order=("n0", "n1"),
        call="autograd.grad",
        line=4,
        create_graph=True,
        second_order=True,
        notes=("a note",),
    )


def test_graph_json_round_trip_keeps_everything() -> None:
    graph = sample_graph()
    text = graph.to_json()
    json.loads(text)  # strict JSON: nan and inf are written as strings
    back = Graph.from_json(text)
    assert back.to_json() == text
    assert back.edges == graph.edges
    assert back.node("n2") == graph.node("n2")
    data = back.node("n0").value.data  # type: ignore[union-attr]
    assert math.isnan(data[0]) and data[1] == math.inf


def test_graph_lookups() -> None:
    graph = sample_graph()
    assert graph.node("n1").name == "x"
    assert graph.named("a").id == "n2"
    assert [e.src for e in graph.inputs_of("n0")] == ["n1", "n2"]


def test_run_result_round_trip() -> None:
    result = RunResult(
        stdout="tensor(-2.)\n你好\n",
        error=RunError("runtime", "bad", line=3, message_zh="坏", exc_type="RuntimeError"),
        graphs=(sample_graph(),),
        graph_lines=(4,),
        graphs_dropped=2,
        variables=(Variable("x", "Tensor", TensorValue((), "float32", -2.0), "tensor(-2.)"),),
        warnings=("UserWarning: careful",),
        elapsed_ms=1.5,
    )
    back = RunResult.from_json(result.to_json())
    assert back.to_json() == result.to_json()
    assert back.variable("x").text == "tensor(-2.)"
    assert not back.ok
