"""The local derivatives of elementwise ops: what the upstream gradient is multiplied by.

Each function takes an op's :class:`~autodiff_viz.chain.context.OpContext` and an input
slot and returns the local derivative ∂(output)/∂(input) entry by entry (broadcast to
the output's shape); :mod:`autodiff_viz.chain.rules` multiplies it by the upstream
gradient and sums it back over broadcast dims. Python's float errors are turned into the
IEEE values PyTorch gives (1/0 = inf, log 0 = −inf), so NaN and inf show where they arise.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from autodiff_viz.chain import arrays as A
from autodiff_viz.chain.arrays import Arr
from autodiff_viz.chain.context import OpContext


def const(ctx: OpContext, slot: int, k: float) -> Arr:
    return A.full(ctx.shape(slot), k)


def div(x: float, y: float) -> float:
    if y == 0:
        return (
            math.nan
            if x == 0 or math.isnan(x)
            else math.copysign(math.inf, x) * (-1 if math.copysign(1, y) < 0 else 1)
        )
    return x / y


def log(x: float) -> float:
    if x == 0:
        return -math.inf
    if x < 0 or math.isnan(x):
        return math.nan
    return math.log(x) if math.isfinite(x) else math.inf


def pow(x: float, p: float) -> float:
    try:
        result = x**p
    except ZeroDivisionError:
        return math.inf
    except OverflowError:
        return math.inf
    return math.nan if isinstance(result, complex) else float(result)


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


# --- elementwise ---------------------------------------------------------------


def add(ctx: OpContext, slot: int) -> Arr:
    return const(ctx, slot, 1.0 if slot == 0 else ctx.number("alpha", 1))


def sub(ctx: OpContext, slot: int) -> Arr:
    return const(ctx, slot, 1.0 if slot == 0 else -ctx.number("alpha", 1))


def rsub(ctx: OpContext, slot: int) -> Arr:  # other - alpha * self
    return const(ctx, slot, -ctx.number("alpha", 1) if slot == 0 else 1.0)


OPERANDS = ("self", "other")


def mul(ctx: OpContext, slot: int) -> Arr:
    other = 1 - slot  # mul.Scalar (MulBackward1) saved the number as ``other``
    return ctx.x(other, saved=OPERANDS[other], attr=OPERANDS[other])


def div_local(ctx: OpContext, slot: int) -> Arr:
    b = ctx.x(1, saved="other", attr="other")
    if slot == 0:
        return A.unary(lambda v: div(1.0, v), b)
    return A.binary(lambda a, v: div(-a, v * v), ctx.x(0, saved="self"), b)


def pow_scalar(ctx: OpContext, slot: int) -> Arr:
    p = ctx.number("exponent")
    if p == 0:
        return const(ctx, slot, 0.0)
    return A.unary(lambda v: p * pow(v, p - 1), ctx.x(0))


def pow_tensor(ctx: OpContext, slot: int) -> Arr:
    a, b = ctx.x(0), ctx.x(1)
    shape = A.broadcast_shape(a.shape, b.shape)
    pairs = zip(A.expand(a, shape).flat, A.expand(b, shape).flat, strict=True)
    if slot == 0:
        return Arr(shape, [0.0 if p == 0 else p * pow(v, p - 1) for v, p in pairs])
    # d(a^b)/db = a^b·ln a; PyTorch takes it as 0 where a = 0 and b >= 0.
    return Arr(shape, [0.0 if v == 0 and p >= 0 else pow(v, p) * log(v) for v, p in pairs])


def pow_base(ctx: OpContext, slot: int) -> Arr:  # scalar ** tensor
    base = ctx.number("self")
    if base == 0:
        return A.unary(lambda p: 0.0 if p >= 0 else math.nan, ctx.x(0))
    return A.unary(lambda p: pow(base, p) * log(base), ctx.x(0))


def unary(f: Callable[[float], float]) -> Callable[[OpContext, int], Arr]:
    return lambda ctx, slot: A.unary(f, ctx.x(slot))


def of_output(f: Callable[[float], float]) -> Callable[[OpContext, int], Arr]:
    return lambda ctx, slot: A.unary(f, ctx.y())


def sign(v: float) -> float:
    return math.nan if math.isnan(v) else float((v > 0) - (v < 0))


def leaky(ctx: OpContext, slot: int) -> Arr:
    slope = ctx.number("negative_slope", 0.01)
    return A.unary(lambda v: 1.0 if v > 0 else slope, ctx.x(0))


def softplus(ctx: OpContext, slot: int) -> Arr:
    beta, threshold = ctx.number("beta", 1), ctx.number("threshold", 20)
    return A.unary(lambda v: 1.0 if v * beta > threshold else sigmoid(v * beta), ctx.x(0))


def clamp(ctx: OpContext, slot: int) -> Arr:
    lo = ctx.attrs.get("min")
    hi = ctx.attrs.get("max")
    low = float(lo) if isinstance(lo, (int, float)) else -math.inf
    high = float(hi) if isinstance(hi, (int, float)) else math.inf
    return A.unary(lambda v: 1.0 if low <= v <= high else 0.0, ctx.x(0))


def where(ctx: OpContext, slot: int) -> Arr:
    cond = ctx.saved_arr("condition")
    return A.unary(lambda c: float(bool(c) == (slot == 0)), cond)


def extremum(pick_first: bool) -> Callable[[OpContext, int], Arr]:
    """maximum (``pick_first``: self wins when larger) / minimum; a tie shares half each."""

    def local(ctx: OpContext, slot: int) -> Arr:
        a, b = ctx.x(slot), ctx.x(1 - slot)
        if pick_first:
            return A.binary(lambda u, v: 0.5 if u == v else float(u > v), a, b)
        return A.binary(lambda u, v: 0.5 if u == v else float(u < v), a, b)

    return local


def reduction(ctx: OpContext, n: int) -> float:
    """The factor of a loss's ``reduction``: 1/N for mean (1), 1 for sum (2) or none (0)."""
    return 1.0 / n if ctx.number("reduction", 1) == 1 and n else 1.0


def mse(ctx: OpContext, slot: int) -> Arr:
    a, t = ctx.x(0, saved="self"), ctx.x(1, saved="target")
    k = 2.0 * reduction(ctx, max(a.numel, t.numel)) * (1 if slot == 0 else -1)
    return A.binary(lambda u, v: k * (u - v), a, t)


def weight(ctx: OpContext, name: str, slot: int) -> Arr | None:
    if slot < ctx.slots and ctx.inputs[slot] is not None:
        return ctx.inputs[slot]
    if name in ctx.saved:
        return ctx.saved_arr(name)
    return None


def bce(ctx: OpContext, slot: int) -> Arr:
    p, t = ctx.x(0, saved="self"), ctx.x(1, saved="target")
    k = reduction(ctx, p.numel)
    if slot == 0:
        local = A.binary(lambda u, v: k * (u - v) / max((1 - u) * u, 1e-12), p, t)
    else:
        local = A.unary(lambda u: k * (log(1 - u) - log(u)), p)
    w = weight(ctx, "weight", 2)
    return A.mul(local, w) if w is not None else local


def bce_logits(ctx: OpContext, slot: int) -> Arr:
    x, t = ctx.x(0, saved="self"), ctx.x(1, saved="target")
    k = reduction(ctx, x.numel)
    pos = weight(ctx, "pos_weight", 3)
    p = pos if pos is not None else A.scalar(1.0)
    if slot == 0:
        coeff = A.binary(lambda tv, pv: 1 - tv + pv * tv, t, p)
        local = A.binary(lambda s, c: s * c, A.unary(sigmoid, x), coeff)
        local = A.sub(local, A.mul(p, t))
    else:
        local = A.binary(lambda xv, pv: -(log(sigmoid(xv)) * pv - log(1 - sigmoid(xv))), x, p)
    local = A.scale(local, k)
    w = weight(ctx, "weight", 2)
    return A.mul(local, w) if w is not None else local


def identity(ctx: OpContext, slot: int) -> Arr:
    return const(ctx, slot, 1.0)


def copy(ctx: OpContext, slot: int) -> Arr:
    """``dst.copy_(src)``: the old contents of dst are gone (0), src passes through (1)."""
    return const(ctx, slot, 0.0 if slot == 0 else 1.0)
