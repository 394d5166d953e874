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
