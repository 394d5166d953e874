"""Small n-dimensional arrays in pure Python: what a rule needs to compute a gradient.

An :class:`Arr` is a shape and its elements in row-major order (Python floats).
The functions mirror the handful of tensor operations backward formulas use:
elementwise maps with broadcasting, sums over dims, reshapes, permutations,
matrix products, gathers and scatters along one dim. No torch, no numpy: the
Streamlit server explains a gradient without importing either, and a rule
reads like the formula it implements.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from itertools import product
from typing import Any, NamedTuple

from autodiff_viz.graph import Data, TensorValue

Shape = tuple[int, ...]
#: Multiply-adds one matrix product may take here (about a second of pure Python).
MAX_PRODUCT_WORK = 2_000_000


class Arr(NamedTuple):
    """A shape and its elements in row-major order."""

    shape: Shape
    flat: list[float]

    @property
    def numel(self) -> int:
        return len(self.flat)


def _flatten(data: Any, out: list[float]) -> None:
    if isinstance(data, list):
        for item in data:
            _flatten(item, out)
    else:
        out.append(float(data))


def from_data(data: Data, shape: Shape) -> Arr:
    """Nested lists (or a number) of ``shape`` as an Arr."""
    flat: list[float] = []
    _flatten(data, flat)
    if len(flat) != math.prod(shape):
        raise ValueError(f"{len(flat)} elements do not fill shape {shape}")
    return Arr(shape, flat)


def from_value(value: TensorValue | None) -> Arr | None:
    """A TensorValue whose every element was kept, as an Arr; None otherwise."""
    if value is None or value.data is None:
        return None
    return from_data(value.data, value.shape)


def to_data(a: Arr) -> Data:
    """The Arr as nested lists, or a number for a 0-d one."""
    if not a.shape:
        return a.flat[0]
    rows: list[Any] = list(a.flat)
    for size in reversed(a.shape[1:]):
        rows = [rows[i : i + size] for i in range(0, len(rows), size)] if size else []
    if 0 in a.shape[1:]:  # a zero-size inner dim: rebuild the empty nesting
        return _empty(a.shape)
    return rows


def _empty(shape: Shape) -> Data:
    if len(shape) == 1:
        return [] if shape[0] == 0 else [0.0] * shape[0]
    return [_empty(shape[1:]) for _ in range(shape[0])]


def full(shape: Shape, value: float) -> Arr:
    return Arr(shape, [value] * math.prod(shape))


def scalar(value: float) -> Arr:
    return Arr((), [value])


def strides(shape: Shape) -> tuple[int, ...]:
    out = [1] * len(shape)
    for d in range(len(shape) - 2, -1, -1):
        out[d] = out[d + 1] * shape[d + 1]
    return tuple(out)


def broadcast_shape(*shapes: Shape) -> Shape:
    """The shape broadcasting gives ``shapes`` (ValueError when they do not broadcast)."""
    ndim = max((len(s) for s in shapes), default=0)
    out: list[int] = []
    for d in range(ndim):
        sizes = {s[d - ndim + len(s)] for s in shapes if d - ndim + len(s) >= 0} - {1}
        if len(sizes) > 1:
            raise ValueError(f"shapes {shapes} do not broadcast")
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def expand(a: Arr, shape: Shape) -> Arr:
    """``a`` broadcast to ``shape`` (every element copied where a dim is stretched)."""
    if a.shape == shape:
        return a
    pad = len(shape) - len(a.shape)
    src_strides = strides(a.shape)
    steps = [0] * pad + [0 if n == 1 else st for n, st in zip(a.shape, src_strides, strict=True)]
    flat = a.flat
    out = [flat[sum(i * s for i, s in zip(idx, steps, strict=True))] for idx in _indices(shape)]
    return Arr(shape, out)


def _indices(shape: Shape) -> Iterable[tuple[int, ...]]:
    return product(*(range(n) for n in shape))


def unary(f: Callable[[float], float], a: Arr) -> Arr:
    return Arr(a.shape, [f(x) for x in a.flat])


def binary(f: Callable[[float, float], float], a: Arr, b: Arr) -> Arr:
    """``f`` elementwise over ``a`` and ``b`` broadcast together."""
    if a.shape != b.shape:
        shape = broadcast_shape(a.shape, b.shape)
        a, b = expand(a, shape), expand(b, shape)
    return Arr(a.shape, [f(x, y) for x, y in zip(a.flat, b.flat, strict=True)])


def mul(a: Arr, b: Arr) -> Arr:
    return binary(lambda x, y: x * y, a, b)


def add(a: Arr, b: Arr) -> Arr:
    return binary(lambda x, y: x + y, a, b)


def sub(a: Arr, b: Arr) -> Arr:
    return binary(lambda x, y: x - y, a, b)


def scale(a: Arr, k: float) -> Arr:
    return Arr(a.shape, [x * k for x in a.flat])


def reshape(a: Arr, shape: Shape) -> Arr:
    if math.prod(shape) != a.numel:
        raise ValueError(f"cannot view {a.shape} as {shape}")
    return Arr(tuple(shape), a.flat)


def norm_dim(dim: int, ndim: int) -> int:
    """A dim given as PyTorch takes it (negative counts from the end) as 0..ndim-1."""
    return dim + ndim if dim < 0 else dim


def sum_dims(a: Arr, dims: Sequence[int], keepdim: bool = False) -> Arr:
    """The sum over ``dims`` (all dims when empty, as ``sum(dim=[])`` means in PyTorch)."""
    ndim = len(a.shape)
    axes = {norm_dim(d, ndim) for d in dims} if dims else set(range(ndim))
    kept = tuple(1 if d in axes else n for d, n in enumerate(a.shape))
    out_strides = strides(kept)
    out = [0.0] * math.prod(kept)
    for idx, x in zip(_indices(a.shape), a.flat, strict=True):
        out[
            sum(
                0 if d in axes else i * s
                for d, (i, s) in enumerate(zip(idx, out_strides, strict=False))
            )
        ] += x
    shape = kept if keepdim else tuple(n for d, n in enumerate(a.shape) if d not in axes)
    return Arr(shape, out)


def sum_to(a: Arr, shape: Shape) -> tuple[Arr, tuple[int, ...]]:
    """``a`` summed down to ``shape`` over the dims broadcasting stretched, and those dims.

    The dims are numbered in ``a``'s shape: what a student reads as "summed over dim 0".
    """
    if a.shape == shape:
        return a, ()
    pad = len(a.shape) - len(shape)
    dims = tuple(
        d for d in range(len(a.shape)) if d < pad or (shape[d - pad] == 1 and a.shape[d] != 1)
    )
    summed = sum_dims(a, dims, keepdim=True) if dims else a
    return reshape(summed, shape), dims


def permute(a: Arr, dims: Sequence[int]) -> Arr:
    """``a.permute(dims)``: output dim k is input dim ``dims[k]``."""
    ndim = len(a.shape)
    dims = [norm_dim(d, ndim) for d in dims]
    shape = tuple(a.shape[d] for d in dims)
    src = strides(a.shape)
    steps = [src[d] for d in dims]
    flat = a.flat
    return Arr(
        shape,
        [flat[sum(i * s for i, s in zip(idx, steps, strict=False))] for idx in _indices(shape)],
    )


def transpose(a: Arr, d0: int = 0, d1: int = 1) -> Arr:
    if len(a.shape) < 2:
        return a
    dims = list(range(len(a.shape)))
    d0, d1 = norm_dim(d0, len(dims)), norm_dim(d1, len(dims))
    dims[d0], dims[d1] = dims[d1], dims[d0]
    return permute(a, dims)


def matmul(a: Arr, b: Arr) -> Arr:
    """The product of an n×k and a k×m matrix."""
    (n, k), (k2, m) = a.shape, b.shape
    if k != k2:
        raise ValueError(f"cannot multiply {a.shape} by {b.shape}")
    if n * k * m > MAX_PRODUCT_WORK:
        raise ValueError("a matrix product too big to redo in pure Python")
    af, bf = a.flat, b.flat
    out = [
        math.fsum(af[i * k + j] * bf[j * m + c] for j in range(k))
        for i in range(n)
        for c in range(m)
    ]
    return Arr((n, m), out)


def bmm(a: Arr, b: Arr) -> Arr:
    """Batched :func:`matmul` of b×n×k and b×k×m."""
    batch, n, k = a.shape
    m = b.shape[2]
    out: list[float] = []
    for i in range(batch):
        left = Arr((n, k), a.flat[i * n * k : (i + 1) * n * k])
        right = Arr((k, m), b.flat[i * k * m : (i + 1) * k * m])
        out.extend(matmul(left, right).flat)
    return Arr((batch, n, m), out)


def outer(a: Arr, b: Arr) -> Arr:
    return Arr((a.numel, b.numel), [x * y for x in a.flat for y in b.flat])


def narrow(a: Arr, dim: int, start: int, length: int, step: int = 1) -> Arr:
    """Elements ``start, start+step, ...`` (``length`` of them) along ``dim``."""
    dim = norm_dim(dim, len(a.shape))
    shape = (*a.shape[:dim], length, *a.shape[dim + 1 :])
    src = strides(a.shape)
    flat = a.flat
    out = [
        flat[
            sum(
                (i * step + start if d == dim else i) * s
                for d, (i, s) in enumerate(zip(idx, src, strict=False))
            )
        ]
        for idx in _indices(shape)
    ]
    return Arr(shape, out)


def place(shape: Shape, part: Arr, dim: int, start: int, step: int = 1) -> Arr:
    """Zeros of ``shape`` with ``part`` written at ``start, start+step, ...`` along ``dim``."""
    dim = norm_dim(dim, len(shape))
    out = [0.0] * math.prod(shape)
    dst = strides(shape)
    for idx, x in zip(_indices(part.shape), part.flat, strict=True):
        out[
            sum(
                (i * step + start if d == dim else i) * s
                for d, (i, s) in enumerate(zip(idx, dst, strict=False))
            )
        ] += x
    return Arr(shape, out)


def concat(parts: Sequence[Arr], dim: int) -> Arr:
    """``torch.cat(parts, dim)``."""
    first = parts[0].shape
    dim = norm_dim(dim, len(first))
    size = sum(p.shape[dim] for p in parts)
    shape = (*first[:dim], size, *first[dim + 1 :])
    out = full(shape, 0.0)
    start = 0
    for p in parts:
        out = add(out, place(shape, p, dim, start))
        start += p.shape[dim]
    return out


def unsqueeze(a: Arr, dim: int) -> Arr:
    dim = norm_dim(dim, len(a.shape) + 1)
    return Arr((*a.shape[:dim], 1, *a.shape[dim:]), a.flat)


def finite(a: Arr) -> bool:
    return all(math.isfinite(x) for x in a.flat)


def close(a: Arr, b: Arr, rtol: float = 1e-4, atol: float = 1e-5) -> bool:
    """Equal within float32 tolerance, scaled by the larger entries; NaN equals NaN."""
    if a.shape != b.shape:
        return False
    size = max((abs(x) for x in b.flat if math.isfinite(x)), default=0.0)
    tol = atol * max(1.0, size)
    for x, y in zip(a.flat, b.flat, strict=True):
        if math.isnan(x) or math.isnan(y):
            if not (math.isnan(x) and math.isnan(y)):
                return False
        elif math.isinf(x) or math.isinf(y):
            if x != y:
                return False
        elif abs(x - y) > tol + rtol * abs(y):
            return False
    return True
