"""Every user-facing string, in English and 简体中文, in one table.

``t(key, lang, **fields)`` looks a string up and fills its ``{fields}``.
A test checks that every key has both languages with the same fields, so a
missing translation fails the suite instead of reaching a student.
"""

from __future__ import annotations

import string
from typing import Literal

Lang = Literal["en", "zh"]
LANGS: dict[Lang, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANG: Lang = "en"

STRINGS: dict[str, dict[Lang, str]] = {
    # --- the frame --------------------------------------------------------------
    "app.title": {"en": "autodiff_viz", "zh": "autodiff_viz"},
    "app.tagline": {
        "en": "See PyTorch autograd at work: real graphs, values and gradients.",
        "zh": "看见 PyTorch 自动微分的运行过程：真实的计算图、数值与梯度。",
    },
    "app.about.title": {"en": "About", "zh": "关于"},
    "app.about.body": {
        "en": (
            "autodiff_viz runs your code with real PyTorch in a safe interpreter, walks "
            "`grad_fn` / `next_functions` from the outputs and draws every node with its "
            "forward value and the gradient that flowed through it."
        ),
        "zh": (
            "autodiff_viz 在安全解释器中用真实的 PyTorch 运行你的代码，从输出沿 "
            "`grad_fn` / `next_functions` 遍历计算图，并画出每个节点的前向值和反向传播时"
            "流经它的梯度。"
        ),
    },
    "app.about.source": {"en": "Source code", "zh": "源代码"},
    # --- page titles ------------------------------------------------------------
    "page.explorer": {"en": "Graph explorer", "zh": "计算图探索"},
    "page.derivatives": {"en": "Derivatives", "zh": "导数"},
    "page.descent": {"en": "Gradient descent", "zh": "梯度下降"},
    # --- page introductions -----------------------------------------------------
    "explorer.intro": {
        "en": (
            "Type a function and its inputs, or paste a snippet from a tutorial. It runs with "
            "real PyTorch, and the graph shows every tensor's name, value and gradient."
        ),
        "zh": (
            "输入一个函数和它的输入，或粘贴教程里的一段代码。代码由真实的 PyTorch 运行，"
            "计算图会显示每个张量的名字、数值和梯度。"
        ),
    },
    "derivatives.intro": {
        "en": (
            "Plot f(x) beside its derivative computed by autograd (not by a hand formula): "
            "one backward pass over the whole grid, as in the tutorial's sin(x) exercise."
        ),
        "zh": (
            "画出 f(x) 以及由自动微分（而不是手写公式）求出的导数：对整个网格做一次反向传播，"
            "就像教程中 sin(x) 的练习那样。"
        ),
    },
    "descent.intro": {
        "en": (
            "Watch gradient descent move: SGD and its friends from torch.optim on a curve, a "
            "surface and a linear regression, step by step."
        ),
        "zh": (
            "观看梯度下降的过程：torch.optim 中的 SGD 等优化器在曲线、曲面和线性回归上"
            "一步一步地移动。"
        ),
    },
    # --- the example gallery (titles of autodiff_viz/examples.py) ---------------
    "example.t0_scalar": {
        "en": "Scalar backward: f(x) = a·x² + b·x + c",
        "zh": "标量的反向传播：f(x) = a·x² + b·x + c",
    },
    "example.t0_nonscalar": {
        "en": "Non-scalar backward with gradient=",
        "zh": "非标量的反向传播（gradient 参数）",
    },
    "example.t0_nonscalar_sum": {
        "en": "Non-scalar backward as a scalar sum",
        "zh": "用标量的反向传播实现非标量的反向传播",
    },
    "example.t0_second_derivative": {
        "en": "Second derivative with autograd.grad(create_graph=True)",
        "zh": "用 autograd.grad 求二阶导数（create_graph=True）",
    },
    "example.t0_several_outputs": {
        "en": "Several outputs and inputs with autograd.grad",
        "zh": "autograd.grad：多个因变量对多个自变量求导",
    },
    "example.t0_sgd_minimum": {
        "en": "Find a minimum with SGD (500 steps)",
        "zh": "利用自动微分和优化器求最小值（SGD 500 步）",
    },
    "example.t1_retain_grad": {
        "en": "retain_grad: gradients of non-leaf tensors",
        "zh": "retain_grad：保留非叶子节点的梯度",
    },
    "example.t1_accumulate": {
        "en": "Gradients accumulate: clear them with zero_()",
        "zh": "梯度会累积：用 zero_() 清零",
    },
    "example.t1_nonscalar_sum": {
        "en": "Non-scalar output: y.sum().backward()",
        "zh": "非标量输出：y.sum().backward()",
    },
    "example.t1_detach": {
        "en": "detach: treat a result as a constant",
        "zh": "detach：把计算结果当作常数",
    },
    "example.t1_control_flow": {
        "en": "Gradients through Python control flow",
        "zh": "通过 Python 控制流计算梯度",
    },
    "example.t1_no_grad": {
        "en": "torch.no_grad(): stop tracking",
        "zh": "torch.no_grad()：中断梯度追踪",
    },
    "example.t1_data": {
        "en": ".data: change values without autograd",
        "zh": ".data：修改数值而不被 autograd 记录",
    },
    "example.t2_mean": {
        "en": "mean makes a scalar you can differentiate",
        "zh": "用 mean 得到可求导的标量",
    },
    "example.t2_chain_mean": {
        "en": "Chain of ops: y = x + 2, z = 3y², mean",
        "zh": "运算链：y = x + 2，z = 3y²，取均值",
    },
    "example.t2_sum": {"en": "Derivative of a sum", "zh": "sum 的求导"},
    "example.t2_scalar_and_tensor": {
        "en": "A scalar and a tensor in one expression",
        "zh": "常数和张量的求导分析",
    },
    "example.t2_two_tensors": {"en": "Two tensors in one expression", "zh": "两个张量的求导分析"},
    "example.t3_first_order": {
        "en": "First derivatives of z = w·x + b",
        "zh": "一阶导数：z = w·x + b",
    },
    "example.t3_second_order": {
        "en": "Second derivative with backward(create_graph=True)",
        "zh": "二阶导数：backward(create_graph=True)",
    },
    "example.t3_dot_bias": {"en": "Gradient of Y = X·W + b", "zh": "Y = X·W + b 的梯度"},
    "example.t3_linear_regression": {
        "en": "Linear regression y = 2x + 1 with nn.Linear",
        "zh": "线性回归实战：用 nn.Linear 拟合 y = 2x + 1",
    },
    "example.t4_dot": {"en": "Gradient of y = 2·xᵀx", "zh": "y = 2·xᵀx 的梯度"},
    "example.t4_vjp": {
        "en": "Vector-Jacobian product: backward(gradient=ones)",
        "zh": "向量-雅可比积：backward(gradient=ones)",
    },
    "example.t4_detach": {
        "en": "Detach, then backward through y again",
        "zh": "分离计算，再对 y 反向传播",
    },
    "example.t4_control_flow_matrix": {
        "en": "Control flow with a random matrix",
        "zh": "随机矩阵上的控制流梯度",
    },
    "example.t4_sin_derivative": {
        "en": "df/dx of sin(x) without cos",
        "zh": "不用 cos 求 sin(x) 的导数",
    },
    "example.micrograd": {
        "en": "micrograd's expression L = (a·b + c)·f",
        "zh": "micrograd 的表达式 L = (a·b + c)·f",
    },
    "example.neuron": {"en": "A neuron with a sigmoid", "zh": "带 sigmoid 的单个神经元"},
    "example.linear_mse": {"en": "A linear layer and MSE loss", "zh": "线性层与均方误差损失"},
    "example.cube_second": {"en": "Second derivative of x³", "zh": "x³ 的二阶导数"},
}


def t(key: str, lang: str, **fields: object) -> str:
    """The string ``key`` in ``lang`` (English when ``lang`` is unknown), fields filled."""
    entry = STRINGS[key]
    text = entry.get(lang, entry[DEFAULT_LANG])  # type: ignore[call-overload]
    return text.format(**fields) if fields else text


def placeholders(text: str) -> set[str]:
    """The ``{field}`` names a string expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def lang_from_locale(locale: str | None) -> Lang:
    """``zh``, ``zh-CN``, ``zh-Hans-TW`` ... -> ``zh``; anything else -> English."""
    return "zh" if locale and locale.lower().startswith("zh") else DEFAULT_LANG


def parse_lang(value: str | None) -> Lang | None:
    """A ``?lang=`` value if it names a language we speak, else None."""
    return value if value in LANGS else None
