"""The gradient-descent page and its figures."""

STRINGS: dict[str, dict[str, str]] = {
    "descent.intro": {
        "en": "Watch gradient descent move: SGD and its friends from torch.optim on a curve, a surface and a linear regression, step by step.",
        "zh": "观看梯度下降的过程：torch.optim 中的 SGD 等优化器在曲线、曲面和线性回归上一步一步地移动。",
    },
}
