"""Random programs from a small grammar never break execute(): a result or a RunError."""

from __future__ import annotations

import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autodiff_viz.result import RunError
from autodiff_viz.sandbox.execute import execute
from autodiff_viz.sandbox.options import Budgets, RunOptions

NAMES = ("a", "b", "t", "u")
ATOMS = st.sampled_from(
    [
        *NAMES,
        "0",
        "1",
        "2.5",
        "-3",
        "10**12",
        "'s'",
        "[1, 2]",
        "None",
        "torch.ones(2, requires_grad=True)",
        "torch.tensor(3.0, requires_grad=True)",
        "torch.arange(4.0)",
        "torch.randn(2, 2)",
        "t.grad",
        "t.data",
        "a.grad_fn",
    ]
)
BINARY = st.sampled_from(["+", "-", "*", "/", "**", "@", "//", "%", "<", "==", " and ", " or "])
CALLS = st.sampled_from(
    ["torch.sin", "torch.exp", "torch.sum", "len", "abs", "print", "float", "str", "torch.relu"]
)
METHODS = st.sampled_from(["sum()", "mean()", "item()", "detach()", "backward()", "t()", "T"])


def expressions() -> st.SearchStrategy[str]:
    return st.recursive(
        ATOMS,
        lambda inner: st.one_of(
            st.tuples(inner, BINARY, inner).map(lambda p: f"({p[0]}{p[1]}{p[2]})"),
            st.tuples(CALLS, inner).map(lambda p: f"{p[0]}({p[1]})"),
            st.tuples(inner, METHODS).map(lambda p: f"({p[0]}).{p[1]}"),
            st.tuples(inner, inner).map(lambda p: f"[{p[0]}, {p[1]}][0]"),
        ),
        max_leaves=6,
    )


def statements() -> st.SearchStrategy[str]:
    expr = expressions()
    simple = st.one_of(
        st.tuples(st.sampled_from(NAMES), expr).map(lambda p: f"{p[0]} = {p[1]}"),
        st.tuples(st.sampled_from(NAMES), BINARY.filter(str.strip), expr).map(
            lambda p: f"{p[0]} {p[1].strip()}= {p[2]}" if p[1].strip() not in "<==" else "pass"
        ),
        expr.map(lambda e: f"print({e})"),
        expr,
    )
    return st.one_of(
        simple,
        st.tuples(st.integers(0, 5), simple).map(lambda p: f"for i in range({p[0]}):\n    {p[1]}"),
        st.tuples(expr, simple, simple).map(lambda p: f"if {p[0]}:\n    {p[1]}\nelse:\n    {p[2]}"),
        st.tuples(simple).map(lambda p: f"with torch.no_grad():\n    {p[0]}"),
        st.tuples(expr).map(lambda p: f"def f(x):\n    return {p[0]}\nprint(f(1))"),
    )


PROGRAMS = st.lists(statements(), min_size=1, max_size=8).map(
    lambda body: "t = torch.ones(2, requires_grad=True)\na = 1\n" + "\n".join(body)
)
OPTIONS = RunOptions(budgets=Budgets(seconds=2.0, steps=50_000))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PROGRAMS)
def test_random_programs_end_in_a_result_or_a_run_error(source: str) -> None:
    result = execute(source, OPTIONS)
    assert result.error is None or isinstance(result.error, RunError)
    if result.error is not None:
        assert result.error.kind in ("syntax", "refused", "runtime", "budget")
        assert "internal error" not in result.error.message, (source, result.error)
        assert result.error.line is not None
    assert torch.is_grad_enabled()


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_never_escapes(source: str) -> None:
    result = execute(source, OPTIONS)
    assert result.error is None or result.error.kind in ("syntax", "refused", "runtime", "budget")
