"""A short program's wait beside four long ones: first come, first served against the fair queue.

Run from the repository root: ``python -m benchmarks.bench_queue`` (``--rounds 10``).

Four "tabs" run long programs again and again (a new comment each time, so no cache helps),
each as one session; a fifth runs a tutorial's three-line program once a round and times it
from asking to answer (what a share link waits for before its graph; the page's own drawing
is the same either way). Three settings, in this order: the short program alone; beside the
four with the queue first come, first served (the jobs carry no marks, as before); beside the
four with the marks the app gives (session and program): their long runs wait behind it and
never hold both workers. Rounds start once every tab has run its program once (a program
nobody ran before is not known to be long). Prints p50/p95/max over the rounds.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable

from autodiff_viz.explorer.examples import EXAMPLES
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import WorkerPool

SHORT = EXAMPLES["t0_scalar"].source
LONG = "s = 0\nfor i in range(400):\n    for j in range(1000):\n        s = s + 1\nprint(s)\n"


def run(pool: WorkerPool, source: str, marks: tuple[str, ...]) -> float:
    started = time.perf_counter()
    reply = pool.run_job("run", {"source": source, "options": RunOptions().to_dict()}, marks=marks)
    assert reply["ok"], reply
    return time.perf_counter() - started


def tabs(
    pool: WorkerPool, fair: bool, stop: threading.Event, done: threading.Semaphore
) -> list[threading.Thread]:
    """Four sessions running long programs until ``stop``; ``done`` counts their first runs."""

    def tab(k: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            source = f"# tab {k}, run {n}\n{LONG}"
            run(pool, source, (f"session:long{k}", f"program:{k}.{n}") if fair else ())
            if n == 1:
                done.release()

    threads = [threading.Thread(target=tab, args=(k,), daemon=True) for k in range(4)]
    for thread in threads:
        thread.start()
    return threads


def rounds(count: int, measure: Callable[[int], float]) -> list[float]:
    samples = []
    for k in range(count):
        time.sleep(0.7)  # arrive at some moment of the long runs, not right after one
        samples.append(measure(k))
    return samples


def report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{name}: p50 {statistics.median(samples):.2f} s, p95 {p95:.2f} s, "
        f"max {max(samples):.2f} s ({len(samples)} rounds)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    options = parser.parse_args()
    with WorkerPool(2) as pool:
        assert pool.wait_ready(120)
        started = time.perf_counter()
        run(pool, LONG, ())
        print(f"one long program alone: {time.perf_counter() - started:.1f} s")

        def short(fair: bool) -> Callable[[int], float]:
            def measure(k: int) -> float:
                marks = ("session:short", f"program:short{k}") if fair else ()
                return run(pool, f"# round {k}\n{SHORT}", marks)

            return measure

        report("short program alone", rounds(options.rounds, short(True)))
        for fair, name in ((False, "first come, first served"), (True, "fair queue")):
            stop, done = threading.Event(), threading.Semaphore(0)
            threads = tabs(pool, fair, stop, done)
            for _ in threads:  # every tab has run once: the queue has seen them run long
                done.acquire()
            report(f"beside 4 long programs, {name}", rounds(options.rounds, short(fair)))
            stop.set()
            for thread in threads:
                thread.join()


if __name__ == "__main__":
    main()
