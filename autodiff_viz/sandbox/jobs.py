"""The jobs a worker runs, by name: the one table from a request's ``job`` to a function.

Imported only in the worker process (it pulls in torch through the job modules); the server
names a job by its key and never imports this module. Each function takes the request's
``args`` dict and returns JSON-ready data. Job names come from the application's code, never
from a user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from autodiff_viz.derivatives.job import derivative_job
from autodiff_viz.descent.job import descent_job
from autodiff_viz.sandbox import testjobs
from autodiff_viz.sandbox.execute import run_job

Job = Callable[[dict[str, Any]], Any]

JOBS: dict[str, Job] = {
    "run": run_job,
    "derivative": derivative_job,
    "descent": descent_job,
    # The pool's own tests and benchmark provoke every way a job can end with these.
    "echo": testjobs.echo,
    "sleep": testjobs.sleep,
    "spin": testjobs.spin,
    "crash": testjobs.crash,
    "alloc": testjobs.alloc,
    "write": testjobs.write,
}
