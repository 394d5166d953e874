"""Chinese as a teacher writes it: one home for every sentence, full-width punctuation.

* No Chinese character in the package outside ``i18n/`` and the gallery
  programs (nor in ``pages/`` and ``app.py``): every sentence has one home.
* Every message key the code names (errors, budget details, replies, job
  refusals, ``t("...")``) exists in the table.
* No half-width ``:`` ``,`` ``(`` ``)`` ``;`` right after a Chinese character
  outside code spans, in the table and in what the pages glue together.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from autodiff_viz.i18n import AVOID, STRINGS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "autodiff_viz"
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
#: A Chinese character followed by half-width punctuation, or by " (" opening a Chinese aside.
HALF_WIDTH_AFTER_HAN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff](?:[:,();]| \([^()]*[\u3400-\u4dbf\u4e00-\u9fff][^()]*\))"
)


def half_width_after_chinese(text: str) -> list[str]:
    """Each place in ``text`` (outside `code` spans) where Chinese runs into , : ; ( )."""
    prose = re.sub(r"`[^`]*`", "``", text)
    return [
        prose[max(m.start() - 8, 0) : m.end() + 8] for m in HALF_WIDTH_AFTER_HAN.finditer(prose)
    ]


def _sources() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in {".py", ".js", ".css", ".html", ".txt", ".svg"}:
            continue
        inside = path.relative_to(PACKAGE).parts
        if inside[0] == "i18n" or inside[:2] == ("explorer", "gallery"):
            continue  # the translation table; the gallery's programs (tutorial cells)
        yield path
    yield ROOT / "app.py"
    yield from sorted((ROOT / "pages").glob("*.py"))


def test_no_chinese_outside_the_translation_table() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _sources()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HAN.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_punctuation_check_can_fail() -> None:
    assert half_width_after_chinese("范围:")
    assert half_width_after_chinese("输入(可选)")
    assert half_width_after_chinese("先求和,再平均;")
    assert half_width_after_chinese("有限差分 (最大误差 0.1)")
    assert not half_width_after_chinese("请用 (x > 0).all()")
    assert not half_width_after_chinese("请用 `f(x):` 写")
    assert not half_width_after_chinese("请用 x.sum()，然后 backward()：完成")


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_chinese_sentences_use_full_width_punctuation(key: str) -> None:
    assert not half_width_after_chinese(STRINGS[key]["zh"]), STRINGS[key]["zh"]


# --- every key the code names exists -------------------------------------------------------

#: callable name -> (position of the key argument, the prefix the callee puts before it)
NAMED_KEYS = {
    "error": (1, "sandbox."),
    "budget": (1, "budget."),
    "failure": (1, "reply."),
    "CurveError": (0, "curve."),
    "DescentInputError": (0, "descent_input."),
    "t": (0, ""),
    "nested": (0, ""),
    "message": (0, ""),
}


def _named_keys() -> Iterator[tuple[str, str]]:
    for path in [*PACKAGE.rglob("*.py"), ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name not in NAMED_KEYS:
                continue
            position, prefix = NAMED_KEYS[name]
            if len(node.args) > position:
                arg = node.args[position]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    if name == "budget" and f"budget.{arg.value}" not in STRINGS:
                        continue  # a budget detail may still be a literal text
                    yield where, prefix + arg.value


def test_every_key_the_code_names_is_in_the_table() -> None:
    named = list(_named_keys())
    assert len(named) > 100
    missing = [f"{where}: {key}" for where, key in named if key not in STRINGS]
    assert not missing, "\n".join(missing)


def test_every_budget_detail_the_sandbox_names_is_in_the_table() -> None:
    """A literal budget detail would reach a Chinese reader in English."""
    budgets = PACKAGE / "sandbox"
    literal = []
    for path in budgets.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "budget":
                detail = node.args[1] if len(node.args) > 1 else None
                ok = isinstance(detail, ast.Constant) and f"budget.{detail.value}" in STRINGS
                if not ok:
                    literal.append(f"{path.name}:{node.lineno}")
    assert not literal, literal


# --- the words drawn into a graph follow the interface language --------------------------


def test_tensor_words_in_node_labels_follow_the_language() -> None:
    from autodiff_viz.graph import Stats, TensorValue
    from autodiff_viz.i18n import section
    from autodiff_viz.render.formatting import format_full, format_value

    value = TensorValue(shape=(1000,), dtype="float32", preview=(0.5,), stats=Stats(-1.0, 0.0, 1.0))
    zh = section("draw", "zh")
    assert format_value(value, max_chars=60, words=zh) == "形状 [1000] 最小 -1.0 平均 0.0 最大 1.0"
    assert format_value(value, max_chars=60) == "shape [1000] min -1.0 mean 0.0 max 1.0"
    assert "前 1 个（共 1000 个）: [0.5, …]" in format_full(value, words=zh)


def test_a_chinese_graph_draws_chinese_words_and_english_stays_the_default() -> None:
    from autodiff_viz.i18n import section
    from autodiff_viz.render import styles
    from autodiff_viz.render.dot import DrawOptions, to_dot
    from tests.render.graphs import linear_mse

    assert section("draw", "en") == styles.WORDS  # one source for the picture's words
    english = to_dot(linear_mse())
    assert to_dot(linear_mse(), DrawOptions(words=section("draw", "en"))) == english
    chinese = to_dot(linear_mse(), DrawOptions(words=section("draw", "zh")))
    assert chinese != english and "无梯度" not in english
    assert HAN.search(chinese) and "shape [" not in chinese


@pytest.mark.parametrize("avoid", sorted(AVOID))
def test_the_table_keeps_to_one_terminology(avoid: str) -> None:
    used = [key for key, entry in STRINGS.items() if avoid in entry["zh"]]
    assert not used, f"{used} write {avoid}; the terminology says {AVOID[avoid]}"
