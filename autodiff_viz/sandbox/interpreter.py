"""Executing statements of a checked program: the sandbox's interpreter.

:class:`Interpreter` walks the AST that :mod:`~autodiff_viz.sandbox.gate`
accepted. Each statement is one place where errors get their line: an
exception from PyTorch or Python becomes a ``runtime``
:class:`~autodiff_viz.sandbox.messages.SandboxError` with the exception's own
type and text; nothing the program does can raise past :meth:`Interpreter.run`
as anything else. ``break``/``continue``/``return`` travel as private
``BaseException`` subclasses so that no ``except Exception`` can swallow them.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from autodiff_viz.sandbox import allowlist as al
from autodiff_viz.sandbox.expressions import INPLACE, Evaluator, Scope
from autodiff_viz.sandbox.messages import SandboxError, budget, error, runtime
from autodiff_viz.sandbox.values import (
    Context,
    Namespace,
    UserFunction,
    binary,
    get_attribute,
    is_context_manager,
    set_attribute,
)

_REQUIRED = object()  # a keyword-only parameter without a default


class _Break(BaseException):
    pass


class _Continue(BaseException):
    pass


class _Return(BaseException):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class Interpreter(Evaluator):
    """Runs a program; ``line`` is the 1-based line being executed."""

    def __init__(self, ctx: Context, builtins: dict[str, Any]) -> None:
        super().__init__(ctx, builtins)
        self.line: int | None = None
        self._statements: dict[type[ast.AST], Callable[[Any], Any]] = {
            ast.Expr: lambda n: self.value_of(n.value),
            ast.Assign: self._assign,
            ast.AnnAssign: lambda n: self.assign(n.target, self.value_of(n.value)),
            ast.AugAssign: self._augassign,
            ast.For: self._for,
            ast.While: self._while,
            ast.If: lambda n: self.block(n.body if self.value_of(n.test) else n.orelse),
            ast.Pass: lambda n: None,
            ast.Break: self._break,
            ast.Continue: self._continue,
            ast.Return: self._return,
            ast.FunctionDef: self._def,
            ast.With: self._with,
            ast.Import: self._import,
            ast.ImportFrom: self._import_from,
            ast.Assert: self._assert,
        }

    # -- entry points ---------------------------------------------------------------
    def run(self, tree: ast.Module) -> tuple[bool, Any]:
        """Run the program; return (whether it ends with a bare expression, its value)."""
        value: Any = None
        for stmt in tree.body:
            value = self.statement(stmt)
        ends_with_expression = bool(tree.body) and isinstance(tree.body[-1], ast.Expr)
        return ends_with_expression, value

    def evaluate(self, tree: ast.Expression) -> Any:
        """Evaluate a checked expression (``compile_function``) with line 1 on errors."""
        self.line = 1
        return self._guarded(lambda: self.value_of(tree.body))

    def names(self) -> dict[str, Any]:
        """The program's variables, innermost scope first (for the graph recorder)."""
        found: dict[str, Any] = {}
        scope: Scope | None = self.scope
        while scope is not None and scope is not self.builtins:
            for name, value in scope.vars.items():
                found.setdefault(name, value)
            scope = scope.parent
        return found

    # -- statements ---------------------------------------------------------------------
    def statement(self, node: ast.stmt) -> Any:
        self.line = node.lineno
        self.meter.step()
        return self._guarded(lambda: self._statements[type(node)](node))

    def _guarded(self, action: Callable[[], Any]) -> Any:
        line = self.line
        try:
            return action()
        except (_Break, _Continue, _Return):
            raise
        except SandboxError as exc:
            raise exc.at(line) from None
        except RecursionError:
            raise budget("recursion_depth", "python_stack", line) from None
        except MemoryError:
            raise budget("memory", "too_much_memory", line) from None
        except Exception as exc:
            raise runtime(exc, line) from None

    def block(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.statement(stmt)

    def _assign(self, node: ast.Assign) -> None:
        value = self.value_of(node.value)
        for target in node.targets:
            self.assign(target, value)

    def _augassign(self, node: ast.AugAssign) -> None:
        op = INPLACE[type(node.op)]
        target = node.target
        if isinstance(target, ast.Name):
            current = self.scope.lookup(target.id)
            self.assign(target, binary(self.meter, op, current, self.value_of(node.value)))
        elif isinstance(target, ast.Attribute):
            owner = self.value_of(target.value)
            current = get_attribute(owner, target.attr, self.ctx)
            set_attribute(
                owner, target.attr, binary(self.meter, op, current, self.value_of(node.value))
            )
        elif isinstance(target, ast.Subscript):
            owner = self.value_of(target.value)
            index = self.value_of(target.slice)
            result = binary(self.meter, op, self.subscript(owner, index), self.value_of(node.value))
            self.store_item(owner, index, result)

    def _iteration(self, body: list[ast.stmt], count: int) -> bool:
        """Run one pass of a loop body; False when it breaks out of the loop."""
        self.meter.loop(count)
        try:
            self.block(body)
        except _Break:
            return False
        except _Continue:
            pass
        return True

    def _for(self, node: ast.For) -> None:
        for count, item in enumerate(self.iterate(self.value_of(node.iter)), start=1):
            self.assign(node.target, item)
            if not self._iteration(node.body, count):
                return
        self.block(node.orelse)

    def _while(self, node: ast.While) -> None:
        count = 0
        while self.value_of(node.test):
            count += 1
            if not self._iteration(node.body, count):
                return
        self.block(node.orelse)

    def _break(self, node: ast.Break) -> None:
        raise _Break

    def _continue(self, node: ast.Continue) -> None:
        raise _Continue

    def _return(self, node: ast.Return) -> None:
        raise _Return(None if node.value is None else self.value_of(node.value))

    def _assert(self, node: ast.Assert) -> None:
        if not self.value_of(node.test):
            raise AssertionError(*(() if node.msg is None else (self.value_of(node.msg),)))

    def _with(self, node: ast.With) -> None:
        managers: list[Any] = []
        try:
            for item in node.items:
                manager = self.value_of(item.context_expr)
                if not is_context_manager(manager):
                    raise error("refused", "context")
                value = manager.__enter__()
                managers.append(manager)
                if item.optional_vars is not None:
                    self.assign(item.optional_vars, value)
            self.block(node.body)
        finally:
            for manager in reversed(managers):
                manager.__exit__(None, None, None)  # grad-mode managers never swallow errors

    # -- functions -------------------------------------------------------------------------
    def _def(self, node: ast.FunctionDef) -> None:
        defaults = [self.value_of(d) for d in node.args.defaults]
        kw_defaults = [_REQUIRED if d is None else self.value_of(d) for d in node.args.kw_defaults]
        self.scope.vars[node.name] = UserFunction(
            node, defaults, kw_defaults, self.scope, self.call_user
        )

    def call_user(self, fn: UserFunction, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        local = bind_arguments(fn, args, kwargs)
        saved_scope, saved_line = self.scope, self.line
        with self.meter.call():
            self.scope = Scope(local, fn.closure)
            try:
                self.block(fn.node.body)
            except _Return as result:
                return result.value
            finally:
                self.scope, self.line = saved_scope, saved_line
        return None

    # -- imports ------------------------------------------------------------------------------
    def _import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname is None:
                root = alias.name.split(".")[0]
                self.scope.vars[root] = Namespace(root, self.ctx)
            else:
                self.scope.vars[alias.asname] = Namespace(alias.name, self.ctx)

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            path = f"{module}.{alias.name}"
            if path in al.NAMESPACES:
                value: Any = Namespace(path, self.ctx)
            else:
                value = Namespace(module, self.ctx).member(alias.name)
            self.scope.vars[alias.asname or alias.name] = value


def bind_arguments(
    fn: UserFunction, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    """Python's argument binding for a ``def`` without ``*args``/``**kwargs``."""
    spec = fn.node.args
    positional = [a.arg for a in (*spec.posonlyargs, *spec.args)]
    keyword_only = [a.arg for a in spec.kwonlyargs]
    if len(args) > len(positional):
        raise TypeError(
            f"{fn.name}() takes {len(positional)} positional arguments but {len(args)} were given"
        )
    local = dict(zip(positional, args, strict=False))  # fewer args: defaults follow
    for key, value in kwargs.items():
        if key in local:
            raise TypeError(f"{fn.name}() got multiple values for argument '{key}'")
        if key not in positional and key not in keyword_only:
            raise TypeError(f"{fn.name}() got an unexpected keyword argument '{key}'")
        local[key] = value
    if fn.defaults:
        for name, default in zip(positional[-len(fn.defaults) :], fn.defaults, strict=True):
            local.setdefault(name, default)
    for name, default in zip(keyword_only, fn.kw_defaults, strict=True):
        if default is not _REQUIRED:
            local.setdefault(name, default)
    missing = [name for name in (*positional, *keyword_only) if name not in local]
    if missing:
        names = " and ".join(f"'{m}'" for m in missing)
        plural = "s" if len(missing) > 1 else ""
        raise TypeError(f"{fn.name}() missing {len(missing)} required argument{plural}: {names}")
    return local
