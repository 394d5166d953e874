"""A run's result is bounded in the worker: tensor elements in full, then previews, and bytes."""

from __future__ import annotations

import json
import math

import torch

from autodiff_viz.cache import approx_bytes
from autodiff_viz.result import RunResult
from autodiff_viz.sandbox.bounds import FULL_BYTES, result_payload
from autodiff_viz.sandbox.execute import execute

#: The red team's link: 41 names for one tensor of 10,000 elements (a 4.6 MB result before).
BULKY = "z = torch.zeros(10000, 1, 1, dtype=torch.bool)\n" + "".join(
    f"a{k} = z\n" for k in range(40)
)


def _sent(source: str, **budgets: int) -> RunResult:
    """What the server reads of ``source``'s run: the payload through JSON, as the frame goes."""
    return RunResult.from_dict(json.loads(json.dumps(result_payload(execute(source), **budgets))))


def test_the_bulky_link_sends_the_first_values_in_full_and_previews_of_the_rest() -> None:
    result = _sent(BULKY)
    assert result.error is None
    assert [v.name for v in result.variables] == ["z", *(f"a{k}" for k in range(40))]
    full = [v for v in result.variables if v.value and v.value.data is not None]
    cut = [v for v in result.variables if v.value and v.value.data is None]
    one = approx_bytes(torch.zeros(10000, 1, 1, dtype=torch.bool).tolist())  # 20,001 lists
    assert len(full) == FULL_BYTES // one and full[0].name == "z"
    assert result.values_truncated == len(cut) == 41 - len(full)
    payload = json.loads(json.dumps(result_payload(execute(BULKY))))
    sent = [v["value"]["data"] for v in payload["variables"] if v["value"]["data"] is not None]
    assert sum(approx_bytes(data) for data in sent) <= FULL_BYTES  # as decoded from the frame
    for var in cut:  # still a tensor the student can read about: shape, dtype, first elements
        assert var.value is not None
        assert var.value.shape == (10000, 1, 1) and var.value.dtype == "bool"
        assert list(var.value.preview) == [False] * 16
    assert len(json.dumps(result_payload(execute(BULKY)))) < 1_500_000  # was 4.6 MB


def test_a_cut_floating_value_keeps_its_statistics() -> None:
    source = "x = torch.arange(50.0)\ny = x * 2\nw = torch.tensor([float('nan'), 1.0, 3.0])"
    result = _sent(source, full_bytes=60 * 40)
    x, y, w = (result.variable(name).value for name in ("x", "y", "w"))
    assert x is not None and x.data == torch.arange(50.0).tolist()
    assert y is not None and y.data is None and result.values_truncated == 2
    assert y.preview == tuple(float(2 * k) for k in range(16))
    assert y.stats is not None and (y.stats.min, y.stats.mean, y.stats.max) == (0.0, 49.0, 98.0)
    assert w is not None and w.data is None and w.stats is not None
    assert w.stats.nan == 1 and (w.stats.min, w.stats.max) == (1.0, 3.0)
    assert math.isnan(w.preview[0])


def test_a_result_under_its_budgets_arrives_unchanged() -> None:
    source = "x = torch.tensor([1.0, 2.0], requires_grad=True)\ny = (x ** 2).sum()\ny.backward()"
    run = execute(source)
    sent = RunResult.from_dict(json.loads(json.dumps(result_payload(run))))
    assert sent == run and sent.values_truncated == 0


def test_past_the_byte_budget_later_graphs_are_dropped() -> None:
    source = "\n".join(
        ["x = torch.ones(200, requires_grad=True)"]
        + [f"y{k} = (x * {k + 1}).sum()\ny{k}.backward()" for k in range(6)]
    )
    whole = json.dumps(result_payload(execute(source)))
    result = _sent(source, max_bytes=len(whole) // 2)
    assert 1 <= len(result.graphs) < 6
    assert result.graphs_dropped == 6 - len(result.graphs)
    assert len(result.graph_lines) == len(result.graphs)
