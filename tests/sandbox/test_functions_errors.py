"""Functions in full (lambda, *args/**kwargs, decorators) and try/except, as CPython runs them."""

# ruff: noqa: E501 - each snippet is one program on one line, as pasted

from __future__ import annotations

import pytest
import torch

from autodiff_viz.sandbox.execute import execute
from tests.sandbox.test_seeds import assert_same_as_python

FUNCTIONS = {
    "lambda": "f = lambda x, y=2: x * y\nprint(f(3), f(3, y=4), (lambda: 'hi')())",
    "lambda_sort_key": "pairs = [(1, 'b'), (0, 'c'), (2, 'a')]\nprint(sorted(pairs, key=lambda p: p[1]), max(pairs, key=lambda p: p[0]))",
    "lambda_closure": "def make(k):\n    return lambda x: k * x\ndouble = make(2)\nprint(double(21), [make(i)(1) for i in range(3)])",
    "lambda_tensor": "f = lambda t: (t ** 2).sum()\nx = torch.tensor([1.0, 2.0], requires_grad=True)\nf(x).backward()\nprint(x.grad)",
    "varargs": "def f(*args, **kw):\n    return args, kw\nprint(f(1, 2, a=3), f(*[1, 2], **{'b': 4}), f())",
    "mixed_params": "def f(a, *rest, b=1, **kw):\n    return a, rest, b, kw\nprint(f(1), f(1, 2, 3, b=5, c=6))",
    "keyword_only": "def f(x, *, scale, shift=0):\n    return x * scale + shift\nprint(f(2, scale=3), f(2, shift=1, scale=3))",
    "positional_only": "def f(a, b, /, c=3):\n    return a + b + c\nprint(f(1, 2), f(1, 2, c=0))",
    "star_spread": "def add(a, b, c):\n    return a + b + c\nargs = [1, 2]\nopts = {'c': 3}\nprint(add(*args, **opts), add(*range(3)), max(*[4, 9, 2]))",
    "star_assign": "a, *b = [1, 2, 3]\n*c, d = (4, 5)\nfirst, *middle, last = range(6)\nprint(a, b, c, d, first, middle, last)",
    "star_displays": "b = [2, 3]\nprint([1, *b], (*b, 4), {*b}, {**{'x': 1}, 'y': 2}, {'x': 0, **{'x': 5}})",
    "star_shape": "x = torch.zeros(2, 3)\nprint(torch.ones(*x.shape), x.reshape(*[3, 2]).shape, x.view(-1, *x.shape[1:]).shape)",
    "user_decorator": "def shout(fn):\n    def wrapper(*a, **k):\n        print('calling')\n        return fn(*a, **k)\n    return wrapper\n@shout\ndef g(x, y=1):\n    return x + y\nprint(g(1), g(1, y=5))",
    "decorator_factory": "def times(n):\n    def deco(fn):\n        def run(x):\n            for _ in range(n):\n                x = fn(x)\n            return x\n        return run\n    return deco\n@times(3)\ndef inc(x):\n    return x + 1\nprint(inc(0))",
    "stacked_decorators": "def a(fn):\n    return lambda x: fn(x) + 'a'\ndef b(fn):\n    return lambda x: fn(x) + 'b'\n@a\n@b\ndef s(x):\n    return x\nprint(s('-'))",
    "no_grad_decorator": "x = torch.ones(2, requires_grad=True)\n@torch.no_grad()\ndef f(t):\n    return t * 2\n@torch.no_grad\ndef h(t):\n    return t * 2\nprint(f(x).requires_grad, h(x).requires_grad, (x * 2).requires_grad, torch.is_grad_enabled())",
    "enable_grad_decorator": "x = torch.ones(2, requires_grad=True)\n@torch.enable_grad()\ndef f(t):\n    return t * 2\nwith torch.no_grad():\n    y = f(x)\nprint(y.requires_grad, torch.is_grad_enabled())",
    "no_grad_update": "w = torch.tensor([1.0, -2.0], requires_grad=True)\n@torch.no_grad()\ndef step(p, lr=0.1):\n    p -= lr * p.grad\n    p.grad.zero_()\nfor _ in range(3):\n    (w ** 2).sum().backward()\n    step(w)\nprint(w)",
    "defaults_evaluated_once": "def f(x, acc=[]):\n    acc.append(x)\n    return acc\nf(1)\nprint(f(2))",
    "recursion_lambda": "fact = lambda n: 1 if n <= 1 else n * fact(n - 1)\nprint(fact(8))",
}

ERRORS = {
    "try_except_else_finally": "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print('caught', e, e.args)\nelse:\n    print('no')\nfinally:\n    print('fin')",
    "try_else": "try:\n    x = 1\nexcept ValueError:\n    print('no')\nelse:\n    print('else', x)\nfinally:\n    print('fin')",
    "tuple_of_classes": "try:\n    raise ValueError('bad', 3)\nexcept (TypeError, ValueError) as e:\n    print(repr(e), e.args, str(e))",
    "order_of_handlers": "for v in ([], {}, 0):\n    try:\n        v[1]\n    except IndexError:\n        print('index')\n    except KeyError as e:\n        print('key', e)\n    except Exception as e:\n        print('other', e)",
    "hierarchy": "try:\n    {}['k']\nexcept LookupError as e:\n    print('lookup', repr(e), isinstance(e, KeyError), isinstance(e, Exception))",
    "bare_except": "try:\n    int('x')\nexcept:\n    print('something failed')",
    "reraise": "def f():\n    try:\n        [][0]\n    except IndexError:\n        print('logging')\n        raise\ntry:\n    f()\nexcept IndexError as e:\n    print('outer', e)",
    "raise_from": "try:\n    try:\n        1 / 0\n    except ZeroDivisionError as e:\n        raise ValueError('wrapped') from e\nexcept ValueError as e:\n    print(e)",
    "raise_class": "try:\n    raise NotImplementedError\nexcept NotImplementedError as e:\n    print('ni', e.args)",
    "finally_return": "def f():\n    try:\n        return 1\n    finally:\n        print('cleanup')\nprint(f())",
    "break_in_try": "for i in range(5):\n    try:\n        if i == 2:\n            break\n    finally:\n        print('f', i)",
    "continue_in_except": "for s in ['1', 'x', '3']:\n    try:\n        n = int(s)\n    except ValueError:\n        continue\n    print(n)",
    "name_unbound_after": "try:\n    1 / 0\nexcept ZeroDivisionError as err:\n    pass\ntry:\n    err\nexcept NameError as e:\n    print(e)",
    "assert_caught": "try:\n    assert 1 > 2, 'not bigger'\nexcept AssertionError as e:\n    print('A', e)",
    "torch_error_caught": "try:\n    torch.ones(2, 3) @ torch.ones(2)\nexcept RuntimeError as e:\n    print('RT', e)",
    "backward_twice_caught": "x = torch.tensor(2.0, requires_grad=True)\ny = x * x\ny.backward()\ntry:\n    y.backward()\nexcept RuntimeError as e:\n    print('second backward refused:', str(e)[:40])",
    "grad_none_caught": "x = torch.tensor(2.0, requires_grad=True)\ntry:\n    x.grad.zero_()\nexcept AttributeError as e:\n    print(e)",
    "isinstance_exception": "e = ValueError('v')\nprint(isinstance(e, Exception), isinstance(e, TypeError), ValueError, repr(e))",
    "version_is_str": "v = torch.__version__\nprint(isinstance(v, str), v.split('.')[0].isdigit(), len(v) > 2)",
    "nested_try": "try:\n    try:\n        1 / 0\n    finally:\n        print('inner finally')\nexcept ZeroDivisionError:\n    print('outer caught')",
    "exception_in_handler": "try:\n    try:\n        1 / 0\n    except ZeroDivisionError:\n        [][1]\nexcept IndexError as e:\n    print('from handler', e)",
}


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_function_matches_python(name: str) -> None:
    assert_same_as_python(FUNCTIONS[name])


@pytest.mark.parametrize("name", list(ERRORS))
def test_error_handling_matches_python(name: str) -> None:
    assert_same_as_python(ERRORS[name])


UNCAUGHT = [
    ("raise ValueError('bad')", 1, "ValueError: bad"),
    ("def f():\n    raise KeyError('k')\nf()", 2, "KeyError: 'k'"),
    ("try:\n    [1][5]\nexcept IndexError:\n    raise", 2, "IndexError: list index out of range"),
    ("try:\n    1 / 0\nexcept ValueError:\n    pass", 2, "ZeroDivisionError: division by zero"),
    ("try:\n    1 / 0\nexcept 3:\n    pass", 3, "TypeError: catching classes that do not inherit"),
    ("raise 5", 1, "TypeError: exceptions must derive from BaseException"),
    ("raise", 1, "RuntimeError: No active exception to reraise"),
    ("assert 1 == 2, 'nope'", 1, "AssertionError: nope"),
    ("def f(a, b):\n    return a\nf(1)", 3, "f() missing 1 required positional argument: 'b'"),
    ("def f(a):\n    return a\nf(1, a=2)", 3, "f() got multiple values for argument 'a'"),
    ("def f(*, k):\n    return k\nf()", 3, "f() missing 1 required keyword-only argument: 'k'"),
    ("f = lambda: 1\nf(2)", 2, "<lambda>() takes 0 positional arguments but 1 was given"),
    ("def f(**kw):\n    return kw\nf(1)", 3, "f() takes 0 positional arguments but 1 was given"),
    ("print(*5)", 1, "TypeError"),
    ("print(**[1])", 1, "argument after ** must be a mapping, not list"),
    ("def f(**kw):\n    return kw\nf(**{1: 2})", 3, "keywords must be strings"),
    (
        "x = torch.tensor(2.0, requires_grad=True)\nx.grad.zero_()",
        2,
        "'NoneType' object has no attribute 'zero_'",
    ),
    (
        "x = torch.ones(2)\nx.no_such_method()",
        2,
        "'Tensor' object has no attribute 'no_such_method'",
    ),
    ("torch.tensor(print)", 1, "Could not infer dtype of builtin_function_or_method"),
]


@pytest.mark.parametrize(("source", "line", "words"), UNCAUGHT)
def test_uncaught_errors_read_like_python(source: str, line: int, words: str) -> None:
    error = execute(source).error
    assert error is not None
    assert error.kind == "runtime", error
    assert error.line == line, error
    assert words in error.message
    assert error.message_zh and words.split(":", maxsplit=1)[0] in error.message_zh
    for internal in ("SafeCallable", "UserFunction", "TypeProxy", "InertGradFn", "TorchVersion"):
        assert internal not in error.message


def test_none_hint_in_both_languages() -> None:
    error = execute("x = torch.ones(1, requires_grad=True)\nx.grad.zero_()").error
    assert error is not None
    assert "a .grad before backward()" in error.message
    assert error.message_zh is not None and "在 backward() 之前读取 .grad" in error.message_zh


def test_caught_message_names_no_internal_class() -> None:
    result = execute("try:\n    torch.tensor(print)\nexcept RuntimeError as e:\n    print(e)")
    assert result.error is None
    assert result.stdout == "Could not infer dtype of builtin_function_or_method\n"


def test_variables_name_no_internal_class() -> None:
    result = execute("f = lambda x: x\ndef g():\n    pass")
    assert {v.type for v in result.variables} == {"function"}


def test_no_grad_decorator_leaves_grad_mode_on() -> None:
    result = execute(
        "@torch.no_grad()\ndef f():\n    return torch.is_grad_enabled()\nprint(f(), torch.is_grad_enabled())"
    )
    assert result.stdout == "False True\n"
    assert torch.is_grad_enabled()
