"""Which ``nn.Module`` call made each op: :class:`ModuleScopes` and :func:`module_labels`.

While a Recorder records, two global module hooks (``register_module_forward_pre_hook``
and ``register_module_forward_hook``, removed on exit) keep a stack of the module
calls now running; each op's record remembers the innermost one
(:attr:`ModuleScopes.current`, one attribute read per op). When a Graph is built,
:func:`module_labels` turns those calls into ``Node.module`` labels: the path of
the module among the user's variables (``model.0``, found with ``named_modules``
from a Module bound to a name), its type, and ``" #2"``, ``" #3"``, ... on the
later calls of one module instance in the same graph.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from types import TracebackType
from typing import Any

import torch
from torch.nn.modules.module import (
    register_module_forward_hook,
    register_module_forward_pre_hook,
)
from torch.utils.hooks import RemovableHandle

#: A module's path among the user's variables, by ``id(module)``; the module is kept
#: next to its path so that the id cannot be reused meanwhile.
ModulePaths = dict[int, tuple[torch.nn.Module, str]]


@dataclass(frozen=True, slots=True, eq=False)
class ModuleCall:
    """One call of a module's ``forward``; ``seq`` orders the calls of a recording."""

    module: torch.nn.Module
    seq: int


class ModuleScopes:
    """A context manager keeping the stack of module calls running inside it."""

    def __init__(self) -> None:
        #: The innermost module call now running, None outside any module.
        self.current: ModuleCall | None = None
        self._stack: list[ModuleCall | None] = []
        self._seq = count()
        self._handles: list[RemovableHandle] = []

    def __enter__(self) -> ModuleScopes:
        self._handles = [
            register_module_forward_pre_hook(self._enter_call),
            # always_call: a forward that raises still pops its call.
            register_module_forward_hook(self._exit_call, always_call=True),
        ]
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self._stack.clear()
        self.current = None

    def _enter_call(self, module: torch.nn.Module, args: Any) -> None:
        self._stack.append(self.current)
        self.current = ModuleCall(module, next(self._seq))

    def _exit_call(self, module: torch.nn.Module, args: Any, output: Any) -> None:
        # A module entered before the hooks were placed has no entry to pop.
        if self._stack:
            self.current = self._stack.pop()


def module_paths(names: Mapping[str, object]) -> ModulePaths:
    """Every module reachable from a Module bound to a name: ``model``, ``model.0``, ...

    A module met under two paths keeps the first, in binding order.
    """
    paths: ModulePaths = {}
    for name, obj in list(names.items()):
        if isinstance(obj, torch.nn.Module):
            for sub_path, sub in obj.named_modules():
                paths.setdefault(id(sub), (sub, f"{name}.{sub_path}" if sub_path else name))
    return paths


def module_labels(calls: Sequence[ModuleCall | None], paths: ModulePaths) -> list[str | None]:
    """``Node.module`` for nodes made in ``calls`` (one per node, None outside a module).

    Calls of one module instance are numbered in the order they ran: the first
    is ``"model.0: Linear"``, the later ones ``"model.0: Linear #2"``, ...
    """
    by_module: dict[int, set[int]] = {}
    for call in calls:
        if call is not None:
            by_module.setdefault(id(call.module), set()).add(call.seq)
    rank = {
        (key, seq): k for key, seqs in by_module.items() for k, seq in enumerate(sorted(seqs), 1)
    }
    labels: list[str | None] = []
    for call in calls:
        if call is None:
            labels.append(None)
            continue
        entry = paths.get(id(call.module))
        kind = type(call.module).__name__
        label = f"{entry[1]}: {kind}" if entry is not None and entry[0] is call.module else kind
        k = rank[id(call.module), call.seq]
        labels.append(label if k == 1 else f"{label} #{k}")
    return labels


def parameter_ids(module: torch.nn.Module) -> set[int]:
    """The ids of a module's parameters, its children's included."""
    return {id(p) for p in module.parameters()}
