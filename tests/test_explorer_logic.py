"""The explorer's form and link logic: the program a form stands for, links that round-trip."""

from __future__ import annotations

import io
import re
import string
import tokenize
from contextlib import redirect_stdout
from urllib.parse import parse_qsl

import pytest
import torch

from autodiff_viz.explorer.data import (
    DEFAULT_FUNCTION,
    DEFAULT_INPUTS,
    MAX_SHARED_CODE,
    FormError,
    InputRow,
    SharedProgram,
    function_program,
    numbered_lines,
    read_share_query,
    share_query,
    share_url,
)
from autodiff_viz.explorer.examples import EXAMPLES
from autodiff_viz.ui.markup import literal, table


def run_plain(code: str) -> dict[str, object]:
    scope: dict[str, object] = {}
    with redirect_stdout(io.StringIO()):
        exec(code, scope)  # the test's own trusted check that the generated text is real Python
    return scope


def test_default_form_is_tutorial_000() -> None:
    code = function_program(DEFAULT_FUNCTION, DEFAULT_INPUTS)
    scope = run_plain(code)
    y = scope["y"]
    assert isinstance(y, torch.Tensor) and y.item() == 1.0
    y.backward()
    assert scope["x"].grad.item() == -2.0  # type: ignore[attr-defined]
    assert "x = torch.tensor(0.0, requires_grad=True)" in code


def test_lists_ints_and_dtypes_become_float_tensors() -> None:
    rows = [InputRow("w", "[[1, 2], [3, 4]]", True, "float64"), InputRow("k", "3")]
    scope = run_plain(function_program("(w * k).sum()", rows))
    assert scope["w"].dtype == torch.float64  # type: ignore[attr-defined]
    assert scope["y"].item() == 30.0  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("expr", "rows", "key"),
    [
        ("", DEFAULT_INPUTS, "form.empty_function"),
        ("x\nimport os", DEFAULT_INPUTS, "form.one_line"),
        ("x", [InputRow("1x", "1")], "form.bad_name"),
        ("x", [InputRow("__class__", "1")], "form.bad_name"),
        ("x", [InputRow("for", "1")], "form.bad_name"),
        ("x", [InputRow("x", "1"), InputRow("x", "2")], "form.duplicate_name"),
        ("x", [InputRow("torch", "1")], "form.duplicate_name"),
        ("x", [InputRow("x", "__import__('os')")], "form.bad_value"),
        ("x", [InputRow("x", "[1, 'a']")], "form.bad_value"),
        ("x", [InputRow("x", "[]")], "form.bad_value"),
        ("x", [InputRow("x", "1e999")], "form.bad_value"),
        ("x", [InputRow("x", "1", dtype="int8")], "form.bad_dtype"),
    ],
)
def test_bad_form_fields_name_the_problem(expr: str, rows: list[InputRow], key: str) -> None:
    with pytest.raises(FormError) as err:
        function_program(expr, rows)
    assert err.value.key == key


def test_empty_rows_are_ignored() -> None:
    code = function_program("x * 2", [InputRow("x", "1.0", True), InputRow("", "")])
    assert run_plain(code)["y"].item() == 2.0  # type: ignore[attr-defined]


def test_code_link_round_trips_any_text() -> None:
    code = 'x = torch.tensor([1.0, 2.0])  # 注释 & = ? #\nprint("a+b", x)\n'
    query = share_query(code=code, lang="zh")
    params = dict(parse_qsl(query.removeprefix("?")))
    assert params["lang"] == "zh"
    shared = read_share_query(params)
    assert shared is not None and shared.code == code and shared.error_key is None


def test_example_links_open_the_gallery_program() -> None:
    params = dict(parse_qsl(share_query(example="t1_detach").removeprefix("?")))
    shared = read_share_query(params, "zh")
    assert shared is not None and shared.code == EXAMPLES["t1_detach"].source
    english = read_share_query(params, "en")
    assert english is not None and english.code == EXAMPLES["t1_detach"].text("en")
    unknown = read_share_query({"example": "nope"})
    assert unknown is not None and unknown.error_key == "share.unknown_example"


def test_links_without_a_program_and_overlong_links() -> None:
    assert read_share_query({"lang": "en"}) is None
    long = read_share_query({"code": "x" * (MAX_SHARED_CODE + 5)})
    assert long is not None and long.error_key == "share.too_long"
    assert len(long.code) == MAX_SHARED_CODE


@pytest.mark.parametrize(
    "page_url",
    ["http://127.0.0.1:8501/", "https://school.example/autograd/?lang=en&code=old#top"],
)
def test_share_url_names_an_unedited_example_and_keeps_the_page_address(page_url: str) -> None:
    base = page_url.split("?", maxsplit=1)[0].split("#", maxsplit=1)[0]
    source = EXAMPLES["t1_retain_grad"].source
    assert share_url(page_url, source, "zh") == f"{base}?example=t1_retain_grad&lang=zh"
    edited = source + "print(h)\n"
    link = share_url(page_url, edited, "en")
    assert link.startswith(base + "?code=")
    params = dict(parse_qsl(link.split("?", 1)[1]))
    assert read_share_query(params) == SharedProgram(edited)


def _unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def _bare_punctuation(markdown: str) -> list[str]:
    """ASCII punctuation Markdown would read as syntax: any not escaped by a backslash."""
    bare, chars = [], iter(markdown)
    for char in chars:
        if char == "\\":
            next(chars)
        elif char in string.punctuation:
            bare.append(char)
    return bare


def test_program_text_reaches_a_markdown_table_only_as_literal_text() -> None:
    hostile = "![x](http://evil/i.png) [a](http://e) *em* <b>$x$</b> :red[z] | ~s~ `c`\nline 2"
    cell = literal(hostile, one_line=True)
    # CommonMark: a backslash makes any ASCII punctuation literal, so no link, image, emphasis,
    # HTML, LaTeX, colour or column border can start; the row stays on one line.
    assert _bare_punctuation(cell) == []
    assert "\n" not in cell
    assert _unescaped(cell).replace("\u2060", "") == hostile.replace("\n", " ")
    assert "http\u2060\\:" in cell  # no bare-address autolink either
    assert literal("x 值 = 1") == "x 值 \\= 1"  # letters and Chinese stay as they are


def test_markdown_table_keeps_one_column_per_cell() -> None:
    table_text = table(["name", "value"], [["a|b", "1"], ["", "[1.0, 2.0]"]])
    lines = table_text.split("\n")
    assert lines[1] == "| --- | --- |"
    assert [_bare_punctuation(line).count("|") for line in lines] == [3, 3, 3, 3]
    assert [_unescaped(cell.strip()) for cell in re.split(r"(?<!\\)\|", lines[2])[1:-1]] == [
        "a|b",
        "1",
    ]


def test_literal_text_keeps_its_lines_as_hard_breaks() -> None:
    text = literal("AssertionError: [a](http://e)\n  line 2 $x$")
    assert text.split("  \n") == [
        "AssertionError\\: \\[a\\]\\(http\u2060\\:\\/\\/e\\)",
        "  line 2 \\$x\\$",
    ]
    shown = _unescaped(text.replace("  \n", "\n")).replace("\u2060", "")
    assert shown == "AssertionError: [a](http://e)\n  line 2 $x$"


_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _code_tokens(source: str) -> list[tuple[int, str]]:
    """The program without its comments and printed words: (line, token) of everything else."""
    skip = {tokenize.COMMENT, tokenize.STRING, tokenize.NL}
    return [
        (token.start[0], token.string)
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type not in skip
    ]


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_each_example_has_english_comments_and_the_same_code_line_for_line(key: str) -> None:
    example = EXAMPLES[key]
    english, chinese = example.text("en"), example.text("zh")
    assert not _CJK.search(english), f"{key}: Chinese left in the English text"
    assert chinese == example.source
    # Only comments and strings differ, on the same lines: an error's "Line N" is the same line.
    assert _code_tokens(english) == _code_tokens(chinese)
    assert english.count("\n") == chinese.count("\n")


def test_numbered_lines_mark_the_line_of_an_error() -> None:
    source = "\n".join(f"line {n}" for n in range(1, 13))
    assert numbered_lines(source, 10).splitlines() == [
        "   8 │ line 8",
        "   9 │ line 9",
        "→ 10 │ line 10",
        "  11 │ line 11",
        "  12 │ line 12",
    ]
    assert numbered_lines(source, 1).splitlines()[0] == "→ 1 │ line 1"
    assert numbered_lines(source, 99) == ""  # a line the program does not have: nothing
