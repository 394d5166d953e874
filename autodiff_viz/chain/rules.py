"""The rule table: for each PyTorch backward node, how a gradient passes to each input.

``RULES`` maps a ``grad_fn`` class name (``MulBackward0``) to a :class:`Rule`.
A rule's function takes the op's :class:`~autodiff_viz.chain.context.OpContext`
and an input slot and returns a :class:`Part`: the contribution to that input's
gradient and, for elementwise rules, the local derivative it multiplied the
upstream gradient by. Everything is worked out from the forward values and the
numbers the op saved (an exponent, a dim), never read off PyTorch's gradients;
the caller compares the result with PyTorch's.

The rules follow PyTorch's own formulas (``tools/autograd/derivatives.yaml``),
restated for reading; each one's text lives in :mod:`autodiff_viz.i18n.rules`
under ``explain.rule.<key>.<n>`` (the formula) and ``explain.say.<key>`` (words).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from autodiff_viz.chain import arrays as A
from autodiff_viz.chain import elementwise as E
from autodiff_viz.chain import places as P
from autodiff_viz.chain import structural as S
from autodiff_viz.chain.arrays import Arr
from autodiff_viz.chain.context import OpContext, Part

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


RULES: dict[str, Rule] = {}


def _ew(key: str, local: Callable[[OpContext, int], Arr], texts: int = 1) -> Rule:
    return Rule(key, _elementwise(local), texts, elementwise=True)


for _names, _rule in [
    (("AddBackward0", "AddBackward1"), _ew("add", E.add, 2)),
    (("SubBackward0", "SubBackward1"), _ew("sub", E.sub, 2)),
    (("RsubBackward0", "RsubBackward1"), _ew("rsub", E.rsub, 2)),
    (("MulBackward0", "MulBackward1"), _ew("mul", E.mul, 2)),
    (("DivBackward0", "DivBackward1"), _ew("div", E.div_local, 2)),
    (("NegBackward0",), _ew("neg", lambda c, s: E.const(c, s, -1.0))),
    (("PowBackward0",), _ew("pow", E.pow_scalar)),
    (("PowBackward1",), _ew("pow_tensor", E.pow_tensor, 2)),
    (("PowBackward2",), _ew("pow_base", E.pow_base)),
    (("ExpBackward0",), _ew("exp", E.of_output(lambda y: y))),
    (("LogBackward0",), _ew("log", E.unary(lambda v: E.div(1.0, v)))),
    (("SqrtBackward0",), _ew("sqrt", E.of_output(lambda y: E.div(1.0, 2 * y)))),
    (("AbsBackward0",), _ew("abs", E.unary(E.sign))),
    (("SinBackward0",), _ew("sin", E.unary(math.cos))),
    (("CosBackward0",), _ew("cos", E.unary(lambda v: -math.sin(v)))),
    (("TanBackward0",), _ew("tan", E.of_output(lambda y: 1 + y * y))),
    (("TanhBackward0",), _ew("tanh", E.of_output(lambda y: 1 - y * y))),
    (("SigmoidBackward0",), _ew("sigmoid", E.of_output(lambda y: y * (1 - y)))),
    (("ReluBackward0",), _ew("relu", E.of_output(lambda y: float(y > 0)))),
    (("LeakyReluBackward0",), _ew("leaky_relu", E.leaky)),
    (("SoftplusBackward0",), _ew("softplus", E.softplus)),
    (("Log1PBackward0",), _ew("log1p", E.unary(lambda v: E.div(1.0, 1 + v)))),
    (("Expm1Backward0",), _ew("expm1", E.of_output(lambda y: y + 1))),
    (("RsqrtBackward0",), _ew("rsqrt", E.of_output(lambda y: -0.5 * y * y * y))),
    (("ReciprocalBackward0",), _ew("reciprocal", E.of_output(lambda y: -y * y))),
    (("ClampBackward1", "ClampMinBackward0", "ClampMaxBackward0"), _ew("clamp", E.clamp)),
    (("WhereBackward0",), _ew("where", E.where, 2)),
    (("MaximumBackward0",), _ew("maximum", E.extremum(True))),
    (("MinimumBackward0",), _ew("minimum", E.extremum(False))),
    (("CloneBackward0", "AliasBackward0", "ToCopyBackward0"), _ew("clone", E.identity)),
    (("CopyBackwards",), _ew("copy", E.copy, 2)),
    (("MseLossBackward0",), _ew("mse_loss", E.mse, 2)),
    (("BinaryCrossEntropyBackward0",), _ew("bce", E.bce, 2)),
    (("BinaryCrossEntropyWithLogitsBackward0",), _ew("bce_logits", E.bce_logits, 2)),
    (("DotBackward0",), Rule("dot", S.dot, 2, elementwise=True)),
    (("SumBackward0",), Rule("sum", S.sum_all, elementwise=True)),
    (("SumBackward1",), Rule("sum_dim", S.sum_dim, elementwise=True)),
    (("MeanBackward0",), Rule("mean", S.mean, elementwise=True)),
    (("MeanBackward1",), Rule("mean_dim", S.mean, elementwise=True)),
    (("MaxBackward1", "MinBackward1"), Rule("max", S.extreme_all, elementwise=True)),
    (("AmaxBackward0", "AminBackward0"), Rule("max", S.extreme_all, elementwise=True)),
    (("MaxBackward0", "MinBackward0"), Rule("max_dim", S.extreme_dim, elementwise=True)),
    (("LinalgVectorNormBackward0",), Rule("norm", S.vector_norm, elementwise=True)),
    (("MmBackward0",), Rule("mm", S.mm, 2)),
    (("MvBackward0",), Rule("mv", S.mv, 2)),
    (("AddmmBackward0",), Rule("addmm", S.addmm, 3)),
    (("BmmBackward0",), Rule("bmm", S.bmm, 2)),
    (("TBackward0",), Rule("t", S.t)),
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
        Rule("view", S.reshape_back),
    ),
    (("ExpandBackward0",), Rule("expand", S.expand)),
    (("TransposeBackward0",), Rule("transpose", S.transpose)),
    (("PermuteBackward0",), Rule("permute", S.permute)),
    (("CatBackward0",), Rule("cat", S.cat)),
    (("StackBackward0",), Rule("stack", S.stack)),
    (("UnbindBackward0",), Rule("unbind", S.unbind)),
    (("SplitBackward0", "SplitWithSizesBackward0"), Rule("split", S.split)),
    (("IndexBackward0",), Rule("index", P.index)),
    (("IndexPutBackward0",), Rule("index_put", P.index_put, 2, elementwise=True)),
    (("MaskedFillBackward0", "MaskedFillBackward1"), Rule("masked_fill", P.masked_fill, 2, True)),
    (("MaskedSelectBackward0",), Rule("masked_select", P.masked_select)),
    (("AsStridedBackward0",), Rule("as_strided", P.as_strided)),
    (("CopySlices",), Rule("copy_slices", P.copy_slices, 2, elementwise=True)),
    (("SelectBackward0",), Rule("select", S.select)),
    (("SliceBackward0",), Rule("slice", S.slice)),
    (("SoftmaxBackward0",), Rule("softmax", S.softmax)),
    (("LogSoftmaxBackward0",), Rule("log_softmax", S.log_softmax)),
    (("NllLossBackward0",), Rule("nll_loss", S.nll)),
]:
    for _name in _names:
        RULES[_name] = _rule


def rule_for(op: str | None) -> Rule | None:
    """The rule of a ``grad_fn`` class name, or None when the table has none."""
    return RULES.get(op or "")


def is_custom(op: str | None) -> bool:
    """A user's ``autograd.Function``: PyTorch names its node ``<Class>Backward`` (no number)."""
    return bool(op) and op not in RULES and op.endswith("Backward")  # type: ignore[union-attr]
