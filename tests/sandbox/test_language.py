"""The supported language: snippets run as in CPython, plus the API around execute()."""

# ruff: noqa: E501 - each snippet is one program on one line, as pasted

from __future__ import annotations

import numpy
import pytest
import torch

from autodiff_viz.sandbox import allowlist
from autodiff_viz.sandbox.budgets import Meter
from autodiff_viz.sandbox.execute import compile_function, execute
from autodiff_viz.sandbox.interpreter import Interpreter
from autodiff_viz.sandbox.messages import SandboxError
from autodiff_viz.sandbox.options import Budgets, RunOptions
from autodiff_viz.sandbox.pybuiltins import make_builtins
from autodiff_viz.sandbox.values import Context
from tests.sandbox.test_seeds import assert_same_as_python

SNIPPETS = {
    "augmented": "x = 1\nx += 2\nx *= 3\nx -= 1\nx //= 2\nx **= 2\nprint(x)",
    "unpacking": "a, (b, c) = 1, (2, 3)\n[d, e] = [4, 5]\nprint(a, b, c, d, e)",
    "for_lists": "for i, v in enumerate(['a', 'b']):\n    print(i, v)\nfor p, q in zip([1, 2], [3, 4]):\n    print(p * q)",
    "break_continue": "for i in range(10):\n    if i % 2:\n        continue\n    if i > 6:\n        break\n    print(i)\nelse:\n    print('no')",
    "while_else": "n = 0\nwhile n < 3:\n    n += 1\nelse:\n    print('done', n)",
    "if_elif": "for v in (-1, 0, 1):\n    if v < 0:\n        print('neg')\n    elif v == 0:\n        print('zero')\n    else:\n        print('pos')",
    "conditional_chained": "x = 5\nprint('mid' if 0 < x < 10 else 'out', 1 < 2 < 1, not x, x and 0, 0 or 'y')",
    "fstrings": "x = 3.14159\nn = 42\nprint(f'{x:.2f} {n:>5} {n!r} {x:{n}.1f} {\"s\"!s:^7}')",
    "format_method": "print('{} and {:.3f} and {name}'.format(1, 2.0, name='n'), '%5.2f|%d' % (3.14159, 7))",
    "containers": "l = [3, 1, 2]\nl.append(4)\nl.sort()\nd = {'a': 1}\nd['b'] = 2\ns = {1, 2}\nprint(l, d, sorted(d.items()), len(s), l[1:3], l[::-1], d.get('z', 0))",
    "comprehensions": "print([i * i for i in range(5) if i % 2 == 0], {k: v for k, v in zip('ab', [1, 2])}, sum(i for i in range(4)))",
    "builtins": "print(abs(-2), min(3, 1), max([1, 5]), round(2.567, 2), int('7'), float('1.5'), str(3), bool(0), list((1, 2)), tuple([3]), any([0, 1]), all([]), list(reversed([1, 2])), divmod(7, 2))",
    "isinstance": "x = torch.ones(1)\nprint(isinstance(x, torch.Tensor), isinstance(1, (int, float)), isinstance('a', int))",
    "tensor_slices": "w = torch.zeros(3, 4)\nwith torch.no_grad():\n    w[0] = 1\n    w[:, 1] += 2\nprint(w, w[1:, ::2], w[-1, -1].item())",
    "nn_linear": "torch.manual_seed(1)\nimport torch.nn as nn\nm = nn.Linear(2, 1)\nx = torch.ones(3, 2)\nloss = nn.MSELoss()(m(x), torch.zeros(3, 1))\nloss.backward()\nprint(m.weight.grad, m.bias.grad, len(list(m.parameters())))",
    "from_import": "from torch import nn, optim\np = torch.tensor([1.0, -1.0], requires_grad=True)\nopt = optim.Adam([p], lr=0.1)\nfor _ in range(3):\n    pass\nfor i in range(20):\n    opt.zero_grad()\n    l = (p ** 2).sum()\n    l.backward()\n    opt.step()\nprint(p)",
    "rmsprop": "p = torch.tensor([2.0], requires_grad=True)\nopt = torch.optim.RMSprop([p], lr=0.01)\nfor i in range(10):\n    opt.zero_grad()\n    (p * p).sum().backward()\n    opt.step()\nprint(p.data)",
    "functions": "def f(x, k=2, *, scale=1.0):\n    return scale * x ** k\nprint(f(3), f(2, 3), f(2, scale=0.5), f(k=1, x=4))",
    "recursion": "def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\nprint(fact(10))",
    "closures": "def outer(a):\n    def inner(b):\n        return a + b\n    return inner(10)\nprint(outer(1))",
    "activations": "x = torch.linspace(-2, 2, 5, requires_grad=True)\ny = torch.relu(x) + torch.sigmoid(x) + torch.tanh(x) + torch.softmax(x, dim=0) + torch.log_softmax(x, dim=0)\ny.sum().backward()\nprint(y, x.grad)",
    "math_ops": "x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)\ny = torch.exp(x) + torch.log(x) + torch.sqrt(x) + torch.abs(-x) + torch.clamp(x, 0.6, 1.5) + torch.sin(x) * torch.cos(x)\ny.mean().backward()\nprint(y, x.grad)",
    "shapes": "a = torch.arange(6.0)\nb = a.reshape(2, 3)\nprint(b.T, b.view(3, 2), b.unsqueeze(0).shape, b.unsqueeze(0).squeeze().shape, torch.stack([a, a]).shape, torch.cat([a, a]).shape)",
    "matmul": "A = torch.eye(3)\nv = torch.ones(3, requires_grad=True)\nr = A @ v\nq = torch.matmul(A, v).dot(v)\nq.backward()\nprint(r, v.grad, torch.norm(v))",
    "reductions": "x = torch.tensor([[1.0, 5.0], [3.0, 2.0]])\nprint(x.max(), x.min(dim=0).values, torch.max(x, dim=1).indices, x.sum(dim=1), x.mean(), torch.where(x > 2, x, torch.zeros_like(x)))",
    "factories": "print(torch.zeros(2), torch.ones(2, 2), torch.full((2,), 7.0), torch.eye(2), torch.linspace(0, 1, 3), torch.ones_like(torch.zeros(2)), torch.arange(0, 1, 0.25))",
    "dtypes": "x = torch.tensor([1, 2], dtype=torch.float64)\ny = torch.tensor([1, 2], dtype=float)\nprint(x.dtype, y.dtype, torch.tensor(1).float().dtype, x.to(torch.float32))",
    "ones_size": "a = torch.randn(size=[2, 3], requires_grad=True)\ny = a * 2\ny.backward(gradient=torch.ones(size=a.shape))\nprint(a.grad)",
    "clone_detach": "x = torch.arange(3.0)\nz = x.clone().detach().requires_grad_(True)\n(z ** 3).sum().backward()\nprint(z.grad, z.is_leaf, x.requires_grad)",
    "grad_none_and_zero": "x = torch.tensor(2.0, requires_grad=True)\nprint(x.grad)\n(x * x).backward()\nx.grad.zero_()\nprint(x.grad)\nx.grad = None\nprint(x.grad is None)",
    "second_order": "x = torch.tensor(3.0, requires_grad=True)\ny = x ** 3\n(g,) = torch.autograd.grad(y, [x], create_graph=True)\n(h,) = torch.autograd.grad(outputs=g, inputs=[x])\nprint(g, h)",
    "requires_grad_attr": "x = torch.ones(2)\nx.requires_grad = True\ny = (x * 3).sum()\ny.backward()\nprint(x.grad, y.requires_grad, y.is_leaf)",
    "manual_seed": "torch.manual_seed(7)\na = torch.randn(3)\ntorch.manual_seed(7)\nb = torch.randn(3)\nprint(torch.equal(a, b), a)",
    "last_expression_tuple": "y = torch.tensor(2.0)\nz = y * 2\ny, z, [1, 'a']",
    "nested_lists": "m = [[1, 2], [3, 4]]\nm[1][0] = 9\nt = torch.tensor(m, dtype=torch.float32)\nprint(t, t.tolist(), t.numel(), t.size(), t.dim())",
    "string_methods": "s = 'Hello, 世界'\nprint(s.upper(), s.split(','), '-'.join(['a', 'b']), s.replace('l', 'L'), s.startswith('He'), s.strip('H'))",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_matches_python(name: str) -> None:
    assert_same_as_python(SNIPPETS[name])


def test_builtins_table_matches_implementation() -> None:
    ctx = Context(Meter(Budgets()))
    interp = Interpreter(ctx, make_builtins(ctx))
    assert set(interp.builtins.vars) == set(allowlist.BUILTINS)


def test_every_torch_member_exists() -> None:
    for path, members in allowlist.NAMESPACES.items():
        module = numpy if path.startswith("numpy") else torch
        for part in path.split(".")[1:]:
            module = getattr(module, part)
        missing = [m for m, cat in members.items() if cat != "namespace" and not hasattr(module, m)]
        assert not missing, (path, missing)
    assert all(hasattr(torch.Tensor, m) for m in allowlist.TENSOR_METHODS)
    assert all(hasattr(numpy.ndarray, m) for m in allowlist.NP_ARRAY_METHODS)


def test_runtime_error_keeps_pytorch_words_and_line() -> None:
    source = "x = torch.tensor([1.0, 2.0], requires_grad=True)\n\ny = x * 2\ny.backward()\n"
    error = execute(source).error
    assert error is not None
    assert error.kind == "runtime"
    assert error.line == 4
    assert error.exc_type == "RuntimeError"
    assert "grad can be implicitly created only for scalar outputs" in error.message
    assert error.message_zh is not None
    assert error.message_zh.startswith("第 4 行")


def test_name_error_inside_function_names_the_inner_line() -> None:
    error = execute("def f():\n    return foo\n\nf()").error
    assert error is not None
    assert (error.kind, error.line, error.exc_type) == ("runtime", 2, "NameError")
    assert "name 'foo' is not defined" in error.message


def test_syntax_error_has_line_and_reason() -> None:
    error = execute("x = 1\ny = (2 +\n").error
    assert error is not None
    assert error.kind == "syntax"
    assert error.line == 2
    assert "'(' was never closed" in error.message


def test_stdout_before_an_error_is_kept() -> None:
    result = execute("print('before')\n1 / 0")
    assert result.stdout == "before\n"
    assert result.error is not None
    assert result.error.exc_type == "ZeroDivisionError"
    assert result.error.message == "Line 2: ZeroDivisionError: division by zero"


def test_grad_fn_is_inert_and_named() -> None:
    result = execute(
        "x = torch.ones(1, requires_grad=True)\ny = x * 2\nprint(y.grad_fn, y.grad_fn.name())"
    )
    assert result.stdout == "<MulBackward0 object> MulBackward0\n"


def test_warnings_are_returned() -> None:
    result = execute("x = torch.ones(1, requires_grad=True)\ny = x * 2\nprint(y.grad)")
    assert result.stdout == "None\n"
    assert any("not a leaf Tensor" in w for w in result.warnings)


def test_variables_describe_tensors_and_values() -> None:
    result = execute("x = torch.tensor(2.0, requires_grad=True)\ny = x ** 2\ny.backward()\nn = 3")
    x, y, n = (result.variable(k) for k in "xyn")
    assert x.grad is not None and x.grad.data == 4.0
    assert (x.is_leaf, y.is_leaf, y.grad_fn) == (True, False, "PowBackward0")
    assert n.type == "int" and n.text == "3"


def test_process_state_survives_a_run() -> None:
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    source = "torch.manual_seed(5)\nx = torch.rand(100)\ntorch.set_grad_enabled(False)\ny = torch.ones(1)"
    result = execute(source, RunOptions(seed=9))
    assert result.error is None
    assert torch.is_grad_enabled()
    assert torch.equal(torch.rand(3), expected)
    assert torch.get_default_dtype() == torch.float32


def test_seed_option_makes_runs_repeatable() -> None:
    source = "print(torch.randn(3))"
    first, second = execute(source, RunOptions(seed=3)), execute(source, RunOptions(seed=3))
    assert first.stdout == second.stdout
    assert first.stdout != execute(source, RunOptions(seed=4)).stdout


def test_backward_of_option_draws_a_graph_when_the_program_has_none() -> None:
    source = "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x * x"
    result = execute(source, RunOptions(backward_of="y", gradient="ones"))
    assert result.error is None
    assert len(result.graphs) == 1
    assert result.variable("x").grad is not None
    assert result.variable("x").grad.data == [2.0, 4.0]


def test_compile_function_evaluates_expressions() -> None:
    f = compile_function("a*x**2 + torch.sin(x)", ("x", "a"))
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    y = f(x, torch.tensor(2.0))
    y.sum().backward()
    assert torch.allclose(x.grad, 4 * x.detach() + torch.cos(x.detach()))
    rosen = compile_function("(1-x)**2 + 100*(y-x**2)**2", ("x", "y"))
    assert rosen(torch.tensor(1.0), torch.tensor(1.0)).item() == 0.0


def test_compile_function_refuses_bad_input() -> None:
    with pytest.raises(SandboxError) as caught:
        compile_function("x.__class__", ("x",))
    assert caught.value.to_run_error().kind == "refused"
    with pytest.raises(SandboxError):
        compile_function("sin(x)", ("x",))(torch.tensor(1.0))
    with pytest.raises(SandboxError):
        compile_function("x +", ("x",))
    with pytest.raises(SandboxError):
        compile_function("x", ("_x",))
