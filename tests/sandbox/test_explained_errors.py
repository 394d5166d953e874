"""The common mistakes of a student, run for real, explained in Chinese and in English.

Each program below makes PyTorch (or Python's parser) raise its own message;
the sandbox must recognise it and explain it in the reader's language, keeping
the original sentence in parentheses (Chinese) or first (English). A torch
upgrade that rewords a message fails here instead of losing its explanation.
"""

from __future__ import annotations

import re

import pytest

from autodiff_viz.i18n import message
from autodiff_viz.sandbox.error_hints import RUNTIME, SYNTAX, warning
from autodiff_viz.sandbox.execute import execute

HAN = re.compile(r"[\u4e00-\u9fff]")
#: Three English words in a row: a sentence, not a name from the code.
ENGLISH = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")
X = "import torch\nx = torch.ones(3, requires_grad=True)\n"

#: name -> (program, line, hint key, a word of the Chinese explanation, original text)
PROGRAMS: dict[str, tuple[str, int, str, str, str]] = {
    "non-scalar backward": (
        X + "y = x * 2\ny.backward()\n",
        4,
        "scalar_backward",
        "只能对标量调用 backward()",
        "grad can be implicitly created only for scalar outputs",
    ),
    "broadcast": (
        "import torch\nc = torch.ones(3) + torch.ones(4)\n",
        2,
        "broadcast",
        "第 0 维一个有 3 个元素，另一个有 4 个",
        "The size of tensor a (3) must match the size of tensor b (4)",
    ),
    "matmul shapes": (
        "import torch\nc = torch.ones(2, 3) @ torch.ones(2, 3)\n",
        2,
        "matmul",
        "第一个矩阵的列数等于第二个矩阵的行数",
        "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)",
    ),
    "nn.Linear input size": (
        "import torch\nimport torch.nn as nn\nm = nn.Linear(3, 2)\ny = m(torch.ones(4))\n",
        4,
        "matmul",
        "4 ≠ 3",
        "mat1 and mat2 shapes cannot be multiplied (1x4 and 3x2)",
    ),
    "view size": (
        "import torch\ny = torch.ones(6).view(4, 2)\n",
        2,
        "view",
        "必须等于 6",
        "shape '[4, 2]' is invalid for input of size 6",
    ),
    "backward twice": (
        X + "y = (x * x).sum()\ny.backward()\ny.backward()\n",
        5,
        "backward_twice",
        "只能反向传播一次",
        "Trying to backward through the graph a second time",
    ),
    "grad of a non-leaf": (
        X + "y = x * 2\ny.sum().backward()\nprint(y.grad * 2)\n",
        5,
        "none",
        "非叶子节点的 .grad 是 None",
        "unsupported operand type(s) for *: 'NoneType' and 'int'",
    ),
    "in-place on a leaf": (
        X + "x += 1\n",
        3,
        "leaf_inplace",
        "需要梯度的叶子节点不能原地修改",
        "a leaf Variable that requires grad is being used in an in-place operation",
    ),
    "modified in place": (
        X + "y = x.exp()\ny += 1\ny.sum().backward()\n",
        5,
        "modified_inplace",
        "被原地运算",
        "one of the variables needed for gradient computation has been modified",
    ),
    "dtype mismatch": (
        "import torch\nc = torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.float64)\n",
        2,
        "dtype",
        "数据类型（dtype）不同",
        "expected m1 and m2 to have the same dtype",
    ),
    "integer requires grad": (
        "import torch\nx = torch.tensor([1, 2, 3], requires_grad=True)\n",
        2,
        "int_grad",
        "只有浮点类型的张量才能要求梯度",
        "Only Tensors of floating point and complex dtype can require gradients",
    ),
    "index out of range": (
        "import torch\nprint(torch.ones(3)[5])\n",
        2,
        "index",
        "下标只能从 0 到 2",
        "index 5 is out of bounds for dimension 0 with size 3",
    ),
    "list index": (
        "a = [1, 2]\nprint(a[3])\n",
        2,
        "sequence_index",
        "下标超出范围",
        "list index out of range",
    ),
    "dimension out of range": (
        "import torch\nprint(torch.ones(3).sum(dim=1))\n",
        2,
        "dim",
        "没有第 1 维",
        "Dimension out of range",
    ),
    "backward of a constant": (
        "import torch\ny = (torch.ones(3) * 2).sum()\ny.backward()\n",
        3,
        "no_grad_fn",
        "requires_grad=True",
        "element 0 of tensors does not require grad and does not have a grad_fn",
    ),
    "item of a vector": (
        "import torch\nprint(torch.ones(3).item())\n",
        2,
        "item",
        "这个张量有 3 个元素",
        "a Tensor with 3 elements cannot be converted to Scalar",
    ),
    "tensor as a condition": (
        "import torch\nx = torch.ones(3)\nif x > 0:\n    print(1)\n",
        3,
        "bool",
        "不能直接当作真假来判断",
        "Boolean value of Tensor with more than one value is ambiguous",
    ),
    "NameError": (
        "y = 1\nprint(foo)\n",
        2,
        "",
        "变量名 'foo' 没有定义",
        "name 'foo' is not defined",
    ),
    "AttributeError on None": (
        X + "y = x * 2\ny.sum().backward()\nprint(y.grad.sum())\n",
        5,
        "",
        "这个值是 None",
        "'NoneType' object has no attribute 'sum'",
    ),
    "unclosed bracket": (
        "print((1 + 2)\n",
        1,
        "never_closed",
        "括号 '(' 没有闭合",
        "'(' was never closed",
    ),
    "invalid syntax": ("x = = 2\n", 1, "invalid_syntax", "Python 读不懂这一行", "invalid syntax"),
    "missing indentation": (
        "for i in range(3):\nprint(i)\n",
        2,
        "indent_expected",
        "需要缩进",
        "expected an indented block",
    ),
    "unexpected indentation": (
        "x = 1\n    y = 2\n",
        2,
        "indent_unexpected",
        "不该缩进",
        "unexpected indent",
    ),
    "unindent": (
        "if True:\n    x = 1\n  y = 2\n",
        3,
        "indent_mismatch",
        "缩进与外层任何一层都对不上",
        "unindent does not match any outer indentation level",
    ),
    "missing colon": (
        "for i in range(3)\n    print(i)\n",
        1,
        "colon",
        "缺少冒号",
        "expected ':'",
    ),
    "mismatched brackets": (
        "print(1]\n",
        1,
        "mismatched",
        "右括号 ']' 与左括号 '(' 不配对",
        "closing parenthesis ']' does not match opening parenthesis '('",
    ),
    "missing comma": ("print(1 2)\n", 1, "comma", "少了一个逗号", "Perhaps you forgot a comma?"),
    "full-width comma": (
        "print(1，2)\n",
        1,
        "full_width",
        "请切换到英文输入法",
        "invalid character '，' (U+FF0C)",
    ),
    "unterminated string": (
        "print('abc)\n",
        1,
        "string",
        "字符串没有结束",
        "unterminated string literal",
    ),
    "unmatched bracket": ("print(1))\n", 1, "unmatched", "多了一个右括号 ')'", "unmatched ')'"),
    "assign to a call": ("f(x) = 2\n", 1, "assign", "等号左边只能是变量名", "cannot assign to"),
}


def explanation(zh: str) -> str:
    """The Chinese before the kept original: what is left once the last （…） is cut off."""
    body = zh.split("行：", 1)[-1]  # after "第 N 行："
    return body[: body.rindex("（")] if body.endswith("）") else body


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_a_common_error_is_explained_in_both_languages(name: str) -> None:
    source, line, hint, zh_words, original = PROGRAMS[name]
    error = execute(source).error
    assert error is not None, name
    assert error.line == line
    zh, en = error.text("zh"), error.text("en")
    assert zh.startswith(f"第 {line} 行：") and en.startswith(f"Line {line}: ")
    assert zh_words in zh, zh
    # The original sentence is kept, in parentheses at the end of the Chinese text ...
    assert original in zh and zh.endswith("）"), zh
    # ... and the explanation before it is Chinese, not a Chinese prefix before English.
    said = explanation(zh)
    assert original not in said, zh
    assert len(HAN.findall(said)) >= 8, zh
    assert not ENGLISH.search(said), zh
    # English gets the same advice in English, after the original sentence.
    assert original in en and " — " in en, en
    assert not HAN.search(en.replace("，", "")), en
    if hint:
        assert error.key in {"sandbox.explained", "sandbox.syntax_explained"}
        assert error.fields["hint"]["key"] == f"hint.{hint}"


def test_every_pattern_is_exercised_by_a_real_program() -> None:
    hints = {PROGRAMS[name][2] for name in PROGRAMS}
    untested = {key for _, key in RUNTIME + SYNTAX} - hints - {"product_size", "tabs"}
    untested -= {"number_name"}  # checked below with its own program
    assert not untested


@pytest.mark.parametrize(
    ("source", "hint"),
    [
        ("import torch\nc = torch.dot(torch.ones(3), torch.ones(4))\n", "product_size"),
        ("import torch\nc = torch.ones(2, 3) @ torch.ones(4)\n", "product_size"),
        ("y = 2x\n", "number_name"),
        ("if True:\n\tx = 1\n        y = 2\n", "tabs"),
    ],
)
def test_more_programs_get_their_hint(source: str, hint: str) -> None:
    error = execute(source).error
    assert error is not None and "hint" in error.fields, error
    assert error.fields["hint"]["key"] == f"hint.{hint}"


def test_an_error_without_advice_still_reads_as_chinese_around_python_words() -> None:
    error = execute("print(1 / 0)\n").error
    assert error is not None
    assert error.text("zh") == "第 1 行：程序运行出错（ZeroDivisionError: division by zero）"
    assert error.text("en") == "Line 1: ZeroDivisionError: division by zero"


def test_budget_details_have_their_chinese_form() -> None:
    error = execute("for i in range(10**7):\n    pass\n").error
    assert error is not None and error.kind == "budget"
    assert error.text("zh") == "第 1 行：程序超出了循环次数的上限（每个循环最多 100,000 次）"
    assert error.text("en") == (
        "Line 1: the program went over the limit of loop iterations (100,000 per loop)"
    )


@pytest.mark.parametrize(
    ("source", "hint", "zh_words"),
    [
        (
            X + "y = x * 2\ny.sum().backward()\nprint(y.grad)\n",
            "nonleaf_grad",
            "反向传播不会把梯度保存在非叶子节点的 .grad 中",
        ),
        (
            "import torch\nimport torch.nn as nn\nx = torch.ones(3, 1, requires_grad=True)\n"
            "loss = nn.MSELoss()(x, torch.ones(3))\n",
            "target_size",
            "目标的形状 torch.Size([3]) 与输入的形状 torch.Size([3, 1]) 不同",
        ),
    ],
)
def test_a_warning_pytorch_gives_is_explained_too(source: str, hint: str, zh_words: str) -> None:
    (text,) = execute(source).warnings
    key, fields = warning(text)
    assert key == "sandbox.warning_explained" and fields["hint"]["key"] == f"hint.{hint}"
    zh, en = message(key, "zh", fields), message(key, "en", fields)
    assert zh.startswith(zh_words) and zh.endswith("）") and not ENGLISH.search(explanation(zh))
    assert en.startswith(fields["detail"]) and " — " in en
    assert "Triggered internally" not in zh + en  # PyTorch's first sentence, not its build path
