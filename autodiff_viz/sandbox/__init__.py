"""The safe language: run untrusted PyTorch programs and nothing else.

``run_program(source)`` runs a program in a warm worker process through the
allowlisted interpreter and returns a :class:`~autodiff_viz.result.RunResult`;
``run_job`` runs any registered worker job (derivative curves, descent paths).
Importing this package imports no torch: the interpreter itself
(``autodiff_viz.sandbox.execute``) is loaded only inside workers, or by
``run_program(..., isolated=False)`` in a notebook.
"""

from autodiff_viz.sandbox.options import Budgets, RunOptions
from autodiff_viz.sandbox.pool import WorkerPool, get_pool, run_job, run_program

__all__ = ["Budgets", "RunOptions", "WorkerPool", "get_pool", "run_job", "run_program"]
