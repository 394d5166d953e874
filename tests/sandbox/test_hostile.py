"""Hostile programs: each ends in a clean refusal or error, writes nothing, hangs nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import torch

from autodiff_viz.sandbox.execute import execute
from autodiff_viz.sandbox.options import Budgets, RunOptions

# 5,000 autograd nodes: the least a run may allow (a 60k-node chain is left out here: freeing
# it while the graph recorder holds it overflows the C stack in the garbage collector).
OPTIONS = RunOptions(budgets=Budgets(seconds=3.0, autograd_nodes=5_000))
X = "x = torch.ones(3, requires_grad=True)\n"

# (program, expected kind, expected line or None when any line is fine)
ESCAPES = [
    (X + "x.__class__", "refused", 2),
    ("().__class__.__bases__[0].__subclasses__()", "refused", 1),
    ("getattr(torch, 'load')", "refused", 1),
    ("setattr(torch, 'x', 1)", "refused", 1),
    ("torch.__dict__", "refused", 1),
    ("torch.__builtins__", "refused", 1),
    ("torch.nn.modules.module", "refused", 1),
    ("torch.optim.SGD.__init__.__globals__", "refused", 1),
    ("print.__self__", "refused", 1),
    ("type(1)", "refused", 1),
    (X + 'print("{0.__class__}".format(x))', "refused", 2),
    (X + 'print("{0.grad_fn}".format(x))', "refused", 2),
    (X + 'print("{0[0]}".format([x]))', "refused", 2),
    ("x = 1\nprint(f'{x!r:{x.__class__}}')", "refused", 2),
    ("vars()", "refused", 1),
    ("dir(torch)", "refused", 1),
    ("globals()", "refused", 1),
    ("locals()", "refused", 1),
    ("super()", "refused", 1),
    ("eval('1+1')", "refused", 1),
    ("exec('import os')", "refused", 1),
    ("compile('1', 'f', 'eval')", "refused", 1),
    ("open('/etc/passwd').read()", "refused", 1),
    ("__import__('os')", "refused", 1),
    ("import os", "refused", 1),
    ("import sys", "refused", 1),
    ("import subprocess", "refused", 1),
    ("import socket", "refused", 1),
    ("import threading", "refused", 1),
    ("import numpy as np", "refused", 1),
    ("import math", "refused", 1),
    ("from os import system", "refused", 1),
    ("from torch import load", "refused", 1),
    ("from torch import *", "refused", 1),
    ("from . import x", "refused", 1),
    ("import torch.utils", "refused", 1),
    ("import torch._C", "refused", 1),
    ("class A:\n    pass", "refused", 1),
    ("f = lambda: 1", "refused", 1),
    ("try:\n    x = 1\nexcept Exception as e:\n    e.__traceback__", "refused", 4),
    ("try:\n    x = 1\nexcept Exception as e:\n    print(e)", "refused", 1),
    ("raise ValueError('x')", "refused", 1),
    ("def f():\n    global g\n    g = 1", "refused", 2),
    ("def f():\n    yield 1", "refused", 2),
    ("async def f():\n    pass", "refused", 1),
    ("@print\ndef f():\n    pass", "refused", 2),
    ("def f(*a):\n    return a", "refused", 1),
    ("print(*[1, 2])", "refused", 1),
    ("d = {}\nprint(**d)", "refused", 2),
    ("(y := 3)", "refused", 1),
    ("x = 1\ndel x", "refused", 2),
    ("help()", "refused", 1),
    ("breakpoint()", "refused", 1),
    ("memoryview(b'x')", "refused", 1),
    ("id(1)", "refused", 1),
    ("iter([1])", "refused", 1),
    ("x = torch.ones(2)\nx.grad_fn", "runtime", None),  # None: not an error, see below
    ("def f():\n    return 1\nf.__code__", "refused", 3),
    ("def f():\n    return 1\nf.func_globals", "refused", 3),
    ("print.__call__", "refused", 1),
    ("torch.tensor.__module__", "refused", 1),
    ("y = torch.nn\ny.modules", "refused", 2),
    ("torch.autograd.function", "refused", 1),
    ("torch.autograd.graph", "refused", 1),
    ("torch.Tensor.add", "refused", 1),
    ("torch.Tensor(3)", "runtime", 1),
    ("torch.float32.to_complex()", "refused", 1),
    ("torch.ones(2).device.type", "refused", 1),
    ("(1).real", "refused", 1),
    ("'a'.maketrans", "refused", 1),
    ("[].__len__()", "refused", 1),
    ("print.name", "refused", 1),
    ("zip([1]).gi_frame", "refused", 1),
    ("torch.manual_seed(1).get_state()", "refused", 1),
    (
        "opt = torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1)\nopt.state_dict()",
        "refused",
        2,
    ),
    ("m = torch.nn.Linear(1, 1)\nm._parameters", "refused", 2),
    ("m = torch.nn.Linear(1, 1)\nm.forward.__func__", "refused", 2),
    ("m = torch.nn.Linear(1, 1)\nm.register_forward_hook(print)", "refused", 2),
]
TORCH_ENTRY_POINTS = (
    [
        (f"torch.{name}", "refused", 1)
        for name in (
            "load",
            "save",
            "from_file",
            "hub",
            "ops",
            "jit",
            "compile",
            "utils",
            "backends",
            "cuda",
            "classes",
            "library",
            "_C",
            "Storage",
            "UntypedStorage",
            "sparse_coo_tensor",
            "set_default_dtype",
            "set_num_threads",
            "set_printoptions",
            "importlib",
            "os",
            "sys",
            "multiprocessing",
            "distributed",
            "fx",
            "export",
            "package",
            "serialization",
            "set_grad_enabled.__enter__",
            "autograd.set_detect_anomaly",
        )
    ]
    + [
        # A leaf's grad_fn is None: Python's AttributeError (a runtime error), refused or not.
        (X + f"x.{name}", "runtime" if name.startswith("grad_fn") else "refused", 2)
        for name in (
            "untyped_storage()",
            "storage()",
            "data_ptr()",
            "set_(torch.zeros(10))",
            "apply_(print)",
            "map_(x, print)",
            "register_hook(print)",
            "numpy()",
            "to_sparse()",
            "grad_fn.register_hook(print)",
            "grad_fn.register_prehook(print)",
            "grad_fn.next_functions",
            "share_memory_()",
            "cuda()",
        )
    ]
    + [
        (X + "y = x * 2\ny.grad_fn.register_hook(print)", "refused", 3),
        (X + "y = x * 2\ny.grad_fn.next_functions[0][0]", "refused", 3),
        (X + "y = x * 2\ny.grad_fn.metadata", "refused", 3),
    ]
)
EXHAUSTION = [
    ("while True:\n    pass", "budget", 1),
    ("i = 0\nwhile True:\n    i += 1", "budget", None),
    ("for i in range(10**9):\n    pass", "budget", 1),
    ("def f(n):\n    return f(n + 1)\nf(0)", "budget", 2),
    ("torch.zeros(10**6, 10**6)", "budget", 1),
    ("torch.ones(10**5, 10**5)", "budget", 1),
    ("torch.randn(10**9)", "budget", 1),
    ("torch.arange(10**10)", "budget", 1),
    ("torch.linspace(0, 1, 10**9)", "budget", 1),
    ("torch.full((10**5, 10**5), 1.0)", "budget", 1),
    ("torch.eye(10**6)", "budget", 1),
    ("a = torch.ones(2000, 2000)\nb = a @ a @ a @ a", "budget", 2),
    ("a = torch.ones(3000, 1)\nb = torch.ones(1, 3000)\nc = a * b", "budget", 3),
    ("a = torch.ones(1000, 1000)\nb = a.repeat(100, 100)", "budget", 2),
    ("a = torch.ones(10)\nb = a.expand(10**6, 10).contiguous()", "budget", 2),
    ("a = torch.ones(10, 10)\nb = torch.cat([a] * 10**5)", "budget", 2),
    ("torch.nn.Linear(10**5, 10**5)", "budget", 1),
    ("torch.zeros(torch.tensor(10**6), torch.tensor(10**6))", "budget", 1),
    ("x = [0] * 10**9", "budget", 1),
    ("x = 'a' * 10**9", "budget", 1),
    ("x = 10**10**10", "budget", 1),
    ("x = 1 << 10**9", "budget", 1),
    ("x = list(range(10**9))", "budget", 1),
    ("x = sum(range(10**12))", "budget", 1),
    ("x = sorted(range(10**9))", "budget", 1),
    ("x = max(range(10**12))", "budget", 1),
    ("s = 'ab'\nfor i in range(100):\n    s = s + s", "budget", 3),
    ("l = [1]\nfor i in range(100):\n    l.extend(l)", "budget", 3),
    ("x = 2\nfor i in range(100):\n    x = x * x", "budget", 3),
    ("print('x' * 10**5)\nfor i in range(100):\n    print('x' * 10**5)", "budget", 3),
    ("print('%0999999999d' % 1)", "budget", 1),
    ("print('{:>999999999}'.format(1))", "budget", 1),
    ("print(f'{1:>999999999}')", "budget", 1),
    ("x = [i for i in range(10**9)]", "budget", 1),
    ("x = ('a' * 1000).replace('', 'b' * 10**4)", "budget", 1),
    (
        "y = torch.ones(1, requires_grad=True)\nz = y\nfor i in range(6000):\n    z = z * 1\n"
        "z.backward()",
        "budget",
        None,
    ),
]
PARSER = [
    ("(" * 100_000 + ")" * 100_000, None, None),
    ("x = " + "-" * 100_000 + "1", None, None),
    ("x = " + " + ".join(["1"] * 50_000), None, None),
    ("x = 1\n" * 200_000, "refused", None),
    ("x = 1\0", "syntax", 1),
    ("\ufeffprint(1)", "ok", None),
    ("x = 1\r\nprint(x)\r\n", "ok", None),
    ("if True:\n\tx = 1\n        y = 2", "syntax", None),
    ("def f(:\n  pass", "syntax", 1),
    ("x = (1,", "syntax", None),
    ("print('unterminated)", "syntax", 1),
    ("\u202eprint(1)", "refused", 1),  # Trojan Source: refused before parsing
    ("x = 1 $ 2", "syntax", 1),
    ("", "ok", None),
    ("# 只有注释\n'''只有字符串'''", "ok", None),
]
UNICODE = [
    ("_\uff3fimport\uff3f\uff3f('os')", "refused", 1),
    ("\uff58 = 1", "refused", 1),  # full-width x
    ("print(\uff49\uff44(1))", "refused", 1),
    ("\u2160 = 1", "refused", 1),  # roman numeral one folds to I
    ("ﬁle = 1", "refused", 1),  # ligature fi
    ("x = torch.ones(1)\nx.\uff3f\uff3fclass\uff3f\uff3f", None, 2),  # not even Python
    ("print('\u202e 文字 _hidden')", "refused", 1),  # bidi controls: strings too
    ("变量 = torch.ones(2)\nprint(变量 * 2)", "ok", None),
]
NUMERIC = [
    ("print(1 / 0)", "runtime", 1),
    ("print(1 // 0)", "runtime", 1),
    ("print(1 % 0)", "runtime", 1),
    ("print(float('nan') * 0, float('inf') - float('inf'))", "ok", None),
    ("print(torch.tensor(0.0) / 0)", "ok", None),
    ("print(torch.tensor(1.0) / 0)", "ok", None),
    ("print(2.0 ** 10000)", "runtime", 1),
    ("print(int(float('inf')))", "runtime", 1),
    ("print(torch.tensor(2**70))", "runtime", 1),
    ("print(int('9' * 5000))", "runtime", 1),
    ("x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = x * 2\ny.backward()", "runtime", 3),
    ("a = torch.ones(2, 3)\nb = torch.ones(4, 5)\nc = a @ b", "runtime", 3),
    ("a = torch.ones(2, 3)\nb = torch.ones(4)\nc = a + b", "runtime", 3),
    ("a = torch.ones(6)\nb = a.view(4, 2)", "runtime", 2),
    ("a = torch.ones(3)\nprint(a[5])", "runtime", 2),
    ("x = [1, 2]\nprint(x[3])", "runtime", 2),
    ("d = {}\nprint(d['k'])", "runtime", 2),
    ("print(foo)", "runtime", 1),
    (
        "x = torch.ones(2, requires_grad=True)\nx.sum().backward()\nx.sum().backward()\n"
        "y = x * 2\ny.sum().backward()\ny.sum().backward()",
        "runtime",
        6,
    ),
    ("a, b = [1, 2, 3]", "runtime", 1),
    ("a, b, c = torch.ones(2)", "runtime", 1),
    ("x = torch.ones(2)\nif x > 0:\n    pass", "runtime", 2),
    ("x = torch.ones(1, requires_grad=True)\nx.add_(1)", "runtime", 2),
    ("1 + 'a'", "runtime", 1),
    ("x = torch.ones(2)\nx()", "runtime", 2),
    ("def f(a):\n    return a\nf(1, 2)", "runtime", 3),
    ("max(torch.ones(3), torch.zeros(3))", "runtime", 1),
    ("torch.ones(2).item()", "runtime", 1),
    ("assert 1 == 2, 'no'", "runtime", 1),
]
CASES = ESCAPES + TORCH_ENTRY_POINTS + EXHAUSTION + PARSER + UNICODE + NUMERIC


@pytest.fixture
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("source", "kind", "line"), CASES, ids=[c[0][:40] for c in CASES])
def test_hostile_input_is_contained(
    source: str, kind: str | None, line: int | None, quiet_cwd: Path
) -> None:
    before = sorted(quiet_cwd.iterdir())
    threads = torch.get_num_threads()
    started = time.monotonic()
    result = execute(source, OPTIONS)
    assert time.monotonic() - started < 15
    assert sorted(quiet_cwd.iterdir()) == before
    assert torch.get_num_threads() == threads
    assert torch.is_grad_enabled()
    if source.endswith("x.grad_fn"):  # a leaf's grad_fn is simply None
        assert result.error is None
        return
    if kind == "ok":
        assert result.error is None, result.error
        return
    assert result.error is not None, source
    if kind is not None:
        assert result.error.kind == kind, result.error
    if line is not None:
        assert result.error.line == line, result.error
    assert result.error.message and result.error.message_zh
    assert "Traceback" not in result.error.message
