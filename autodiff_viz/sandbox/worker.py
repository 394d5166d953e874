"""One worker process — real PyTorch behind a pipe — and the server's handle on it.

Run as ``python -m autodiff_viz.sandbox.worker``: :func:`main` imports torch,
applies the OS limits of :mod:`~autodiff_viz.sandbox.limits` and serves the
jobs of :data:`~autodiff_viz.sandbox.jobs.JOBS`. The server
(:mod:`autodiff_viz.sandbox.pool`) never imports torch; it drives workers through
:class:`WorkerProcess` and can lose one to a segfault, a memory bomb or an endless
loop without losing anything else. Only :func:`main` imports torch, so the server may
import this module. With ``--fork-server=<fd>``, :func:`main` warms up once and forks a
worker per request instead (:mod:`~autodiff_viz.sandbox.forkserver`; the pool's way).

Protocol
--------
Every message is a frame: a 4-byte big-endian length, then that many bytes of
UTF-8 JSON. Never pickle: a worker runs untrusted programs, so nothing it
sends may be able to run code in the server.

* worker -> server, once, when warm: ``{"ready": true, "pid": <int>}``
* server -> worker: ``{"job": <name in JOBS>, "args": {...}, "cpu_seconds": <float>}``
* worker -> server: ``{"ok": true, "result": <json>}`` or
  ``{"ok": false, "error": {"type": "MemoryError", "message": "..."}}``

The worker exits when its input ends (the server closed the pipe or died).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import logging
import os
import resource
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, BinaryIO

from autodiff_viz.sandbox.forkserver import ForkedProcess, ForkServer, serve_forks
from autodiff_viz.sandbox.limits import (
    DEFAULT_ADDRESS_SPACE_MB,
    MIB,
    apply_process_limits,
    limit_cpu_time,
)

HEADER = struct.Struct(">I")
MAX_FRAME_BYTES = 64 * 1024 * 1024
_MAX_ERROR_CHARS = 2000
_READ_CHUNK = 1 << 20
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
#: Workers run at a lower CPU priority than the server: every session of a class waits on the
#: one server process, while a program in a worker serves one student. Measured with forty
#: sessions and three hostile programs at once, the workers' CPU (an endless loop to its limit,
#: a restart importing torch) otherwise came out of the server's time. Idle cores stay theirs.
WORKER_NICE = 10
log = logging.getLogger(__name__)


# -- protocol (both sides) --------------------------------------------------------


class ProtocolError(Exception):
    """A frame that breaks the protocol (too long, not JSON)."""


def encode_frame(message: Any) -> bytes:
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()
    if len(body) > MAX_FRAME_BYTES:
        raise ValueError(f"message of {len(body)} bytes exceeds {MAX_FRAME_BYTES}")
    return HEADER.pack(len(body)) + body


def frame_length(header: bytes) -> int:
    (size,) = HEADER.unpack(header)
    if size > MAX_FRAME_BYTES:
        raise ProtocolError(f"frame of {size} bytes exceeds {MAX_FRAME_BYTES}")
    return int(size)


def decode_body(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError as exc:
        raise ProtocolError(f"frame is not JSON: {exc}") from exc


def read_frame(stream: BinaryIO) -> Any | None:
    """Read one message; None when the stream ends (cleanly or mid-frame)."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    size = frame_length(header)
    body = stream.read(size)
    if len(body) < size:
        return None
    return decode_body(body)


# -- the server's side ------------------------------------------------------------


class WorkerTimeout(Exception):
    """The worker did not answer in time."""


class WorkerGone(Exception):
    """The worker's output ended: it exited or was killed."""


def _worker_env() -> dict[str, str]:
    """A worker's environment: no bytecode written beside the package, one OpenMP thread."""
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "OMP_NUM_THREADS": "1"}


def worker_command(address_space_mb: int, *, warm_up: bool) -> list[str]:
    """How a worker process is started (a fork server adds ``--fork-server=<fd>``)."""
    return [
        sys.executable,
        "-m",
        "autodiff_viz.sandbox",
        f"--address-space-mb={address_space_mb}",
        *([] if warm_up else ["--no-warm-up"]),
    ]


def fork_server(address_space_mb: int, *, warm_up: bool) -> ForkServer:
    """A fork server of warm workers (started by its first fork; see ``sandbox.forkserver``)."""
    command = worker_command(address_space_mb, warm_up=warm_up)
    return ForkServer(command, cwd=str(_PACKAGE_ROOT), env=_worker_env())


class WorkerProcess:
    """The server's handle on one worker process: start, talk, stop, kill.

    Reads wait at most until a deadline (``select`` on the pipe), so a
    worker stuck in a native op never blocks the server's thread for longer.
    """

    def __init__(
        self,
        address_space_mb: int = DEFAULT_ADDRESS_SPACE_MB,
        *,
        warm_up: bool = True,
        forked: ForkedProcess | None = None,
    ) -> None:
        """Start a worker process, or take one ``forked`` by a :func:`fork_server`."""
        self.proc: subprocess.Popen[bytes] | ForkedProcess = forked or subprocess.Popen(
            worker_command(address_space_mb, warm_up=warm_up),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            bufsize=0,
            close_fds=True,  # a worker must not hold another worker's pipes open
            start_new_session=True,  # its own process group, killed as one
            cwd=_PACKAGE_ROOT,
            env=_worker_env(),
        )
        self.stderr_tail: deque[str] = deque(maxlen=20)
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def send(self, frame: bytes) -> None:
        assert self.proc.stdin is not None
        view = memoryview(frame)
        while view:
            view = view[self.proc.stdin.write(view) or 0 :]

    def receive(self, deadline: float) -> Any:
        size = frame_length(self._read_exact(HEADER.size, deadline))
        return decode_body(self._read_exact(size, deadline))

    def kill(self) -> int:
        """Kill the whole process group and reap it; returns the exit status."""
        with contextlib.suppress(ProcessLookupError):  # already gone: wait() still reaps it
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:  # a forked worker that has no group of its own yet
                os.kill(self.proc.pid, signal.SIGKILL)
        return self.proc.wait()

    def close_input(self) -> None:
        """End the worker's input: an idle worker exits, a busy one after its job."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the worker to exit, kill it if it has not within ``timeout``; reap it."""
        try:
            self.close_input()
            self.proc.wait(timeout)
        except (OSError, subprocess.TimeoutExpired):
            self.kill()

    def exit_status(self) -> int:
        """The status of a worker whose output ended; kills one that lingers."""
        try:
            return self.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            return self.kill()

    def _read_exact(self, size: int, deadline: float) -> bytes:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        chunks: list[bytes] = []
        missing = size
        while missing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerTimeout
            if not select.select([fd], [], [], remaining)[0]:
                continue
            chunk = os.read(fd, min(missing, _READ_CHUNK))
            if not chunk:
                raise WorkerGone
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)

    def _drain_stderr(self) -> None:
        # Unread, a full stderr pipe would block the worker; read, it helps
        # whoever runs the server to see why a worker died.
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode(errors="replace").rstrip()
            self.stderr_tail.append(line)
            log.debug("worker %d: %s", self.proc.pid, line)


# -- the worker's side ------------------------------------------------------------


def handle(request: dict[str, Any]) -> dict[str, Any]:
    """Run one job; every exception becomes an error reply (the worker lives on)."""
    from autodiff_viz.sandbox.jobs import JOBS  # worker side only: it imports torch

    name = request.get("job")
    if name not in JOBS:
        return _error_reply(KeyError(f"unknown job {name!r}"))
    try:
        job = JOBS[name]
        limit_cpu_time(float(request.get("cpu_seconds", 60.0)))
        return {"ok": True, "result": job(request.get("args", {}))}
    except RuntimeError as exc:
        # torch reports a failed allocation (RLIMIT_AS reached) as a RuntimeError.
        if "can't allocate memory" in str(exc):
            return _error_reply(MemoryError(str(exc)))
        return _error_reply(exc)
    except Exception as exc:
        return _error_reply(exc)


def encode_reply(reply: dict[str, Any]) -> bytes:
    """Frame a reply; a result that cannot be sent becomes an error reply."""
    try:
        return encode_frame(reply)
    except (TypeError, ValueError, MemoryError) as exc:
        return encode_frame(_error_reply(exc))


def serve(inp: BinaryIO, out: BinaryIO) -> None:
    while (request := read_frame(inp)) is not None:
        out.write(encode_reply(handle(request)))
        out.flush()
        # The server has its answer; collect the run's reference cycles
        # (autograd graphs, interpreter frames) while no one waits.
        gc.collect()


def _error_reply(exc: BaseException) -> dict[str, Any]:
    message = str(exc)[:_MAX_ERROR_CHARS]
    return {"ok": False, "error": {"type": type(exc).__name__, "message": message}}


def _take_protocol_streams() -> tuple[BinaryIO, BinaryIO]:
    """Move the protocol to private descriptors; fds 0/1 become /dev/null / stderr.

    Done before torch is imported, so nothing — a library's print, a C++
    warning written to fd 1, a program's output — can corrupt a frame.
    """
    inp = os.fdopen(os.dup(0), "rb")
    out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return inp, out


def _preload() -> None:
    """Import every job's module, so a first job is as fast as the rest."""
    import autodiff_viz.sandbox.jobs  # noqa: F401  (the import is the point)
    from autodiff_viz.sandbox.execute import warm_up

    warm_up()


STACK_BYTES = 1024 * MIB


def _ensure_deep_stack() -> None:
    """Give the main thread a stack that grows to ``STACK_BYTES``, re-executing if needed.

    PyTorch frees a chain of autograd nodes that Python has touched (``y.grad_fn``, capture's
    metadata) recursively: with the usual 8 MB stack a 60,000-op loop segfaults on free. The
    main thread's stack limit is fixed when the process starts, hence the re-exec; the stack
    is mapped only as it grows, so the address-space limit is not spent on it up front.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_STACK)
    if soft == resource.RLIM_INFINITY or soft >= STACK_BYTES:
        return
    wanted = STACK_BYTES if hard == resource.RLIM_INFINITY else min(STACK_BYTES, hard)
    if wanted <= soft or os.environ.get("AUTODIFF_VIZ_STACK_SET"):
        return
    resource.setrlimit(resource.RLIMIT_STACK, (wanted, hard))
    os.environ["AUTODIFF_VIZ_STACK_SET"] = "1"
    os.execv(sys.executable, [sys.executable, "-m", "autodiff_viz.sandbox", *sys.argv[1:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address-space-mb", type=int, default=DEFAULT_ADDRESS_SPACE_MB)
    # Ready after the torch import alone: a first job then pays for torch's lazy set-up (about
    # a second). For tests of the pool's mechanics.
    parser.add_argument("--no-warm-up", dest="warm_up", action="store_false")
    # Warm up, then fork a worker per request on this socket (see sandbox.forkserver).
    parser.add_argument("--fork-server", type=int, metavar="FD")
    options = parser.parse_args(argv)
    # Absolute, not os.nice: main runs again after the re-exec below. Before any thread starts,
    # so every thread of the worker (torch's too) inherits it.
    os.setpriority(os.PRIO_PROCESS, 0, WORKER_NICE)
    _ensure_deep_stack()
    streams = None if options.fork_server is not None else _take_protocol_streams()

    import torch

    # One thread: predictable timings, and workers do not fight over the cores.
    torch.set_num_threads(1)
    if options.warm_up:
        _preload()
    # Everything imported so far lives as long as the process: keep it out of
    # every future garbage collection (and, in a fork server, its pages shared with the
    # children: the collector never writes to them).
    gc.freeze()
    if streams is None:
        control = socket.socket(fileno=options.fork_server)
        serve_forks(control, lambda: _work(_take_protocol_streams(), options.address_space_mb))
    else:
        _work(streams, options.address_space_mb)
    return 0


def _work(streams: tuple[BinaryIO, BinaryIO], address_space_mb: int) -> None:
    """Apply the limits, say ready, serve jobs until the input ends."""
    inp, out = streams
    apply_process_limits(address_space_mb)
    try:
        out.write(encode_frame({"ready": True, "pid": os.getpid()}))
        out.flush()
        serve(inp, out)
    except BrokenPipeError:
        pass  # the server went away; nothing left to answer


if __name__ == "__main__":
    sys.exit(main())
