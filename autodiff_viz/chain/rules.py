"""The rule table: for each PyTorch backward node, how a gradient passes to each input.

``RULES`` maps a ``grad_fn`` class name (``MulBackward0``) to a :class:`Rule`.
A rule's function takes the op's :class:`~autodiff_viz.chain.context.OpContext`
and an input slot and returns a :class:`Part`: the contribution to that input's
gradient and, for elementwise rules, the local derivative it multiplied the
upstream gradient by. Everything is worked out from the forward values and the
numbers the op saved (an exponent, a dim), never read off PyTorch's gradients;
the caller compares the result with PyTorch's.

The rules follow PyTorch's own formulas (``tools/autograd/derivatives.yaml``),
restated for reading; each one's text lives in :mod:`autodiff_viz.i18n.explain`
under ``explain.rule.<key>.<n>`` (the formula) and ``explain.say.<key>`` (words).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from autodiff_viz.chain import arrays as A
from autodiff_viz.chain.arrays import Arr
from autodiff_viz.chain.context import Missing, OpContext


class Part(NamedTuple):
    """One input's share: ``value`` (shaped like the input), the local factor, summed dims."""

    value: Arr
    local: Arr | None = None
    summed: tuple[int, ...] = ()


RuleFn = Callable[[OpContext, int], Part]


@dataclass(frozen=True)
class Rule:
    """``key`` names the texts; ``texts`` how many slot-specific formulas there are."""

    key: str
    fn: RuleFn
    texts: int = 1
    elementwise: bool = False

    def text_index(self, slot: int) -> int:
        return min(slot, self.texts - 1)


def _elementwise(local: Callable[[OpContext, int], Arr]) -> RuleFn:
    """upstream × local, summed back over the dims broadcasting stretched."""

    def rule(ctx: OpContext, slot: int) -> Part:
        factor = local(ctx, slot)
        product = A.mul(ctx.g, factor)
        value, summed = A.sum_to(product, ctx.shape(slot))
        return Part(value, factor, summed)

    return rule


def _const(ctx: OpContext, slot: int, k: float) -> Arr:
    return A.full(ctx.shape(slot), k)


def _div(x: float, y: float) -> float:
    if y == 0:
        return (
            math.nan
            if x == 0 or math.isnan(x)
            else math.copysign(math.inf, x) * (-1 if math.copysign(1, y) < 0 else 1)
        )
    return x / y


def _log(x: float) -> float:
    if x == 0:
        return -math.inf
    if x < 0 or math.isnan(x):
        return math.nan
    return math.log(x) if math.isfinite(x) else math.inf


def _pow(x: float, p: float) -> float:
    try:
        result = x**p
    except ZeroDivisionError:
        return math.inf
    except OverflowError:
        return math.inf
    return math.nan if isinstance(result, complex) else float(result)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


# --- elementwise ---------------------------------------------------------------


def _add(ctx: OpContext, slot: int) -> Arr:
    return _const(ctx, slot, 1.0 if slot == 0 else ctx.number("alpha", 1))


def _sub(ctx: OpContext, slot: int) -> Arr:
    return _const(ctx, slot, 1.0 if slot == 0 else -ctx.number("alpha", 1))


def _rsub(ctx: OpContext, slot: int) -> Arr:  # other - alpha * self
    return _const(ctx, slot, -ctx.number("alpha", 1) if slot == 0 else 1.0)


_OPERANDS = ("self", "other")


def _mul(ctx: OpContext, slot: int) -> Arr:
    other = 1 - slot  # mul.Scalar (MulBackward1) saved the number as ``other``
    return ctx.x(other, saved=_OPERANDS[other], attr=_OPERANDS[other])


def _div_local(ctx: OpContext, slot: int) -> Arr:
    b = ctx.x(1, saved="other", attr="other")
    if slot == 0:
        return A.unary(lambda v: _div(1.0, v), b)
    return A.binary(lambda a, v: _div(-a, v * v), ctx.x(0, saved="self"), b)


def _pow_scalar(ctx: OpContext, slot: int) -> Arr:
    p = ctx.number("exponent")
    if p == 0:
        return _const(ctx, slot, 0.0)
    return A.unary(lambda v: p * _pow(v, p - 1), ctx.x(0))


def _pow_tensor(ctx: OpContext, slot: int) -> Arr:
    a, b = ctx.x(0), ctx.x(1)
    shape = A.broadcast_shape(a.shape, b.shape)
    pairs = zip(A.expand(a, shape).flat, A.expand(b, shape).flat, strict=True)
    if slot == 0:
        return Arr(shape, [0.0 if p == 0 else p * _pow(v, p - 1) for v, p in pairs])
    # d(a^b)/db = a^b·ln a; PyTorch takes it as 0 where a = 0 and b >= 0.
    return Arr(shape, [0.0 if v == 0 and p >= 0 else _pow(v, p) * _log(v) for v, p in pairs])


def _pow_base(ctx: OpContext, slot: int) -> Arr:  # scalar ** tensor
    base = ctx.number("self")
    if base == 0:
        return A.unary(lambda p: 0.0 if p >= 0 else math.nan, ctx.x(0))
    return A.unary(lambda p: _pow(base, p) * _log(base), ctx.x(0))


def _unary(f: Callable[[float], float]) -> Callable[[OpContext, int], Arr]:
    return lambda ctx, slot: A.unary(f, ctx.x(slot))


def _of_output(f: Callable[[float], float]) -> Callable[[OpContext, int], Arr]:
    return lambda ctx, slot: A.unary(f, ctx.y())


def _sign(v: float) -> float:
    return math.nan if math.isnan(v) else float((v > 0) - (v < 0))


def _leaky(ctx: OpContext, slot: int) -> Arr:
    slope = ctx.number("negative_slope", 0.01)
    return A.unary(lambda v: 1.0 if v > 0 else slope, ctx.x(0))


def _softplus(ctx: OpContext, slot: int) -> Arr:
    beta, threshold = ctx.number("beta", 1), ctx.number("threshold", 20)
    return A.unary(lambda v: 1.0 if v * beta > threshold else _sigmoid(v * beta), ctx.x(0))


def _clamp(ctx: OpContext, slot: int) -> Arr:
    lo = ctx.attrs.get("min")
    hi = ctx.attrs.get("max")
    low = float(lo) if isinstance(lo, (int, float)) else -math.inf
    high = float(hi) if isinstance(hi, (int, float)) else math.inf
    return A.unary(lambda v: 1.0 if low <= v <= high else 0.0, ctx.x(0))


def _where(ctx: OpContext, slot: int) -> Arr:
    cond = ctx.saved_arr("condition")
    return A.unary(lambda c: float(bool(c) == (slot == 0)), cond)


def _extremum(pick_first: bool) -> Callable[[OpContext, int], Arr]:
    """maximum (``pick_first``: self wins when larger) / minimum; a tie shares half each."""

    def local(ctx: OpContext, slot: int) -> Arr:
        a, b = ctx.x(slot), ctx.x(1 - slot)
        if pick_first:
            return A.binary(lambda u, v: 0.5 if u == v else float(u > v), a, b)
        return A.binary(lambda u, v: 0.5 if u == v else float(u < v), a, b)

    return local


def _reduction(ctx: OpContext, n: int) -> float:
    """The factor of a loss's ``reduction``: 1/N for mean (1), 1 for sum (2) or none (0)."""
    return 1.0 / n if ctx.number("reduction", 1) == 1 and n else 1.0


def _mse(ctx: OpContext, slot: int) -> Arr:
    a, t = ctx.x(0, saved="self"), ctx.x(1, saved="target")
    k = 2.0 * _reduction(ctx, max(a.numel, t.numel)) * (1 if slot == 0 else -1)
    return A.binary(lambda u, v: k * (u - v), a, t)


def _weight(ctx: OpContext, name: str, slot: int) -> Arr | None:
    if slot < ctx.slots and ctx.inputs[slot] is not None:
        return ctx.inputs[slot]
    if name in ctx.saved:
        return ctx.saved_arr(name)
    return None


def _bce(ctx: OpContext, slot: int) -> Arr:
    p, t = ctx.x(0, saved="self"), ctx.x(1, saved="target")
    k = _reduction(ctx, p.numel)
    if slot == 0:
        local = A.binary(lambda u, v: k * (u - v) / max((1 - u) * u, 1e-12), p, t)
    else:
        local = A.unary(lambda u: k * (_log(1 - u) - _log(u)), p)
    w = _weight(ctx, "weight", 2)
    return A.mul(local, w) if w is not None else local


def _bce_logits(ctx: OpContext, slot: int) -> Arr:
    x, t = ctx.x(0, saved="self"), ctx.x(1, saved="target")
    k = _reduction(ctx, x.numel)
    pos = _weight(ctx, "pos_weight", 3)
    p = pos if pos is not None else A.scalar(1.0)
    if slot == 0:
        coeff = A.binary(lambda tv, pv: 1 - tv + pv * tv, t, p)
        local = A.binary(lambda s, c: s * c, A.unary(_sigmoid, x), coeff)
        local = A.sub(local, A.mul(p, t))
    else:
        local = A.binary(lambda xv, pv: -(_log(_sigmoid(xv)) * pv - _log(1 - _sigmoid(xv))), x, p)
    local = A.scale(local, k)
    w = _weight(ctx, "weight", 2)
    return A.mul(local, w) if w is not None else local


def _identity(ctx: OpContext, slot: int) -> Arr:
    return _const(ctx, slot, 1.0)


# --- reductions ----------------------------------------------------------------


def _spread(ctx: OpContext, slot: int, dims: tuple[int, ...], keepdim: bool) -> Arr:
    """The upstream gradient put back over the reduced ``dims`` of the input's shape."""
    shape = ctx.shape(slot)
    g = ctx.g
    if dims and not keepdim:
        for d in sorted(A.norm_dim(d, len(shape)) for d in dims):
            g = A.unsqueeze(g, d)
    return A.expand(A.reshape(g, tuple(1 for _ in shape)) if not dims else g, shape)


def _reduced_dims(ctx: OpContext, slot: int) -> tuple[tuple[int, ...], bool]:
    dims = ctx.ints("dim") if "dim" in ctx.attrs else ()
    keepdim = bool(ctx.attrs.get("keepdim", False))
    return dims, keepdim


def _sum_all(ctx: OpContext, slot: int) -> Part:
    spread = _spread(ctx, slot, (), False)
    return Part(spread, A.full(ctx.shape(slot), 1.0))


def _sum_dim(ctx: OpContext, slot: int) -> Part:
    dims, keepdim = _reduced_dims(ctx, slot)
    if not dims:
        return _sum_all(ctx, slot)
    return Part(_spread(ctx, slot, dims, keepdim), A.full(ctx.shape(slot), 1.0))


def _count(shape: tuple[int, ...], dims: tuple[int, ...]) -> int:
    if not dims:
        return math.prod(shape)
    return math.prod(shape[A.norm_dim(d, len(shape))] for d in dims)


def _mean(ctx: OpContext, slot: int) -> Part:
    dims, keepdim = _reduced_dims(ctx, slot)
    shape = ctx.shape(slot)
    n = _count(shape, dims)
    local = A.full(shape, 1.0 / n if n else math.nan)
    return Part(A.mul(_spread(ctx, slot, dims, keepdim), local), local)


def _extreme_all(ctx: OpContext, slot: int) -> Part:
    """max()/min()/amax/amin: the gradient goes to the extreme entries, shared by ties."""
    dims, keepdim = _reduced_dims(ctx, slot)
    x, shape = ctx.x(slot), ctx.shape(slot)
    y = ctx.y()
    y_spread = _spread_value(y, shape, dims, keepdim)
    hits = A.binary(lambda v, m: float(v == m), x, y_spread)
    counts = _spread_value(
        A.sum_dims(hits, dims, keepdim=keepdim) if dims else A.scalar(sum(hits.flat)),
        shape,
        dims,
        keepdim,
    )
    local = A.binary(lambda h, c: h / c if c else 0.0, hits, counts)
    return Part(A.mul(_spread(ctx, slot, dims, keepdim), local), local)


def _spread_value(v: Arr, shape: tuple[int, ...], dims: tuple[int, ...], keepdim: bool) -> Arr:
    if dims and not keepdim:
        for d in sorted(A.norm_dim(d, len(shape)) for d in dims):
            v = A.unsqueeze(v, d)
    return A.expand(v if dims else A.reshape(v, tuple(1 for _ in shape)), shape)


def _extreme_dim(ctx: OpContext, slot: int) -> Part:
    """max(dim)/min(dim): the gradient goes to the one entry the indices name."""
    dim = A.norm_dim(ctx.ints("dim")[0], len(ctx.shape(slot)))
    keepdim = bool(ctx.attrs.get("keepdim", False))
    shape = ctx.shape(slot)
    indices = ctx.saved_arr("indices")
    idx = _spread_value(indices, shape, (dim,), keepdim)
    positions = Arr(shape, [float(i) for i in _positions(shape, dim)])
    local = A.binary(lambda p, i: float(p == i), positions, idx)
    return Part(A.mul(_spread(ctx, slot, (dim,), keepdim), local), local)


def _positions(shape: tuple[int, ...], dim: int) -> list[int]:
    """Each element's index along ``dim``, in row-major order."""
    inner = math.prod(shape[dim + 1 :])
    size = shape[dim]
    return [(k // inner) % size for k in range(math.prod(shape))]


# --- matrices --------------------------------------------------------------------


def _mm(ctx: OpContext, slot: int) -> Part:
    a, b, g = ctx.x(0), ctx.x(1), ctx.g
    if slot == 0:
        return Part(A.matmul(g, A.transpose(b)))
    return Part(A.matmul(A.transpose(a), g))


def _mv(ctx: OpContext, slot: int) -> Part:
    m, v, g = ctx.x(0), ctx.x(1), ctx.g
    if slot == 0:
        return Part(A.outer(g, v))
    return Part(A.reshape(A.matmul(A.transpose(m), A.reshape(g, (g.numel, 1))), v.shape))


def _dot(ctx: OpContext, slot: int) -> Part:
    other = ctx.x(1 - slot)
    return Part(A.mul(ctx.g, other), other)


def _addmm(ctx: OpContext, slot: int) -> Part:
    g = ctx.g
    if slot == 0:
        beta = ctx.number("beta", 1)
        value, summed = A.sum_to(A.scale(g, beta), ctx.shape(0))
        return Part(value, None, summed)
    alpha = ctx.number("alpha", 1)
    if slot == 1:
        return Part(A.scale(A.matmul(g, A.transpose(ctx.x(2))), alpha))
    return Part(A.scale(A.matmul(A.transpose(ctx.x(1)), g), alpha))


def _bmm(ctx: OpContext, slot: int) -> Part:
    a, b, g = ctx.x(0), ctx.x(1), ctx.g
    if slot == 0:
        return Part(A.bmm(g, A.transpose(b, 1, 2)))
    return Part(A.bmm(A.transpose(a, 1, 2), g))


# --- shapes ------------------------------------------------------------------------


def _reshape_back(ctx: OpContext, slot: int) -> Part:
    return Part(A.reshape(ctx.g, ctx.shape(slot)))


def _t(ctx: OpContext, slot: int) -> Part:
    return Part(A.transpose(ctx.g))


def _expand(ctx: OpContext, slot: int) -> Part:
    value, summed = A.sum_to(ctx.g, ctx.shape(slot))
    return Part(value, None, summed)


def _transpose(ctx: OpContext, slot: int) -> Part:
    return Part(A.transpose(ctx.g, int(ctx.number("dim0")), int(ctx.number("dim1"))))


def _permute(ctx: OpContext, slot: int) -> Part:
    dims = [A.norm_dim(d, len(ctx.g.shape)) for d in ctx.ints("dims")]
    inverse = [dims.index(k) for k in range(len(dims))]
    return Part(A.permute(ctx.g, inverse))


def _cat(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim", 0)), len(shape))
    start = 0
    for k in range(slot):
        other = ctx.shape(k)
        if other != (0,):  # torch.cat skips empty 1-d tensors
            start += other[dim]
    return Part(A.narrow(ctx.g, dim, start, shape[dim]))


def _stack(ctx: OpContext, slot: int) -> Part:
    dim = A.norm_dim(int(ctx.number("dim", 0)), len(ctx.g.shape))
    return Part(A.reshape(A.narrow(ctx.g, dim, slot, 1), ctx.shape(slot)))


def _select(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim")), len(shape))
    index = int(ctx.number("index"))
    index = index + shape[dim] if index < 0 else index
    return Part(A.place(shape, A.unsqueeze(ctx.g, dim), dim, index))


def _slice(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim")), len(shape))
    size = shape[dim]
    start = int(ctx.number("start", 0))
    step = int(ctx.number("step", 1))
    start = min(max(start + size if start < 0 else start, 0), size)
    return Part(A.place(shape, ctx.g, dim, start, step))


def _unbind(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim", 0)), len(shape))
    part_shape = shape[:dim] + shape[dim + 1 :]
    parts = [
        A.unsqueeze(g if g is not None else A.full(part_shape, 0.0), dim) for g in ctx.upstreams
    ]
    return Part(A.concat(parts, dim))


def _split(ctx: OpContext, slot: int) -> Part:
    shape = ctx.shape(slot)
    dim = A.norm_dim(int(ctx.number("dim", 0)), len(shape))
    sizes = _split_sizes(ctx, shape[dim])
    parts = []
    for k, size in enumerate(sizes):
        g = ctx.upstreams[k] if k < len(ctx.upstreams) else None
        part_shape = (*shape[:dim], size, *shape[dim + 1 :])
        parts.append(g if g is not None else A.full(part_shape, 0.0))
    return Part(A.concat(parts, dim))


def _split_sizes(ctx: OpContext, total: int) -> tuple[int, ...]:
    if "split_sizes" in ctx.attrs:
        return ctx.ints("split_sizes")
    size = int(ctx.number("split_size"))
    return tuple(min(size, total - k) for k in range(0, total, size)) if size else (0,)


def _index(ctx: OpContext, slot: int) -> Part:
    """``x[idx]`` with index tensors on the leading dims: the gradient is added back in place."""
    shape = ctx.shape(slot)
    names = sorted(k for k in ctx.saved if k.startswith("indices["))
    if not names:
        raise Missing("indices")
    index_arrs = [ctx.saved_arr(k) for k in names]
    positions = [int(k[len("indices[") : -1]) for k in names]
    if positions != list(range(len(positions))):
        raise Missing("indices")
    if any(_is_mask(ctx, k) for k in names):
        raise Missing("indices")
    lead = len(index_arrs)
    idx_shape = A.broadcast_shape(*(i.shape for i in index_arrs))
    index_arrs = [A.expand(i, idx_shape) for i in index_arrs]
    rest = shape[lead:]
    inner = math.prod(rest)
    src = A.strides(shape[:lead])
    g = ctx.g
    out = [0.0] * math.prod(shape)
    for k in range(math.prod(idx_shape)):
        offset = 0
        for d, arr in enumerate(index_arrs):
            i = int(arr.flat[k])
            offset += (i + shape[d] if i < 0 else i) * src[d]
        for j in range(inner):
            out[offset * inner + j] += g.flat[k * inner + j]
    return Part(Arr(shape, out))


def _is_mask(ctx: OpContext, name: str) -> bool:
    return ctx.saved[name].dtype == "bool"


# --- losses and softmax ------------------------------------------------------------


def _softmax(ctx: OpContext, slot: int) -> Part:
    y, g = ctx.y(), ctx.g
    dim = A.norm_dim(int(ctx.number("dim")), len(y.shape))
    dots = A.sum_dims(A.mul(g, y), (dim,), keepdim=True)
    return Part(A.mul(y, A.sub(g, dots)))


def _log_softmax(ctx: OpContext, slot: int) -> Part:
    y, g = ctx.y(), ctx.g
    dim = A.norm_dim(int(ctx.number("dim")), len(y.shape))
    total = A.sum_dims(g, (dim,), keepdim=True)
    return Part(A.sub(g, A.mul(A.unary(math.exp, y), total)))


def _nll(ctx: OpContext, slot: int) -> Part:
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


RULES: dict[str, Rule] = {}


def _ew(key: str, local: Callable[[OpContext, int], Arr], texts: int = 1) -> Rule:
    return Rule(key, _elementwise(local), texts, elementwise=True)


for _names, _rule in [
    (("AddBackward0", "AddBackward1"), _ew("add", _add, 2)),
    (("SubBackward0", "SubBackward1"), _ew("sub", _sub, 2)),
    (("RsubBackward0", "RsubBackward1"), _ew("rsub", _rsub, 2)),
    (("MulBackward0", "MulBackward1"), _ew("mul", _mul, 2)),
    (("DivBackward0", "DivBackward1"), _ew("div", _div_local, 2)),
    (("NegBackward0",), _ew("neg", lambda c, s: _const(c, s, -1.0))),
    (("PowBackward0",), _ew("pow", _pow_scalar)),
    (("PowBackward1",), _ew("pow_tensor", _pow_tensor, 2)),
    (("PowBackward2",), _ew("pow_base", _pow_base)),
    (("ExpBackward0",), _ew("exp", _of_output(lambda y: y))),
    (("LogBackward0",), _ew("log", _unary(lambda v: _div(1.0, v)))),
    (("SqrtBackward0",), _ew("sqrt", _of_output(lambda y: _div(1.0, 2 * y)))),
    (("AbsBackward0",), _ew("abs", _unary(_sign))),
    (("SinBackward0",), _ew("sin", _unary(math.cos))),
    (("CosBackward0",), _ew("cos", _unary(lambda v: -math.sin(v)))),
    (("TanBackward0",), _ew("tan", _of_output(lambda y: 1 + y * y))),
    (("TanhBackward0",), _ew("tanh", _of_output(lambda y: 1 - y * y))),
    (("SigmoidBackward0",), _ew("sigmoid", _of_output(lambda y: y * (1 - y)))),
    (("ReluBackward0",), _ew("relu", _of_output(lambda y: float(y > 0)))),
    (("LeakyReluBackward0",), _ew("leaky_relu", _leaky)),
    (("SoftplusBackward0",), _ew("softplus", _softplus)),
    (("Log1PBackward0",), _ew("log1p", _unary(lambda v: _div(1.0, 1 + v)))),
    (("Expm1Backward0",), _ew("expm1", _of_output(lambda y: y + 1))),
    (("RsqrtBackward0",), _ew("rsqrt", _of_output(lambda y: -0.5 * y * y * y))),
    (("ReciprocalBackward0",), _ew("reciprocal", _of_output(lambda y: -y * y))),
    (("ClampBackward1", "ClampMinBackward0", "ClampMaxBackward0"), _ew("clamp", _clamp)),
    (("WhereBackward0",), _ew("where", _where, 2)),
    (("MaximumBackward0",), _ew("maximum", _extremum(True))),
    (("MinimumBackward0",), _ew("minimum", _extremum(False))),
    (("CloneBackward0", "AliasBackward0", "ToCopyBackward0"), _ew("clone", _identity)),
    (("MseLossBackward0",), _ew("mse_loss", _mse, 2)),
    (("BinaryCrossEntropyBackward0",), _ew("bce", _bce, 2)),
    (("BinaryCrossEntropyWithLogitsBackward0",), _ew("bce_logits", _bce_logits, 2)),
    (("DotBackward0",), Rule("dot", _dot, 2, elementwise=True)),
    (("SumBackward0",), Rule("sum", _sum_all, elementwise=True)),
    (("SumBackward1",), Rule("sum_dim", _sum_dim, elementwise=True)),
    (("MeanBackward0",), Rule("mean", _mean, elementwise=True)),
    (("MeanBackward1",), Rule("mean_dim", _mean, elementwise=True)),
    (("MaxBackward1", "MinBackward1"), Rule("max", _extreme_all, elementwise=True)),
    (("AmaxBackward0", "AminBackward0"), Rule("max", _extreme_all, elementwise=True)),
    (("MaxBackward0", "MinBackward0"), Rule("max_dim", _extreme_dim, elementwise=True)),
    (("MmBackward0",), Rule("mm", _mm, 2)),
    (("MvBackward0",), Rule("mv", _mv, 2)),
    (("AddmmBackward0",), Rule("addmm", _addmm, 3)),
    (("BmmBackward0",), Rule("bmm", _bmm, 2)),
    (("TBackward0",), Rule("t", _t)),
    (
        (
            "ViewBackward0",
            "ReshapeAliasBackward0",
            "UnsafeViewBackward0",
            "UnsqueezeBackward0",
            "SqueezeBackward0",
            "SqueezeBackward1",
            "SqueezeBackward2",
            "SqueezeBackward3",
            "SqueezeBackward4",
        ),
        Rule("view", _reshape_back),
    ),
    (("ExpandBackward0",), Rule("expand", _expand)),
    (("TransposeBackward0",), Rule("transpose", _transpose)),
    (("PermuteBackward0",), Rule("permute", _permute)),
    (("CatBackward0",), Rule("cat", _cat)),
    (("StackBackward0",), Rule("stack", _stack)),
    (("UnbindBackward0",), Rule("unbind", _unbind)),
    (("SplitBackward0", "SplitWithSizesBackward0"), Rule("split", _split)),
    (("IndexBackward0",), Rule("index", _index)),
    (("SelectBackward0",), Rule("select", _select)),
    (("SliceBackward0",), Rule("slice", _slice)),
    (("SoftmaxBackward0",), Rule("softmax", _softmax)),
    (("LogSoftmaxBackward0",), Rule("log_softmax", _log_softmax)),
    (("NllLossBackward0",), Rule("nll_loss", _nll)),
]:
    for _name in _names:
        RULES[_name] = _rule


def rule_for(op: str | None) -> Rule | None:
    """The rule of a ``grad_fn`` class name, or None when the table has none."""
    return RULES.get(op or "")


def is_custom(op: str | None) -> bool:
    """A user's ``autograd.Function``: PyTorch names its node ``<Class>Backward`` (no number)."""
    return bool(op) and op not in RULES and op.endswith("Backward")  # type: ignore[union-attr]
