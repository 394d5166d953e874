"""A Streamlit server under test and what its process tree costs (read from ``/proc``).

``serve(script)`` starts ``streamlit run`` on a free loopback port and yields a
:class:`Server` once ``/_stcore/health`` answers. :class:`TreeSampler` samples, in a
background thread, the summed RSS of the server and all its descendants (the worker
pool) and every worker pid it has seen, so worker restarts can be counted afterwards.
:func:`cpu_split` tells where the machine's CPU time went: the server, its workers, the load
test itself (its browsers apart) and everything else running on the machine.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
PAGE = os.sysconf("SC_PAGE_SIZE")
MIB = 1 << 20
#: How a worker process of the pool shows up in ``/proc/<pid>/cmdline``.
WORKER_MARK = b"autodiff_viz.sandbox"


@dataclass(frozen=True)
class Server:
    url: str
    pid: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as reply:
            return bool(reply.read() == b"ok")
    except OSError:
        return False


@contextlib.contextmanager
def serve(
    script: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
    log_dir: Path | None = None,
) -> Iterator[Server]:
    """Run ``streamlit run script`` on loopback until the block ends.

    The server starts in the script's folder, so it reads that folder's ``.streamlit/config.toml``
    (the app's own next to ``app.py``; none, that is Streamlit's defaults, for the bare app).
    Its log goes to ``log_dir/server-<script>-<port>.log``, or nowhere.
    """
    port = free_port()
    log = subprocess.DEVNULL if log_dir is None else _log_file(log_dir, script, port)
    url = f"http://127.0.0.1:{port}"
    command = [
        *(sys.executable, "-m", "streamlit", "run", str(script)),
        *("--server.address", "127.0.0.1", "--server.port", str(port)),
        *("--server.headless", "true", "--browser.gatherUsageStats", "false"),
    ]
    proc = subprocess.Popen(
        command,
        cwd=script.parent,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + timeout
        while not healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                where = "" if log_dir is None else f"; see {log_dir}"
                raise RuntimeError(f"{script.name} did not start (exit {proc.poll()}){where}")
            time.sleep(0.2)
        yield Server(url, proc.pid)
    finally:
        # Workers live in process groups of their own: stop the server first (it closes
        # its pool), then make sure nothing of the tree is left.
        tree = descendants(proc.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for pid in tree:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if not isinstance(log, int):
            log.close()


def _log_file(log_dir: Path, script: Path, port: int) -> IO[bytes]:
    log_dir.mkdir(parents=True, exist_ok=True)
    return (log_dir / f"server-{script.stem}-{port}.log").open("wb")


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                kids += [int(k) for k in (task / "children").read_text().split()]
    return kids


def parent_of(pid: int) -> int:
    """The parent of a running process (``PPid`` of ``/proc/<pid>/status``)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("PPid:")).split()[1])


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children, ...)."""
    found: list[int] = []
    todo = _children(pid)
    while todo:
        child = todo.pop()
        found.append(child)
        todo += _children(child)
    return found


def rss(pid: int) -> int:
    """Resident bytes of one process (0 once it is gone)."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def cpu_seconds(pid: int, *, reaped: bool = False) -> float:
    """User + system CPU time one process has used so far (0 once it is gone).

    ``reaped`` adds what its children that ended (and were waited for) used.
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])
        if reaped:
            ticks += int(fields[13]) + int(fields[14])
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def machine_cpu_seconds() -> float:
    """CPU time every core of the machine has spent busy so far (``/proc/stat``)."""
    # user nice system idle iowait irq softirq steal ...: all but idle and iowait
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSplit:
    """CPU seconds by who used them: the app's server and workers, the load test, the rest."""

    server: float
    workers: float  # the server's descendants: workers, ``dot`` layouts
    client: float  # this process: the protocol-level tabs, samplers
    browsers: float  # this process's other descendants: Chromium and its driver
    others: float  # everything else on the machine

    def __sub__(self, earlier: CpuSplit) -> CpuSplit:
        return CpuSplit(*(a - b for a, b in zip(self.astuple(), earlier.astuple(), strict=True)))

    def astuple(self) -> tuple[float, float, float, float, float]:
        return (self.server, self.workers, self.client, self.browsers, self.others)


def cpu_split(server_pid: int) -> CpuSplit:
    """Cumulative CPU seconds so far, split as :class:`CpuSplit` says (subtract two of them)."""
    server_tree = descendants(server_pid)
    server = cpu_seconds(server_pid)
    # Reaped children of the server are workers that died and dot runs that ended.
    workers = cpu_seconds(server_pid, reaped=True) - server
    workers += sum(cpu_seconds(pid, reaped=True) for pid in server_tree)
    client = cpu_seconds(os.getpid())
    ours = set(descendants(os.getpid())) - {server_pid, *server_tree}
    browsers = sum(cpu_seconds(pid, reaped=True) for pid in ours)
    others = machine_cpu_seconds() - server - workers - client - browsers
    return CpuSplit(server, workers, client, browsers, others)


def pss(pid: int) -> int:
    """Proportional set size of one process: shared pages split among their users (0 once gone).

    Summed over a tree it counts each page once, like the memory limit of a container does;
    summed RSS counts a page shared by two processes twice.
    """
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def is_worker(pid: int) -> bool:
    try:
        return WORKER_MARK in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


class TreeSampler:
    """Peak summed RSS and PSS of a process tree, and the worker pids seen; sampled in a thread.

    RSS every ``interval``, PSS every ``pss_interval``: the kernel walks every page table of a
    process to sum its PSS, 27 ms of this process's CPU for the app's server and two workers
    (RSS: 0.1 ms), holding each one's memory map lock meanwhile. Sampled ten times a second
    that took a quarter of a core beside the crowd, from the app's measurement far more than
    from the bare app's one small process.
    """

    def __init__(self, pid: int, interval: float = 0.1, pss_interval: float = 1.0) -> None:
        self.pid = pid
        self.interval = interval
        self.pss_interval = pss_interval
        self._pss_due = 0.0
        self.peak_bytes = 0
        self.peak_server_bytes = 0
        self.peak_pss_bytes = 0
        self.workers_seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> int:
        tree = descendants(self.pid)
        self.workers_seen.update(pid for pid in tree if is_worker(pid))
        server = rss(self.pid)
        total = server + sum(rss(pid) for pid in tree)
        self.peak_server_bytes = max(self.peak_server_bytes, server)
        self.peak_bytes = max(self.peak_bytes, total)
        if time.monotonic() >= self._pss_due:
            everyone = [self.pid, *tree]
            self.peak_pss_bytes = max(self.peak_pss_bytes, sum(pss(pid) for pid in everyone))
            self._pss_due = time.monotonic() + self.pss_interval
        return total

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> TreeSampler:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()
