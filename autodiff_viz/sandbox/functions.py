"""Calling the program's own functions: argument binding and decorators.

:func:`bind_arguments` is Python's binding of call arguments to the parameters
of a ``def`` or ``lambda`` (defaults, keyword-only, ``*args``, ``**kwargs``),
with CPython's own error texts. :class:`GradModeFunction` is what
``@torch.no_grad()`` / ``@torch.enable_grad()`` make of a function: torch's own
decorator would wrap it in a Python closure the sandbox cannot vouch for, so
the grad mode is entered here around each call instead.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

import torch

from autodiff_viz.sandbox.values import UserFunction

REQUIRED = object()  # a keyword-only parameter without a default

#: grad-mode classes a function may be decorated with (with or without parentheses)
GRAD_MODES: tuple[type, ...] = (torch.no_grad, torch.enable_grad, torch.inference_mode)


class GradModeFunction:
    """A callable run under a fresh grad-mode manager, like torch's decorator does."""

    __slots__ = ("call", "fn", "mode", "name")

    def __init__(self, fn: Any, mode: Any, call: Callable[..., Any]) -> None:
        self.fn = fn
        self.mode = mode  # a no_grad()/enable_grad() instance: cloned per call
        self.call = call
        self.name = getattr(fn, "name", "function")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self.mode.clone():
            return self.call(self.fn, args, kwargs)

    def __repr__(self) -> str:
        return repr(self.fn)


def bind_arguments(
    fn: UserFunction, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Python's argument binding for a ``def`` or ``lambda``."""
    spec: ast.arguments = fn.node.args
    positional = [a.arg for a in (*spec.posonlyargs, *spec.args)]
    keyword_only = [a.arg for a in spec.kwonlyargs]
    star = spec.vararg.arg if spec.vararg else None
    double_star = spec.kwarg.arg if spec.kwarg else None
    if len(args) > len(positional) and star is None:
        given = len(args)
        takes = len(positional)
        raise TypeError(
            f"{fn.name}() takes {takes} positional argument{'s' if takes != 1 else ''} "
            f"but {given} {'was' if given == 1 else 'were'} given"
        )
    local = dict(zip(positional, args, strict=False))  # fewer args: defaults follow
    if star is not None:
        local[star] = tuple(args[len(positional) :])
    extra: dict[str, Any] = {}
    posonly = {a.arg for a in spec.posonlyargs}
    for key, value in kwargs.items():
        if key in positional[: len(args)]:
            raise TypeError(f"{fn.name}() got multiple values for argument '{key}'")
        if key in posonly or (key not in positional and key not in keyword_only):
            if double_star is None:
                raise TypeError(f"{fn.name}() got an unexpected keyword argument '{key}'")
            extra[key] = value
            continue
        local[key] = value
    if double_star is not None:
        local[double_star] = extra
    if fn.defaults:
        for name, default in zip(positional[-len(fn.defaults) :], fn.defaults, strict=True):
            local.setdefault(name, default)
    for name, default in zip(keyword_only, fn.kw_defaults, strict=True):
        if default is not REQUIRED:
            local.setdefault(name, default)
    missing = [name for name in positional if name not in local]
    if missing:
        raise TypeError(_missing(fn.name, missing, "positional"))
    missing = [name for name in keyword_only if name not in local]
    if missing:
        raise TypeError(_missing(fn.name, missing, "keyword-only"))
    return local


def _missing(name: str, missing: list[str], kind: str) -> str:
    quoted = [f"'{m}'" for m in missing]
    names = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
    plural = "s" if len(missing) > 1 else ""
    return f"{name}() missing {len(missing)} required {kind} argument{plural}: {names}"
