"""A small, thread-safe cache of finished runs, keyed by what was asked.

Forty students opening the same link ask for the same program with the same
options: the first run's result (pure JSON text, never tensors) serves them all.
Bounded by entry count and total characters; least recently used goes first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable


class ResultCache:
    """``get_or_compute(key, compute)``: compute once per key, keep the newest entries."""

    def __init__(self, max_entries: int = 256, max_chars: int = 64_000_000) -> None:
        self.max_entries = max_entries
        self.max_chars = max_chars
        self._entries: OrderedDict[str, str] = OrderedDict()
        self._chars = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

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
        """The cached value, or ``compute()``'s (stored when ``keep`` accepts it)."""
        cached = self.get(key)
        if cached is not None:
            return cached
        with self._lock:
            self.misses += 1
        value = compute()
        if keep(value):
            self.put(key, value)
        return value

    def __len__(self) -> int:
        return len(self._entries)
