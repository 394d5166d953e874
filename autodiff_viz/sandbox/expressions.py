"""Evaluating expressions of a checked AST, plus assignment to targets.

:class:`Evaluator` is the expression half of the interpreter (the statements
live in :mod:`~autodiff_viz.sandbox.interpreter`). Every value it touches goes
through :mod:`~autodiff_viz.sandbox.values` (attributes, calls) or
:mod:`~autodiff_viz.sandbox.budgets` (tensor ops, Python blow-ups); it never
calls ``getattr`` on a user value itself.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Iterable, Sized
from typing import Any

import torch

from autodiff_viz.sandbox import allowlist as al
from autodiff_viz.sandbox import messages
from autodiff_viz.sandbox.budgets import check_format_spec
from autodiff_viz.sandbox.classes import (
    BoundMethod,
    UserClass,
    attribute,
    calls_user_code,
    set_attr,
)
from autodiff_viz.sandbox.functions import GradModeFunction
from autodiff_viz.sandbox.messages import budget, error
from autodiff_viz.sandbox.numpy_table import NumpyFunction, bounded, is_array
from autodiff_viz.sandbox.values import (
    Context,
    SafeCallable,
    UserFunction,
    binary,
)

BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.MatMult: operator.matmul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.BitOr: operator.or_,
    ast.BitXor: operator.xor,
    ast.BitAnd: operator.and_,
}
#: in-place forms, so ``x.data *= 100`` changes the tensor like Python does
INPLACE: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.iadd,
    ast.Sub: operator.isub,
    ast.Mult: operator.imul,
    ast.MatMult: operator.imatmul,
    ast.Div: operator.itruediv,
    ast.FloorDiv: operator.ifloordiv,
    ast.Mod: operator.imod,
    ast.Pow: operator.ipow,
    ast.LShift: operator.ilshift,
    ast.RShift: operator.irshift,
    ast.BitOr: operator.ior,
    ast.BitXor: operator.ixor,
    ast.BitAnd: operator.iand,
}
UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
    ast.Invert: operator.invert,
    ast.Not: operator.not_,
}
COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_ORDER = (operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge)
_SUBSCRIPTABLE = (
    *(list, tuple, str, dict, range, torch.nn.Sequential, torch.nn.ModuleList),
    torch.utils.data.Dataset,
)


_CALLABLE = (SafeCallable, UserFunction, GradModeFunction, UserClass, BoundMethod, NumpyFunction)


class Scope:
    """Variables of one function call (or the program), chained to the enclosing scope."""

    __slots__ = ("parent", "vars")

    def __init__(self, variables: dict[str, Any], parent: Scope | None) -> None:
        self.vars = variables
        self.parent = parent

    def lookup(self, name: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        advice = al.REFUSED_BUILTINS.get(name)
        if advice is not None:  # a refused builtin the program named but never bound
            raise error("refused", "builtin", name=name, instead=messages.advice(advice))
        # sin(x) for torch.sin(x): Python's "Did you mean" names the torch function
        key = "name_torch" if name in al.TORCH else "name"
        failure = error("runtime", key, exc_type="NameError", name=name)
        failure.original = NameError(f"name '{name}' is not defined")
        raise failure


class Evaluator:
    """Evaluates expression nodes in ``self.scope`` under ``ctx.meter``."""

    def __init__(self, ctx: Context, builtins: dict[str, Any]) -> None:
        self.ctx = ctx
        self.meter = ctx.meter
        self.builtins = Scope(builtins, None)
        self.globals = Scope({}, self.builtins)
        self.scope = self.globals
        self._handlers: dict[type[ast.AST], Callable[[Any], Any]] = {
            ast.Constant: lambda n: n.value,
            ast.Name: lambda n: self.scope.lookup(n.id),
            ast.Attribute: lambda n: attribute(self.value_of(n.value), n.attr, self.ctx),
            ast.Subscript: lambda n: self.subscript(self.value_of(n.value), self.value_of(n.slice)),
            ast.Slice: self._slice,
            ast.BinOp: lambda n: binary(
                self.meter, BINARY[type(n.op)], self.value_of(n.left), self.value_of(n.right)
            ),
            ast.UnaryOp: self._unary,
            ast.BoolOp: self._boolop,
            ast.Compare: self._compare,
            ast.IfExp: lambda n: self.value_of(n.body if self.value_of(n.test) else n.orelse),
            ast.Call: self._call,
            ast.List: lambda n: self.elements(n.elts),
            ast.Tuple: lambda n: tuple(self.elements(n.elts)),
            ast.Set: lambda n: set(self.elements(n.elts)),
            ast.Dict: self._dict,
            ast.ListComp: lambda n: self._comprehension(n, [n.elt]),
            ast.SetComp: lambda n: set(self._comprehension(n, [n.elt])),
            ast.GeneratorExp: lambda n: iter(self._comprehension(n, [n.elt])),
            ast.DictComp: lambda n: dict(self._comprehension(n, [n.key, n.value])),
            ast.JoinedStr: lambda n: "".join(str(self.value_of(v)) for v in n.values),
            ast.FormattedValue: self._formatted,
        }

    def value_of(self, node: ast.AST) -> Any:
        self.meter.step()
        return self._handlers[type(node)](node)

    # -- calls -----------------------------------------------------------------
    def _call(self, node: ast.Call) -> Any:
        fn = self.value_of(node.func)
        args = tuple(self.elements(node.args))
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            value = self.value_of(kw.value)
            items = [(kw.arg, value)] if kw.arg is not None else self.keywords(value)
            for key, item in items:
                if key in kwargs:
                    raise TypeError(f"got multiple values for keyword argument '{key}'")
                kwargs[key] = item
        return self.call(fn, args, kwargs)

    def elements(self, nodes: list[ast.expr]) -> list[Any]:
        """Values of a call's arguments or a display's items, ``*spread`` ones included."""
        out: list[Any] = []
        for node in nodes:
            if isinstance(node, ast.Starred):
                out.extend(self.spread(self.value_of(node.value)))
                self.meter.sequence(len(out))
            else:
                out.append(self.value_of(node))
        return out

    def spread(self, value: Any) -> list[Any]:
        """``*value``: every item, the length checked before a huge range is listed."""
        if isinstance(value, Sized):
            self.meter.sequence(len(value))
        return list(self.iterate(value))

    def keywords(self, value: Any) -> list[tuple[str, Any]]:
        """``**value`` in a call: string keys only, and none that starts with ``_``."""
        if not isinstance(value, dict):
            raise TypeError(f"argument after ** must be a mapping, not {type(value).__name__}")
        for key in value:
            if not isinstance(key, str):
                raise TypeError("keywords must be strings")
            if key.startswith("_"):
                raise error("refused", "underscore", name=key)
        return list(value.items())

    def _dict(self, node: ast.Dict) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:  # {**other}
                merged = self.value_of(value)
                if not isinstance(merged, dict):
                    raise TypeError(f"'{type(merged).__name__}' object is not a mapping")
                out.update(merged)
            else:
                out[self.value_of(key)] = self.value_of(value)
        return out

    def call(self, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        if isinstance(fn, _CALLABLE):
            return fn(*args, **kwargs)
        if isinstance(fn, torch.nn.Module):
            if calls_user_code(fn):  # its ops are metered one by one as its forward runs
                return fn(*args, **kwargs)
            return self.meter.call_module(fn, args, kwargs)
        owner = "Tensor" if isinstance(fn, torch.Tensor) else type(fn).__name__
        raise TypeError(f"'{owner}' object is not callable")

    # -- operators ---------------------------------------------------------------
    def _unary(self, node: ast.UnaryOp) -> Any:
        value = self.value_of(node.operand)
        op = UNARY[type(node.op)]
        if isinstance(value, torch.Tensor) and op is not operator.not_:
            return self.meter.call_torch(al.POINTWISE, op, (value,), {})
        return op(value)

    def _boolop(self, node: ast.BoolOp) -> Any:
        value: Any = None
        for expr in node.values:
            value = self.value_of(expr)
            if isinstance(node.op, ast.And) != bool(value):
                return value
        return value

    def _compare(self, node: ast.Compare) -> Any:
        left = self.value_of(node.left)
        result: Any = True
        last = len(node.ops) - 1
        for i, (op, comparator) in enumerate(zip(node.ops, node.comparators, strict=True)):
            right = self.value_of(comparator)
            result = self.compare(COMPARE[type(op)], left, right)
            if i < last and not result:
                return result
            left = right
        return result

    def compare(self, op: Callable[[Any, Any], Any], left: Any, right: Any) -> Any:
        if op in (operator.is_, operator.is_not):
            return op(left, right)
        if is_array(left) or is_array(right):
            return bounded(self.meter, op, left, right)
        if (isinstance(left, torch.Tensor) or isinstance(right, torch.Tensor)) and op in _ORDER:
            return self.meter.call_torch(al.POINTWISE, op, (left, right), {})
        # ``t in [a, b]`` and ``[a] == [b]`` compare tensors pairwise inside C code:
        # bound the largest pair first.
        self._bound_pairs(left, right)
        return op(left, right)

    def _bound_pairs(self, left: Any, right: Any) -> None:
        def largest(value: Any) -> int:
            if isinstance(value, torch.Tensor):
                return max(1, value.numel())
            if isinstance(value, list | tuple):
                return max((largest(v) for v in value[:10_000]), default=1)
            return 1

        pair = largest(left) * largest(right)
        if pair > self.meter.limits.tensor_elements and pair > 1:
            raise budget("tensor_elements", "comparing", size=pair)

    # -- subscripts ----------------------------------------------------------------
    def subscript(self, obj: Any, index: Any) -> Any:
        if isinstance(obj, torch.Tensor):
            return self.meter.call_torch(al.POINTWISE, operator.getitem, (obj, index), {})
        if isinstance(obj, _SUBSCRIPTABLE) or type(obj).__module__ == "torch.return_types":
            return obj[index]
        if isinstance(obj, torch.Size):
            return obj[index]
        if is_array(obj):
            return bounded(self.meter, operator.getitem, obj, index)
        raise TypeError(f"'{type(obj).__name__}' object is not subscriptable")

    def _slice(self, node: ast.Slice) -> slice:
        parts = (node.lower, node.upper, node.step)
        return slice(*(None if p is None else self.value_of(p) for p in parts))

    # -- comprehensions and f-strings -------------------------------------------------
    def _comprehension(self, node: Any, parts: list[ast.expr]) -> list[Any]:
        out: list[Any] = []
        outer = self.scope
        self.scope = Scope({}, outer)
        try:
            self._generate(node.generators, 0, parts, out)
        finally:
            self.scope = outer
        return out

    def _generate(
        self, generators: list[ast.comprehension], i: int, parts: list[ast.expr], out: list[Any]
    ) -> None:
        gen = generators[i]
        count = 0
        for item in self.iterate(self.value_of(gen.iter)):
            count += 1
            self.meter.loop(count)
            self.assign(gen.target, item)
            if not all(self.value_of(cond) for cond in gen.ifs):
                continue
            if i + 1 < len(generators):
                self._generate(generators, i + 1, parts, out)
            else:
                values = [self.value_of(p) for p in parts]
                out.append(values[0] if len(values) == 1 else tuple(values))
                self.meter.sequence(len(out))

    def _formatted(self, node: ast.FormattedValue) -> str:
        value = self.value_of(node.value)
        self.meter.text(value)  # before repr/str/format build it
        if node.conversion == ord("r"):
            value = repr(value)
        elif node.conversion == ord("s"):
            value = str(value)
        elif node.conversion == ord("a"):
            value = ascii(value)
        spec = "" if node.format_spec is None else str(self.value_of(node.format_spec))
        check_format_spec(spec)
        return format(value, spec)

    # -- assignment ------------------------------------------------------------------
    def assign(self, target: ast.expr, value: Any) -> None:
        if isinstance(target, ast.Name):
            self.scope.vars[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List) and any(
            isinstance(e, ast.Starred) for e in target.elts
        ):
            self._assign_starred(target.elts, value)
        elif isinstance(target, ast.Tuple | ast.List):
            items = self.unpack(value, len(target.elts))
            for element, item in zip(target.elts, items, strict=True):
                self.assign(element, item)
        elif isinstance(target, ast.Attribute):
            set_attr(self.value_of(target.value), target.attr, value)
        elif isinstance(target, ast.Subscript):
            self.store_item(self.value_of(target.value), self.value_of(target.slice), value)
        else:  # the gate lets no other target through
            raise TypeError(f"cannot assign to {type(target).__name__}")

    def _assign_starred(self, targets: list[ast.expr], value: Any) -> None:
        star = next(i for i, e in enumerate(targets) if isinstance(e, ast.Starred))
        items = self.spread(value)
        before, after = star, len(targets) - star - 1
        if len(items) < before + after:
            expected, got = before + after, len(items)
            raise ValueError(
                f"not enough values to unpack (expected at least {expected}, got {got})"
            )
        for element, item in zip(targets[:star], items, strict=False):
            self.assign(element, item)
        starred = targets[star]
        assert isinstance(starred, ast.Starred)
        self.assign(starred.value, items[before : len(items) - after])
        for element, item in zip(targets[star + 1 :], items[len(items) - after :], strict=True):
            self.assign(element, item)

    def store_item(self, obj: Any, index: Any, value: Any) -> None:
        if isinstance(obj, torch.Tensor):
            self.meter.call_torch(al.POINTWISE, operator.setitem, (obj, index, value), {})
        elif isinstance(obj, list | dict):
            if isinstance(index, slice) and isinstance(value, list | tuple | range):
                self.meter.sequence(len(obj) + len(value))
            obj[index] = value
        else:
            raise TypeError(f"'{type(obj).__name__}' object does not support item assignment")

    def unpack(self, value: Any, expected: int) -> list[Any]:
        items = list(self.iterate(value, limit=expected + 1))
        if len(items) > expected:
            raise ValueError(f"too many values to unpack (expected {expected})")
        if len(items) < expected:
            raise ValueError(f"not enough values to unpack (expected {expected}, got {len(items)})")
        return items

    def iterate(self, value: Any, limit: int | None = None) -> Iterable[Any]:
        """Iterate a value; tensors and huge ranges stay lazy, counted by the caller."""
        if isinstance(value, torch.Tensor) and limit is not None and value.dim():
            return iter(value[:limit]) if value.shape[0] > limit else iter(value)
        if limit is not None and isinstance(value, range) and len(value) > limit:
            return iter(value[:limit])
        return iter(value)
