"""The translation table is complete: every key in both languages, with the same fields."""

import pytest

from autodiff_viz.i18n import LANGS, STRINGS, lang_from_locale, parse_lang, placeholders, t


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


def test_no_key_is_written_in_two_parts() -> None:
    from autodiff_viz.i18n import derivatives, descent, explain, explorer, frame, gallery, graph

    parts = (frame, explorer, graph, gallery, derivatives, descent, explain)
    assert sum(len(part.STRINGS) for part in parts) == len(STRINGS)
