"""Capture beyond the tutorials: in-place ops, views, several outputs, the notebook API."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

import pytest
import torch

import autodiff_viz.capture as adv
from autodiff_viz.capture import GraphTooLarge, Recorder, graph_of, passes
from autodiff_viz.capture.build import PassLog
from autodiff_viz.capture.passes import SAVED_TENSORS_MAX_NODES
from autodiff_viz.graph import GraphNote
from tests.capture.programs import data, grad, ops, run


def test_in_place_and_view_values_are_taken_when_the_op_ran() -> None:
    rec, ns = run(
        "t = torch.ones(3, requires_grad=True)\n"
        "u = t * 2\n"
        "u.add_(1)\n"
        "v = u[1:]\n"
        "v.mul_(3)\n"
        "u.sum().backward()\n"
    )
    graph = rec.graphs[0]
    by_op = {n.op: n for n in graph.nodes}
    assert data(by_op["MulBackward0"]) == [2.0, 2.0, 2.0]  # before add_ changed u
    assert data(by_op["AddBackward0"]) == [3.0, 3.0, 3.0]  # before mul_ on the view
    assert data(by_op["CopySlices"]) == [3.0, 9.0, 9.0]
    assert grad(graph.named("t")) == [2.0, 6.0, 6.0] == ns["t"].grad.tolist()


def test_unbind_split_and_max_have_outputs_by_number() -> None:
    rec, ns = run(
        "x = torch.tensor([1.0, 5.0, 3.0], requires_grad=True)\n"
        "a, b, c = x.unbind()\n"
        "p, q = x.split([1, 2])\n"
        "m, i = x.max(0)\n"
        "(a * 10 + c + q.sum() * 100 + m * 1000).backward()\n"
    )
    graph = rec.graphs[0]
    unbind = next(n for n in graph.nodes if n.op == "UnbindBackward0")
    assert (unbind.name, data(unbind), grad(unbind)) == ("a", 1.0, 10.0)
    assert [(o.output_nr, o.value.data, o.grad and o.grad.data) for o in unbind.more_outputs] == [
        (1, 5.0, None),  # b took no part in the loss
        (2, 3.0, 1.0),
    ]
    split = next(n for n in graph.nodes if n.op == "SplitWithSizesBackward0")
    assert split.more_outputs[0].name == "q" and split.more_outputs[0].value.data == [5.0, 3.0]
    edges = {(e.src, e.output_nr) for e in graph.edges if e.src in (unbind.id, split.id)}
    assert edges == {(unbind.id, 0), (unbind.id, 2), (split.id, 1)}
    assert data(graph.named("m")) == 5.0
    assert grad(graph.named("x")) == ns["x"].grad.tolist() == [10.0, 1100.0, 101.0]


def test_hooks_are_removed_and_grads_match_an_uncaptured_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def program() -> tuple[torch.Tensor, torch.Tensor]:
        torch.manual_seed(1)
        w = torch.randn(3, 3, requires_grad=True)
        h = torch.tanh(torch.ones(2, 3) @ w)
        return w, (h * h).sum()

    logs: list[PassLog] = []

    hook = passes._hook

    def spy(i: int, log: PassLog) -> Callable[[Any, Any], None]:
        logs.append(log)
        return hook(i, log)

    monkeypatch.setattr(passes, "_hook", spy)

    w_plain, loss_plain = program()
    loss_plain.backward()
    with Recorder() as rec:
        w, loss = program()
        loss.backward(retain_graph=True)
    fired = len(logs[0].fired)
    assert fired == len(rec.graphs[0].backward_order) > 0
    torch.testing.assert_close(w.grad, w_plain.grad)
    loss.backward()  # a plain pass over the same graph: no capture hook is left to fire
    assert len(logs[0].fired) == fired
    torch.testing.assert_close(w.grad, 2 * w_plain.grad)


def test_ten_thousand_node_chain_has_no_recursion_limit() -> None:
    with Recorder(names=dict, line=lambda: None) as rec:
        x = torch.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(10_000):
            y = y * 1.0001
        y.backward()
    graph = rec.graphs[0]
    assert ops(graph).count("MulBackward0") == 10_000
    assert len(graph.backward_order) == 10_001
    assert grad(graph.nodes[0]) == pytest.approx(1.0001**10_000, rel=1e-3)
    assert data(graph.node(graph.outputs[0])) == pytest.approx(y.item())
    assert graph.notes == (GraphNote("saved_skipped", SAVED_TENSORS_MAX_NODES),)


def test_graph_too_large_stops_before_running_backward() -> None:
    with Recorder(max_nodes=50, names=dict, line=lambda: None) as rec:
        x = torch.tensor(1.0, requires_grad=True)
        y = x
        for _ in range(60):
            y = y + 1
        with pytest.raises(GraphTooLarge, match="more than 50 nodes"):
            y.backward()
    assert x.grad is None and rec.graphs == []


def test_notebook_capture_names_and_lines_come_from_the_caller() -> None:
    x = torch.tensor(2.0, requires_grad=True)
    with adv.capture() as rec:
        y = 3 * x**2 + x
        y.backward()
    graph = rec.graphs[-1]
    assert data(graph.named("y")) == 14.0 and grad(graph.named("x")) == 13.0
    assert graph.named("y").source == "y = 3 * x**2 + x"
    three = next(n for n in graph.nodes if n.kind == "cut")
    assert (three.cut_reason, data(three)) == ("constant", 3)


def test_graph_of_runs_one_pass_and_says_what_it_cannot_know() -> None:
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    graph = graph_of(y)
    assert graph.named("x").grad.data == [2.0, 4.0] and graph.named("x").value.data == [1.0, 2.0]
    assert graph.named("y").value is None and graph.named("y").grad.data == 1.0
    # the two ops (mul, sum) ran before capture; the leaf is known
    assert graph.notes == (GraphNote("unknown_forward", 2),)


def test_forward_graph_has_values_and_no_grads() -> None:
    with Recorder() as rec:
        x = torch.tensor(2.0, requires_grad=True)
        z = torch.exp(x) * 2
        with rec.paused():
            unseen = x * 5
    graph = rec.forward_graph([z])
    assert graph.call == "forward" and graph.backward_order == ()
    assert data(graph.named("z")) == pytest.approx(2 * torch.exp(torch.tensor(2.0)).item())
    assert all(n.grad is None for n in graph.nodes) and x.grad is None
    assert rec.forward_graph([unseen]).nodes[-1].value is None  # paused: not recorded


def test_backward_of_with_gradient_for_a_program_without_backward() -> None:
    with Recorder() as rec:
        x = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)
        w = torch.tensor([5.0, 1.0, 7.0], requires_grad=True)
        z = w * x
        graph = rec.backward_of(z, gradient=torch.ones(3))
    assert grad(graph.named("x")) == [5.0, 1.0, 7.0] and grad(graph.named("z")) == [1.0] * 3
    assert rec.graphs == [graph]


def test_json_round_trip_of_a_captured_graph() -> None:
    rec, _ = run(
        "x = torch.tensor([1.0, -1.0], requires_grad=True)\ny = (x / 0.0).sum()\ny.backward()\n"
    )
    graph = rec.graphs[0]
    assert graph.named("y").value.stats.nan == 1
    # NaN != NaN, so compare the text: equal JSON after a round trip.
    assert type(graph).from_json(graph.to_json()).to_json() == graph.to_json()
    assert graph.named("x").grad.stats.inf == 2


LOOP = (
    "w = torch.tensor([1.0, -2.0], requires_grad=True)\n"
    "m = torch.tensor([0.5, 3.0], requires_grad=True)\n"
    "for step in range(6):\n"
    "    h = w * m\n"
    "    h.retain_grad()\n"
    "    loss = (h * h).sum()\n"
    "    loss.backward()\n"
    "    with torch.no_grad():\n"
    "        w -= 0.1 * w.grad\n"
    "    w.grad.zero_()\n"
    "    h.grad.mul_(0)\n"
    "    m.grad = None\n"
    "    w.data *= 2\n"
    "last = loss\n"
)


def test_a_pass_put_aside_is_built_as_it_was_despite_later_in_place_changes() -> None:
    every, _ = run(LOOP)
    kept, _ = run(LOOP, max_graphs=2)
    assert len(every.graphs) == 6 and every.dropped == 0
    assert kept.dropped == 4 and kept.graph_lines == every.graph_lines[:1] + every.graph_lines[-1:]
    assert [g.to_json() for g in kept.graphs] == [
        every.graphs[0].to_json(),
        every.graphs[-1].to_json(),
    ]
    # The grads were zeroed in place after the pass, the leaves scaled: the graph keeps its pass.
    assert grad(kept.graphs[-1].named("w")) != [0.0, 0.0] and grad(kept.graphs[-1].named("h")) != [
        0.0,
        0.0,
    ]


def test_reading_graphs_mid_run_keeps_the_first_and_the_latest() -> None:
    with Recorder(max_graphs=2, names=dict, line=lambda: None, source="") as rec:
        x = torch.tensor(1.0, requires_grad=True)
        seen = []
        for k in range(4):
            (x * (k + 1)).backward()
            seen.append((len(rec.graphs), rec.dropped, rec.graphs[-1].nodes[-1].value.data))
    assert seen == [(1, 0, 1.0), (2, 0, 2.0), (2, 1, 3.0), (2, 2, 4.0)]
    assert [g.nodes[-1].value.data for g in rec.graphs] == [1.0, 4.0] and rec.dropped == 2


def test_the_garbage_collector_runs_again_after_a_pass_even_a_failing_one() -> None:
    x = torch.ones(2, requires_grad=True)
    with Recorder() as rec:
        (x * 2).sum().backward()
        assert gc.isenabled()
        with pytest.raises(RuntimeError):
            (x * 2).backward()  # not a scalar: the engine refuses
        assert gc.isenabled()
    assert len(rec.graphs) == 1


def test_recording_collects_young_objects_less_often_and_restores_the_threshold() -> None:
    before = gc.get_threshold()
    x = torch.tensor(1.0, requires_grad=True)
    with Recorder(names=dict, line=lambda: None, source="") as rec:
        inside = gc.get_threshold()
        (x * 2).backward()
    assert inside[0] >= 50_000 and inside[1:] == before[1:]
    assert gc.get_threshold() == before
    assert rec.graphs[0].node("n0").grad.data == 2.0  # type: ignore[union-attr]
