"""Every user-facing string, in English and 简体中文, in one table.

The table is written in parts (``autodiff_viz/i18n/<part>.py``, one per page
or component) and merged here.

``t(key, lang, **fields)`` looks a string up and fills its ``{fields}``;
``message(key, lang, fields)`` does the same for a message a worker sent as a
key and fields (a field may itself be a message, see :func:`nested`).
A test checks that every key has both languages with the same fields, so a
missing translation fails the suite instead of reaching a student.

Terminology (简体中文), one word for one idea, as a teacher of deep learning writes it:

==========================  ===========================================================
English                     中文
==========================  ===========================================================
autograd (the idea)         自动微分 (``autograd`` only for PyTorch's engine and its API)
forward value               前向数值 (not 前向值)
leaf / non-leaf             叶子节点 / 非叶子节点
computation graph           计算图
backward / forward pass     反向传播 / 前向传播
scalar / tensor             标量 / 非标量 / 张量
constant                    常数 (not 常量)
Jacobian                    雅可比矩阵
vector-Jacobian product     向量-雅可比积
name (of a variable)        变量名 / 名称 (not 名字)
input of f (x, y)           自变量 (输入 reads as the verb "to type")
value                       数值
MSE loss                    MSE 损失 (not 均方误差损失)
epochs / epoch              训练轮数 / 轮
steps / step                步数 / 步
learning rate               学习率 (步长 only for the length of one step)
saddle surface / point      马鞍面 (the surface x² − y²) / 鞍点 (the point)
printed output              打印输出 (输出 is the output tensor)
syntax error                语法错误
==========================  ===========================================================

Punctuation: full-width ，。：；（） in Chinese sentences, half-width inside code
(``x.sum()``, ``requires_grad=True``); a label joined to a value goes through
``label.value`` / ``label.paren`` (:mod:`autodiff_viz.i18n.labels`).
:data:`AVOID` lists the words the table must not use (a test reads it).
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any, Literal

from autodiff_viz.i18n import (
    choices,
    derivatives,
    descent,
    errors,
    explain,
    explorer,
    frame,
    gallery,
    graph,
    jobs,
    labels,
    rules,
    sandbox,
)

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")  #: each one's name is the string ``lang.<code>``
DEFAULT_LANG: Lang = "en"

#: Words the Chinese table does not use -> the term it uses instead (see the docstring).
AVOID: dict[str, str] = {
    "名字": "变量名 / 名称",
    "常量": "常数",
    "均方误差": "MSE 损失",
    "前向值": "前向数值",
    "求导对象": "对哪个输出调用 backward()",
    "反向传递": "反向传播",
    "叶节点": "叶子节点",
}

STRINGS: dict[str, dict[str, str]] = {
    **frame.STRINGS,
    **explorer.STRINGS,
    **graph.STRINGS,
    **gallery.STRINGS,
    **derivatives.STRINGS,
    **descent.STRINGS,
    **sandbox.STRINGS,
    **errors.STRINGS,
    **jobs.STRINGS,
    **choices.STRINGS,
    **labels.STRINGS,
    **explain.STRINGS,
    **rules.STRINGS,
}


def t(key: str, lang: str, **fields: object) -> str:
    """The string ``key`` in ``lang`` (English when ``lang`` is unknown), fields filled."""
    entry = STRINGS[key]
    text = entry.get(lang, entry[DEFAULT_LANG])
    return text.format(**fields) if fields else text


def message(key: str, lang: str, fields: Mapping[str, Any] | None = None) -> str:
    """A keyed message (as workers send them) in ``lang``.

    A field that is itself a message (``{"key": ..., "fields": ...}``, see
    :func:`nested`) is worded first, in the same language.
    """
    filled = {name: _word(value, lang) for name, value in (fields or {}).items()}
    return t(key, lang, **filled)


def nested(key: str, **fields: object) -> dict[str, Any]:
    """A message to put in another message's field: JSON-ready, worded by :func:`message`."""
    return {"key": key, "fields": fields}


def _word(value: object, lang: str) -> object:
    if isinstance(value, dict) and set(value) == {"key", "fields"}:
        return message(value["key"], lang, value["fields"])
    return value


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
