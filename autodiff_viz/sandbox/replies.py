"""What a worker job comes back as: a :data:`Reply`, and a run's reply as a RunResult.

Every way a job can end (an answer, an exception in the job, a timeout, a
dead worker, no worker free in time, a server shutting down) is one reply
shape with words for the student in English and Chinese.
"""

from __future__ import annotations

from typing import Any

from autodiff_viz.result import ErrorKind, RunError, RunResult
from autodiff_viz.sandbox.limits import MEMORY_MESSAGE, explain_exit

#: Reply of :meth:`~autodiff_viz.sandbox.pool.WorkerPool.run_job`: ``{"ok": True, "result": ...}``
#: or ``{"ok": False, "error": {"kind", "message", "message_zh", "type"}}`` where kind is
#: "budget" (time, memory), "crash" (the worker died) or "error" (the job raised; ``type``
#: names the exception).
Reply = dict[str, Any]


def failure(kind: str, message: str, message_zh: str, exc_type: str | None = None) -> Reply:
    """A failed job's reply."""
    error = {"kind": kind, "message": message, "message_zh": message_zh, "type": exc_type}
    return {"ok": False, "error": error}


def job_reply(reply: Any) -> Reply:
    """What a worker sent, checked: its answer, or its exception as a failure."""
    if not isinstance(reply, dict) or "ok" not in reply:
        return failure("error", "the worker sent a malformed reply", "工作进程返回了无效的结果")
    if reply["ok"]:
        return reply
    exc_type = reply["error"].get("type")
    if exc_type == "MemoryError":
        return failure("budget", *MEMORY_MESSAGE, exc_type)
    text = f"{exc_type}: {reply['error'].get('message', '')}"
    return failure("error", text, text, exc_type)


def timeout_reply(timeout: float) -> Reply:
    """A job stopped for running past ``timeout`` seconds."""
    return failure(
        "budget",
        f"the program was stopped: it ran longer than {timeout:g} s",
        f"程序已被停止：运行时间超过 {timeout:g} 秒",
    )


def death_reply(status: int, *, closed: bool) -> Reply:
    """A worker that ended with wait ``status`` mid-job (or the pool closing under it)."""
    if closed:
        return failure("crash", "the server is shutting down", "服务器正在关闭")
    return failure(*explain_exit(status))


def busy_reply(queue_timeout: float, *, closed: bool) -> Reply:
    """No worker was free within ``queue_timeout`` seconds (or the pool closed meanwhile)."""
    if closed:
        return failure("crash", "the server is shutting down", "服务器正在关闭")
    return failure(
        "budget",
        f"the server is busy: no worker was free within {queue_timeout:g} s; please try again",
        f"服务器繁忙：{queue_timeout:g} 秒内没有空闲的工作进程，请稍后重试",
    )


def result_from_reply(reply: Reply) -> RunResult:
    """The RunResult of a "run" job's reply; a failed job becomes the run's error."""
    if reply["ok"]:
        return RunResult.from_dict(reply["result"])
    error = reply["error"]
    message, message_zh = error["message"], error["message_zh"]
    if error["kind"] == "error":
        # run_job turns every mistake in the program into a RunResult; an
        # exception that escapes it is the sandbox's own fault.
        message = f"the sandbox failed, not your program: {message}"
        message_zh = f"沙箱内部出错（不是你的程序的问题）：{message_zh}"
    kind: ErrorKind = "budget" if error["kind"] == "budget" else "crash"
    return RunResult(
        error=RunError(kind=kind, message=message, message_zh=message_zh, exc_type=error["type"])
    )
