"""Tensors as plain data: :func:`tensor_value` turns a torch.Tensor into a TensorValue.

The result holds no torch object: shape, dtype name (``"float32"``), every
element when the tensor is small enough (floating ones as packed bytes that
read as nested lists, see :class:`~autodiff_viz.graph.Packed`), otherwise a
preview of the first elements, and for floating tensors the min/mean/max of
the finite entries with counts of NaN and infinite ones.

:func:`tensor_values` converts many tensors at once, with the same results: a
graph holds thousands of small tensors of a few shapes, and one ``stack`` and
one read-out per shape cost far less than a few torch calls per tensor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

from autodiff_viz.graph import Packed, Stats, TensorValue

#: How many leading elements a too-large tensor keeps as its preview.
PREVIEW_ELEMENTS = 16

_DTYPE_NAMES: dict[torch.dtype, str] = {}
#: Floating dtypes stored as they are; others (float16, bfloat16) widen exactly to float32.
_TYPECODES = {torch.float32: "f", torch.float64: "d"}


def dtype_name(dtype: torch.dtype) -> str:
    """``torch.float32`` -> ``"float32"``."""
    name = _DTYPE_NAMES.get(dtype)
    if name is None:
        name = _DTYPE_NAMES[dtype] = str(dtype).removeprefix("torch.")
    return name


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


def _packed_rows(t: torch.Tensor, rows: int) -> list[Packed]:
    """A floating CPU tensor's elements as ``rows`` equal runs of native bytes."""
    typecode = _TYPECODES.get(t.dtype)
    if typecode is None:
        t, typecode = t.float(), "f"
    raw = t.detach().contiguous().numpy().tobytes()
    step = len(raw) // rows
    return [Packed(typecode, raw[k : k + step]) for k in range(0, len(raw), step)]


def tensor_value(t: torch.Tensor, max_elements: int = 10_000) -> TensorValue:
    """``t`` as a TensorValue; ``data`` is None when ``t`` has more than ``max_elements``.

    Floating data is kept as :class:`~autodiff_viz.graph.Packed` bytes and its
    stats are worked out from it when first read; a tensor too large to keep
    gets its stats from torch now.
    """
    t = t.detach()
    if t.is_complex():
        # Plain data has no complex numbers: show the magnitude, say so in the dtype.
        return _with_dtype(tensor_value(t.abs(), max_elements), f"|{dtype_name(t.dtype)}|")
    if t.device.type != "cpu":
        t = t.cpu()
    dtype = dtype_name(t.dtype)
    if t.dim() == 0:  # the common case in teaching graphs
        return TensorValue(shape=(), dtype=dtype, data=t.item())
    shape = tuple(t.shape)
    numel = t.numel()
    if numel <= max_elements:
        if t.is_floating_point() and numel:
            return TensorValue(shape=shape, dtype=dtype, data=_packed_rows(t, 1)[0])
        return TensorValue(shape=shape, dtype=dtype, data=t.tolist())
    preview = tuple(t.reshape(-1)[:PREVIEW_ELEMENTS].tolist())
    stats = _stats(t.reshape(-1)) if t.is_floating_point() else None
    return TensorValue(shape=shape, dtype=dtype, preview=preview, stats=stats)


def tensor_values(tensors: Sequence[torch.Tensor], max_elements: int = 10_000) -> list[TensorValue]:
    """``[tensor_value(t, max_elements) for t in tensors]``, in bulk.

    Floating CPU tensors stored in full are grouped by shape and dtype; each
    group is stacked once and read out once (numbers for 0-d tensors, bytes for
    the others). Every other tensor goes through :func:`tensor_value`.
    """
    values: list[TensorValue | None] = [None] * len(tensors)
    groups: dict[tuple[torch.dtype, torch.Size, bool], list[int]] = {}
    for k, t in enumerate(tensors):
        groups.setdefault((t.dtype, t.shape, t.is_cpu), []).append(k)
    for (dtype, size, is_cpu), members in groups.items():
        shape = tuple(size)
        if len(members) == 1 or not (is_cpu and dtype.is_floating_point):
            continue
        if not 0 < math.prod(shape) <= max_elements:
            continue
        with torch.no_grad():  # no graph for the copy, and no detach() per tensor
            stacked = torch.stack([tensors[k] for k in members])
        name = dtype_name(dtype)
        rows = stacked.tolist() if not shape else _packed_rows(stacked, len(members))
        for k, value in zip(members, TensorValue.many(shape, name, rows), strict=True):
            values[k] = value
    return [
        value if value is not None else tensor_value(t, max_elements)
        for value, t in zip(values, tensors, strict=True)
    ]


def _with_dtype(value: TensorValue, dtype: str) -> TensorValue:
    return TensorValue(value.shape, dtype, value.data, value.preview, value.stats)


def number_value(x: float | int | bool) -> TensorValue:
    """A Python number in a tensor slot (the ``2`` of ``2 * x``) as a 0-d TensorValue.

    Its dtype is its Python type, ``int`` or ``float``, not the int64 / float64 PyTorch wraps it
    in: a student wrote a number, not a tensor, and the graph labels it "2 (Python int)".
    """
    if isinstance(x, bool):
        return TensorValue(shape=(), dtype="bool", data=x)
    if isinstance(x, int):
        return TensorValue(shape=(), dtype="int", data=x)
    return TensorValue(shape=(), dtype="float", data=x)
