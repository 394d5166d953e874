"""Numbers and tensors as text for people to read.

Used by the graph renderer (short, one-line cells) and by the pages' tables and
node inspector (the full text). Pure functions of :class:`~autodiff_viz.graph.TensorValue`:

* :func:`format_number` — one number: 4 significant digits, ints as ints, ``nan``/``inf`` spelt out.
* :func:`format_value` — a tensor in at most ``max_chars`` characters: scalars as numbers, small
  tensors as rows (``[[1, 2], [3, 4]]``), larger ones as shape plus min / max.
* :func:`value_lines` — the same for a graph node, on a few short lines: small tensors in full
  (a matrix a row per line), larger ones as shape, min / max, norm and first entries. Never a
  mean alone: a cross-entropy grad of mean -1e-09 reads as zero while its entries reach ±0.12.
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

__all__ = [
    "format_dtype",
    "format_full",
    "format_number",
    "format_shape",
    "format_value",
    "value_lines",
]

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


#: The dtypes capture gives a Python number in a tensor slot (the ``2`` of ``2 * x``): its type.
PYTHON_NUMBERS = ("int", "float")


def format_dtype(dtype: str) -> str:
    """``torch.float64`` -> ``float64``; a Python number's ``int`` -> ``Python int``."""
    name = dtype.removeprefix("torch.")
    return f"Python {name}" if name in PYTHON_NUMBERS else name


def format_shape(shape: tuple[int, ...]) -> str:
    """A shape the way ``torch.Size`` lists it: ``[2, 3]``; ``[]`` for a scalar."""
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _rows(data: Data) -> str:
    """A label's numbers, where -0.0 reads 0.0: the full text (:func:`format_full`) keeps the
    sign for the rare case it matters (1 / x), a label need not puzzle a student with it."""
    if isinstance(data, list):
        return "[" + ", ".join(_rows(x) for x in data) + "]"
    if isinstance(data, float) and data == 0:
        return format_number(0.0)
    return format_number(data)


def _summary(stats: Stats | None, w: Mapping[str, str] = _ENGLISH) -> str:
    if stats is None:
        return ""
    parts = [
        f"{w['min']} {format_number(stats.min)}",
        f"{w['mean']} {format_number(stats.mean)}",
        f"{w['max']} {format_number(stats.max)}",
    ]
    if stats.nan:
        parts.append(f"{stats.nan} nan")
    if stats.inf:
        parts.append(f"{stats.inf} inf")
    return " ".join(parts)


def _range(stats: Stats, w: Mapping[str, str] = _ENGLISH, *, integer: bool = False) -> str:
    """``min a max b``; an integer tensor's bounds as ints (its stats are floats)."""
    low, high = (int(stats.min), int(stats.max)) if integer else (stats.min, stats.max)
    return f"{w['min']} {format_number(low)} {w['max']} {format_number(high)}"


def _with_dtype(text: str, value: TensorValue) -> str:
    dtype = format_dtype(value.dtype)
    if value.dtype in PYTHON_NUMBERS:
        return f"{text} ({dtype})"  # "2 (Python int)": PyTorch wraps it, it is no int64 tensor
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
    # Too long for rows: the shape, then as much of the summary as fits. Never the mean alone:
    # it hides a grad whose entries cancel out (min and max do not).
    shape = f"{w['shape']} {format_shape(value.shape)}"
    stats = value.stats
    candidates = [f"{shape} {_summary(stats, w)}"] if stats else []
    if stats:
        candidates.append(f"{shape} {_range(stats, w)}")
        candidates.append(f"{format_shape(value.shape)} {_range(stats, w)}")
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


def _flat(data: Data) -> list[float | int | bool]:
    if isinstance(data, list):
        return [x for row in data for x in _flat(row)]
    return [data]


def _first(numbers: list[float | int | bool], total: int, max_chars: int) -> str:
    """``[a, b, c, …]``: as many leading entries as fit in ``max_chars``."""
    shown: list[str] = []
    for x in numbers:
        text = "[" + ", ".join([*shown, format_number(x)]) + ", …]"
        if len(text) > max_chars and shown:
            break
        shown.append(format_number(x))
    tail = ", …]" if len(shown) < total else "]"
    return "[" + ", ".join(shown) + tail


def _norm(numbers: list[float | int | bool]) -> float | None:
    finite = [float(x) for x in numbers if math.isfinite(float(x))]
    return math.sqrt(sum(x * x for x in finite)) if finite else None


def value_lines(
    value: TensorValue | None,
    *,
    max_chars: int = 28,
    max_rows: int = 4,
    words: Mapping[str, str] | None = None,
) -> list[str]:
    """A tensor on a few lines of at most ``max_chars`` (a node's data or grad cell).

    A scalar or a short vector is one line; a matrix of at most ``max_rows`` short rows shows a
    row per line (a 2x2 in full); anything larger shows its shape, then min / max, the L2 norm
    (with nan / inf counts) and its first entries: enough to see size, sign and scale at once.
    """
    if value is None:
        return [MISSING]
    w = words or _ENGLISH
    if value.numel == 0:  # "[]" would hide which empty shape it is
        return [_with_dtype(f"{w['shape']} {format_shape(value.shape)}", value)]
    data = value.data
    if data is not None:
        rows = _with_dtype(_rows(data), value)
        if len(rows) <= max_chars:
            return [rows]
        if len(value.shape) == 2 and 0 < value.shape[0] <= max_rows:
            lines = [_rows(row) for row in data] if isinstance(data, list) else []
            if lines and all(len(line) <= max_chars for line in lines):
                dtype = format_dtype(value.dtype)
                return lines if dtype == DEFAULT_DTYPE else [*lines, dtype]
    lines = [_with_dtype(f"{w['shape']} {format_shape(value.shape)}", value)]
    numbers = _flat(data) if data is not None else list(value.preview)
    stats = value.stats
    if format_dtype(value.dtype) == "bool":  # min / max / norm of truth values say little
        if data is not None:
            lines.append(f"{sum(bool(x) for x in numbers)} True / {value.numel}")
        stats = None
        data = None
    if stats is not None:
        integer = format_dtype(value.dtype).startswith(("int", "uint"))
        lines.append(_shortened(_range(stats, w, integer=integer), max_chars))
    extra: list[str] = []
    norm = _norm(numbers) if data is not None else None
    if norm is not None:
        extra.append(f"{w['norm']} {format_number(norm)}")
    if stats is not None and stats.nan:
        extra.append(f"{stats.nan} nan")
    if stats is not None and stats.inf:
        extra.append(f"{stats.inf} inf")
    if extra:
        lines.append(_shortened(" · ".join(extra), max_chars))
    if numbers:
        lines.append(_shortened(_first(numbers, value.numel, max_chars), max_chars))
    return lines
