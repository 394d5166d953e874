"""What a worker job comes back as: a :data:`Reply`, and a run's reply as a RunResult.

Every way a job can end (an answer, an exception in the job, a timeout, a
dead worker, no worker free in time, a server shutting down) is one reply
shape, naming a sentence for the student by its key.
"""

from __future__ import annotations

from typing import Any

from autodiff_viz.result import ErrorKind, RunError, RunResult
from autodiff_viz.sandbox.limits import MEMORY_MESSAGE, explain_exit

#: Reply of :meth:`~autodiff_viz.sandbox.pool.WorkerPool.run_job`: ``{"ok": True, "result": ...}``
#: or ``{"ok": False, "error": {"kind", "key", "fields", "type"}}`` where kind is "budget"
#: (time, memory), "crash" (the worker died) or "error" (the job raised; ``type`` names the
#: exception), and ``key`` a ``reply.*`` sentence of :mod:`autodiff_viz.i18n.sandbox`.
Reply = dict[str, Any]


def failure(kind: str, key: str, exc_type: str | None = None, /, **fields: object) -> Reply:
    """A failed job's reply: what went wrong as a message key and its fields."""
    error = {"kind": kind, "key": f"reply.{key}", "fields": fields, "type": exc_type}
    return {"ok": False, "error": error}


def job_reply(reply: Any) -> Reply:
    """What a worker sent, checked: its answer, or its exception as a failure."""
    if not isinstance(reply, dict) or "ok" not in reply:
        return failure("error", "malformed")
    if reply["ok"]:
        return reply
    exc_type = reply["error"].get("type")
    if exc_type == "MemoryError":
        return failure("budget", MEMORY_MESSAGE, exc_type)
    detail = str(reply["error"].get("message", ""))
    return failure("error", "job_failed", exc_type, type=exc_type, detail=detail)


def timeout_reply(timeout: float) -> Reply:
    """A job stopped for running past ``timeout`` seconds."""
    return failure("budget", "timeout", seconds=timeout)


def death_reply(status: int, *, closed: bool) -> Reply:
    """A worker that ended with wait ``status`` mid-job (or the pool closing under it)."""
    if closed:
        return failure("crash", "shutting_down")
    kind, key, fields = explain_exit(status)
    return failure(kind, key, None, **fields)


def busy_reply(queue_timeout: float, *, closed: bool) -> Reply:
    """No worker was free within ``queue_timeout`` seconds (or the pool closed meanwhile)."""
    if closed:
        return failure("crash", "shutting_down")
    return failure("budget", "busy", seconds=queue_timeout)


def reply_error(error: dict[str, Any]) -> RunError:
    """A failed job's error as a RunError, worded on the server when shown.

    An exception that escapes a job is the sandbox's own fault (every job turns
    the program's mistakes into its answer), and says so.
    """
    key, fields = error["key"], error["fields"]
    if error["kind"] == "error":
        key, fields = "reply.sandbox_failed", {"text": {"key": key, "fields": fields}}
    kind: ErrorKind = "budget" if error["kind"] == "budget" else "crash"
    return RunError(kind=kind, key=key, fields=fields, exc_type=error["type"])


def result_from_reply(reply: Reply) -> RunResult:
    """The RunResult of a "run" job's reply; a failed job becomes the run's error."""
    if reply["ok"]:
        return RunResult.from_dict(reply["result"])
    return RunResult(error=reply_error(reply["error"]))
