"""Fold each ``nn.Module`` call of a graph into one node, so a big model reads as its layers.

Capture tags every node with the innermost module call whose forward made it
(:attr:`Node.module`, ``"model.0: Linear"``). :func:`fold_modules` (pure, linear in the graph's
size) groups the nodes of each call and returns a :class:`Folding`: a new :class:`Graph` in
which each call is ONE node, and the maps back to the original nodes.

* A call's members are its nodes, parameters included: capture tags a parameter with the
  earliest call of its module among the parameter's consumers. A parameter folds in only when
  that call is its only user; one shared by several calls (an RNN cell run in a loop) stays
  outside, so :mod:`autodiff_viz.render.condense` can draw it once per use, as for any leaf.
* The fold node stands for the call's *output*: the member whose consumers lie outside the
  call (the one computed last, when there are several). It carries that node's value and
  grad, and its id is ``<output id>_fold`` (``n5_fold``): it cannot collide with a node id, and
  ``removesuffix("_fold")`` maps it back to the output.
* Edges into or out of a call are redirected to the fold node; edges inside it vanish; two
  edges that become the same pair of drawn nodes become one edge, without a gradient label
  (which of the two gradients would it show?).

A call that is not contiguous (its forward runs ops both before and after a submodule's call)
would make a cycle with that submodule's fold: such a call is left unfolded, its submodules
stay folded. Finding one costs another pass over the graph per level of such nesting.

The folded graph goes through :func:`~autodiff_viz.render.condense.plan` like any graph, so a
loop of module calls collapses (its fold nodes repeat the same op: the module's type) and the
bounded view counts a call as one node.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from autodiff_viz.graph import Edge, Graph, Node
from autodiff_viz.render.condense import SPLIT_SHARED_ABOVE, Adjacency

__all__ = ["FOLD_MODULES_ABOVE", "FOLD_SUFFIX", "Fold", "Folding", "fold_modules", "should_fold"]

#: ``fold_modules="auto"`` folds graphs with more nodes than this: the size at which the
#: renderer already calls a graph big (and splits shared leaves). Small graphs, such as the
#: tutorials' ``nn.Linear`` + MSE, keep their ``t`` / ``addmm`` nodes visible.
FOLD_MODULES_ABOVE = SPLIT_SHARED_ABOVE
#: A fold node's id is its output node's id with this suffix.
FOLD_SUFFIX = "_fold"


@dataclass(frozen=True)
class Fold:
    """One module call drawn as one node.

    ``label`` is the call (``"model.0: Linear"``), ``module_type`` the module's class (the op the
    loop collapsing compares), ``ops`` its op nodes as ``(id, op)`` in forward order
    (``("n5", "TBackward0")``), ``params`` the short names of the parameters folded in
    (``weight``), ``members`` every folded node id (graph order).
    """

    id: str
    label: str
    module_type: str
    output: str
    ops: tuple[tuple[str, str], ...]
    params: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class Folding:
    """The folded graph, its folds by id, and ``fold_of``: folded node id -> fold id."""

    graph: Graph
    folds: dict[str, Fold]
    fold_of: dict[str, str]

    def drawn_id(self, node_id: str) -> str:
        """The id under which a node of the original graph is drawn (its fold's, if folded)."""
        return self.fold_of.get(node_id, node_id)

    def drawn_known(self, known: set[str]) -> set[str]:
        """Known gradients in drawn ids: a fold is known once its output's gradient is."""
        drawn = {i for i in known if i not in self.fold_of}
        drawn.update(f.id for f in self.folds.values() if f.output in known)
        return drawn


def should_fold(graph: Graph, setting: bool | str) -> bool:
    """``True``/``False`` as given; ``"auto"``: a big graph that records module calls."""
    if setting != "auto":
        return bool(setting)
    return len(graph.nodes) > FOLD_MODULES_ABOVE and any(n.module for n in graph.nodes)


def _path_and_type(label: str) -> tuple[str, str]:
    """``"cell: RNNCell #2"`` -> ``("cell", "RNNCell")``; ``"Linear"`` -> ``("", "Linear")``."""
    path, _, rest = label.rpartition(": ")
    return path, rest.split(" #", 1)[0]


def _is_op(node: Node) -> bool:
    return node.kind in ("op", "output") and not node.is_leaf


class _Calls:
    """Which call each node belongs to, as index arrays over ``graph.nodes`` (-1: none).

    Lists of ints, not a set of ids per call: a 10,000-node model has thousands of calls, and
    thousands of small containers are slow to build and to garbage-collect.
    """

    def __init__(self, graph: Graph, adj: Adjacency) -> None:
        nodes = graph.nodes
        self.labels: dict[str, int] = {}
        call = [-1] * len(nodes)
        for k, node in enumerate(nodes):
            if node.module and node.kind != "leaf":
                call[k] = self.labels.setdefault(node.module, len(self.labels))
        with_op = [False] * len(self.labels)
        for k, node in enumerate(nodes):
            if call[k] >= 0 and _is_op(node):
                with_op[call[k]] = True
        call = [c if c >= 0 and with_op[c] else -1 for c in call]  # no op: not worth a fold
        # A parameter is tagged with its module's earliest call among its users: it folds in
        # when that call is its only user.
        self.param = [False] * len(nodes)
        for k, node in enumerate(nodes):
            c = self.labels.get(node.module) if node.kind == "leaf" and node.module else None
            if c is not None and with_op[c] and all(call[u] == c for u in adj.consumers[k]):
                call[k] = c
                self.param[k] = True
        self.call = call
        self.members: list[list[int]] = [[] for _ in self.labels]
        for k, c in enumerate(call):
            if c >= 0:
                self.members[c].append(k)

    def unfold(self, labels: Iterable[str]) -> None:
        """Leave these calls' nodes (parameters included) outside any fold."""
        for label in labels:
            c = self.labels[label]
            for k in self.members[c]:
                self.call[k] = -1
                self.param[k] = False
            self.members[c] = []


def fold_modules(graph: Graph) -> Folding:
    """Fold every module call of ``graph`` (see the module docstring)."""
    adj = Adjacency(graph)
    rank = [-1] * len(adj.ids)  # forward order; -1 for a node on a cycle (never from capture)
    for r, k in enumerate(adj.topo_order()):
        rank[k] = r
    calls = _Calls(graph, adj)
    outputs = {adj.index[o] for o in graph.outputs if o in adj.index}
    while True:  # each round unfolds at least one call: it ends
        folds: dict[str, Fold] = {}
        fold_of: dict[str, str] = {}
        for label, c in calls.labels.items():
            if calls.members[c]:
                fold = _fold(graph, adj, calls, label, c, rank=rank, outputs=outputs)
                folds[fold.id] = fold
                fold_of.update(dict.fromkeys(fold.members, fold.id))
        folded, ordered = _folded_graph(graph, folds, fold_of, adj.index, rank)
        looped = [] if ordered else [folds[i] for i in _on_cycles(folded) if i in folds]
        if not looped:
            return Folding(folded, folds, fold_of)
        calls.unfold(_containers(looped))


def _on_cycles(graph: Graph) -> set[str]:
    """Ids both after and before a cycle (a superset of the nodes on one; usually empty).

    A call whose forward runs ops around a submodule call (``x.view(...)``, then ``self.fc``,
    then ``relu``) is not contiguous: folded, it feeds the submodule's fold and is fed by it.
    """
    adj = Adjacency(graph)
    after = adj.topo_order()
    if len(after) == len(adj.ids):
        return set()
    free = set(after) | set(adj.topo_order(backwards=True))
    return {node_id for k, node_id in enumerate(adj.ids) if k not in free}


def _containers(looped: list[Fold]) -> set[str]:
    """Calls to unfold: those whose submodules' calls are among ``looped`` (the ``net`` of
    ``net.fc``), or else all of them."""
    inner: set[str] = set()
    for f in looped:
        parts = _path_and_type(f.label)[0].split(".")
        inner.update(".".join(parts[:i]) for i in range(1, len(parts)))
    outer = {f.label for f in looped if _path_and_type(f.label)[0] in inner}
    return outer or {f.label for f in looped}


def _fold(
    graph: Graph,
    adj: Adjacency,
    calls: _Calls,
    label: str,
    c: int,
    *,
    rank: list[int],
    outputs: set[int],
) -> Fold:
    nodes, ids, call, consumers = graph.nodes, adj.ids, calls.call, adj.consumers
    ops: list[int] = []
    params: list[int] = []
    exits: list[int] = []
    for k in calls.members[c]:  # one pass: thousands of calls in a big model
        if calls.param[k]:
            params.append(k)
            continue
        if _is_op(nodes[k]):
            ops.append(k)
        users = consumers[k]
        if k in outputs or not users or any(call[u] != c for u in users):
            exits.append(k)
    # A call always has a node no other member uses; the one computed last stands for it.
    output = ids[max(exits, key=rank.__getitem__)]
    ops.sort(key=rank.__getitem__)
    # Parameters in the order the call first used them: Linear's weight (via t), then its bias.
    params.sort(key=lambda k: min((rank[u] for u in consumers[k]), default=-1))
    path, module_type = _path_and_type(label)
    return Fold(
        id=output + FOLD_SUFFIX,
        label=label,
        module_type=module_type,
        output=output,
        ops=tuple((ids[k], nodes[k].op or nodes[k].kind) for k in ops),
        params=tuple(name.removeprefix(path + ".") for k in params if (name := nodes[k].name)),
        members=tuple(ids[k] for k in calls.members[c]),
    )


def _fold_node(graph: Graph, fold: Fold) -> Node:
    """The output node, renamed and re-typed: the module's type is the op loops compare."""
    # Node(**...) rather than dataclasses.replace: several times faster, and 10,000-node
    # graphs have thousands of calls.
    fields = {**vars(graph.node(fold.output)), "id": fold.id, "op": fold.module_type}
    return Node(**{**fields, "more_outputs": ()})


def _folded_graph(
    graph: Graph,
    folds: dict[str, Fold],
    fold_of: dict[str, str],
    index: dict[str, int],
    rank: list[int],
) -> tuple[Graph, bool]:
    """The folded graph, and whether every edge goes forward when a fold is placed where its
    output is in ``rank`` (then it has no cycle; if not, it may have one)."""
    nodes: list[Node] = []
    for node in graph.nodes:
        fid = fold_of.get(node.id)
        if fid is None:
            nodes.append(node)
        elif folds[fid].output == node.id:  # the fold takes its output's place in graph order
            nodes.append(_fold_node(graph, folds[fid]))
    edges: list[Edge] = []
    # Edges at a fold, by (src, dst): one drawn edge per pair. Edges elsewhere stay as they are
    # (x * x keeps both of its edges).
    at_fold: dict[tuple[str, str], int] = {}
    place = {fid: rank[index[f.output]] for fid, f in folds.items()}
    ordered = True
    for e in graph.edges:
        src, dst = fold_of.get(e.src, e.src), fold_of.get(e.dst, e.dst)
        if src == e.src and dst == e.dst:
            edges.append(e)
        elif src != dst:
            tail = place[src] if src in place else rank[index[src]]
            head = place[dst] if dst in place else rank[index[dst]]
            ordered = ordered and tail < head
            k = at_fold.setdefault((src, dst), len(edges))
            if k == len(edges):
                # A fold has one output: its tensor is output 0 of the fold node.
                out_nr = 0 if src != e.src else e.output_nr
                edges.append(Edge(src, dst, e.input_nr, out_nr, e.grad, e.cut))
            else:
                kept = edges[k]
                edges[k] = Edge(src, dst, kept.input_nr, kept.output_nr, None, kept.cut)
    folded = dataclasses.replace(
        graph,
        nodes=tuple(nodes),
        edges=tuple(edges),
        outputs=tuple(dict.fromkeys(fold_of.get(o, o) for o in graph.outputs)),
        backward_order=tuple(dict.fromkeys(fold_of.get(o, o) for o in graph.backward_order)),
    )
    return folded, ordered
