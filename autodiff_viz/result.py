"""What a sandboxed run gives back: printed text, an error, graphs, variables.

Pure data with a JSON round trip, so a run can happen in a worker process
and reach the Streamlit server (which never imports torch) as plain text.
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal

from autodiff_viz.graph import (
    Graph,
    Stats,
    TensorValue,
    encode_numbers,
    graph_from_dict,
    value_from_dict,
)

ErrorKind = Literal[
    "syntax",  # the text is not Python
    "refused",  # valid Python outside the supported language (import os, class, lambda, ...)
    "runtime",  # the program raised (a shape mismatch, a name not defined, ...)
    "budget",  # a limit was reached (steps, memory, time, output, ...)
    "crash",  # the worker process died (a native crash, the OS memory limit)
]


class KeyedError(ValueError):
    """An error a job raises as an i18n key under :attr:`prefix` plus fields; see RunError.

    Subclasses name their table (``prefix``) and the kind their errors have by default.
    """

    prefix = "error"
    default_kind: ErrorKind = "runtime"

    def __init__(self, key: str, /, *, kind: ErrorKind | None = None, **fields: object) -> None:
        self.key = f"{self.prefix}.{key}"
        self.fields = fields
        self.kind: ErrorKind = kind or self.default_kind
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return self.to_run_error().text("en")

    @property
    def message_zh(self) -> str:
        return self.to_run_error().text("zh")

    def to_run_error(self) -> RunError:
        return RunError(kind=self.kind, key=self.key, fields=self.fields)


@dataclass(frozen=True)
class RunError:
    """Why a run stopped, as a message key and its fields; the server words it.

    ``key`` names a sentence of :mod:`autodiff_viz.i18n` and ``fields`` fill
    it; a field may itself be a message (``{"key": ..., "fields": ...}``),
    worded in the same language. :meth:`text` gives the sentence in a
    language, prefixed with the line when there is one. ``message`` and
    ``message_zh`` are those texts in English and Chinese, worked out when the
    error is made (or given directly by older callers, with no key).
    ``line`` is the 1-based source line, when known; ``exc_type`` is the
    Python exception's name (``RuntimeError``) where the error came from the
    program.
    """

    kind: ErrorKind
    message: str = ""
    line: int | None = None
    message_zh: str | None = None
    exc_type: str | None = None
    hint: str | None = None
    key: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.key is not None:
            # Frozen: the two texts are derived once, here, from key + fields.
            object.__setattr__(self, "message", self.text("en"))
            object.__setattr__(self, "message_zh", self.text("zh"))

    def text(self, lang: str) -> str:
        """The error in ``lang`` (English when unknown), naming the line when known."""
        if self.key is None:
            return (self.message_zh if lang == "zh" and self.message_zh else self.message) or ""
        from autodiff_viz.i18n import message  # the tables are only needed to word it

        body = message(self.key, lang, self.fields)
        return message("error.line", lang, {"line": self.line, "text": body}) if self.line else body

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: a keyed error travels as key + fields, never as finished sentences."""
        raw = asdict(self)
        if self.key is not None:
            del raw["message"], raw["message_zh"]
        encoded: dict[str, Any] = encode_numbers(raw)
        return encoded

    @staticmethod
    def from_dict(raw: dict[str, Any]) -> RunError:
        return RunError(**raw)


@dataclass(frozen=True)
class Notice:
    """A warning of the sandbox itself (not of the program), as a message key and its fields.

    E.g. a name spelled with look-alike letters, or warnings left out past the
    per-run limit; ``line`` is the 1-based source line, when there is one.
    """

    key: str
    fields: dict[str, Any] = field(default_factory=dict)
    line: int | None = None

    def text(self, lang: str) -> str:
        """The notice in ``lang``, naming the line when known."""
        from autodiff_viz.i18n import message  # the tables are only needed to word it

        body = message(self.key, lang, self.fields)
        return message("error.line", lang, {"line": self.line, "text": body}) if self.line else body


@dataclass(frozen=True)
class Variable:
    """One name the program left behind, summarised for the variables table."""

    name: str
    type: str  # "Tensor", "float", "int", "list", "Linear", ...
    value: TensorValue | None = None  # for tensors
    text: str = ""  # repr as Python would print it, truncated
    grad: TensorValue | None = None
    requires_grad: bool | None = None
    is_leaf: bool | None = None
    grad_fn: str | None = None


@dataclass(frozen=True)
class RunResult:
    """The outcome of :func:`autodiff_viz.run_program`.

    ``graphs`` holds one Graph per ``backward()`` / ``torch.autograd.grad``
    call in program order, at most ``max_graphs`` of them (the first ones and
    the last one are kept; ``graphs_dropped`` counts the rest).
    ``values_truncated`` counts the tensor values the worker sent as a preview only, to keep
    the result within its budget (``autodiff_viz.sandbox.bounds``).
    """

    stdout: str = ""
    error: RunError | None = None
    graphs: tuple[Graph, ...] = ()
    graph_lines: tuple[int, ...] = ()
    graphs_dropped: int = 0
    variables: tuple[Variable, ...] = ()
    warnings: tuple[str, ...] = ()
    notices: tuple[Notice, ...] = ()
    elapsed_ms: float = 0.0
    values_truncated: int = 0

    @property
    def ok(self) -> bool:
        return self.error is None

    def variable(self, name: str) -> Variable:
        for var in self.variables:
            if var.name == name:
                return var
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready dicts and lists (which it shares: change nothing in them).

        Not ``dataclasses.asdict``: that deep-copies every element of every tensor's data, and
        a worker spent 19 s on it for 41 variables of 10,000 elements. Non-finite floats stay
        floats; Python's ``json`` writes and reads them as ``NaN`` / ``Infinity``.
        """
        raw: dict[str, Any] = _plain(self)
        return raw

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @staticmethod
    def from_json(text: str) -> RunResult:
        return RunResult.from_dict(json.loads(text))

    @staticmethod
    def from_dict(raw: dict[str, Any]) -> RunResult:
        """Inverse of :meth:`to_dict`."""
        err = raw.get("error")
        return RunResult(
            stdout=raw.get("stdout", ""),
            error=RunError.from_dict(err) if err else None,
            graphs=tuple(graph_from_dict(g) for g in raw.get("graphs", [])),
            graph_lines=tuple(raw.get("graph_lines", ())),
            graphs_dropped=raw.get("graphs_dropped", 0),
            variables=tuple(_variable(v) for v in raw.get("variables", [])),
            warnings=tuple(raw.get("warnings", ())),
            notices=tuple(Notice(**n) for n in raw.get("notices", ())),
            elapsed_ms=raw.get("elapsed_ms", 0.0),
            values_truncated=raw.get("values_truncated", 0),
        )


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _stats_dict(stats: Stats) -> dict[str, Any]:
    return {
        "min": stats.min,
        "mean": stats.mean,
        "max": stats.max,
        "nan": stats.nan,
        "inf": stats.inf,
    }


def _plain(obj: Any) -> Any:
    """``obj`` (dataclasses, tuples, numbers, strings) as dicts and lists, data lists shared."""
    if isinstance(obj, TensorValue):
        stats = obj.stats
        return {
            "shape": list(obj.shape),
            "dtype": obj.dtype,
            "data": obj.data,  # nested lists of numbers already (packed bytes read out)
            "preview": list(obj.preview),
            "stats": None if stats is None else _stats_dict(stats),
        }
    if isinstance(obj, RunError):
        return obj.to_dict()  # a keyed error travels as key + fields
    if is_dataclass(obj) and not isinstance(obj, type):
        return {name: _plain(getattr(obj, name)) for name in _field_names(type(obj))}
    if isinstance(obj, tuple | list):
        return [_plain(item) for item in obj]
    return obj


def _variable(raw: dict[str, Any]) -> Variable:
    return Variable(
        name=raw["name"],
        type=raw["type"],
        value=value_from_dict(raw.get("value")),
        text=raw.get("text", ""),
        grad=value_from_dict(raw.get("grad")),
        requires_grad=raw.get("requires_grad"),
        is_leaf=raw.get("is_leaf"),
        grad_fn=raw.get("grad_fn"),
    )
