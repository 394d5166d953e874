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

#: name -> (program, how it must end), as the issue reports them
REPRODUCERS: dict[str, tuple[str, str]] = {
    "expand.t.reshape": ("torch.ones(2,1).expand(2,100000000).t().reshape(-1)", "budget"),
    "expand.t.flatten": ("torch.ones(2,1).expand(2,100000000).t().flatten()", "budget"),
    "expand.unbind": (HUGE_VIEW + "parts = v.unbind()\nprint(len(parts))", "budget"),
    "expand.split": (HUGE_VIEW + "parts = v.split(1)\nprint(len(parts))", "budget"),
    "nested str": ("a=[0]*1000000; s=str([a]*1000000)", "budget"),
    "optimiser step": (
        OPTIMISER + "o.param_groups[0]['params'] = [x]*100000\no.step()",
        "refused",
    ),
    "lr = print": (OPTIMISER + "o.param_groups[0]['lr'] = print\no.step()", "runtime"),
    "Bilinear": (
        "m = torch.nn.Bilinear(2236, 2236, 1)\nx1 = torch.ones(2200, 2236)\ny = m(x1, x1)",
        "budget",
    ),
    "warning loop": (WARNING_LOOP, "ok"),
    "to meta": ("x = torch.ones(2)\ny = x.to('meta')\nprint(y)", "refused"),
}

X = "x = torch.ones(3, requires_grad=True)\n"
NESTED = "a = [0] * 1000000\nbig = [a] * 1000000\n"
WIDE = "import torch.nn.functional as F\n"

#: name -> (program, how it must end: "budget", "refused", "runtime" or "ok")
VARIANTS: dict[str, tuple[str, str]] = {
    # views that would be copied, or handed to the recorder, at their full size
    "expand then contiguous": (HUGE_VIEW + "c = v.contiguous()", "budget"),
    "expand then clone": ("v = torch.ones(1).expand(10**8)\nc = v.clone()", "budget"),
    "expand then repeat": (
        "v = torch.ones(2, 1).expand(2, 10**4)\nr = v.repeat(1000, 1)",
        "budget",
    ),
    "expand then cat": ("v = torch.ones(1).expand(4 * 10**6)\nc = torch.cat([v, v])", "budget"),
    "expand then stack": ("v = torch.ones(1).expand(3 * 10**6)\nc = torch.stack([v, v])", "budget"),
    "expand of a grad leaf": (X + "v = x.expand(10**7, 3)", "budget"),
    "expand_as": ("a = torch.ones(1)\nb = a.expand_as(torch.ones(3000, 3000))", "budget"),
    "broadcast_to": ("c = torch.broadcast_to(torch.ones(1), (10**4, 10**4))", "budget"),
    "broadcast_to method": ("c = torch.ones(1, 1).broadcast_to(10**4, 10**4)", "budget"),
    "expand then float": ("v = torch.ones(1).expand(10**8)\nc = v.double()", "budget"),
    "expand then tolist": ("v = torch.ones(1).expand(10**8)\nc = v.tolist()", "budget"),
    "expand then sum": ("v = torch.ones(1).expand(10**9)\nc = v.sum()", "budget"),
    "small expand runs": ("v = torch.ones(3, 1).expand(3, 4)\nprint(v.sum().item())", "ok"),
    "reshape copy counted": (
        "a = torch.ones(2000, 2000)\nfor i in range(20):\n    b = a.t().reshape(-1)",
        "budget",
    ),
    "flatten of transpose runs": ("a = torch.ones(3, 2)\nprint(a.t().flatten().shape)", "ok"),
    "unbind many": ("parts = torch.ones(10**6).unbind()", "budget"),
    "split(1) many": ("parts = torch.ones(10**6).split(1)", "budget"),
    "torch.split many": ("parts = torch.split(torch.ones(10**6), 1)", "budget"),
    "chunk many": ("parts = torch.ones(10**6).chunk(10**6)", "budget"),
    "split by sections": ("parts = torch.ones(10**5).split([1] * 10**5)", "budget"),
    "list of a tensor": ("rows = list(torch.ones(10**6))", "budget"),
    "zip of a tensor": ("pairs = list(zip(torch.ones(10**6), torch.ones(10**6)))", "budget"),
    "small split runs": ("print(len(torch.ones(10).split(3)))", "ok"),
    # text built by str / repr / print / formatting
    "repr nested": (NESTED + "s = repr(big)", "budget"),
    "print nested": (NESTED + "print(big)", "budget"),
    "f-string nested": (NESTED + "s = f'{big}'", "budget"),
    "f-string repr": (NESTED + "s = f'{big!r}'", "budget"),
    "percent format": (NESTED + "s = '%s' % (big,)", "budget"),
    "str.format": (NESTED + "s = '{}'.format(big)", "budget"),
    "str of a dict": ("d = {i: [0] * 1000 for i in range(5000)}\ns = str(d)", "budget"),
    "str of tuples": ("t = tuple([(0,) * 1000] * 100000)\ns = str(t)", "budget"),
    "str of tensors": ("ts = [torch.ones(1000)] * 10000\ns = str(ts)", "budget"),
    "bare last line": (NESTED + "big", "budget"),
    "join of reprs": ("parts = [repr([0] * 1000)] * 100000\ns = ''.join(parts)", "budget"),
    "self-containing list": ("a = [1]\na.append(a)\nprint(a)", "ok"),
    "small str runs": ("print(str([1, 2, 3]), repr('x'), f'{[0] * 3}')", "ok"),
    # optimisers
    "params grown": (OPTIMISER + "o.param_groups[0]['params'] = [x] * 10\no.step()", "refused"),
    "many params at build": (
        "x = torch.ones(1, requires_grad=True)\no = torch.optim.Adam([x] * 100000)",
        "budget",
    ),
    "param groups as dicts": (
        "x = torch.ones(1, requires_grad=True)\n"
        "o = torch.optim.SGD([{'params': [x] * 100000}], lr=0.1)",
        "budget",
    ),
    "huge params by FLOPs": (
        "w = torch.ones(4000, 1000, requires_grad=True)\nws = [w] * 40\no = torch.optim.Adam(ws)",
        "budget",
    ),
    "RMSprop many params": (
        "x = torch.ones(1, requires_grad=True)\no = torch.optim.RMSprop([x] * 50000)",
        "budget",
    ),
    "Adagrad many params": (
        "x = torch.ones(1, requires_grad=True)\no = torch.optim.Adagrad([x] * 50000)",
        "budget",
    ),
    "AdamW params by keyword": (
        "x = torch.ones(1, requires_grad=True)\no = torch.optim.AdamW(params=[x] * 50000)",
        "budget",
    ),
    "Adam steps run": (
        "w = torch.ones(10, 10, requires_grad=True)\no = torch.optim.Adam([w], lr=0.01)\n"
        "for i in range(20):\n    o.zero_grad()\n    (w ** 2).sum().backward()\n    o.step()\n"
        "print(round(w[0, 0].item(), 3))",
        "ok",
    ),
    "update a param group": (OPTIMISER + "o.param_groups[0].update(lr=print)", "refused"),
    "lr set to a string": (OPTIMISER + "o.param_groups[0]['lr'] = 'fast'", "runtime"),
    "lr set to a tensor": (OPTIMISER + "o.param_groups[0]['lr'] = x", "runtime"),
    "lr set to nan": (OPTIMISER + "o.param_groups[0]['lr'] = float('nan')", "runtime"),
    "new key": (OPTIMISER + "o.param_groups[0]['fused'] = True", "runtime"),
    "momentum to a function": (
        OPTIMISER + "def f():\n    return 1\no.param_groups[0]['momentum'] = f",
        "runtime",
    ),
    "betas not a pair": (
        "x = torch.ones(1, requires_grad=True)\no = torch.optim.Adam([x])\n"
        "o.param_groups[0]['betas'] = 0.9",
        "runtime",
    ),
    "lr schedule runs": (
        OPTIMISER + "for g in o.param_groups:\n    g['lr'] = g['lr'] * 0.5\n"
        "o.step()\nprint(x.tolist(), o.param_groups[0]['lr'])",
        "ok",
    ),
    "defaults are a copy": (
        OPTIMISER + "o.defaults['lr'] = print\no.step()\nprint(x.tolist())",
        "ok",
    ),
    "append to param_groups": (OPTIMISER + "o.param_groups.append({'params': [x]})", "refused"),
    # module calls costed by FLOPs
    "Bilinear batch": (
        "m = torch.nn.Bilinear(1000, 1000, 4)\na = torch.ones(300, 1000)\ny = m(a, a)",
        "budget",
    ),
    "Bilinear in Sequential": (
        "m = torch.nn.Bilinear(2236, 2236, 1)\n"
        "a = torch.ones(2200, 2236)\ns = torch.nn.Sequential(torch.nn.Identity())\ny = m(s(a), a)",
        "budget",
    ),
    "Linear batch": ("m = torch.nn.Linear(2000, 2000)\ny = m(torch.ones(2000, 2000))", "budget"),
    "Sequential of Linear": (
        "layer = torch.nn.Linear(1000, 1000)\n"
        "m = torch.nn.Sequential(layer, torch.nn.ReLU(), layer)\n"
        "y = m(torch.ones(1100, 1000))",
        "budget",
    ),
    "F.linear": (
        WIDE + "w = torch.ones(2000, 2000)\ny = F.linear(torch.ones(2500, 2000), w)",
        "budget",
    ),
    "same work as a @ b": (
        "a = torch.ones(2200, 2236)\nb = torch.ones(2236, 2236)\nc = a @ b",
        "budget",
    ),
    "small Bilinear runs": (
        "m = torch.nn.Bilinear(3, 4, 2)\ny = m(torch.ones(5, 3), torch.ones(5, 4))\nprint(y.shape)",
        "ok",
    ),
    # warnings
    "warning loop": (WARNING_LOOP, "ok"),
    "softmax without dim": (
        "for i in range(200):\n    s = torch.nn.Softmax()(torch.ones(i + 1))",
        "ok",
    ),
    "softmax implicit dim": (
        WIDE + "for i in range(300):\n    s = F.softmax(torch.ones(i + 1, 2))",
        "ok",
    ),
    "l1 size mismatch": (
        WIDE + "for i in range(300):\n    s = F.l1_loss(torch.ones(i + 2), torch.ones(1))",
        "ok",
    ),
    "non-leaf grad warnings": (X + "for i in range(300):\n    y = x * i\n    g = y.grad", "ok"),
    # devices
    "to meta": ("x = torch.ones(2)\ny = x.to('meta')", "refused"),
    "to meta by keyword": ("x = torch.ones(2)\ny = x.to(device='meta')", "refused"),
    "factory on meta": ("y = torch.ones(10**12, device='meta')", "refused"),
    "zeros_like on meta": ("y = torch.zeros_like(torch.ones(2), device='meta')", "refused"),
    "tensor on meta": ("y = torch.tensor([1.0], device='meta')", "refused"),
    "to cuda": ("y = torch.ones(2).to('cuda')", "refused"),
    "to device 0": ("y = torch.ones(2).to(0)", "refused"),
    "to cpu runs": ("y = torch.ones(2).to('cpu', torch.float64)\nprint(y.dtype)", "ok"),
    "to own device runs": ("x = torch.ones(2)\ny = x.to(x.device)\nprint(y.device)", "ok"),
}
