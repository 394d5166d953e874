"""Numbers for reading: significant digits, rows, summaries, nan/inf, dtypes."""

from __future__ import annotations

import math

import pytest

from autodiff_viz.graph import Stats, TensorValue
from autodiff_viz.render.formatting import format_full, format_number, format_value, value_lines
from tests.support.graphs import tv


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (1.0, "1.0"),
        (-2.0, "-2.0"),
        (3.14159265, "3.142"),
        (1234567.0, "1.235e+06"),
        (0.000123456, "0.0001235"),
        (-0.0, "-0.0"),
        (7, "7"),
        (True, "True"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_format_number(x: float, text: str) -> None:
    assert format_number(x) == text


def test_scalars_and_small_tensors_show_rows() -> None:
    assert format_value(tv(2.5)) == "2.5"
    assert format_value(tv([1.0, 2.0, 3.0])) == "[1.0, 2.0, 3.0]"
    assert format_value(tv([[1.0, 2.0], [3.0, 4.0]])) == "[[1.0, 2.0], [3.0, 4.0]]"
    assert format_value(None) == "—"


def test_dtype_is_shown_unless_float32() -> None:
    assert format_value(tv([1, 2, 3], "torch.int64")) == "[1, 2, 3] int64"
    assert format_value(tv(1.5, "float64")) == "1.5 float64"
    assert format_value(tv([True, False], "bool")) == "[True, False] bool"


def test_python_numbers_are_labelled_as_python_numbers() -> None:
    # Capture gives the 2 of ``2 * x`` its Python type (capture.tensors.number_value).
    assert format_value(tv(2, "int")) == "2 (Python int)"
    assert format_value(tv(1.0, "float")) == "1.0 (Python float)"
    assert value_lines(tv(2, "int")) == ["2 (Python int)"]
    assert format_full(tv(2, "int")).startswith("shape []  dtype Python int")
    assert format_value(tv(2, "int64")) == "2 int64"  # a real int64 tensor stays one


def test_minus_zero_reads_zero_in_labels_and_keeps_its_sign_in_full() -> None:
    assert format_value(tv(-0.0)) == "0.0"
    assert format_value(tv([[-0.0, 1.0]])) == "[[0.0, 1.0]]"
    assert value_lines(tv([-0.0, -2.0])) == ["[0.0, -2.0]"]
    assert "-0.0" in format_full(tv(-0.0))  # the inspector shows the exact value


def test_nan_and_inf_stay_visible() -> None:
    assert format_value(tv([1.0, math.nan, -math.inf])) == "[1.0, nan, -inf]"
    big = tv([float(i) for i in range(50)] + [math.nan, math.inf])
    assert format_value(big, max_chars=60) == "shape [52] min 0.0 mean 24.5 max 49.0 1 nan 1 inf"


def test_large_tensors_become_shape_and_summary_within_the_limit() -> None:
    value = TensorValue(
        shape=(1000, 1000), dtype="float32", preview=(0.5, 0.25), stats=Stats(-1.0, 0.0, 1.0)
    )
    assert format_value(value, max_chars=60) == "shape [1000, 1000] min -1.0 mean 0.0 max 1.0"
    assert format_value(value, max_chars=30) == "[1000, 1000] min -1.0 max 1.0"
    assert format_value(value, max_chars=28) == "shape [1000, 1000]"  # never the mean alone
    assert len(format_value(value, max_chars=10)) <= 10
    rows = tv([[0.001 * i for i in range(4)] for _ in range(4)])
    assert format_value(rows, max_chars=24) == "[4, 4] min 0.0 max 0.003"


def test_format_full_lists_every_element_on_rows() -> None:
    text = format_full(tv([[1.0, 2.0], [3.0, 4.0]], "float64"))
    assert text.splitlines() == [
        "shape [2, 2]  dtype float64",
        "[[1.0, 2.0],",
        " [3.0, 4.0]]",
        "min 1.0 mean 2.5 max 4.0",
    ]
    partial = TensorValue(shape=(3000,), dtype="float32", preview=(1.0, 2.0), stats=Stats(0, 1, 2))
    assert "first 2 of 3000: [1.0, 2.0, …]" in format_full(partial)
    assert len(format_full(tv([float(i) for i in range(5000)]), max_chars=300)) == 300


def test_node_lines_show_small_tensors_in_full() -> None:
    assert value_lines(tv(2.5)) == ["2.5"]
    assert value_lines(tv([[1.0, 2.0], [3.0, 4.0]])) == ["[[1.0, 2.0], [3.0, 4.0]]"]
    wide = tv([[1.25, -2.5, 3.75], [4.0, 5.5, -6.25]])  # a row per line: a 2x3 in full
    assert value_lines(wide, max_chars=24) == ["[1.25, -2.5, 3.75]", "[4.0, 5.5, -6.25]"]
    assert value_lines(None) == ["—"]


def test_a_grad_whose_entries_cancel_out_is_not_shown_as_zero() -> None:
    # A cross-entropy logits grad: each row sums to zero, so the mean is ~1e-09, not the story.
    rows = [[0.12, -0.06, -0.06], [-0.1, 0.05, 0.05]] * 4
    lines = value_lines(tv(rows))
    assert lines[0] == "shape [8, 3]"
    assert lines[1] == "min -0.1 max 0.12"
    norm = math.sqrt(sum(x * x for row in rows for x in row))
    assert lines[2] == f"norm {format_number(norm)}"
    assert lines[3].startswith("[0.12, -0.06, -0.06, ") and lines[3].endswith("…]")
    assert all(len(line) <= 28 for line in lines)
    assert not any("mean" in line for line in lines)


def test_node_lines_of_awkward_tensors() -> None:
    empty = TensorValue(shape=(0, 3), dtype="float32", data=[])
    assert value_lines(empty) == ["shape [0, 3]"]
    flags = tv([True, False, True] * 10, "bool")
    assert value_lines(flags) == ["shape [30] bool", "20 True / 30", "[True, False, True, True, …]"]
    ints = tv(list(range(40)), "torch.int64")
    assert value_lines(ints)[:2] == ["shape [40] int64", "min 0 max 39"]
    bad = tv([1.0, math.nan, math.inf] + [0.0] * 30)
    assert "1 nan · 1 inf" in value_lines(bad)[2]
    partial = TensorValue(
        shape=(1000,), dtype="float32", preview=(0.5, -0.25), stats=Stats(-1, 0, 1)
    )
    assert value_lines(partial) == ["shape [1000]", "min -1 max 1", "[0.5, -0.25, …]"]
