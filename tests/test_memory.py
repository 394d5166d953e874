"""The server's memory under the bulky share link, at protocol level (as the load test visits).

A 271-character program once made a 4.6 MB result that every session decoded again and kept:
30 visits took a server from 342 MB to 2,997 MB. Now the worker bounds the result, the server
reads it once into a shared cache with a byte budget, and sessions keep keys. The full figures
(30 visits, 200 different links) come from ``python -m benchmarks.bench_memory``; here smaller
crowds must stay within the same bounds.
"""

from __future__ import annotations

import time

import pytest

from tests.support.crowd import bulky_link, waves
from tests.support.procs import MIB, ROOT, rss, serve

pytestmark = pytest.mark.slow
#: The cache budget of the server under test, small enough for a handful of links to fill it.
CACHE_MB = 48


def _settled(pid: int) -> int:
    time.sleep(2.0)
    return rss(pid)


def test_the_bulky_link_and_many_different_ones_stay_within_the_budget() -> None:
    env = {"AUTODIFF_VIZ_CACHE_MB": str(CACHE_MB)}
    with serve(ROOT / "app.py", env=env) as server:
        assert all(v.error is None for v in waves(server.url, ["/?lang=en"], 1))
        before = _settled(server.pid)
        same = waves(server.url, [bulky_link()] * 12, at_once=6)
        assert [v.error for v in same] == [None] * 12
        after_same = _settled(server.pid)
        # Before: every visit decoded and kept its own copy (~90 MB a visit).
        assert after_same - before < 100 * MIB, (before / MIB, after_same / MIB)
        different = waves(server.url, [bulky_link(k) for k in range(16)], at_once=4)
        assert [v.error for v in different] == [None] * 16
        after = _settled(server.pid)
        # The cache holds at most its budget; a crowd of four holds its four results meanwhile.
        in_flight = 4 * 10
        assert after - before < (CACHE_MB + in_flight + 40) * MIB, (before / MIB, after / MIB)
