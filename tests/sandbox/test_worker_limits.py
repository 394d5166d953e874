"""One worker process driven over its pipes: the protocol and the OS limits it lives under.

No pool here: each test starts ``python -m autodiff_viz.sandbox.worker``
through :class:`WorkerProcess` and speaks the frame protocol, so a limit is
seen exactly as the kernel enforces it.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from autodiff_viz.sandbox.limits import DEFAULT_ADDRESS_SPACE_MB, DEFAULT_OPEN_FILES, explain_exit
from autodiff_viz.sandbox.worker import MAX_FRAME_BYTES, WorkerGone, WorkerProcess, encode_frame


class Worker(WorkerProcess):
    """A worker process with blocking-with-deadline calls, as the pool makes them."""

    def __init__(self, address_space_mb: int = DEFAULT_ADDRESS_SPACE_MB) -> None:
        super().__init__(address_space_mb, warm_up=False)  # the limits, not a warm start
        self.hello = self.receive(time.monotonic() + 60)

    def call(self, job: str, args: dict[str, Any], cpu_seconds: float = 30.0) -> Any:
        self.send(encode_frame({"job": job, "args": args, "cpu_seconds": cpu_seconds}))
        return self.receive(time.monotonic() + 30)

    def status_line(self, procfile: str, name: str) -> list[str]:
        text = Path(f"/proc/{self.pid}/{procfile}").read_text()
        line = next(line for line in text.splitlines() if line.startswith(name))
        return line[len(name) :].split()


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    worker = Worker(address_space_mb=1200)
    yield worker
    worker.stop()


def test_worker_says_ready_with_its_pid(worker: Worker) -> None:
    assert worker.hello == {"ready": True, "pid": worker.pid}


def test_limits_are_set_for_good(worker: Worker) -> None:
    def limit(name: str) -> list[str]:
        return worker.status_line("limits", name)[:2]  # soft, hard

    assert limit("Max address space") == [str(1200 * 1024**2)] * 2
    assert limit("Max file size") == ["0", "0"]
    assert limit("Max core file size") == ["0", "0"]
    assert limit("Max open files") == [str(DEFAULT_OPEN_FILES)] * 2


def test_a_job_cannot_write_a_file(worker: Worker, tmp_path: Path) -> None:
    target = tmp_path / "written.txt"
    reply = worker.call("write", {"path": str(target), "text": "x" * 1000})
    assert reply["ok"] is False
    assert reply["error"]["type"] == "OSError"
    assert "File too large" in reply["error"]["message"]
    # RLIMIT_FSIZE=0 cannot stop open(..., "w") from creating an empty file;
    # not one byte gets into it.
    assert target.stat().st_size == 0
    assert worker.proc.poll() is None, "SIGXFSZ is ignored, not fatal"


def test_prints_never_corrupt_the_protocol(worker: Worker) -> None:
    reply = worker.call("echo", {"stdout": "\x00\x00\x00\x05noise", "n": 1})
    assert reply == {"ok": True, "result": {"stdout": "\x00\x00\x00\x05noise", "n": 1}}
    assert worker.call("echo", {"n": 2}) == {"ok": True, "result": {"n": 2}}


def test_memory_error_is_a_reply(worker: Worker) -> None:
    reply = worker.call("alloc", {"bytes": 2 * 1024**3})
    assert reply["error"]["type"] == "MemoryError"
    assert worker.call("alloc", {"bytes": 100 * 1024**2}) == {"ok": True, "result": 100 * 1024**2}


def test_torch_runs_on_one_thread(worker: Worker) -> None:
    # The main thread, plus at most one helper torch starts at import.
    assert int(worker.status_line("status", "Threads:")[0]) <= 2


def test_runaway_job_dies_of_its_cpu_limit() -> None:
    worker = Worker()
    with pytest.raises(WorkerGone):  # output ends: the kernel stopped it
        worker.call("sleep", {"seconds": 30}, cpu_seconds=1)
    status = worker.exit_status()
    assert status == -signal.SIGXCPU
    assert explain_exit(status) == ("budget", "cpu", {})


def test_worker_exits_when_its_input_ends() -> None:
    worker = Worker()
    worker.close_input()
    assert worker.proc.wait(timeout=10) == 0


def test_frames_are_bounded() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        encode_frame("x" * (MAX_FRAME_BYTES + 1))
    worker = Worker()
    worker.send((MAX_FRAME_BYTES + 1).to_bytes(4, "big"))
    # A broken frame ends the worker (it cannot resync); the pool replaces it.
    with pytest.raises(WorkerGone):
        worker.receive(time.monotonic() + 30)
    assert worker.exit_status() == 1
