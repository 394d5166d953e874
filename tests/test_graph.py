"""Graph and RunResult are plain data: JSON round trips keep every field, nan and inf included."""

from __future__ import annotations

import json
import math
import pickle
from array import array

from autodiff_viz.graph import (
    Edge,
    Graph,
    GraphNote,
    Node,
    Output,
    Packed,
    Stats,
    TensorValue,
    assemble,
)
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
        notes=(GraphNote("saved_skipped", 2000),),
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


def packed(shape: tuple[int, ...], numbers: list[float]) -> TensorValue:
    return TensorValue(shape, "float32", Packed("f", array("f", numbers).tobytes()))


def test_packed_data_reads_as_nested_lists_with_stats() -> None:
    value = packed((2, 3), [1.0, 2.0, 3.0, 4.0, 5.0, 9.0])
    assert value.data == [[1.0, 2.0, 3.0], [4.0, 5.0, 9.0]]
    assert value.stats == Stats(1.0, 4.0, 9.0)
    assert packed((), [2.5]).data == 2.5
    assert packed((1, 1, 2), [1.0, 2.0]).data == [[[1.0, 2.0]]]


def test_packed_value_equals_listed_value_and_survives_json_and_pickle() -> None:
    value = packed((2,), [0.5, -1.0])
    listed = TensorValue((2,), "float32", [0.5, -1.0])
    assert value == listed
    assert pickle.loads(pickle.dumps(packed((2,), [0.5, -1.0]))) == listed
    node = Node("n0", "leaf", "AccumulateGrad", value=packed((2,), [0.5, -1.0]))
    graph = Graph(nodes=(node,), edges=())
    assert Graph.from_json(graph.to_json()).node("n0").value == listed


def test_stats_left_out_come_from_the_data_given_ones_are_kept() -> None:
    assert TensorValue((), "float64", 2.0).stats == Stats(2.0, 2.0, 2.0)
    assert TensorValue((2,), "int64", [1, 2]).stats is None  # not floating
    assert TensorValue((0,), "float32", []).stats is None  # empty
    assert TensorValue((), "float32", 2.0, stats=None).stats is None
    given = Stats(0.0, 1.0, 2.0)
    assert TensorValue((3,), "float32", preview=(0.0,), stats=given).stats is given


def test_many_and_assemble_make_what_the_constructors_make() -> None:
    assert TensorValue.many((), "float32", [1.0, 2.0]) == [
        TensorValue((), "float32", 1.0),
        TensorValue((), "float32", 2.0),
    ]
    node = sample_graph().node("n1")
    assert assemble(Node, **{f: getattr(node, f) for f in Node.__dataclass_fields__}) == node
    edge = Edge("n1", "n0", 1, 0, grad=None, cut=True)
    assert assemble(Edge, **{f: getattr(edge, f) for f in Edge.__dataclass_fields__}) == edge
