"""Why a tensor's gradient has its value: one term per use, each worked out from its rule.

:func:`explain` takes a captured :class:`~autodiff_viz.graph.Graph` and a node
id and returns an :class:`Explanation`: for every op that consumed the tensor,
the gradient at that op's output (upstream, as PyTorch delivered it), the
op's local rule and derivative, and the contribution they give — computed
here from the rule and the forward values, then compared with the gradient
PyTorch sent along the same edge. The terms add up to ``total``; ``agrees``
says whether that equals PyTorch's gradient for the tensor. A user's
``autograd.Function`` is its own rule: its ``backward``'s code (kept by capture)
and, as the term, what that code returned.

:func:`op_terms` gives the same terms seen from the op (one per input): what
the backward step of that op did, for the step-by-step view.

Pure Python on the Graph's plain data: no torch, so the server explains a
node when someone asks, in a 10,000-node graph too.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Literal

from autodiff_viz.chain import arrays as A
from autodiff_viz.chain.arrays import Arr, Shape
from autodiff_viz.chain.context import (
    MAX_ELEMENTS,
    Missing,
    op_context,
    output_grad,
)
from autodiff_viz.chain.rules import RULES, is_custom
from autodiff_viz.graph import Data, Edge, Graph, Node, TensorValue
from autodiff_viz.i18n import t

#: How a term's value was found: by its rule (and checked), or why not.
Status = Literal["rule", "mismatch", "no_rule", "custom", "missing", "seed"]
Kind = Literal["sum", "seed", "cut", "none", "unknown"]


@dataclass(frozen=True)
class Term:
    """One gradient contribution: op ``op`` (node ``consumer``) passing back to its input ``slot``.

    ``value`` is computed from ``rule`` (None when no rule could be applied: see
    ``status``); ``pytorch`` is what PyTorch sent along the same edge.
    """

    op: str
    consumer: str
    slot: int
    rule: str
    words: str
    upstream: Data | None
    local: Data | None
    value: Data | None
    pytorch: Data | None
    status: Status
    #: Dims of the op's output summed away because the input was broadcast.
    summed: tuple[int, ...] = ()
    #: Set when the term holds NaN or inf: "upstream", "local" or "input" (where it arose).
    nonfinite: str | None = None
    #: What a rule needed and the Graph did not keep (status "missing").
    missing: str | None = None
    #: The Graph kept no saved tensors at all: it was over the capture's budget of this many
    #: nodes for them (None: within it).
    budget: int | None = None
    #: For a user ``autograd.Function``: ``rule`` is its ``backward``'s code, from this line.
    code_line: int | None = None
    #: The shapes of the upstream gradient and of the inputs, for rules that are not elementwise.
    shapes: tuple[tuple[int, ...], ...] = ()
    #: The shape of ``value`` (nested lists lose it when a dim is 0).
    shape: tuple[int, ...] = ()


@dataclass(frozen=True)
class Explanation:
    """Why ``node``'s gradient (output ``output_nr``) is what it is."""

    node: str
    output_nr: int
    kind: Kind
    terms: tuple[Term, ...]
    total: Data | None
    pytorch: Data | None
    agrees: bool
    #: A leaf's ``.grad`` before this pass added to it (accumulation over passes), if any.
    before: Data | None = None
    notes: tuple[str, ...] = field(default=())


def _arr(value: TensorValue | None) -> Arr | None:
    if value is None or value.data is None or value.numel > MAX_ELEMENTS:
        return None
    return A.from_data(value.data, value.shape)


def _data(a: Arr | None) -> Data | None:
    return None if a is None else A.to_data(a)


class _Index:
    """Edges by destination and by source, made once per graph (graphs are immutable)."""

    def __init__(self, graph: Graph) -> None:
        self.into: dict[str, list[Edge]] = {}
        self.out_of: dict[str, list[Edge]] = {}
        for edge in graph.edges:
            self.into.setdefault(edge.dst, []).append(edge)
            self.out_of.setdefault(edge.src, []).append(edge)


#: One index per graph by identity, holding the graph weakly: the server's caches decide how
#: long a graph lives, not this one (hashing a Graph would read every value it holds).
_INDEXES: dict[int, tuple[weakref.ref[Graph], _Index]] = {}
_MAX_INDEXES = 16


def _index(graph: Graph) -> _Index:
    hit = _INDEXES.get(id(graph))
    if hit is not None and hit[0]() is graph:
        return hit[1]
    if len(_INDEXES) >= _MAX_INDEXES:
        _INDEXES.clear()
    index = _Index(graph)
    _INDEXES[id(graph)] = (weakref.ref(graph), index)
    return index


def _texts(op: str, slot: int, lang: str) -> tuple[str, str]:
    rule = RULES.get(op)
    if rule is not None:
        n = rule.text_index(slot)
        return t(f"explain.rule.{rule.key}.{n}", lang), t(f"explain.say.{rule.key}", lang)
    if is_custom(op):
        return t("explain.rule.custom", lang), t("explain.say.custom", lang)
    return t("explain.rule.none", lang), t("explain.say.none", lang, op=op)


def _custom_term(base: dict[str, object], consumer: Node, edge: Edge, shape: Shape | None) -> Term:
    """A user ``autograd.Function``: the rule is its ``backward``'s code, the value its return.

    PyTorch runs that code as written and sends on what it returns (capture read it off the
    node as it ran): that is the term. ``total`` and ``agrees`` then check the sum as for
    every op; nothing here checks the code against ``forward`` (PyTorch does not either).
    """
    attrs = dict(consumer.attrs)
    code, line = attrs.get("backward"), attrs.get("backward_line")
    fields = dict(base)
    if isinstance(code, str):
        fields["rule"] = code
        fields["code_line"] = line if isinstance(line, int) else None
    returned = _arr(edge.grad)
    if returned is None and edge.grad is None and shape is not None:
        returned = A.full(shape, 0.0)  # backward returned None for this input: no gradient
    return Term(
        **fields,  # type: ignore[arg-type]
        local=None,
        value=_data(returned) if returned is not None else _raw(edge.grad),
        status="custom",
        shape=returned.shape if returned is not None else (),
    )


def _nonfinite(upstream: Arr | None, local: Arr | None, value: Arr) -> str | None:
    if A.finite(value):
        return None
    if upstream is not None and not A.finite(upstream):
        return "upstream"
    if local is not None and not A.finite(local):
        return "local"
    return "input"


def term_for(graph: Graph, consumer: Node, edge: Edge, lang: str = "en") -> Term:
    """The contribution op ``consumer`` sends back along ``edge`` (into its ``input_nr``)."""
    op = consumer.op or ""
    slot = edge.input_nr
    rule_text, words = _texts(op, slot, lang)
    pytorch = _arr(edge.grad)
    ctx = op_context(graph, consumer, _index(graph).into)
    upstream = ctx.upstreams[0] if ctx.upstreams else None
    base = {
        "op": op,
        "consumer": consumer.id,
        "slot": slot,
        "rule": rule_text,
        "words": words,
        "upstream": _data(upstream),
        "pytorch": _data(pytorch) if pytorch is not None else _raw(edge.grad),
    }
    rule = RULES.get(op)
    if rule is None:
        if is_custom(op):
            slot_shape = ctx.input_shapes[slot] if slot < len(ctx.input_shapes) else None
            return _custom_term(base, consumer, edge, slot_shape)
        return Term(**base, local=None, value=None, status="no_rule")  # type: ignore[arg-type]
    try:
        part = rule.fn(ctx, slot)
    except Missing as missing:
        budget = _saved_budget(graph) if not consumer.saved else None
        return Term(
            **base,  # type: ignore[arg-type]
            local=None,
            value=None,
            status="missing",
            missing=missing.what,
            budget=budget,
        )
    except (ValueError, IndexError, ZeroDivisionError, OverflowError):
        # Shapes the rule does not expect, or a product too big to redo here: said, not guessed.
        return Term(**base, local=None, value=None, status="missing", missing=None)  # type: ignore[arg-type]
    # PyTorch's value may be too big to hold here: the term is then checked through the total.
    status: Status = "rule" if pytorch is None or A.close(part.value, pytorch) else "mismatch"
    shapes: tuple[tuple[int, ...], ...] = ()
    if not rule.elementwise:
        shapes = (ctx.g.shape, *(s for s in ctx.input_shapes if s is not None))
    return Term(
        **base,  # type: ignore[arg-type]
        local=_data(part.local) if rule.elementwise else None,
        value=_data(part.value),
        status=status,
        summed=part.summed,
        shape=part.value.shape,
        nonfinite=_nonfinite(upstream, part.local, part.value),
        shapes=shapes,
    )


def _saved_budget(graph: Graph) -> int | None:
    """The node count past which capture kept no saved tensors, if this graph went past it."""
    return next((note.count for note in graph.notes if note.key == "saved_skipped"), None)


def _raw(value: TensorValue | None) -> Data | None:
    return None if value is None else value.data


def op_terms(graph: Graph, node_id: str, lang: str = "en") -> list[tuple[Edge, Term]]:
    """What op ``node_id``'s backward step sent to each of its inputs (cut inputs left out)."""
    node = graph.node(node_id)
    edges = sorted(_index(graph).into.get(node_id, []), key=lambda e: e.input_nr)
    return [(edge, term_for(graph, node, edge, lang)) for edge in edges if not edge.cut]


def _total(values: list[Arr], shape: tuple[int, ...]) -> Arr:
    total = A.full(shape, 0.0)
    for value in values:
        total = (
            A.add(total, value) if value.shape == shape else A.add(total, A.expand(value, shape))
        )
    return total


def explain(graph: Graph, node_id: str, output_nr: int = 0, lang: str = "en") -> Explanation:
    """Why the gradient of ``node_id`` (its output ``output_nr``) has the value PyTorch gave it."""
    node = graph.node(node_id)
    if node.kind == "cut":
        return Explanation(
            node_id,
            output_nr,
            "cut",
            (),
            None,
            None,
            agrees=True,
            notes=(f"cut.{node.cut_reason or 'constant'}",),
        )
    index = _index(graph)
    uses = [e for e in index.out_of.get(node_id, []) if e.output_nr == output_nr and not e.cut]
    terms = [term_for(graph, graph.node(e.dst), e, lang) for e in uses]
    grad = output_grad(node, output_nr)
    pytorch_value = _arr(grad)
    notes: list[str] = []
    is_root = node_id in graph.outputs and output_nr == 0
    edge_sum: Arr | None = None
    shape = grad.shape if grad is not None else (node.value.shape if node.value else ())
    edge_grads = [_arr(e.grad) for e in uses if e.grad is not None]
    if all(g is not None for g in edge_grads):
        edge_sum = _total([g for g in edge_grads if g is not None], shape)
    if is_root:
        seed = pytorch_value
        if seed is not None and edge_sum is not None and uses:
            seed = A.sub(seed, edge_sum)
        terms.insert(
            0,
            Term(
                op="seed",
                consumer=node_id,
                slot=0,
                rule=t("explain.rule.seed", lang),
                words=t("explain.say.seed", lang),
                upstream=None,
                local=None,
                value=_data(seed),
                pytorch=_data(seed),
                status="seed",
                shape=seed.shape if seed is not None else shape,
            ),
        )
    if not terms:
        kind: Kind = "none" if grad is None else "unknown"
        return Explanation(
            node_id,
            output_nr,
            kind,
            (),
            None,
            _raw(grad),
            agrees=grad is None,
            notes=("no_grad",) if grad is None else ("no_uses",),
        )
    # PyTorch's gradient of the tensor in this pass: a leaf's .grad may hold earlier passes too.
    this_pass = pytorch_value
    before: Arr | None = None
    if node.is_leaf and not is_root and edge_sum is not None:
        this_pass = edge_sum
        if pytorch_value is not None and not A.close(pytorch_value, edge_sum):
            before = A.sub(pytorch_value, edge_sum)
    if not node.is_leaf and not node.retains_grad and not is_root:
        notes.append("not_retained")
    computed = [_arr_of(term) for term in terms]
    if any(c is None for c in computed):
        total = None
        agrees = False
        notes.append("unexplained")
    else:
        total = _total([c for c in computed if c is not None], shape)
        agrees = (
            this_pass is not None
            and A.close(total, this_pass)
            and all(term.status in ("rule", "seed", "custom") for term in terms)
        )
        if this_pass is None:
            notes.append("too_big")
    if total is not None and not A.finite(total):
        notes.append("nonfinite")
    if len([term for term in terms if term.status != "seed"]) > 1:
        notes.append("accumulate")
    return Explanation(
        node=node_id,
        output_nr=output_nr,
        kind="seed" if is_root and len(terms) == 1 else "sum",
        terms=tuple(terms),
        total=_data(total),
        pytorch=_data(this_pass) if this_pass is not None else _raw(grad),
        agrees=agrees,
        before=_data(before),
        notes=tuple(notes),
    )


def _arr_of(term: Term) -> Arr | None:
    if term.value is None:
        return None
    if term.status not in ("rule", "seed", "mismatch", "custom"):
        return None
    return A.from_data(term.value, term.shape)


__all__ = ["Explanation", "Term", "explain", "op_terms", "term_for"]
