"""The browser's replay of a backward pass says what the server's own pictures say.

For every step of real-shaped graphs (golden graphs, a loop, a folded MLP), the nodes the step
script marks known are exactly ``known_after`` (in folded ids when folded), the running node is
the one the DOT of that step highlights, and the titles are the DOT's titles.
"""

from __future__ import annotations

import re

import pytest

from autodiff_viz.graph import Graph
from autodiff_viz.render import fold
from autodiff_viz.render.dot import DrawOptions, known_after, to_dot
from autodiff_viz.render.steps import step_script
from tests.render.graphs import GOLDEN
from tests.support.graphs import rnn

CURRENT = re.compile(r'^  "(n\d+)(?:_op|_o\d+|_u\d+)?" \[id=.*class="[^"]*\bcurrent\b', re.M)
# chain_10000 would draw 10,001 pictures of 10,000 nodes; rnn_12 covers what rnn_50 would.
GRAPHS = {name: make for name, make in GOLDEN.items() if name not in {"chain_10000", "rnn_50"}}
GRAPHS["rnn_12"] = lambda: rnn(12)


def _known(script_known: dict[str, int], k: int) -> set[str]:
    return {node_id for node_id, at in script_known.items() if at <= k}


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_known_and_current_match_the_servers_pictures(name: str) -> None:
    graph: Graph = GRAPHS[name]()
    script = step_script(graph)
    assert script.total == len(graph.backward_order)
    for k in range(script.total + 1):
        assert _known(script.known_at, k) == known_after(graph, k), k
        dot = to_dot(graph, DrawOptions(view="backward", step=k, collapse=False, max_nodes=10**6))
        current = {m.group(1) for m in CURRENT.finditer(dot)}
        assert current == ({script.current[k]} if k else set()), k
        title = re.search(r'label="([^"]*)", nodesep', dot)
        assert title is not None and title.group(1) == script.titles[k]


def test_folded_calls_are_known_under_their_fold_id() -> None:
    graph = rnn(8, modules=True)
    folding = fold.fold_modules(graph)
    script = step_script(graph, fold_modules=True)
    assert any(node_id.endswith("_fold") or node_id in folding.folds for node_id in script.known_at)
    for k in range(script.total + 1):
        assert _known(script.known_at, k) == folding.drawn_known(known_after(graph, k)), k
        if k:
            assert script.current[k] == folding.drawn_id(graph.backward_order[k - 1])


def test_titles_are_translated() -> None:
    graph = GOLDEN["scalar_tutorial"]()
    words = {"backward": "反向传播第 {step} 步（共 {total} 步）", "before": "反向传播之前"}
    script = step_script(graph, words=words)
    assert script.titles[0].startswith("反向传播第 0 步")
    assert script.to_json()["total"] == script.total
