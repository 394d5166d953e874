"""Each rule of the table against torch.autograd, on random inputs.

For every op the test runs real PyTorch under capture and asks :func:`explain`
for the gradient of every input: the rule's terms, worked out in pure Python
from the forward values, must add up to the gradient PyTorch computed (which
the Explanation compares itself, and the test compares again with ``.grad``).
Elementwise rules are property-tested with hypothesis over many values.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autodiff_viz.capture import Recorder
from autodiff_viz.chain import RULES, explain
from autodiff_viz.graph import Graph

F = torch.nn.functional
Op = Callable[..., torch.Tensor]


def _graph(op: Op, *inputs: torch.Tensor) -> tuple[Graph, list[torch.Tensor]]:
    leaves = [x.detach().clone().requires_grad_(x.is_floating_point()) for x in inputs]
    names = {f"in{k}": leaf for k, leaf in enumerate(leaves)}
    with Recorder(names=lambda: names, line=lambda: 1, source="") as rec:
        out = op(*leaves)
        # A weighted sum: a seed that is not all ones checks the upstream factor too.
        weights = torch.linspace(-1.5, 2.0, out.numel()).reshape(out.shape)
        (out * weights).sum().backward()
    return rec.graphs[-1], leaves


def _check(op: Op, *inputs: torch.Tensor) -> set[str]:
    """Explain every input of ``op``; return the backward nodes seen (to count coverage)."""
    graph, leaves = _graph(op, *inputs)
    for k, leaf in enumerate(leaves):
        if not leaf.requires_grad or leaf.grad is None:
            continue
        node = graph.named(f"in{k}")
        why = explain(graph, node.id)
        bad = [(t.op, t.slot, t.status, t.missing) for t in why.terms if t.status != "rule"]
        assert why.agrees, (k, why.total, leaf.grad.tolist(), bad)
        expected = torch.tensor(why.total, dtype=torch.float64).reshape(leaf.shape)
        torch.testing.assert_close(expected, leaf.grad.double(), rtol=1e-4, atol=1e-5)
    return {n.op for n in graph.nodes if n.op}


def _setitem(a: torch.Tensor, where: object, v: torch.Tensor) -> torch.Tensor:
    """``y = a * 2; y[where] = v * 3``: an in-place write into part of a non-leaf."""
    y = a * 2
    y[where] = v * 3  # type: ignore[index]
    return y


def _inplace(a: torch.Tensor, write: Callable[[torch.Tensor], object]) -> torch.Tensor:
    """``y = a * 2``, then ``write(y)`` changes a view of ``y`` in place."""
    y = a * 2
    write(y)
    return y


def r(*shape: int, seed: int = 0, positive: bool = False) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed + 17 * len(shape) + sum(shape))
    x = torch.randn(*shape, generator=g)
    return x.abs() + 0.1 if positive else x


CASES: dict[str, tuple[Op, tuple[torch.Tensor, ...]]] = {
    "add": (lambda a, b: a + b, (r(2, 3), r(3))),
    "add_alpha": (lambda a, b: torch.add(a, b, alpha=2.5), (r(2, 3), r(2, 1))),
    "add_scalar": (lambda a: a + 2, (r(3),)),
    "sub": (lambda a, b: a - b, (r(2, 3), r(1, 3))),
    "rsub": (lambda a: 2 - a, (r(4),)),
    "rsub_tensor": (lambda a, b: torch.rsub(a, b, alpha=3), (r(4), r(4))),
    "mul": (lambda a, b: a * b, (r(2, 3), r(2, 1))),
    "mul_scalar": (lambda a: a * 1.5, (r(4),)),
    "div": (lambda a, b: a / b, (r(3), r(3, positive=True))),
    "rdiv": (lambda a: 2 / a, (r(3, positive=True),)),
    "neg": (lambda a: -a, (r(3),)),
    "pow": (lambda a: a**3, (r(4),)),
    "pow_half": (lambda a: a**0.5, (r(4, positive=True),)),
    "pow_tensor": (lambda a, b: a**b, (r(4, positive=True), r(4))),
    "pow_base": (lambda a: 2.0**a, (r(4),)),
    "exp": (torch.exp, (r(4),)),
    "log": (torch.log, (r(4, positive=True),)),
    "sqrt": (torch.sqrt, (r(4, positive=True),)),
    "abs": (torch.abs, (r(4),)),
    "sin": (torch.sin, (r(4),)),
    "cos": (torch.cos, (r(4),)),
    "tan": (torch.tan, (r(4),)),
    "tanh": (torch.tanh, (r(4),)),
    "sigmoid": (torch.sigmoid, (r(4),)),
    "relu": (torch.relu, (r(6),)),
    "leaky_relu": (lambda a: F.leaky_relu(a, 0.1), (r(6),)),
    "softplus": (lambda a: F.softplus(a, beta=2.0), (r(6),)),
    "log1p": (torch.log1p, (r(4, positive=True),)),
    "expm1": (torch.expm1, (r(4),)),
    "rsqrt": (torch.rsqrt, (r(4, positive=True),)),
    "reciprocal": (torch.reciprocal, (r(4, positive=True),)),
    "clamp": (lambda a: a.clamp(-0.3, 0.4), (r(8),)),
    "clamp_min": (lambda a: a.clamp(min=0.0), (r(8),)),
    "clamp_max": (lambda a: torch.clamp_max(a, 0.2), (r(8),)),
    "where": (lambda a, b: torch.where(a > 0, a, b), (r(6), r(6, seed=1))),
    "maximum": (torch.maximum, (r(5), r(5, seed=1))),
    "minimum": (torch.minimum, (r(5), r(5, seed=1))),
    "clone": (torch.clone, (r(2, 2),)),
    "to_double": (lambda a: a.double(), (r(3),)),
    "copy": (lambda a, b: (a * 1).copy_(b) * a, (r(3), r(3, seed=1))),
    "copy_broadcast": (lambda a, b: (a * 1).copy_(b), (r(2, 3), r(3))),
    "sum": (torch.sum, (r(2, 3),)),
    "sum_dim": (lambda a: a.sum(1), (r(2, 3),)),
    "sum_dims_keep": (lambda a: a.sum((0, 2), keepdim=True), (r(2, 3, 2),)),
    "mean": (torch.mean, (r(2, 3),)),
    "mean_dim": (lambda a: a.mean(-1), (r(2, 3),)),
    "max": (torch.max, (r(5),)),
    "min": (torch.min, (r(5),)),
    "max_tie": (torch.max, (torch.tensor([1.0, 3.0, 3.0]),)),
    "max_dim": (lambda a: a.max(1)[0], (r(3, 4),)),
    "min_dim_keep": (lambda a: a.min(0, keepdim=True)[0], (r(3, 4),)),
    "amax": (lambda a: a.amax(0), (r(3, 4),)),
    "norm": (torch.norm, (r(2, 3),)),
    "norm_dim": (lambda a: torch.linalg.vector_norm(a, ord=3, dim=1, keepdim=True), (r(2, 3),)),
    "norm_1": (lambda a: a.norm(p=1), (r(4),)),
    "mm": (torch.mm, (r(2, 3), r(3, 4))),
    "matmul": (torch.matmul, (r(2, 3), r(3, 4))),
    "matmul_batched": (torch.matmul, (r(5, 2, 3), r(3, 4))),
    "bmm": (torch.bmm, (r(2, 2, 3), r(2, 3, 4))),
    "mv": (torch.mv, (r(2, 3), r(3))),
    "dot": (torch.dot, (r(3), r(3, seed=1))),
    "linear": (F.linear, (r(4, 3), r(2, 3), r(2))),
    "linear_3d": (F.linear, (r(2, 4, 3), r(2, 3), r(2))),
    "linear_nobias": (F.linear, (r(1, 3), r(2, 3))),
    "addmm": (lambda b, x, w: torch.addmm(b, x, w, beta=0.5, alpha=2.0), (r(4), r(3, 2), r(2, 4))),
    "t": (lambda a: a.t() * 1, (r(2, 3),)),
    "view": (lambda a: a.view(3, 2), (r(2, 3),)),
    "reshape": (lambda a: a.t().reshape(6), (r(2, 3),)),
    "flatten": (lambda a: a.flatten(), (r(2, 3),)),
    "unsqueeze": (lambda a: a.unsqueeze(1), (r(3),)),
    "squeeze": (lambda a: a.squeeze(), (r(1, 3, 1),)),
    "squeeze_dim": (lambda a: a.squeeze(0), (r(1, 3),)),
    "expand": (lambda a: a.expand(4, 2, 3), (r(2, 1),)),
    "transpose": (lambda a: a.transpose(0, 2), (r(2, 3, 4),)),
    "permute": (lambda a: a.permute(2, 0, 1), (r(2, 3, 4),)),
    "cat": (lambda a, b: torch.cat([a, b], 1), (r(2, 3), r(2, 2))),
    "stack": (lambda a, b: torch.stack([a, b], 1), (r(2, 3), r(2, 3, seed=1))),
    "unbind": (lambda a: a.unbind(1)[2] * 2, (r(2, 3),)),
    "split": (lambda a: a.split(2)[1], (r(5, 2),)),
    "chunk": (lambda a: torch.cat(a.chunk(3, 1)[::2], 1), (r(2, 6),)),
    "index": (lambda a: a[torch.tensor([0, 2, 0])], (r(3, 2),)),
    "index_2d": (lambda a: a[torch.tensor([0, 1]), torch.tensor([2, 0])], (r(2, 3),)),
    "index_mask": (lambda a: a[a > 0], (r(3, 4),)),
    "index_mask_rows": (lambda a: a[torch.tensor([True, False, True])], (r(3, 2),)),
    "index_mask_cols": (lambda a: a[:, torch.tensor([False, True, True])], (r(2, 3),)),
    "index_negative": (lambda a: a[torch.tensor([-1, 0, -1])], (r(3, 2),)),
    "index_apart": (lambda a: a[torch.tensor([0, 1]), :, torch.tensor([3, 1])], (r(2, 3, 4),)),
    "index_middle": (lambda a: a[:, torch.tensor([[2, 0], [1, 1]])], (r(2, 3, 2),)),
    "masked_fill": (lambda a: a.masked_fill(a < 0, 0.5), (r(3, 4),)),
    "masked_fill_tensor": (lambda a, v: a.masked_fill(a > 0, v), (r(2, 3), r(1).sum())),
    "masked_select": (lambda a: a.masked_select(torch.tensor([True, False, True])), (r(2, 3),)),
    "index_put": (
        lambda a, v: (a * 1).index_put((torch.tensor([0, 2]),), v),
        (r(3, 2), r(2)),
    ),
    "index_put_accumulate": (
        lambda a, v: (a * 1).index_put((torch.tensor([1, 1]),), v, accumulate=True),
        (r(3, 2), r(2, 2)),
    ),
    "index_put_mask": (lambda a, v: (a * 1).index_put((a > 0,), v), (r(3, 3), r(1).sum())),
    "setitem": (lambda a, v: _setitem(a, (1, slice(None)), v), (r(3, 4), r(4))),
    "setitem_broadcast": (lambda a, v: _setitem(a, (slice(0, 2),), v), (r(3, 2), r(2))),
    "mul_slice": (lambda a: _inplace(a, lambda y: y[:, 1].mul_(-2.5)), (r(3, 3),)),
    "add_slice_tensor": (
        lambda a, v: _inplace(a, lambda y: y[0].add_(v, alpha=3)),
        (r(2, 3), r(3)),
    ),
    "sub_slice": (lambda a, v: _inplace(a, lambda y: y[1:].sub_(v)), (r(3, 2), r(2))),
    "div_slice": (
        lambda a, v: _inplace(a, lambda y: y[::2].div_(v)),
        (r(4, 2), r(2, positive=True)),
    ),
    "mul_slice_tensor": (lambda a, v: _inplace(a, lambda y: y[1].mul_(v)), (r(2, 3), r(3))),
    "fill_slice": (lambda a: _inplace(a, lambda y: y[:, 0].fill_(2.0)), (r(2, 3),)),
    "zero_slice": (lambda a: _inplace(a, lambda y: y[1:, 1:].zero_()), (r(3, 3),)),
    "select": (lambda a: a[1], (r(3, 2),)),
    "select_neg": (lambda a: a[:, -1], (r(3, 2),)),
    "slice": (lambda a: a[1:], (r(4),)),
    "slice_step": (lambda a: a[:, ::2], (r(2, 5),)),
    "softmax": (lambda a: a.softmax(1), (r(2, 4),)),
    "log_softmax": (lambda a: a.log_softmax(0), (r(4, 2),)),
    "nll_loss": (lambda a: F.nll_loss(a, torch.tensor([1, 0, 3])), (r(3, 4),)),
    "nll_loss_sum": (lambda a: F.nll_loss(a, torch.tensor([1, 0]), reduction="sum"), (r(2, 4),)),
    "nll_loss_none": (lambda a: F.nll_loss(a, torch.tensor([1, 2]), reduction="none"), (r(2, 4),)),
    "nll_loss_weight": (
        lambda a: F.nll_loss(a, torch.tensor([1, 0, 3]), weight=torch.tensor([1.0, 2, 3, 4])),
        (r(3, 4),),
    ),
    "cross_entropy": (lambda a: F.cross_entropy(a, torch.tensor([2, 0])), (r(2, 3),)),
    "mse_loss": (F.mse_loss, (r(3, 2), r(3, 2, seed=1))),
    "mse_loss_none": (lambda a, b: F.mse_loss(a, b, reduction="none"), (r(3), r(3, seed=1))),
    "bce": (
        lambda a, t: F.binary_cross_entropy(a.sigmoid(), t),
        (r(4), torch.tensor([0.0, 1.0, 0.3, 1.0])),
    ),
    "bce_logits": (F.binary_cross_entropy_with_logits, (r(4), torch.tensor([0.0, 1.0, 0.3, 1.0]))),
    "bce_logits_pos_weight": (
        lambda a: F.binary_cross_entropy_with_logits(
            a, torch.tensor([0.0, 1.0, 1.0]), pos_weight=torch.tensor([2.0, 0.5, 3.0])
        ),
        (r(3),),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_matches_autograd(name: str) -> None:
    op, inputs = CASES[name]
    _check(op, *inputs)


def test_the_table_covers_forty_real_ops_and_the_cases_use_them() -> None:
    seen: set[str] = set()
    for op, inputs in CASES.values():
        seen |= _check(op, *inputs)
    covered = seen & set(RULES)
    assert len(covered) >= 40, sorted(covered)
    assert seen - set(RULES) <= {"AccumulateGrad"}, seen - set(RULES)


UNARY: dict[str, Op] = {
    "exp": torch.exp,
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "abs": torch.abs,
    "neg": torch.neg,
    "square": lambda a: a**2,
    "cube": lambda a: a**3,
    "leaky_relu": lambda a: F.leaky_relu(a, 0.05),
    "softplus": F.softplus,
    "clamp": lambda a: a.clamp(-1.0, 1.0),
}
BINARY: dict[str, Op] = {
    "add": torch.add,
    "sub": torch.sub,
    "mul": torch.mul,
    "div": torch.div,
    "maximum": torch.maximum,
}

_finite = st.floats(-4.0, 4.0, allow_nan=False, width=32)
_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@_SETTINGS
@given(name=st.sampled_from(sorted(UNARY)), values=st.lists(_finite, min_size=1, max_size=5))
def test_elementwise_unary_property(name: str, values: list[float]) -> None:
    _check(UNARY[name], torch.tensor(values))


@_SETTINGS
@given(
    name=st.sampled_from(sorted(BINARY)),
    a=st.lists(_finite, min_size=3, max_size=3),
    b=st.lists(_finite.filter(lambda v: abs(v) > 0.05), min_size=1, max_size=3),
)
def test_elementwise_binary_property_with_broadcasting(
    name: str, a: list[float], b: list[float]
) -> None:
    right = torch.tensor(b if len(b) in (1, 3) else b[:1])
    _check(BINARY[name], torch.tensor(a), right)


@_SETTINGS
@given(x=st.floats(-3.0, 3.0, allow_nan=False), p=st.sampled_from([0.0, 1.0, 2.0, -1.0, 2.5]))
def test_scalar_power_property(x: float, p: float) -> None:
    if (p != int(p) and x <= 0) or (p < 0 and x == 0):
        x = abs(x) + 0.5
    graph, _ = _graph(lambda a: a**p, torch.tensor(x, dtype=torch.float64))
    why = explain(graph, graph.named("in0").id)
    assert why.agrees
    (term,) = why.terms
    assert math.isclose(term.value, term.upstream * term.local, rel_tol=1e-12)  # type: ignore[operator]


def test_every_rule_has_its_formulas_and_sentence_in_both_languages() -> None:
    from autodiff_viz.i18n import STRINGS

    for rule in RULES.values():
        for n in range(rule.texts):
            assert set(STRINGS[f"explain.rule.{rule.key}.{n}"]) == {"en", "zh"}
        assert f"explain.rule.{rule.key}.{rule.texts}" not in STRINGS  # no formula left unused
        assert set(STRINGS[f"explain.say.{rule.key}"]) == {"en", "zh"}
