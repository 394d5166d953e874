"""Every gradient of the example programs is explained by its rules and equals PyTorch's."""

from __future__ import annotations

import math

import pytest
import torch

from autodiff_viz.chain import explain, op_terms
from autodiff_viz.graph import Graph
from tests.capture.programs import run
from tests.explain.programs import PROGRAMS


def graphs_of(source: str) -> list[Graph]:
    rec, _ = run(source)
    return rec.graphs


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_every_gradient_is_explained_and_agrees(name: str) -> None:
    graphs = graphs_of(PROGRAMS[name])
    assert graphs
    checked = 0
    for graph in graphs:
        for node in graph.nodes:
            if node.grad is None or node.kind == "cut":
                continue
            why = explain(graph, node.id)
            bad = [(t.op, t.slot, t.status, t.missing) for t in why.terms if t.status != "rule"]
            assert why.agrees, (name, node.id, node.op, why.total, why.pytorch, bad)
            checked += 1
    assert checked


def _flat(x: object) -> list[float]:
    return [float(v) for v in torch.tensor(x).reshape(-1).tolist()]


@pytest.mark.parametrize("name", ["micrograd", "scalar_mix", "retain_nonleaf"])
def test_scalar_terms_are_upstream_times_local(name: str) -> None:
    for graph in graphs_of(PROGRAMS[name]):
        for node in graph.nodes:
            for term in explain(graph, node.id).terms:
                if term.status != "rule":
                    continue
                assert isinstance(term.upstream, float) and isinstance(term.local, float)
                assert math.isclose(term.value, term.upstream * term.local, rel_tol=1e-12)  # type: ignore[arg-type]


def test_two_x_t_x_is_two_terms_of_two_x() -> None:
    (graph,) = graphs_of(PROGRAMS["two_x_t_x"])
    why = explain(graph, graph.named("x").id)
    assert [t.op for t in why.terms] == ["DotBackward0", "DotBackward0"]
    assert [t.value for t in why.terms] == [[0.0, 2.0, 4.0, 6.0]] * 2
    assert why.total == [0.0, 4.0, 8.0, 12.0] and why.agrees
    assert "accumulate" in why.notes


def test_detached_input_gets_no_term_and_says_why() -> None:
    (graph,) = graphs_of(PROGRAMS["shared_detach"])
    cut = next(n for n in graph.nodes if n.kind == "cut")
    why = explain(graph, cut.id)
    assert why.kind == "cut" and not why.terms and why.notes == ("cut.detached",)
    x = explain(graph, graph.named("x").id)
    # x is used by x*x (twice: both slots) and by u*x: three terms, u's is u itself.
    assert sorted(t.op for t in x.terms) == ["MulBackward0"] * 3
    assert x.agrees


def test_seed_is_the_gradient_argument() -> None:
    (graph,) = graphs_of(PROGRAMS["vjp"])
    why = explain(graph, graph.outputs[0])
    assert why.kind == "seed" and why.total == [1.0, 0.5, -1.0] and why.agrees


def test_second_pass_shows_what_grad_held_before() -> None:
    __first, second = graphs_of(PROGRAMS["accumulate_twice"])
    why = explain(second, second.named("x").id)
    assert why.total == [2.0, 4.0] and why.agrees
    assert why.before == [3.0, 3.0]


def test_nan_says_where_it_arose() -> None:
    (graph,) = graphs_of(
        "x = torch.tensor([0.0, 1.0], requires_grad=True)\ny = x.sqrt().sum()\ny.backward()\n"
    )
    why = explain(graph, graph.named("x").id)
    (term,) = why.terms
    assert term.nonfinite == "local" and math.isinf(term.value[0])  # type: ignore[index]
    assert "nonfinite" in why.notes and why.agrees


def test_zero_size_tensors() -> None:
    (graph,) = graphs_of(
        "x = torch.ones(0, 3, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
    )
    why = explain(graph, graph.named("x").id)
    assert why.agrees and why.terms[0].shape == (0, 3)


def test_in_place_on_a_view_is_explained_through_copy_slices() -> None:
    source = (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "y = x * 2\n"
        "v = y[0:2]\n"
        "v.mul_(3)\n"
        "z = (y * y).sum()\n"
        "z.backward()\n"
    )
    (graph,) = graphs_of(source)
    below = next(n for n in graph.nodes if n.op == "MulBackward0" and n.name != "z")
    why = explain(graph, below.id)
    (term,) = why.terms
    assert (term.op, term.status) == ("CopySlices", "rule")
    # The two entries multiplied in place get the gradient times 3; the third keeps it.
    assert term.local == [3.0, 3.0, 1.0]
    assert why.agrees and why.total == [36.0, 72.0, 12.0]
    assert "x[i] op= v" in term.rule
    assert explain(graph, graph.named("x").id).agrees


def test_assigning_into_a_slice_gives_the_old_entries_no_gradient() -> None:
    source = (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "v = torch.tensor(5.0, requires_grad=True)\n"
        "y = x * 1\n"
        "y[1] = v\n"
        "(y * y).sum().backward()\n"
    )
    (graph,) = graphs_of(source)
    copy = next(n for n in graph.nodes if n.op == "CopySlices")
    terms = {e.input_nr: t for e, t in op_terms(graph, copy.id)}
    assert terms[0].local == [1.0, 0.0, 1.0] and terms[0].value == [2.0, 0.0, 6.0]
    assert terms[1].value == 10.0  # the written value gets its place's gradient, 2·5
    assert explain(graph, graph.named("v").id).agrees


def test_public_explain_needs_no_torch() -> None:
    import subprocess
    import sys

    code = (
        "import sys, autodiff_viz as adv\n"
        "from autodiff_viz.chain import explain\n"
        "assert adv.explain is explain\n"
        "assert 'torch' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


CUSTOM = (
    "class Square(torch.autograd.Function):\n"
    "    @staticmethod\n"
    "    def forward(ctx, x):\n"
    "        ctx.save_for_backward(x)\n"
    "        return x * x\n"
    "    @staticmethod\n"
    "    def backward(ctx, g):\n"
    "        (x,) = ctx.saved_tensors\n"
    "        return 2 * x * g\n"
    "x = torch.tensor(3.0, requires_grad=True)\n"
    "y = Square.apply(x) + x\n"
    "y.backward()\n"
)


def test_a_custom_function_term_is_what_its_own_backward_returned() -> None:
    (graph,) = graphs_of(CUSTOM)
    why = explain(graph, graph.named("x").id)
    terms = {t.op: t for t in why.terms}
    square = terms["SquareBackward"]
    assert square.status == "custom" and square.value == 6.0 == square.pytorch  # 2·x·g
    assert square.rule.splitlines()[-1] == "    return 2 * x * g" and square.local is None
    assert terms["AddBackward0"].status == "rule" and terms["AddBackward0"].value == 1.0
    assert why.agrees and why.total == 7.0 == why.pytorch
    node = next(n for n in graph.nodes if n.op == "SquareBackward")
    assert explain(graph, node.id).agrees


def test_ten_thousand_node_graph_is_explained_per_node() -> None:
    source = (
        "x = torch.tensor(0.5, requires_grad=True)\n"
        "y = x\n"
        "for _ in range(9_999):\n"
        "    y = y * 1.001\n"
        "y.backward()\n"
    )
    (graph,) = graphs_of(source)
    assert len(graph.nodes) > 10_000  # with the constants' cut nodes
    x = explain(graph, graph.named("x").id)
    assert x.agrees and math.isclose(x.total, 1.001**9_999, rel_tol=1e-3)  # type: ignore[arg-type]
    middle = graph.nodes[len(graph.nodes) // 2]
    assert explain(graph, middle.id).agrees


def test_big_graphs_keep_no_saved_tensors_and_the_rule_says_so() -> None:
    source = (
        "x = torch.tensor([1.0, -2.0], requires_grad=True)\n"
        "y = x\n"
        "for _ in range(2_100):\n"
        "    y = y * 1.0\n"
        "z = torch.where(y > 0, y, 2 * y).sum()\n"
        "z.backward()\n"
    )
    (graph,) = graphs_of(source)
    where = next(n for n in graph.nodes if n.op == "WhereBackward0")
    why = explain(graph, graph.inputs_of(where.id)[0].src)
    statuses = {(t.op, t.status, t.missing, t.budget) for t in why.terms}
    assert statuses == {
        ("WhereBackward0", "missing", "condition", 2_000),
        ("MulBackward0", "rule", None, None),
    }
    assert not why.agrees and why.pytorch is not None  # PyTorch's value is still shown
    from autodiff_viz.chain.text import node_lines

    for lang in ("en", "zh"):
        text = "\n".join(node_lines(graph, graph.inputs_of(where.id)[0].src, lang).lines)
        assert "2,000" in text and "condition" in text


def test_matrix_rules_show_their_shapes_and_gallery_words() -> None:
    from autodiff_viz.chain.text import node_lines

    (graph,) = graphs_of(PROGRAMS["linear_mse"])
    bias = graph.named("layer.bias")
    lines = node_lines(graph, bias.id, "en")
    assert lines.verdict == "agrees"
    assert "Y = b + X·W: ∂L/∂b = Σ_rows ∂L/∂Y  (n4, AddmmBackward0)" in lines.lines[0]
    assert lines.lines[1].strip() == "shapes: ∂L/∂out [2, 1]; inputs [1], [2, 3], [3, 1]"


@pytest.mark.parametrize("name", ["shapes", "losses", "softmax_ce"])
def test_explanations_survive_the_json_the_worker_sends(name: str) -> None:
    from autodiff_viz.graph import Graph

    for graph in graphs_of(PROGRAMS[name]):
        decoded = Graph.from_json(graph.to_json())
        for node in graph.nodes:
            if node.grad is not None and node.kind != "cut":
                assert explain(decoded, node.id) == explain(graph, node.id)
