"""Exceptions as a program sees them: the classes it may name, raise and catch.

Only ``runtime`` errors carry a Python exception a program may catch. A
budget stop, a refusal or an error of the sandbox itself is a
:class:`~autodiff_viz.sandbox.messages.SandboxError` of another kind, and no
``except`` clause matches it — not ``except Exception``, not ``except
BaseException``, not a bare ``except:`` — so a ``while True`` inside ``try``
still stops. An exception object offers ``args`` and ``str()``/``repr()``;
its traceback, frames and context stay unreachable (the gate refuses every
``_`` name, and :func:`~autodiff_viz.sandbox.values.get_attribute` allows
``args`` only).
"""

from __future__ import annotations

import contextlib
from typing import Any

from autodiff_viz.sandbox.messages import SandboxError, scrub
from autodiff_viz.sandbox.pybuiltins import EXCEPTION_TYPES
from autodiff_viz.sandbox.values import SafeCallable


def caught(failure: SandboxError) -> BaseException | None:
    """The Python exception an ``except`` clause may see, or None if it is uncatchable."""
    if failure.kind != "runtime" or failure.exc_type is None:
        return None
    if failure.original is None:
        kind = EXCEPTION_TYPES.get(failure.exc_type)
        if kind is None:
            return None
        failure.original = kind(failure.message)
    text = str(failure.original)
    if scrub(text) != text:  # e.g. torch naming a sandbox stand-in in its message
        # an exception class with a signature of its own keeps its text
        with contextlib.suppress(Exception):
            failure.original = type(failure.original)(scrub(text))
    return failure.original


def exception_classes(handler_type: Any) -> tuple[type[BaseException], ...]:
    """The classes an ``except`` clause names; Python's TypeError for anything else."""
    options = handler_type if isinstance(handler_type, tuple) else (handler_type,)
    classes: list[type[BaseException]] = []
    for option in options:
        kind = option.python_type if isinstance(option, SafeCallable) else option
        if not (isinstance(kind, type) and issubclass(kind, BaseException)):
            raise TypeError(
                "catching classes that do not inherit from BaseException is not allowed"
            )
        classes.append(kind)
    return tuple(classes)


def to_raise(value: Any) -> BaseException:
    """What ``raise value`` raises: an instance, or a class called without arguments."""
    kind = value.python_type if isinstance(value, SafeCallable) else None
    if isinstance(kind, type) and issubclass(kind, BaseException):
        return kind()
    if isinstance(value, BaseException):
        return value
    raise TypeError("exceptions must derive from BaseException")
