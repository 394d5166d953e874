"""What one call really costs, measured before it runs: the sizing half of the budgets.

:mod:`~autodiff_viz.sandbox.budgets` decides *whether* a run may go on; the
functions here work out *how much* a call would do, without doing it:

* :func:`text_size` - about how long ``str``/``repr``/``print``/f-strings/``%``
  of a value would be, so ``str([[0] * 10**6] * 10**6)`` is refused before C
  code builds a terabyte string;
* :func:`pieces` - how many tensors ``unbind``/``split``/``chunk`` would return;
* :func:`refuse_devices` - only the CPU: ``x.to('meta')`` would make a tensor
  with no data that nothing downstream can show;
* :class:`WorkCounter` - the real FLOPs of a module call replayed on ``meta``
  tensors (``nn.Bilinear`` is one ``_trilinear`` op of B*I1*I2*O multiply-adds);
* :func:`optimizer_work`, :class:`ParamGroup` - an optimiser step costed by
  parameters x state, and ``param_groups`` as read-only copies whose settings
  are checked when written;
* :class:`WarningLog` - at most :data:`MAX_WARNINGS` distinct warnings a run.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import FlopCounterMode

from autodiff_viz.i18n import nested
from autodiff_viz.sandbox.messages import PYTHON_NAMES, error

# -- text ---------------------------------------------------------------------------

#: Characters per shown element of a tensor's repr ("-1.2345e+00, "), and torch's print
#: threshold: bigger tensors print summarised, three items at each end of every dimension.
_TENSOR_CHARS = 12
_TENSOR_SHOWN = 1_000
_TENSOR_EDGES = 6
_OTHER_CHARS = 30  # "tensor(...)" around the numbers; a dtype, a function, ...


def text_size(value: Any, limit: int) -> int:
    """About how many characters ``str(value)``/``repr(value)`` has; stops counting past ``limit``.

    An estimate within a small factor, cheap to compute: a list repeated a
    million times is sized once and counted once per appearance, and counting
    stops as soon as the total passes ``limit``, so it never walks more than
    about ``limit`` items. Self-containing lists count as Python prints them (``[...]``).
    """
    return _Sizer(limit).size(value)


class _Sizer:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.known: dict[int, int] = {}  # id -> size of a container already sized
        self.open: set[int] = set()  # containers being sized (a cycle prints as [...])

    def size(self, value: Any) -> int:
        if isinstance(value, str):
            return len(value) + 2
        if isinstance(value, bool) or value is None:
            return 5
        if isinstance(value, int):
            return value.bit_length() * 30103 // 100_000 + 2  # log10(2) digits per bit
        if isinstance(value, float | complex):
            return 48
        if isinstance(value, torch.Tensor):
            shown = value.numel()
            if shown > _TENSOR_SHOWN:
                shown = math.prod(min(n, _TENSOR_EDGES) for n in value.shape)
            return shown * _TENSOR_CHARS + _OTHER_CHARS
        if isinstance(value, torch.nn.Module):
            return 4 * _OTHER_CHARS * sum(1 for _ in value.modules())
        if isinstance(value, list | tuple | set | frozenset | dict):
            return self._container(value)
        return _OTHER_CHARS

    def _container(self, value: Any) -> int:
        key = id(value)
        if key in self.known:
            return self.known[key]
        if key in self.open:
            return 5
        self.open.add(key)
        total = 2
        items: Iterable[Any] = value.items() if isinstance(value, dict) else value
        for item in items:
            if isinstance(item, tuple) and isinstance(value, dict):
                total += self.size(item[0]) + self.size(item[1]) + 4
            else:
                total += self.size(item) + 2
            if total > self.limit:
                break
        self.open.discard(key)
        self.known[key] = total
        return total


# -- tensors: how many, on which device ---------------------------------------------

_SPLITTERS = frozenset({"unbind", "split", "chunk"})


def pieces(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """How many tensors ``unbind``/``split``/``chunk`` of ``args[0]`` return (else 1)."""
    name = getattr(fn, "__name__", "")
    if name not in _SPLITTERS or not args or not isinstance(args[0], torch.Tensor):
        return 1
    tensor, rest = args[0], list(args[1:])
    if name == "unbind":
        dim, size = kwargs.get("dim", rest[0] if rest else 0), None
    else:
        dim = kwargs.get("dim", rest[1] if len(rest) > 1 else 0)
        size = kwargs.get("split_size_or_sections", kwargs.get("chunks", rest[0] if rest else 1))
    if not isinstance(dim, int) or tensor.dim() == 0 or not -tensor.dim() <= dim < tensor.dim():
        return 1  # PyTorch reports the mistake in its own words
    length = tensor.shape[dim]
    if name == "unbind":
        return length
    if isinstance(size, list | tuple):
        return len(size)
    if not isinstance(size, int) or size <= 0:
        return 1
    return size if name == "chunk" else math.ceil(length / size)


def refuse_devices(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Refuse any device but the CPU (``device="meta"``, ``x.to("cuda")``, ``x.to(0)``)."""
    wanted = [kwargs["device"]] if kwargs.get("device") is not None else []
    if getattr(fn, "__name__", "") == "to":  # x.to("meta"), x.to("cpu", torch.float64)
        wanted += [a for a in args[1:] if isinstance(a, str | torch.device | int)]
    for device in wanted:
        if isinstance(device, bool):
            continue
        if isinstance(device, int):  # an accelerator's index: there is none here
            raise error("refused", "device", device=str(device))
        try:
            kind = torch.device(device).type
        except (RuntimeError, TypeError, ValueError):
            continue  # not a device at all: PyTorch says so itself
        if kind != "cpu":
            raise error("refused", "device", device=str(device))


# -- modules: real FLOPs ------------------------------------------------------------


class WorkCounter(TorchDispatchMode):
    """Counts the work of the aten ops it sees: FLOPs of matmul-like ops, else elements.

    Entered with :class:`FlopCounterMode` around a replay on ``meta`` tensors:
    PyTorch's own FLOP formulas cover ``mm``/``addmm``/``bmm``/``convolution``;
    ``_trilinear`` (``nn.Bilinear``) is sized here; every other op counts
    the elements it reads or writes, whichever is more.
    """

    def __init__(self) -> None:
        super().__init__()
        self.elements = 0
        self.flops = FlopCounterMode(display=False)

    def __torch_dispatch__(
        self, func: Any, types: Any, args: tuple[Any, ...] = (), kwargs: Any = None
    ) -> Any:
        out = func(*args, **(kwargs or {}))
        if func is torch.ops.aten._trilinear.default:
            self.elements += 2 * _trilinear_space(args)
        else:  # an elementwise op writes its output, a reduction reads its inputs
            self.elements += max(_numel(out), _numel(args))
        return out

    @property
    def work(self) -> int:
        return int(self.flops.get_total_flops()) + self.elements


def _numel(value: Any) -> int:
    if isinstance(value, torch.Tensor):
        return value.numel()
    if isinstance(value, list | tuple):
        return sum(_numel(v) for v in value)
    return 0


def _trilinear_space(args: tuple[Any, ...]) -> int:
    """Multiply-adds of ``_trilinear(i1, i2, i3, expand1, expand2, expand3, ...)``."""
    shapes = []
    for tensor, expand in zip(args[:3], args[3:6], strict=False):
        shape = list(tensor.shape)
        for dim in sorted(expand):
            shape.insert(dim, 1)
        shapes.append(shape)
    rank = max(len(s) for s in shapes)
    return math.prod(max(s[d] if d < len(s) else 1 for s in shapes) for d in range(rank))


def measure_module(
    module: torch.nn.Module, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, int]:
    """(meta output, work) of ``module(*args, **kwargs)`` on ``meta`` arguments."""
    # named_* list a weight shared by two layers once (state_dict would name it twice,
    # which functional_call refuses as tied weights).
    named = [*module.named_parameters(), *module.named_buffers()]
    weights = {n: t.detach().to("meta") for n, t in named}
    counter = WorkCounter()
    with counter.flops, counter:
        out = torch.func.functional_call(module, weights, args, kwargs)
    return out, counter.work


def warm_up_replay() -> None:
    """Pay once, in a worker's warm-up, for what the first module replay imports (~6 s)."""
    layer = torch.nn.Linear(2, 2)
    measure_module(layer, (torch.ones(1, 2, device="meta"),), {})


# -- optimisers ---------------------------------------------------------------------

#: optimiser -> (elementwise ops per parameter element, state tensors per parameter)
_STEP_COST: dict[str, tuple[int, int]] = {
    "SGD": (4, 1),
    "Adam": (15, 2),
    "AdamW": (15, 2),
    "RMSprop": (8, 2),
    "Adagrad": (6, 1),
}
#: Python work per parameter tensor of a step (a loop iteration over several small ops),
#: in FLOP-equivalents: 100,000 tensors would take seconds even when each is one number.
PER_TENSOR_WORK = 50_000


def optimizer_params(params: Any) -> list[torch.Tensor]:
    """The tensors an optimiser is built on (a list, or a list of param-group dicts)."""
    found: list[torch.Tensor] = []
    for item in params if isinstance(params, list | tuple) else [params]:
        if isinstance(item, dict):
            group = item.get("params", [])
            found.extend(group if isinstance(group, list | tuple) else [group])
        elif isinstance(item, torch.Tensor):
            found.append(item)
    return [p for p in found if isinstance(p, torch.Tensor)]


def optimizer_work(kind: str, params: list[torch.Tensor]) -> tuple[int, int]:
    """(work of one step, elements of state it keeps) for an optimiser on ``params``."""
    ops, state = _STEP_COST.get(kind, (15, 2))
    elements = sum(p.numel() for p in params)
    return elements * ops + len(params) * PER_TENSOR_WORK, elements * state


_NUMBERS = "lr momentum dampening weight_decay alpha eps lr_decay initial_accumulator_value"
_FLAGS = "nesterov maximize amsgrad centered decoupled_weight_decay"
#: writable settings: name -> what it must be ("number", "bool", "pair")
_SETTINGS: dict[str, str] = {
    **{name: "number" for name in _NUMBERS.split()},
    **{name: "bool" for name in _FLAGS.split()},
    "betas": "pair",
}


def type_name(value: Any) -> str:
    """Python's name for the type of ``value`` as a student knows it."""
    if isinstance(value, torch.Tensor):
        return "Tensor"
    name = type(value).__name__
    return PYTHON_NAMES.get(name, name)


class ParamGroup(dict[str, Any]):
    """A copy of one of an optimiser's ``param_groups``; writing a setting writes it through.

    ``params`` is a tuple and cannot be assigned (a step over 100,000 copies
    of one tensor would outrun every budget): build a new optimiser instead.
    Other settings must keep their kind (``lr`` stays a number). Anything that
    bypasses ``[]=`` (``|=``) changes only this copy, never the optimiser.
    """

    __slots__ = ("_real",)

    def __init__(self, real: dict[str, Any]) -> None:
        super().__init__(real)
        super().__setitem__("params", tuple(real.get("params", ())))
        self._real = real

    def __setitem__(self, key: str, value: Any) -> None:
        check_setting(self._real, key, value)
        self._real[key] = value
        super().__setitem__(key, value)


def check_setting(group: dict[str, Any], key: Any, value: Any) -> None:
    """Refuse writing ``group[key] = value`` unless it is a setting of the right kind."""
    if key == "params":
        raise error("refused", "optimizer_params")
    kind = _SETTINGS.get(key) if isinstance(key, str) else None
    if kind is None or key not in group:
        keys = ", ".join(k for k in group if k in _SETTINGS)
        detail = nested("optimizer.unknown_setting", setting=str(key), settings=keys)
        raise error("runtime", "runtime", exc_type="KeyError", name="KeyError", detail=detail)
    if not _fits(kind, value):
        expected, got = nested(f"optimizer.{kind}"), type_name(value)
        detail = nested("optimizer.wrong_kind", setting=key, expected=expected, got=got)
        raise error("runtime", "runtime", exc_type="TypeError", name="TypeError", detail=detail)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fits(kind: str, value: Any) -> bool:
    if kind == "number":
        return _is_number(value) and math.isfinite(value)
    if kind == "bool":
        return isinstance(value, bool)
    return isinstance(value, tuple | list) and len(value) == 2 and all(map(_is_number, value))


def optimizer_attribute(optimizer: torch.optim.Optimizer, name: str) -> Any:
    """``param_groups`` as :class:`ParamGroup` copies, ``defaults`` as a plain copy."""
    if name == "param_groups":
        return tuple(ParamGroup(group) for group in optimizer.param_groups)
    return dict(optimizer.defaults)


# -- warnings ------------------------------------------------------------------------

MAX_WARNINGS = 50


class WarningLog:
    """The distinct warnings of one run: the first :data:`MAX_WARNINGS`, and how many more.

    Installed as ``warnings.showwarning`` inside ``warnings.catch_warnings()``:
    a loop of a million warnings keeps fifty texts and a set of hashes.
    """

    def __init__(self, limit: int = MAX_WARNINGS) -> None:
        self.limit = limit
        self.kept: dict[str, None] = {}
        self._more: set[int] = set()

    def show(self, message: Warning | str, *args: Any, **kwargs: Any) -> None:
        text = str(message)
        if text in self.kept:
            return
        if len(self.kept) < self.limit:
            self.kept[text] = None
        else:
            self._more.add(hash(text))

    @property
    def more(self) -> int:
        """Distinct warnings left out."""
        return len(self._more)

    def install(self) -> None:
        warnings.simplefilter("always")
        warnings.showwarning = self.show
