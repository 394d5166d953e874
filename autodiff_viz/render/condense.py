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
from dataclasses import dataclass, field

from autodiff_viz.graph import Graph, Node

__all__ = ["EXPANDED_MAX_NODES", "SPLIT_SHARED_ABOVE", "Adjacency", "Group", "Plan", "plan"]

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


class Adjacency:
    """The graph as index lists: node ``k`` is ``graph.nodes[k]``; inputs and users in edge order.

    Integers and lists rather than dicts keyed by id: :func:`plan` (and
    :func:`~autodiff_viz.render.fold.fold_modules`) visit every node of a 10,000-node graph several
    times, and hashing ids into per-node containers cost most of ``to_dot``'s time.
    """

    def __init__(self, graph: Graph) -> None:
        self.ids = [n.id for n in graph.nodes]
        self.index = {node_id: k for k, node_id in enumerate(self.ids)}
        self.producers: list[list[int]] = [[] for _ in self.ids]
        self.consumers: list[list[int]] = [[] for _ in self.ids]
        index = self.index
        for e in graph.edges:
            src, dst = index.get(e.src), index.get(e.dst)
            if src is not None and dst is not None:
                self.producers[dst].append(src)
                self.consumers[src].append(dst)

    def topo_order(self, *, backwards: bool = False) -> list[int]:
        """Kahn's algorithm, ties broken by graph order so the result is deterministic.

        ``backwards`` orders consumers before producers. Nodes on a cycle, or after one, are
        left out (a captured graph has none; a folded one may, see ``fold``).
        """
        producers, consumers = (
            (self.consumers, self.producers) if backwards else (self.producers, self.consumers)
        )
        missing = [len(set(p)) if len(p) > 1 else len(p) for p in producers]
        ready = deque(k for k, m in enumerate(missing) if m == 0)
        order: list[int] = []
        while ready:
            k = ready.popleft()
            order.append(k)
            users = consumers[k]
            for c in dict.fromkeys(users) if len(users) > 1 else users:
                missing[c] -= 1
                if missing[c] == 0:
                    ready.append(c)
        return order


def _spine(adj: Adjacency, order: list[int], start: int) -> list[int]:
    """The longest producer path from ``start`` back to a source, listed in forward order."""
    depth = [0] * len(adj.ids)
    producers = adj.producers
    for k in order:
        inputs = producers[k]
        depth[k] = 1 + (max([depth[p] for p in inputs]) if inputs else 0)
    path = [start]
    while producers[path[-1]]:
        # max() keeps the first of equals, and producers are in edge order: deterministic.
        path.append(max(producers[path[-1]], key=depth.__getitem__))
    return path[::-1]


def _owned(adj: Adjacency, order: list[int], spine: list[int]) -> list[list[int]]:
    """For each spine node: itself and the nodes that feed only it (directly or through others)."""
    owner = [-1] * len(adj.ids)
    for s in spine:
        owner[s] = s
    consumers = adj.consumers
    for k in reversed(order):
        users = consumers[k]
        if owner[k] >= 0 or not users:
            continue
        first = owner[users[0]]
        if first >= 0 and all(owner[c] == first for c in users):
            owner[k] = first
    position = {s: j for j, s in enumerate(spine)}
    owned: list[list[int]] = [[] for _ in spine]
    for k, s in enumerate(owner):
        if s >= 0:
            owned[position[s]].append(k)
    return owned


def _runs(signature: list[int]) -> list[tuple[int, int, int]]:
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


def _collapse(
    graph: Graph, adj: Adjacency, order: list[int], start: int
) -> list[tuple[Group, list[int]]]:
    """Groups of loop iterations along the spine, each with its members' indices."""
    spine = _spine(adj, order, start)
    owned = _owned(adj, order, spine)
    ops = [_op_name(n) for n in graph.nodes]
    producers = adj.producers
    # An iteration's signature: its spine op and the ops of everything it owns (leaves excluded:
    # a loop feeds a different x_t into every step, but the ops around it are the same).
    # Interned to small ints, so that comparing runs compares ints, not tuples of strings.
    interned: dict[tuple[str, ...], int] = {}
    signature = [
        interned.setdefault(tuple(sorted([ops[k] for k in mine if producers[k]])), len(interned))
        for mine in owned
    ]
    groups: list[tuple[Group, list[int]]] = []
    for start_at, period, repeats in _runs(signature):
        members = [
            k for j in range(start_at + period, start_at + (repeats - 1) * period) for k in owned[j]
        ]
        group = Group(
            f"g{len(groups)}",
            tuple(ops[spine[j]] for j in range(start_at, start_at + period)),
            repeats - 2,
            frozenset(adj.ids[k] for k in members),
        )
        groups.append((group, members))
    return groups


def _op_name(node: Node) -> str:
    return node.op or node.kind


def _walk(
    seeds: list[int], neighbours: tuple[list[list[int]], ...], unit: list[int], limit: int
) -> set[int]:
    """Breadth-first from ``seeds``; stops once ``limit`` drawn units (node or group) are kept."""
    kept: set[int] = set()
    units: set[int] = set()
    queue = deque(seeds)
    while queue:
        k = queue.popleft()
        if k in kept:
            continue
        if unit[k] not in units:
            if len(units) >= limit:
                break
            units.add(unit[k])
        kept.add(k)
        for adjacent in neighbours:
            queue.extend(adjacent[k])
    return kept


def _shared(adj: Adjacency, kept: set[int], unit: list[int]) -> set[int]:
    """Kept leaves (no producers, in no group) whose drawn uses reach several units."""
    shared: set[int] = set()
    for k in kept:
        if adj.producers[k] or unit[k] != k:
            continue
        # Uses as drawn: several edges into one group are one use, edges inside a group none.
        uses = {unit[c] for c in adj.consumers[k] if c in kept and unit[c] != k}
        if len(uses) > 1:
            shared.add(k)
    return shared


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
    adj = Adjacency(graph)
    ids, producers = adj.ids, adj.producers
    order = adj.topo_order()
    sinks = [k for k in order if not adj.consumers[k]]
    outputs = [adj.index[o] for o in graph.outputs if o in adj.index] or sinks
    groups = _collapse(graph, adj, order, outputs[0]) if collapse and outputs else []
    # A drawn unit is a node index, or len(ids) + g for group g.
    unit = list(range(len(ids)))
    for g, (_, members) in enumerate(groups):
        for k in members:
            unit[k] = len(ids) + g

    limit = max(max_nodes, EXPANDED_MAX_NODES) if expand else max_nodes
    if focus in adj.index:
        kept = _walk([adj.index[focus]], (producers, adj.consumers), unit, limit)
    else:
        kept = _walk(outputs + sinks, (producers,), unit, limit)

    cut_off: dict[str, int] = {}
    for k in kept:
        hidden = sum(1 for p in producers[k] if p not in kept)
        if hidden:
            cut_off[ids[k]] = hidden
    split_on = len(ids) > SPLIT_SHARED_ABOVE if split_shared is None else split_shared
    split = {ids[k] for k in _shared(adj, kept, unit)} if split_on else set()
    shown = sorted({unit[k] - len(ids) for k in kept if unit[k] >= len(ids)})
    return Plan(
        kept=[ids[k] for k in sorted(kept)],
        groups=[groups[g][0] for g in shown],
        group_of={ids[k]: groups[g][0].id for g in shown for k in groups[g][1]},
        split=split,
        total=len(ids),
        shown=len(kept),
        cut_off=cut_off,
    )
