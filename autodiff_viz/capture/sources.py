"""Where a Recorder reads the user's variables, the running line and its source text.

The sandbox hands its interpreter's own callables to the Recorder; in a notebook
they come from the frame that enters the ``with`` block (:func:`frame_callables`).
:func:`text_source` gives a line's text from a program's source.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable, Mapping
from types import FrameType

#: The user's variables now bound, by name.
Names = Callable[[], Mapping[str, object]]
#: The 1-based line now running (None when unknown).
Line = Callable[[], int | None]
#: A line's source text, stripped (None when unknown or blank).
SourceOf = Callable[[int | None], str | None]


def frame_callables(frame: FrameType) -> tuple[Names, Line, SourceOf]:
    """names/line/source for code running in ``frame`` (a notebook cell, a function)."""
    filename = frame.f_code.co_filename

    def source_of(line: int | None) -> str | None:
        return (linecache.getline(filename, line).strip() or None) if line else None

    return (lambda: frame.f_locals), (lambda: frame.f_lineno), source_of


def text_source(source: str) -> SourceOf:
    """The text of a line of ``source``."""
    lines = source.splitlines()

    def source_of(line: int | None) -> str | None:
        return lines[line - 1].strip() or None if line and 0 < line <= len(lines) else None

    return source_of
