"""Hostile programs aimed at the newer language: lambda, *args/**kwargs, decorators, try/except.

Each is contained like the cases of test_hostile.py: a refusal, a budget stop or
Python's own error, in both languages, with no file written, no thread or grad
mode changed, in bounded time. Budget stops and refusals are never catchable.
"""

# ruff: noqa: E501 - each program on one line

from __future__ import annotations

import time
from pathlib import Path

import pytest
import torch

from autodiff_viz.sandbox.execute import execute
from autodiff_viz.sandbox.options import Budgets, RunOptions

OPTIONS = RunOptions(budgets=Budgets(seconds=3.0, autograd_nodes=5_000))
LOOP = "while True:\n        pass"

# (program, expected kind, expected line or None when any line is fine)
UNCATCHABLE = [
    (f"try:\n    {LOOP}\nexcept BaseException:\n    print('swallowed')", "budget", None),
    (f"try:\n    {LOOP}\nexcept Exception:\n    print('swallowed')", "budget", None),
    (f"try:\n    {LOOP}\nexcept:\n    print('swallowed')", "budget", None),
    (f"try:\n    {LOOP}\nfinally:\n    {LOOP}", "budget", None),
    (f"try:\n    {LOOP}\nfinally:\n    print('no finally after a stop')", "budget", None),
    (
        "for i in range(10):\n    try:\n        while True:\n            pass\n    except BaseException:\n        continue",
        "budget",
        None,
    ),
    (
        "def f():\n    try:\n        return f()\n    except BaseException:\n        return f()\nf()",
        "budget",
        None,
    ),
    ("def f():\n    try:\n        f()\n    finally:\n        f()\nf()", "budget", None),
    ("try:\n    torch.zeros(10**6, 10**6)\nexcept Exception:\n    print('x')", "budget", 2),
    ("try:\n    x = [0] * 10**9\nexcept BaseException:\n    print('x')", "budget", 2),
    ("try:\n    x = 10**10**10\nexcept OverflowError:\n    print('x')", "budget", 2),
    ("try:\n    torch.load\nexcept AttributeError:\n    print('x')", "refused", 2),
    ("try:\n    torch.load\nexcept BaseException:\n    print('x')", "refused", 2),
    (
        "try:\n    x = torch.ones(1)\n    x.storage()\nexcept Exception:\n    print('x')",
        "refused",
        3,
    ),
    ("try:\n    getattr(torch, 'load')\nexcept Exception:\n    pass", "refused", 2),
    ("try:\n    import os\nexcept Exception:\n    pass", "refused", 2),
    (
        "try:\n    print('x' * 10**5)\n    for i in range(100):\n        print('x' * 10**5)\nexcept Exception:\n    pass",
        "budget",
        None,
    ),
    ("while True:\n    try:\n        pass\n    except Exception:\n        pass", "budget", None),
    (
        "for i in range(10**6):\n    try:\n        1 / 0\n    except ZeroDivisionError:\n        pass",
        "budget",
        None,
    ),
]
EXCEPTION_OBJECTS = [
    ("try:\n    1 / 0\nexcept Exception as e:\n    e.__traceback__", "refused", 4),
    ("try:\n    1 / 0\nexcept Exception as e:\n    e.with_traceback(None)", "refused", 4),
    ("try:\n    1 / 0\nexcept Exception as e:\n    e.tb_frame", "runtime", 4),
    (
        "try:\n    1 / 0\nexcept Exception as e:\n    print('{0.__traceback__}'.format(e))",
        "refused",
        4,
    ),
    ("try:\n    1 / 0\nexcept Exception as e:\n    print('{0.args}'.format(e))", "refused", 4),
    ("try:\n    1 / 0\nexcept Exception as e:\n    e.args = ()", "refused", 4),
    ("try:\n    1 / 0\nexcept Exception as e:\n    e.add_note('x')", "refused", 4),
    ("ValueError.mro()", "refused", 1),
    ("ValueError.__subclasses__()", "refused", 1),
    ("Exception.args", "refused", 1),
    ("raise SystemExit", "runtime", 1),
    ("raise KeyboardInterrupt", "runtime", 1),
    ("raise GeneratorExit", "runtime", 1),
    ("raise BaseException('out')", "runtime", 1),
    ("try:\n    raise BaseException('out')\nexcept Exception:\n    pass", "runtime", 2),
    ("raise StopIteration", "runtime", 1),
    ("raise ValueError('x' * 10**9)", "budget", 1),
    ("raise ValueError(print)", "runtime", 1),
    ("raise ValueError from 3", "runtime", 1),
    ("raise print", "runtime", 1),
    ("try:\n    pass\nexcept* ValueError:\n    pass", "refused", 1),
    (
        "class E(Exception):\n    pass\ntry:\n    raise E('x' * 10**9)\nexcept E:\n    pass",
        "budget",
        4,
    ),
    ("try:\n    1 / 0\nexcept type(1):\n    pass", "refused", 3),
    ("try:\n    [][0]\nexcept torch.Tensor:\n    pass", "runtime", 3),
]
FUNCTIONS = [
    ("f = lambda: f()\nf()", "budget", None),
    ("(lambda f: f(f))(lambda f: f(f))", "budget", 1),
    ("def f(g=lambda: f()):\n    return g()\nf()", "budget", None),
    ("f = lambda: [x for x in range(10**9)]\nf()", "budget", 1),
    ("f = lambda: f.__code__\nf()", "refused", 1),
    ("f = lambda: 1\nf.__globals__", "refused", 2),
    ("f = lambda: 1\nf.func_closure", "refused", 2),
    ("f = lambda **k: k\nf(**{'__class__': 1})", "refused", 2),
    ("torch.ones(2, **{'_x': 1})", "refused", 1),
    ("print(**{'__builtins__': 1})", "refused", 1),
    ("print(*range(10**9))", "budget", 1),
    ("a, *b = range(10**9)", "budget", 1),
    ("x = [*range(10**9)]", "budget", 1),
    ("x = (*range(10**9),)", "budget", 1),
    ("x = {*range(10**9)}", "budget", 1),
    ("def f(*a):\n    return f(*a, *a)\nf(1)", "budget", None),
    ("def f(**k):\n    return f(**k, **{str(len(k)): 1})\nf()", "budget", None),
    ("@torch.load\ndef f():\n    pass", "refused", 1),
    ("@type\ndef f():\n    pass", "refused", 1),
    ("@staticmethod\ndef f():\n    pass", "refused", 1),
    ("@(lambda f: 5)\ndef g():\n    pass\ng()", "runtime", 4),
    ("def d(f):\n    return d(f)\n@d\ndef g():\n    pass", "budget", None),
    ("@torch.no_grad()\ndef f():\n    return f()\nf()", "budget", None),
    ("torch.no_grad()(print)", "runtime", 1),
    ("torch.no_grad(print)", "refused", 1),
    ("torch.enable_grad(lambda: 1)", "refused", 1),
    ("@torch.set_grad_enabled(False)\ndef f():\n    pass", "runtime", 1),
    ("@print\n@torch.load\ndef f():\n    pass", "refused", 2),
    ("f = torch.no_grad()\nf.clone()", "refused", 2),
    ("def f():\n    yield 1", "refused", 2),
    ("g = (lambda: (yield))", "refused", 1),
    ("def f():\n    global x\n    x = 1", "refused", 2),
    ("f = lambda: (x := 1)", "refused", 1),
    ("f = lambda: 1\nf.name", "refused", 2),
]
CASES = UNCATCHABLE + EXCEPTION_OBJECTS + FUNCTIONS


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 70


@pytest.fixture
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("source", "kind", "line"), CASES, ids=[c[0][:50] for c in CASES])
def test_hostile_language_is_contained(
    source: str, kind: str, line: int | None, quiet_cwd: Path
) -> None:
    threads = torch.get_num_threads()
    started = time.monotonic()
    result = execute(source, OPTIONS)
    assert time.monotonic() - started < 15
    assert list(quiet_cwd.iterdir()) == []
    assert torch.get_num_threads() == threads
    assert torch.is_grad_enabled()
    assert result.error is not None, source
    assert result.error.kind == kind, result.error
    if line is not None:
        assert result.error.line == line, result.error
    assert result.error.message and result.error.message_zh
    assert "swallowed" not in result.stdout
    for internal in ("SafeCallable", "UserFunction", "TypeProxy", "InertGradFn", "Traceback"):
        assert internal not in result.error.message
