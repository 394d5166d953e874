"""numpy for data, torch.from_numpy / .numpy(), devices: as CPython + numpy + PyTorch run them."""

# ruff: noqa: E501 - each snippet is one program, as pasted

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import torch

from autodiff_viz.sandbox.execute import execute
from autodiff_viz.sandbox.options import Budgets, RunOptions
from tests.sandbox.test_seeds import assert_same_as_python

SNIPPETS = {
    "creation": "import numpy as np\nprint(np.array([1, 2, 3]), np.zeros((2, 3)), np.ones(3, dtype=np.float32), np.arange(5), np.linspace(0, 1, 5), np.eye(2), np.full((2, 2), 7.0))",
    "like_and_dtypes": "import numpy as np\na = np.array([[1.5, 2.5], [3.5, 4.5]])\nprint(np.zeros_like(a), np.ones_like(a).dtype, a.astype(np.int64), a.dtype, a.shape, a.T, a.ndim, a.size)",
    "math": "import numpy as np\nx = np.linspace(-1, 1, 5)\nprint(np.sin(x), np.exp(x).round(3), np.abs(x), np.sqrt(np.abs(x)), np.maximum(x, 0), np.clip(x, -0.5, 0.5), np.where(x > 0, x, 0))",
    "reductions": "import numpy as np\na = np.arange(12.0).reshape(3, 4)\nprint(a.sum(), a.mean(axis=0), a.std(), a.min(), a.max(axis=1), a.argmax(), np.sum(a, axis=1), np.mean(a))",
    "linear_algebra": "import numpy as np\na = np.arange(6.0).reshape(2, 3)\nb = np.ones((3, 2))\nprint(a @ b, np.dot(a, b), a.dot(b), np.matmul(a, b), np.concatenate([a, a]), np.stack([a, a]).shape)",
    "operators": "import numpy as np\na = np.array([1.0, 2.0, 3.0])\nprint(a * 2, a + a, a ** 2, -a, a / 2, a > 1.5, a[a > 1.5], a[1:], a[::-1], 2 * a - 1)",
    "random_seeded": "import numpy as np\nnp.random.seed(0)\nprint(np.random.rand(3), np.random.randn(2, 2), np.random.randint(0, 10, size=5), np.random.normal(0, 1, 3), np.random.uniform(-1, 1, size=2), np.random.permutation(5))",
    "from_numpy": "import numpy as np\na = np.array([1.0, 2.0], dtype=np.float32)\nt = torch.from_numpy(a)\nprint(t, t.dtype, torch.tensor(a), torch.from_numpy(np.arange(3)).dtype)",
    "tensor_numpy": "import numpy as np\nx = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x * 3).detach().numpy()\nprint(y, y.dtype, x.detach().numpy().sum())",
    "numpy_data_training": "import numpy as np\ntorch.manual_seed(0)\nnp.random.seed(1)\nX = np.random.rand(20, 1).astype(np.float32)\nY = 3 * X + 2\nw = torch.zeros(1, requires_grad=True)\nb = torch.zeros(1, requires_grad=True)\nfor i in range(50):\n    pred = torch.from_numpy(X) * w + b\n    loss = ((pred - torch.from_numpy(Y)) ** 2).mean()\n    loss.backward()\n    with torch.no_grad():\n        w -= 0.5 * w.grad\n        b -= 0.5 * b.grad\n        w.grad.zero_()\n        b.grad.zero_()\nprint(w, b, loss)",
    "devices": "device = torch.device('cuda:0' if torch.cuda.is_available() else 'cpu')\nx = torch.ones(2).to(device)\nm = torch.nn.Linear(2, 1).to(device)\nprint(device, x.device, torch.cuda.is_available(), x.cpu(), torch.device('cpu'))",
    "from_import": "from numpy import array, float32\nprint(array([1, 2], dtype=float32))",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_numpy_matches_python(name: str) -> None:
    np.random.seed(12345)  # plain Python's global generator: the snippets seed it themselves
    assert_same_as_python(SNIPPETS[name])


def test_np_random_stays_in_the_run() -> None:
    np.random.seed(3)
    expected = np.random.rand()
    np.random.seed(3)
    execute("import numpy as np\nnp.random.seed(99)\nprint(np.random.rand(1000).sum())")
    assert np.random.rand() == expected


def test_unseeded_runs_repeat() -> None:
    source = "import numpy as np\nprint(np.random.rand(2))"
    assert execute(source).stdout == execute(source).stdout


OPTIONS = RunOptions(budgets=Budgets(seconds=3.0))
HOSTILE = [
    ("import numpy as np\nnp.load('x.npy')", "refused", 2),
    ("import numpy as np\nnp.save('x.npy', np.zeros(2))", "refused", 2),
    ("import numpy as np\nnp.fromfile('/etc/passwd')", "refused", 2),
    ("import numpy as np\nnp.memmap('x', mode='w+', shape=(10,))", "refused", 2),
    ("import numpy as np\nnp.ctypeslib", "refused", 2),
    ("import numpy as np\nnp.lib", "refused", 2),
    ("import numpy as np\nnp.frombuffer(b'abcd')", "refused", 2),
    ("import numpy as np\nnp.loadtxt('x')", "refused", 2),
    ("import numpy as np\nnp.genfromtxt('x')", "refused", 2),
    ("import numpy as np\nnp.fromstring('1 2', sep=' ')", "refused", 2),
    ("import numpy as np\nnp.array([1, 2]).tofile('x')", "refused", 2),
    ("import numpy as np\nnp.array([1, 2]).ctypes", "refused", 2),
    ("import numpy as np\nnp.array([1, 2]).data", "refused", 2),
    ("import numpy as np\nnp.array([1, 2]).base", "refused", 2),
    ("import numpy as np\nnp.array([1, 2]).view(np.float32)", "refused", 2),
    ("import numpy as np\nnp.array([print])", "refused", 2),
    ("import numpy as np\nnp.array([1, 2], dtype=object)", "refused", 2),
    ("import numpy as np\nnp.array(['a', 'b'])", "refused", 2),
    ("import numpy as np\nnp.zeros(3, dtype='O')", "refused", 2),
    ("import numpy as np\nnp.zeros(3).astype(object)", "refused", 2),
    ("import numpy as np\nnp.array([1]).astype('U5')", "refused", 2),
    ("import numpy as np\nnp.zeros((10**5, 10**5))", "budget", 2),
    ("import numpy as np\nnp.ones(10**9)", "budget", 2),
    ("import numpy as np\nnp.arange(10**10)", "budget", 2),
    ("import numpy as np\nnp.linspace(0, 1, 10**9)", "budget", 2),
    ("import numpy as np\nnp.eye(10**6)", "budget", 2),
    ("import numpy as np\nnp.full((10**5, 10**5), 1.0)", "budget", 2),
    ("import numpy as np\nnp.random.rand(10**5, 10**5)", "budget", 2),
    ("import numpy as np\nnp.random.randint(0, 9, size=(10**5, 10**5))", "budget", 2),
    ("import numpy as np\na = np.ones((3000, 1))\nb = np.ones((1, 3000))\nc = a * b", "budget", 4),
    ("import numpy as np\na = np.ones((3000, 1))\nb = np.ones((1, 3000))\nc = a > b", "budget", 4),
    ("import numpy as np\na = np.ones((2000, 2000))\nb = a @ a", "budget", 3),
    ("import numpy as np\na = np.ones(10**6)\nb = np.outer(a, a)", "budget", 3),
    ("import numpy as np\nfor i in range(200):\n    a = np.ones(10**6)", "budget", None),
    ("import numpy.linalg", "refused", 1),
    ("import numpy as np\nnp.random.get_state()", "refused", 2),
    ("import numpy as np\nnp.random.RandomState(0)", "refused", 2),
    ("import numpy as np\nnp.random.seed.__self__", "refused", 2),
    ("import numpy as np\nnp.sin.__call__", "refused", 2),
    ("import numpy as np\nnp.set_printoptions(threshold=10**9)", "refused", 2),
    ("import numpy as np\nnp.seterr(all='ignore')", "refused", 2),
    ("x = torch.ones(2, requires_grad=True)\nx.numpy()", "runtime", 2),
    ("x = torch.ones(2)\nx.cuda()", "refused", 2),
    ("x = torch.ones(2)\nx.to('cuda')", "refused", 2),
    ("torch.cuda.init()", "refused", 1),
    ("torch.cuda.set_device(0)", "refused", 1),
    ("torch.device('cpu').type", "refused", 1),
]


def test_hostile_numpy_suite_is_large_enough() -> None:
    assert len(HOSTILE) >= 40


@pytest.mark.parametrize(("source", "kind", "line"), HOSTILE, ids=[c[0][19:70] for c in HOSTILE])
def test_hostile_numpy_is_contained(
    source: str, kind: str, line: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    state = np.random.get_state()[1].copy()  # type: ignore[index]
    started = time.monotonic()
    result = execute(source, OPTIONS)
    assert time.monotonic() - started < 15
    assert list(tmp_path.iterdir()) == []
    assert (np.random.get_state()[1] == state).all()  # type: ignore[index]
    assert result.error is not None, source
    assert result.error.kind == kind, result.error
    if line is not None:
        assert result.error.line == line, result.error
    assert result.error.message and result.error.message_zh
    assert torch.is_grad_enabled()
