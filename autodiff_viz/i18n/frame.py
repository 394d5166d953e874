"""The frame: app name, about box, page titles."""

STRINGS: dict[str, dict[str, str]] = {
    "app.title": {"en": "autodiff_viz", "zh": "autodiff_viz"},
    "app.tagline": {
        "en": "See PyTorch autograd at work: real graphs, values and gradients.",
        "zh": "看见 PyTorch 自动微分的运行过程：真实的计算图、数值与梯度。",
    },
    "app.presentation": {"en": "Presentation mode", "zh": "演示模式"},
    "app.presentation.help": {
        "en": "Larger text for a projector, on every page.",
        "zh": "为投影仪放大所有页面的文字。",
    },
    "app.about.title": {"en": "About", "zh": "关于"},
    "app.about.body": {
        "en": "autodiff_viz runs your code with real PyTorch in a safe interpreter, walks `grad_fn` / `next_functions` from the outputs and draws every node with its forward value and the gradient that flowed through it.",
        "zh": "autodiff_viz 在安全解释器中用真实的 PyTorch 运行你的代码，从输出沿 `grad_fn` / `next_functions` 遍历计算图，并画出每个节点的前向数值和反向传播时流经它的梯度。",
    },
    "app.about.source": {"en": "Source code", "zh": "源代码"},
    "page.explorer": {"en": "Graph explorer", "zh": "计算图探索"},
    "page.derivatives": {"en": "Derivatives", "zh": "导数"},
    "page.descent": {"en": "Gradient descent", "zh": "梯度下降"},
}
