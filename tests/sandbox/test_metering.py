"""The sizing functions behind the budgets, checked against what Python and PyTorch really do."""

from __future__ import annotations

import time
import warnings

import pytest
import torch

from autodiff_viz.sandbox.metering import WarningLog, measure_module, pieces, text_size

VALUES = [
    "",
    "hello",
    "中文字符",
    0,
    -(10**40),
    3.141592653589793,
    1e-300,
    True,
    None,
    [1, 2, 3],
    [[0] * 100] * 30,
    (1.5, "a", [None]),
    {"a": [1, 2], 3: (4.0,)},
    {1, 2, 3},
    {i: str(i) * 3 for i in range(200)},
    torch.ones(3),
    torch.arange(1000.0),
    torch.randn(40, 40, generator=torch.Generator().manual_seed(0)),
    [torch.ones(5)] * 10,
    torch.nn.Linear(3, 2),
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:30] for v in VALUES])
def test_text_size_is_within_a_small_factor_of_the_real_text(value: object) -> None:
    for real in (len(str(value)), len(repr(value))):
        estimate = text_size(value, 10**9)
        assert real / 4 <= estimate <= 4 * real + 120, (estimate, real)


def test_text_size_stops_counting_early() -> None:
    row = [0] * 10**6
    started = time.monotonic()
    assert text_size([row] * 10**6, 10**6) > 10**6
    assert time.monotonic() - started < 2


def test_text_size_counts_a_cycle_as_python_prints_it() -> None:
    a: list[object] = [1]
    a.append(a)
    assert abs(text_size(a, 10**6) - len(repr(a))) <= 5


SPLITS = [
    (torch.unbind, (torch.ones(7, 3),), {}),
    (torch.unbind, (torch.ones(7, 3), 1), {}),
    (torch.Tensor.unbind, (torch.ones(7, 3),), {"dim": -1}),
    (torch.split, (torch.ones(10), 3), {}),
    (torch.Tensor.split, (torch.ones(4, 10), 4, 1), {}),
    (torch.Tensor.split, (torch.ones(10),), {"split_size": 1}),
    (torch.split, (torch.ones(10), [2, 3, 5]), {}),
    (torch.chunk, (torch.ones(10), 3), {}),
    (torch.Tensor.chunk, (torch.ones(2, 9),), {"chunks": 4, "dim": 1}),
]


@pytest.mark.parametrize(("fn", "args", "kwargs"), SPLITS)
def test_pieces_bounds_the_real_number_of_tensors(fn, args, kwargs) -> None:  # type: ignore[no-untyped-def]
    real = len(fn(*args, **kwargs))
    assert real == pieces(fn, args, kwargs) or (
        fn.__name__ == "chunk" and real < pieces(fn, args, kwargs)
    )


def test_pieces_of_other_ops_is_one() -> None:
    assert pieces(torch.Tensor.reshape, (torch.ones(4), 2, 2), {}) == 1


def meta(*shape: int) -> torch.Tensor:
    return torch.ones(shape, device="meta")


def test_module_work_of_linear_is_its_matmul_flops() -> None:
    _, work = measure_module(torch.nn.Linear(300, 200), (meta(50, 300),), {})
    flops = 2 * 50 * 300 * 200
    assert flops <= work <= flops * 1.1


def test_module_work_of_bilinear_is_its_real_work() -> None:
    batch, left, right, out = 20, 30, 40, 5
    module = torch.nn.Bilinear(left, right, out)
    real_out, work = measure_module(module, (meta(batch, left), meta(batch, right)), {})
    assert real_out.shape == (batch, out)
    multiply_adds = batch * left * right * out
    assert 2 * multiply_adds <= work <= 3 * multiply_adds


def test_shared_layers_are_replayed() -> None:
    layer = torch.nn.Linear(10, 10)
    _, work = measure_module(torch.nn.Sequential(layer, layer), (meta(4, 10),), {})
    assert work >= 2 * 2 * 4 * 10 * 10


def test_warning_log_keeps_the_first_distinct_warnings_and_counts_the_rest() -> None:
    log = WarningLog(limit=3)
    with warnings.catch_warnings():
        log.install()
        for i in range(10):
            warnings.warn(f"number {i % 6}", stacklevel=1)
    assert list(log.kept) == ["number 0", "number 1", "number 2"]
    assert log.more == 3


def test_module_work_of_a_loss_counts_what_it_reads() -> None:
    _, work = measure_module(torch.nn.MSELoss(), (meta(1000, 30), meta(1000, 30)), {})
    assert work >= 2 * 1000 * 30  # one scalar out, sixty thousand numbers read
