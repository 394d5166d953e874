"""Server memory under the bulky share link: one link visited by many, and many different links.

Run from the repository root (loopback only; stops by itself)::

    python -m benchmarks.bench_memory                  # 30 visits (10 at a time), 200 links
    python -m benchmarks.bench_memory --same 30 --different 0

The bulky link (``tests.support.crowd.BULKY``: 41 names of one 10,000-element tensor) once made
a 4.6 MB result that every session decoded and kept: 30 visits took a server from 342 MB to
2,997 MB. Prints the Streamlit server's RSS (workers apart: they are limited and recycled on
their own) before, after the visits to one link, and after visits to as many different links,
beside the configured cache budget (``AUTODIFF_VIZ_CACHE_MB``).
"""

from __future__ import annotations

import argparse
import gc
import time

from autodiff_viz.cache import BUDGET_BYTES
from tests.support.crowd import bulky_link, waves
from tests.support.procs import MIB, ROOT, rss, serve


def settled_rss(pid: int, seconds: float = 2.0) -> int:
    """The server's RSS once its last runs have finished (sessions close, collections run)."""
    time.sleep(seconds)
    return rss(pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--same", type=int, default=30, help="visits to the one bulky link")
    parser.add_argument("--different", type=int, default=200, help="visits to different links")
    parser.add_argument("--at-once", type=int, default=10)
    options = parser.parse_args()
    with serve(ROOT / "app.py") as server:
        warm = waves(server.url, ["/?lang=en"], 1)  # the first visit starts the workers
        assert warm[0].error is None, warm[0].error
        before = settled_rss(server.pid)
        print(
            f"server RSS before: {before / MIB:.0f} MB (cache budget {BUDGET_BYTES / MIB:.0f} MB)"
        )
        if options.same:
            started = time.perf_counter()
            visits = waves(server.url, [bulky_link()] * options.same, options.at_once)
            after = settled_rss(server.pid)
            failed = [v.error for v in visits if v.error]
            print(
                f"{options.same} visits to one bulky link ({options.at_once} at a time): "
                f"{after / MIB:.0f} MB, +{(after - before) / MIB:.0f} MB, "
                f"{len(failed)} failed, {time.perf_counter() - started:.0f} s"
            )
        if options.different:
            started = time.perf_counter()
            links = [bulky_link(k) for k in range(options.different)]
            visits = waves(server.url, links, options.at_once)
            after = settled_rss(server.pid)
            failed = [v.error for v in visits if v.error]
            print(
                f"{options.different} visits to different bulky links: {after / MIB:.0f} MB, "
                f"+{(after - before) / MIB:.0f} MB over the start (budget "
                f"{BUDGET_BYTES / MIB:.0f} MB), {len(failed)} failed, "
                f"{time.perf_counter() - started:.0f} s"
            )
    gc.collect()


if __name__ == "__main__":
    main()
