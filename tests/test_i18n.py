"""The translation table is complete: every key in both languages, with the same fields."""

import importlib
import pkgutil
from types import ModuleType

import pytest

from autodiff_viz import i18n
from autodiff_viz.i18n import (
    LANGS,
    STRINGS,
    lang_from_locale,
    message,
    nested,
    parse_lang,
    placeholders,
    t,
)


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_key_speaks_both_languages(key: str) -> None:
    entry = STRINGS[key]
    assert set(entry) == set(LANGS), f"{key} lacks {set(LANGS) - set(entry)}"
    assert all(text.strip() for text in entry.values()), f"{key} has an empty text"
    assert placeholders(entry["en"]) == placeholders(entry["zh"]), f"{key}: fields differ"


def test_t_fills_fields_and_falls_back_to_english() -> None:
    STRINGS["test.fields"] = {"en": "line {line}", "zh": "第 {line} 行"}
    try:
        assert t("test.fields", "zh", line=3) == "第 3 行"
        assert t("test.fields", "fr", line=3) == "line 3"
    finally:
        del STRINGS["test.fields"]


def test_missing_key_is_an_error_not_a_blank() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "en")


@pytest.mark.parametrize(
    ("locale", "lang"),
    [
        ("zh-CN", "zh"),
        ("zh", "zh"),
        ("ZH-hant-TW", "zh"),
        ("en-US", "en"),
        ("fr", "en"),
        (None, "en"),
    ],
)
def test_browser_locale_picks_the_language(locale: str | None, lang: str) -> None:
    assert lang_from_locale(locale) == lang


def test_only_known_languages_come_from_the_url() -> None:
    assert parse_lang("zh") == "zh"
    assert parse_lang("de") is None
    assert parse_lang(None) is None


def _parts() -> list[ModuleType]:
    """Every part of the table: each module of ``autodiff_viz.i18n`` with a STRINGS dict."""
    names = [m.name for m in pkgutil.iter_modules(i18n.__path__)]
    return [importlib.import_module(f"autodiff_viz.i18n.{name}") for name in names]


def test_no_key_is_written_in_two_parts() -> None:
    parts = _parts()
    assert len(parts) >= 10
    assert sum(len(part.STRINGS) for part in parts) == len(STRINGS)


@pytest.mark.parametrize("part", _parts(), ids=lambda part: part.__name__.rsplit(".")[-1])
def test_every_table_has_both_languages_with_the_same_fields(part: ModuleType) -> None:
    """Checked per part (module), so a table merged over by another still fails here."""
    for key, entry in part.STRINGS.items():
        assert set(entry) == set(LANGS), f"{part.__name__}: {key} lacks {set(LANGS) - set(entry)}"
        assert placeholders(entry["en"]) == placeholders(entry["zh"]), f"{key}: fields differ"


def test_parity_check_catches_a_missing_language_and_a_different_field() -> None:
    assert placeholders("{a} of {b:,}") == {"a", "b"}
    assert placeholders("第 {a} 行") != placeholders("line {a} of {b}")


def test_a_nested_message_is_worded_in_the_same_language() -> None:
    fields = {
        "limit": nested("limit.loop_iterations"),
        "detail": nested("budget.per_loop", limit=10**5),
    }
    assert (
        message("sandbox.budget", "zh", fields)
        == "程序超出了循环次数的上限（每个循环最多 100,000 次）"
    )
    assert message("sandbox.budget", "en", fields) == (
        "the program went over the limit of loop iterations (100,000 per loop)"
    )
