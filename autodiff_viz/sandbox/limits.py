"""Operating-system limits for a worker process, and its memory as seen from outside.

Linux only (``resource`` limits and ``/proc/<pid>/statm``). The worker applies
:func:`apply_process_limits` once after importing torch and
:func:`limit_cpu_time` before every job; the server reads a worker's memory
with :func:`rss_bytes` after each job to recycle one that has grown, and
:func:`explain_exit` says which limit (or crash) ended a worker.
"""

from __future__ import annotations

import math
import os
import resource
import signal
from pathlib import Path

MIB = 1024 * 1024

#: Address space (virtual memory) of a worker. torch 2.13 (CPU) maps ~640 MB
#: of virtual memory just by being imported (shared libraries, arenas), so the
#: cap leaves ~900 MB for a program's tensors: far above the sandbox's own
#: element budgets, far below what one small cloud instance has.
DEFAULT_ADDRESS_SPACE_MB = 1536

#: File descriptors: torch and the job modules are imported before the limit
#: is set; a run needs only the two protocol pipes and stderr.
DEFAULT_OPEN_FILES = 64


def apply_process_limits(address_space_mb: int = DEFAULT_ADDRESS_SPACE_MB) -> None:
    """Cap memory, forbid file writes and core dumps, bound open files — for good.

    Soft and hard limits are set together, so nothing the process does later
    can raise them again. RLIMIT_NPROC is left alone: it counts every process
    and thread of the user (the server, the other workers), so no value is
    both safe and correct; the interpreter's allowlist has no way to start a
    process anyway.
    """
    _cap(resource.RLIMIT_AS, address_space_mb * MIB)
    _cap(resource.RLIMIT_CORE, 0)
    # A write beyond RLIMIT_FSIZE raises SIGXFSZ, whose default action kills
    # the process; ignored, the write fails with EFBIG and the job reports it.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _cap(resource.RLIMIT_FSIZE, 0)
    _cap(resource.RLIMIT_NOFILE, DEFAULT_OPEN_FILES)


def limit_cpu_time(seconds: float) -> None:
    """Let the process use ``seconds`` more CPU time, then die of SIGXCPU.

    The soft limit is absolute (CPU time since the process started), so it is
    moved before each job; the hard limit stays where it is so the next job
    can move it again.
    """
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(cpu_seconds_used() + seconds)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def cpu_seconds_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def rss_bytes(pid: int) -> int | None:
    """Resident memory of process ``pid``, or None when it no longer exists."""
    try:
        fields = Path(f"/proc/{pid}/statm").read_text().split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")


#: The reply key for a worker that ran out of memory (``reply.memory`` in i18n).
MEMORY_MESSAGE = "memory"

_CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE, signal.SIGABRT}


def explain_exit(status: int) -> tuple[str, str, dict[str, object]]:
    """Why a worker ended mid-job, as (kind, ``reply.*`` key, its fields) for the student.

    ``status`` is a Popen return code: the exit code, or minus the signal.
    """
    if status >= 0:
        return ("crash", "exit", {"status": status})
    sig = signal.Signals(-status)
    if sig == signal.SIGXCPU:
        return ("budget", "cpu", {})
    if sig in _CRASH_SIGNALS:
        return ("crash", "signal", {"signal": sig.name})
    # The pool sends no other signal to a worker with a job; a SIGKILL from
    # elsewhere is the kernel's out-of-memory killer.
    return ("budget", MEMORY_MESSAGE, {})


def _cap(which: int, value: int) -> None:
    _, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(which, (value, value))
