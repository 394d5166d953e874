"""Figures of the worker pool: a worker started or forked, round trip, 40 callers, restart.

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

from autodiff_viz.sandbox.limits import DEFAULT_ADDRESS_SPACE_MB, MIB, rss_bytes
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import WorkerPool
from autodiff_viz.sandbox.replies import reply_error
from autodiff_viz.sandbox.worker import WorkerProcess, encode_frame, fork_server
from tests.support.procs import cpu_seconds, parent_of, pss

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
    """A worker started from scratch against one forked from a warm fork server: time until
    ready and through a first job, CPU (the fork server's share included), PSS."""
    forks = fork_server(DEFAULT_ADDRESS_SPACE_MB, warm_up=True)
    first = WorkerProcess(forked=forks.fork(60))  # starts the fork server
    first.receive(time.monotonic() + 60)
    parent = parent_of(first.pid)
    for kind in ("started", "forked"):
        times, cpu, memory = [], [], []
        for _ in range(runs):
            parent_cpu = cpu_seconds(parent)
            started = time.perf_counter()
            worker = WorkerProcess(forked=forks.fork(60) if kind == "forked" else None)
            worker.receive(time.monotonic() + 60)
            worker.send(encode_frame({"job": "run", "args": {"source": TYPICAL_PROGRAM}}))
            worker.receive(time.monotonic() + 60)
            times.append(time.perf_counter() - started)
            spent = cpu_seconds(worker.pid)
            cpu.append(spent + (cpu_seconds(parent) - parent_cpu if kind == "forked" else 0))
            memory.append(pss(worker.pid) / MIB)
            worker.stop()
        print(
            f"worker {kind}: ready and through a first run in "
            f"{statistics.median(times) * 1000:.0f} ms, {statistics.median(cpu):.2f} s of CPU, "
            f"PSS {statistics.median(memory):.0f} MB (median of {runs})"
        )
    first.stop()
    forks.close()


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
        f"restart after a segfault: {(time.perf_counter() - started) * 1000:.0f} ms until the "
        f"pool is full again ({reply_error(reply['error']).text('en')}; restarts {before} -> "
        f"{pool.status().restarts})"
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
