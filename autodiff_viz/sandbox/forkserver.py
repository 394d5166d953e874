"""Workers forked from one warm process: a new worker in milliseconds, not seconds of CPU.

Starting a worker from scratch costs 2.1-2.4 s of CPU and 264 MB (PSS): importing torch, then
the warm-up run that pays torch's lazy set-up. A forked one is ready in about 25 ms for 0.02 s
of CPU and 91 MB (``benchmarks/bench_pool.py``), so a pool pays the start once. Its fork
server is a worker process that imports and warms up, then forks a worker for every request;
the child takes the three pipes the server made for it (sent over a Unix socket), starts a
session of its own, applies the process limits and serves jobs like any worker. Its pages of
torch stay shared with the fork server's until written (``gc.freeze`` keeps the collector from
touching them).

The fork server is single-threaded (forking a threaded process can leave a lock held in the
child), reaps its children and tells the server how each ended, so a crash signal or SIGXCPU
reaches the pool as it does from a child of its own. A child closes the socket first thing:
a program that escaped the interpreter could not ask for more processes. Python's
``multiprocessing`` forkserver does the same, but it cannot give the fork server the worker's
deep stack (fixed when a process starts, see ``worker._ensure_deep_stack``) and speaks pickle.

Protocol on a ``SOCK_SEQPACKET`` pair, one message per packet:

* fork server -> server: ``ready`` once warm; ``forked <pid>`` for each fork;
  ``exit <pid> <status>`` for each child reaped (status as a Popen return code)
* server -> fork server: ``fork`` carrying three descriptors (the child's stdin, stdout and
  stderr); the end of the socket ends the fork server (its children carry on until their
  input ends)

Imports no torch: the server side lives here too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import select
import signal
import socket
import subprocess
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

#: A fork takes a few milliseconds; a fork server that cannot answer in this long is stuck.
FORK_TIMEOUT = 10.0
#: How many exit statuses the server keeps: each is read a moment after the exit (by every
#: thread waiting for it), so the oldest can go.
KEPT_EXITS = 256


class ForkServerGone(Exception):
    """The fork server is not running (it failed to start, died or was closed)."""


# -- the fork server's side -------------------------------------------------------


def serve_forks(control: socket.socket, become_worker: Callable[[], None]) -> None:
    """Fork a worker (running ``become_worker``) for each request, until the server hangs up."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wake-up pipe hears it
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the server died
        control.send(b"ready")
        _serve(control, become_worker, wake_read, wake_write)


def _serve(
    control: socket.socket, become_worker: Callable[[], None], wake_read: int, wake_write: int
) -> None:
    while True:
        ready = select.select([control.fileno(), wake_read], [], [])[0]
        if wake_read in ready:
            os.read(wake_read, 4096)
            _report_exits(control)
        if control.fileno() in ready:
            message, fds, _, _ = socket.recv_fds(control, 16, 3)
            if not message:  # the server hung up: outlive the children, so they are reaped
                with contextlib.suppress(ChildProcessError):
                    while True:
                        os.wait()
                return
            pid = _fork(
                fds, become_worker, close_in_child=(control.fileno(), wake_read, wake_write)
            )
            control.send(f"forked {pid}".encode())


def _fork(
    fds: list[int], become_worker: Callable[[], None], close_in_child: tuple[int, ...]
) -> int:
    pid = os.fork()
    if pid:
        for fd in fds:
            os.close(fd)
        return pid
    status = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in close_in_child:
            os.close(fd)
        os.setsid()  # its own process group, killed as one
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        become_worker()
        status = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(status)  # never back into the fork server's loop, never its exit handlers


def _report_exits(control: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if not pid:
            return
        control.send(f"exit {pid} {os.waitstatus_to_exitcode(status)}".encode())


# -- the server's side ------------------------------------------------------------


class ForkServer:
    """The server's handle on a fork server: started by the first fork, again if it died."""

    def __init__(self, command: list[str], *, cwd: str, env: dict[str, str]) -> None:
        self._command = command
        self._cwd = cwd
        self._env = env
        self._lock = threading.Lock()  # one fork at a time; guards the process
        self._exited = threading.Condition()
        self._exits: dict[int, int] = {}
        self._process: _Running | None = None
        self._closed = False

    def fork(self, start_timeout: float) -> ForkedProcess:
        """A new worker process: its pipes and pid; raises :class:`ForkServerGone`."""
        stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        stderr_read, stderr_write = os.pipe()
        try:
            with self._lock:
                running = self._running(start_timeout)
                socket.send_fds(running.sock, [b"fork"], [stdin_read, stdout_write, stderr_write])
                pid = running.answer(FORK_TIMEOUT)
        except (ForkServerGone, OSError) as exc:
            for fd in (stdin_write, stdout_read, stderr_read):
                os.close(fd)
            raise ForkServerGone(str(exc)) from exc
        finally:
            for fd in (stdin_read, stdout_write, stderr_write):
                os.close(fd)
        return ForkedProcess(
            self,
            running,
            pid,
            stdin=os.fdopen(stdin_write, "wb", buffering=0),
            stdout=os.fdopen(stdout_read, "rb", buffering=0),
            stderr=os.fdopen(stderr_read, "rb"),
        )

    def wait_exit(self, pid: int, origin: _Running, timeout: float | None) -> int | None:
        """How child ``pid`` of ``origin`` ended (a Popen return code); None if it has not
        within ``timeout``."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._exited:
            while pid not in self._exits:
                if not origin.alive:
                    break
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._exited.wait(remaining)
            else:
                return self._exits[pid]  # kept: another thread may wait for it too
        return _orphan_status(pid, deadline)

    def close(self, timeout: float = 1.0) -> None:
        """Stop the fork server (its children are the pool's to stop) and reap it."""
        self._closed = True
        if (process := self._process) is not None:
            process.stop(timeout)

    def _running(self, start_timeout: float) -> _Running:
        if self._process is None or not self._process.alive:
            if self._closed:
                raise ForkServerGone("closed")
            if self._process is not None:
                self._process.stop(0)
            self._process = _Running(self._command, self._cwd, self._env, self.heard)
            self._process.wait_ready(start_timeout)  # close() may stop it meanwhile
            if self._closed:
                self._process.stop(0)
                raise ForkServerGone("closed")
        return self._process

    def heard(self, kind: str, pid: int = 0, status: int = 0) -> None:
        """What the fork server said: ``forked`` (a pid, perhaps used before), ``exit`` (how a
        child ended) or ``gone`` (the fork server itself ended)."""
        with self._exited:
            if kind == "forked":
                self._exits.pop(pid, None)  # the status of an earlier process with this pid
            elif kind == "exit":
                self._exits[pid] = status
                if len(self._exits) > KEPT_EXITS:
                    del self._exits[next(iter(self._exits))]
            self._exited.notify_all()


def _orphan_status(pid: int, deadline: float | None) -> int | None:
    """The fork server ended before its child, so whoever reaps the child keeps its status:
    wait for the process to end (gone, or a zombie no one reaps) and call it killed."""
    while deadline is None or time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return -signal.SIGKILL
        if state in ("Z", "X"):
            return -signal.SIGKILL
        time.sleep(0.05)
    return None


class _Running:
    """One fork server process, its socket, and the thread that reads what it says."""

    def __init__(
        self,
        command: list[str],
        cwd: str,
        env: dict[str, str],
        heard: Callable[..., None],
    ) -> None:
        self.sock, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._heard = heard
        self._answers: queue.Queue[int | None] = queue.Queue()
        self._ready = threading.Event()
        self.alive = True
        with theirs:
            self.proc = subprocess.Popen(
                [*command, f"--fork-server={theirs.fileno()}"],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
                cwd=cwd,
                env=env,
            )
        threading.Thread(target=self._listen, daemon=True).start()
        threading.Thread(target=_log_lines, args=(self.proc.stderr,), daemon=True).start()

    def wait_ready(self, timeout: float) -> None:
        if not self._ready.wait(timeout) or not self.alive:
            self.stop(0)
            raise ForkServerGone("the fork server did not get ready")

    def answer(self, timeout: float) -> int:
        try:
            pid = self._answers.get(timeout=timeout)
        except queue.Empty:
            pid = None
        if pid is None:
            self.stop(0)
            raise ForkServerGone("the fork server did not fork")
        return pid

    def stop(self, timeout: float) -> None:
        self.alive = False
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def _listen(self) -> None:
        with contextlib.suppress(OSError, ValueError, IndexError):
            while message := self.sock.recv(64):
                kind, *numbers = message.decode().split()
                if kind == "ready":
                    self._ready.set()
                elif kind == "forked":
                    self._heard(kind, int(numbers[0]))
                    self._answers.put(int(numbers[0]))
                elif kind == "exit":
                    self._heard(kind, int(numbers[0]), int(numbers[1]))
        self.alive = False
        self._ready.set()
        self._answers.put(None)
        self._heard("gone")
        self.proc.wait()  # reaped, whether it died or hung up after its last child ended


class ForkedProcess:
    """A worker forked by the fork server, with the part of ``subprocess.Popen`` the pool uses."""

    def __init__(
        self,
        server: ForkServer,
        origin: _Running,
        pid: int,
        *,
        stdin: IO[bytes],
        stdout: IO[bytes],
        stderr: IO[bytes],
    ) -> None:
        self.pid = pid
        self.stdin: IO[bytes] | None = stdin
        self.stdout: IO[bytes] | None = stdout
        self.stderr: IO[bytes] | None = stderr
        self.returncode: int | None = None
        self._server = server
        self._origin = origin

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self.returncode = self._server.wait_exit(self.pid, self._origin, timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout or 0)
        return self.returncode


def _log_lines(stream: IO[bytes] | None) -> None:
    assert stream is not None
    for raw in stream:
        log.debug("fork server: %s", raw.decode(errors="replace").rstrip())
