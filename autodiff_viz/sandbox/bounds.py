"""What a run may send to the server: a bounded result, as JSON-ready data.

A result the worker sends is memory the server holds (a 271-character program made a 4.6 MB
result, and the server spends ~100 bytes of Python objects per element it reads back). So the
worker, not the server, decides how much of it travels:

* at most :data:`FULL_BYTES` of tensor data in full over the whole result, counted as the
  server holds it once the frame is decoded (``autodiff_viz.cache.approx_bytes``: a
  ``(10000, 1, 1)`` tensor is 20,001 lists), in the order a student meets the values (the
  graphs first, node by node, then the variables table); every later value keeps its shape,
  dtype, first elements and statistics, like a tensor over ``max_elements`` always did, and the
  result counts how many were cut (``values_truncated``);
* at most :data:`RESULT_BYTES` of JSON: past that, later graphs are dropped (counted in
  ``graphs_dropped``) and, if even one graph is too big, its values are cut to a preview too.

:func:`result_payload` does both on the result's dict (see ``RunResult.to_dict``); the server
reads it with ``RunResult.from_dict`` once.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from autodiff_viz.cache import approx_bytes
from autodiff_viz.graph import data_stats
from autodiff_viz.result import RunResult

__all__ = ["FULL_BYTES", "RESULT_BYTES", "result_payload"]

#: Bytes of tensor data a result carries in full (a tutorial's run: a few kilobytes).
FULL_BYTES = 8_000_000
#: JSON bytes a result may take on the wire (a 9,001-node graph: 8.6 MB).
RESULT_BYTES = 24_000_000
PREVIEW_ELEMENTS = 16
_VALUE_KEYS = frozenset({"shape", "dtype", "data", "preview", "stats"})


def _values(node: Any) -> Iterator[dict[str, Any]]:
    """Every tensor value's dict inside ``node``, in document order."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.keys() == _VALUE_KEYS:
                yield item
                continue
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _flat(data: Any) -> Iterator[Any]:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        else:
            yield item


def _cut(value: dict[str, Any]) -> None:
    """Keep ``value``'s first elements and statistics instead of all of its data."""
    data = value["data"]
    first = []
    for item in _flat(data):
        first.append(item)
        if len(first) == PREVIEW_ELEMENTS:
            break
    value["preview"] = first
    if value["stats"] is None and value["dtype"].startswith(("float", "bfloat", "|complex")):
        stats = data_stats(_decoded(data))
        value["stats"] = {
            key: _encoded(getattr(stats, key)) for key in ("min", "mean", "max", "nan", "inf")
        }
    value["data"] = None


_NAMES = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _decoded(data: Any) -> Any:
    if isinstance(data, list):
        return [_decoded(x) for x in data]
    return _NAMES.get(data, data) if isinstance(data, str) else data


def _encoded(x: float | int) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    return x


def _bound_values(parts: list[Any], budget: int) -> int:
    """Cut the values of ``parts`` past ``budget`` bytes of data in full; how many were cut."""
    cut = 0
    for value in (v for part in parts for v in _values(part)):
        if value["data"] is None or not value["shape"]:
            continue  # a preview already, or one number
        cost = approx_bytes(value["data"]) if budget else 1
        if cost <= budget:
            budget -= cost
        else:
            _cut(value)
            cut += 1
            budget = 0  # "the first ones": a smaller value later does not jump the queue
    return cut


def _size(part: Any) -> int:
    return len(json.dumps(part, ensure_ascii=False, separators=(",", ":")))


def result_payload(
    result: RunResult, *, full_bytes: int = FULL_BYTES, max_bytes: int = RESULT_BYTES
) -> dict[str, Any]:
    """``result`` as JSON-ready data within the budgets above."""
    raw = result.to_dict()
    cut = _bound_values([raw["graphs"], raw["variables"]], full_bytes)
    graphs = raw["graphs"]
    sizes = [_size(graph) for graph in graphs]
    room = max_bytes - _size({**raw, "graphs": []})
    if sum(sizes) > room:
        kept = 1
        while kept < len(graphs) and sum(sizes[: kept + 1]) <= room:
            kept += 1
        raw["graphs"] = graphs[:kept]
        raw["graph_lines"] = raw["graph_lines"][:kept]
        raw["graphs_dropped"] += len(graphs) - kept
        if sizes[0] > room:  # one graph alone is too big: no values in full at all
            cut += _bound_values(raw["graphs"], 0)
    raw["values_truncated"] = raw.get("values_truncated", 0) + cut
    return raw
