"""Rules that move gradients between shapes: reductions, matrix products, views, losses.

Each function takes an op's :class:`~autodiff_viz.chain.context.OpContext` and an input
slot and returns a :class:`~autodiff_viz.chain.context.Part`: the input's share of the
gradient (shaped like the input) and, where the rule reads as one factor per entry (a
sum, a mean, a max), that factor. Matrix rules are the textbook ones: for Y = A·B,
∂L/∂A = (∂L/∂Y)·Bᵀ and ∂L/∂B = Aᵀ·(∂L/∂Y).
"""

from __future__ import annotations

import math

from autodiff_viz.chain import arrays as A
from autodiff_viz.chain.arrays import Arr
from autodiff_viz.chain.context import Missing, OpContext, Part

# --- reductions ----------------------------------------------------------------


def spread(ctx: OpContext, slot: int, dims: tuple[int, ...], keepdim: bool) -> Arr:
    """The upstream gradient put back over the reduced ``dims`` of the input's shape."""
    shape = ctx.shape(slot)
    g = ctx.g
    if dims and not keepdim:
        for d in sorted(A.norm_dim(d, len(shape)) for d in dims):
            g = A.unsqueeze(g, d)
    return A.expand(A.reshape(g, tuple(1 for _ in shape)) if not dims else g, shape)


def reduced_dims(ctx: OpContext, slot: int) -> tuple[tuple[int, ...], bool]:
    dims = ctx.ints("dim") if "dim" in ctx.attrs else ()
    keepdim = bool(ctx.attrs.get("keepdim", False))
    return dims, keepdim


def sum_all(ctx: OpContext, slot: int) -> Part:
    upstream = spread(ctx, slot, (), False)
    return Part(upstream, A.full(ctx.shape(slot), 1.0))


def sum_dim(ctx: OpContext, slot: int) -> Part:
    dims, keepdim = reduced_dims(ctx, slot)
    if not dims:
        return sum_all(ctx, slot)
    return Part(spread(ctx, slot, dims, keepdim), A.full(ctx.shape(slot), 1.0))


def count(shape: tuple[int, ...], dims: tuple[int, ...]) -> int:
    if not dims:
        return math.prod(shape)
    return math.prod(shape[A.norm_dim(d, len(shape))] for d in dims)


def mean(ctx: OpContext, slot: int) -> Part:
    dims, keepdim = reduced_dims(ctx, slot)
    shape = ctx.shape(slot)
    n = count(shape, dims)
    local = A.full(shape, 1.0 / n if n else math.nan)
    return Part(A.mul(spread(ctx, slot, dims, keepdim), local), local)


def extreme_all(ctx: OpContext, slot: int) -> Part:
    """max()/min()/amax/amin: the gradient goes to the extreme entries, shared by ties."""
    dims, keepdim = reduced_dims(ctx, slot)
    x, shape = ctx.x(slot), ctx.shape(slot)
    y = ctx.y()
    y_spread = spread_value(y, shape, dims, keepdim)
    hits = A.binary(lambda v, m: float(v == m), x, y_spread)
    counts = spread_value(
        A.sum_dims(hits, dims, keepdim=keepdim) if dims else A.scalar(sum(hits.flat)),
        shape,
        dims,
        keepdim,
    )
    local = A.binary(lambda h, c: h / c if c else 0.0, hits, counts)
    return Part(A.mul(spread(ctx, slot, dims, keepdim), local), local)


def spread_value(v: Arr, shape: tuple[int, ...], dims: tuple[int, ...], keepdim: bool) -> Arr:
    if dims and not keepdim:
        for d in sorted(A.norm_dim(d, len(shape)) for d in dims):
            v = A.unsqueeze(v, d)
    return A.expand(v if dims else A.reshape(v, tuple(1 for _ in shape)), shape)


def extreme_dim(ctx: OpContext, slot: int) -> Part:
    """max(dim)/min(dim): the gradient goes to the one entry the indices name."""
    dim = A.norm_dim(ctx.ints("dim")[0], len(ctx.shape(slot)))
    keepdim = bool(ctx.attrs.get("keepdim", False))
    shape = ctx.shape(slot)
    indices = ctx.saved_arr("indices")
    idx = spread_value(indices, shape, (dim,), keepdim)
    along = Arr(shape, [float(i) for i in positions(shape, dim)])
    local = A.binary(lambda p, i: float(p == i), along, idx)
    return Part(A.mul(spread(ctx, slot, (dim,), keepdim), local), local)


def positions(shape: tuple[int, ...], dim: int) -> list[int]:
    """Each element's index along ``dim``, in row-major order."""
    inner = math.prod(shape[dim + 1 :])
    size = shape[dim]
    return [(k // inner) % size for k in range(math.prod(shape))]


# --- matrices --------------------------------------------------------------------


def mm(ctx: OpContext, slot: int) -> Part:
    a, b, g = ctx.x(0), ctx.x(1), ctx.g
    if slot == 0:
        return Part(A.matmul(g, A.transpose(b)))
    return Part(A.matmul(A.transpose(a), g))


def mv(ctx: OpContext, slot: int) -> Part:
    m, v, g = ctx.x(0), ctx.x(1), ctx.g
    if slot == 0:
        return Part(A.outer(g, v))
    return Part(A.reshape(A.matmul(A.transpose(m), A.reshape(g, (g.numel, 1))), v.shape))


def dot(ctx: OpContext, slot: int) -> Part:
    other = ctx.x(1 - slot)
    return Part(A.mul(ctx.g, other), other)


def addmm(ctx: OpContext, slot: int) -> Part:
    g = ctx.g
    if slot == 0:
        beta = ctx.number("beta", 1)
        value, summed = A.sum_to(A.scale(g, beta), ctx.shape(0))
        return Part(value, None, summed)
    alpha = ctx.number("alpha", 1)
    if slot == 1:
        return Part(A.scale(A.matmul(g, A.transpose(ctx.x(2))), alpha))
    return Part(A.scale(A.matmul(A.transpose(ctx.x(1)), g), alpha))


def bmm(ctx: OpContext, slot: int) -> Part:
    a, b, g = ctx.x(0), ctx.x(1), ctx.g
    if slot == 0:
        return Part(A.bmm(g, A.transpose(b, 1, 2)))
    return Part(A.bmm(A.transpose(a, 1, 2), g))


# --- shapes ------------------------------------------------------------------------


def reshape_back(ctx: OpContext, slot: int) -> Part:
    return Part(A.reshape(ctx.g, ctx.shape(slot)))


def t(ctx: OpContext, slot: int) -> Part:
    return Part(A.transpose(ctx.g))


def expand(ctx: OpContext, slot: int) -> Part:
    value, summed = A.sum_to(ctx.g, ctx.shape(slot))
    return Part(value, None, summed)


def transpose(ctx: OpContext, slot: int) -> Part:
    return Part(A.transpose(ctx.g, int(ctx.number("dim0")), int(ctx.number("dim1"))))


def permute(ctx: OpContext, slot: int) -> Part:
    dims = [A.norm_dim(d, len(ctx.g.shape)) for d in ctx.ints("dims")]
    inverse = [dims.index(k) for k in range(len(dims))]
    return Part(A.permute(ctx.g, inverse))


def cat(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim", 0)), len(shape))
    start = 0
    for k in range(slot):
        other = ctx.shape(k)
        if other != (0,):  # torch.cat skips empty 1-d tensors
            start += other[dim]
    return Part(A.narrow(ctx.g, dim, start, shape[dim]))


def stack(ctx: OpContext, slot: int) -> Part:
    dim = A.norm_dim(int(ctx.number("dim", 0)), len(ctx.g.shape))
    return Part(A.reshape(A.narrow(ctx.g, dim, slot, 1), ctx.shape(slot)))


def select(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim")), len(shape))
    index = int(ctx.number("index"))
    index = index + shape[dim] if index < 0 else index
    return Part(A.place(shape, A.unsqueeze(ctx.g, dim), dim, index))


def slice(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim")), len(shape))
    size = shape[dim]
    start = int(ctx.number("start", 0))
    step = int(ctx.number("step", 1))
    start = min(max(start + size if start < 0 else start, 0), size)
    return Part(A.place(shape, ctx.g, dim, start, step))


def unbind(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim", 0)), len(shape))
    part_shape = shape[:dim] + shape[dim + 1 :]
    parts = [
        A.unsqueeze(g if g is not None else A.full(part_shape, 0.0), dim) for g in ctx.upstreams
    ]
    return Part(A.concat(parts, dim))


def split(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim", 0)), len(shape))
    sizes = split_sizes(ctx, shape[dim])
    parts = []
    for k, size in enumerate(sizes):
        g = ctx.upstreams[k] if k < len(ctx.upstreams) else None
        part_shape = (*shape[:dim], size, *shape[dim + 1 :])
        parts.append(g if g is not None else A.full(part_shape, 0.0))
    return Part(A.concat(parts, dim))


def split_sizes(ctx: OpContext, total: int) -> tuple[int, ...]:
    if "split_sizes" in ctx.attrs:
        return ctx.ints("split_sizes")
    size = int(ctx.number("split_size"))
    return tuple(min(size, total - k) for k in range(0, total, size)) if size else (0,)


# --- losses and softmax ------------------------------------------------------------


def softmax(ctx: OpContext, slot: int) -> Part:
    y, g = ctx.y(), ctx.g
    dim = A.norm_dim(int(ctx.number("dim")), len(y.shape))
    dots = A.sum_dims(A.mul(g, y), (dim,), keepdim=True)
    return Part(A.mul(y, A.sub(g, dots)))


def log_softmax(ctx: OpContext, slot: int) -> Part:
    y, g = ctx.y(), ctx.g
    dim = A.norm_dim(int(ctx.number("dim")), len(y.shape))
    total = A.sum_dims(g, (dim,), keepdim=True)
    return Part(A.sub(g, A.mul(A.unary(math.exp, y), total)))


def nll(ctx: OpContext, slot: int) -> Part:
    """-1 (times the class weight) at each sample's target class; / total weight for mean."""
    shape = ctx.shape(0)
    target = ctx.saved_arr("target")
    weight = ctx.saved_arr("weight") if "weight" in ctx.saved else None
    ignore = int(ctx.number("ignore_index", -100))
    reduction = int(ctx.number("reduction", 1))
    classes = shape[-1] if len(shape) == 2 else shape[0]
    rows = shape[0] if len(shape) == 2 else 1
    targets = [int(v) for v in target.flat]
    weights = [
        0.0 if c == ignore else (weight.flat[c] if weight is not None else 1.0) for c in targets
    ]
    total = sum(weights) if reduction == 1 else 1.0
    g = ctx.g
    out = [0.0] * (rows * classes)
    for r, (c, w) in enumerate(zip(targets, weights, strict=True)):
        if c == ignore:
            continue
        up = g.flat[r] if reduction == 0 else g.flat[0]
        out[r * classes + c] = -up * w / total if total else math.nan
    return Part(Arr(shape, out))


def vector_norm(ctx: OpContext, slot: int) -> Part:
    """‖a‖ₚ: each entry's share is sign(a)·|a|ᵖ⁻¹/‖a‖ᵖ⁻¹ (a/‖a‖ for p = 2), 0 where ‖a‖ = 0."""
    shape = ctx.shape(slot)
    dims = ctx.ints("dim") if "dim" in ctx.attrs else ()
    keepdim = bool(ctx.attrs.get("keepdim", False))
    p = ctx.number("ord", 2)
    if not 0 < p < math.inf:
        raise Missing("ord")
    norms = spread_value(ctx.y(), shape, dims, keepdim)

    def share(v: float, n: float) -> float:
        if n == 0 or v == 0:
            return 0.0
        return math.copysign(abs(v) ** (p - 1), v) / n ** (p - 1)

    local = A.binary(share, ctx.x(slot), norms)
    return Part(A.mul(spread(ctx, slot, dims, keepdim), local), local)
