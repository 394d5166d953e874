"""Run a user's program in this process: :func:`execute` and :func:`compile_function`.

``execute(source, options)`` never raises for anything the user typed: the
program is gated, interpreted under budgets inside a forked RNG with the
process-wide torch state restored afterwards, its backward passes recorded
as graphs, and everything comes back as a
:class:`~autodiff_viz.result.RunResult`. The worker process calls it; the
app never runs it in the server.

``compile_function(expr, params)`` gives the derivative and descent pages a
callable ``f(x)`` / ``f(x, y)`` evaluated by the same interpreter.
"""

from __future__ import annotations

import logging
import reprlib
import sys
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch

from autodiff_viz.capture.recorder import Recorder
from autodiff_viz.capture.tensors import tensor_value
from autodiff_viz.result import Notice, RunError, RunResult, Variable
from autodiff_viz.sandbox.bounds import result_payload
from autodiff_viz.sandbox.budgets import Meter
from autodiff_viz.sandbox.gate import check_expression, check_program, prepare
from autodiff_viz.sandbox.interpreter import Interpreter
from autodiff_viz.sandbox.messages import SandboxError, error, notice
from autodiff_viz.sandbox.metering import WarningLog, warm_up_replay
from autodiff_viz.sandbox.options import Budgets, RunOptions
from autodiff_viz.sandbox.scripts import lookalike_notices
from autodiff_viz.sandbox.values import Context, Namespace, SafeCallable, make_builtins

log = logging.getLogger(__name__)

PYTHON_RECURSION_LIMIT = 20_000  # the interpreter recurses per AST level and user call
_VARIABLE_REPR = reprlib.Repr()
_VARIABLE_REPR.maxother = 400
_VARIABLE_REPR.maxstring = 400


def execute(source: str, options: RunOptions | None = None) -> RunResult:
    """Run ``source`` under ``options``; every outcome is a RunResult."""
    options = options or RunOptions()
    started = time.perf_counter()
    try:
        tree = check_program(source)
    except SandboxError as exc:
        return RunResult(error=exc.to_run_error(), elapsed_ms=_ms(started))
    interp = _interpreter(options.budgets)
    recorder = Recorder(
        max_graphs=options.max_graphs,
        max_elements=options.max_elements,
        names=interp.names,
        line=lambda: interp.line,
        source=source,
        max_nodes=options.budgets.autograd_nodes,
    )
    failure: RunError | None = None
    caught = WarningLog()
    with isolated_torch_state(options.seed), warnings.catch_warnings():
        caught.install()
        try:
            with recorder:
                shown, value = interp.run(tree)
                if shown and value is not None:
                    try:
                        interp.meter.text(value)
                    except SandboxError as exc:
                        raise exc.at(interp.line) from None
                    interp.ctx.write(f"{value!r}\n")  # what a notebook shows for a bare last line
                if options.backward_of and not recorder.graphs:
                    _backward_of(recorder, interp, options)
        except SandboxError as exc:
            failure = exc.to_run_error()
        except Exception as exc:  # a bug of ours: say so, keep the user's run alive
            log.exception("sandbox internal error")
            failure = error("runtime", "internal", interp.line, detail=repr(exc)).to_run_error()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reading .grad of non-leaves here is ours, not the user's
        variables = _variables(interp, options.max_elements)
    return RunResult(
        stdout="".join(interp.ctx.stdout),
        error=failure,
        graphs=tuple(recorder.graphs),
        graph_lines=tuple(recorder.graph_lines),
        graphs_dropped=recorder.dropped,
        variables=variables,
        warnings=tuple(caught.kept),
        notices=_notices(source, caught),
        elapsed_ms=_ms(started),
    )


def _notices(source: str, caught: WarningLog) -> tuple[Notice, ...]:
    """The sandbox's own warnings: look-alike names, warnings left out."""
    found = lookalike_notices(prepare(source))
    if caught.more:
        found.append(notice("warnings_more", count=caught.more))
    return tuple(found)


def _interpreter(limits: Budgets) -> Interpreter:
    ctx = Context(Meter(limits))
    interp = Interpreter(ctx, make_builtins(ctx))
    # A cell pasted from the middle of a notebook has no `import torch`: bind it anyway.
    interp.globals.vars["torch"] = Namespace("torch", ctx)
    return interp


@contextmanager
def isolated_torch_state(seed: int) -> Iterator[None]:
    """Run with its own RNG stream; leave grad mode, dtype, threads as they were."""
    grad_mode = torch.is_grad_enabled()
    dtype = torch.get_default_dtype()
    anomaly = torch.is_anomaly_enabled()
    threads = torch.get_num_threads()
    recursion = sys.getrecursionlimit()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        sys.setrecursionlimit(max(recursion, PYTHON_RECURSION_LIMIT))
        try:
            yield
        finally:
            sys.setrecursionlimit(recursion)
            torch.set_grad_enabled(grad_mode)
            torch.set_default_dtype(dtype)
            torch.autograd.set_detect_anomaly(anomaly)
            if torch.get_num_threads() != threads:
                torch.set_num_threads(threads)


def _backward_of(recorder: Recorder, interp: Interpreter, options: RunOptions) -> None:
    name = options.backward_of or ""
    target = interp.globals.vars.get(name)
    if not isinstance(target, torch.Tensor):
        raise error("runtime", "name", exc_type="NameError", name=name)
    if not target.requires_grad:  # nothing to differentiate: the result has no graph
        return
    gradient: torch.Tensor | None = None
    if target.dim() and options.gradient == "custom":
        gradient = torch.tensor(options.custom_gradient, dtype=target.dtype).reshape(target.shape)
    elif target.dim() and options.gradient == "mean":
        gradient = torch.full_like(target, 1.0 / target.numel())
    elif target.dim():
        gradient = torch.ones_like(target)  # "ones" and "sum" give the same vector
    interp.meter.graph((target,), {})
    recorder.backward_of(target, gradient=gradient)


def _variables(interp: Interpreter, max_elements: int) -> tuple[Variable, ...]:
    out = []
    for name, value in interp.globals.vars.items():
        if isinstance(value, Namespace | SafeCallable):
            continue
        try:
            out.append(_variable(name, value, max_elements))
        except Exception:  # a value we cannot summarise must not hide the run's result
            log.exception("cannot summarise variable %s", name)
    return tuple(out)


def _variable(name: str, value: Any, max_elements: int) -> Variable:
    if isinstance(value, torch.Tensor):
        node = value.grad_fn
        return Variable(
            name=name,
            type=type(value).__name__,
            value=tensor_value(value.detach(), max_elements),
            text=_VARIABLE_REPR.repr(value),
            grad=None if value.grad is None else tensor_value(value.grad, max_elements),
            requires_grad=value.requires_grad,
            is_leaf=value.is_leaf,
            grad_fn=None if node is None else type(node).__name__,
        )
    return Variable(name=name, type=type(value).__name__, text=_VARIABLE_REPR.repr(value))


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


class SafeFunction:
    """An expression in named parameters, evaluated by the sandbox at each call."""

    def __init__(self, expr: str, params: tuple[str, ...], budgets: Budgets) -> None:
        self.expr = expr
        self.params = params
        self._tree = check_expression(expr)
        self._budgets = budgets

    def __call__(self, *args: torch.Tensor) -> torch.Tensor:
        if len(args) != len(self.params):
            raise TypeError(f"expected {len(self.params)} arguments, got {len(args)}")
        interp = _interpreter(self._budgets)
        interp.globals.vars.update(zip(self.params, args, strict=True))
        with isolated_torch_state(0):
            value = interp.evaluate(self._tree)
        if isinstance(value, torch.Tensor):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return torch.as_tensor(float(value))
        raise error(
            "runtime",
            "runtime",
            1,
            exc_type="TypeError",
            name="TypeError",
            detail=f"the expression gives a {type(value).__name__}, not a number or tensor",
        )

    def __repr__(self) -> str:
        return f"SafeFunction({self.expr!r}, {self.params!r})"


def compile_function(
    expr: str, params: tuple[str, ...], budgets: Budgets | None = None
) -> SafeFunction:
    """Check ``expr`` once; raise SandboxError (``.to_run_error()``) if it may not run."""
    for name in params:
        if not name.isidentifier() or name.startswith("_") or name == "torch":
            raise error("refused", "underscore" if name.startswith("_") else "name", name=name)
    return SafeFunction(expr, params, budgets or Budgets())


def run_job(args: dict[str, Any]) -> dict[str, Any]:
    """The worker's ``run`` job: ``{"source", "options"}`` in, the bounded result's data out.

    Data, not JSON text: the frame is the one encoding, read once on the server
    (``RunResult.from_dict``); what it may carry is bounded in :mod:`.bounds`.
    """
    options = RunOptions.from_dict(args.get("options") or {})
    return result_payload(execute(str(args.get("source", "")), options))


#: Touches what PyTorch loads lazily on first use (optimizers pull in parts of dynamo and
#: look for a temporary directory): a worker runs it before its file-size limit is set, so
#: the first student's program neither pays for the imports nor trips over the limit.
WARM_UP = """
import torch
from torch import nn, optim
x = torch.tensor([1.0, 2.0], requires_grad=True)
layer = nn.Linear(2, 1)
loss = nn.MSELoss()(layer(x.reshape(1, 2)), torch.zeros(1, 1))
loss.backward()
for opt in (optim.SGD([x], lr=0.1, momentum=0.9), optim.Adam([x]), optim.RMSprop([x])):
    opt.zero_grad()
    y = (x ** 2).sum() + torch.sin(x).mean()
    y.backward()
    opt.step()
(g,) = torch.autograd.grad((x ** 3).sum(), x, create_graph=True)
g.sum().backward()
print(torch.randn(size=(2,)), layer.weight.grad)
"""


def warm_up() -> None:
    """Run :data:`WARM_UP` once; a failure here is a bug in the sandbox, so it raises."""
    result = execute(WARM_UP)
    warm_up_replay()
    if result.error is not None:
        raise RuntimeError(f"sandbox warm-up failed: {result.error.message}")
