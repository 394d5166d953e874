"""A small, thread-safe cache of finished runs, keyed by what was asked.

Forty students opening the same link ask for the same program with the same
options at the same moment: the first caller computes (a "single flight"),
the others wait for its value instead of queueing forty identical runs for
the workers, and later callers read the stored result (pure JSON text, never
tensors). Bounded by entry count and total characters; least recently used
goes first.

:class:`DerivedCache` keeps what was made from one live object (the drawings of a graph all
sessions of a link share) without keeping that object alive.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable


class _Flight:
    """One computation in progress; its waiters read ``value`` once ``done`` is set."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: str | None = None  # None: the computing caller gave up (raised)


class ResultCache:
    """``get_or_compute(key, compute)``: compute once per key, keep the newest entries."""

    def __init__(self, max_entries: int = 256, max_chars: int = 64_000_000) -> None:
        self.max_entries = max_entries
        self.max_chars = max_chars
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._flights: dict[str, _Flight] = {}
        self._chars = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.shared = 0  # callers served by another caller's computation

    def get(self, key: str) -> str | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            return value

    def put(self, key: str, value: str) -> None:
        if len(value) > self.max_chars:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._chars -= len(old) if old is not None else 0
            self._entries[key] = value
            self._chars += len(value)
            while len(self._entries) > self.max_entries or self._chars > self.max_chars:
                _, dropped = self._entries.popitem(last=False)
                self._chars -= len(dropped)

    def get_or_compute(
        self, key: str, compute: Callable[[], str], *, keep: Callable[[str], bool] = bool
    ) -> str:
        """The cached value, or ``compute()``'s (stored when ``keep`` accepts it).

        Callers that ask for a key while another computes it get that caller's
        value, kept or not: the same question asked at the same moment gets the
        same answer, and a program that exhausts a worker does so once, not once
        per student. If the computing caller raises, a waiting caller computes.
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
                    self.misses += 1
            if leading:
                return self._lead(key, flight, compute, keep)
            flight.done.wait()
            if flight.value is not None:
                with self._lock:
                    self.shared += 1
                return flight.value

    def _lead(
        self, key: str, flight: _Flight, compute: Callable[[], str], keep: Callable[[str], bool]
    ) -> str:
        try:
            value = compute()
            if keep(value):
                self.put(key, value)
            flight.value = value
            return value
        finally:
            with self._lock:
                del self._flights[key]
            flight.done.set()

    def __len__(self) -> int:
        return len(self._entries)


class DerivedCache:
    """``get(source, args, make)``: ``make()``'s text, kept for this very ``source`` object.

    Keyed by the source's identity, not its value (hashing a graph of thousands of nodes would
    cost more than drawing it), and holding only a weak reference to it: an entry of a source
    that died is never returned, even if a new object gets its id. At most ``max_entries``,
    least recently used goes first.
    """

    def __init__(self, max_entries: int = 128) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple[int, Hashable], tuple[weakref.ref[object], str]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def get(self, source: object, args: Hashable, make: Callable[[], str]) -> str:
        key = (id(source), args)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0]() is source:
                self._entries.move_to_end(key)
                return entry[1]
        value = make()
        with self._lock:
            self._entries[key] = (weakref.ref(source), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)
