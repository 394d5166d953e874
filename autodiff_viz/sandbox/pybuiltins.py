"""The builtins of one run: ``print``, ``len``, ``sum``, ``isinstance``, exception classes, ...

:func:`make_builtins` builds the table (the names of ``allowlist.BUILTINS``
less the class helpers the interpreter adds). Every function that consumes
an iterable sizes it first, so ``sum(range(10**12))`` is refused before it
runs; tensors pass through the same bounded arithmetic as the operators.
"""

from __future__ import annotations

import builtins
import operator
from collections.abc import Callable, Iterable
from typing import Any

import torch

from autodiff_viz.sandbox import allowlist as al
from autodiff_viz.sandbox.values import Context, SafeCallable, binary, unwrap

EXCEPTION_TYPES: dict[str, type[BaseException]] = {
    name: getattr(builtins, name) for name in al.EXCEPTIONS
}


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
    for name, exception in EXCEPTION_TYPES.items():
        table[name] = SafeCallable(name, exception, al.PLAIN, ctx, python_type=exception)
    return table
