"""Time to refusal of the budget reproducers of issue #15, each in a real worker process.

Run from the repository root: ``python -m benchmarks.bench_budgets``. Each program
runs in a fresh worker (the pool's address-space limit, a 12 s CPU limit) and
the table shows the wall time from sending it to the answer, how it ended
(``budget``/``runtime``/``ok``, or the worker's death) and the start of its message.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from autodiff_viz.i18n import message
from autodiff_viz.result import RunResult
from autodiff_viz.sandbox.limits import explain_exit
from autodiff_viz.sandbox.worker import WorkerGone, WorkerProcess, WorkerTimeout, encode_frame
from tests.sandbox.budget_cases import REPRODUCERS


def run_one(source: str) -> tuple[float, str, str]:
    """(seconds, outcome, message) of one program in a new worker."""
    worker = WorkerProcess()
    try:
        worker.receive(time.monotonic() + 120)  # the ready frame: torch imported, warm
        args = {"source": source, "options": {}}
        started = time.monotonic()
        worker.send(encode_frame({"job": "run", "args": args, "cpu_seconds": 12.0}))
        try:
            reply = worker.receive(time.monotonic() + 30)
        except WorkerTimeout:
            return time.monotonic() - started, "no answer", "killed by this script"
        except WorkerGone:
            elapsed = time.monotonic() - started
            kind, key, fields = explain_exit(worker.exit_status())
            return elapsed, f"died ({kind})", message(key, "en", fields)
        elapsed = time.monotonic() - started
    finally:
        worker.kill()
    if not reply.get("ok"):
        return elapsed, "worker error", str(reply.get("error"))
    result = RunResult.from_dict(reply["result"])
    if result.error is None:
        return elapsed, "ok", f"{len(result.warnings)} warnings, {len(result.notices)} notes"
    return elapsed, result.error.kind, result.error.message


def main() -> None:
    names = sys.argv[1:] or list(REPRODUCERS)
    print(f"{'reproducer':<20}{'seconds':>8}  {'outcome':<14}message")
    for name in names:
        seconds, outcome, message = run_one(REPRODUCERS[name][0])
        print(f"{name:<20}{seconds:>8.2f}  {outcome:<14}{message[:90]}", flush=True)


if __name__ == "__main__":
    main()
