"""Classes a program defines: ``nn.Module`` models, ``autograd.Function``\\ s, plain classes.

A ``class`` statement becomes a *real* Python class built here with
``type(name, bases, namespace)`` — the only way ``model(x)`` can run
``forward`` through ``nn.Module.__call__`` (hooks, ``print(model)``,
``parameters()``, ``state_dict()`` as PyTorch has them) and a user's
``backward`` can run inside PyTorch's autograd engine. Its namespace holds
small wrapper functions that hand every call back to the interpreter, so a
method body runs under the run's budgets wherever it is called from.

The program never holds the real class: it holds a :class:`UserClass`, and
reads attributes of instances only through :func:`attribute`, which knows the
class's own members (methods, ``@property``, ``@staticmethod``,
``@classmethod``, class attributes), the instance's own attributes, and the
allowlisted members of ``nn.Module`` — nothing else of the real object.

Bases are limited to ``object``, ``nn.Module``, ``torch.autograd.Function``,
builtin exception classes and the program's own classes. A method may not
take the name of a public member of those bases (``parameters``, ``apply``,
...) except ``forward``/``backward``/``setup_context``/``extra_repr``: PyTorch
calls those by name, and the sandbox's own graph capture calls the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from autodiff_viz.sandbox import allowlist as al
from autodiff_viz.sandbox.gradfn import GradFnView, grad_fn_attribute
from autodiff_viz.sandbox.messages import error, scrub
from autodiff_viz.sandbox.numpy_table import array_attribute
from autodiff_viz.sandbox.values import (
    SafeCallable,
    TypeProxy,
    UserFunction,
    get_attribute,
    set_attribute,
)

_KEY = "_sandbox_class"  # on the real class: its UserClass (programs cannot read "_" names)
#: methods PyTorch calls by name, which a class may define
OVERRIDABLE = frozenset({"forward", "backward", "setup_context", "extra_repr"})
#: what a ctx of an autograd.Function offers
CTX_MEMBERS = frozenset(
    {"save_for_backward", "saved_tensors", "needs_input_grad", "mark_non_differentiable"}
    | {"mark_dirty", "set_materialize_grads"}
)

Call = Callable[[Any, tuple[Any, ...], dict[str, Any]], Any]


class StaticMethod:
    """``@staticmethod`` on a method of a class body."""

    __slots__ = ("fn",)

    def __init__(self, fn: Any) -> None:
        self.fn = fn


class ClassMethod(StaticMethod):
    """``@classmethod``: the class comes first."""


class Property(StaticMethod):
    """``@property``: read without a call."""


class Marker:
    """The builtins ``staticmethod``, ``classmethod``, ``property``, usable as decorators only."""

    __slots__ = ("kind", "name")

    def __init__(self, name: str, kind: type[StaticMethod]) -> None:
        self.name = name
        self.kind = kind

    def __repr__(self) -> str:
        return f"<class '{self.name}'>"


MARKERS = {
    "staticmethod": Marker("staticmethod", StaticMethod),
    "classmethod": Marker("classmethod", ClassMethod),
    "property": Marker("property", Property),
}


class UserClass(TypeProxy):
    """A class of the program; ``kind`` is the real class (for isinstance and except)."""

    __slots__ = ("call", "members", "name")

    def __init__(self, name: str, real: type, members: dict[str, Any], call: Call) -> None:
        super().__init__(real)
        self.text = f"<class '__main__.{name}'>"
        self.name = name
        self.members = members
        self.call = call

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if issubclass(self.kind, torch.autograd.Function):
            raise error("refused", "function_instance", name=self.name)
        return self.kind(*args, **kwargs)

    def lookup(self, name: str) -> tuple[UserClass, Any] | None:
        """The member ``name`` along the method resolution order, with its owner."""
        for cls in self.kind.__mro__:
            owner = vars(cls).get(_KEY)
            if isinstance(owner, UserClass) and name in owner.members:
                return owner, owner.members[name]
        return None


class BoundMethod:
    """``obj.method``: calling it passes ``obj`` first."""

    __slots__ = ("fn", "obj", "owner")

    def __init__(self, fn: Any, obj: Any, owner: str) -> None:
        self.fn = fn
        self.obj = obj
        self.owner = owner

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.fn(self.obj, *args, **kwargs)

    def __repr__(self) -> str:
        return f"<bound method {self.owner}.{getattr(self.fn, 'name', 'method')}>"


class Super:
    """``super()`` / ``super(C, self)``: members after ``owner`` in the instance's MRO."""

    __slots__ = ("obj", "owner")

    def __init__(self, owner: UserClass, obj: Any) -> None:
        self.owner = owner
        self.obj = obj

    def __repr__(self) -> str:
        return f"<super: <class '{self.owner.name}'>, <{self.owner.name} object>>"


def user_class_of(obj: Any) -> UserClass | None:
    """The program's class of ``obj``, if the program made it."""
    found = vars(type(obj)).get(_KEY) if hasattr(type(obj), _KEY) else None
    return found if isinstance(found, UserClass) else None


def calls_user_code(module: torch.nn.Module) -> bool:
    """Whether calling ``module`` runs a program's forward (itself or a submodule's)."""
    return any(hasattr(type(m), _KEY) for m in module.modules())


# -- building a class -------------------------------------------------------------------


def make_class(
    name: str, bases: tuple[Any, ...], namespace: dict[str, Any], call: Call
) -> UserClass:
    """The class of a ``class`` statement whose body gave ``namespace``."""
    real_bases = tuple(_real_base(base) for base in bases) or (object,)
    root = _torch_root(real_bases)
    for member in namespace:
        if member != "__init__" and member not in OVERRIDABLE and _is_base_member(root, member):
            raise error("refused", "class_member", name=member, base=_base_name(root))
    real_ns: dict[str, Any] = {"__module__": "__main__", "__qualname__": name}
    for member, value in namespace.items():
        wrapped = _wrap_member(value, call)
        if wrapped is not None:
            real_ns[member] = wrapped
    user = UserClass(name, object, dict(namespace), call)
    real_ns[_KEY] = user
    real = type(name, real_bases, real_ns)
    user.kind = real
    return user


def _real_base(base: Any) -> type:
    if isinstance(base, UserClass):
        return base.kind
    kind = base.python_type if isinstance(base, SafeCallable) else None
    if isinstance(base, TypeProxy):
        kind = base.kind
    allowed = (torch.nn.Module, torch.autograd.Function, Exception)
    if isinstance(kind, type) and (kind is object or issubclass(kind, allowed)):
        if kind is torch.Tensor or issubclass(kind, torch.Tensor):
            raise error("refused", "class_base", name=kind.__name__)
        return kind
    shown = base.name if isinstance(base, SafeCallable) else getattr(kind, "__name__", None)
    shown = shown or scrub(type(base).__name__)
    raise error("refused", "class_base", name=shown)


def _torch_root(bases: tuple[type, ...]) -> type:
    for root in (torch.nn.Module, torch.autograd.Function):
        if any(issubclass(b, root) for b in bases):
            return root
    return object


def _is_base_member(root: type, name: str) -> bool:
    return root is not object and hasattr(root, name)


def _base_name(root: type) -> str:
    return "nn.Module" if root is torch.nn.Module else "torch.autograd.Function"


def _wrap_member(value: Any, call: Call) -> Any:
    """The real class's member for one entry of the class body (None: keep it ours only)."""
    if isinstance(value, UserFunction):

        def method(self: Any, *args: Any, **kwargs: Any) -> Any:
            return call(value, (self, *args), kwargs)

        return _marked(method, value)
    if isinstance(value, ClassMethod | Property):
        return None  # reached through attribute(); PyTorch calls none of them
    if isinstance(value, StaticMethod):
        fn = value.fn

        def static(*args: Any, **kwargs: Any) -> Any:
            return call(fn, args, kwargs)

        return staticmethod(_marked(static, fn))
    return None


def _marked(wrapper: Any, fn: Any) -> Any:
    """``wrapper`` marked with the program lines of ``fn`` (capture shows a user's backward)."""
    node = getattr(fn, "node", None)
    if node is not None:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", ()))])
        wrapper.program_lines = (first, node.end_lineno or node.lineno)
    return wrapper


# -- attributes ------------------------------------------------------------------------------


def class_attribute(cls: UserClass, name: str, ctx: Any) -> Any:
    """``Cls.name``: a member of the class body, or ``apply`` of an autograd.Function."""
    found = cls.lookup(name)
    if found is not None:
        member = found[1]
        if isinstance(member, ClassMethod):
            return BoundMethod(member.fn, cls, cls.name)
        if isinstance(member, StaticMethod | Property):
            return member.fn
        return member
    if name == "apply" and issubclass(cls.kind, torch.autograd.Function):
        return SafeCallable("apply", cls.kind.apply, al.PLAIN, ctx)
    if hasattr(cls.kind, name):  # mro, register_forward_hook, ...: there, but not for programs
        raise error("refused", "attribute", owner=cls.name, name=name, instead="")
    raise AttributeError(f"type object '{cls.name}' has no attribute '{name}'")


def instance_attribute(obj: Any, cls: UserClass, name: str, ctx: Any) -> Any:
    """``obj.name`` for an instance of a program's class, in Python's lookup order."""
    found = cls.lookup(name)
    if found is not None and isinstance(found[1], Property):
        return cls.call(found[1].fn, (obj,), {})
    own = vars(obj)
    if name in own:
        return own[name]
    if isinstance(obj, torch.nn.Module):
        for table in ("_parameters", "_buffers", "_modules"):
            registry = own.get(table) or {}
            if name in registry:
                return registry[name]
    if found is not None:
        return bound_member(found[1], obj, cls)
    if isinstance(obj, torch.nn.Module) and name in al.MODULE_METHODS:
        return SafeCallable(name, getattr(torch.nn.Module, name), al.PLAIN, ctx, bound=obj)
    if isinstance(obj, BaseException) and name == "args":
        return obj.args
    if hasattr(type(obj), name):
        raise error("refused", "attribute", owner=cls.name, name=name, instead="")
    raise AttributeError(f"'{cls.name}' object has no attribute '{name}'")


def bound_member(member: Any, obj: Any, cls: UserClass) -> Any:
    if isinstance(member, ClassMethod):
        return BoundMethod(member.fn, user_class_of(obj) or cls, cls.name)
    if isinstance(member, StaticMethod):
        return member.fn
    if isinstance(member, UserFunction):
        return BoundMethod(member, obj, cls.name)
    return member  # a class attribute


def super_attribute(sup: Super, name: str, ctx: Any) -> Any:
    """``super().name``: the next class after ``sup.owner`` that has it."""
    mro = type(sup.obj).__mro__
    start = mro.index(sup.owner.kind) + 1 if sup.owner.kind in mro else len(mro)
    for cls in mro[start:]:
        owner = vars(cls).get(_KEY)
        if isinstance(owner, UserClass):
            if name in owner.members:
                return bound_member(owner.members[name], sup.obj, owner)
            continue
        if name == "__init__":
            init = vars(cls).get("__init__", object.__init__)
            return SafeCallable("__init__", init, al.PLAIN, ctx, bound=sup.obj)
        if cls is torch.nn.Module and name in al.MODULE_METHODS:
            return SafeCallable(name, getattr(cls, name), al.PLAIN, ctx, bound=sup.obj)
        if name in vars(cls) and cls is not object:  # there, but not for programs
            raise error("refused", "attribute", owner="super()", name=name, instead="")
    raise AttributeError(f"'super' object has no attribute '{name}'")


def set_instance_attribute(obj: Any, cls: UserClass, name: str, value: Any) -> None:
    """``obj.name = value``: any name the torch base class does not itself define."""
    found = cls.lookup(name)
    if found is not None and isinstance(found[1], Property):
        raise AttributeError(f"property '{name}' of '{cls.name}' object has no setter")
    if hasattr(type(obj), name) and found is None:
        raise error("refused", "set_attribute", owner=cls.name, name=name)
    setattr(obj, name, value)


def ctx_attribute(ctx_obj: Any, name: str, ctx: Any) -> Any:
    """``ctx.name`` inside an autograd.Function: its documented members and what the program set."""
    if name in CTX_MEMBERS:
        value = getattr(ctx_obj, name)
        return SafeCallable(name, value, al.PLAIN, ctx) if callable(value) else value
    if name in vars(ctx_obj):
        return vars(ctx_obj)[name]
    if hasattr(type(ctx_obj), name):
        raise error("refused", "attribute", owner="ctx", name=name, instead="")
    raise AttributeError(f"'{type(ctx_obj).__name__}' object has no attribute '{name}'")


def set_ctx_attribute(ctx_obj: Any, name: str, value: Any) -> None:
    if hasattr(type(ctx_obj), name):
        raise error("refused", "set_attribute", owner="ctx", name=name)
    setattr(ctx_obj, name, value)


def is_function_ctx(obj: Any) -> bool:
    return isinstance(obj, torch.autograd.function.FunctionCtx)


# -- the one door for attributes, classes included ------------------------------------------


def attribute(obj: Any, name: str, ctx: Any) -> Any:
    """``obj.name`` for every value a program holds (see values.get_attribute for the rest)."""
    if isinstance(obj, torch.Tensor):
        return get_attribute(obj, name, ctx)
    if isinstance(obj, np.ndarray):
        return array_attribute(obj, name, ctx.meter)
    if isinstance(obj, GradFnView):
        return grad_fn_attribute(obj, name, lambda n, f: SafeCallable(n, f, al.PLAIN, ctx))
    if isinstance(obj, UserClass):
        return class_attribute(obj, name, ctx)
    if isinstance(obj, Super):
        return super_attribute(obj, name, ctx)
    cls = user_class_of(obj)
    if cls is not None:
        return instance_attribute(obj, cls, name, ctx)
    if is_function_ctx(obj):
        return ctx_attribute(obj, name, ctx)
    if name == "__init__" and isinstance(obj, TypeProxy) and obj.kind is torch.nn.Module:
        return SafeCallable("__init__", torch.nn.Module.__init__, al.PLAIN, ctx)
    return get_attribute(obj, name, ctx)


def set_attr(obj: Any, name: str, value: Any) -> None:
    """``obj.name = value`` for every value a program holds."""
    if not isinstance(obj, torch.Tensor):
        cls = user_class_of(obj)
        if cls is not None:
            set_instance_attribute(obj, cls, name, value)
            return
        if is_function_ctx(obj):
            set_ctx_attribute(obj, name, value)
            return
    set_attribute(obj, name, value)


def make_super(methods: list[tuple[Any, Any]], args: tuple[Any, ...]) -> Super:
    """``super()`` in the innermost method call, or ``super(Cls, obj)``."""
    if not args:
        if not methods:
            raise error("refused", "super_outside")
        owner, obj = methods[-1]
        return Super(owner, obj)
    if len(args) != 2:
        raise TypeError(f"super() takes 0 or 2 arguments here ({len(args)} given)")
    real, obj = args
    owner = vars(real).get(_KEY) if isinstance(real, type) else None
    if not isinstance(owner, UserClass):
        raise TypeError("super() argument 1 must be a class of the program")
    if not isinstance(obj, real):
        raise TypeError("super(type, obj): obj must be an instance or subtype of type")
    return Super(owner, obj)
