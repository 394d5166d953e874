"""Trojan Source and look-alike names: refused bidi controls, warned confusable identifiers."""

from __future__ import annotations

import pytest

from autodiff_viz.sandbox.execute import compile_function, execute
from autodiff_viz.sandbox.messages import SandboxError
from autodiff_viz.sandbox.scripts import BIDI_CONTROLS, MAX_LOOKALIKE_NOTICES, lookalike_names

NAMES = {
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}
PLACES = {
    "code": "x = 1\ny = 2 {c}+ 3\n",
    "string": "x = 1\ns = 'access{c} level'\n",
    "comment": "x = 1\ny = 2  # admin{c} only\n",
    "docstring": 'x = 1\n"""{c}"""\n',
}


def test_every_control_is_listed() -> None:
    assert set(NAMES) == BIDI_CONTROLS


@pytest.mark.parametrize("char", sorted(NAMES))
@pytest.mark.parametrize("place", sorted(PLACES))
def test_bidi_control_is_refused_with_its_name_and_line(char: str, place: str) -> None:
    result = execute(PLACES[place].format(c=char))
    assert result.error is not None
    assert result.error.kind == "refused" and result.error.line == 2
    code = f"U+{ord(char):04X} {NAMES[char]}"
    assert code in result.error.message and "Trojan Source" in result.error.message
    assert code in (result.error.message_zh or "") and "第 2 行" in (result.error.message_zh or "")
    assert not result.stdout  # nothing ran


def test_the_classic_trojan_source_is_refused_before_it_runs() -> None:
    # The "early return" of the CVE paper: shown as a comment, run as code.
    program = (
        'access = "user"\nif access != "none\u202e \u2066# admin\u2069 \u2066":\n    print("hi")\n'
    )
    result = execute(program)
    assert result.error is not None and result.error.line == 2
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in result.error.message


def test_an_expression_is_checked_too() -> None:
    with pytest.raises(SandboxError, match="U\\+2067"):
        compile_function("x\u2067 * 2", ("x",))


def test_other_invisible_text_is_left_alone() -> None:
    # Zero-width joiners and right-to-left *letters* are ordinary text in strings.
    result = execute("print('a\u200db', 'שלום', '中文')")
    assert result.error is None and result.stdout == "a\u200db שלום 中文\n"


LOOKALIKES = [
    ("yу = 1\nprint(yу)", "yу", "U+0443 CYRILLIC SMALL LETTER U"),  # Latin y + Cyrillic у
    ("у = 2\nprint(у)", "у", "U+0443 CYRILLIC SMALL LETTER U"),  # all Cyrillic, looks like y
    ("lοss = 3\nprint(lοss)", "lοss", "U+03BF GREEK SMALL LETTER OMICRON"),
    ("x = 1\nрrint_me = x\nprint(рrint_me)", "рrint_me", "U+0440 CYRILLIC SMALL LETTER ER"),
    ("ах = 4\nprint(ах)", "ах", "U+0430 CYRILLIC SMALL LETTER A"),
]


@pytest.mark.parametrize(("program", "name", "char"), LOOKALIKES)
def test_lookalike_name_runs_with_a_warning_in_both_languages(
    program: str, name: str, char: str
) -> None:
    result = execute(program)
    assert result.error is None and result.stdout  # a warning, not a refusal
    (note,) = result.notices
    for lang in ("en", "zh"):
        assert f"'{name}'" in note.text(lang) and char in note.text(lang)
    assert (
        note.line
        == program.splitlines().index(next(line for line in program.splitlines() if name in line))
        + 1
    )


@pytest.mark.parametrize(
    "program",
    [
        "变量 = torch.ones(2)\n梯度 = 变量 * 2\nprint(梯度)",  # Chinese names
        "θ = 0.5\nλ = 0.1\nα = θ * λ\nprint(α)",  # Greek letters of mathematics
        "скорость = 2.0\nprint(скорость)",  # a Russian word: letters with no Latin twin
        "x变量 = 1\nprint(x变量)",  # Latin beside Chinese
        "learning_rate = 0.1\nprint(learning_rate)",
    ],
)
def test_ordinary_names_get_no_warning(program: str) -> None:
    result = execute(program)
    assert result.error is None, result.error
    assert result.notices == ()


def test_each_lookalike_is_reported_once() -> None:
    found = lookalike_names("у = 1\nу = у + 1\nprint(у)")
    assert [(f.line, f.name) for f in found] == [(1, "у")]


def test_a_program_full_of_lookalikes_gets_a_bounded_number_of_notes() -> None:
    program = "".join(f"у{i} = {i}\n" for i in range(500))
    result = execute(program)
    assert result.error is None
    assert len(result.notices) == MAX_LOOKALIKE_NOTICES
