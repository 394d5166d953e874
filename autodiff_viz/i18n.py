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
    # --- explorer: input ------------------------------------------------------------
    "explorer.mode": {"en": "Input", "zh": "输入方式"},
    "explorer.mode.function": {"en": "Function + inputs", "zh": "函数 + 输入"},
    "explorer.mode.code": {"en": "Code", "zh": "代码"},
    "explorer.gallery": {"en": "Examples", "zh": "示例"},
    "explorer.gallery.placeholder": {"en": "Load an example…", "zh": "加载一个示例…"},
    "explorer.tutorial": {"en": "tutorial {number}", "zh": "教程 {number}"},
    "explorer.classic": {"en": "classic", "zh": "经典"},
    "explorer.code": {"en": "Program (PyTorch)", "zh": "程序（PyTorch）"},
    "explorer.code.help": {
        "en": "Paste a tutorial cell or write your own. Supported: torch, torch.nn, torch.optim.",
        "zh": "粘贴教程中的代码或自己编写。支持 torch、torch.nn、torch.optim。",
    },
    "explorer.function": {"en": "y =", "zh": "y ="},
    "explorer.inputs": {"en": "Inputs", "zh": "输入"},
    "explorer.inputs.name": {"en": "name", "zh": "名字"},
    "explorer.inputs.value": {"en": "value", "zh": "数值"},
    "explorer.inputs.requires_grad": {"en": "requires_grad", "zh": "requires_grad"},
    "explorer.inputs.dtype": {"en": "dtype", "zh": "dtype"},
    "explorer.as_code": {"en": "The program this form stands for", "zh": "这个表单对应的程序"},
    "explorer.run": {"en": "Run", "zh": "运行"},
    "explorer.running": {"en": "Running with PyTorch…", "zh": "正在用 PyTorch 运行…"},
    "explorer.waiting": {
        "en": "Waiting for a free worker ({position} ahead)…",
        "zh": "正在等待空闲的工作进程（前面还有 {position} 个）…",
    },
    # --- explorer: what to differentiate ----------------------------------------------
    "explorer.pass": {"en": "Backward pass", "zh": "反向传播"},
    "explorer.pass.label": {
        "en": "#{number}: {call} (line {line})",
        "zh": "#{number}：{call}（第 {line} 行）",
    },
    "explorer.pass.dropped": {
        "en": "{count} more passes ran; the first ones and the last one are kept.",
        "zh": "还运行了 {count} 次反向传播；只保留最前面的几次和最后一次。",
    },
    "explorer.output": {"en": "Differentiate", "zh": "求导对象"},
    "explorer.no_output": {
        "en": "The program ran no backward pass and left no tensor that needs grad.",
        "zh": "程序没有运行反向传播，也没有留下需要梯度的张量。",
    },
    "explorer.gradient": {
        "en": "Gradient for a non-scalar output",
        "zh": "非标量输出的 gradient 参数",
    },
    "explorer.gradient.ones": {"en": "ones (= y.sum())", "zh": "全 1（等于 y.sum()）"},
    "explorer.gradient.mean": {"en": "1/n (= y.mean())", "zh": "1/n（等于 y.mean()）"},
    "explorer.gradient.custom": {"en": "custom tensor", "zh": "自定义张量"},
    "explorer.gradient.custom_value": {"en": "gradient =", "zh": "gradient ="},
    "explorer.vjp.title": {"en": "What does gradient= do?", "zh": "gradient 参数做了什么？"},
    "explorer.vjp.body": {
        "en": (
            "For a non-scalar y, `y.backward(gradient=v)` does not compute the Jacobian "
            "J = ∂y/∂x. It computes the vector-Jacobian product vᵀ·J — the gradient of the "
            "scalar `(y * v).sum()`. With v = ones that is the gradient of `y.sum()`; for "
            "`z = y * x` elementwise, J is diagonal and x.grad = v * y."
        ),
        "zh": (
            "对于非标量 y，`y.backward(gradient=v)` 并不计算雅可比矩阵 J = ∂y/∂x，"
            "而是计算向量-雅可比积 vᵀ·J，也就是标量 `(y * v).sum()` 的梯度。"
            "v 取全 1 时就是 `y.sum()` 的梯度；对逐元素的 `z = y * x`，J 是对角矩阵，x.grad = v * y。"
        ),
    },
    # --- explorer: the graph ----------------------------------------------------------
    "explorer.view": {"en": "View", "zh": "视图"},
    "explorer.view.forward": {"en": "Forward values", "zh": "前向数值"},
    "explorer.view.backward": {"en": "Step through backward", "zh": "逐步反向传播"},
    "explorer.view.full": {"en": "Values and grads", "zh": "数值与梯度"},
    "explorer.step": {"en": "Backward step", "zh": "反向传播步骤"},
    "explorer.step.caption": {
        "en": "Step {step} of {total}: the engine ran {op}.",
        "zh": "第 {step} 步（共 {total} 步）：引擎执行了 {op}。",
    },
    "explorer.step.start": {
        "en": "Step 0 of {total}: before backward, no gradient is known yet.",
        "zh": "第 0 步（共 {total} 步）：反向传播之前，还没有任何梯度。",
    },
    "explorer.play": {"en": "Play", "zh": "播放"},
    "explorer.pause": {"en": "Pause", "zh": "暂停"},
    "explorer.second_order": {
        "en": "This pass differentiates through a gradient computed with create_graph=True.",
        "zh": "这次反向传播经过了用 create_graph=True 计算出的梯度（二阶）。",
    },
    "explorer.stale": {
        "en": "Showing the last graph that ran, from before your edit.",
        "zh": "显示的是修改之前最后一次成功运行的计算图。",
    },
    "explorer.error": {"en": "Line {line}: {message}", "zh": "第 {line} 行：{message}"},
    "explorer.error.noline": {"en": "{message}", "zh": "{message}"},
    "explorer.legend": {"en": "Legend", "zh": "图例"},
    "explorer.presentation": {"en": "Presentation mode (large text)", "zh": "演示模式（大字体）"},
    # --- explorer: beside the graph -------------------------------------------------
    "explorer.tab.output": {"en": "Output", "zh": "输出"},
    "explorer.tab.variables": {"en": "Variables", "zh": "变量"},
    "explorer.tab.inspector": {"en": "Node inspector", "zh": "节点详情"},
    "explorer.no_output_text": {"en": "(the program printed nothing)", "zh": "（程序没有输出）"},
    "explorer.warnings": {"en": "Warnings from PyTorch", "zh": "PyTorch 的警告"},
    "explorer.inspector.pick": {
        "en": "Node (or click one in the graph)",
        "zh": "节点（也可以在图中点击）",
    },
    "explorer.inspector.value": {"en": "Value (forward)", "zh": "数值（前向）"},
    "explorer.inspector.grad": {"en": "Gradient (backward)", "zh": "梯度（反向）"},
    "explorer.inspector.op": {"en": "Operation", "zh": "运算"},
    "explorer.inspector.line": {"en": "Created at line {line}", "zh": "在第 {line} 行创建"},
    "explorer.inspector.saved": {"en": "Saved for backward", "zh": "为反向传播保存的张量"},
    "explorer.col.name": {"en": "name", "zh": "名字"},
    "explorer.col.type": {"en": "type", "zh": "类型"},
    "explorer.col.value": {"en": "value", "zh": "数值"},
    "explorer.col.grad": {"en": "grad", "zh": "梯度"},
    "explorer.share": {"en": "Share this program", "zh": "分享这个程序"},
    "explorer.share.help": {
        "en": "Anyone who opens this link sees this program run.",
        "zh": "打开这个链接的人会看到这个程序的运行结果。",
    },
    # --- explorer: form and link problems -------------------------------------------
    "form.empty_function": {
        "en": "Write a function, e.g. a*x**2 + b*x + c.",
        "zh": "请写一个函数，例如 a*x**2 + b*x + c。",
    },
    "form.one_line": {
        "en": "The function is one expression on one line; use Code mode for more.",
        "zh": "函数只能是一行表达式；更多代码请使用“代码”模式。",
    },
    "form.bad_name": {
        "en": "“{name}” cannot be a variable name: use letters, digits and _ (not first).",
        "zh": "“{name}”不能作为变量名：请使用字母、数字和下划线（不能以下划线开头）。",
    },
    "form.duplicate_name": {
        "en": "The name “{name}” is used twice or reserved.",
        "zh": "名字“{name}”重复或被保留。",
    },
    "form.bad_value": {
        "en": "The value of {name} must be a number or a nested list of numbers, not “{value}”.",
        "zh": "{name} 的数值必须是数字或数字的嵌套列表，而不是“{value}”。",
    },
    "form.bad_dtype": {
        "en": "The dtype of {name} must be float32 or float64.",
        "zh": "{name} 的 dtype 必须是 float32 或 float64。",
    },
    "share.unknown_example": {
        "en": "The link names an example that does not exist.",
        "zh": "链接中的示例不存在。",
    },
    "share.too_long": {
        "en": "The program in the link was too long and has been cut.",
        "zh": "链接中的程序太长，已被截断。",
    },
    # --- the graph view, and words drawn into the picture ------------------------
    "graph.zoom_in": {"en": "Zoom in", "zh": "放大"},
    "graph.zoom_out": {"en": "Zoom out", "zh": "缩小"},
    "graph.fit": {"en": "Fit width", "zh": "适应宽度"},
    "graph.actual_size": {"en": "Actual size", "zh": "实际大小"},
    "graph.hint": {
        "en": "Scroll to zoom, drag to pan, click a node to inspect it.",
        "zh": "滚轮缩放，拖动平移，点击节点查看详情。",
    },
    "graph.no_dot": {
        "en": "Graphviz 'dot' is not installed: showing the browser's drawing (no zoom).",
        "zh": "未安装 Graphviz 的 dot：改用浏览器绘图（不能缩放）。",
    },
    "graph.layout_failed": {
        "en": "The graph could not be drawn: {error}",
        "zh": "无法绘制计算图：{error}",
    },
    "graph.download_dot": {"en": "Download DOT", "zh": "下载 DOT"},
    "graph.download_svg": {"en": "Download SVG", "zh": "下载 SVG"},
    "graph.download_png": {"en": "Download PNG", "zh": "下载 PNG"},
    "graph.export_needs_dot": {
        "en": "SVG and PNG export need Graphviz ('dot'); the DOT file opens in any Graphviz viewer.",
        "zh": "导出 SVG 和 PNG 需要 Graphviz（dot）；DOT 文件可用任何 Graphviz 查看器打开。",
    },
    # .data and .grad are the attributes students read in code: the same words in both languages
    "draw.data": {"en": "data", "zh": "data"},
    "draw.grad": {"en": "grad", "zh": "grad"},
    "draw.no_grad": {"en": "no grad", "zh": "无梯度"},
    "draw.pending": {"en": "?", "zh": "?"},
    "draw.forward": {"en": "forward pass", "zh": "前向传播"},
    "draw.full": {"en": "forward values and gradients", "zh": "前向数值与梯度"},
    "draw.backward": {
        "en": "backward step {step} of {total}",
        "zh": "反向传播第 {step} 步（共 {total} 步）",
    },
    "draw.ran": {"en": "ran {op}", "zh": "执行 {op}"},
    "draw.before": {"en": "before backward", "zh": "反向传播之前"},
    "draw.second_order": {
        "en": "second-order graph (create_graph=True)",
        "zh": "二阶计算图（create_graph=True）",
    },
    "draw.shown": {
        "en": "showing {shown:,} of {total:,} nodes",
        "zh": "显示 {total:,} 个节点中的 {shown:,} 个",
    },
    "draw.expand": {"en": "expand to see more", "zh": "展开查看更多"},
    "draw.hidden_inputs": {"en": "{n} more", "zh": "还有 {n} 个"},
    "draw.repeat": {"en": "× {n}", "zh": "× {n}"},
    "draw.use": {"en": "({k}/{n})", "zh": "（{k}/{n}）"},
    "draw.same_tensor": {
        "en": "same tensor {name}: drawn once for each of its {n} uses",
        "zh": "同一个张量 {name}：它的 {n} 次使用各画一次",
    },
    "draw.not_kept": {
        "en": "PyTorch does not keep this grad in .grad (call retain_grad() to keep it)",
        "zh": "PyTorch 不会把这个梯度保存在 .grad 中（调用 retain_grad() 可以保留）",
    },
    "draw.cut_constant": {"en": "constant", "zh": "常数"},
    "draw.cut_detached": {"en": "detached", "zh": "已分离（detach）"},
    "draw.cut_no_grad": {"en": "made under no_grad", "zh": "在 no_grad 中创建"},
    "draw.cut_data": {"en": "from .data", "zh": "来自 .data"},
    "draw.leaf": {"en": "leaf (requires grad)", "zh": "叶子节点（需要梯度）"},
    "draw.intermediate": {"en": "intermediate (non-leaf)", "zh": "中间结果（非叶子节点）"},
    "draw.retained": {"en": "retained (retain_grad)", "zh": "保留梯度（retain_grad）"},
    "draw.output": {"en": "output", "zh": "输出"},
    "draw.cut": {"en": "cut: no gradient flows in", "zh": "切断：梯度不会流入"},
    "draw.op": {"en": "operation (grad_fn)", "zh": "运算（grad_fn）"},
    "draw.op2": {"en": "operation of the second-order graph", "zh": "二阶计算图中的运算"},
    "deriv.x": {"en": "x", "zh": "x"},
    "deriv.f": {"en": "f(x)", "zh": "f(x)"},
    "deriv.df": {"en": "f′(x) by autograd", "zh": "f′(x)（自动微分）"},
    "deriv.d2f": {"en": "f″(x) by autograd", "zh": "f″(x)（自动微分）"},
    "deriv.fd": {"en": "finite difference", "zh": "有限差分"},
    "deriv.max_error": {"en": "max error", "zh": "最大误差"},
    "deriv.kink": {"en": "not smooth: autograd's pick", "zh": "不光滑：自动微分取的值"},
    "deriv.nonfinite": {"en": "nan / inf", "zh": "nan / inf"},
    "deriv.tangent": {"en": "tangent at x₀", "zh": "x₀ 处的切线"},
    "deriv.x0": {"en": "x₀", "zh": "x₀"},
    "deriv.slope": {"en": "slope", "zh": "斜率"},
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


def section(prefix: str, lang: str) -> dict[str, str]:
    """Every string under ``prefix.`` in ``lang``, keyed by the rest of its key.

    ``section("draw", "zh")`` gives the words the renderer draws into a picture.
    """
    start = prefix + "."
    return {key[len(start) :]: t(key, lang) for key in STRINGS if key.startswith(start)}
