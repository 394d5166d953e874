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
from functools import partial
from typing import Any

from autodiff_viz.sandbox import allowlist as al
from autodiff_viz.sandbox.classes import (
    MARKERS,
    Marker,
    StaticMethod,
    UserClass,
    attribute,
    make_class,
    make_super,
    set_attr,
)
from autodiff_viz.sandbox.exceptions import caught, exception_classes, to_raise
from autodiff_viz.sandbox.expressions import INPLACE, Evaluator, Scope
from autodiff_viz.sandbox.functions import (
    GRAD_MODES,
    REQUIRED,
    GradModeFunction,
    bind_arguments,
)
from autodiff_viz.sandbox.messages import SandboxError, budget, error, runtime
from autodiff_viz.sandbox.values import (
    Context,
    GradModeFactory,
    Namespace,
    SafeCallable,
    UserFunction,
    binary,
    is_context_manager,
)


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
            ast.Try: self._try,
            ast.Raise: self._raise,
            ast.ClassDef: self._class,
        }
        self.builtins.vars.update(MARKERS)
        self.builtins.vars["super"] = SafeCallable("super", self._super, al.PLAIN, ctx)
        #: (class, instance) of each method call in progress, for ``super()``
        self._methods: list[tuple[UserClass, Any]] = []
        self._handlers[ast.Lambda] = self._lambda
        #: exceptions being handled (innermost last), for a bare ``raise``
        self._handling: list[SandboxError] = []

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
            current = attribute(owner, target.attr, self.ctx)
            set_attr(owner, target.attr, binary(self.meter, op, current, self.value_of(node.value)))
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

    # -- exceptions ------------------------------------------------------------------------
    def _try(self, node: ast.Try) -> None:
        try:
            self._try_body(node)
        except SandboxError as failure:
            if caught(failure) is None:
                raise  # a budget stop or a refusal: no finally block runs after it
            self.block(node.finalbody)
            raise
        except (_Break, _Continue, _Return):
            self.block(node.finalbody)
            raise
        self.block(node.finalbody)

    def _try_body(self, node: ast.Try) -> None:
        try:
            self.block(node.body)
        except SandboxError as failure:
            exc = caught(failure)
            if exc is None:
                raise
            handler = self._handler_for(node.handlers, exc)
            if handler is None:
                raise
            self._handle(handler, failure, exc)
            return
        self.block(node.orelse)

    def _handler_for(self, handlers: list[ast.ExceptHandler], exc: BaseException) -> Any:
        for handler in handlers:
            if handler.type is None:
                return handler
            self.line = handler.lineno
            if isinstance(exc, self._guarded(partial(self._exception_classes, handler.type))):
                return handler
        return None

    def _exception_classes(self, node: ast.expr) -> tuple[type[BaseException], ...]:
        return exception_classes(self.value_of(node))

    def _handle(
        self, handler: ast.ExceptHandler, failure: SandboxError, exc: BaseException
    ) -> None:
        if handler.name:
            self.scope.vars[handler.name] = exc
        self._handling.append(failure)
        try:
            self.block(handler.body)
        finally:
            self._handling.pop()
            if handler.name:
                self.scope.vars.pop(handler.name, None)  # as Python does after the clause

    def _raise(self, node: ast.Raise) -> None:
        if node.exc is None:
            if not self._handling:
                raise RuntimeError("No active exception to reraise")
            raise self._handling[-1]
        exc = to_raise(self.value_of(node.exc))
        if node.cause is not None:
            cause = self.value_of(node.cause)
            exc.__cause__ = None if cause is None else to_raise(cause)
        raise runtime(exc)

    # -- functions -------------------------------------------------------------------------
    def _def(self, node: ast.FunctionDef) -> None:
        decorators = [
            (d.lineno, self._at(d.lineno, partial(self.value_of, d))) for d in node.decorator_list
        ]
        fn: Any = self._function(node)
        for line, decorator in reversed(decorators):
            fn = self._at(line, partial(self._decorate, decorator, fn))
        self.scope.vars[node.name] = fn

    def _at(self, line: int, action: Callable[[], Any]) -> Any:
        """Run ``action`` with errors on ``line`` (a decorator's own line, as Python reports)."""
        saved, self.line = self.line, line
        try:
            return self._guarded(action)
        finally:
            self.line = saved

    def _lambda(self, node: ast.Lambda) -> UserFunction:
        return self._function(node)

    def _function(
        self, node: ast.FunctionDef | ast.Lambda, closure: Scope | None = None
    ) -> UserFunction:
        defaults = [self.value_of(d) for d in node.args.defaults]
        kw_defaults = [REQUIRED if d is None else self.value_of(d) for d in node.args.kw_defaults]
        return UserFunction(node, defaults, kw_defaults, closure or self.scope, self.call_user)

    # -- classes ----------------------------------------------------------------------------
    def _class(self, node: ast.ClassDef) -> None:
        bases = tuple(self.value_of(b) for b in node.bases)
        outer = self.scope
        self.scope = body = Scope({}, outer)
        try:
            for stmt in node.body:
                if isinstance(stmt, ast.FunctionDef):
                    self.line = stmt.lineno
                    self.meter.step()
                    body.vars[stmt.name] = self._guarded(partial(self._method, stmt, outer))
                else:
                    self.statement(stmt)
        finally:
            self.scope = outer
        self.line = node.lineno
        cls = make_class(node.name, bases, body.vars, self.call)
        for member in body.vars.values():
            fn = member.fn if isinstance(member, StaticMethod) else member
            if isinstance(fn, UserFunction):
                fn.owner = cls
        self.scope.vars[node.name] = cls

    def _method(self, node: ast.FunctionDef, closure: Scope) -> Any:
        """A ``def`` of a class body: its closure skips the class scope, as in Python."""
        decorators = [
            (d.lineno, self._at(d.lineno, partial(self.value_of, d))) for d in node.decorator_list
        ]
        fn: Any = self._function(node, closure)
        for line, decorator in reversed(decorators):
            if isinstance(decorator, Marker):
                fn = decorator.kind(fn)
            else:
                fn = self._at(line, partial(self._decorate, decorator, fn))
        return fn

    def _super(self, *args: Any) -> Any:
        return make_super(self._methods, args)

    def _decorate(self, decorator: Any, fn: Any) -> Any:
        if isinstance(decorator, Marker):
            raise error("refused", "marker_outside", name=decorator.name)
        if isinstance(decorator, GRAD_MODES):  # @torch.no_grad()
            return GradModeFunction(fn, decorator, self.call)
        if isinstance(decorator, SafeCallable) and isinstance(decorator.wraps, GradModeFactory):
            return GradModeFunction(fn, decorator.wraps.kind(), self.call)  # @torch.no_grad
        return self.call(decorator, (fn,), {})

    def call_user(self, fn: UserFunction, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        local = bind_arguments(fn, args, kwargs)
        saved_scope, saved_line = self.scope, self.line
        method = fn.owner is not None and bool(args)
        with self.meter.call():
            self.scope = Scope(local, fn.closure)
            if method:
                self._methods.append((fn.owner, args[0]))
            try:
                if isinstance(fn.node, ast.Lambda):
                    self.line = fn.node.lineno
                    return self._guarded(partial(self.value_of, fn.node.body))
                self.block(fn.node.body)
            except _Return as result:
                return result.value
            finally:
                self.scope, self.line = saved_scope, saved_line
                if method:
                    self._methods.pop()
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
