"""The workers' queue: short jobs before jobs known to run long, which never hold every worker."""

from __future__ import annotations

import threading
import time

from autodiff_viz.sandbox.fairness import LONG_CPU_SECONDS, FairQueue
from autodiff_viz.sandbox.pool import WorkerPool
from tests.sandbox.test_pool import wait_until


def ran(queue: FairQueue, marks: list[str], cpu: float) -> None:
    """A job of ``marks`` that came, was served and used ``cpu`` seconds."""
    ticket = queue.join(marks)
    queue.leave(ticket)
    queue.ran(ticket, cpu)


def test_first_come_first_served_among_jobs_not_known_to_be_long() -> None:
    queue = FairQueue(size=2)
    first, second = queue.join(["a"]), queue.join(["b"])
    assert (queue.place(first), queue.place(second)) == (1, 2)
    assert not queue.may_take(second, idle=2)  # behind the first, even with a worker free
    assert queue.may_take(first, idle=1) and not queue.may_take(first, idle=0)


def test_a_session_or_program_that_ran_long_waits_behind_the_others() -> None:
    queue = FairQueue(size=2)
    ran(queue, ["session:1", "program:x"], LONG_CPU_SECONDS + 0.5)
    long_one = queue.join(["session:1", "program:y"])  # a new program, from the same tab
    same_program = queue.join(["session:2", "program:x"])  # the same program, another tab
    short = queue.join(["session:3", "program:z"])
    assert (long_one.level, same_program.level, short.level) == (1, 1, 0)
    assert queue.place(short) == 1 and queue.may_take(short, idle=1)
    queue.leave(short)
    queue.ran(short, 0.05)
    assert queue.may_take(long_one, idle=2)
    queue.leave(long_one)
    queue.long_running += 1
    # One worker stays for everybody else: the second long job waits though one is idle.
    assert not queue.may_take(same_program, idle=1)
    queue.long_running -= 1
    assert queue.may_take(same_program, idle=1)


def test_a_short_run_clears_the_mark() -> None:
    queue = FairQueue(size=2)
    ran(queue, ["session:1"], 5.0)
    ran(queue, ["session:1"], 0.01)  # the student fixed the loop
    assert queue.join(["session:1"]).level == 0


def test_four_long_programs_leave_a_worker_for_a_short_one() -> None:
    with WorkerPool(2, warm_up=False) as pool:
        assert pool.wait_ready(60)
        # Four tabs whose programs ran long before (as the CPU the workers used says).
        marking = [
            threading.Thread(
                target=pool.run_job, args=("spin", {"cpu": 1.2}), kwargs={"marks": [tab]}
            )
            for tab in ("a", "b")
        ]
        for thread in marking:
            thread.start()
        for thread in marking:
            thread.join()
        long_runs = [
            threading.Thread(
                target=pool.run_job, args=("spin", {"cpu": 3.0}), kwargs={"marks": [tab]}
            )
            for tab in ("a", "b", "a", "b")
        ]
        for thread in long_runs:
            thread.start()
        assert wait_until(lambda: pool.status().waiting == 3, timeout=10)
        assert pool.status().busy == 1  # the long ones run one at a time
        started = time.monotonic()
        assert pool.run_job("echo", {"x": 1}, marks=["c"]) == {"ok": True, "result": {"x": 1}}
        assert time.monotonic() - started < 2.0
        assert pool.status().busy == 1
    for thread in long_runs:
        thread.join(10)
