"""The server's one kind of cache: byte budgets, least-recently-used eviction, single flight.

Forty students opening the same link ask for the same thing at the same moment: the first
caller computes (a "single flight"), the others wait for its value instead of queueing forty
identical runs for the workers, and later callers read the stored value. Values are shared,
never copied: everything stored here is frozen data nobody changes (a parsed run, a curve, DOT
or SVG text), so a hundred sessions of one link hold one copy between them.

Every entry is stored with what it costs in bytes (its caller knows: the size of the worker's
reply, of the text); a cache drops its least recently used entries as soon as the total passes
its budget, so what a server holds in caches stays under :data:`BUDGET_BYTES` whatever links
its visitors open. The budget is set with ``AUTODIFF_VIZ_CACHE_MB`` and shared among the
server's caches by :func:`share`.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

__all__ = ["BUDGET_BYTES", "Cache", "CacheStats", "Identity", "approx_bytes", "share"]

V = TypeVar("V")
MIB = 1 << 20
#: Bytes all of the server's caches may hold together (default 256 MB: a Community Cloud app
#: has about 2.7 GB, a Streamlit server with the app loaded about 350 MB).
BUDGET_BYTES = int(float(os.environ.get("AUTODIFF_VIZ_CACHE_MB", "256")) * MIB)


def share(fraction: float) -> int:
    """``fraction`` of :data:`BUDGET_BYTES`: each cache of the server takes a fixed share."""
    return int(BUDGET_BYTES * fraction)


_EMPTY_LIST = sys.getsizeof([])


@functools.cache
def _appended_capacity(n: int) -> int:
    """Slots a list of ``n`` items has when built by appending (as the JSON decoder builds it):
    CPython over-allocates as it grows, so a one-item list holds four slots."""
    capacity = 0
    while capacity < n:
        capacity = (capacity + 1 + ((capacity + 1) >> 3) + 6) & ~3
    return capacity


def approx_bytes(data: object) -> int:
    """What ``data`` (decoded JSON: dicts, lists, strings, numbers) holds in this process.

    Lists are counted as the JSON decoder makes them (by appending), whoever made ``data``: a
    worker estimating what the server will hold gets the server's figure.

    The cost of a worker's reply once read: the objects made from it (frozen dataclasses in
    place of dicts, the same lists and numbers) take about as much as the reply itself.
    Keys (one object per name, shared by the decoder), ``True``/``False``/``None`` and small
    ints are shared: only their slot counts.
    """
    total = 0
    stack = [data]
    size = sys.getsizeof
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            total += size(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            total += _EMPTY_LIST + 8 * _appended_capacity(len(item))
            stack.extend(item)
        elif isinstance(item, tuple):
            total += size(item)
            stack.extend(item)
        elif isinstance(item, str | float | bytes) or (
            isinstance(item, int) and not -5 <= item <= 256 and not isinstance(item, bool)
        ):
            total += size(item)
    return total


class Identity:
    """A key part that stands for one live object, by identity, without keeping it alive.

    For what is made from an object too costly to hash by value (a graph of thousands of
    nodes): equal only to an ``Identity`` of the very same object while it lives, so an entry of
    an object that died is never returned, even if a new object gets its ``id``; the cache lets
    such entries go as it evicts.
    """

    __slots__ = ("_hash", "_ref")

    def __init__(self, obj: object) -> None:
        self._ref = weakref.ref(obj)
        self._hash = id(obj)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Identity):
            return NotImplemented
        mine = self._ref()
        return mine is not None and mine is other._ref()


@dataclass(frozen=True)
class CacheStats:
    """What a cache did so far, and what it holds."""

    entries: int
    bytes: int
    hits: int
    misses: int
    shared: int  # callers served by another caller's computation
    evicted: int


class _Flight(Generic[V]):
    """One computation in progress; its waiters read ``value`` once ``done`` is set."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: V | None = None
        self.failed = True  # until the computing caller returns


class Cache(Generic[V]):
    """Values by key, at most ``max_bytes`` of them in total (and ``max_entries``), thread safe.

    ``get_or_compute(key, compute)`` computes once per key: ``compute()`` returns the value and
    its cost in bytes. A value larger than the whole budget is handed to its callers and not
    kept. Keys should be small (a digest, a short tuple): they are held as well.
    """

    def __init__(self, max_bytes: int, max_entries: int = 1024) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._flights: dict[Hashable, _Flight[V]] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self._hits = self._misses = self._shared = self._evicted = 0

    def get(self, key: Hashable) -> V | None:
        """The stored value (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            self._hits += 1
            return entry[0]

    def put(self, key: Hashable, value: V, cost: int) -> None:
        """Store ``value`` at ``cost`` bytes, dropping the least recently used to make room."""
        if cost > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= old[1] if old is not None else 0
            self._entries[key] = (value, cost)
            self._bytes += cost
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= dropped
                self._evicted += 1

    def get_or_compute(
        self,
        key: Hashable,
        compute: Callable[[], tuple[V, int]],
        *,
        keep: Callable[[V], bool] = lambda _: True,
    ) -> V:
        """The stored value, or ``compute()``'s (stored when ``keep`` accepts it).

        Callers that ask for a key while another computes it get that caller's value, kept or
        not: the same question asked at the same moment gets the same answer, and a program
        that exhausts a worker does so once, not once per student. If the computing caller
        raises, one of the waiting callers computes.
        """
        while True:
            cached = self.get(key)
            if cached is not None:
                return cached
            with self._lock:
                flight = self._flights.get(key)
                leading = flight is None
                if flight is None:
                    flight = self._flights[key] = _Flight()
                    self._misses += 1
            if leading:
                return self._lead(key, flight, compute, keep)
            flight.done.wait()
            if not flight.failed:
                with self._lock:
                    self._shared += 1
                return flight.value  # type: ignore[return-value]  # set with failed=False

    def _lead(
        self,
        key: Hashable,
        flight: _Flight[V],
        compute: Callable[[], tuple[V, int]],
        keep: Callable[[V], bool],
    ) -> V:
        try:
            value, cost = compute()
            if keep(value):
                self.put(key, value, cost)
            flight.value, flight.failed = value, False
            return value
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def stats(self) -> CacheStats:
        with self._lock:
            return CacheStats(
                len(self._entries),
                self._bytes,
                self._hits,
                self._misses,
                self._shared,
                self._evicted,
            )

    def __len__(self) -> int:
        return len(self._entries)
