"""Every user-facing string, in English and 简体中文, in one table.

The table is written in parts (``autodiff_viz/i18n/<part>.py``, one per page
or component) and merged here.

``t(key, lang, **fields)`` looks a string up and fills its ``{fields}``.
A test checks that every key has both languages with the same fields, so a
missing translation fails the suite instead of reaching a student.
"""

from __future__ import annotations

import string
from typing import Literal

from autodiff_viz.i18n import derivatives, descent, explain, explorer, frame, gallery, graph

Lang = Literal["en", "zh"]
LANGS: dict[Lang, str] = {"en": "English", "zh": "简体中文"}
DEFAULT_LANG: Lang = "en"

STRINGS: dict[str, dict[str, str]] = {
    **frame.STRINGS,
    **explorer.STRINGS,
    **graph.STRINGS,
    **gallery.STRINGS,
    **derivatives.STRINGS,
    **descent.STRINGS,
    **explain.STRINGS,
}


def t(key: str, lang: str, **fields: object) -> str:
    """The string ``key`` in ``lang`` (English when ``lang`` is unknown), fields filled."""
    entry = STRINGS[key]
    text = entry.get(lang, entry[DEFAULT_LANG])
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


def section(prefix: str, lang: str) -> dict[str, str]:
    """Every string under ``prefix.`` in ``lang``, keyed by the rest of its key.

    ``section("draw", "zh")`` gives the words the renderer draws into a picture.
    """
    start = prefix + "."
    return {key[len(start) :]: t(key, lang) for key in STRINGS if key.startswith(start)}
