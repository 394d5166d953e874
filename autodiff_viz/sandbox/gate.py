"""The gate every program passes before one line of it runs.

:func:`check_program` and :func:`check_expression` turn text into a checked
:mod:`ast` tree or raise :class:`~autodiff_viz.sandbox.messages.SandboxError`:

1. size and shape of the text (length, null bytes, bidi controls anywhere:
   :mod:`~autodiff_viz.sandbox.scripts`; a BOM and CRLF are fine);
2. the parser itself (syntax errors keep its reason and line);
3. every identifier *token*, after NFKC normalisation, because Python folds
   ``_＿import＿＿`` into ``__import__`` before the AST exists: a name that
   starts with ``_`` is refused (exceptions: ``torch.__version__`` and a bare ``_``)
   and so is a name typed with look-alike characters;
4. every AST node against an allowlist of node types, nesting depth included,
   with a message saying what to write instead.

Comments and string literals are otherwise never inspected: they may hold any
text but the bidi controls that would make the code display differently.
"""

from __future__ import annotations

import ast
import io
import tokenize
import unicodedata

from autodiff_viz.i18n import nested
from autodiff_viz.sandbox import allowlist, messages
from autodiff_viz.sandbox.messages import SandboxError, construct, error, syntax
from autodiff_viz.sandbox.scripts import refuse_bidi

MAX_SOURCE_CHARS = 100_000
MAX_DEPTH = 80  # AST levels; typical tutorial code stays under 15
VERSION_NAME = "__version__"  # torch.__version__, the one dunder a tutorial reads
# A bare `_` ("for _ in range(n)") names nothing internal; attributes go through the
# allowlist anyway, so `x._` is refused there.
_UNDERSCORE_ALLOWED = frozenset({VERSION_NAME, "_"})

_ALLOWED: tuple[type[ast.AST], ...] = (
    ast.Module,
    ast.Expression,
    ast.Expr,
    ast.Assign,
    ast.AugAssign,
    ast.AnnAssign,
    ast.For,
    ast.While,
    ast.If,
    ast.Break,
    ast.Continue,
    ast.Pass,
    ast.Return,
    ast.FunctionDef,
    ast.With,
    ast.Import,
    ast.ImportFrom,
    ast.Assert,
    ast.alias,
    ast.withitem,
    ast.arguments,
    ast.arg,
    ast.keyword,
    ast.comprehension,
    ast.BoolOp,
    ast.BinOp,
    ast.UnaryOp,
    ast.IfExp,
    ast.Dict,
    ast.Set,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.Compare,
    ast.Call,
    ast.FormattedValue,
    ast.JoinedStr,
    ast.Constant,
    ast.Attribute,
    ast.Subscript,
    ast.Name,
    ast.List,
    ast.Tuple,
    ast.Slice,
    ast.expr_context,
    ast.operator,
    ast.unaryop,
    ast.cmpop,
    ast.boolop,
)

_REFUSED: dict[type[ast.AST], str] = {
    ast.ClassDef: "class",
    ast.Lambda: "lambda",
    ast.Try: "try/except",
    ast.TryStar: "try/except",
    ast.Raise: "raise",
    ast.Global: "global",
    ast.Nonlocal: "nonlocal",
    ast.AsyncFunctionDef: "async code",
    ast.AsyncFor: "async code",
    ast.AsyncWith: "async code",
    ast.Await: "async code",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.NamedExpr: "the walrus operator :=",
    ast.Delete: "del",
    ast.Match: "match",
    ast.Starred: "*args / **kwargs",
}


def check_program(source: str) -> ast.Module:
    """Parse and check a whole program; raise SandboxError if it may not run."""
    text = prepare(source)
    tree = _parse(text, "exec")
    assert isinstance(tree, ast.Module)
    _check_tokens(text)
    _check_tree(tree)
    return tree


def check_expression(source: str) -> ast.Expression:
    """Parse and check one expression (``"a*x**2 + b"``) the same way."""
    text = prepare(source).strip()
    tree = _parse(text, "eval")
    assert isinstance(tree, ast.Expression)
    _check_tokens(text)
    _check_tree(tree)
    return tree


def prepare(source: str) -> str:
    """Normalise what editors and pastes add (BOM, CRLF); refuse what no program needs."""
    if len(source) > MAX_SOURCE_CHARS:
        raise error("refused", "too_long", size=len(source), limit=MAX_SOURCE_CHARS)
    text = source.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in text:
        line = text.count("\n", 0, text.index("\0")) + 1
        raise error("syntax", "syntax", line, reason=nested("sandbox.null_byte"))
    refuse_bidi(text)
    return text


def _parse(text: str, mode: str) -> ast.AST:
    try:
        return ast.parse(text, mode=mode)
    except SyntaxError as exc:
        raise syntax(exc.msg or "invalid syntax", exc.lineno, type(exc).__name__) from None
    except (RecursionError, MemoryError):
        raise error("refused", "too_deep", limit=MAX_DEPTH) from None
    except ValueError as exc:  # e.g. a lone surrogate the codec refuses
        raise syntax(str(exc)) from None


def _check_tokens(text: str) -> None:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as exc:
        raise syntax(str(exc)) from None
    for tok in tokens:
        if tok.type != tokenize.NAME:
            continue
        name = unicodedata.normalize("NFKC", tok.string)
        line = tok.start[0]
        if name.startswith("_") and name not in _UNDERSCORE_ALLOWED:
            raise error("refused", "underscore", line, name=name)
        if name != tok.string:
            raise error("refused", "lookalike", line, raw=tok.string, name=name)


def _check_tree(tree: ast.AST) -> None:
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        line = getattr(node, "lineno", None)
        if depth > MAX_DEPTH:
            raise error("refused", "too_deep", line, limit=MAX_DEPTH)
        refused = _REFUSED.get(type(node))
        if refused is not None:
            raise construct(refused, line)
        if not isinstance(node, _ALLOWED):
            raise construct_unknown(node, line)
        _check_node(node, line)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def construct_unknown(node: ast.AST, line: int | None) -> SandboxError:
    name = type(node).__name__
    return error("refused", "construct_unknown", line, name=name)


def _identifiers(node: ast.AST) -> list[str]:
    """The names a node carries, as the parser normalised them."""
    if isinstance(node, ast.Name):
        return [node.id]
    if isinstance(node, ast.Attribute):
        return [node.attr]
    if isinstance(node, ast.arg):
        return [node.arg]
    if isinstance(node, ast.keyword):
        return [node.arg] if node.arg else []
    if isinstance(node, ast.FunctionDef):
        return [node.name]
    if isinstance(node, ast.alias):
        return [node.name, *([node.asname] if node.asname else [])]
    return []


def _check_node(node: ast.AST, line: int | None) -> None:
    # The tokenize module does not read every identifier the C parser accepts
    # (`_＿import＿＿` is not one NAME token for it), so names are checked
    # again on the tree, where the parser has already normalised them.
    for name in _identifiers(node):
        if name.startswith("_") and name not in _UNDERSCORE_ALLOWED:
            raise error("refused", "underscore", line, name=name)
    if isinstance(node, ast.Import):
        for alias in node.names:
            _check_module(alias.name, line)
    elif isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if node.level:
            raise error("refused", "import", line, module="." * node.level + module)
        _check_module(module, line)
        members = allowlist.NAMESPACES[module]
        for alias in node.names:
            if alias.name == "*":
                raise construct("a star-import", line)
            if alias.name not in members and f"{module}.{alias.name}" not in allowlist.NAMESPACES:
                raise error("refused", "import_name", line, module=module, name=alias.name)
    elif isinstance(node, ast.Attribute):
        if node.attr == VERSION_NAME and not isinstance(node.value, ast.Name):
            raise error("refused", "underscore", line, name=node.attr)
    elif isinstance(node, ast.FunctionDef):
        if node.decorator_list:
            raise construct("a decorator", line)
        if node.args.vararg or node.args.kwarg:
            raise construct("*args / **kwargs", line)
    elif isinstance(node, ast.AnnAssign):
        if node.value is None or not isinstance(node.target, ast.Name):
            raise construct("a type annotation", line)
    elif isinstance(node, ast.Call):
        if any(kw.arg is None for kw in node.keywords):
            raise construct("*args / **kwargs", line)
    elif isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise construct("*args / **kwargs", line)
    elif isinstance(node, ast.comprehension):
        if node.is_async:
            raise construct("async code", line)
    elif isinstance(node, ast.Name):
        _check_name(node.id, line)


def _check_module(module: str, line: int | None) -> None:
    if module in allowlist.NAMESPACES:
        return
    root = module.split(".", maxsplit=1)[0]
    if root in {"numpy", "np"}:
        raise error("refused", "import_numpy", line)
    if root in {"math", "cmath"}:
        raise error("refused", "import_math", line)
    raise error("refused", "import", line, module=module)


def _check_name(name: str, line: int | None) -> None:
    advice = allowlist.REFUSED_BUILTINS.get(name)
    if advice is not None:
        raise error("refused", "builtin", line, name=name, instead=messages.advice(advice))
