"""The two torch modes a Recorder enters, and what they hand back to it.

Both talk to their host through :class:`ModeHost`, the few public members a
:class:`~autodiff_viz.capture.recorder.Recorder` offers them (no import cycle).
:class:`DispatchRecorder` sees every aten op (``nn.Linear`` as ``t`` + ``addmm``)
and passes it to ``ModeHost.on_op``; :class:`FunctionRecorder` catches the
Python-level calls capture must wrap: ``Tensor.backward``,
``torch.autograd.backward``, ``torch.autograd.grad`` (each becomes a captured
pass) and ``Tensor.data`` (its result is marked as a ``.data`` cut).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any, Protocol, cast

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

from autodiff_viz.graph import CallKind, CutReason


class ModeHost(Protocol):
    """What the modes need from the recorder that entered them."""

    in_pass: bool  # True while a backward pass runs (its calls are not new passes)

    def on_op(self, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any: ...

    def run_pass(
        self,
        call: CallKind,
        outputs: list[torch.Tensor],
        create_graph: bool,
        inputs: Sequence[torch.Tensor],
        run: Callable[[], Any],
    ) -> Any: ...

    def tag(self, out: Any, reason: CutReason) -> None: ...


class DispatchRecorder(TorchDispatchMode):
    """Hands every aten op to the recorder, which runs it and writes down what it made."""

    def __init__(self, recorder: ModeHost) -> None:
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
        return self.recorder.on_op(func, args, kwargs or {})


class FunctionRecorder(TorchFunctionMode):
    """Turns backward calls into captured passes; marks ``.data`` results."""

    def __init__(self, recorder: ModeHost) -> None:
        super().__init__()
        self.recorder = recorder

    def __torch_function__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: Any = None
    ) -> Any:
        kwargs = kwargs or {}
        handler = _HANDLERS.get(func)
        if handler is None or self.recorder.in_pass:
            return func(*args, **kwargs)
        return handler(self.recorder, func, args, kwargs)


def _on_backward(rec: ModeHost, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    bound = inspect.signature(func).bind(*args, **kwargs).arguments
    outputs = bound["self"] if "self" in bound else bound["tensors"]
    return rec.run_pass(
        "backward",
        [outputs] if isinstance(outputs, torch.Tensor) else list(outputs),
        bool(bound.get("create_graph", False)),
        (),
        lambda: func(*args, **kwargs),
    )


def _on_grad(rec: ModeHost, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    bound = inspect.signature(func).bind(*args, **kwargs).arguments
    outputs, inputs = bound["outputs"], bound["inputs"]
    return rec.run_pass(
        "autograd.grad",
        [outputs] if isinstance(outputs, torch.Tensor) else list(outputs),
        bool(bound.get("create_graph", False)),
        [inputs] if isinstance(inputs, torch.Tensor) else list(inputs),
        lambda: func(*args, **kwargs),
    )


def _on_data(rec: ModeHost, func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    out = func(*args, **kwargs)
    rec.tag(out, "data")
    return out


_HANDLERS: dict[Any, Callable[[ModeHost, Any, tuple[Any, ...], dict[str, Any]], Any]] = {
    torch.Tensor.backward: _on_backward,
    torch.autograd.backward: _on_backward,
    torch.autograd.grad: _on_grad,
    cast(Any, torch.Tensor).data.__get__: _on_data,
}
