"""Programs whose every gradient the rule table must explain, each checked against PyTorch.

Each program is run by real PyTorch under ``autodiff_viz.capture``; the names it
binds label the nodes. Keys name the op (or the lesson) they exercise.
"""

from __future__ import annotations

PROGRAMS: dict[str, str] = {
    "micrograd": (
        "a = torch.tensor(2.0, requires_grad=True)\n"
        "b = torch.tensor(-3.0, requires_grad=True)\n"
        "c = torch.tensor(10.0, requires_grad=True)\n"
        "f = torch.tensor(-2.0, requires_grad=True)\n"
        "e = a * b\n"
        "d = e + c\n"
        "L = d * f\n"
        "L.backward()\n"
    ),
    "scalar_mix": (
        "x = torch.tensor(0.7, requires_grad=True)\n"
        "w = torch.tensor(-1.3, requires_grad=True)\n"
        "y = (x * w + 1).tanh() / (x ** 2 + 1) - x.exp() * w.sin() + (x - w).abs().sqrt()\n"
        "z = y.sigmoid() + (2 - x).cos() + torch.log(x + 2) - 3 * w.neg() + 2 ** x\n"
        "z.backward()\n"
    ),
    "two_x_t_x": (
        "x = torch.arange(4.0, requires_grad=True)\ny = 2 * torch.dot(x, x)\ny.backward()\n"
    ),
    "x_x_y": (
        "x = torch.arange(4.0, requires_grad=True)\n"
        "y = torch.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)\n"
        "z = x * x * y\n"
        "z.sum().backward()\n"
    ),
    "shared_detach": (
        "x = torch.arange(4.0, requires_grad=True)\n"
        "y = x * x\n"
        "u = y.detach()\n"
        "z = u * x + y\n"
        "z.sum().backward()\n"
    ),
    "linear_mse": (
        "torch.manual_seed(0)\n"
        "layer = torch.nn.Linear(3, 1)\n"
        "x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])\n"
        "target = torch.tensor([[1.0], [0.0]])\n"
        "loss = torch.nn.functional.mse_loss(layer(x), target)\n"
        "loss.backward()\n"
    ),
    "softmax_ce": (
        "torch.manual_seed(1)\n"
        "logits = torch.randn(4, 5, requires_grad=True)\n"
        "target = torch.tensor([0, 3, 4, 1])\n"
        "loss = torch.nn.functional.cross_entropy(logits, target)\n"
        "loss.backward()\n"
    ),
    "relu_mlp": (
        "torch.manual_seed(2)\n"
        "model = torch.nn.Sequential(\n"
        "    torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3)\n"
        ")\n"
        "x = torch.randn(5, 4)\n"
        "loss = model(x).pow(2).mean()\n"
        "loss.backward()\n"
    ),
    "broadcast": (
        "x = torch.tensor(3.0, requires_grad=True)\n"
        "y = torch.ones(2, 2, requires_grad=True)\n"
        "b = torch.tensor([1.0, -2.0], requires_grad=True)\n"
        "z = 2 * x * x + 2 * y * y + b\n"
        "z.mean().backward()\n"
    ),
    "vjp": (
        "x = torch.tensor([0.0, 2.0, 8.0], requires_grad=True)\n"
        "y = torch.tensor([5.0, 1.0, 7.0], requires_grad=True)\n"
        "z = y * x\n"
        "z.backward(gradient=torch.tensor([1.0, 0.5, -1.0]))\n"
    ),
    "shapes": (
        "torch.manual_seed(3)\n"
        "a = torch.randn(2, 3, requires_grad=True)\n"
        "b = torch.randn(3, requires_grad=True)\n"
        "v = a.view(3, 2).t().reshape(6).unsqueeze(0).squeeze(0)\n"
        "w = a.transpose(0, 1).permute(1, 0).expand(4, 2, 3).sum(0)\n"
        "c = torch.cat([a, b.unsqueeze(0)], 0)\n"
        "s = torch.stack([b, b * 2], 1)\n"
        "i = b[torch.tensor([0, 2, 2])]\n"
        "loss = (v * v).sum() + (w * a).sum() + c[1:].pow(3).sum() + s[1].sum() * 3\n"
        "loss = loss + i.sum() + c.mean(1).max() + a.clone().amax(1).sum() + a.max(1)[0].sum()\n"
        "loss.backward()\n"
    ),
    "matrix": (
        "torch.manual_seed(4)\n"
        "A = torch.randn(2, 3, requires_grad=True)\n"
        "B = torch.randn(3, 4, requires_grad=True)\n"
        "v = torch.randn(3, requires_grad=True)\n"
        "C = torch.randn(5, 2, 3, requires_grad=True)\n"
        "loss = (A @ B).sum() + (A @ v).pow(2).sum() + (C @ B).tanh().sum()\n"
        "loss = loss + torch.mv(A, v).sum()\n"
        "loss.backward()\n"
    ),
    "losses": (
        "torch.manual_seed(5)\n"
        "x = torch.randn(6, requires_grad=True)\n"
        "t = torch.rand(6)\n"
        "F = torch.nn.functional\n"
        "loss = F.binary_cross_entropy(x.sigmoid(), t) + F.binary_cross_entropy_with_logits(x, t)\n"
        "loss = loss + F.mse_loss(x, t, reduction='sum') + F.softplus(x).sum()\n"
        "loss = loss + F.leaky_relu(x, 0.2).sum() + x.clamp(-0.5, 0.5).sum()\n"
        "loss = loss + torch.where(x > 0, x, x * x).sum() + x.log_softmax(0).sum()\n"
        "loss = loss + x.softmax(0)[0] + torch.maximum(x, t).sum() + x.relu().sum() + x.min()\n"
        "loss.backward()\n"
    ),
    "accumulate_twice": (
        "x = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "(x * 3).sum().backward()\n"
        "(x * x).sum().backward()\n"
    ),
    "retain_nonleaf": (
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "y = x * x\n"
        "y.retain_grad()\n"
        "z = y * 3 + y\n"
        "z.backward()\n"
    ),
    "double_backward": (
        "x = torch.tensor(2.0, requires_grad=True)\n"
        "y = x ** 3\n"
        "g = torch.autograd.grad(y, x, create_graph=True)[0]\n"
        "h = torch.autograd.grad(g, x)[0]\n"
    ),
    "inplace": (
        "x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)\n"
        "y = x * 2\n"
        "y.add_(1)\n"
        "z = y * y\n"
        "z.sum().backward()\n"
    ),
    "unbind": (
        "x = torch.tensor([1.0, 5.0, 3.0], requires_grad=True)\n"
        "a, b, c = x.unbind()\n"
        "loss = a * c + b.exp()\n"
        "loss.backward()\n"
    ),
    "inplace_views": (
        "x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)\n"
        "v = torch.tensor(7.0, requires_grad=True)\n"
        "y = x * 2\n"
        "y[:, 1] *= 2\n"
        "y[0] = v * 3\n"
        "y[1, 1:] += v\n"
        "y[1, 0] /= v\n"
        "y[0, :2].sub_(x[1, 1:], alpha=2)\n"
        "y[1, 2] = 0.0\n"
        "(y * y).sum().backward()\n"
    ),
    "masks_and_index_put": (
        "x = torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, 6.0]], requires_grad=True)\n"
        "v = torch.tensor(7.0, requires_grad=True)\n"
        "w = x * 1\n"
        "w[torch.tensor([0, 1]), torch.tensor([2, 0])] = v\n"
        "q = x * 1\n"
        "q.index_put_((torch.tensor([0]),), v * torch.ones(3), accumulate=True)\n"
        "r = x * 1\n"
        "r[r < 0] = v\n"
        "m = x.masked_fill(x > 3, v)\n"
        "k = x[x > 0].sum() + x[:, torch.tensor([True, False, True])].sum()\n"
        "k = k + x.masked_select(x < 3).sum() + x.masked_fill(x > 4, 0.0).sum()\n"
        "k = k + x[torch.tensor([1, 1, 0])].sum() + x[0][x[0] > 0].sum()\n"
        "z = (w * w).sum() + q.sum() + (r * r).sum() + m.sum() + k\n"
        "z.backward()\n"
    ),
}
