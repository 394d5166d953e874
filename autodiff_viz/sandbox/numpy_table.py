"""numpy for data: a curated ``import numpy as np`` under the same element budgets as torch.

Programs get real ``numpy.ndarray`` values (so printing matches numpy's) but
reach numpy only through :class:`NumpyFunction`: each call is sized *before*
it runs — factories by the shape they are asked for, everything else by the
product of its inputs' sizes (the bound on broadcasting and on ``dot``) — and
its result is counted against the run's total. Arrays of ``object`` dtype
(which would hold Python objects, functions included) are refused, and so is
everything that touches files or raw memory (``load``, ``save``, ``fromfile``,
``memmap``, ``frombuffer``, ``ctypeslib``, ``lib``, ``tofile``): none of those
names is in the tables of :mod:`~autodiff_viz.sandbox.allowlist`.

``np.random`` is a ``RandomState`` of the run, seeded from the run's seed, so
``np.random.seed(0); np.random.rand(3)`` prints what numpy prints and leaves the
process's own generator alone.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np

from autodiff_viz.sandbox import allowlist as al
from autodiff_viz.sandbox.budgets import Meter, nested_numel
from autodiff_viz.sandbox.messages import budget, error

_ALLOWED_KINDS = "biuf"  # bool, int, unsigned, float: no objects, strings or raw bytes


class NumpyFunction:
    """One allowed numpy callable (a function, a RandomState method or a bound array method)."""

    __slots__ = ("category", "fn", "meter", "name")

    def __init__(self, name: str, fn: Callable[..., Any], category: str, meter: Meter) -> None:
        self.name = name
        self.fn = fn
        self.category = category
        self.meter = meter

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        _check_dtype(kwargs.get("dtype"))
        if len(args) > 1 and self.name == "astype":
            _check_dtype(args[0])
        if self.category == al.NP_OP:
            _check_op(self.meter, self.name, (*args, *kwargs.values()))
        else:
            self.meter.elements_fit(_planned_size(self.name, self.category, args, kwargs))
        result = self.fn(*args, **kwargs)
        account(self.meter, result)
        return result

    def __repr__(self) -> str:
        return f"<function {self.name}>"


def _check_dtype(dtype: Any) -> None:
    if dtype is None:
        return
    try:
        kind = np.dtype(dtype).kind
    except TypeError:
        kind = "O"
    if kind not in _ALLOWED_KINDS:
        raise error("refused", "numpy_dtype", dtype=str(dtype))


def account(meter: Meter, result: Any) -> None:
    """Count a numpy result; refuse arrays of objects or strings."""
    items = result if isinstance(result, tuple | list) else (result,)
    for item in items:
        if isinstance(item, np.ndarray):
            if item.dtype.kind not in _ALLOWED_KINDS:
                raise error("refused", "numpy_dtype", dtype=str(item.dtype))
            meter.elements(item.size)


def size_of(value: Any) -> int:
    if isinstance(value, np.ndarray):
        return max(1, value.size)
    if isinstance(value, list | tuple):
        return max(1, nested_numel(value))
    return 1


def _shape_size(shape: Any) -> int:
    if isinstance(shape, int):
        return max(shape, 0)
    if isinstance(shape, tuple | list):
        return math.prod(max(int(d), 0) for d in shape)
    return 1


def _planned_size(name: str, category: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    """Elements the call will make, known before it runs (an upper bound)."""
    if category == al.NP_FACTORY:
        if name in ("rand", "randn"):
            return math.prod(max(int(a), 0) for a in args) if args else 1
        if name == "eye":
            n = int(args[0]) if args else int(kwargs.get("N", 1))
            m = args[1] if len(args) > 1 else kwargs.get("M")
            return n * (n if m is None else int(m))
        if name == "arange":
            return _arange_size(args, kwargs)
        if name == "linspace":
            return int(args[2]) if len(args) > 2 else int(kwargs.get("num", 50))
        if name == "permutation":
            first = args[0] if args else 1
            return size_of(first) if not isinstance(first, int) else first
        if name in ("randint", "normal", "uniform", "choice"):
            return _shape_size(kwargs.get("size", args[2] if len(args) > 2 else 1))
        return _shape_size(args[0] if args else kwargs.get("shape", 1))
    if category == al.NP_DATA:
        return size_of(args[0]) if args else 1
    return 1


def _arange_size(args: tuple[Any, ...], kwargs: dict[str, Any]) -> int:
    start, stop, step = 0.0, None, 1.0
    if len(args) == 1:
        stop = args[0]
    elif len(args) >= 2:
        start, stop = args[0], args[1]
        step = args[2] if len(args) > 2 else kwargs.get("step", 1)
    stop = kwargs.get("stop", stop)
    if stop is None or not step:
        return 1
    return max(0, math.ceil((float(stop) - float(start)) / float(step)))


_MATMUL = frozenset({"dot", "matmul", "outer", "inner", "tensordot"})


def _check_op(meter: Meter, name: str, args: tuple[Any, ...]) -> None:
    """Size a call by its inputs: their product bounds broadcasting and m*n*k alike.

    Only when that bound is over the limits is the real output worked out:
    broadcasting's shape, or the work of a matrix product.
    """
    limit = min(meter.limits.tensor_elements, meter.limits.flops_per_op)
    if math.prod(size_of(a) for a in args) <= limit:
        return
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    if name in _MATMUL and len(arrays) == 2:
        left, right = arrays
        inner = left.shape[-1] if left.ndim and name != "outer" else 1
        work = left.size * right.size // max(inner, 1)  # (m*k) * (k*n) / k = m*k*n
        if work > meter.limits.flops_per_op:
            raise budget("flops_per_op", "flops", size=work, limit=meter.limits.flops_per_op)
        return
    if name in _MATMUL or not arrays:
        raise budget("tensor_elements", "data_dependent")
    try:
        shape = np.broadcast_shapes(*(np.shape(a) for a in args if not isinstance(a, list)))
    except ValueError:
        return  # shapes that do not broadcast: numpy's own error says so
    meter.elements_fit(math.prod(shape))


def bounded(meter: Meter, op: Callable[..., Any], *args: Any) -> Any:
    """An operator (``a * b``, ``a > 0``, ``a[i]``) with an array in it, sized first."""
    if op is operator.getitem:
        if math.prod(size_of(a) for a in args) > meter.limits.tensor_elements:
            raise budget("tensor_elements", "data_dependent")
    else:
        name = "matmul" if op in (operator.matmul, operator.imatmul) else "op"
        _check_op(meter, name, args)
    result = op(*args)
    account(meter, result)
    return result


def is_array(value: Any) -> bool:
    return isinstance(value, np.ndarray)


def array_attribute(array: np.ndarray, name: str, meter: Meter) -> Any:
    """``a.name`` for an array: the methods and data attributes of the allowlist."""
    category = al.NP_ARRAY_METHODS.get(name)
    if category is not None:
        return NumpyFunction(name, getattr(array, name), category, meter)
    if name in al.NP_ARRAY_ATTRIBUTES:
        value = getattr(array, name)
        if isinstance(value, np.ndarray):
            account(meter, value)
        return value
    if not hasattr(np.ndarray, name):
        raise AttributeError(f"'numpy.ndarray' object has no attribute '{name}'")
    raise error("refused", "attribute", owner="ndarray", name=name, instead="")


def numpy_member(path: str, name: str, category: str, real: Any, ctx: Any) -> Any:
    """A member of ``numpy`` / ``numpy.random`` as the program sees it (``ctx``: the run's)."""
    meter: Meter = ctx.meter
    if path == "numpy.random":
        if ctx.numpy_random is None:
            ctx.numpy_random = np.random.RandomState(0)  # the run's own, never the process's
        state = ctx.numpy_random
        if name == "seed":
            return NumpyFunction("seed", state.seed, al.PLAIN, meter)
        return NumpyFunction(name, getattr(state, name), category, meter)
    return NumpyFunction(name, real, category, meter)
