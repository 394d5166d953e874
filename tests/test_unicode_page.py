"""The explorer page with a shared link that hides Trojan Source or a look-alike name."""

from __future__ import annotations

import pytest

from autodiff_viz.i18n import t
from tests.support.apptest import graph_texts, open_app, shown

TROJAN = 'import torch\naccess = "user"\nprint(access != "none\u202e \u2066# admin\u2069 \u2066")\n'
LOOKALIKE = "import torch\nx = torch.tensor(2.0, requires_grad=True)\nу = x * 3\nу.backward()\n"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Line 3", "U+202E RIGHT-TO-LEFT OVERRIDE"]),
        ("zh", ["第 3 行", "U+202E", "请删除它"]),
    ],
)
def test_trojan_source_link_is_refused_naming_the_character(lang: str, words: list[str]) -> None:
    at = open_app(lang=lang, code=TROJAN)
    (error,) = at.error
    for word in words:
        assert word in shown(error.value)


@pytest.mark.parametrize(("lang", "word"), [("en", "only looks Latin"), ("zh", "看起来像拉丁字母")])
def test_lookalike_name_draws_the_graph_with_a_note(lang: str, word: str) -> None:
    at = open_app(lang=lang, code=LOOKALIKE)
    assert not at.error
    assert "grad 3.0" in graph_texts(at)  # dу/dx, the name's look is no obstacle to running
    notes = [el.value for el in at.text if "U+0443 CYRILLIC SMALL LETTER U" in el.value]
    assert len(notes) == 1
    assert "'у'" in notes[0]
    assert word in notes[0]
    assert t("explorer.notices", lang) in [box.label for box in at.expander]
