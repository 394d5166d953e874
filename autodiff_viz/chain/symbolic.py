"""The chain rule written out for a function of one variable: ``d/dx sin(x²) = cos(x²)·2x``.

:func:`symbolic_chain` reads the derivatives page's expression (Python syntax, ``torch.``
prefixes allowed) with :mod:`ast` — never evaluated as code — and differentiates it by the
rules of the same table the graph explorer uses (:data:`DERIVATIVES` is keyed by the
rule keys of :mod:`autodiff_viz.chain.rules`): each function's derivative times the
derivative of its argument, a product by the product rule, and so on. The result is the
formula as text, its value at x₀ in pure Python, and the rules it used, so that the page
can set it beside autograd's f′(x₀) and say whether they agree. An expression outside
this small language gives None: the page then shows autograd's value alone.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass

#: Deepest expression read (a guard: the page's expression is the user's text).
MAX_DEPTH = 40
MAX_CHARS = 400


@dataclass(frozen=True)
class Expr:
    """A formula: its text, its value at x₀, its precedence (for parentheses)."""

    text: str
    value: float
    prec: int = 9  # 9: atom; 7: power; 6: unary minus; 5: product; 4: sum
    const: bool = False

    def wrap(self, prec: int) -> str:
        return f"({self.text})" if self.prec < prec else self.text


def num(v: float) -> Expr:
    text = str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else f"{v:g}"
    return Expr(text.replace("-", "−"), float(v), 9 if v >= 0 else 6, const=True)


ZERO, ONE = num(0.0), num(1.0)


def _call(f: Callable[..., float], *args: float) -> float:
    try:
        return float(f(*args))
    except ZeroDivisionError:
        return math.inf
    except (ValueError, OverflowError):
        return math.nan


def add(a: Expr, b: Expr) -> Expr:
    if a.const and a.value == 0:
        return b
    if b.const and b.value == 0:
        return a
    if a.const and b.const:
        return num(a.value + b.value)
    if b.text.startswith("−"):
        return Expr(f"{a.text} − {b.text[1:]}", a.value + b.value, 4)
    return Expr(f"{a.text} + {b.text}", a.value + b.value, 4)


def neg(a: Expr) -> Expr:
    if a.const:
        return num(-a.value)
    if a.text.startswith("−"):
        return Expr(a.text[1:], -a.value, a.prec)
    return Expr(f"−{a.wrap(5)}", -a.value, 6)  # −(a·b) reads as −a·b


def sub(a: Expr, b: Expr) -> Expr:
    return add(a, neg(b))


def mul(a: Expr, b: Expr) -> Expr:
    if (a.const and a.value == 0) or (b.const and b.value == 0):
        return ZERO
    if a.const and a.value == 1:
        return b
    if b.const and b.value == 1:
        return a
    if a.const and b.const:
        return num(a.value * b.value)
    if b.const and not a.const:
        a, b = b, a  # numbers first: 2x, not x·2
    if a.const and a.value == -1:
        return neg(b)
    if a.text.startswith("−") or b.text.startswith("−"):  # the sign in front: −2x·exp(…)
        if a.text.startswith("−") and b.text.startswith("−"):
            return mul(neg(a), neg(b))
        return neg(mul(neg(a), b) if a.text.startswith("−") else mul(a, neg(b)))
    value = _call(lambda u, v: u * v, a.value, b.value)
    if a.const and b.prec >= 7 and b.text.startswith("x"):
        return Expr(f"{a.text}{b.text}", value, 7)  # 2x, 3x²: read as one term
    return Expr(f"{a.wrap(5)}·{b.wrap(6)}", value, 5)


def div(a: Expr, b: Expr) -> Expr:
    if b.const and b.value == 1:
        return a
    if a.const and b.const and b.value != 0:
        return num(a.value / b.value)
    return Expr(f"{a.wrap(5)}/{b.wrap(6)}", _call(lambda u, v: u / v, a.value, b.value), 5)


_SUPERSCRIPTS = str.maketrans("0123456789−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def power(a: Expr, b: Expr) -> Expr:
    if b.const and b.value == 1:
        return a
    if b.const and b.value == 0:
        return ONE
    value = _call(math.pow, a.value, b.value)
    if b.const and b.value.is_integer():
        return Expr(f"{a.wrap(8)}{b.text.translate(_SUPERSCRIPTS)}", value, 7)
    return Expr(f"{a.wrap(8)}^{b.wrap(8)}", value, 7)


def fn(name: str, a: Expr, f: Callable[[float], float]) -> Expr:
    return Expr(f"{name}({a.text})", _call(f, a.value), 9)


def _sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))


def _relu(v: float) -> float:
    return max(v, 0.0)


def _step(v: float) -> float:
    return 1.0 if v > 0 else 0.0


def _sign(v: float) -> float:
    return float((v > 0) - (v < 0))


def _softplus(v: float) -> float:
    return v + math.log1p(math.exp(-v)) if v > 0 else math.log1p(math.exp(v))


#: Each function of the language: its value, its rule key, and its derivative at its argument.
FUNCTIONS: dict[str, tuple[Callable[[float], float], str]] = {
    "sin": (math.sin, "sin"),
    "cos": (math.cos, "cos"),
    "tan": (math.tan, "tan"),
    "exp": (math.exp, "exp"),
    "log": (math.log, "log"),
    "sqrt": (math.sqrt, "sqrt"),
    "abs": (abs, "abs"),
    "tanh": (math.tanh, "tanh"),
    "sigmoid": (_sigmoid, "sigmoid"),
    "relu": (_relu, "relu"),
    "softplus": (_softplus, "softplus"),
}

#: The derivative of each function at its argument ``a`` (the outer factor of the chain
#: rule), by rule key: the same keys, and the same formulas, as the explorer's rule table.
DERIVATIVES: dict[str, Callable[[Expr], Expr]] = {
    "sin": lambda a: fn("cos", a, math.cos),
    "cos": lambda a: neg(fn("sin", a, math.sin)),
    "tan": lambda a: add(ONE, power(fn("tan", a, math.tan), num(2))),
    "exp": lambda a: fn("exp", a, math.exp),
    "log": lambda a: div(ONE, a),
    "sqrt": lambda a: div(ONE, mul(num(2), fn("sqrt", a, math.sqrt))),
    "abs": lambda a: fn("sign", a, _sign),
    "tanh": lambda a: sub(ONE, power(fn("tanh", a, math.tanh), num(2))),
    "sigmoid": lambda a: mul(fn("σ", a, _sigmoid), sub(ONE, fn("σ", a, _sigmoid))),
    "relu": lambda a: fn("step", a, _step),
    "softplus": lambda a: fn("σ", a, _sigmoid),
}


class Unsupported(ValueError):
    """The expression uses something the symbolic chain does not know."""


@dataclass(frozen=True)
class Chain:
    """``d/dx f = derivative`` as text, the derivative's value at x₀, the rule keys used."""

    function: str
    derivative: str
    value: float
    rules: tuple[str, ...]

    @property
    def text(self) -> str:
        return f"d/dx {self.function} = {self.derivative}"


class _Reader:
    """Reads the expression's tree into (f, f′) pairs of :class:`Expr` at x₀."""

    def __init__(self, x0: float) -> None:
        self.x0 = x0
        self.rules: list[str] = []

    def use(self, key: str) -> None:
        if key not in self.rules:
            self.rules.append(key)

    def read(self, node: ast.AST, depth: int = 0) -> tuple[Expr, Expr]:
        if depth > MAX_DEPTH:
            raise Unsupported("too deep")
        if isinstance(node, ast.Name) and node.id == "x":
            return Expr("x", self.x0), ONE
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            if isinstance(node.value, bool):
                raise Unsupported("bool")
            return num(float(node.value)), ZERO
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            f, d = self.read(node.operand, depth + 1)
            if isinstance(node.op, ast.UAdd):
                return f, d
            self.use("neg")
            return neg(f), neg(d)
        if isinstance(node, ast.BinOp):
            return self._binary(node, depth)
        if isinstance(node, ast.Call) and not node.keywords and len(node.args) == 1:
            name = _function_name(node.func)
            if name in FUNCTIONS:
                return self._apply(name, node.args[0], depth)
        if (
            isinstance(node, ast.Call)
            and not node.args
            and not node.keywords
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FUNCTIONS
        ):
            return self._apply(node.func.attr, node.func.value, depth)  # x.sin()
        raise Unsupported(type(node).__name__)

    def _apply(self, name: str, arg: ast.AST, depth: int) -> tuple[Expr, Expr]:
        inner, inner_d = self.read(arg, depth + 1)
        f, key = FUNCTIONS[name]
        self.use(key)
        return fn(name, inner, f), mul(DERIVATIVES[key](inner), inner_d)

    def _binary(self, node: ast.BinOp, depth: int) -> tuple[Expr, Expr]:
        a, da = self.read(node.left, depth + 1)
        b, db = self.read(node.right, depth + 1)
        op = node.op
        if isinstance(op, ast.Add):
            self.use("add")
            return add(a, b), add(da, db)
        if isinstance(op, ast.Sub):
            self.use("sub")
            return sub(a, b), sub(da, db)
        if isinstance(op, ast.Mult):
            self.use("mul")
            return mul(a, b), add(mul(da, b), mul(a, db))
        if isinstance(op, ast.Div):
            self.use("div")
            return div(a, b), div(sub(mul(da, b), mul(a, db)), power(b, num(2)))
        if isinstance(op, ast.Pow):
            if b.const:  # power rule: n·aⁿ⁻¹·a′
                self.use("pow")
                return power(a, b), mul(mul(b, power(a, num(b.value - 1))), da)
            if a.const:  # cᵇ: cᵇ·ln c·b′
                self.use("pow_base")
                ln = fn("ln", a, math.log)
                return power(a, b), mul(mul(power(a, b), ln), db)
            self.use("pow_tensor")
            ln = fn("ln", a, math.log)
            outer = add(mul(db, ln), div(mul(b, da), a))
            return power(a, b), mul(power(a, b), outer)
        raise Unsupported(type(op).__name__)


def _function_name(func: ast.AST) -> str | None:
    """``sin``, ``torch.sin``, ``torch.nn.functional.softplus``, ``F.relu`` -> the last name."""
    if isinstance(func, ast.Name):
        return func.id
    if not isinstance(func, ast.Attribute):
        return None
    root: ast.AST = func.value
    while isinstance(root, ast.Attribute):
        root = root.value
    return func.attr if isinstance(root, ast.Name) and root.id in ("torch", "F", "math") else None


def symbolic_chain(expr: str, x0: float) -> Chain | None:
    """The chain rule for ``expr`` (in x) at ``x0``, or None outside the supported language."""
    if len(expr) > MAX_CHARS:
        return None
    try:
        tree = ast.parse(expr.strip(), mode="eval")
        reader = _Reader(x0)
        f, d = reader.read(tree.body)
    except (SyntaxError, Unsupported, RecursionError, ValueError):
        return None
    return Chain(f.text, d.text, d.value, tuple(reader.rules))


def agrees(chain: Chain, autograd: float, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Whether the chain's value at x₀ equals autograd's f′(x₀) (both nan, or both ±inf)."""
    a, b = chain.value, autograd
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * max(abs(a), abs(b))
