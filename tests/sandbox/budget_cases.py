"""Programs that try to outrun the sandbox's budgets, shared by the tests and a benchmark.

``REPRODUCERS`` are the red-team findings as reported; each must end in a
``budget`` (or clear ``runtime``) message soon after it starts, or run
within its budgets. The variants in ``tests/sandbox/test_budgets.py`` build on them.
"""

from __future__ import annotations

HUGE_VIEW = "v = torch.ones(2, 1).expand(2, 100000000)\n"
OPTIMISER = (
    "x = torch.ones(1, requires_grad=True)\n"
    "o = torch.optim.SGD([x], lr=0.1)\n"
    "(x * 2).sum().backward()\n"
)
WARNING_LOOP = (
    "import torch.nn.functional as F\n"
    "for i in range(2000):\n"
    "    F.mse_loss(torch.ones(i + 2), torch.ones(1))\n"
)

#: name -> program, as the issue reports them
REPRODUCERS: dict[str, str] = {
    "expand.t.reshape": "torch.ones(2,1).expand(2,100000000).t().reshape(-1)",
    "expand.t.flatten": "torch.ones(2,1).expand(2,100000000).t().flatten()",
    "expand.unbind": HUGE_VIEW + "parts = v.unbind()\nprint(len(parts))",
    "expand.split": HUGE_VIEW + "parts = v.split(1)\nprint(len(parts))",
    "nested str": "a=[0]*1000000; s=str([a]*1000000)",
    "optimiser step": OPTIMISER + "o.param_groups[0]['params'] = [x]*100000\no.step()",
    "lr = print": OPTIMISER + "o.param_groups[0]['lr'] = print\no.step()",
    "Bilinear": "m = torch.nn.Bilinear(2236, 2236, 1)\nx1 = torch.ones(2200, 2236)\ny = m(x1, x1)",
    "warning loop": WARNING_LOOP,
    "to meta": "x = torch.ones(2)\ny = x.to('meta')\nprint(y)",
}
