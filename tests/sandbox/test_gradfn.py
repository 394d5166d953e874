"""grad_fn as PyTorch's autograd tutorial reads it: name(), next_functions, variable, metadata."""

# ruff: noqa: E501 - each snippet is one program, as pasted

from __future__ import annotations

import pytest

from autodiff_viz.sandbox.execute import execute
from tests.sandbox.test_seeds import assert_same_as_python

SNIPPETS = {
    "tutorial_walk": "x = torch.ones(5)\ny = torch.zeros(3)\nw = torch.ones(5, 3, requires_grad=True)\nb = torch.ones(3, requires_grad=True)\nz = torch.matmul(x, w) + b\nloss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)\nprint(f'Gradient function for z = {z.grad_fn}')\nprint(f'Gradient function for loss = {loss.grad_fn}')",
    "next_functions": "x = torch.ones(2, requires_grad=True)\nw = torch.tensor([2.0, 3.0], requires_grad=True)\nloss = (x * w).sum()\nprint(loss.grad_fn.name(), loss.grad_fn.next_functions)\nprint(loss.grad_fn.next_functions[0][0].next_functions)",
    "accumulate_grad_variable": "x = torch.ones(2, requires_grad=True)\nacc = (x * 2).grad_fn.next_functions[0][0]\nprint(acc.name(), acc.variable is x, acc.variable, acc.metadata)",
    "walk_to_leaves": "a = torch.tensor(2.0, requires_grad=True)\nb = torch.tensor(3.0, requires_grad=True)\nc = (a * b + a.exp()).sin()\nfn = c.grad_fn\nnames = []\nstack = [fn]\nwhile stack:\n    f = stack.pop()\n    names.append(f.name())\n    for nxt, i in f.next_functions:\n        if nxt is not None:\n            stack.append(nxt)\nprint(sorted(names))",
    "identity": "x = torch.ones(2, requires_grad=True)\ny = x * 2\nprint(y.grad_fn == y.grad_fn, y.grad_fn is None, x.grad_fn)",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_grad_fn_matches_pytorch(name: str) -> None:
    assert_same_as_python(SNIPPETS[name])


@pytest.mark.parametrize(
    "member",
    [
        "register_hook(print)",
        "register_prehook(print)",
        "next_functions[0][0].register_hook(print)",
        "name.__self__",
    ],
)
def test_grad_fn_hooks_and_calls_stay_out_of_reach(member: str) -> None:
    error = execute(f"y = torch.ones(2, requires_grad=True) * 2\ny.grad_fn.{member}").error
    assert error is not None and error.kind == "refused" and error.line == 2
