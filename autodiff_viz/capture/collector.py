"""Capture and Python's cyclic garbage collector: fewer collections while it works.

Recording keeps a few small objects per op, and building a Graph makes
hundreds of thousands of lists, numbers and dataclasses; none of them holds a
cycle, yet at the default thresholds they set off collections that each walk
every young object (and now and then every object of the process, torch's
heap included). :func:`young_generation` spaces the collections out while a
program records; :func:`collector_paused` stops them while capture builds.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations between two collections of the youngest generation while recording.
YOUNG_GENERATION = 50_000


@contextmanager
def young_generation(threshold: int = YOUNG_GENERATION) -> Iterator[None]:
    """Collect the youngest generation at most every ``threshold`` allocations meanwhile.

    At Python's default (700) the records' objects set off collections that cost
    a third of the recording time. Cycles are still collected; the previous
    thresholds come back on exit.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(threshold, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection meanwhile: for capture's own work, which makes no cycle."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
