"""The errors the sandbox raises: a message key and its fields, never a finished sentence.

:class:`SandboxError` is the one exception the sandbox raises internally; it
carries a key of :mod:`autodiff_viz.i18n.sandbox`, the fields that fill it, the
line and the kind, and becomes a :class:`~autodiff_viz.result.RunError` at the
edge, which the server words in the reader's language. A field may be a nested
message (a limit's name, advice, an explanation of a PyTorch error).
"""

from __future__ import annotations

import re
from typing import Any

from autodiff_viz.i18n import message, nested
from autodiff_viz.i18n.sandbox import STRINGS
from autodiff_viz.result import ErrorKind, Notice, RunError
from autodiff_viz.sandbox.error_hints import explain, first_sentence

#: Catalogue keys (``sandbox.<key>`` in :mod:`autodiff_viz.i18n.sandbox`).
CATALOGUE: frozenset[str] = frozenset(
    key.removeprefix("sandbox.") for key in STRINGS if key.startswith("sandbox.")
)

#: Limit ids (``limit.<id>``) a budget message names.
LIMITS: frozenset[str] = frozenset(
    key.removeprefix("limit.") for key in STRINGS if key.startswith("limit.")
)


class SandboxError(Exception):
    """A refusal or failure of the user's program: a catalogue key, its fields, the line."""

    def __init__(
        self,
        kind: ErrorKind,
        key: str,
        fields: dict[str, Any] | None = None,
        line: int | None = None,
        exc_type: str | None = None,
    ) -> None:
        self.kind: ErrorKind = kind
        self.key = key
        self.fields = dict(fields or {})
        self.line = line
        self.exc_type = exc_type
        #: the Python exception behind a ``runtime`` error, for ``except`` clauses
        self.original: BaseException | None = None
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The English text (for logs and tests; the page words :meth:`to_run_error`)."""
        return message(self.key, "en", self.fields)

    @property
    def message_zh(self) -> str:
        return message(self.key, "zh", self.fields)

    def at(self, line: int | None) -> SandboxError:
        """Give the error a line if it has none yet (the innermost line wins)."""
        if self.line is None and line is not None:
            self.line = line
        return self

    def to_run_error(self) -> RunError:
        return RunError(
            kind=self.kind, key=self.key, fields=self.fields, line=self.line, exc_type=self.exc_type
        )


def error(
    kind: ErrorKind,
    key: str,
    line: int | None = None,
    exc_type: str | None = None,
    **fields: object,
) -> SandboxError:
    """The error ``key`` of the catalogue (``sandbox.<key>``) with its fields."""
    return SandboxError(kind, f"sandbox.{key}", fields, line, exc_type)


def notice(key: str, line: int | None = None, **fields: object) -> Notice:
    """A warning of the sandbox (``sandbox.<key>``), not an error: the run goes on."""
    return Notice(f"sandbox.{key}", dict(fields), line)


def budget(limit: str, detail: str, line: int | None = None, /, **fields: object) -> SandboxError:
    """The error for reaching the limit ``limit`` (a key of :data:`LIMITS`).

    ``detail`` is a ``budget.*`` key filled with ``fields`` (``budget("steps",
    "steps", limit=n)``); any other text is shown as it is.
    """
    said: object = nested(f"budget.{detail}", **fields) if f"budget.{detail}" in STRINGS else detail
    return error("budget", "budget", line, limit=nested(f"limit.{limit}"), detail=said)


def runtime(exc: BaseException, line: int | None = None) -> SandboxError:
    """An exception the program raised: PyTorch's own text, and advice when we have some."""
    name = type(exc).__name__
    detail = scrub(str(exc))
    if isinstance(exc, KeyError) and exc.args:
        detail = scrub(repr(exc.args[0]))
    hint = explain(detail)
    if hint is None:
        failure = error("runtime", "runtime", line, exc_type=name, name=name, detail=detail)
    else:
        detail = first_sentence(detail)
        failure = error(
            "runtime", "explained", line, exc_type=name, name=name, detail=detail, hint=hint
        )
    failure.original = exc
    return failure


#: what Python would call the sandbox's own stand-ins, so no message names them
#: The sandbox's stand-in classes by the name Python gives what they stand for: error messages
#: and the variables table say "function", never "UserFunction".
PYTHON_NAMES = {
    "SafeCallable": "builtin_function_or_method",
    "UserFunction": "function",
    "GradModeFunction": "function",
    "UserClass": "type",
    "TypeProxy": "type",
    "Namespace": "module",
    "GradFnView": "Node",
    "Inert": "object",
    "InertGradFn": "object",
    "TorchVersion": "str",
    "BoundMethod": "method",
    "Super": "super",
    "Marker": "type",
    "ParamGroup": "dict",
}
_STAND_IN = re.compile(r"\b(" + "|".join(sorted(PYTHON_NAMES, key=len, reverse=True)) + r")\b")


def scrub(text: str) -> str:
    """Python's wording for a message that would name one of the sandbox's classes."""
    return _STAND_IN.sub(lambda m: PYTHON_NAMES[m.group(1)], text)


def syntax(reason: str, line: int | None = None, exc_type: str | None = None) -> SandboxError:
    """The text is not Python: the parser's reason, and advice when we have some."""
    hint = explain(reason, syntax=True)
    if hint is None:
        return error("syntax", "syntax", line, exc_type=exc_type, reason=reason)
    return error("syntax", "syntax_explained", line, exc_type=exc_type, reason=reason, hint=hint)


def construct(what: str, line: int | None) -> SandboxError:
    """Refuse a language construct (a key of :data:`CONSTRUCTS`) with advice."""
    name, advice = CONSTRUCTS[what]
    return error(
        "refused",
        "construct",
        line,
        what=nested(f"construct.{name}"),
        instead=nested(f"construct.{advice}.advice"),
    )


def advice(key: str) -> object:
    """The ``{instead}`` field for an ``advice.*`` key ("" for no advice)."""
    return nested(f"advice.{key}") if key else ""


#: construct (as the gate names it) -> (its i18n name, its advice's i18n name)
CONSTRUCTS: dict[str, tuple[str, str]] = {
    "except*": ("except_star", "except_star"),
    "metaclass=": ("metaclass", "metaclass"),
    "a class decorator": ("class_decorator", "class_decorator"),
    "this statement in a class body": ("class_body", "class_body"),
    "global": ("global", "arguments"),
    "nonlocal": ("nonlocal", "arguments"),
    "async code": ("async", "async"),
    "yield": ("yield", "yield"),
    "the walrus operator :=": ("walrus", "walrus"),
    "del": ("del", "del"),
    "match": ("match", "match"),
    "a star-import": ("star_import", "star_import"),
    "a type annotation": ("annotation", "annotation"),
}
