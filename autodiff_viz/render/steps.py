"""What every backward step shows, as data a browser can replay on one laid-out picture.

The explorer lays a graph out once (the "values and grads" picture, every gradient drawn) and
steps through the backward pass by restyling that SVG in the browser: no layout, no server
round trip, the user's zoom kept. The server still decides what each step means; this module
says it in a few numbers (pure, no DOT, no torch):

* ``known_at[id]`` — the first step after which the drawn node ``id``'s gradient is known
  (absent: never known in this pass, drawn dimmed throughout the replay);
* ``current[k]`` — the drawn node the engine ran at step ``k`` (``None`` before backward);
* ``titles[k]`` — the picture's title at step ``k``, in the page's words.

It agrees with :func:`~autodiff_viz.render.roles.known_after` at every step (a test checks),
also in folded terms: a folded module call is known once its output's gradient is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autodiff_viz.graph import Graph
from autodiff_viz.render import fold
from autodiff_viz.render.styles import WORDS

__all__ = ["StepScript", "step_script"]


@dataclass(frozen=True)
class StepScript:
    """A backward pass told step by step in drawn ids (see the module docstring)."""

    total: int
    known_at: dict[str, int]
    current: list[str | None]
    titles: list[str]
    view_titles: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        """Plain data for the browser component."""
        return {
            "total": self.total,
            "known_at": self.known_at,
            "current": self.current,
            "titles": self.titles,
            "view_titles": self.view_titles,
        }


def _known_at(graph: Graph) -> dict[str, int]:
    """Step at which each node's grad becomes known, the rule of ``known_after`` in one pass."""
    known: dict[str, int] = {}
    for i, node_id in enumerate(graph.backward_order):
        known.setdefault(node_id, i + 1)
    listed = set(graph.backward_order)
    consumers: dict[str, set[str]] = {}
    for e in graph.edges:
        if not e.cut:
            consumers.setdefault(e.src, set()).add(e.dst)
    for node in graph.nodes:  # graph order, as known_after adds unlisted leaves
        users = consumers.get(node.id)
        if node.id in listed or not users or node.grad is None:
            continue
        steps = [known.get(u) for u in users]
        if all(s is not None for s in steps):
            known[node.id] = max(s for s in steps if s is not None)
    return known


def _title(graph: Graph, words: Mapping[str, str], step: int) -> str:
    total = len(graph.backward_order)
    lines = [words["backward"].format(step=step, total=total)]
    if step > 0:
        ran = graph.node(graph.backward_order[step - 1])
        lines.append(words["ran"].format(op=ran.op or ran.id))
    else:
        lines.append(words["before"])
    if graph.second_order or graph.create_graph:
        lines.append(words["second_order"])
    return " · ".join(lines)


def step_script(
    graph: Graph, *, fold_modules: bool = False, words: Mapping[str, str] | None = None
) -> StepScript:
    """The replay of ``graph``'s backward pass, in the ids of its picture.

    ``fold_modules`` must be what the picture was drawn with (``DrawOptions.fold_modules``
    resolved to a bool): folded calls are known and current under their fold's id.
    """
    text = {**WORDS, **(words or {})}
    known = _known_at(graph)
    order = list(graph.backward_order)
    if fold_modules:
        folding = fold.fold_modules(graph)
        drawn: dict[str, int] = {i: k for i, k in known.items() if i not in folding.fold_of}
        for f in folding.folds.values():
            if f.output in known:
                drawn[f.id] = known[f.output]
        known = drawn
        order = [folding.drawn_id(i) for i in order]
    extra = [text["second_order"]] if graph.second_order or graph.create_graph else []
    return StepScript(
        total=len(order),
        known_at=known,
        current=[None, *order],
        titles=[_title(graph, text, k) for k in range(len(order) + 1)],
        view_titles={
            view: " · ".join([text[view], *extra]) for view in ("forward", "full", "backward")
        },
    )
