"""Hostile class definitions: dunders, metaclasses, base games, super() games, recursion.

Each ends in a refusal, a budget stop or Python's / PyTorch's own error, in both
languages, with no file written and torch's global state unchanged.
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
M = "import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
F = "class F(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        return x * 2\n    @staticmethod\n    def backward(ctx, g):\n"
APPLY = "x = torch.ones(2, requires_grad=True)\ny = F.apply(x).sum()\n"

DUNDERS = [
    (f"class A:\n    def {name}(self, *a):\n        return 1", "refused", 2)
    for name in (
        "__getattribute__",
        "__getattr__",
        "__setattr__",
        "__class__",
        "__subclasses__",
        "__reduce__",
        "__reduce_ex__",
        "__del__",
        "__init_subclass__",
        "__new__",
        "__call__",
        "__repr__",
        "__eq__",
        "__class_getitem__",
        "__set_name__",
    )
]
DEFINITIONS = [
    ("class A(metaclass=print):\n    pass", "refused", 1),
    ("class A(object, metaclass=type):\n    pass", "refused", 1),
    ("class A(**{'metaclass': print}):\n    pass", "refused", 1),
    ("type('A', (), {})", "refused", 1),
    ("@print\nclass A:\n    pass", "refused", 2),
    ("class A:\n    for i in range(3):\n        pass", "refused", 2),
    ("class A:\n    import os", "refused", 2),
    ("class A:\n    class B:\n        pass", "refused", 2),
    ("class A:\n    x = [i for i in range(10**9)]", "budget", 2),
    ("class A:\n    __slots__ = ()", "refused", 2),
    ("class A(torch.Tensor):\n    pass", "refused", 1),
    ("class A(int):\n    pass", "refused", 1),
    ("class A(print):\n    pass", "refused", 1),
    ("class A(torch.nn.Linear):\n    pass", "refused", 1),
    ("class A(BaseException):\n    pass", "refused", 1),
    ("class A(A):\n    pass", "runtime", 1),
    ("class A:\n    pass\nclass B(A, A):\n    pass", "runtime", 3),
    ("class A:\n    pass\nA.__bases__", "refused", 3),
    ("class A:\n    pass\nA.mro()", "refused", 3),
    ("class A:\n    pass\nA().__dict__", "refused", 3),
    ("class A:\n    pass\nA.__init__.__globals__", "refused", 3),
    ("def __init__(self):\n    pass", "refused", 1),
    ("__init__ = 1", "refused", 1),
    ("class A:\n    def f(self, __init__):\n        pass", "refused", 2),
]
MODULES = [
    (M + "    def parameters(self):\n        return []", "refused", None),
    (M + "    def named_modules(self):\n        return []", "refused", None),
    (M + "    def register_forward_hook(self, f):\n        pass", "refused", None),
    (M + "    def state_dict(self):\n        return {}", "refused", None),
    (M + "m = M()\nm.named_modules = print", "refused", 6),
    (M + "        self.parameters = []\nM()", "refused", 5),
    (M + "m = M()\nm.register_forward_hook(print)", "refused", 6),
    (M + "m = M()\nm.apply(print)", "refused", 6),
    (M + "m = M()\nm._modules", "refused", 6),
    (M + "        self.me = self\nm = M()\nprint(m)", "budget", 7),
    (M + "    def forward(self, x):\n        return self(x)\nM()(1)", "budget", None),
    (
        M + "    def extra_repr(self):\n        while True:\n            pass\nprint(M())",
        "budget",
        None,
    ),
    (M + "        M()\nM()", "budget", None),
    (
        "import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        self.l = nn.Linear(1, 1)\nM()",
        "runtime",
        4,
    ),
    (M + "    def forward(self, x):\n        return x\nM()(1, 2)", "runtime", None),
    (M + "m = M()\nsuper(M, m).register_forward_hook", "refused", 6),
    (M + "m = M()\nsuper(int, m)", "runtime", 6),
    (M + "m = M()\nsuper(M, 5)", "runtime", 6),
    ("super().__init__()", "refused", 1),
    ("class A:\n    @property\n    def p(self):\n        return self.p\nA().p", "budget", None),
    ("class A:\n    @property\n    def p(self):\n        return 1\na = A()\na.p = 2", "runtime", 6),
    ("class A:\n    def __init__(self):\n        A()\nA()", "budget", None),
    ("class A:\n    pass\nA().missing", "runtime", 3),
    ("class A:\n    def f(self):\n        pass\nA().f.fn", "refused", 4),
    ("@staticmethod\ndef f():\n    pass", "refused", 1),
]
FUNCTIONS = [
    (F + "        while True:\n            pass\n" + APPLY + "y.backward()", "budget", None),
    (
        F
        + "        while True:\n            pass\n"
        + APPLY
        + "try:\n    y.backward()\nexcept BaseException:\n    print('swallowed')",
        "budget",
        None,
    ),
    (F + "        return torch.ones(3)\n" + APPLY + "y.backward()", "runtime", 10),
    (F + "        return g, g\n" + APPLY + "y.backward()", "runtime", 10),
    (F + "        return 'grad'\n" + APPLY + "y.backward()", "runtime", 10),
    (F + "        return g * torch.ones(10**5, 10**5)\n" + APPLY + "y.backward()", "budget", None),
    (
        F
        + "        return F.apply(g)\n"
        + APPLY
        + "y.backward(create_graph=True)\nx.grad.sum().backward()",
        None,
        None,
    ),
    (F + "        return g\nF()", "refused", 8),
    (F + "        return g\nF.forward(None, 1).__class__", "refused", 8),
    (
        F + "        ctx.save_for_backward = 1\n        return g\n" + APPLY + "y.backward()",
        "refused",
        7,
    ),
    (
        F + "        ctx.register_hook(print)\n        return g\n" + APPLY + "y.backward()",
        "refused",
        7,
    ),
    (F + "        return ctx.saved_variables\n" + APPLY + "y.backward()", "refused", 7),
    (
        F + "        return g\n    @staticmethod\n    def apply(x):\n        return x",
        "refused",
        None,
    ),
    (F + "        return g\n" + APPLY + "y.grad_fn.apply(1)", "runtime", 10),
]
CASES = DUNDERS + DEFINITIONS + MODULES + FUNCTIONS


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) >= 70


@pytest.fixture
def quiet_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(("source", "kind", "line"), CASES, ids=[c[0][-60:] for c in CASES])
def test_hostile_class_is_contained(
    source: str, kind: str | None, line: int | None, quiet_cwd: Path
) -> None:
    threads = torch.get_num_threads()
    started = time.monotonic()
    result = execute(source, OPTIONS)
    assert time.monotonic() - started < 15
    assert list(quiet_cwd.iterdir()) == []
    assert torch.get_num_threads() == threads
    assert torch.is_grad_enabled()
    assert "swallowed" not in result.stdout
    if kind is None:  # anything contained will do
        return
    assert result.error is not None, source
    assert result.error.kind == kind, result.error
    if line is not None:
        assert result.error.line == line, result.error
    assert result.error.message and result.error.message_zh
    for internal in ("SafeCallable", "UserClass", "BoundMethod", "TypeProxy", "Traceback"):
        assert internal not in result.error.message
