"""The autograd graph as pure data: tensors' values, the ops between them, grads.

This module is the meeting point of the project. ``capture`` fills a
:class:`Graph` from real PyTorch; ``render`` draws one; the pages show one.
It imports neither torch nor graphviz nor streamlit, so a Graph can be
pickled, cached, sent between processes as JSON and compared in tests.

Shape of the data
-----------------
* A :class:`Node` is one function of PyTorch's backward graph (a ``grad_fn``
  such as ``MulBackward0`` or a leaf's ``AccumulateGrad``) together with the
  tensor it produced in the forward pass, or an input the gradient does not
  flow into (a constant, a detached tensor, a result of ``no_grad``/``.data``).
* An :class:`Edge` goes the way the *forward* pass went: from the node that
  produced a tensor to the node that consumed it. ``grad`` on an edge is the
  vector-Jacobian product that flowed back along it.
* ``Graph.backward_order`` lists node ids in the order PyTorch's engine ran
  them, so a view can replay the backward pass step by step.

Ids are ``n0, n1, ...`` in a deterministic traversal order, never ``id()``.
"""

from __future__ import annotations

import json
import math
from array import array
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from enum import Enum
from functools import cached_property
from typing import Any, Generic, Literal, NamedTuple, Self, TypeVar

NodeKind = Literal["leaf", "op", "output", "cut"]
CutReason = Literal["constant", "detached", "no_grad", "data"]
CallKind = Literal["backward", "autograd.grad", "forward"]

#: A number an op saved for backward (``x ** 2``: exponent 2; ``x.sum(1)``: dim (1,)).
Attr = int | float | bool | str | tuple[int | float, ...]

#: A tensor's data as plain Python: a number, or nested lists of numbers.
#: ``float('nan')`` and infinities are kept as floats (JSON writes them as
#: the strings "nan", "inf", "-inf").
Data = float | int | bool | list[Any]


@dataclass(frozen=True)
class Stats:
    """Summary of a tensor's finite entries, for tensors too large to show."""

    min: float
    mean: float
    max: float
    nan: int = 0
    inf: int = 0


V = TypeVar("V")


class Packed(NamedTuple):
    """A floating tensor's elements in row-major order as native machine bytes.

    ``typecode`` is the :mod:`array` code of one element (``"f"``: float32,
    ``"d"``: float64). Capture stores the tensors of a large graph this way: four
    bytes an element instead of a Python float and a list slot (32), and only
    the values someone reads are ever turned into numbers.
    """

    typecode: str
    raw: bytes


class _Lazy(Generic[V]):
    """A field of :class:`TensorValue` whose value is worked out on its first read.

    A data descriptor, so that ``data`` and ``stats`` stay ordinary dataclass
    fields (constructor, ``==``, ``repr``, ``asdict`` see the worked-out value)
    while the instance holds the cheap form until then. ``derive`` turns the
    stored form into the value; the result replaces the stored form.
    """

    def __init__(self, default: Any, derive: Callable[[TensorValue, Any], V]) -> None:
        self.default = default
        self.derive = derive
        self.slot = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.slot = f"_{name}"

    def __get__(self, obj: TensorValue | None, owner: type | None = None) -> V:
        if obj is None:
            return self.default  # what the dataclass takes as the field's default
        stored = obj.__dict__[self.slot]
        value = self.derive(obj, stored)
        if value is not stored:
            obj.__dict__[self.slot] = value
        return value

    def __set__(self, obj: TensorValue, value: Any) -> None:
        obj.__dict__[self.slot] = value


class _Default(Enum):
    """The default of ``TensorValue.stats``: worked out from the data when first read."""

    FROM_DATA = "from data"


_FROM_DATA: Any = _Default.FROM_DATA  # an enum member: it pickles, and stays one object


def _unpack(value: TensorValue, stored: Data | Packed | None) -> Data | None:
    if not isinstance(stored, Packed):
        return stored
    flat: list[Any] = array(stored.typecode, stored.raw).tolist()
    if not value.shape:
        return flat[0]
    for size in reversed(value.shape[1:]):  # innermost dimension first
        flat = [flat[i : i + size] for i in range(0, len(flat), size)]
    return flat


def _stats_from_data(value: TensorValue, stored: Stats | None) -> Stats | None:
    if stored is not _FROM_DATA:
        return stored
    floating = value.dtype.startswith(("float", "bfloat", "|complex"))
    data = value.data
    return data_stats(data) if floating and data is not None and value.numel else None


def data_stats(data: Data) -> Stats:
    """min/mean/max of the finite numbers in ``data`` (nested lists), with NaN and inf counts."""
    if not isinstance(data, list):
        data = [data]
    finite: list[float] = []
    nan = inf = 0
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif item != item:  # noqa: PLR0124 - NaN is the one value unequal to itself
            nan += 1
        elif item in (math.inf, -math.inf):
            inf += 1
        else:
            finite.append(float(item))
    if not finite:
        return Stats(min=math.nan, mean=math.nan, max=math.nan, nan=nan, inf=inf)
    return Stats(min(finite), math.fsum(finite) / len(finite), max(finite), nan, inf)


@dataclass(frozen=True)
class TensorValue:
    """A tensor as plain data.

    ``data`` holds every element when the tensor has at most the capture's
    ``max_elements``; otherwise it is None and ``preview`` holds the first
    elements in row-major order. ``stats`` is present for every non-empty
    floating tensor: given, or (left out) worked out from ``data``.

    ``data`` may be given as :class:`Packed` bytes: it reads as nested lists all
    the same, decoded on the first read (capture does this, so a 10,000-node
    graph costs no Python number until someone looks at one).
    """

    shape: tuple[int, ...]
    dtype: str
    data: _Lazy[Data | None] = _Lazy(None, _unpack)
    preview: tuple[float, ...] = ()
    stats: _Lazy[Stats | None] = _Lazy(_FROM_DATA, _stats_from_data)

    @classmethod
    def many(cls, shape: tuple[int, ...], dtype: str, items: Iterable[Data | Packed]) -> list[Self]:
        """``[TensorValue(shape, dtype, item) for item in items]``, at a third of the cost.

        Made without the dataclass ``__init__`` (one ``object.__setattr__`` per
        field): capture makes tens of thousands of values of a few shapes at a time.
        """
        new = object.__new__
        values = []
        for item in items:
            value = new(cls)
            value.__dict__.update(
                shape=shape, dtype=dtype, _data=item, preview=(), _stats=_FROM_DATA
            )
            values.append(value)
        return values

    @property
    def numel(self) -> int:
        return math.prod(self.shape)

    @property
    def complete(self) -> bool:
        return self.data is not None


@dataclass(frozen=True)
class Output:
    """An extra output of a node with several (``unbind``, ``split``, ``max``)."""

    output_nr: int
    value: TensorValue | None
    grad: TensorValue | None = None
    name: str | None = None


@dataclass(frozen=True)
class Node:
    """One function of the backward graph and the tensor it produced.

    ``value``/``grad`` describe output 0: the forward value recorded when the
    op ran, and dL/d(output) that reached this node in the backward pass (for a
    leaf: its ``.grad`` after the pass, accumulation included). Nodes with
    several outputs list the others in ``more_outputs``.
    """

    id: str
    kind: NodeKind
    op: str | None
    name: str | None = None
    value: TensorValue | None = None
    grad: TensorValue | None = None
    requires_grad: bool = False
    is_leaf: bool = False
    retains_grad: bool = False
    saved: tuple[tuple[str, TensorValue], ...] = ()
    #: The non-tensor arguments the node saved for backward, by name (``("exponent", 2)``):
    #: with the values of its inputs they are what its local derivative needs.
    attrs: tuple[tuple[str, Attr], ...] = ()
    line: int | None = None
    source: str | None = None
    cut_reason: CutReason | None = None
    second_order: bool = False
    more_outputs: tuple[Output, ...] = ()
    #: The innermost ``nn.Module`` call whose forward made this node, as ``"path: Type"``
    #: (``"model.0: Linear"``; a module of no known name is just ``"Linear"``). A module called
    #: several times in one graph (shared weights in a loop) numbers its later calls ``" #2"``,
    #: ``" #3"``, ... so that each call is a group of its own. None outside any module.
    module: str | None = None


@dataclass(frozen=True)
class Edge:
    """The forward flow ``src -> dst``; ``input_nr`` is dst's input slot.

    ``grad`` is the gradient that flowed back along the edge (None when none
    did, e.g. for a cut edge or before backward). ``cut`` marks an input the
    gradient does not flow into.
    """

    src: str
    dst: str
    input_nr: int = 0
    output_nr: int = 0
    grad: TensorValue | None = None
    cut: bool = False


@dataclass(frozen=True)
class GraphNote:
    """Something the capture could not do for this graph, as a message key and a count.

    ``key`` names a sentence of :mod:`autodiff_viz.i18n` (``graph.note.<key>``): the graph
    itself stays free of any language.
    """

    key: str  # "saved_skipped": saved tensors not read past ``count`` nodes; "unknown_forward"
    count: int


D = TypeVar("D", Node, Edge)


def assemble(cls: type[D], **fields: Any) -> D:
    """``cls(**fields)`` given every field, at a third of the cost.

    The ``__init__`` of a frozen dataclass sets each field with a call of
    ``object.__setattr__``; filling the instance dict at once gives the same
    object. Capture makes tens of thousands of nodes and edges per graph.
    """
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


@dataclass(frozen=True)
class Graph:
    """One backward pass (or a forward-only view) of a program."""

    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    outputs: tuple[str, ...] = ()
    backward_order: tuple[str, ...] = ()
    call: CallKind = "backward"
    line: int | None = None
    create_graph: bool = False
    second_order: bool = False
    notes: tuple[GraphNote, ...] = ()

    @cached_property
    def _index(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    def node(self, node_id: str) -> Node:
        """The node with this id (KeyError if there is none)."""
        return self._index[node_id]

    def inputs_of(self, node_id: str) -> list[Edge]:
        """Edges into ``node_id``, by input slot."""
        return sorted((e for e in self.edges if e.dst == node_id), key=lambda e: e.input_nr)

    def named(self, name: str) -> Node:
        """The last node holding the user's variable ``name``."""
        for node in reversed(self.nodes):
            if node.name == name:
                return node
        raise KeyError(name)

    def to_json(self) -> str:
        return json.dumps(graph_to_dict(self), ensure_ascii=False, sort_keys=True)

    @staticmethod
    def from_json(text: str) -> Graph:
        return graph_from_dict(json.loads(text))


# --- JSON round trip --------------------------------------------------------

_FLOAT_NAMES = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def encode_numbers(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return "nan" if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, (list, tuple)):
        return [encode_numbers(x) for x in obj]
    if isinstance(obj, dict):
        return {k: encode_numbers(v) for k, v in obj.items()}
    return obj


def _decode_numbers(obj: Any) -> Any:
    if isinstance(obj, str) and obj in _FLOAT_NAMES:
        return _FLOAT_NAMES[obj]
    if isinstance(obj, list):
        return [_decode_numbers(x) for x in obj]
    return obj


def graph_to_dict(graph: Graph) -> dict[str, Any]:
    """The graph as JSON-ready dicts and lists (non-finite floats as strings)."""
    raw = asdict(graph)
    encoded: dict[str, Any] = encode_numbers(raw)
    return encoded


def value_from_dict(raw: dict[str, Any] | None) -> TensorValue | None:
    if raw is None:
        return None
    stats = raw.get("stats")
    return TensorValue(
        shape=tuple(raw["shape"]),
        dtype=raw["dtype"],
        data=_decode_numbers(raw.get("data")),
        preview=tuple(_decode_numbers(raw.get("preview", []))),
        stats=Stats(**{k: _decode_numbers(v) for k, v in stats.items()}) if stats else None,
    )


def _attr(raw: Any) -> Attr:
    value: Attr = tuple(_decode_numbers(raw)) if isinstance(raw, list) else _decode_numbers(raw)
    return value


def _output(raw: dict[str, Any]) -> Output:
    return Output(
        raw["output_nr"],
        value_from_dict(raw["value"]),
        value_from_dict(raw.get("grad")),
        raw.get("name"),
    )


def _node(raw: dict[str, Any]) -> Node:
    return Node(
        id=raw["id"],
        kind=raw["kind"],
        op=raw["op"],
        name=raw.get("name"),
        value=value_from_dict(raw.get("value")),
        grad=value_from_dict(raw.get("grad")),
        requires_grad=raw.get("requires_grad", False),
        is_leaf=raw.get("is_leaf", False),
        retains_grad=raw.get("retains_grad", False),
        saved=tuple((k, v) for k, raw_v in raw.get("saved", []) if (v := value_from_dict(raw_v))),
        attrs=tuple((k, _attr(v)) for k, v in raw.get("attrs", [])),
        line=raw.get("line"),
        source=raw.get("source"),
        cut_reason=raw.get("cut_reason"),
        second_order=raw.get("second_order", False),
        more_outputs=tuple(_output(o) for o in raw.get("more_outputs", [])),
        module=raw.get("module"),
    )


def _edge(raw: dict[str, Any]) -> Edge:
    return Edge(
        src=raw["src"],
        dst=raw["dst"],
        input_nr=raw.get("input_nr", 0),
        output_nr=raw.get("output_nr", 0),
        grad=value_from_dict(raw.get("grad")),
        cut=raw.get("cut", False),
    )


def graph_from_dict(raw: dict[str, Any]) -> Graph:
    """Inverse of :func:`graph_to_dict`."""
    return Graph(
        nodes=tuple(_node(n) for n in raw["nodes"]),
        edges=tuple(_edge(e) for e in raw["edges"]),
        outputs=tuple(raw.get("outputs", ())),
        backward_order=tuple(raw.get("backward_order", ())),
        call=raw.get("call", "backward"),
        line=raw.get("line"),
        create_graph=raw.get("create_graph", False),
        second_order=raw.get("second_order", False),
        notes=tuple(GraphNote(**note) for note in raw.get("notes", ())),
    )
