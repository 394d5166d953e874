"""torch.utils.data as tutorials use it: TensorDataset, DataLoader, random_split."""

# ruff: noqa: E501 - each snippet is one program, as pasted

from __future__ import annotations

from pathlib import Path

import pytest

from autodiff_viz.sandbox.execute import execute
from tests.sandbox.test_seeds import assert_same_as_python

SNIPPETS = {
    "loader_batches": "from torch.utils.data import TensorDataset, DataLoader\nX = torch.arange(10.0).reshape(-1, 1)\ny = 2 * X\nds = TensorDataset(X, y)\nloader = DataLoader(ds, batch_size=4)\nprint(len(ds), len(loader), ds[3])\nfor xb, yb in loader:\n    print(xb.shape, yb.sum())",
    "shuffle_seeded": "from torch.utils.data import TensorDataset, DataLoader\ntorch.manual_seed(0)\nds = TensorDataset(torch.arange(8.0))\nfor (xb,) in DataLoader(ds, batch_size=3, shuffle=True, drop_last=True):\n    print(xb)",
    "random_split": "from torch.utils.data import TensorDataset, random_split\ntorch.manual_seed(0)\nds = TensorDataset(torch.arange(10.0))\ntrain, test = random_split(ds, [7, 3])\nprint(len(train), len(test), [train[i][0].item() for i in range(len(train))])",
    "training_with_loader": "import torch.utils.data as data\nfrom torch import nn\ntorch.manual_seed(0)\nX = torch.randn(32, 2)\nY = X @ torch.tensor([[1.0], [-2.0]]) + 0.5\nloader = data.DataLoader(data.TensorDataset(X, Y), batch_size=8, shuffle=True)\nmodel = nn.Linear(2, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nfor epoch in range(5):\n    for xb, yb in loader:\n        opt.zero_grad()\n        loss = nn.functional.mse_loss(model(xb), yb)\n        loss.backward()\n        opt.step()\n    print(epoch, round(loss.item(), 4))",
    "namespace_path": "loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.ones(4, 2)), batch_size=2)\nprint([b[0].shape for b in loader])",
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_data_loading_matches_pytorch(name: str) -> None:
    assert_same_as_python(SNIPPETS[name])


D = "from torch.utils.data import TensorDataset, DataLoader\nds = TensorDataset(torch.ones(4, 2))\n"
HOSTILE = [
    (D + "DataLoader(ds, num_workers=2)", "refused", 3),
    (D + "DataLoader(ds, batch_size=2, num_workers=1)", "refused", 3),
    (D + "DataLoader(ds, pin_memory=True)", "refused", 3),
    (D + "DataLoader(ds, 2, True)", "refused", 3),
    (D + "DataLoader(ds, persistent_workers=True)", "refused", 3),
    (D + "DataLoader(ds, worker_init_fn=print)", "refused", 3),
    (D + "DataLoader(ds, multiprocessing_context='fork')", "refused", 3),
    (D + "DataLoader(ds).dataset", "refused", 3),
    (D + "DataLoader(ds)._get_iterator()", "refused", 3),
    ("from torch.utils.data import get_worker_info", "refused", 1),
    ("from torch.utils.data import IterableDataset", "refused", 1),
    ("import torch.utils.data.datapipes", "refused", 1),
    ("from torch.utils import cpp_extension", "refused", 1),
    ("from torch.utils import checkpoint", "refused", 1),
    (
        "torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.ones(2)), num_workers=4)",
        "refused",
        1,
    ),
    (D + "for b in DataLoader(ds, batch_size=1):\n    while True:\n        pass", "budget", None),
    (
        "from torch.utils.data import TensorDataset\nTensorDataset(torch.ones(2), torch.ones(3))",
        "runtime",
        2,
    ),
]


@pytest.mark.parametrize(("source", "kind", "line"), HOSTILE, ids=[c[0][-50:] for c in HOSTILE])
def test_hostile_data_loading_is_contained(
    source: str, kind: str, line: int | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = execute(source)
    assert list(tmp_path.iterdir()) == []
    assert result.error is not None, source
    assert result.error.kind == kind, result.error
    if line is not None:
        assert result.error.line == line, result.error
    assert result.error.message and result.error.message_zh
