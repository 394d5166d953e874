"""Many sessions at once: the result cache's single flight, and a small crowd on the real app.

The full classroom figures (40 sessions against a bare app) come from
``python -m benchmarks.load_test``; here five protocol-level sessions open one
share link of the real server at the same instant and must all get the graph,
while the server process never loads PyTorch.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest

from autodiff_viz.explorer import share_query
from autodiff_viz.results_cache import ResultCache
from benchmarks.load.procs import ROOT, TreeSampler, descendants, serve
from benchmarks.load.session import visit

T = TypeVar("T")


def _together(callers: int, call: Callable[[], T]) -> list[T]:
    """Run ``call()`` in ``callers`` threads released at the same instant."""
    start = threading.Barrier(callers)

    def one(_: int) -> T:
        start.wait()
        return call()

    with ThreadPoolExecutor(callers) as pool:
        return list(pool.map(one, range(callers)))


def test_callers_asking_at_once_share_one_computation() -> None:
    cache = ResultCache()
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        time.sleep(0.2)  # long enough for every caller to arrive while it runs
        return "graph"

    values = _together(20, lambda: cache.get_or_compute("t0_scalar", compute))
    assert values == ["graph"] * 20
    assert len(calls) == 1
    assert cache.shared + cache.hits == 19
    assert cache.get_or_compute("t0_scalar", compute) == "graph"
    assert len(calls) == 1


def test_a_value_not_kept_is_shared_at_once_but_asked_again_later() -> None:
    cache = ResultCache()
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        time.sleep(0.2)
        return "worker died"

    values = _together(10, lambda: cache.get_or_compute("bomb", compute, keep=lambda _: False))
    assert values == ["worker died"] * 10
    assert len(calls) == 1  # one endless loop burns one worker, not ten
    assert len(cache) == 0
    cache.get_or_compute("bomb", compute, keep=lambda _: False)
    assert len(calls) == 2


def test_when_the_computing_caller_fails_a_waiting_one_computes() -> None:
    cache = ResultCache()
    calls: list[int] = []
    first_started = threading.Event()

    def compute() -> str:
        calls.append(1)
        if len(calls) == 1:
            first_started.set()
            time.sleep(0.2)
            raise RuntimeError("the session was stopped mid-run")
        return "value"

    errors: list[BaseException] = []

    def leader() -> None:
        try:
            cache.get_or_compute("k", compute)
        except RuntimeError as exc:
            errors.append(exc)

    thread = threading.Thread(target=leader)
    thread.start()
    assert first_started.wait(5)
    assert cache.get_or_compute("k", compute) == "value"
    thread.join(5)
    assert len(errors) == 1
    assert len(calls) == 2
    assert cache.get("k") == "value"


def _maps_torch(pid: int) -> bool:
    return "libtorch" in Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.slow
def test_five_sessions_open_one_share_link_at_once() -> None:
    link = "/" + share_query(example="t0_scalar", lang="en")
    with serve(ROOT / "app.py") as server, TreeSampler(server.pid) as sampler:
        visits = _together(5, lambda: visit(server.url, link, timeout=45))
        assert [v.error for v in visits] == [None] * 5
        assert all(v.ok and v.graph_s is not None for v in visits)
        # The crowd ran PyTorch in the workers; the server itself never loaded it.
        assert sampler.workers_seen
        assert any(_maps_torch(pid) for pid in descendants(server.pid))
        assert not _maps_torch(server.pid)
