"""Every user-facing string, in English and 简体中文, in one table.

The table is written in parts (``autodiff_viz/i18n/<part>.py``, one per page
or component) and merged here.

``t(key, lang, **fields)`` looks a string up and fills its ``{fields}``.
A test checks that every key has both languages with the same fields, so a
missing translation fails the suite instead of reaching a student.
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
    rules,
    sandbox,
)

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = ("en", "zh")  #: each one's name is the string ``lang.<code>``
DEFAULT_LANG: Lang = "en"

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
