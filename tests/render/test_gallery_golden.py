"""Golden DOT files for every gallery example: real programs, real PyTorch, the real sandbox.

Each example runs in this process through ``sandbox.execute`` (seeded, so values are the same
every run); its last graph is drawn with ``to_dot``'s defaults, as the explorer first shows it,
and compared with ``tests/golden/dot/gallery/<key>.dot``. ``pytest --update-golden`` rewrites
the files; review the diff. A change here without a change to the renderer means the capture
now records something else.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from pathlib import Path

import pytest

from autodiff_viz.explorer.examples import EXAMPLES
from autodiff_viz.render.dot import to_dot
from autodiff_viz.sandbox.execute import execute
from autodiff_viz.sandbox.options import Budgets, RunOptions
from autodiff_viz.ui.differentiate import differentiable
from tests.render.dotcheck import node_classes, svg_of

GALLERY_DIR = Path(__file__).resolve().parents[1] / "golden" / "dot" / "gallery"
# Wall time is the one budget a busy machine can exhaust (500 SGD steps of t0_sgd_minimum):
# raised, so that load cannot turn a run into a budget error and change the graph drawn.
OPTIONS = RunOptions(budgets=Budgets(seconds=300))


@functools.cache
def gallery_dot(key: str) -> str:
    """DOT of the example's last graph; without a backward pass, of its last differentiable
    output (the explorer's default choice)."""
    source = EXAMPLES[key].source
    result = execute(source, OPTIONS)
    assert result.error is None, result.error
    if not result.graphs:
        outputs = differentiable(result)
        assert outputs, f"{key}: no backward pass and nothing to differentiate"
        result = execute(source, replace(OPTIONS, backward_of=outputs[-1].name))
        assert result.error is None, result.error
    assert result.graphs, key
    return to_dot(result.graphs[-1])


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_gallery_example_matches_its_golden_dot(key: str, update_golden: bool) -> None:
    dot = gallery_dot(key)
    path = GALLERY_DIR / f"{key}.dot"
    if update_golden:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dot, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}: run pytest --update-golden"
    golden = path.read_text(encoding="utf-8")
    assert dot == golden, f"{key}: DOT changed; review, then pytest --update-golden"
    assert node_classes(svg_of(golden))  # dot parses it, without a warning, into nodes


def test_every_golden_belongs_to_an_example() -> None:
    stale = {p.stem for p in GALLERY_DIR.glob("*.dot")} - set(EXAMPLES)
    assert not stale, f"golden files of removed examples: {sorted(stale)}"
