from __future__ import annotations

import math

import pytest
import torch

from autodiff_viz.capture import tensor_value
from autodiff_viz.capture.tensors import tensor_values


def test_scalar_keeps_number_dtype_and_stats() -> None:
    v = tensor_value(torch.tensor(2.5))
    assert (v.shape, v.dtype, v.data) == ((), "float32", 2.5)
    assert v.stats is not None and (v.stats.min, v.stats.mean, v.stats.max) == (2.5, 2.5, 2.5)


def test_requires_grad_tensor_is_detached_and_listed() -> None:
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64, requires_grad=True)
    v = tensor_value(x * 2)
    assert v.dtype == "float64" and v.shape == (2, 2)
    assert v.data == [[2.0, 4.0], [6.0, 8.0]]
    assert v.stats is not None and v.stats.mean == 5.0


def test_large_tensor_gives_preview_and_torch_stats() -> None:
    t = torch.arange(100.0)
    v = tensor_value(t, max_elements=10)
    assert v.data is None and not v.complete
    assert v.preview[:3] == (0.0, 1.0, 2.0)
    assert v.stats is not None and (v.stats.min, v.stats.mean, v.stats.max) == (0.0, 49.5, 99.0)


def test_nan_and_inf_are_counted_not_averaged() -> None:
    for size in (3, 100):  # the Python path and the torch path
        t = torch.tensor([1.0, math.nan, math.inf] + [3.0] * (size - 3))
        v = tensor_value(t, max_elements=10)
        assert v.stats is not None
        assert (v.stats.nan, v.stats.inf, v.stats.min) == (1, 1, 1.0)
        assert v.stats.mean == pytest.approx((1.0 + 3.0 * (size - 3)) / (size - 2))


def test_all_nan_tensor_has_nan_stats() -> None:
    v = tensor_value(torch.full((2,), math.nan))
    assert v.stats is not None and v.stats.nan == 2 and math.isnan(v.stats.mean)


def test_integer_bool_empty_and_noncontiguous() -> None:
    assert tensor_value(torch.tensor([1, 2])).data == [1, 2]
    assert tensor_value(torch.tensor([1, 2])).stats is None
    assert tensor_value(torch.tensor([True, False])).data == [True, False]
    empty = tensor_value(torch.zeros(0, 3))
    assert (empty.shape, empty.data, empty.stats) == ((0, 3), [], None)
    view = torch.arange(6.0).reshape(2, 3).t()
    assert not view.is_contiguous()
    assert tensor_value(view).data == [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]


def test_bulk_conversion_gives_what_one_by_one_gives() -> None:
    torch.manual_seed(0)
    special = torch.tensor([1.0, float("nan"), float("inf"), -0.0, 0.0, -float("inf")])
    tensors = [
        *(torch.randn(()) for _ in range(5)),
        torch.tensor(-0.0),
        torch.tensor(float("nan")),
        *(torch.randn(3, 4) for _ in range(4)),  # small: stats in Python
        torch.tensor([[0.0, -0.0], [-0.0, 0.0]]),
        torch.tensor([[-0.0, 0.0], [0.0, -0.0]]),
        special,
        special.flip(0),
        *(torch.randn(10, 20) * 1e3 for _ in range(3)),  # larger
        torch.cat([torch.randn(199), special[1:2]]).reshape(10, 20),
        torch.randn(7, dtype=torch.float64),
        torch.randn(7, dtype=torch.float64),
        torch.randn(7, requires_grad=True) * 2,  # a tensor of a graph
        torch.arange(6).reshape(2, 3),  # integers, complex, empty, too large: one by one
        torch.arange(6).reshape(2, 3),
        torch.randn(3, dtype=torch.complex64),
        torch.empty(0, 3),
        torch.randn(300),
        torch.randn(300),
    ]
    expected = [tensor_value(t, max_elements=250) for t in tensors]
    # By repr: == does not tell -0.0 from 0.0 and finds two NaNs unequal.
    assert repr(tensor_values(tensors, max_elements=250)) == repr(expected)


def test_floating_data_reads_as_torch_lists_it() -> None:
    torch.manual_seed(0)
    for t in (
        torch.randn(2, 3, 4),
        torch.randn(5, dtype=torch.float64),
        torch.randn(3, 2).to(torch.float16),
        torch.randn(4).to(torch.bfloat16),
        torch.tensor([[-0.0, float("nan")], [float("inf"), 1e-45]]),
    ):
        value = tensor_value(t)
        assert repr(value.data) == repr(t.tolist()), t.dtype
        assert value.dtype == str(t.dtype).removeprefix("torch.")


def test_stats_of_full_data_are_those_of_its_numbers() -> None:
    t = torch.tensor([[1.0, 2.0], [float("nan"), 6.0]], dtype=torch.float64)
    stats = tensor_value(t).stats
    assert stats is not None
    assert (stats.min, stats.mean, stats.max, stats.nan, stats.inf) == (1.0, 3.0, 6.0, 1, 0)


def test_python_numbers_keep_their_python_type() -> None:
    """The 2 of ``2 * x`` is a Python int, not an int64 tensor the student never made."""
    from autodiff_viz.sandbox.execute import execute
    from autodiff_viz.sandbox.options import RunOptions

    source = (
        "import torch\nx = torch.tensor(3.0, requires_grad=True)\ny = 2 * x + 1.5\ny.backward()\n"
    )
    result = execute(source, RunOptions())
    assert result.error is None
    constants = [n.value.dtype for n in result.graphs[-1].nodes if n.kind == "cut" and n.value]
    assert sorted(constants) == ["float", "int"]
