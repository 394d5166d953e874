"""The one door to torch's private dispatch-mode stack.

Capture must step *below* its own :class:`~torch.utils._python_dispatch.TorchDispatchMode`
for a moment (its own copies and walks must not be recorded), and the sandbox's dry runs on
``meta`` tensors must not be seen by any mode. torch 2.13 offers no public call for either:
``TorchDispatchMode.__enter__``/``__exit__`` themselves use the underscored functions below,
and ``torch._C.DisableTorchFunction`` is how torch's own docs turn ``__torch_function__``
modes off.
Keeping them here means a torch upgrade that renames them breaks one small module, not three.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import cast

import torch
from torch.utils._python_dispatch import (
    TorchDispatchMode,
    _disable_current_modes,
    _get_current_dispatch_mode,
    _pop_mode,
    _push_mode,
)


def mode_on_top() -> TorchDispatchMode | None:
    """The dispatch mode that sees the next aten op, if any."""
    mode: TorchDispatchMode | None = _get_current_dispatch_mode()
    return mode


def pop_mode() -> None:
    """Take the top dispatch mode off the stack (put it back with :func:`push_mode`)."""
    _pop_mode()


def push_mode(mode: TorchDispatchMode) -> None:
    """Put ``mode`` back on top of the dispatch-mode stack."""
    _push_mode(mode)


def no_dispatch_modes() -> AbstractContextManager[object]:
    """A block no dispatch mode sees (modes come back when it ends)."""
    return cast(AbstractContextManager[object], _disable_current_modes())


def no_function_modes() -> AbstractContextManager[object]:
    """A block no ``__torch_function__`` mode (or subclass override) sees."""
    return cast(AbstractContextManager[object], torch._C.DisableTorchFunction())
