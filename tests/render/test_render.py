"""to_dot on hand-built graphs: golden files, real `dot` layouts, views, big graphs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autodiff_viz.render.condense import EXPANDED_MAX_NODES
from autodiff_viz.render.dot import DrawOptions, known_after, legend_dot, op_label, role_of, to_dot
from tests.render.dotcheck import (
    edge_labels_over_nodes,
    layout_cpu_seconds,
    node_classes,
    svg_of,
    texts,
)
from tests.render.graphs import GOLDEN, cut_graph, linear_mse, scalar_tutorial
from tests.support.graphs import chain, double_backward, rnn

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "golden" / "dot"


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_dot(name: str, update_golden: bool) -> None:
    dot = to_dot(GOLDEN[name]())
    path = GOLDEN_DIR / f"{name}.dot"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dot, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}: run pytest --update-golden"
    assert dot == path.read_text(encoding="utf-8"), f"{name}: DOT changed; review, --update-golden"
    assert to_dot(GOLDEN[name]()) == dot  # stable: same graph, same text


@pytest.mark.parametrize("name", sorted(GOLDEN))
@pytest.mark.parametrize(
    ("view", "theme"), [("full", "light"), ("forward", "dark"), ("backward", "light")]
)
def test_every_view_lays_out_with_dot(name: str, view: str, theme: str) -> None:
    dot = to_dot(GOLDEN[name](), DrawOptions(view=view, theme=theme, step=1))  # type: ignore[arg-type]
    svg, seconds = layout_cpu_seconds(dot)
    assert seconds < 2  # the goal is < 1 s
    assert node_classes(svg)


def test_scalar_tutorial_shows_micrograd_records_and_readable_ops() -> None:
    shown = texts(svg_of(to_dot(scalar_tutorial())))
    assert {"x", "data 0.0", "grad -2.0"} <= set(shown)  # dy/dx = 2ax + b = -2 at x = 0
    assert {"y", "data 1.0", "grad 1.0"} <= set(shown)
    assert {"pow", "mul", "add"} <= set(shown)
    assert not any("Backward" in t for t in shown)  # class names live in tooltips only
    dot = to_dot(scalar_tutorial())
    assert 'tooltip="PowBackward0 (n6)' in dot
    assert "✂ constant" in dot and "no grad" in dot


def test_roles_differ_in_colour_and_shape() -> None:
    classes = node_classes(svg_of(to_dot(cut_graph())))
    assert "leaf" in classes["n4"] and "output" in classes["n0"] and "cut" in classes["n3"]
    dot = to_dot(linear_mse())
    lines = {
        role: next(line for line in dot.splitlines() if f'class="tensor {role}' in line)
        for role in ("leaf", "output", "cut", "intermediate")
    }
    outline = {r: _attr(line, "style") + _attr(line, "peripheries") for r, line in lines.items()}
    colour = {r: _attr(line, "color") + _attr(line, "fillcolor") for r, line in lines.items()}
    assert len(set(outline.values())) == 4  # the outline differs, not only the colour
    assert len(set(colour.values())) == 4


def _attr(line: str, name: str) -> str:
    match = re.search(rf'[ \[]{name}=("[^"]*"|[^,\]]*)', line)
    assert match, (name, line)
    return match.group(1)


def test_forward_view_has_no_grads() -> None:
    shown = texts(svg_of(to_dot(scalar_tutorial(), DrawOptions(view="forward"))))
    assert "data 0.0" in shown
    assert not any(t.startswith("grad") for t in shown)
    assert not any(t in {"-2.0"} for t in shown)  # no edge gradients either


def test_every_backward_step_differs_and_highlights_what_is_known() -> None:
    graph = linear_mse()
    dots = []
    for k in range(len(graph.backward_order) + 1):
        dot = to_dot(graph, DrawOptions(view="backward", step=k))
        classes = node_classes(svg_of(dot))
        known = {i for i, c in classes.items() if "known" in c}
        expected = {i for g in graph.backward_order[:k] for i in (g, f"{g}_op") if i in classes}
        assert known == expected, k
        current = {i for i, c in classes.items() if "current" in c}
        assert current == (
            {i for i in classes if i.split("_")[0] == graph.backward_order[k - 1]} if k else set()
        )
        dots.append(dot)
    assert len(set(dots)) == len(dots)
    assert "grad ?" in " ".join(texts(svg_of(dots[0])))
    assert "backward step 0 of 5" in dots[0] and "ran AddmmBackward0" in dots[2]


def test_leaf_missing_from_the_order_is_known_once_its_consumers_ran() -> None:
    graph = scalar_tutorial()
    short = graph.__class__(graph.nodes, graph.edges, graph.outputs, graph.backward_order[:-1])
    assert "n8" not in known_after(short, 4)
    assert "n8" in known_after(short, 5)


def test_multi_output_and_second_order_are_drawn() -> None:
    multi = svg_of(to_dot(GOLDEN["multi_output"]()))
    assert {"n2", "n2_o1"} <= node_classes(multi).keys()
    assert {"a", "b", "unbind"} <= set(texts(multi))
    second = to_dot(GOLDEN["second_order"]())
    assert "second-order graph" in second
    assert 'class="op op2"' in second and "shape=octagon" in second


def test_shared_leaf_is_drawn_once_per_use_in_big_graphs() -> None:
    classes = node_classes(svg_of(to_dot(rnn(50))))
    copies = [i for i, c in classes.items() if "copy" in c]
    assert copies and all(i.split("_u")[0] in {"n1", "n2"} for i in copies)
    assert "n1" not in classes  # never one W node with 50 long edges
    small = node_classes(svg_of(to_dot(scalar_tutorial())))
    assert not any("copy" in c for c in small.values())  # small graphs: x once, fan-out shown


def test_loop_iterations_collapse_into_a_group() -> None:
    dot = to_dot(rnn(50))
    assert "× 48: mv → add → tanh" in dot
    classes = node_classes(svg_of(dot))
    assert len(classes) < 60


def test_big_graph_is_bounded_with_a_note_and_expands() -> None:
    graph = chain(10_000)
    dot = to_dot(graph, DrawOptions(collapse=False))
    assert "showing 150 of 10,000 nodes" in dot
    assert len(node_classes(svg_of(dot))) < 400
    more = to_dot(graph, DrawOptions(collapse=False, expand=True))
    assert f"showing {EXPANDED_MAX_NODES:,} of 10,000 nodes" in more
    # What dot lays out is bounded too: each graph node draws at most an op box, a tensor record
    # and a copy of a shared leaf (the layout's time: benchmarks/bench_render.py).
    assert len(node_classes(svg_of(more))) < 3 * EXPANDED_MAX_NODES


def test_edges_between_two_groups_are_drawn_once() -> None:
    # Double backward: every collapsed forward step feeds the collapsed backward chain.
    dot = to_dot(double_backward(300))
    assert "× 97: sin" in dot and "× 97: mul" in dot
    assert dot.count('"g0" -> "g1"') == 1


def test_focus_centres_the_bound_and_outlines_the_node() -> None:
    graph = chain(2_000)
    dot = to_dot(graph, DrawOptions(focus="n1000", max_nodes=20, collapse=False))
    classes = node_classes(svg_of(dot))
    assert "focus" in classes["n1000_op"]
    assert "n0_op" not in classes  # far from the focus


@pytest.mark.parametrize(
    ("op", "label"),
    [
        ("MulBackward0", "mul"),
        ("PowBackward1", "pow"),
        ("AddmmBackward0", "addmm"),
        ("MseLossBackward0", "mse_loss"),
        ("torch::autograd::CopySlices", "copy_slices"),
        ("AccumulateGrad", None),
        (None, None),
    ],
)
def test_op_label(op: str | None, label: str | None) -> None:
    assert op_label(op) == label


def test_roles() -> None:
    graph = cut_graph()
    assert [role_of(n, graph.outputs) for n in graph.nodes] == [
        "output",
        "intermediate",
        "cut",
        "cut",
        "leaf",
        "intermediate",
        "cut",
    ]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_legend_lays_out(theme: str) -> None:
    shown = texts(svg_of(legend_dot(theme)))  # type: ignore[arg-type]
    assert "leaf (requires grad)" in shown and "output" in shown


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_edge_labels_never_cover_node_text(name: str) -> None:
    for rankdir in ("LR", "TB"):
        svg = svg_of(to_dot(GOLDEN[name](), DrawOptions(rankdir=rankdir)))  # type: ignore[arg-type]
        assert edge_labels_over_nodes(svg) == [], rankdir


def test_the_overlap_check_sees_a_label_drawn_over_node_text() -> None:
    root = ET.fromstring(
        svg_of('digraph { a [shape=box, label="node text"]; a -> b [label="x"]; }')
    )
    ns = "{http://www.w3.org/2000/svg}"
    groups = list(root.iter(f"{ns}g"))
    node_text = next(t for g in groups if g.get("id") == "node1" for t in g.iter(f"{ns}text"))
    label = next(t for g in groups if "edge" in g.get("class", "") for t in g.iter(f"{ns}text"))
    assert edge_labels_over_nodes(ET.tostring(root, encoding="unicode")) == []
    label.set("x", node_text.get("x", "0"))  # move the label onto the node's text
    label.set("y", node_text.get("y", "0"))
    assert edge_labels_over_nodes(ET.tostring(root, encoding="unicode")) == [("x", "node1")]
