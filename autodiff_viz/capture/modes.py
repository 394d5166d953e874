"""The two torch modes a Recorder enters, and what they hand back to it.

:class:`DispatchRecorder` sees every aten op (``nn.Linear`` as ``t`` + ``addmm``)
and passes it to ``Recorder._on_op``; :class:`FunctionRecorder` catches the
Python-level calls capture must wrap: ``Tensor.backward``,
``torch.autograd.backward``, ``torch.autograd.grad`` (each becomes a captured
pass) and ``Tensor.data`` (its result is marked as a ``.data`` cut).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

if TYPE_CHECKING:
    from autodiff_viz.capture.recorder import Recorder


class DispatchRecorder(TorchDispatchMode):
    """Hands every aten op to the recorder, which runs it and writes down what it made."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    @classmethod
    def _should_skip_dynamo(cls) -> bool:
        # Nothing here is compiled (the sandbox refuses torch.compile): skip the
        # torch._disable_dynamo wrapper that would cost a call frame per aten op.
        return False

    def __torch_dispatch__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: Any = None
    ) -> Any:
        return self.recorder._on_op(func, args, kwargs or {})


class FunctionRecorder(TorchFunctionMode):
    """Turns backward calls into captured passes; marks ``.data`` results."""

    def __init__(self, recorder: Recorder) -> None:
        super().__init__()
        self.recorder = recorder

    def __torch_function__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: Any = None
    ) -> Any:
        kwargs = kwargs or {}
        handler = _HANDLERS.get(func)
        if handler is None or self.recorder._in_pass:
            return func(*args, **kwargs)
        return handler(self.recorder, func, args, kwargs)


def _on_backward(rec: Recorder, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    bound = inspect.signature(func).bind(*args, **kwargs).arguments
    outputs = bound["self"] if "self" in bound else bound["tensors"]
    return rec._run_pass(
        "backward",
        [outputs] if isinstance(outputs, torch.Tensor) else list(outputs),
        bool(bound.get("create_graph", False)),
        (),
        lambda: func(*args, **kwargs),
    )


def _on_grad(rec: Recorder, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    bound = inspect.signature(func).bind(*args, **kwargs).arguments
    outputs, inputs = bound["outputs"], bound["inputs"]
    return rec._run_pass(
        "autograd.grad",
        [outputs] if isinstance(outputs, torch.Tensor) else list(outputs),
        bool(bound.get("create_graph", False)),
        [inputs] if isinstance(inputs, torch.Tensor) else list(inputs),
        lambda: func(*args, **kwargs),
    )


def _on_data(rec: Recorder, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    out = func(*args, **kwargs)
    rec._tag(out, "data")
    return out


_HANDLERS: dict[Any, Callable[[Recorder, Any, tuple[Any, ...], dict[str, Any]], Any]] = {
    torch.Tensor.backward: _on_backward,
    torch.autograd.backward: _on_backward,
    torch.autograd.grad: _on_grad,
    cast(Any, torch.Tensor).data.__get__: _on_data,
}
