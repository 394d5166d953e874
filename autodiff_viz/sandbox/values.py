"""The objects a sandboxed program can hold, and the one door to their attributes.

A program never holds the ``torch`` module, a Python function, a frame or a
type: it holds tensors and plain values, plus the proxies defined here:

* :class:`Namespace` - a curated view of ``torch`` / ``torch.nn`` / ... whose
  members are exactly the rows of :mod:`~autodiff_viz.sandbox.allowlist`;
* :class:`SafeCallable` - one allowed function or bound method; calling it
  runs through :meth:`Meter.call_torch <autodiff_viz.sandbox.budgets.Meter.call_torch>`;
* :class:`Inert` - shows a repr and nothing else (a ``grad_fn`` is an
  :class:`InertGradFn` whose only member is ``name()``: hooks and
  ``next_functions`` stay out of reach).

:func:`get_attribute` and :func:`set_attribute` are the only way the
interpreter reads or writes ``obj.name``; they consult the allowlist by the
object's type and refuse everything else.
"""

from __future__ import annotations

import ast
import builtins
import operator
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from autodiff_viz.sandbox import allowlist as al
from autodiff_viz.sandbox import messages
from autodiff_viz.sandbox.budgets import (
    Meter,
    check_binop,
    check_format_spec,
    check_percent_format,
)
from autodiff_viz.sandbox.messages import error
from autodiff_viz.sandbox.metering import optimizer_attribute, type_name

_CONTEXT_TYPES = (torch.no_grad, torch.enable_grad, torch.set_grad_enabled)


@dataclass
class Context:
    """What every callable of one run shares: the meter and the printed text."""

    meter: Meter
    stdout: list[str] = field(default_factory=list)

    def write(self, text: str) -> None:
        self.meter.output(len(text))
        self.stdout.append(text)


class Inert:
    """A value that only shows itself, e.g. ``<torch._C.Generator object>``."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class InertGradFn(Inert):
    """A tensor's ``grad_fn`` as its name only: ``<MulBackward0 object>``."""

    __slots__ = ("op",)

    def __init__(self, op: str) -> None:
        super().__init__(f"<{op} object>")
        self.op = op


class TypeProxy(Inert):
    """A type usable in ``isinstance`` and nowhere else (``torch.Tensor``)."""

    __slots__ = ("kind",)

    def __init__(self, kind: type) -> None:
        super().__init__(f"<class '{kind.__module__}.{kind.__name__}'>")
        self.kind = kind


class SafeCallable:
    """One allowed callable; ``bound`` is prepended to the arguments (methods)."""

    __slots__ = ("_bound", "_category", "_ctx", "_fn", "name", "python_type")

    def __init__(
        self,
        name: str,
        fn: Callable[..., Any],
        category: str,
        ctx: Context,
        *,
        bound: Any = None,
        python_type: type | None = None,
    ) -> None:
        self.name = name
        self._fn = fn
        self._category = category
        self._ctx = ctx
        self._bound = bound
        #: the builtin type this stands for (``float`` in ``dtype=float``, isinstance)
        self.python_type = python_type

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        args = tuple(unwrap(a) for a in args)
        kwargs = {k: unwrap(v) for k, v in kwargs.items()}
        if self._bound is not None:
            args = (self._bound, *args)
        if self._category == al.PLAIN and not isinstance(self._bound, torch.Tensor):
            result = self._fn(*args, **kwargs)
        else:
            result = self._ctx.meter.call_torch(self._category, self._fn, args, kwargs)
        return wrap(result)

    def __repr__(self) -> str:
        if self.python_type is not None:
            return f"<class '{self.python_type.__name__}'>"
        return f"<built-in function {self.name}>"


class UserFunction:
    """A function the program defined with ``def``; ``run`` is the interpreter's call."""

    __slots__ = ("closure", "defaults", "kw_defaults", "name", "node", "run")

    def __init__(
        self,
        node: ast.FunctionDef,
        defaults: list[Any],
        kw_defaults: list[Any],
        closure: Any,
        run: Callable[[UserFunction, tuple[Any, ...], dict[str, Any]], Any],
    ) -> None:
        self.name = node.name
        self.node = node
        self.defaults = defaults
        self.kw_defaults = kw_defaults
        self.closure = closure
        self.run = run

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.run(self, args, kwargs)

    def __repr__(self) -> str:
        return f"<function {self.name}>"


class Namespace:
    """A curated module: ``torch``, ``torch.nn``, ... with the allowlist's members only."""

    __slots__ = ("_ctx", "_members", "_target", "path")

    def __init__(self, path: str, ctx: Context) -> None:
        self.path = path
        self._members = al.NAMESPACES[path]
        self._target = _import(path)
        self._ctx = ctx

    def member(self, name: str) -> Any:
        category = self._members.get(name)
        if category is None:
            raise error("refused", "attribute", owner=self.path, name=name, instead="")
        if category == al.NAMESPACE:
            return Namespace(f"{self.path}.{name}", self._ctx)
        real = getattr(self._target, name)
        if category == al.VALUE:
            return real
        if category == al.TYPE:
            return TypeProxy(real)
        if category == al.SEED:
            return SafeCallable(name, _manual_seed, al.PLAIN, self._ctx)
        if category == al.CONTEXT:
            return SafeCallable(name, real, al.PLAIN, self._ctx)
        return SafeCallable(name, real, category, self._ctx)

    def __repr__(self) -> str:
        return f"<module '{self.path}'>"


def _import(path: str) -> Any:
    module: Any = torch
    for part in path.split(".")[1:]:
        module = getattr(module, part)
    return module


def _manual_seed(seed: int) -> Inert:
    # The run happens inside torch.random.fork_rng(), which restores the
    # process's generator afterwards: reseeding here stays within the run.
    torch.manual_seed(seed)
    return Inert("<torch._C.Generator object>")


def unwrap(value: Any) -> Any:
    """What torch should receive for a proxy (``float`` for our ``float``)."""
    if isinstance(value, SafeCallable) and value.python_type is not None:
        return value.python_type
    if isinstance(value, TypeProxy):
        return value.kind
    return value


def wrap(value: Any) -> Any:
    """Keep results inside the safe world: generators become lists."""
    if isinstance(value, Iterable) and type(value).__name__ == "generator":
        return list(value)
    return value


# -- attributes ---------------------------------------------------------------


def get_attribute(obj: Any, name: str, ctx: Context) -> Any:
    """``obj.name`` as the allowlist permits it, else a ``refused`` error."""
    if isinstance(obj, Namespace):
        return obj.member(name)
    if isinstance(obj, torch.Tensor):
        return _tensor_attribute(obj, name, ctx)
    if isinstance(obj, torch.nn.Module):
        if name in al.MODULE_METHODS:
            return SafeCallable(name, getattr(type(obj), name), al.PLAIN, ctx, bound=obj)
        if name in al.MODULE_ATTRIBUTES and hasattr(obj, name):
            return getattr(obj, name)
    elif isinstance(obj, torch.optim.Optimizer):
        if name == "step":  # one call that updates every parameter: costed first
            return SafeCallable(name, ctx.meter.optimizer_step, al.PLAIN, ctx, bound=obj)
        if name in al.OPTIMIZER_METHODS:
            return SafeCallable(name, getattr(type(obj), name), al.PLAIN, ctx, bound=obj)
        if name in al.OPTIMIZER_ATTRIBUTES:
            return optimizer_attribute(obj, name)
    elif isinstance(obj, tuple) and type(obj).__module__ == "torch.return_types":
        if name in al.RETURN_TYPE_ATTRIBUTES:
            return getattr(obj, name)
    elif isinstance(obj, InertGradFn) and name == "name":
        return SafeCallable("name", lambda: obj.op, al.PLAIN, ctx)
    elif type(obj).__name__ in al.PYTHON_METHODS and name in al.PYTHON_METHODS[type(obj).__name__]:
        return _python_method(obj, name, ctx)
    if obj is None:  # Python's own error, with why a value is so often None here
        raise error("runtime", "none_attribute", exc_type="AttributeError", name=name)
    raise error("refused", "attribute", owner=_type_name(obj), name=name, instead="")


def _tensor_attribute(tensor: torch.Tensor, name: str, ctx: Context) -> Any:
    category = al.TENSOR_METHODS.get(name)
    if category is not None:
        return SafeCallable(name, getattr(torch.Tensor, name), category, ctx, bound=tensor)
    if name == "grad_fn":
        node = tensor.grad_fn
        return None if node is None else InertGradFn(type(node).__name__)
    if name in al.TENSOR_ATTRIBUTES:
        return getattr(tensor, name)
    advice = messages.advice(al.TENSOR_REFUSED.get(name, ""))
    raise error("refused", "attribute", owner="Tensor", name=name, instead=advice)


def set_attribute(obj: Any, name: str, value: Any) -> None:
    """``obj.name = value`` for the few writable tensor attributes."""
    if isinstance(obj, torch.Tensor) and name in al.TENSOR_SETTABLE:
        setattr(obj, name, value)
        return
    raise error("refused", "set_attribute", owner=_type_name(obj), name=name)


def _type_name(obj: Any) -> str:
    if isinstance(obj, Namespace):
        return obj.path
    return type_name(obj)  # never one of the sandbox's own classes


def _python_method(obj: Any, name: str, ctx: Context) -> SafeCallable:
    override = _CHECKED_METHODS.get((type(obj).__name__, name))
    if override is not None:
        return SafeCallable(name, lambda *a, **k: override(ctx, obj, *a, **k), al.PLAIN, ctx)
    return SafeCallable(name, getattr(type(obj), name), al.PLAIN, ctx, bound=obj)


class _SafeFormatter(string.Formatter):
    """``str.format`` without attribute or index lookups in field names."""

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if "." in field_name or "[" in field_name:
            raise error("refused", "attribute", owner="format", name=field_name, instead="")
        return super().get_field(field_name, args, kwargs)

    def format_field(self, value: Any, format_spec: str) -> Any:
        check_format_spec(format_spec)
        return super().format_field(value, format_spec)


_FORMATTER = _SafeFormatter()


def _format(ctx: Context, text: str, *args: Any, **kwargs: Any) -> str:
    ctx.meter.text(text, *args, *kwargs.values())  # every argument, as if each were used once
    return _FORMATTER.vformat(text, args, kwargs)


def _replace(ctx: Context, text: str, old: str, new: str, count: int = -1) -> str:
    ctx.meter.sequence(len(text) + (len(text) + 1) * len(new))
    return text.replace(old, new, count)


def _join(ctx: Context, sep: str, items: Iterable[Any]) -> str:
    parts = list(items)
    ctx.meter.sequence(sum(len(p) for p in parts if isinstance(p, str)) + len(sep) * len(parts))
    return sep.join(parts)


def _extend(ctx: Context, target: list[Any], items: Iterable[Any]) -> None:
    if isinstance(items, Sequence | range):
        ctx.meter.sequence(len(target) + len(items))
    target.extend(items)


_CHECKED_METHODS: dict[tuple[str, str], Callable[..., Any]] = {
    ("str", "format"): _format,
    ("str", "replace"): _replace,
    ("str", "join"): _join,
    ("list", "extend"): _extend,
}


def is_context_manager(value: Any) -> bool:
    return isinstance(value, _CONTEXT_TYPES)


# -- arithmetic shared by operators and builtins ----------------------------


def binary(meter: Meter, op: Callable[[Any, Any], Any], left: Any, right: Any) -> Any:
    """``op(left, right)`` with tensors bounded first and Python blow-ups refused."""
    if isinstance(left, torch.Tensor) or isinstance(right, torch.Tensor):
        category = al.MATMUL if op in (operator.matmul, operator.imatmul) else al.POINTWISE
        return meter.call_torch(category, op, (left, right), {})
    check_binop(op, left, right, meter)
    if op in (operator.mod, operator.imod) and isinstance(left, str):
        check_percent_format(left)
        meter.text(left, right)
    return op(left, right)


# -- builtins -------------------------------------------------------------------


def make_builtins(ctx: Context) -> dict[str, SafeCallable]:
    """The builtins of one run (names listed in ``allowlist.BUILTINS``)."""
    meter = ctx.meter

    def sized(items: Any) -> Any:
        if isinstance(items, torch.Tensor):  # list(x), zip(x, y): one tensor per row
            meter.tensors(items.shape[0] if items.dim() else 1)
        elif isinstance(items, range | list | tuple | str | dict | set):
            meter.sequence(len(items))
        return items

    def no_ambiguous_tensors(items: list[Any]) -> list[Any]:
        # Comparing multi-element tensors would broadcast (maybe hugely) before
        # Python reports the ambiguity: report it first, as PyTorch words it.
        for item in items:
            if isinstance(item, torch.Tensor) and item.numel() > 1:
                raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return items

    def print_(*args: Any, sep: str | None = " ", end: str | None = "\n") -> None:
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        meter.text(sep, end, *args)
        ctx.write(str(sep).join(str(a) for a in args) + str(end))

    def sum_(items: Iterable[Any], start: Any = 0) -> Any:
        total = start
        for item in sized(items):
            meter.step()
            total = binary(meter, operator.add, total, item)
        return total

    def extreme(pick: Callable[..., Any]) -> Callable[..., Any]:
        def choose(*args: Any, **kwargs: Any) -> Any:
            items = list(sized(args[0])) if len(args) == 1 else list(args)
            return pick(no_ambiguous_tensors(items), **kwargs)

        return choose

    def sorted_(items: Iterable[Any], **kwargs: Any) -> list[Any]:
        return sorted(no_ambiguous_tensors(list(sized(items))), **kwargs)

    def isinstance_(obj: Any, kinds: Any) -> bool:
        options = kinds if isinstance(kinds, tuple) else (kinds,)
        real = tuple(unwrap(k) for k in options)
        if not all(isinstance(k, type) for k in real):
            raise TypeError("isinstance() arg 2 must be a type or tuple of types")
        return isinstance(obj, real)

    def consumer(kind: Callable[..., Any]) -> Callable[..., Any]:
        def build(*args: Any, **kwargs: Any) -> Any:
            for arg in args:
                sized(arg)
            return kind(*args, **kwargs)

        return build

    functions: dict[str, Callable[..., Any]] = {
        "print": print_,
        "sum": sum_,
        "min": extreme(min),
        "max": extreme(max),
        "sorted": sorted_,
        "isinstance": isinstance_,
    }

    def repr_(value: Any) -> str:
        meter.text(value)
        return repr(value)

    def str_(*args: Any, **kwargs: Any) -> str:
        meter.text(*args[:1])  # str(b, "utf-8") decodes: its length is that of b
        return str(*args, **kwargs)

    functions["repr"] = repr_
    for name in ("len", "abs", "round", "divmod"):
        functions[name] = getattr(builtins, name)
    for name in ("any", "all", "zip", "enumerate", "reversed"):
        functions[name] = consumer(getattr(builtins, name))
    table = {name: SafeCallable(name, fn, al.PLAIN, ctx) for name, fn in functions.items()}
    for kind in (int, float, str, bool, list, tuple, dict, set, range):
        build = str_ if kind is str else consumer(kind)
        table[kind.__name__] = SafeCallable(kind.__name__, build, al.PLAIN, ctx, python_type=kind)
    return table
