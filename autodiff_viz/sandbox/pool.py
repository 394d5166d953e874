"""A warm pool of worker processes: PyTorch work for a server that never imports torch.

:func:`run_program` runs a user's program and always returns a
:class:`~autodiff_viz.result.RunResult`; :func:`run_job` runs any registered
job (see :data:`autodiff_viz.sandbox.worker.JOBS`) and returns its reply. Both
use :func:`get_pool`, one :class:`WorkerPool` per server process, sized by the
``AUTODIFF_VIZ_WORKERS`` environment variable (default 2).

A worker that segfaults, runs past its time or grows too large is killed or
retired and replaced in the background; the caller gets a clean failure and
every other caller carries on (the replies are in
:mod:`~autodiff_viz.sandbox.replies`). Callers queue first come, first served, except that
jobs known to run long wait behind the others and never hold every worker
(:mod:`~autodiff_viz.sandbox.fairness`); one that has to wait learns its place in the line
through ``on_wait``.

Imports no torch (``run_program(..., isolated=False)`` does, lazily).
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autodiff_viz.result import RunResult
from autodiff_viz.sandbox.fairness import FairQueue, Ticket
from autodiff_viz.sandbox.forkserver import ForkServerGone
from autodiff_viz.sandbox.limits import DEFAULT_ADDRESS_SPACE_MB, MIB, rss_bytes
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.replies import (
    Reply,
    busy_reply,
    death_reply,
    job_reply,
    result_from_reply,
    timeout_reply,
)
from autodiff_viz.sandbox.worker import (
    ProtocolError,
    WorkerGone,
    WorkerProcess,
    WorkerTimeout,
    encode_frame,
    fork_server,
)

log = logging.getLogger(__name__)

#: Called with the caller's place in the queue (1 = next) while it waits: when the place
#: changes and at least every ``WAIT_TICK`` seconds (a Streamlit caller draws its place, and
#: drawing is where Streamlit stops a run whose session asked for a new one: a student who
#: edits while waiting leaves the line instead of holding a worker for the old program).
OnWait = Callable[[int], None]
WAIT_TICK = 1.0

DEFAULT_TIMEOUT = 10.0
#: Added to a job's timeout before the pool kills it, so a job that enforces
#: its own deadline (the interpreter does) reports it in its own words.
GRACE_SECONDS = 1.0
DEFAULT_MAX_RSS_MB = 512


@dataclass(frozen=True)
class PoolStatus:
    """A snapshot of the pool, for a status line or a load test."""

    size: int
    idle: int
    busy: int
    starting: int
    waiting: int
    restarts: int


class WorkerPool:
    """``size`` warm worker processes, shared by the threads of one server.

    Workers start in the background at construction; :meth:`wait_ready` waits
    for them. ``address_space_mb`` is each worker's RLIMIT_AS; a worker whose
    resident memory exceeds ``max_rss_mb`` after a job is replaced; a caller
    that waits longer than ``queue_timeout`` for a free worker gets a "busy"
    reply. Workers are forked from one warm process (:mod:`~autodiff_viz.sandbox.forkserver`),
    so a dead one is replaced at once: milliseconds, no second import of PyTorch.
    ``warm_up=False`` skips the warm-up run (tests of the pool's mechanics).
    """

    def __init__(
        self,
        size: int = 2,
        *,
        address_space_mb: int = DEFAULT_ADDRESS_SPACE_MB,
        max_rss_mb: int = DEFAULT_MAX_RSS_MB,
        queue_timeout: float = 60.0,
        start_timeout: float = 60.0,
        warm_up: bool = True,
    ) -> None:
        if size < 1:
            raise ValueError(f"a pool needs at least one worker, not {size}")
        self.size = size
        self.max_rss_bytes = max_rss_mb * MIB
        self.queue_timeout = queue_timeout
        self.start_timeout = start_timeout
        self.address_space_mb = address_space_mb
        self.warm_up = warm_up
        self._fork_server = fork_server(address_space_mb, warm_up=warm_up)
        self._cond = threading.Condition()
        self._idle: deque[WorkerProcess] = deque()
        self._live: set[WorkerProcess] = set()  # warm: idle or busy
        self._spawning: set[WorkerProcess] = set()  # started, not yet ready
        self._stopping = threading.Event()
        self._queue = FairQueue(size)
        self._starting = 0
        self._restarts = 0
        self._closed = False
        for _ in range(size):
            self._start_worker(replacing=None)

    # -- public --------------------------------------------------------------

    def run_job(
        self,
        name: str,
        args: dict[str, Any],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        on_wait: OnWait | None = None,
        marks: Iterable[Hashable] = (),
    ) -> Reply:
        """Run job ``name`` in a worker; never raises for what the job does.

        ``timeout`` bounds the job's wall time once a worker has it (time in
        the queue does not count); the worker is killed ``GRACE_SECONDS``
        later and replaced. ``marks`` name the job for the queue's fairness (the caller's
        session, the program): a job whose marks ran long last time waits behind the others.
        Raises TypeError/ValueError only when ``args`` cannot be sent (not JSON, too large): a
        programming error.
        """
        frame = encode_frame(
            {"job": name, "args": args, "cpu_seconds": timeout + GRACE_SECONDS + 1.0}
        )
        ticket, worker = self._acquire(on_wait, marks)
        if worker is None:
            return busy_reply(self.queue_timeout, closed=self._closed)
        healthy = False
        cpu = None
        try:
            started = _cpu_seconds(worker.pid)
            reply, healthy = self._call(worker, frame, timeout)
            ended = _cpu_seconds(worker.pid) if healthy else None
            if started is not None and ended is not None:
                cpu = ended - started
            elif not reply["ok"] and reply["error"]["kind"] == "budget":
                cpu = math.inf  # stopped at its time or memory limit: long, whatever it used
        finally:
            self._release(worker, ticket, cpu, healthy=healthy)
        return reply

    def run_program(
        self, source: str, options: RunOptions, *, on_wait: OnWait | None = None
    ) -> RunResult:
        """Run a user's program in a worker; never raises for anything in ``source``."""
        reply = self.run_job(
            "run",
            {"source": source, "options": options.to_dict()},
            timeout=options.budgets.seconds,
            on_wait=on_wait,
        )
        return result_from_reply(reply)

    def status(self) -> PoolStatus:
        with self._cond:
            idle = len(self._idle)
            return PoolStatus(
                size=self.size,
                idle=idle,
                busy=len(self._live) - idle,
                starting=self._starting,
                waiting=len(self._queue),
                restarts=self._restarts,
            )

    def worker_pids(self) -> list[int]:
        """Every worker process of the pool, warm or warming up."""
        with self._cond:
            return sorted(worker.pid for worker in (*self._live, *self._spawning))

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until every worker is warm and idle; False on timeout."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self._idle) == self.size, timeout)

    def close(self) -> None:
        """Stop every worker and reap it; waiting callers get a "busy" reply."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            self._stopping.set()
            workers = [*self._live, *self._spawning]
            self._cond.notify_all()
        for worker in workers:
            worker.close_input()
        deadline = time.monotonic() + 1.0
        for worker in workers:
            worker.stop(timeout=max(0.0, deadline - time.monotonic()))
        self._fork_server.close(timeout=max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- queue ---------------------------------------------------------------

    def _acquire(
        self, on_wait: OnWait | None, marks: Iterable[Hashable]
    ) -> tuple[Ticket, WorkerProcess | None]:
        deadline = time.monotonic() + self.queue_timeout
        told, told_at = 0, time.monotonic()
        with self._cond:
            ticket = self._queue.join(marks)
        try:
            while True:
                with self._cond:
                    while True:
                        if self._closed:
                            return ticket, None
                        if self._queue.may_take(ticket, len(self._idle)):
                            self._queue.leave(ticket)
                            self._queue.long_running += ticket.level
                            # The next in line may take another idle worker.
                            self._cond.notify_all()
                            return ticket, self._idle.popleft()
                        now = time.monotonic()
                        place = self._queue.place(ticket)
                        if on_wait is not None and (place != told or now >= told_at + WAIT_TICK):
                            break  # tell the caller, outside the lock
                        remaining = deadline - now
                        if remaining <= 0:
                            return ticket, None
                        tick = told_at + WAIT_TICK - now if on_wait is not None else remaining
                        self._cond.wait(min(remaining, tick))
                assert on_wait is not None
                on_wait(place)
                told, told_at = place, time.monotonic()
        finally:
            with self._cond:
                if self._queue.leave(ticket):
                    self._cond.notify_all()

    def _release(
        self, worker: WorkerProcess, ticket: Ticket, cpu: float | None, *, healthy: bool
    ) -> None:
        with self._cond:
            self._queue.long_running -= ticket.level
            self._queue.ran(ticket, cpu)
            self._cond.notify_all()  # a long job done: the next long one may start
            if healthy and not self._closed:
                self._idle.append(worker)
                self._cond.notify_all()
                return
        self._start_worker(replacing=worker)

    # -- one job -------------------------------------------------------------

    def _call(self, worker: WorkerProcess, frame: bytes, timeout: float) -> tuple[Reply, bool]:
        """Send one job and wait for its reply: (reply, worker still usable)."""
        try:
            worker.send(frame)
            reply = worker.receive(time.monotonic() + timeout + GRACE_SECONDS)
        except WorkerTimeout:
            worker.kill()
            return timeout_reply(timeout), False
        except (WorkerGone, OSError, ProtocolError):
            status = worker.exit_status()
            log.warning(
                "worker %d ended with status %d; stderr: %s",
                worker.pid,
                status,
                " | ".join(worker.stderr_tail),
            )
            return death_reply(status, closed=self._closed), False
        rss = rss_bytes(worker.pid)
        return job_reply(reply), rss is not None and rss <= self.max_rss_bytes

    # -- workers -------------------------------------------------------------

    def _start_worker(self, replacing: WorkerProcess | None) -> None:
        """Retire ``replacing`` (if any) and warm up a new worker, in the background."""
        with self._cond:
            if replacing is not None:
                self._live.discard(replacing)
                self._restarts += not self._closed
            if self._closed:
                worker_to_stop = replacing
            else:
                worker_to_stop = None
                self._starting += 1
                threading.Thread(target=self._warm_up, args=(replacing,), daemon=True).start()
        if worker_to_stop is not None:
            worker_to_stop.stop(timeout=1.0)

    def _warm_up(self, replacing: WorkerProcess | None) -> None:
        if replacing is not None:
            replacing.stop()  # a dead one is reaped; a bloated one asked to exit
        delay = 0.5
        worker = None
        while not self._closed:
            worker = self._spawn()
            if worker is not None:
                break
            self._stopping.wait(delay)
            delay = min(2 * delay, 30.0)
        with self._cond:
            self._starting -= 1
            if worker is None:
                return
            self._spawning.discard(worker)
            if not self._closed:
                self._live.add(worker)
                self._idle.append(worker)
                self._cond.notify_all()
                return
        worker.stop(timeout=1.0)  # the pool closed while it warmed up

    def _spawn(self) -> WorkerProcess | None:
        """Start one worker and wait for its ready message; None if it fails."""
        try:
            worker = WorkerProcess(forked=self._fork_server.fork(self.start_timeout))
        except ForkServerGone as exc:
            if not self._closed:
                log.error("no worker: %s", exc)
            return None
        with self._cond:
            if not self._closed:
                self._spawning.add(worker)
        if self._closed:  # close() did not see it
            worker.kill()
            return None
        try:
            hello = worker.receive(time.monotonic() + self.start_timeout)
        except (WorkerTimeout, WorkerGone, ProtocolError) as exc:
            hello = f"no ready message ({type(exc).__name__})"
        if isinstance(hello, dict) and hello.get("ready"):
            return worker
        worker.kill()
        with self._cond:
            self._spawning.discard(worker)
            if self._closed:
                return None
        log.error("worker failed to start: %s; stderr: %s", hello, " | ".join(worker.stderr_tail))
        return None


# -- the server's pool -----------------------------------------------------------

_default_pool: WorkerPool | None = None
_default_lock = threading.Lock()


def get_pool() -> WorkerPool:
    """The process's pool, started on first use and closed at exit."""
    global _default_pool  # noqa: PLW0603 -- one pool per server process, made on demand
    with _default_lock:
        if _default_pool is None:
            _default_pool = WorkerPool(_env_int("AUTODIFF_VIZ_WORKERS", 2))
            atexit.register(_default_pool.close)
        return _default_pool


def run_job(
    name: str,
    args: dict[str, Any],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    on_wait: OnWait | None = None,
    marks: Iterable[Hashable] = (),
) -> Reply:
    """Run a registered job in the shared pool; see :meth:`WorkerPool.run_job`."""
    return get_pool().run_job(name, args, timeout=timeout, on_wait=on_wait, marks=marks)


def run_program(
    source: str,
    *,
    seed: int = 0,
    options: RunOptions | None = None,
    isolated: bool = True,
    on_wait: OnWait | None = None,
) -> RunResult:
    """Run a user's program; never raises for anything in ``source``.

    ``seed`` is a shortcut for ``RunOptions(seed=...)``; give it or
    ``options``, not two different seeds. ``isolated=False`` runs the
    program in this process (a notebook, a test): no worker, torch imported
    here, and no protection from a native crash.
    """
    if options is None:
        options = RunOptions(seed=seed)
    elif seed not in (0, options.seed):
        raise ValueError(f"seed={seed} contradicts options.seed={options.seed}")
    if not isolated:
        from autodiff_viz.sandbox.execute import execute

        return execute(source, options)
    return get_pool().run_program(source, options, on_wait=on_wait)


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time process ``pid`` has used so far (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
