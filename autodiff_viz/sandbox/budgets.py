"""Budgets of one run: counting steps and time, and bounding each op BEFORE it runs.

:class:`Meter` counts what a run spends (steps, loop iterations, call depth,
printed characters, tensor elements allocated) and raises a ``budget``
:class:`~autodiff_viz.sandbox.messages.SandboxError` naming the limit.

:meth:`Meter.call_torch` runs one torch callable under its allowlist category.
A single C++ op cannot be interrupted, so its size is bounded first: cheaply
when the product of its inputs' sizes already bounds output and work
(broadcasting and matmul cannot exceed it), otherwise by replaying the call on
``device="meta"`` copies, which compute shapes without touching memory.
"""

from __future__ import annotations

import operator
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import torch

from autodiff_viz.capture.mode_stack import no_dispatch_modes, no_function_modes
from autodiff_viz.sandbox import allowlist as al
from autodiff_viz.sandbox.messages import budget
from autodiff_viz.sandbox.metering import (
    measure_module,
    optimizer_params,
    optimizer_work,
    pieces,
    refuse_devices,
    text_size,
)
from autodiff_viz.sandbox.options import Budgets

TIME_CHECK_EVERY = 256  # steps between two looks at the clock
MAX_INT_BITS = 100_000  # Python ints larger than this are refused (10**10**10, 1 << 10**9)
MAX_FORMAT_WIDTH = 10_000  # widths in format specs ("{:099999999}")


class Meter:
    """What one run has spent so far, against its :class:`Budgets`."""

    def __init__(self, limits: Budgets) -> None:
        self.limits = limits
        self.steps = 0
        self.depth = 0
        self.printed = 0
        self.allocated = 0
        self.deadline = time.monotonic() + limits.seconds

    # -- interpreter -------------------------------------------------------
    def step(self) -> None:
        self.steps += 1
        if self.steps > self.limits.steps:
            raise budget("steps", "steps", limit=self.limits.steps)
        if self.steps % TIME_CHECK_EVERY == 0:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise budget("seconds", "seconds", limit=self.limits.seconds)

    def loop(self, iterations: int) -> None:
        if iterations > self.limits.loop_iterations:
            raise budget("loop_iterations", "per_loop", limit=self.limits.loop_iterations)

    @contextmanager
    def call(self) -> Iterator[None]:
        """One level of user-function calls."""
        if self.depth >= self.limits.recursion_depth:
            raise budget("recursion_depth", "nested_calls", limit=self.limits.recursion_depth)
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def output(self, chars: int) -> None:
        self.printed += chars
        if self.printed > self.limits.output_chars:
            raise budget("output_chars", "characters", limit=self.limits.output_chars)

    def sequence(self, length: int) -> None:
        if length > self.limits.sequence_length:
            raise budget("sequence_length", "over", size=length, limit=self.limits.sequence_length)

    def text(self, *values: Any) -> None:
        """Refuse before ``str``/``repr``/``print``/formatting builds text past the limit."""
        limit = self.limits.sequence_length
        total = 0
        for value in values:
            total += text_size(value, limit - total)
            if total > limit:
                raise budget("text_length", "more_than", limit=limit)

    def tensors(self, count: int) -> None:
        """Refuse an op (or ``list(x)``) that would return ``count`` separate tensors."""
        if count > self.limits.tensors_per_op:
            raise budget("tensors_per_op", "over", size=count, limit=self.limits.tensors_per_op)

    # -- tensors -----------------------------------------------------------
    def elements_fit(self, numel: int) -> None:
        """Refuse before allocating a tensor of ``numel`` elements."""
        if numel > self.limits.tensor_elements:
            raise budget("tensor_elements", "over", size=numel, limit=self.limits.tensor_elements)

    def elements(self, numel: int) -> None:
        """Account for a new tensor of ``numel`` elements."""
        self.elements_fit(numel)
        self.allocated += numel
        if self.allocated > self.limits.total_elements:
            raise budget("total_elements", "total", limit=self.limits.total_elements)

    def call_torch(
        self, category: str, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        """Run ``fn(*args, **kwargs)`` after bounding its cost by ``category``."""
        refuse_devices(fn, args, kwargs)
        if category in (al.POINTWISE, al.REDUCE, al.MATMUL):
            if product_of_sizes(args, kwargs) > min(
                self.limits.tensor_elements, self.limits.flops_per_op
            ):
                self._replay(category, fn, args, kwargs, factory=False)
        elif category == al.CONCAT:
            self.elements_fit(sum(_tensor_sizes(args, kwargs)))
        elif category == al.META:
            self._replay(category, fn, args, kwargs, factory=False)
        elif category == al.FACTORY:
            self._replay(category, fn, args, kwargs, factory=True)
        elif category == al.DATA and args:
            self.elements(nested_numel(args[0]))
        elif category == al.EXPAND:  # a view, but of more elements than its input
            self._replay(category, fn, args, kwargs, factory=False)
        elif category == al.VIEW:
            self.tensors(pieces(fn, args, kwargs))
        elif category == al.BACKWARD:
            self.graph(args, kwargs)
        elif category == al.OPTIMIZER:
            given = args[0] if args else kwargs.get("params", [])
            self.optimizer(getattr(fn, "__name__", ""), optimizer_params(given))
        result = fn(*args, **kwargs)
        if category == al.VIEW:
            self._copies(args, result)
        elif category != al.EXPAND:
            for numel in _result_sizes(result):
                self.elements(numel)
        return result

    def _copies(self, args: tuple[Any, ...], result: Any) -> None:
        """A "view" op that had to copy (``reshape`` of a transposed tensor) allocated."""
        source = args[0] if args and isinstance(args[0], torch.Tensor) else None
        if source is None or not isinstance(result, torch.Tensor) or result.numel() == 0:
            return
        if result.untyped_storage().data_ptr() != source.untyped_storage().data_ptr():
            self.elements(result.numel())

    def optimizer(self, kind: str, params: list[torch.Tensor], state_exists: bool = True) -> None:
        """Refuse an optimiser whose step would do more than one op's worth of work."""
        work, state = optimizer_work(kind, params)
        if work > self.limits.flops_per_op:
            raise budget("optimizer_work", "flops", size=work, limit=self.limits.flops_per_op)
        if not state_exists:
            self.allocated += state  # the first step creates momentum/Adam buffers
            if self.allocated > self.limits.total_elements:
                raise budget("total_elements", "total", limit=self.limits.total_elements)

    def optimizer_step(self, opt: torch.optim.Optimizer, *args: Any, **kwargs: Any) -> Any:
        """``opt.step()`` after costing it by parameters x state."""
        params = [p for group in opt.param_groups for p in group["params"]]
        self.optimizer(type(opt).__name__, params, state_exists=bool(opt.state))
        return opt.step(*args, **kwargs)

    def call_module(
        self, module: torch.nn.Module, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        """Call an nn.Module (``model(x)``, ``loss_fn(y, t)``) with the same bounds."""
        if product_of_sizes((module, *args), kwargs) > min(
            self.limits.tensor_elements, self.limits.flops_per_op
        ):
            # Replayed on meta with its real FLOPs counted: nn.Bilinear is one op doing
            # B*I1*I2*O multiply-adds, far beyond what its tensors' sizes suggest.
            self._replay(al.META, module, args, kwargs, factory=False)
        result = module(*args, **kwargs)
        for numel in _result_sizes(result):
            self.elements(numel)
        return result

    def graph(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Refuse a backward pass over more autograd nodes than the budget allows."""
        roots = kwargs.get("outputs", kwargs.get("tensors", args[0] if args else None))
        limit = self.limits.autograd_nodes
        if count_nodes(roots, limit) > limit:
            raise budget("autograd_nodes", "nodes", limit=limit)

    def _replay(
        self,
        category: str,
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        factory: bool,
    ) -> None:
        try:
            with quiet():
                meta_args = tuple(_to_meta(a, keep_scalars=factory) for a in args)
                meta_kwargs = {k: _to_meta(v, keep_scalars=factory) for k, v in kwargs.items()}
                if factory:
                    meta_kwargs["device"] = "meta"
                module_work = 0
                if isinstance(fn, torch.nn.Module):
                    out, module_work = measure_module(fn, meta_args, meta_kwargs)
                else:
                    out = fn(*meta_args, **meta_kwargs)
        except NotImplementedError:
            raise budget("tensor_elements", "data_dependent") from None
        except Exception as exc:
            if "meta" in str(exc).lower():
                raise budget("tensor_elements", "data_dependent") from None
            return  # a genuine error: the real call raises it with PyTorch's own words
        sizes = list(_result_sizes(out))
        for numel in sizes:
            self.elements_fit(numel)
        work = sum(sizes) + sum(_tensor_sizes(args, kwargs))
        if category == al.MATMUL:
            first = next((a for a in args if isinstance(a, torch.Tensor)), None)
            inner = first.shape[-1] if first is not None and first.dim() else 1
            work = sum(sizes) * inner
        elif isinstance(fn, torch.nn.Module):
            work = module_work
        if work > self.limits.flops_per_op:
            raise budget("flops_per_op", "flops", size=work, limit=self.limits.flops_per_op)


@contextmanager
def quiet() -> Iterator[None]:
    """Hide a dry run from torch function/dispatch modes (the graph recorder)."""
    with no_function_modes(), no_dispatch_modes(), torch.no_grad():
        yield


def _to_meta(value: Any, *, keep_scalars: bool) -> Any:
    if isinstance(value, torch.Tensor):
        if keep_scalars and value.dim() == 0 and value.device.type == "cpu":
            return value  # a size given as a 0-dim tensor must stay readable
        return value.detach().to("meta")
    if isinstance(value, torch.nn.Module):
        return value
    if isinstance(value, list | tuple):
        return type(value)(_to_meta(v, keep_scalars=keep_scalars) for v in value)
    return value


def _tensor_sizes(args: Any, kwargs: dict[str, Any] | None = None) -> Iterator[int]:
    stack: list[Any] = [args, *(kwargs or {}).values()]
    while stack:
        item = stack.pop()
        if isinstance(item, torch.Tensor):
            yield item.numel()
        elif isinstance(item, torch.nn.Module):
            yield from (p.numel() for p in item.parameters())
        elif isinstance(item, list | tuple):
            if len(item) > 64 and not any(isinstance(x, torch.Tensor) for x in item[:1]):
                yield len(item)  # a long list of numbers (an index): count it once
            else:
                stack.extend(item)


def product_of_sizes(args: Any, kwargs: dict[str, Any] | None = None) -> int:
    """Product of input sizes: bounds broadcast output, reductions and m*n*k."""
    total = 1
    for numel in _tensor_sizes(args, kwargs):
        total *= max(1, numel)
        if total > 1 << 62:
            break
    return total


def _result_sizes(result: Any) -> Iterator[int]:
    if isinstance(result, torch.Tensor):
        yield result.numel()
    elif isinstance(result, torch.nn.Module):
        yield sum(p.numel() for p in result.parameters())
    elif isinstance(result, tuple | list):
        for item in result:
            if isinstance(item, torch.Tensor):
                yield item.numel()


def nested_numel(data: Any) -> int:
    """Elements a tensor built from nested Python lists would have (shape from the first items)."""
    numel = 1
    while isinstance(data, list | tuple | range) and not isinstance(data, torch.Tensor):
        numel *= len(data)
        if not data:
            break
        data = data[0]
    if isinstance(data, torch.Tensor):
        numel *= data.numel()
    return numel


def count_nodes(roots: Any, limit: int) -> int:
    """Autograd nodes reachable from ``roots`` (stops counting past ``limit``)."""
    tensors = roots if isinstance(roots, list | tuple) else [roots]
    stack = [t.grad_fn for t in tensors if isinstance(t, torch.Tensor) and t.grad_fn is not None]
    seen: set[int] = set()
    while stack and len(seen) <= limit:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(nxt for nxt, _ in node.next_functions if nxt is not None)
    return len(seen)


# -- Python-level blow-ups ---------------------------------------------------
_SEQUENCE = (str, list, tuple, bytes)


def check_binop(op: Callable[[Any, Any], Any], left: Any, right: Any, meter: Meter) -> None:
    """Refuse ``10**10**10``, ``1 << 10**9``, ``[0] * 10**9``, ``s + s`` doubling past limits."""
    if op in (operator.mul, operator.imul):
        for seq, times in ((left, right), (right, left)):
            if isinstance(seq, _SEQUENCE) and isinstance(times, int):
                meter.sequence(len(seq) * max(times, 0))
    elif (
        op in (operator.add, operator.iadd)
        and isinstance(left, _SEQUENCE)
        and isinstance(right, _SEQUENCE)
    ):
        meter.sequence(len(left) + len(right))
    if not (_is_int(left) and _is_int(right)):
        return
    if op in (operator.pow, operator.ipow) and right > 0:
        bits = abs(left).bit_length() * right if abs(left) > 1 else 1
    elif op in (operator.lshift, operator.ilshift) and right > 0:
        bits = abs(left).bit_length() + right
    elif op in (operator.mul, operator.imul):
        bits = abs(left).bit_length() + abs(right).bit_length()
    else:
        return
    if bits > MAX_INT_BITS:
        raise budget("int_bits", "bits", size=bits, limit=MAX_INT_BITS)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_format_spec(spec: str) -> None:
    """Refuse format widths that would build huge strings (``"{:>999999999}"``)."""
    if "*" in spec or any(int(run) > MAX_FORMAT_WIDTH for run in re.findall(r"\d+", spec)):
        raise budget("sequence_length", "format_width", limit=MAX_FORMAT_WIDTH)


def check_percent_format(template: str) -> None:
    """The same for ``"%0999999999d" % 1`` and ``"%*d" % (10**9, 1)``."""
    for spec in _PERCENT_SPEC.findall(template):
        check_format_spec(spec)


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?([-#0 +]*[\d*]*(?:\.[\d*]*)?)[a-zA-Z%]")
