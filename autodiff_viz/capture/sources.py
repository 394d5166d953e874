"""Where a Recorder reads the user's variables, the running line and its source text.

The sandbox hands its interpreter's own callables to the Recorder; in a notebook
they come from the frame that enters the ``with`` block (:func:`frame_callables`).
:func:`text_source` gives a line's text from a program's source;
:func:`backward_source` the code of a user ``autograd.Function``'s ``backward``.
"""

from __future__ import annotations

import inspect
import linecache
import textwrap
from collections.abc import Callable, Mapping
from types import FrameType
from typing import Any

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


#: A user's ``backward`` is kept up to this many lines, each up to ``LINE_CHARS`` characters:
#: enough for any backward a course writes, bounded for a hostile one.
BACKWARD_LINES = 40
LINE_CHARS = 160


def backward_source(fn: Any, program: str | None) -> tuple[int, str] | None:
    """(first line, code) of the ``backward`` of the user ``autograd.Function`` ``fn`` ran.

    ``fn`` is the Function's autograd node. The sandbox marks the functions a class body
    defined with ``program_lines`` (first, last), lines of ``program``; a Function defined in
    a file is read with :mod:`inspect`; one exec'd from ``program`` by its code's lines.
    The code is bounded (:data:`BACKWARD_LINES`, :data:`LINE_CHARS`); None when unknown.
    """
    cls = getattr(fn, "_forward_cls", None)
    backward = getattr(cls, "backward", None) if isinstance(cls, type) else None
    if backward is None:
        return None
    span = getattr(backward, "program_lines", None)
    lines: list[str] | None = None
    first = 0
    if isinstance(span, tuple) and program is not None:
        first = span[0]
        lines = program.splitlines()[first - 1 : span[1]]
    elif span is None:
        try:
            lines, first = inspect.getsourcelines(backward)
        except (OSError, TypeError):
            code = getattr(backward, "__code__", None)
            if code is None or program is None:
                return None
            first = code.co_firstlineno
            last = max((n for *_, n in code.co_lines() if n is not None), default=first)
            lines = program.splitlines()[first - 1 : last]
    if not lines:
        return None
    return first, _bounded(lines)


def _bounded(lines: list[str]) -> str:
    text = textwrap.dedent("\n".join(line.rstrip("\n") for line in lines[: BACKWARD_LINES + 1]))
    kept = [
        line if len(line) <= LINE_CHARS else line[: LINE_CHARS - 1] + "…"
        for line in text.splitlines()
    ]
    if len(lines) > BACKWARD_LINES:
        kept = [*kept[:BACKWARD_LINES], "…"]
    return "\n".join(kept)
