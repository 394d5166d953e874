"""Module calls folded into one node: the folded graph, its DOT, the views, a captured model."""

from __future__ import annotations

import dataclasses
import html
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autodiff_viz.graph import Graph
from autodiff_viz.render.dot import DrawOptions, known_after, legend_dot, to_dot
from autodiff_viz.render.fold import FOLD_MODULES_ABOVE, fold_modules, should_fold
from tests.render.dotcheck import SVG, layout_cpu_seconds, node_classes, svg_of, texts
from tests.render.graphs import linear_mse, linear_mse_modules
from tests.render.test_injection import ALLOWED, ATTACKS
from tests.support.graphs import edge, leaf, mlp, op, rnn

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden" / "dot"


def _without_modules(graph: Graph) -> Graph:
    nodes = tuple(dataclasses.replace(n, module=None) for n in graph.nodes)
    return dataclasses.replace(graph, nodes=nodes)


def _check_redirected(graph: Graph) -> None:
    """Every edge between two calls (or a call and a node) is drawn; none dangles or loops."""
    folding = fold_modules(graph)
    folded = folding.graph
    ids = {n.id for n in folded.nodes}
    assert len(ids) == len(folded.nodes)
    assert all(e.src in ids and e.dst in ids and e.src != e.dst for e in folded.edges)
    pairs = {(e.src, e.dst) for e in folded.edges}
    for e in graph.edges:
        src, dst = folding.drawn_id(e.src), folding.drawn_id(e.dst)
        assert src == dst or (src, dst) in pairs, e
    # Each node is drawn exactly once: as itself or inside one fold.
    members = [m for f in folding.folds.values() for m in f.members]
    assert len(members) == len(set(members))
    assert len(folded.nodes) == len(graph.nodes) - len(members) + len(folding.folds)


@pytest.mark.parametrize(
    "graph",
    [mlp(40, modules=True), rnn(12, modules=True), linear_mse_modules()],
    ids=["mlp", "rnn", "linear"],
)
def test_folding_redirects_every_edge(graph: Graph) -> None:
    _check_redirected(graph)


def test_a_linear_call_folds_its_ops_and_parameters() -> None:
    folding = fold_modules(linear_mse_modules())
    (fold,) = folding.folds.values()
    assert fold.id == "n1_fold" and fold.output == "n1" and fold.label == "fc: Linear"
    assert fold.ops == (("n5", "TBackward0"), ("n1", "AddmmBackward0"))  # forward order
    assert fold.params == ("weight", "bias") and set(fold.members) == {"n1", "n3", "n5", "n6"}
    folded = folding.graph
    assert [(e.src, e.dst, e.cut) for e in folded.edges] == [
        ("n1_fold", "n0", False),
        ("n2", "n0", True),
        ("n4", "n1_fold", True),  # X still flows in, as a cut input
    ]
    assert folded.backward_order == ("n0", "n1_fold")
    assert folded.node("n1_fold").grad == linear_mse().node("n1").grad


def test_folded_dot_draws_the_call_as_one_box() -> None:
    dot = to_dot(linear_mse_modules(), DrawOptions(fold_modules=True))
    svg = svg_of(dot)
    classes = node_classes(svg)
    assert classes.keys() == {"n0", "n0_op", "n1_fold", "n2", "n4"}
    assert {"fold", "module"} <= classes["n1_fold"]
    shown = texts(svg)
    assert {"fc: Linear", "t · addmm", "weight, bias", "grad [[-1.4], [-2.4]]"} <= set(shown)
    assert "AddmmBackward0 (n1)" in dot and "TBackward0 (n5)" in dot  # tooltip lists the ops
    assert '"n4" -> "n1_fold"' in dot and '"n1_fold" -> "n0_op"' in dot


def test_auto_keeps_small_graphs_unchanged() -> None:
    small = linear_mse_modules()
    assert len(small.nodes) <= FOLD_MODULES_ABOVE and not should_fold(small, "auto")
    golden = (GOLDEN_DIR / "linear_mse.dot").read_text(encoding="utf-8")
    assert to_dot(small) == golden  # TBackward0 / AddmmBackward0 stay visible
    assert to_dot(small, DrawOptions(fold_modules=False)) == golden


def test_auto_folds_big_graphs_and_false_draws_every_op() -> None:
    big = mlp(200, modules=True)
    assert len(big.nodes) > FOLD_MODULES_ABOVE
    assert '"n4_fold"' in to_dot(big)
    assert to_dot(big, DrawOptions(fold_modules=False)) == to_dot(_without_modules(big))
    assert to_dot(_without_modules(big)) == to_dot(
        _without_modules(big), DrawOptions(fold_modules=True)
    )


def test_a_loop_of_calls_collapses_and_keeps_shared_weights_outside() -> None:
    graph = rnn(50, modules=True)
    folding = fold_modules(graph)
    assert len(folding.folds) == 50
    assert all(not {"n1", "n2"} & set(f.members) for f in folding.folds.values())
    dot = to_dot(graph)
    assert "× 48: RNNCell" in dot
    svg, seconds = layout_cpu_seconds(dot)
    classes = node_classes(svg)
    assert seconds < 2 and len(classes) < 30
    copies = {i for i, c in classes.items() if "copy" in c}
    assert copies and {i.split("_u")[0] for i in copies} == {"n1", "n2"}
    assert not any(i.endswith("_fold_u1") for i in classes)


def _net_around_fc() -> Graph:
    """net(x) runs x.view(1, 2), then its submodule net.fc (t, addmm), then relu; loss = sum."""
    net, fc = "net: Net", "net.fc: Linear"
    nodes = (
        op("n0", "SumBackward0", 0.5, 1.0, "loss", kind="output"),
        op("n1", "ReluBackward0", [[0.5]], [[1.0]], module=net),
        op("n2", "AddmmBackward0", [[0.5]], [[1.0]], module=fc),
        leaf("n3", "net.fc.bias", [0.1], [1.0], module=fc),
        op("n4", "ViewBackward0", [[1.0, 2.0]], [[0.5, -0.5]], module=net),
        leaf("n5", "x", [1.0, 2.0], [0.5, -0.5]),
        op("n6", "TBackward0", [[0.5], [-0.5]], [[1.0], [2.0]], module=fc),
        leaf("n7", "net.fc.weight", [[0.5, -0.5]], [[1.0, 2.0]], module=fc),
    )
    edges = (
        edge("n1", "n0"),
        edge("n2", "n1"),
        edge("n3", "n2"),
        edge("n4", "n2", input_nr=1),
        edge("n5", "n4"),
        edge("n6", "n2", input_nr=2),
        edge("n7", "n6"),
    )
    return Graph(nodes, edges, outputs=("n0",))


def test_a_call_around_its_submodule_stays_unfolded() -> None:
    # Folded, net would feed net.fc and be fed by it: a cycle. net.fc folds, net does not.
    graph = _net_around_fc()
    folding = fold_modules(graph)
    assert [f.label for f in folding.folds.values()] == ["net.fc: Linear"]
    _check_redirected(graph)
    classes = node_classes(svg_of(to_dot(graph, DrawOptions(fold_modules=True))))
    assert {"n2_fold", "n1_op", "n4_op"} <= classes.keys()


def test_a_call_fed_by_nothing_outside_is_never_copied() -> None:
    # model.0 reads only its own parameters: like a leaf, it has no producers once folded.
    graph = mlp(40, modules=True)
    graph = dataclasses.replace(graph, edges=(*graph.edges, edge("n4", "n13", input_nr=3)))
    classes = node_classes(svg_of(to_dot(graph, DrawOptions(fold_modules=True, split_shared=True))))
    assert "n4_fold" in classes and not any(i.startswith("n4_fold_") for i in classes)


def test_edges_from_one_node_into_a_call_merge_without_a_gradient() -> None:
    # x * x inside a call: two edges from x into the call become one, which of the two
    # gradients would it carry?
    graph = Graph(
        nodes=(
            dataclasses.replace(
                linear_mse().node("n1"), id="n0", kind="output", module="sq: Square"
            ),
            linear_mse().node("n3"),
        ),
        edges=(edge("n3", "n0", [1.0], input_nr=0), edge("n3", "n0", [2.0], input_nr=1)),
        outputs=("n0",),
    )
    plain = fold_modules(graph).graph
    assert [(e.src, e.dst, e.grad) for e in plain.edges] == [("n3", "n0_fold", None)]
    assert len(fold_modules(_without_modules(graph)).graph.edges) == 2  # elsewhere: kept


@pytest.mark.parametrize(
    "graph", [linear_mse_modules(), rnn(4, modules=True)], ids=["linear", "rnn"]
)
def test_backward_steps_light_up_a_call_once_its_output_is_known(graph: Graph) -> None:
    folding = fold_modules(graph)
    dots = []
    for k in range(len(graph.backward_order) + 1):
        dot = to_dot(graph, DrawOptions(view="backward", step=k, fold_modules=True, collapse=False))
        classes = node_classes(svg_of(dot))
        known = known_after(graph, k)
        for fold in folding.folds.values():
            if fold.id in classes:
                assert ("known" in classes[fold.id]) == (fold.output in known), (k, fold.id)
        ran = graph.backward_order[k - 1] if k else None
        current = {i for i, c in classes.items() if "current" in c}
        assert current == ({folding.drawn_id(ran)} if ran else set()) or (
            ran and current == {f"{ran}_op", ran}
        )
        if ran:
            assert f"ran {graph.node(ran).op}" in dot
        dots.append(dot)
    assert len(set(dots)) == len(dots)


def test_the_bound_counts_the_captured_nodes() -> None:
    graph = mlp(2_000, modules=True)  # 400 calls of Linear (4 nodes) and ReLU (1 node)
    dot = to_dot(graph, DrawOptions(max_nodes=20, collapse=False))
    # 19 units drawn above the sum: 10 ReLU calls, 9 Linear calls of 4 nodes, the output.
    assert "showing 47 of 2,001 nodes" in dot
    assert len(node_classes(svg_of(dot))) < 40


def test_focus_on_a_folded_node_outlines_its_call() -> None:
    classes = node_classes(
        svg_of(to_dot(linear_mse_modules(), DrawOptions(focus="n5", fold_modules=True)))
    )
    assert "focus" in classes["n1_fold"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_module_labels_stay_text(attack: str) -> None:
    graph = linear_mse_modules()
    label = f"fc: {attack}"
    evil = tuple(dataclasses.replace(n, module=label) if n.module else n for n in graph.nodes)
    svg = svg_of(to_dot(dataclasses.replace(graph, nodes=evil), DrawOptions(fold_modules=True)))
    root = ET.fromstring(svg)
    assert {el.tag.removeprefix(SVG) for el in root.iter()} <= ALLOWED
    assert not any(name.startswith("on") for el in root.iter() for name in el.attrib)
    assert node_classes(svg).keys() == {"n0", "n0_op", "n1_fold", "n2", "n4"}
    fold = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "n1_fold")
    shown = "".join(fold.find(f".//{SVG}text").itertext())  # type: ignore[union-attr]
    one_line = "".join(c for c in label.replace("\r\n", " ").replace("\n", " ") if c != "\t")
    expected = one_line if len(one_line) <= 40 else one_line[:39] + "…"
    assert shown in (expected, html.unescape(expected))


def test_legend_explains_the_fold_box() -> None:
    assert "module call (nn.Module), its ops folded in" in texts(svg_of(legend_dot()))


def test_10000_nodes_of_module_calls_fold_into_one_box() -> None:
    # how fast: benchmarks/bench_render.py (to_dot and the dot layout of this graph)
    dot = to_dot(mlp(10_000, modules=True))
    assert "× 1997: ReLU → Linear" in dot
    assert len(node_classes(svg_of(dot))) < 40


SEQUENTIAL = """\
import torch
from torch import nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
loss_fn = nn.MSELoss()
x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
target = torch.tensor([[1.0], [0.0]])
loss = loss_fn(model(x), target)
loss.backward()
"""


def test_a_captured_sequential_model_folds_into_its_layers() -> None:
    from autodiff_viz.sandbox.execute import execute

    result = execute(SEQUENTIAL)
    assert result.error is None, result.error
    graph = result.graphs[-1]
    if all(n.module is None for n in graph.nodes):
        pytest.skip("capture does not record modules yet")
    folding = fold_modules(graph)
    labels = sorted(f.label for f in folding.folds.values())
    assert labels == ["loss_fn: MSELoss", "model.0: Linear", "model.1: ReLU", "model.2: Linear"]
    _check_redirected(graph)
    linear = next(f for f in folding.folds.values() if f.label == "model.0: Linear")
    assert linear.params == ("weight", "bias")
    assert [op for _, op in linear.ops] == ["TBackward0", "AddmmBackward0"]
    shown = texts(svg_of(to_dot(graph, DrawOptions(fold_modules=True))))
    assert {"model.0: Linear", "t · addmm", "model.1: ReLU"} <= set(shown)
    unfolded = texts(svg_of(to_dot(graph)))  # "auto": this small graph keeps its ops
    assert "addmm" in unfolded and "model.0: Linear" not in unfolded
