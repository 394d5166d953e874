"""Jobs that exercise the worker pool itself: echo, busy-wait, crash, allocate, write.

They let the pool's tests and benchmark provoke every way a job can end —
answer, overrun, segfault, exhaust memory, touch the disk — without
depending on the interpreter. Each takes the request's ``args`` dict.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any


def echo(args: dict[str, Any]) -> dict[str, Any]:
    """Return ``args``; with ``"stdout": text``, first print it to fd 1 every way there is."""
    if "stdout" in args:
        print(args["stdout"])
        os.write(1, args["stdout"].encode())
    return args


def sleep(args: dict[str, Any]) -> float:
    """Burn CPU (not sleep: an endless loop is what a CPU limit must stop)."""
    end = time.monotonic() + float(args["seconds"])
    spins = 0
    while time.monotonic() < end:
        spins += 1
    return float(spins)


def spin(args: dict[str, Any]) -> float:
    """Burn ``cpu`` seconds of this process's CPU time, however long a busy machine takes."""
    end = time.process_time() + float(args["cpu"])
    while time.process_time() < end:
        pass
    return end


def crash(args: dict[str, Any]) -> None:
    """Die the way a broken native op does: ``how`` is "torch", "segv" or "abort"."""
    how = args.get("how", "torch")
    if how == "torch":
        import torch

        # Segfaults torch 2.13: an index far outside the sparse tensor's size.
        torch.sparse_coo_tensor(torch.tensor([[10**9]]), torch.ones(1), (4,)).to_dense()
        raise RuntimeError("this torch no longer crashes on an out-of-range sparse index")
    if how == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
    elif how == "abort":
        os.abort()
    raise ValueError(f"unknown crash {how!r}")


def alloc(args: dict[str, Any]) -> int:
    """Allocate and touch ``bytes`` bytes, with Python or (``torch: true``) torch."""
    size = int(args["bytes"])
    if args.get("torch"):
        import torch

        return int(torch.ones(size, dtype=torch.uint8).sum().item())
    block = bytearray(size)
    # Touch every page so the memory is resident, not just reserved.
    block[::4096] = b"\x01" * len(range(0, size, 4096))
    return size


def write(args: dict[str, Any]) -> int:
    """Write ``text`` to the file at ``path``; returns the number of characters written."""
    with Path(args["path"]).open("w") as file:
        written = file.write(args["text"])
        file.flush()
    return written
