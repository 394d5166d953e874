"""Synthetic Graphs of any size for the renderer's benchmark and tests (no torch needed).

* :func:`tv`, :func:`leaf`, :func:`const`, :func:`op`, :func:`edge` — build nodes and edges the
  way the capture records them (complete TensorValues with stats).
* :data:`SHAPES` — graphs of about ``n`` nodes in the four shapes that stress layout and
  :func:`~autodiff_viz.render.dot.to_dot` differently: a long chain, an MLP, a shared-weight RNN
  and a double-backward graph. ``mlp`` and ``rnn`` take ``modules=True`` to tag their nodes
  with ``nn.Module`` calls (``model.0: Linear``; ``cell: RNNCell #2``) the way capture does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from autodiff_viz.graph import Data, Edge, Graph, Node, Stats, TensorValue

__all__ = ["SHAPES", "chain", "const", "double_backward", "edge", "leaf", "mlp", "op", "rnn", "tv"]


def _flat(data: Any) -> list[float]:
    return [y for x in data for y in _flat(x)] if isinstance(data, list) else [data]


def _shape(data: Any) -> tuple[int, ...]:
    return (len(data), *_shape(data[0])) if isinstance(data, list) else ()


def tv(data: Data, dtype: str = "float32") -> TensorValue:
    """A complete TensorValue with stats, like the capture records for a small tensor."""
    flat = [float(x) for x in _flat(data)]
    finite = [x for x in flat if math.isfinite(x)] or [0.0]
    stats = Stats(
        min=min(finite),
        mean=sum(finite) / len(finite),
        max=max(finite),
        nan=sum(math.isnan(x) for x in flat),
        inf=sum(math.isinf(x) for x in flat),
    )
    return TensorValue(shape=_shape(data), dtype=dtype, data=data, stats=stats)


def leaf(id: str, name: str, value: Data, grad: Data | None, **kw: Any) -> Node:
    return Node(
        id=id,
        kind="leaf",
        op="AccumulateGrad",
        name=name,
        value=tv(value),
        grad=None if grad is None else tv(grad),
        requires_grad=True,
        is_leaf=True,
        **kw,
    )


def const(id: str, name: str | None, value: Data, reason: str = "constant", **kw: Any) -> Node:
    return Node(id=id, kind="cut", op=None, name=name, value=tv(value), cut_reason=reason, **kw)  # type: ignore[arg-type]


def op(
    id: str, cls: str, value: Data, grad: Data | None, name: str | None = None, **kw: Any
) -> Node:
    return Node(
        id=id,
        kind=kw.pop("kind", "op"),
        op=cls,
        name=name,
        value=tv(value),
        grad=None if grad is None else tv(grad),
        requires_grad=True,
        **kw,
    )


def edge(src: str, dst: str, grad: Data | None = None, **kw: Any) -> Edge:
    return Edge(src=src, dst=dst, grad=None if grad is None else tv(grad), **kw)


def _call(label: str, k: int) -> str:
    """The k-th call (from 0) of one module instance, as capture names it."""
    return label if k == 0 else f"{label} #{k + 1}"


def rnn(steps: int = 50, *, modules: bool = False) -> Graph:
    """W, U leaves; h = h0; for t: h = torch.tanh(W @ h + U @ x[t]); h.sum().backward().

    Synthetic values: the shape (one W and U shared by every step) is what matters here. With
    ``modules`` each step is a call of one cell, ``cell: RNNCell``, whose parameters W and U
    (``cell.weight_hh``, ``cell.weight_ih``) every call shares; capture tags a parameter with
    the first call of its module that uses it.
    """
    names = ("cell.weight_hh", "cell.weight_ih") if modules else ("W", "U")
    first = _call("cell: RNNCell", 0) if modules else None
    nodes: list[Node] = [
        op("n0", "SumBackward0", 0.5, 1.0, "loss", kind="output"),
        leaf("n1", names[0], [[0.5, 0.1], [0.0, 0.5]], [[0.1, 0.2], [0.3, 0.4]], module=first),
        leaf("n2", names[1], [[1.0, 0.0], [0.0, 1.0]], [[0.1, 0.0], [0.0, 0.1]], module=first),
        const("n3", "h0", [0.0, 0.0]),
    ]
    edges: list[Edge] = []
    prev = "n3"
    for t in range(steps):
        i = 4 + 5 * t
        x, mw, mu, add, tanh = (f"n{i + k}" for k in range(5))
        v = [round(math.sin(t), 3), round(math.cos(t), 3)]
        g = [round(0.9 ** (steps - t), 4)] * 2
        call = _call("cell: RNNCell", t) if modules else None
        nodes += [
            const(x, f"x[{t}]", v),
            op(mw, "MvBackward0", v, g, module=call),
            op(mu, "MvBackward0", v, g, module=call),
            op(add, "AddBackward0", v, g, module=call),
            op(tanh, "TanhBackward0", v, g, "h", module=call),
        ]
        edges += [
            edge("n1", mw, [[0.01, 0.01], [0.01, 0.01]]),
            edge(prev, mw, g, input_nr=1, cut=prev == "n3"),
            edge("n2", mu, [[0.01, 0.0], [0.0, 0.01]]),
            edge(x, mu, input_nr=1, cut=True),
            edge(mw, add, g),
            edge(mu, add, g, input_nr=1),
            edge(add, tanh, g),
        ]
        prev = tanh
    edges.append(edge(prev, "n0", [1.0, 1.0]))
    # The engine runs the loop backwards, last step first, then accumulates W and U.
    steps_back: list[str] = []
    for t in reversed(range(steps)):
        i = 4 + 5 * t
        steps_back += [f"n{i + 4}", f"n{i + 3}", f"n{i + 2}", f"n{i + 1}"]
    return Graph(
        tuple(nodes),
        tuple(edges),
        outputs=("n0",),
        backward_order=("n0", *steps_back, "n2", "n1"),
    )


def chain(n: int = 10_000) -> Graph:
    """x leaf, w leaf; n - 2 ops alternating h = h * w and h = h + 1; the last is the output."""
    nodes: list[Node] = [leaf("n1", "x", 1.0, 1.0), leaf("n2", "w", 1.0, 1.0)]
    edges: list[Edge] = []
    prev = "n1"
    for i in range(3, n + 1):
        cls = "MulBackward0" if i % 2 else "AddBackward0"
        nid = f"n{i}" if i < n else "n0"
        nodes.append(op(nid, cls, 1.0, 1.0, kind="output" if nid == "n0" else "op"))
        edges.append(edge(prev, nid, 1.0))
        if cls == "MulBackward0":
            edges.append(edge("n2", nid, 1.0, input_nr=1))
        prev = nid
    order = ("n0", *(f"n{i}" for i in range(n - 1, 2, -1)), "n2", "n1")
    return Graph((nodes[-1], *nodes[:-1]), tuple(edges), outputs=("n0",), backward_order=order)


def mlp(n: int, *, modules: bool = False) -> Graph:
    """Layers of h = relu(h @ W.T + b): 5 nodes per layer (W, b, t, addmm, relu).

    With ``modules`` the layers are those of ``model = nn.Sequential(Linear, ReLU, ...)``:
    ``model.0: Linear`` makes t and addmm from ``model.0.weight`` and ``model.0.bias`` (tagged
    with that call, as capture tags parameters), ``model.1: ReLU`` makes relu.
    """
    nodes: list[Node] = [op("n0", "SumBackward0", 1.0, 1.0, "loss", kind="output")]
    edges: list[Edge] = []
    prev = None
    for layer in range(max(n // 5, 1)):
        w, b, t, mm, relu = (f"n{1 + 5 * layer + k}" for k in range(5))
        path = f"model.{2 * layer}"
        linear = f"{path}: Linear" if modules else None
        act = f"model.{2 * layer + 1}: ReLU" if modules else None
        weight, bias = (f"{path}.weight", f"{path}.bias") if modules else (f"W{layer}", f"b{layer}")
        nodes += [
            leaf(w, weight, [[0.1, 0.2], [0.3, 0.4]], [[0.1, 0.1], [0.1, 0.1]], module=linear),
            leaf(b, bias, [0.0, 0.1], [0.1, 0.1], module=linear),
            op(t, "TBackward0", [[0.1, 0.3], [0.2, 0.4]], [[0.1, 0.1], [0.1, 0.1]], module=linear),
            op(mm, "AddmmBackward0", [0.5, 0.6], [1.0, 1.0], module=linear),
            op(relu, "ReluBackward0", [0.5, 0.6], [1.0, 1.0], "h", module=act),
        ]
        edges += [edge(b, mm, [1.0, 1.0]), edge(w, t), edge(t, mm, input_nr=2), edge(mm, relu)]
        if prev is not None:
            edges.append(edge(prev, mm, [1.0, 1.0], input_nr=1))
        prev = relu
    edges.append(edge(prev or "n0", "n0", [1.0, 1.0]))
    return Graph(tuple(nodes), tuple(edges), outputs=("n0",))


def double_backward(n: int) -> Graph:
    """y = sin(sin(...sin(x))); g = dy/dx with create_graph: g's graph reads every forward step."""
    steps = max(n // 3, 1)
    nodes: list[Node] = [leaf("n1", "x", 0.5, 1.0)]
    edges: list[Edge] = []
    prev = "n1"
    for i in range(steps):  # forward chain
        nodes.append(op(f"f{i}", "SinBackward0", 0.5, 1.0))
        edges.append(edge(prev, f"f{i}", 1.0))
        prev = f"f{i}"
    back = None
    for i in reversed(range(steps)):  # g = prod cos(f_{i-1}): each factor reads a forward node
        src = "n1" if i == 0 else f"f{i - 1}"
        nodes.append(op(f"c{i}", "CosBackward0", 0.9, 1.0, second_order=True))
        edges.append(edge(src, f"c{i}", 1.0))
        nodes.append(op(f"m{i}", "MulBackward0", 0.9, 1.0, second_order=True))
        edges.append(edge(f"c{i}", f"m{i}", 1.0))
        if back is not None:
            edges.append(edge(back, f"m{i}", 1.0, input_nr=1))
        back = f"m{i}"
    final = nodes.pop()
    nodes.insert(0, Node(**{**final.__dict__, "kind": "output"}))
    return Graph(tuple(nodes), tuple(edges), outputs=(final.id,), second_order=True)


SHAPES: dict[str, Callable[[int], Graph]] = {
    "chain": chain,
    "mlp": mlp,
    "rnn": lambda n: rnn(max((n - 4) // 5, 1)),
    "double": double_backward,
}
