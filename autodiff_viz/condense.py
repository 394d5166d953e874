"""Decide which part of a big graph to draw, so that ``dot`` lays it out in well under a second.

Three measured facts shape this module. Graphviz spends 38 s on a 204-node shared-weight loop
drawn the torchviz way (one weight node with an edge to every time step: long edges make
``dot``'s crossing minimisation explode), but 0.03 s when each use of a shared leaf gets its own
copy of the leaf; 999 nodes drawn that way take 0.27 s. And nobody reads 4,000 boxes anyway.

So :func:`plan` (pure, linear in the graph's size) returns a :class:`Plan` that

1. collapses repeated structure: along the graph's longest path from the output (its *spine*),
   iterations of a loop have the same ops; the middle iterations of such a run become one
   ``× N`` group node, keeping the first and last iteration drawn;
2. keeps a bounded part around the outputs (or around ``focus``): a breadth-first walk against
   the forward edges, ``max_nodes`` nodes at most;
3. splits shared leaves: a leaf or cut input used by several drawn ops is drawn once per use.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from autodiff_viz.graph import Graph, Node

__all__ = ["EXPANDED_MAX_NODES", "SPLIT_SHARED_ABOVE", "Group", "Plan", "plan"]

#: ``expand=True`` raises the bound to this many nodes (~0.3 s of ``dot`` when leaves are split).
EXPANDED_MAX_NODES = 1000
#: Shared leaves are split once a graph has more nodes than this. Below it one node with several
#: out-edges is the clearer picture: it shows that ``.grad`` sums the gradients of all uses.
SPLIT_SHARED_ABOVE = 30
_MAX_PERIOD = 8
_MIN_REPEATS = 3


@dataclass(frozen=True)
class Group:
    """Middle iterations of a loop, drawn as one node: ``ops`` repeated ``repeats`` times."""

    id: str
    ops: tuple[str, ...]
    repeats: int
    members: frozenset[str]


@dataclass
class Plan:
    """What to draw: kept node ids (graph order), groups, split leaves, and what was left out."""

    kept: list[str]
    groups: list[Group]
    group_of: dict[str, str]
    split: set[str]
    total: int
    shown: int
    cut_off: dict[str, int] = field(default_factory=dict)

    @property
    def bounded(self) -> bool:
        return self.shown < self.total


class _Adjacency:
    """Producers and consumers of every node (graph.inputs_of is quadratic over a whole graph)."""

    def __init__(self, graph: Graph) -> None:
        self.producers: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
        self.consumers: dict[str, list[str]] = {n.id: [] for n in graph.nodes}
        for e in graph.edges:
            if e.src in self.producers and e.dst in self.producers:
                self.producers[e.dst].append(e.src)
                self.consumers[e.src].append(e.dst)

    def topo_order(self, nodes: Iterable[Node]) -> list[str]:
        """Kahn's algorithm, ties broken by graph order so the result is deterministic."""
        ids = [n.id for n in nodes]
        missing = {i: len(set(self.producers[i])) for i in ids}
        ready = deque(i for i in ids if missing[i] == 0)
        order: list[str] = []
        while ready:
            i = ready.popleft()
            order.append(i)
            for c in dict.fromkeys(self.consumers[i]):
                missing[c] -= 1
                if missing[c] == 0:
                    ready.append(c)
        return order


def _op_name(node: Node) -> str:
    return node.op or node.kind


def _spine(adj: _Adjacency, order: list[str], start: str) -> list[str]:
    """The longest producer path from ``start`` back to a source, listed in forward order."""
    depth: dict[str, int] = {}
    for i in order:
        depth[i] = 1 + max((depth[p] for p in adj.producers[i]), default=0)
    path = [start]
    while adj.producers[path[-1]]:
        # max() keeps the first of equals, and producers are in edge order: deterministic.
        path.append(max(adj.producers[path[-1]], key=lambda p: depth[p]))
    return path[::-1]


def _owners(adj: _Adjacency, order: list[str], spine: list[str]) -> dict[str, str]:
    """Each node that feeds only one spine node (directly or through others) -> that node."""
    owner = {s: s for s in spine}
    for i in reversed(order):
        if i in owner or not adj.consumers[i]:
            continue
        seen = {owner.get(c) for c in adj.consumers[i]}
        if len(seen) == 1 and None not in seen:
            owner[i] = seen.pop()  # type: ignore[assignment]
    return owner


def _runs(signature: list[tuple[str, ...]]) -> list[tuple[int, int, int]]:
    """Non-overlapping (start, period, repeats) of periodic runs in ``signature``."""
    runs: list[tuple[int, int, int]] = []
    i, n = 0, len(signature)
    while i < n:
        best = (0, 0)
        for p in range(1, _MAX_PERIOD + 1):
            r = 1
            while (
                i + (r + 1) * p <= n
                and signature[i + r * p : i + (r + 1) * p] == signature[i : i + p]
            ):
                r += 1
            if r >= _MIN_REPEATS and r * p > best[0] * best[1]:
                best = (p, r)
        if best[0]:
            runs.append((i, best[0], best[1]))
            i += best[0] * best[1]
        else:
            i += 1
    return runs


def _collapse(graph: Graph, adj: _Adjacency, order: list[str], start: str) -> list[Group]:
    spine = _spine(adj, order, start)
    owner = _owners(adj, order, spine)
    owned: dict[str, list[str]] = {s: [] for s in spine}
    for i, s in owner.items():
        owned[s].append(i)
    # An iteration's signature: its spine op and the ops of everything it owns (leaves excluded:
    # a loop feeds a different x_t into every step, but the ops around it are the same).
    signature = [
        tuple(sorted(_op_name(graph.node(i)) for i in owned[s] if adj.producers[i])) for s in spine
    ]
    groups: list[Group] = []
    for start_at, period, repeats in _runs(signature):
        middle = spine[start_at + period : start_at + (repeats - 1) * period]
        members = frozenset(i for s in middle for i in owned[s])
        ops = tuple(_op_name(graph.node(s)) for s in spine[start_at : start_at + period])
        groups.append(Group(f"g{len(groups)}", ops, repeats - 2, members))
    return groups


def _walk(
    seeds: list[str], neighbours: dict[str, list[str]], unit: dict[str, str], limit: int
) -> set[str]:
    """Breadth-first from ``seeds``; stops once ``limit`` drawn units (node or group) are kept."""
    kept: set[str] = set()
    units: set[str] = set()
    queue = deque(seeds)
    while queue:
        i = queue.popleft()
        if i in kept:
            continue
        if unit[i] not in units:
            if len(units) >= limit:
                break
            units.add(unit[i])
        kept.add(i)
        queue.extend(neighbours[i])
    return kept


def plan(
    graph: Graph,
    *,
    max_nodes: int = 150,
    focus: str | None = None,
    expand: bool = False,
    split_shared: bool | None = None,
    collapse: bool = True,
) -> Plan:
    """Choose what to draw; see the module docstring. ``focus`` centres the bound on a node."""
    adj = _Adjacency(graph)
    order = adj.topo_order(graph.nodes)
    sinks = [i for i in order if not adj.consumers[i]]
    outputs = [o for o in graph.outputs if o in adj.producers] or sinks
    groups = _collapse(graph, adj, order, outputs[0]) if collapse and outputs else []
    group_of = {m: g.id for g in groups for m in g.members}
    unit = {n.id: group_of.get(n.id, n.id) for n in graph.nodes}

    limit = max(max_nodes, EXPANDED_MAX_NODES) if expand else max_nodes
    if focus in adj.producers:
        both = {i: adj.producers[i] + adj.consumers[i] for i in adj.producers}
        kept = _walk([focus], both, unit, limit)
    else:
        kept = _walk(outputs + sinks, adj.producers, unit, limit)

    cut_off: dict[str, int] = {}
    for i in kept:
        hidden = sum(1 for p in adj.producers[i] if p not in kept)
        if hidden:
            cut_off[i] = hidden
    # Uses as drawn: several edges into one group are one edge, edges inside a group none.
    drawn_uses: dict[str, set[str]] = {}
    for e in graph.edges:
        if e.src in kept and e.dst in kept and unit[e.src] != unit[e.dst]:
            drawn_uses.setdefault(e.src, set()).add(unit[e.dst])
    split_on = len(graph.nodes) > SPLIT_SHARED_ABOVE if split_shared is None else split_shared
    split = {
        i
        for i, uses in drawn_uses.items()
        if split_on and len(uses) > 1 and not adj.producers[i] and unit[i] == i
    }
    shown_groups = [g for g in groups if g.members & kept]
    return Plan(
        kept=[n.id for n in graph.nodes if n.id in kept],
        groups=shown_groups,
        group_of={m: g.id for g in shown_groups for m in g.members},
        split=split,
        total=len(graph.nodes),
        shown=len(kept),
        cut_off=cut_off,
    )
