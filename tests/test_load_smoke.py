"""Many sessions at once: the result cache's single flight, and a small crowd on the real app.

The full classroom figures (40 sessions against a bare app) come from
``python -m benchmarks.load_test``; here five protocol-level sessions open one
share link of the real server at the same instant and must all get the graph,
while the server process never loads PyTorch.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest

from autodiff_viz.cache import DerivedCache, ResultCache
from autodiff_viz.explorer.data import share_query
from autodiff_viz.result import RunResult
from autodiff_viz.sandbox.worker import WORKER_NICE
from autodiff_viz.ui import runs
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


class _Source:
    """A stand-in for a graph: any object that can be weakly referenced."""


def test_derived_values_are_made_once_per_object_and_never_keep_it_alive() -> None:
    cache = DerivedCache(max_entries=2)
    made: list[str] = []

    def make(text: str) -> Callable[[], str]:
        return lambda: made.append(text) or text

    first, second = _Source(), _Source()
    assert cache.get(first, ("full", 0), make("a")) == "a"
    assert cache.get(first, ("full", 0), make("b")) == "a"  # same object, same picture
    assert cache.get(second, ("full", 0), make("c")) == "c"  # an equal-looking other object
    assert made == ["a", "c"]
    alive = weakref.ref(first)
    del first
    gc.collect()
    assert alive() is None  # the cache held no strong reference
    # Whatever object now has the dead one's id, the dead one's entry is never returned.
    assert all(cache.get(_Source(), ("full", 0), make("d")) == "d" for _ in range(50))
    assert len(cache) <= 2


def test_sessions_reading_one_cached_text_share_one_parsed_run() -> None:
    text = RunResult(stdout="hi").to_json()
    one = runs._shared(text, RunResult.from_json, decode=False)
    assert runs._shared(text, RunResult.from_json, decode=False) is one
    big = RunResult(stdout="x" * runs.SHARED_CHARS).to_json()
    assert runs._shared(big, RunResult.from_json, decode=False) is not runs._shared(
        big, RunResult.from_json, decode=False
    )  # a large run is not kept beyond its sessions


def _maps_torch(pid: int) -> bool:
    return "libtorch" in Path(f"/proc/{pid}/maps").read_text()


def _nice(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


@pytest.mark.slow
def test_five_sessions_open_one_share_link_at_once() -> None:
    link = "/" + share_query(example="t0_scalar", lang="en")
    with serve(ROOT / "app.py") as server, TreeSampler(server.pid) as sampler:
        visits = _together(5, lambda: visit(server.url, link, timeout=45))
        assert [v.error for v in visits] == [None] * 5
        assert all(v.ok and v.graph_s is not None for v in visits)
        # The crowd ran PyTorch in the workers; the server itself never loaded it.
        assert sampler.workers_seen
        workers = [pid for pid in descendants(server.pid) if _maps_torch(pid)]
        assert workers
        assert not _maps_torch(server.pid)
        # Every session waits on the server: the workers yield the CPU to it.
        assert _nice(server.pid) == 0
        assert {_nice(pid) for pid in workers} == {WORKER_NICE}
