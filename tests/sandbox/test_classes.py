"""Classes as CPython + PyTorch run them: nn.Module models, autograd.Function, plain classes."""

# ruff: noqa: E501 - each snippet is one program, as pasted

from __future__ import annotations

import pytest

from autodiff_viz.sandbox.execute import execute
from tests.sandbox.test_seeds import assert_same_as_python

MODULE = """import torch.nn as nn
torch.manual_seed(0)
class LinearRegressionModel(nn.Module):
    def __init__(self, input_dim, output_dim):
        super(LinearRegressionModel, self).__init__()
        self.linear = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        out = self.linear(x)
        return out
"""

CLASSES = {
    "module_print_and_params": MODULE
    + "model = LinearRegressionModel(1, 1)\nprint(model)\nprint(len(list(model.parameters())), [n for n, p in model.named_parameters()])\nprint(model.state_dict()['linear.weight'], model.linear.weight)",
    "module_train_loop": MODULE
    + "x = torch.arange(6.0).reshape(-1, 1)\ny = 2 * x + 1\nmodel = LinearRegressionModel(1, 1)\nopt = torch.optim.SGD(model.parameters(), lr=0.01)\ncrit = nn.MSELoss()\nfor epoch in range(30):\n    opt.zero_grad()\n    loss = crit(model(x), y)\n    loss.backward()\n    opt.step()\n    if epoch % 10 == 0:\n        print('epoch {}, loss {}'.format(epoch, loss.item()))\nprint(model(x))",
    "module_train_eval": MODULE
    + "m = LinearRegressionModel(2, 1)\nm.eval()\nprint(m.training, m.linear.training)\nm.train()\nprint(m.training)\nm.zero_grad()\nprint(m.linear.weight.grad)",
    "official_build_model": "from torch import nn\ntorch.manual_seed(0)\nclass NeuralNetwork(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.flatten = nn.Flatten()\n        self.linear_relu_stack = nn.Sequential(\n            nn.Linear(4 * 4, 8),\n            nn.ReLU(),\n            nn.Linear(8, 3),\n        )\n\n    def forward(self, x):\n        x = self.flatten(x)\n        logits = self.linear_relu_stack(x)\n        return logits\n\nmodel = NeuralNetwork()\nprint(model)\nX = torch.rand(1, 4, 4)\nlogits = model(X)\npred_probab = nn.Softmax(dim=1)(logits)\ny_pred = pred_probab.argmax(1)\nprint(f'Predicted class: {y_pred}')\nfor name, param in model.named_parameters():\n    print(f'Layer: {name} | Size: {param.size()} | Values : {param[:2]} \\n')",
    "inheritance_and_super": "import torch.nn as nn\ntorch.manual_seed(0)\nclass A(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.w = nn.Parameter(torch.ones(2))\n    def forward(self, x):\n        return x * self.w\nclass B(A):\n    def __init__(self):\n        super().__init__()\n        self.extra = nn.Linear(2, 1)\n    def forward(self, x):\n        return self.extra(super().forward(x))\nb = B()\nout = b(torch.ones(2))\nout.sum().backward()\nprint(out, len(list(b.parameters())), b.w.grad)\nprint(b)",
    "module_helper_methods": "import torch.nn as nn\ntorch.manual_seed(0)\nclass MLP(nn.Module):\n    def __init__(self, sizes):\n        super().__init__()\n        self.layers = nn.ModuleList([nn.Linear(a, b) for a, b in zip(sizes, sizes[1:])])\n        self.scale = 0.5\n    def act(self, x):\n        return torch.relu(x) * self.scale\n    def forward(self, x):\n        for layer in self.layers:\n            x = self.act(layer(x))\n        return x\nm = MLP([3, 4, 2])\nprint(m(torch.ones(1, 3)), m.scale, len(m.layers))\nprint(m)",
    "module_buffers_to": "import torch.nn as nn\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.register_buffer('k', torch.tensor(3.0))\n        self.p = nn.Parameter(torch.tensor(2.0))\n    def forward(self, x):\n        return self.p * x + self.k\nm = M().to('cpu')\nprint(m(torch.tensor(1.0)), list(m.state_dict().keys()), m.cpu().double().p.dtype)",
    "plain_class": "class Point:\n    count = 0\n    def __init__(self, x, y=0):\n        self.x = x\n        self.y = y\n    def norm2(self):\n        return self.x ** 2 + self.y ** 2\n    @property\n    def total(self):\n        return self.x + self.y\n    @staticmethod\n    def origin():\n        return Point(0, 0)\n    @classmethod\n    def make(cls, v):\n        return cls(v, v)\np = Point(3, 4)\np.x = 6\nprint(p.norm2(), p.total, Point.origin().x, Point.make(2).y, isinstance(p, Point), Point.count, p.count)",
    "plain_inheritance": "class Animal:\n    def __init__(self, name):\n        self.name = name\n    def speak(self):\n        return self.name + ' makes a sound'\nclass Dog(Animal):\n    def __init__(self, name):\n        super().__init__(name)\n        self.tricks = []\n    def speak(self):\n        return super().speak() + ': woof'\nd = Dog('rex')\nd.tricks.append('sit')\nprint(d.speak(), d.tricks, isinstance(d, Animal), Animal.speak(d))",
    "class_without_init": "class Config:\n    lr = 0.1\n    steps = 3\nc = Config()\nc.lr = 0.5\nprint(c.lr, Config.lr, c.steps)",
    "class_docstring": "class Box:\n    '''A box.'''\n    def __init__(self, v):\n        self.v = v\nprint(Box(3).v)",
    "exception_subclass": "class MyError(ValueError):\n    pass\ntry:\n    raise MyError('bad')\nexcept ValueError as e:\n    print('caught', e, isinstance(e, MyError), e.args)",
    "autograd_function_exp": "class Exp(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, i):\n        result = i.exp()\n        ctx.save_for_backward(result)\n        return result\n\n    @staticmethod\n    def backward(ctx, grad_output):\n        result, = ctx.saved_tensors\n        return grad_output * result\nx = torch.tensor([0.0, 1.0], requires_grad=True)\ny = Exp.apply(x)\ny.sum().backward()\nprint(y, x.grad)",
    "autograd_function_two_inputs": "class MulAdd(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, a, b, k):\n        ctx.save_for_backward(a, b)\n        ctx.k = k\n        return a * b + k\n    @staticmethod\n    def backward(ctx, g):\n        a, b = ctx.saved_tensors\n        print('needs', ctx.needs_input_grad)\n        return g * b, g * a, None\na = torch.tensor([1.0, 2.0], requires_grad=True)\nb = torch.tensor([3.0, 4.0])\nout = MulAdd.apply(a, b, 10)\nout.sum().backward()\nprint(out, a.grad, b.grad)",
    "autograd_function_relu": "from torch.autograd import Function\nclass MyReLU(Function):\n    @staticmethod\n    def forward(ctx, input):\n        ctx.save_for_backward(input)\n        return input.clamp(min=0)\n    @staticmethod\n    def backward(ctx, grad_output):\n        input, = ctx.saved_tensors\n        grad_input = grad_output.clone()\n        grad_input[input < 0] = 0\n        return grad_input\nx = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)\nrelu = MyReLU.apply\ny = relu(x * 2).sum()\ny.backward()\nprint(y, x.grad)",
    "function_in_module": "import torch.nn as nn\nclass Square(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x):\n        ctx.save_for_backward(x)\n        return x ** 2\n    @staticmethod\n    def backward(ctx, g):\n        x, = ctx.saved_tensors\n        return 2 * x * g\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.w = nn.Parameter(torch.tensor([1.0, -2.0]))\n    def forward(self, x):\n        return Square.apply(self.w * x).sum()\nnet = Net()\nnet(torch.tensor([3.0, 1.0])).backward()\nprint(net.w.grad)",
}


@pytest.mark.parametrize("name", list(CLASSES))
def test_class_matches_python(name: str) -> None:
    assert_same_as_python(CLASSES[name])


def test_graph_names_modules_by_attribute() -> None:
    source = (
        MODULE
        + "m = LinearRegressionModel(1, 1)\nloss = m(torch.ones(2, 1)).sum()\nloss.backward()"
    )
    result = execute(source)
    assert result.error is None, result.error
    labels = " ".join(str(node) for graph in result.graphs for node in graph.nodes)
    assert "m.linear" in labels


def test_custom_backward_is_its_own_node() -> None:
    result = execute(CLASSES["autograd_function_exp"])
    assert result.error is None
    ops = [str(node) for graph in result.graphs for node in graph.nodes]
    assert any("ExpBackward" in op for op in ops)


def test_two_layer_mlp_trains_like_python() -> None:
    # its speed over 100 steps in a worker: python -m benchmarks.bench_sandbox
    source = (
        "import torch.nn as nn\ntorch.manual_seed(0)\nclass MLP(nn.Module):\n    def __init__(self):\n"
        "        super().__init__()\n        self.l1 = nn.Linear(2, 16)\n        self.l2 = nn.Linear(16, 1)\n"
        "    def forward(self, x):\n        return self.l2(torch.relu(self.l1(x)))\n"
        "x = torch.randn(64, 2)\ny = (x ** 2).sum(dim=1, keepdim=True)\nmodel = MLP()\n"
        "opt = torch.optim.Adam(model.parameters(), lr=0.01)\nfor step in range(20):\n"
        "    opt.zero_grad()\n    loss = ((model(x) - y) ** 2).mean()\n    loss.backward()\n    opt.step()\n"
        "print(loss)"
    )
    result = assert_same_as_python(source)
    assert result.stdout.startswith("tensor(")
