"""The one way text that may hold a user's words reaches a Markdown element of the page.

``st.error``, ``st.warning``, ``st.info``, ``st.caption`` and ``st.markdown`` interpret
Markdown: links, images (fetched by every visitor's browser at once, no click needed),
emphasis, ``:red[...]`` directives, ``$...$`` LaTeX, bare ``http://`` autolinks. An error names
what the program said (``assert False, "..."``, a ``KeyError`` key, an ``int()`` argument), a
warning what PyTorch said about it, a variable holds any string: none of that may become markup.

* :func:`literal` escapes every ASCII punctuation character (CommonMark makes each one
  literal after a backslash), so the text shows exactly as written, line breaks kept.
* :func:`error`, :func:`warning`, :func:`info`, :func:`caption` show such text in an alert or a
  caption; :func:`table` writes a Markdown table of literal cells.

Text without markup of its own and without a user's words (our translated sentences with only
numbers in them) may still go to ``st.*`` directly; anything else comes through here or goes to
an element that never interprets Markdown (``st.text``, ``st.code``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st

__all__ = ["caption", "error", "info", "literal", "table", "warning"]

#: Every ASCII punctuation character: CommonMark lets a backslash make each one literal.
_SPECIAL = re.compile(r"""([!-/:-@[-`{-~])""")
#: Where GitHub-flavoured Markdown makes a link of bare text: ``http://``, ``https://``, ``www.``
#: and ``name@host``. It finds them in the text *after* escapes are resolved (measured in
#: Chromium: ``http\:\/\/host`` still became a link), so a backslash cannot stop it; an invisible
#: U+2060 WORD JOINER after the scheme, ``www`` or ``@`` does, and the text reads the same.
_AUTOLINK = re.compile(r"(?i)(https?(?=\\:)|www(?=\\\.)|\\@)")  # matched after escaping
_JOINER = "\u2060"


def literal(text: str, *, one_line: bool = False) -> str:
    """``text`` as Markdown that shows exactly ``text``: no link, image, emphasis, LaTeX, HTML.

    Line breaks stay line breaks (a hard break, two spaces before the newline), or become
    spaces with ``one_line`` (a table cell).
    """
    lines = [_SPECIAL.sub(r"\\\1", line) for line in text.splitlines()]
    lines = [_AUTOLINK.sub(rf"\1{_JOINER}", line) for line in lines]
    return " ".join(lines) if one_line else "  \n".join(lines)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table of plain text cells, one line per row."""

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(literal(cell, one_line=True) for cell in cells) + " |"

    return "\n".join([line(header), "|" + " --- |" * len(header), *map(line, rows)])


def error(text: str, icon: str | None = None) -> None:
    """``st.error`` of ``text`` shown literally."""
    st.error(literal(text), icon=icon)


def warning(text: str, icon: str | None = None) -> None:
    """``st.warning`` of ``text`` shown literally."""
    st.warning(literal(text), icon=icon)


def info(text: str, icon: str | None = None) -> None:
    """``st.info`` of ``text`` shown literally."""
    st.info(literal(text), icon=icon)


def caption(text: str) -> None:
    """``st.caption`` of ``text`` shown literally."""
    st.caption(literal(text))
