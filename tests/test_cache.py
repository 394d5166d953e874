"""The server's one cache: a byte budget with least-recently-used eviction, and single flight."""

from __future__ import annotations

import gc
import json
import threading
import time
import tracemalloc
import weakref

from autodiff_viz.cache import Cache, Identity, approx_bytes
from tests.support.crowd import together


def test_the_byte_budget_evicts_least_recently_used() -> None:
    cache: Cache[bytes] = Cache(max_bytes=100)
    cache.put("a", b"x" * 40, 40)
    cache.put("b", b"x" * 40, 40)
    assert cache.get("a") is not None  # a is now the most recent
    cache.put("c", b"x" * 40, 40)
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
    assert cache.stats().bytes == 80 and cache.stats().evicted == 1
    cache.put("huge", b"x" * 500, 500)  # larger than the whole cache: not kept
    assert cache.get("huge") is None
    assert cache.stats().bytes == 80


def test_the_entry_count_is_bounded_too() -> None:
    cache: Cache[int] = Cache(max_bytes=10**9, max_entries=3)
    for k in range(10):
        cache.put(k, k, 1)
    assert len(cache) == 3 and [cache.get(k) for k in (7, 8, 9)] == [7, 8, 9]


def test_a_value_too_big_to_keep_still_reaches_its_callers() -> None:
    cache: Cache[str] = Cache(max_bytes=10)
    assert cache.get_or_compute("k", lambda: ("a long text", 11)) == "a long text"
    assert len(cache) == 0


def test_callers_asking_at_once_share_one_computation() -> None:
    cache: Cache[str] = Cache(max_bytes=1000)
    calls: list[int] = []

    def compute() -> tuple[str, int]:
        calls.append(1)
        time.sleep(0.2)  # long enough for every caller to arrive while it runs
        return "graph", 5

    values = together(20, lambda: cache.get_or_compute("t0_scalar", compute))
    assert values == ["graph"] * 20
    assert len(calls) == 1
    stats = cache.stats()
    assert stats.shared + stats.hits == 19 and stats.misses == 1
    assert cache.get_or_compute("t0_scalar", compute) == "graph"
    assert len(calls) == 1


def test_a_value_not_kept_is_shared_at_once_but_asked_again_later() -> None:
    cache: Cache[str] = Cache(max_bytes=1000)
    calls: list[int] = []

    def compute() -> tuple[str, int]:
        calls.append(1)
        time.sleep(0.2)
        return "worker died", 11

    values = together(10, lambda: cache.get_or_compute("bomb", compute, keep=lambda _: False))
    assert values == ["worker died"] * 10
    assert len(calls) == 1  # one endless loop burns one worker, not ten
    assert len(cache) == 0
    cache.get_or_compute("bomb", compute, keep=lambda _: False)
    assert len(calls) == 2


def test_when_the_computing_caller_fails_a_waiting_one_computes() -> None:
    cache: Cache[str] = Cache(max_bytes=1000)
    calls: list[int] = []
    first_started = threading.Event()

    def compute() -> tuple[str, int]:
        calls.append(1)
        if len(calls) == 1:
            first_started.set()
            time.sleep(0.2)
            raise RuntimeError("the session was stopped mid-run")
        return "value", 5

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


def _decoded_bytes(text: str) -> tuple[object, int]:
    """``json.loads(text)`` and the bytes it allocated (traced by the interpreter itself)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        data = json.loads(text)
        return data, tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()


def test_approx_bytes_is_what_a_decoded_reply_really_holds() -> None:
    nested = json.dumps({"data": [[[0.5 + k]] for k in range(10_000)], "name": "z" * 1000})
    flags = json.dumps([{"value": {"data": [True, False] * 500, "shape": [1000]}}] * 20)
    for text in (nested, flags):
        data, traced = _decoded_bytes(text)
        assert 0.8 * traced < approx_bytes(data) < 1.25 * traced


class _Source:
    """A stand-in for a graph: any object that can be weakly referenced."""


def test_identity_keys_stand_for_one_live_object_and_never_keep_it_alive() -> None:
    cache: Cache[str] = Cache(max_bytes=1000, max_entries=2)
    first, second = _Source(), _Source()
    assert cache.get_or_compute((Identity(first), "full"), lambda: ("a", 1)) == "a"
    assert cache.get_or_compute((Identity(first), "full"), lambda: ("b", 1)) == "a"
    assert cache.get_or_compute((Identity(second), "full"), lambda: ("c", 1)) == "c"
    alive = weakref.ref(first)
    del first
    gc.collect()
    assert alive() is None  # the cache held no strong reference
    # Whatever object now has the dead one's id, the dead one's entry is never returned.
    assert all(cache.get((Identity(_Source()), "full")) is None for _ in range(50))
