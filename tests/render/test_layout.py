"""The dot subprocess: SVG ready for the page, PNG, cache by DOT text, killed when it runs away."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from autodiff_viz.render.dot import DrawOptions, to_dot
from autodiff_viz.render.layout import (
    LayoutError,
    LayoutTimeout,
    clear_cache,
    dot_to_png,
    dot_to_svg,
    has_dot,
)
from tests.render.graphs import linear_mse
from tests.support.graphs import rnn

pytestmark = pytest.mark.skipif(not has_dot(), reason="needs graphviz's dot")


def test_svg_is_ready_to_insert_and_keeps_node_ids() -> None:
    svg = dot_to_svg(to_dot(linear_mse()))
    assert svg.startswith("<svg")
    head = svg[: svg.index(">")]
    assert "viewBox=" in head and " width=" not in head and " height=" not in head
    assert 'id="n5_op"' in svg and 'id="n6"' in svg
    standalone = dot_to_svg(to_dot(linear_mse()), standalone=True)
    assert standalone.startswith("<?xml") and 'width="' in standalone


def test_new_dot_never_gets_an_old_picture() -> None:
    graph = linear_mse()
    pictures = [dot_to_svg(to_dot(graph, DrawOptions(view="backward", step=k))) for k in range(6)]
    assert len(set(pictures)) == 6
    again = dot_to_svg(to_dot(graph, DrawOptions(view="backward", step=3)))
    assert again == pictures[3]


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def test_cache_answers_repeats_without_running_dot() -> None:
    clear_cache()
    dot = to_dot(rnn(50))
    before = _children_cpu()
    first = dot_to_svg(dot)
    assert _children_cpu() > before  # a cold layout runs the dot program...
    before = _children_cpu()
    assert dot_to_svg(dot) == first
    assert _children_cpu() == before  # ...a repeat runs no program at all


def test_png_export() -> None:
    assert dot_to_png(to_dot(linear_mse())).startswith(b"\x89PNG\r\n\x1a\n")


def test_bad_dot_is_a_clear_error() -> None:
    with pytest.raises(LayoutError, match="could not lay out"):
        dot_to_svg("digraph { a -> }")


def _dot_children() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :]
        if name == "dot" and int(rest.split()[1]) == os.getpid():
            pids.append(int(entry.name))
    return pids


def test_runaway_layout_is_killed_at_the_time_limit() -> None:
    # The torchviz way: one shared weight node with an edge into each of 300 steps. dot needs
    # minutes for this; the time limit must stop it.
    runaway = to_dot(rnn(300), DrawOptions(split_shared=False, collapse=False, max_nodes=10**6))
    start = time.perf_counter()
    with pytest.raises(LayoutTimeout, match=r"longer than 0\.5 s"):
        dot_to_svg(runaway, timeout=0.5)
    assert time.perf_counter() - start < 3
    assert _dot_children() == []
