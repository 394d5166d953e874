"""Numbers and tensors as text for people to read.

Used by the graph renderer (short, one-line cells) and by the pages' tables and
node inspector (the full text). Pure functions of :class:`~autodiff_viz.graph.TensorValue`:

* :func:`format_number` — one number: 4 significant digits, ints as ints, ``nan``/``inf`` spelt out.
* :func:`format_value` — a tensor in at most ``max_chars`` characters: scalars as numbers, small
  tensors as rows (``[[1, 2], [3, 4]]``), larger ones as shape plus min / mean / max.
* :func:`format_full` — every recorded element and the summary, for the inspector and tooltips.

The dtype is appended whenever it is not ``float32``, PyTorch's default, because ``1`` the int64
and ``1.0`` the float64 behave differently under autograd and students should see which they have.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from autodiff_viz.graph import Data, Stats, TensorValue
from autodiff_viz.i18n import section

__all__ = ["format_dtype", "format_full", "format_number", "format_shape", "format_value"]

#: Shown where a value is not known (never recorded, or no grad reached the tensor).
MISSING = "—"
DEFAULT_DTYPE = "float32"
_DIGITS = 4
#: The words of a tensor's text (shape, min, mean, max, ...) in English; callers pass the
#: reader's language as ``words`` (``i18n.section("draw", lang)``).
_ENGLISH = section("draw", "en")


def format_number(x: float | int | bool, digits: int = _DIGITS) -> str:
    """``x`` to ``digits`` significant digits; ints stay ints, floats keep a point."""
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    text = f"{x:.{digits}g}"
    # "2" would read as an int; PyTorch prints floats with a point, so do we.
    if not any(c in text for c in ".e"):
        text += ".0"
    return text


def format_dtype(dtype: str) -> str:
    """``torch.float64`` -> ``float64``."""
    return dtype.removeprefix("torch.")


def format_shape(shape: tuple[int, ...]) -> str:
    """A shape the way ``torch.Size`` lists it: ``[2, 3]``; ``[]`` for a scalar."""
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _rows(data: Data) -> str:
    if isinstance(data, list):
        return "[" + ", ".join(_rows(x) for x in data) + "]"
    return format_number(data)


def _summary(stats: Stats | None, words: Mapping[str, str] = _ENGLISH) -> str:
    if stats is None:
        return ""
    parts = [
        f"{words['min']} {format_number(stats.min)}",
        f"{words['mean']} {format_number(stats.mean)}",
        f"{words['max']} {format_number(stats.max)}",
    ]
    if stats.nan:
        parts.append(f"{stats.nan} nan")
    if stats.inf:
        parts.append(f"{stats.inf} inf")
    return " ".join(parts)


def _with_dtype(text: str, value: TensorValue) -> str:
    dtype = format_dtype(value.dtype)
    return text if dtype == DEFAULT_DTYPE else f"{text} {dtype}"


def _shortened(text: str, max_chars: int) -> str:
    return text if len(text) <= max_chars else text[: max(max_chars - 1, 0)] + "…"


def format_value(
    value: TensorValue | None, *, max_chars: int = 40, words: Mapping[str, str] | None = None
) -> str:
    """One line of at most ``max_chars`` characters (dtype suffix included when it fits)."""
    w = words or _ENGLISH
    if value is None:
        return MISSING
    if value.data is not None:
        rows = _with_dtype(_rows(value.data), value)
        if len(rows) <= max_chars:
            return rows
    # Too long for rows: the shape, then as much of the summary as fits (mean first).
    shape = f"{w['shape']} {format_shape(value.shape)}"
    stats = value.stats
    candidates = [f"{shape} {_summary(stats, w)}"] if stats else []
    if stats:
        candidates.append(f"{shape} {w['mean']} {format_number(stats.mean)}")
    candidates.append(shape)
    for candidate in candidates:
        text = _with_dtype(candidate, value)
        if len(text) <= max_chars:
            return text
    return _shortened(shape, max_chars)


def _grid(data: Any, depth: int = 0) -> str:
    """Nested rows with one innermost row per line, like ``print(tensor)``."""
    if not isinstance(data, list):
        return format_number(data)
    if not data or not isinstance(data[0], list):
        return "[" + ", ".join(format_number(x) for x in data) + "]"
    sep = ",\n" + " " * (depth + 1)
    return "[" + sep.join(_grid(x, depth + 1) for x in data) + "]"


def format_full(
    value: TensorValue | None, *, max_chars: int = 20_000, words: Mapping[str, str] | None = None
) -> str:
    """Every recorded element, shape, dtype and summary, on several lines."""
    if value is None:
        return MISSING
    w = words or _ENGLISH
    head = f"{w['shape']} {format_shape(value.shape)}  {w['dtype']} {format_dtype(value.dtype)}"
    if value.data is not None:
        body = _grid(value.data)
    elif value.preview:
        shown = ", ".join(format_number(x) for x in value.preview)
        first = w["first"].format(shown=len(value.preview), total=value.numel)
        body = f"{first}: [{shown}, …]"
    else:
        body = ""
    lines = [head, body, _summary(value.stats, w) if value.numel > 1 else ""]
    return _shortened("\n".join(line for line in lines if line), max_chars)
