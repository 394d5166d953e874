"""Tensors as plain data: :func:`tensor_value` turns a torch.Tensor into a TensorValue.

The result holds no torch object: shape, dtype name (``"float32"``), every
element as nested Python lists when the tensor is small enough, otherwise a
preview of the first elements, and for floating tensors the min/mean/max of
the finite entries with counts of NaN and infinite ones.

:func:`tensor_values` converts many tensors at once, with the same results: a
graph holds thousands of small tensors of a few shapes, and one ``stack`` and
one ``tolist`` per shape cost far less than a dozen torch calls per tensor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from autodiff_viz.graph import Data, Stats, TensorValue

#: How many leading elements a too-large tensor keeps as its preview.
PREVIEW_ELEMENTS = 16
#: Below this size the stats are computed in Python from the listed data: a
#: graph has thousands of tiny tensors and a handful of torch reductions per
#: tensor would cost more than the whole backward pass.
_PY_STATS_ELEMENTS = 64


_DTYPE_NAMES: dict[torch.dtype, str] = {}


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.float32`` -> ``"float32"``."""
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = str(dtype).removeprefix("torch.")
    return name


def _scalar_stats(x: float) -> Stats:
    """What :func:`_py_stats` gives for one number, without its flattening loop."""
    if x != x:  # noqa: PLR0124 - NaN is the one value unequal to itself
        return Stats(min=math.nan, mean=math.nan, max=math.nan, nan=1, inf=0)
    if x in (math.inf, -math.inf):
        return Stats(min=math.nan, mean=math.nan, max=math.nan, nan=0, inf=1)
    x = float(x)
    return Stats(x, x + 0.0, x, 0, 0)  # fsum([x]) / 1 is x, save that fsum([-0.0]) is 0.0


def _py_stats(data: Data) -> Stats:
    """Stats of a small tensor from its listed data."""
    stack, finite = [data], []
    nan = inf = 0
    while stack:  # flatten without recursion
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


def _stats(flat: torch.Tensor) -> Stats:
    """min/mean/max over the finite entries of a non-empty floating tensor."""
    finite_mask = torch.isfinite(flat)
    nan = int(torch.isnan(flat).sum())
    inf = flat.numel() - nan - int(finite_mask.sum())
    finite = flat[finite_mask].double()
    if finite.numel() == 0:
        # No finite entry: report the counts and NaN bounds rather than invent numbers.
        return Stats(min=math.nan, mean=math.nan, max=math.nan, nan=nan, inf=inf)
    return Stats(
        min=float(finite.min()),
        mean=float(finite.mean()),
        max=float(finite.max()),
        nan=nan,
        inf=inf,
    )


def tensor_value(t: torch.Tensor, max_elements: int = 10_000) -> TensorValue:
    """``t`` as a TensorValue; ``data`` is None when ``t`` has more than ``max_elements``."""
    t = t.detach()
    if t.is_complex():
        # Plain data has no complex numbers: show the magnitude, say so in the dtype.
        return _with_dtype(tensor_value(t.abs(), max_elements), f"|{dtype_name(t.dtype)}|")
    if t.device.type != "cpu":
        t = t.cpu()
    if t.dim() == 0:  # the common case in teaching graphs: skip every reduction
        item = t.item()
        scalar_stats = _scalar_stats(item) if t.is_floating_point() else None
        return TensorValue(shape=(), dtype=dtype_name(t.dtype), data=item, stats=scalar_stats)
    shape = tuple(t.shape)
    numel = t.numel()
    data: Data | None = t.tolist() if numel <= max_elements else None
    preview: tuple[float, ...] = ()
    if data is None:
        preview = tuple(t.reshape(-1)[:PREVIEW_ELEMENTS].tolist())
    stats: Stats | None = None
    if t.is_floating_point() and numel > 0:
        if data is not None and numel <= _PY_STATS_ELEMENTS:
            stats = _py_stats(data)
        else:
            stats = _stats(t.reshape(-1))
    return TensorValue(
        shape=shape, dtype=dtype_name(t.dtype), data=data, preview=preview, stats=stats
    )


def tensor_values(tensors: Sequence[torch.Tensor], max_elements: int = 10_000) -> list[TensorValue]:
    """``[tensor_value(t, max_elements) for t in tensors]``, in bulk.

    Floating CPU tensors stored in full are grouped by shape and dtype; each
    group is stacked once, listed once and reduced once (row by row, which gives
    the same numbers as reducing each tensor alone). Rows with a NaN or an
    infinity, and every other tensor, go through :func:`tensor_value`.
    """
    values: list[TensorValue | None] = [None] * len(tensors)
    groups: dict[tuple[torch.dtype, tuple[int, ...]], list[int]] = {}
    for k, t in enumerate(tensors):
        if t.is_floating_point() and t.device.type == "cpu" and 0 < t.numel() <= max_elements:
            groups.setdefault((t.dtype, tuple(t.shape)), []).append(k)
    for (dtype, shape), members in groups.items():
        if len(members) == 1:
            continue
        with torch.no_grad():  # no graph for the copy, and no detach() per tensor
            stacked = torch.stack([tensors[k] for k in members])
        rows = stacked.reshape(len(members), -1)
        finite = torch.isfinite(rows).all(1).tolist()
        data = stacked.tolist()
        stats = _row_stats(rows, finite, scalar=not shape)
        name = dtype_name(dtype)
        for k, row_data, row_stats in zip(members, data, stats, strict=True):
            if row_stats is not None:  # else a NaN or inf: counted by tensor_value below
                values[k] = TensorValue(shape=shape, dtype=name, data=row_data, stats=row_stats)
    return [
        value if value is not None else tensor_value(t, max_elements)
        for value, t in zip(values, tensors, strict=True)
    ]


def _row_stats(rows: torch.Tensor, finite: list[bool], *, scalar: bool) -> list[Stats | None]:
    """Stats of each all-finite row as :func:`tensor_value` computes them (None for the others)."""
    if scalar:
        # _scalar_stats of a finite number, without its NaN and infinity tests.
        numbers: list[float] = rows.reshape(-1).tolist()
        return [
            Stats(x, x + 0.0, x, 0, 0) if ok else None
            for x, ok in zip(numbers, finite, strict=True)
        ]
    n = rows.shape[1]
    if n <= _PY_STATS_ELEMENTS:
        # _py_stats meets the elements last to first; min/max keep the first of equal
        # values (0.0 and -0.0), so the reversed row gives the very same Stats.
        flat = rows.tolist()
        return [
            Stats(min(r := row[::-1]), math.fsum(r) / n, max(r), 0, 0) if ok else None
            for row, ok in zip(flat, finite, strict=True)
        ]
    wide = rows.double()
    mins, means, maxs = wide.amin(1).tolist(), wide.mean(1).tolist(), wide.amax(1).tolist()
    return [
        Stats(lo, mean, hi, 0, 0) if ok else None
        for lo, mean, hi, ok in zip(mins, means, maxs, finite, strict=True)
    ]


def _with_dtype(value: TensorValue, dtype: str) -> TensorValue:
    return TensorValue(value.shape, dtype, value.data, value.preview, value.stats)


def number_value(x: float | int | bool) -> TensorValue:
    """A Python number in a tensor slot (the ``2`` of ``2 * x``) as a 0-d TensorValue."""
    if isinstance(x, bool):
        return TensorValue(shape=(), dtype="bool", data=x)
    if isinstance(x, int):
        return TensorValue(shape=(), dtype="int64", data=x)
    return TensorValue(shape=(), dtype="float64", data=x, stats=_scalar_stats(x))
