"""Figures of the worker pool: start time, memory, round trip, 40 callers at once, restart.

Run from the repository root: ``python benchmarks/bench_pool.py``. Prints one
line per figure. Timings on a shared machine are noisy; read them as orders
of magnitude.
"""

from __future__ import annotations

import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autodiff_viz.sandbox.limits import MIB, rss_bytes
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import QUIET_SECONDS, WorkerPool
from autodiff_viz.sandbox.worker import WorkerProcess

TYPICAL_PROGRAM = """\
import torch
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2 + 3 * x).sum()
y.backward()
print(x.grad)
"""


def percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1]


def worker_start(runs: int = 3) -> None:
    times, rss = [], []
    for _ in range(runs):
        started = time.perf_counter()
        worker = WorkerProcess()
        worker.receive(time.monotonic() + 60)
        times.append(time.perf_counter() - started)
        rss.append((rss_bytes(worker.pid) or 0) / MIB)
        worker.stop()
    print(f"worker start (torch import to ready): median {statistics.median(times):.2f} s")
    print(f"worker RSS idle: {statistics.median(rss):.0f} MB")


def round_trips(pool: WorkerPool, count: int = 500) -> None:
    samples = []
    for i in range(count):
        started = time.perf_counter()
        reply = pool.run_job("echo", {"i": i, "text": "梯度"})
        samples.append((time.perf_counter() - started) * 1000)
        assert reply["ok"]
    print(
        f"echo round trip: p50 {percentile(samples, 50):.2f} ms, "
        f"p95 {percentile(samples, 95):.2f} ms ({count} calls)"
    )


def concurrent(pool: WorkerPool, callers: int = 40) -> None:
    places = [0]

    def call(i: int) -> None:
        reply = pool.run_job("echo", {"i": i}, on_wait=places.append)
        assert reply == {"ok": True, "result": {"i": i}}

    threads = [threading.Thread(target=call, args=(i,)) for i in range(callers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - started) * 1000
    print(
        f"{callers} concurrent echo jobs: {wall:.0f} ms wall, all answered, "
        f"deepest queue place {max(places)}"
    )


def restart_after_crash(pool: WorkerPool) -> None:
    before = pool.status().restarts
    reply = pool.run_job("crash", {"how": "torch"})
    started = time.perf_counter()
    assert pool.wait_ready(60)
    print(
        f"restart after a segfault: {time.perf_counter() - started:.2f} s until the pool "
        f"is full again, of which {QUIET_SECONDS:g} s waiting for no job to start "
        f"({reply['error']['message']}; restarts {before} -> {pool.status().restarts})"
    )


def typical_run(pool: WorkerPool) -> None:
    result = pool.run_program(TYPICAL_PROGRAM, RunOptions())
    if result.error is not None:
        print(f"typical run: not available ({result.error.message})")
        return
    samples = []
    for _ in range(50):
        started = time.perf_counter()
        pool.run_program(TYPICAL_PROGRAM, RunOptions())
        samples.append((time.perf_counter() - started) * 1000)
    rss = max(rss_bytes(pid) or 0 for pid in pool.worker_pids()) / MIB
    print(f"typical run through the pool: median {statistics.median(samples):.1f} ms")
    print(f"worker RSS after typical runs: {rss:.0f} MB")


def main() -> None:
    worker_start()
    with WorkerPool(2) as pool:
        assert pool.wait_ready(60)
        round_trips(pool)
        concurrent(pool)
        restart_after_crash(pool)
        typical_run(pool)
        print(f"server process imported torch: {'torch' in sys.modules}")


if __name__ == "__main__":
    main()
