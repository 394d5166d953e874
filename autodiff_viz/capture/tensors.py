"""Tensors as plain data: :func:`tensor_value` turns a torch.Tensor into a TensorValue.

The result holds no torch object: shape, dtype name (``"float32"``), every
element as nested Python lists when the tensor is small enough, otherwise a
preview of the first elements, and for floating tensors the min/mean/max of
the finite entries with counts of NaN and infinite ones.
"""

from __future__ import annotations

import math

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


def _with_dtype(value: TensorValue, dtype: str) -> TensorValue:
    return TensorValue(value.shape, dtype, value.data, value.preview, value.stats)


def number_value(x: float | int | bool) -> TensorValue:
    """A Python number in a tensor slot (the ``2`` of ``2 * x``) as a 0-d TensorValue."""
    if isinstance(x, bool):
        return TensorValue(shape=(), dtype="bool", data=x)
    if isinstance(x, int):
        return TensorValue(shape=(), dtype="int64", data=x)
    return TensorValue(shape=(), dtype="float64", data=x, stats=_scalar_stats(x))
