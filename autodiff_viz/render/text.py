"""User text made safe for DOT: quoted strings, tooltips, HTML-like label cells, attribute lists.

Everything a student typed (names, source lines) and every number the capture recorded reaches
the picture through these functions, so no name can close a label, add an attribute or smuggle
markup into the SVG that ``dot`` writes.

* :func:`dot_string` — a quoted DOT string that shows exactly the given text.
* :func:`tooltip_string` — the same for tooltips (dot unescapes them once more).
* :func:`cell` — one line of text for a cell of an HTML-like label, shortened and escaped.
* :func:`attrs` — ``[key=value, ...]`` from already quoted values.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["attrs", "cell", "dot_string", "shorten", "tooltip_string"]

_ENTITIES = {"&": "&amp;", '"': "&quot;", "<": "&lt;", ">": "&gt;", "\n": "&#10;"}
_ENTITY_RE = re.compile(r'[&"<>\n]')
#: Control and surrogate characters: ``dot`` rejects some of them, and none is worth showing.
_DROPPED = ("Cc", "Cs")


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when anything was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell(text: str, limit: int) -> str:
    """User text for an HTML-like label cell: one line, shortened, every markup char escaped."""
    text = text.replace("\r\n", "\n").replace("\n", " ")
    text = shorten("".join(c for c in text if unicodedata.category(c) not in _DROPPED), limit)
    # dot expands \N, \G, \L... even inside HTML labels; a doubled backslash stays one.
    return html.escape(text, quote=True).replace("\\", "\\\\")


def _quoted(text: str, backslash: str) -> str:
    text = "".join(c for c in text if c == "\n" or unicodedata.category(c) not in _DROPPED)
    text = _ENTITY_RE.sub(lambda m: _ENTITIES[m.group()], text)
    return '"' + text.replace("\\", backslash) + '"'


def dot_string(text: str) -> str:
    """``text`` as a quoted DOT string for a label: it shows exactly ``text``.

    Markup characters become entities, which dot decodes for display (and copies as entities
    into SVG). Entities cannot protect a backslash, though: dot decodes them *before* it
    expands escapes such as ``\\N`` (the node's name), so backslashes are doubled instead.
    """
    return _quoted(text, "\\\\")


def tooltip_string(text: str) -> str:
    """Like :func:`dot_string` for tooltips, where dot (2.43) unescapes backslashes twice."""
    return _quoted(text, "\\" * 4)


def attrs(**values: str | float | int) -> str:
    """A DOT attribute list; string values must already be quoted (:func:`dot_string`)."""
    return "[" + ", ".join(f"{k}={v}" for k, v in values.items()) + "]"
