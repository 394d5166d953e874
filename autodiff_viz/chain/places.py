"""Rules of ops that read or write chosen places of a tensor: indexing, masks, writes in place.

``x[idx]`` with integer or boolean index tensors, ``index_put`` (``x[idx] = v``),
``masked_fill``, ``masked_select``, a strided view PyTorch replays (``as_strided``)
and an in-place op on a view (``x[0] = y``, ``x[:, 1] *= 2``: PyTorch's
``CopySlices``). Each rule first works out *which* places of the input the op
touched (from the saved indices or mask, or from the view's size, stride and
offset capture wrote down), then moves the gradient through those places: added
back where an index read, zero where a write overwrote, untouched elsewhere.
"""

from __future__ import annotations

import math
from itertools import product

from autodiff_viz.chain import arrays as A
from autodiff_viz.chain.arrays import Arr, Shape
from autodiff_viz.chain.context import Missing, OpContext, Part

# --- which places ------------------------------------------------------------------


def _index_arrays(ctx: OpContext, ndim: int) -> dict[int, Arr]:
    """The saved ``indices[k]`` as one integer array per indexed dim (a mask gives one per dim).

    A boolean mask over ``m`` dims stands for ``m`` integer arrays: the coordinates of
    its True entries, in row-major order (what ``mask.nonzero()`` gives).
    """
    found = sorted((int(k[len("indices[") : -1]), k) for k in ctx.saved if k.startswith("indices["))
    if not found:
        raise Missing("indices")
    arrays: dict[int, Arr] = {}
    shift = 0  # dims taken by masks before position k, beyond the one each position has
    last = -1
    for position, name in found:
        dim = position + shift
        shift_here = 0
        arr = ctx.saved_arr(name)
        if ctx.saved[name].dtype == "bool":
            coords = [idx for idx, m in zip(_indices(arr.shape), arr.flat, strict=True) if m]
            for j in range(len(arr.shape)):
                arrays[dim + j] = Arr((len(coords),), [float(c[j]) for c in coords])
            shift_here = len(arr.shape) - 1
        else:
            arrays[dim] = arr
        shift += shift_here
        last = max(last, dim + shift_here)
    if last >= ndim:
        raise ValueError("more indexed dims than the tensor has")
    return arrays


def _indices(shape: Shape) -> product[tuple[int, ...]]:
    return product(*(range(n) for n in shape))


def gathered(shape: Shape, arrays: dict[int, Arr]) -> tuple[Shape, list[int]]:
    """``x[idx]`` for ``x`` of ``shape``: the result's shape and where each result entry came from.

    The indices' broadcast shape takes the place of the indexed dims when these are next to
    each other (``x[i, j]``, ``x[:, mask]``), and comes first when they are apart
    (``x[i, :, j]``), as PyTorch does.
    """
    dims = sorted(arrays)
    first, count = dims[0], len(dims)
    idx_shape = A.broadcast_shape(*(arrays[d].shape for d in dims))
    columns = [A.expand(arrays[d], idx_shape).flat for d in dims]
    steps = A.strides(shape)
    picked = []
    for k in range(math.prod(idx_shape)):
        offset = 0
        for j, d in enumerate(dims):
            i = int(columns[j][k])
            offset += (i + shape[d] if i < 0 else i) * steps[d]
        picked.append(offset)
    if dims == list(range(first, first + count)):
        pre, post = tuple(range(first)), tuple(range(first + count, len(shape)))
    else:
        pre, post = (), tuple(d for d in range(len(shape)) if d not in arrays)

    def at(free: tuple[int, ...], idx: tuple[int, ...]) -> int:
        return sum(i * steps[d] for d, i in zip(free, idx, strict=True))

    places = [
        at(pre, lead) + offset + at(post, tail)
        for lead in _indices(tuple(shape[d] for d in pre))
        for offset in picked
        for tail in _indices(tuple(shape[d] for d in post))
    ]
    out = (*(shape[d] for d in pre), *idx_shape, *(shape[d] for d in post))
    return out, places


def view_places(ctx: OpContext, slot: int) -> list[int]:
    """Where the entries of a view lie in its base (``view_*`` numbers, in the base's order)."""
    shape = ctx.shape(slot)
    size, stride = ctx.ints("view_size"), ctx.ints("view_stride")
    if ctx.ints("base_stride") != A.strides(shape):
        raise Missing("view")  # a base that is itself strided: not worked out here
    return _strided(shape, size, stride, int(ctx.number("view_offset")))


def _strided(shape: Shape, size: Shape, stride: Shape, offset: int) -> list[int]:
    places = [
        offset + sum(i * s for i, s in zip(idx, stride, strict=True)) for idx in _indices(size)
    ]
    numel = math.prod(shape)
    if any(not 0 <= p < numel for p in places):
        raise Missing("view")
    return places


def _scatter(shape: Shape, places: list[int], g: Arr) -> Arr:
    out = [0.0] * math.prod(shape)
    for p, v in zip(places, g.flat, strict=True):
        out[p] += v
    return Arr(shape, out)


def _gather(a: Arr, places: list[int], shape: Shape) -> Arr:
    return Arr(shape, [a.flat[p] for p in places])


# --- reading places --------------------------------------------------------------


def index(ctx: OpContext, slot: int) -> Part:
    """``x[idx]`` (integers or a mask): each read place gets its gradient back, added up."""
    shape = ctx.shape(slot)
    out_shape, places = gathered(shape, _index_arrays(ctx, len(shape)))
    g = ctx.g
    if g.shape != out_shape:
        raise ValueError(f"indexing gives {out_shape}, the gradient is {g.shape}")
    return Part(_scatter(shape, places, g))


def as_strided(ctx: OpContext, slot: int) -> Part:
    """A strided view (PyTorch replays one after an in-place write): gradient put back in place."""
    shape = ctx.shape(slot)
    places = _strided(
        shape, ctx.ints("size"), ctx.ints("stride"), int(ctx.number("storage_offset"))
    )
    return Part(_scatter(shape, places, ctx.g))


def masked_select(ctx: OpContext, slot: int) -> Part:
    """``x[mask]`` as ``masked_select``: the gradient goes back to the True places."""
    shape = ctx.shape(slot)
    mask = ctx.saved_arr("mask")
    both = A.broadcast_shape(shape, mask.shape)
    places = [p for p, m in enumerate(A.expand(mask, both).flat) if m]
    value, summed = A.sum_to(_scatter(both, places, ctx.g), shape)
    return Part(value, None, summed)


def masked_fill(ctx: OpContext, slot: int) -> Part:
    """``x.masked_fill(mask, v)``: x keeps the gradient where mask is False; v gets the rest."""
    mask = ctx.saved_arr("mask")
    g = ctx.g
    shape = ctx.shape(slot)
    if slot == 0:
        keep = A.unary(lambda m: 0.0 if m else 1.0, A.expand(mask, g.shape))
        value, summed = A.sum_to(A.mul(g, keep), shape)
        return Part(value, keep, summed)
    value, summed = A.sum_to(A.mul(g, A.expand(mask, g.shape)), shape)
    return Part(value, None, summed)


# --- writing places -----------------------------------------------------------------


def index_put(ctx: OpContext, slot: int) -> Part:
    """``x[idx] = v`` (``+=`` with ``accumulate``): x loses the gradient at overwritten places."""
    shape = ctx.shape(0)
    out_shape, places = gathered(shape, _index_arrays(ctx, len(shape)))
    g = ctx.g
    if slot == 0:
        if ctx.attrs.get("accumulate", False):
            return Part(g, A.full(shape, 1.0))
        keep = A.full(shape, 1.0)
        for p in places:
            keep.flat[p] = 0.0
        return Part(A.mul(g, keep), keep)
    value, summed = A.sum_to(_gather(g, places, out_shape), ctx.shape(slot))
    return Part(value, None, summed)


#: The in-place ops a CopySlices rule knows: the factor the view's old entries get.
_KEEPS = {"copy_": 0.0, "fill_": 0.0, "zero_": 0.0, "add_": 1.0, "sub_": 1.0, "neg_": -1.0}


def _other(ctx: OpContext, size: Shape) -> Arr:
    if "other" in ctx.attrs:
        return A.full(size, ctx.number("other"))
    return A.expand(ctx.x(1), size)


def _old_factor(ctx: OpContext, op: str, size: Shape) -> Arr:
    if op in _KEEPS:
        return A.full(size, _KEEPS[op])
    if op == "mul_":
        return _other(ctx, size)
    if op == "div_":
        return A.unary(lambda b: 1.0 / b if b else math.copysign(math.inf, b), _other(ctx, size))
    raise Missing(f"the rule of in-place {op}")


def copy_slices(ctx: OpContext, slot: int) -> Part:
    """An in-place op on a view of a tensor (``x[0] = y``, ``x[:, 1] *= 2``).

    The tensor before the write (slot 0) keeps the gradient outside the view and, inside,
    gets it times the op's factor for its old entries (0 for ``=``, c for ``*= c``). The
    op's other input (slot 1: the ``y`` of ``x[0] = y``) gets the gradient of the view.
    """
    op = str(ctx.attr("inplace"))
    base = ctx.shape(0)
    places = view_places(ctx, 0)
    size = ctx.ints("view_size")
    g = ctx.g
    if slot == 0:
        local = A.full(base, 1.0)
        for p, f in zip(places, _old_factor(ctx, op, size).flat, strict=True):
            local.flat[p] = f
        return Part(A.mul(g, local), local)
    g_view = _gather(g, places, size)
    alpha = ctx.number("alpha", 1.0)
    if op in ("copy_", "fill_"):
        share = g_view
    elif op == "add_":
        share = A.scale(g_view, alpha)
    elif op == "sub_":
        share = A.scale(g_view, -alpha)
    elif op == "mul_":
        share = A.mul(g_view, _gather(ctx.x(0), places, size))
    elif op == "div_":
        old, b = _gather(ctx.x(0), places, size), A.expand(ctx.x(1), size)
        share = A.mul(g_view, A.binary(lambda a, d: -a / (d * d), old, b))
    else:
        raise Missing(f"the rule of in-place {op}")
    value, summed = A.sum_to(share, ctx.shape(slot))
    return Part(value, None, summed)
