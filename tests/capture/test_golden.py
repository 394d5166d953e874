"""Small captured graphs against reviewed JSON in tests/golden/capture/.

Regenerate with ``pytest tests/capture/test_golden.py --update-golden`` and
review the diff: ids, order, values, grads and edges are all in the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.capture.programs import run

GOLDEN = Path(__file__).parent.parent / "golden" / "capture"

PROGRAMS = {
    "quadratic": (
        "x = torch.tensor(0.0, requires_grad=True)\n"
        "a = torch.tensor(1.0)\n"
        "b = torch.tensor(-2.0)\n"
        "y = a * torch.pow(x, 2) + b * x + 1\n"
        "y.backward()\n"
    ),
    "vjp": (
        "x = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)\n"
        "y = torch.tensor([5.0, 1.0, 7.0], requires_grad=True)\n"
        "z = y * x\n"
        "z.backward(gradient=torch.ones(3))\n"
    ),
    "detach": (
        "x = torch.arange(4.0, requires_grad=True)\n"
        "y = x * x\n"
        "u = y.detach()\n"
        "z = u * x\n"
        "z.sum().backward()\n"
    ),
    "second_order": (
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "y = x ** 3\n"
        "dy_dx = torch.autograd.grad(y, x, create_graph=True)[0]\n"
        "d2y = torch.autograd.grad(dy_dx, x)[0]\n"
    ),
    "linear": (
        "torch.manual_seed(0)\n"
        "layer = torch.nn.Linear(2, 1)\n"
        "loss_fn = torch.nn.MSELoss()\n"
        "x = torch.tensor([[1.0, 2.0]])\n"
        "loss = loss_fn(layer(x), torch.tensor([[0.5]]))\n"
        "loss.backward()\n"
    ),
    "unbind": (
        "x = torch.tensor([1.0, 5.0, 3.0], requires_grad=True)\n"
        "a, b, c = x.unbind()\n"
        "loss = a * c + b.exp()\n"
        "loss.backward()\n"
    ),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_graph_matches_golden(name: str, update_golden: bool) -> None:
    rec, _ = run(PROGRAMS[name])
    text = json.dumps(
        [json.loads(g.to_json()) for g in rec.graphs], ensure_ascii=False, indent=1, sort_keys=True
    )
    path = GOLDEN / f"{name}.json"
    if update_golden:
        path.write_text(text + "\n", encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text + "\n"
