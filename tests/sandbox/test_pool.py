"""The worker pool with real worker processes and real PyTorch: answers, queueing, failures.

One pool serves the module; tests that kill a worker check that the pool
replaces it and keeps answering. Test jobs (echo, sleep, crash, alloc) come
from ``autodiff_viz.sandbox.testjobs``, so nothing here depends on the
interpreter, except the "run" test at the end.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from autodiff_viz.sandbox.options import Budgets, RunOptions
from autodiff_viz.sandbox.pool import WorkerPool, run_program
from autodiff_viz.sandbox.replies import reply_error, result_from_reply
from tests.support.procs import descendants, is_worker, parent_of

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    # Workers skip the warm-up run: they are here for the pool's mechanics (the served app's
    # tests use warm ones).
    with WorkerPool(2, warm_up=False) as pool:
        assert pool.wait_ready(60), "workers did not start"
        yield pool


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def process_gone(pid: int) -> bool:
    """True when ``pid`` has exited and been reaped (no zombie left behind)."""
    return not Path(f"/proc/{pid}").exists()


def test_echo_round_trip(pool: WorkerPool) -> None:
    args = {"text": "梯度 ∂y/∂x", "numbers": [1, 2.5, -3], "nested": {"none": None, "ok": True}}
    assert pool.run_job("echo", args) == {"ok": True, "result": args}


def test_forty_concurrent_jobs_queue_and_all_answer(pool: WorkerPool) -> None:
    places: list[int] = []
    replies: dict[int, dict[str, object]] = {}

    def submit(i: int) -> None:
        # A short busy job keeps both workers occupied, so most callers queue.
        reply = pool.run_job("sleep", {"seconds": 0.02}, on_wait=places.append)
        assert reply["ok"], reply
        replies[i] = pool.run_job("echo", {"i": i})

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "deadlock: callers still waiting"
    assert replies == {i: {"ok": True, "result": {"i": i}} for i in range(40)}
    assert places, "with 40 callers and 2 workers someone must have waited"
    assert max(places) > 2, "queue places are reported"
    assert pool.status().waiting == 0


def test_job_past_its_timeout_is_killed_and_the_pool_recovers(pool: WorkerPool) -> None:
    before = pool.status().restarts
    pids = set(pool.worker_pids())
    started = time.monotonic()
    reply = pool.run_job("sleep", {"seconds": 30}, timeout=0.3)
    assert time.monotonic() - started < 5
    assert reply["ok"] is False
    assert reply["error"]["kind"] == "budget"
    error = reply_error(reply["error"])
    assert error.text("en") == "the program was stopped: it ran longer than 0.3 s"
    assert error.text("zh") == "程序已被停止：运行时间超过 0.3 秒"
    assert pool.status().restarts == before + 1
    assert pool.run_job("echo", {"after": "timeout"})["ok"]
    killed = pids - set(pool.worker_pids())
    assert len(killed) == 1
    assert wait_until(lambda: all(process_gone(pid) for pid in killed))


@pytest.mark.parametrize(("how", "signal_name"), [("torch", "SIGSEGV"), ("abort", "SIGABRT")])
def test_native_crash_is_a_clean_failure(pool: WorkerPool, how: str, signal_name: str) -> None:
    before = pool.status().restarts
    reply = pool.run_job("crash", {"how": how})
    assert reply == {
        "ok": False,
        "error": {
            "kind": "crash",
            "key": "reply.signal",
            "fields": {"signal": signal_name},
            "type": None,
        },
    }
    assert pool.status().restarts == before + 1
    assert pool.run_job("echo", {"after": how}) == {"ok": True, "result": {"after": how}}
    assert pool.wait_ready(30)


@pytest.mark.parametrize("use_torch", [False, True])
def test_memory_bomb_fails_cleanly_and_the_worker_lives(pool: WorkerPool, use_torch: bool) -> None:
    before = pool.status()
    reply = pool.run_job("alloc", {"bytes": 4 * 1024**3, "torch": use_torch})
    assert reply["ok"] is False
    assert reply["error"]["kind"] == "budget"
    assert reply_error(reply["error"]).text("en") == "the program used more memory than allowed"
    assert reply["error"]["type"] == "MemoryError"
    assert pool.status().restarts == before.restarts, "RLIMIT_AS fails the allocation only"
    assert pool.run_job("alloc", {"bytes": 50 * 1024**2, "torch": use_torch})["ok"]


def test_worker_grown_past_the_rss_cap_is_replaced(pool: WorkerPool) -> None:
    before = pool.status().restarts
    cap = pool.max_rss_bytes
    pool.max_rss_bytes = 1  # every worker is "too big" now
    try:
        assert pool.run_job("echo", {"x": 1})["ok"]
    finally:
        pool.max_rss_bytes = cap
    assert pool.status().restarts == before + 1
    assert pool.wait_ready(30)


def test_caller_waiting_too_long_gets_a_busy_reply(pool: WorkerPool) -> None:
    blockers = [
        threading.Thread(target=pool.run_job, args=("sleep", {"seconds": 1.0})) for _ in range(2)
    ]
    for thread in blockers:
        thread.start()
    assert wait_until(lambda: pool.status().busy == 2, timeout=5)
    queue_timeout = pool.queue_timeout
    pool.queue_timeout = 0.2
    try:
        reply = pool.run_job("echo", {})
    finally:
        pool.queue_timeout = queue_timeout
    for thread in blockers:
        thread.join()
    assert reply["error"]["kind"] == "budget"
    assert reply_error(reply["error"]).text("en").startswith("the server is busy")
    assert pool.status().waiting == 0
    assert pool.run_job("echo", {"x": 2})["ok"]


def test_job_errors_are_replies_not_exceptions(pool: WorkerPool) -> None:
    unknown = pool.run_job("no such job", {})
    assert unknown["error"]["kind"] == "error"
    assert unknown["error"]["type"] == "KeyError"
    with pytest.raises(TypeError):
        pool.run_job("echo", {"not json": object()})


def test_crash_reply_becomes_a_run_result_error(pool: WorkerPool) -> None:
    result = result_from_reply(pool.run_job("crash", {"how": "segv"}))
    assert not result.ok
    assert result.error is not None
    assert result.error.kind == "crash"
    assert result.error.message == "the program crashed PyTorch (signal SIGSEGV)"
    assert result.error.message_zh == "程序使 PyTorch 崩溃（信号 SIGSEGV）"
    assert json.loads(result.to_json())["error"]["kind"] == "crash"


def test_close_reaps_every_worker() -> None:
    pool = WorkerPool(1, warm_up=False)
    assert pool.wait_ready(60)
    pids = pool.worker_pids()
    pool.close()
    assert all(process_gone(pid) for pid in pids)
    error = reply_error(pool.run_job("echo", {})["error"])
    assert (error.text("en"), error.text("zh")) == ("the server is shutting down", "服务器正在关闭")


def test_closing_while_a_worker_starts_leaves_nothing_behind() -> None:
    before = set(descendants(os.getpid()))
    pool = WorkerPool(1, warm_up=False)
    time.sleep(0.2)  # the fork server exists, torch is still importing
    started = set(descendants(os.getpid())) - before
    assert len(started) == 1 and all(is_worker(pid) for pid in started)
    pool.close()
    assert pool.status().idle == 0
    assert all(process_gone(pid) for pid in started)


def test_workers_are_forked_from_one_warm_process() -> None:
    with WorkerPool(2, warm_up=False) as pool:
        assert pool.wait_ready(60)
        workers = pool.worker_pids()
        (fork_server,) = {parent_of(pid) for pid in workers}
        assert fork_server != os.getpid() and is_worker(fork_server)
        # The fork server reaps a crashed worker and tells how it ended; a fork replaces it.
        assert pool.run_job("crash", {"how": "abort"})["error"]["kind"] == "crash"
        assert wait_until(lambda: len(set(pool.worker_pids()) - set(workers)) == 1)
        assert {parent_of(pid) for pid in pool.worker_pids()} == {fork_server}
    assert process_gone(fork_server)


def test_a_fork_server_that_died_is_started_again() -> None:
    with WorkerPool(1, warm_up=False) as pool:
        assert pool.wait_ready(60)
        (worker,) = pool.worker_pids()
        first = parent_of(worker)
        os.kill(first, signal.SIGKILL)
        assert wait_until(lambda: process_gone(first))
        # Its worker lives on; how it ends no one can tell now, and the pool carries on.
        assert pool.run_job("echo", {"x": 1}) == {"ok": True, "result": {"x": 1}}
        assert not pool.run_job("crash", {"how": "abort"})["ok"]
        assert wait_until(lambda: pool.status().idle == 1)
        (replacement,) = pool.worker_pids()
        assert parent_of(replacement) not in {first, os.getpid()}
        assert pool.run_job("echo", {"x": 2}) == {"ok": True, "result": {"x": 2}}


def test_server_side_imports_no_torch() -> None:
    code = (
        "import sys, autodiff_viz.sandbox.pool\n"
        "assert 'torch' not in sys.modules, 'pool imported torch'\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


SQUARE = """\
import torch
x = torch.tensor(3.0, requires_grad=True)
y = x ** 2
y.backward()
print(x.grad)
"""


def test_run_program_in_a_worker(pool: WorkerPool) -> None:
    execute = pytest.importorskip("autodiff_viz.sandbox.execute")
    if not hasattr(execute, "run_job"):
        pytest.skip("the interpreter's run_job is not written yet")
    result = pool.run_program(SQUARE, RunOptions(budgets=Budgets(seconds=5.0)))
    assert result.error is None, result.error
    assert result.stdout == "tensor(6.)\n"
    assert len(result.graphs) == 1


def test_run_program_in_process_for_notebooks() -> None:
    pytest.importorskip("autodiff_viz.sandbox.execute")
    result = run_program(SQUARE, seed=1, isolated=False)
    assert result.error is None, result.error
    assert result.stdout == "tensor(6.)\n"
    with pytest.raises(ValueError, match="contradicts"):
        run_program(SQUARE, seed=1, options=RunOptions(seed=2), isolated=False)
