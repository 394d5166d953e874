"""The graph explorer's logic, free of Streamlit: programs from forms, links, choices.

* ``function_program`` turns the *function + inputs* form into the program it
  stands for, so both ways in run through the same engine and a student can
  see the code the form means.
* ``share_query`` / ``read_share_query`` put a program in a link and back;
  ``share_url`` writes the whole link, naming a gallery example by its key.
* ``pass_labels`` names each backward pass a program ran.
"""

from __future__ import annotations

import ast
import keyword
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from autodiff_viz.explorer.examples import EXAMPLES
from autodiff_viz.result import RunResult

MAX_SHARED_CODE = 20_000  # characters of program a link may carry
DTYPES = ("float32", "float64")
OUTPUT_NAME = "y"


class FormError(ValueError):
    """A field of the function form the program cannot be built from."""

    def __init__(self, key: str, **fields: object) -> None:
        super().__init__(key)
        self.key = key  # an i18n key under "form."
        self.fields = fields


@dataclass(frozen=True)
class InputRow:
    """One row of the inputs table: ``name = torch.tensor(value, ...)``."""

    name: str
    value: str
    requires_grad: bool = False
    dtype: str = "float32"


DEFAULT_FUNCTION = "a*x**2 + b*x + c"
DEFAULT_INPUTS = (
    InputRow("x", "0.0", requires_grad=True),
    InputRow("a", "1.0"),
    InputRow("b", "-2.0"),
    InputRow("c", "1.0"),
)


def _finite_number(item: object) -> bool:
    return isinstance(item, (int, float)) and not isinstance(item, bool) and math.isfinite(item)


def parse_numbers(text: str, name: str) -> Any:
    """A number or nested list of numbers written in the form, checked without running it."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        raise FormError("form.bad_value", name=name, value=text) from None
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            if not item:
                raise FormError("form.bad_value", name=name, value=text)
            stack.extend(item)
        elif not _finite_number(item):
            raise FormError("form.bad_value", name=name, value=text)
    return value


def _float_text(value: Any) -> str:
    """Write numbers as floats (``0`` -> ``0.``) so the tensor is floating and can need grad."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_float_text(v) for v in value) + "]"
    return repr(float(value))


def function_program(expr: str, inputs: Sequence[InputRow], output: str = OUTPUT_NAME) -> str:
    """The program the form stands for; FormError names the field that is wrong."""
    expr = expr.strip()
    if not expr:
        raise FormError("form.empty_function")
    if "\n" in expr:
        raise FormError("form.one_line")
    names: set[str] = set()
    lines = ["import torch", ""]
    for row in inputs:
        name = row.name.strip()
        if not name and not row.value.strip():
            continue  # an empty row of the table
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
            raise FormError("form.bad_name", name=name)
        if name in names or name in {"torch", output}:
            raise FormError("form.duplicate_name", name=name)
        if row.dtype not in DTYPES:
            raise FormError("form.bad_dtype", name=name)
        names.add(name)
        args = [_float_text(parse_numbers(row.value, name))]
        if row.dtype != "float32":
            args.append(f"dtype=torch.{row.dtype}")
        if row.requires_grad:
            args.append("requires_grad=True")
        lines.append(f"{name} = torch.tensor({', '.join(args)})")
    lines += ["", f"{output} = {expr}", output]
    return "\n".join(lines) + "\n"


def form_places(inputs: Sequence[InputRow]) -> dict[int, tuple[str, dict[str, Any]]]:
    """Where each line of :func:`function_program`'s program came from in the form.

    Line -> (i18n key, fields): an input row (its number in the table and its
    name) or the function itself, so an error names what the student typed,
    never a line of a program they did not write.
    """
    places: dict[int, tuple[str, dict[str, Any]]] = {}
    line = 3  # after "import torch" and a blank line
    for number, row in enumerate(inputs, start=1):
        if not row.name.strip() and not row.value.strip():
            continue
        places[line] = ("form.place.input", {"row": number, "name": row.name.strip()})
        line += 1
    places[line + 1] = ("form.place.function", {})
    places[line + 2] = ("form.place.function", {})
    return places


#: Query keys of the graph's view a link keeps (``?view=step&step=3&node=n4``).
VIEW_KEYS = ("view", "step", "node")


def share_query(
    *,
    code: str | None = None,
    example: str | None = None,
    lang: str = "en",
    view: Mapping[str, str] | None = None,
) -> str:
    """The query string of a link that opens a program: ``?code=...`` or ``?example=...``,
    then the language and the graph's view (``view``, ``step``, ``node``) when given."""
    params: dict[str, str] = {}
    if example:
        params["example"] = example
    elif code is not None:
        params["code"] = code
    params["lang"] = lang
    params.update({k: str(v) for k, v in (view or {}).items() if k in VIEW_KEYS and v})
    return "?" + urlencode(params)


def example_key(source: str) -> str | None:
    """The gallery example whose program is exactly ``source``, if any."""
    return next((key for key, example in EXAMPLES.items() if example.is_text(source)), None)


def share_url(page_url: str, source: str, lang: str, view: Mapping[str, str] | None = None) -> str:
    """The link that opens ``source`` on the page at ``page_url`` (its query is replaced).

    An unedited gallery example travels as ``?example=<key>``: a short link that also
    follows later fixes to the example.
    """
    base = page_url.split("#", 1)[0].split("?", 1)[0]
    return base + share_query(code=source, example=example_key(source), lang=lang, view=view)


@dataclass(frozen=True)
class SharedProgram:
    """What a link asked to open."""

    code: str
    example: str | None = None
    error_key: str | None = None  # an i18n key when the link could not be used


def read_share_query(params: Mapping[str, str], lang: str = "en") -> SharedProgram | None:
    """The program a link carries (an example with its comments in ``lang``), or None."""
    key = params.get("example")
    if key is not None:
        if key in EXAMPLES:
            return SharedProgram(EXAMPLES[key].text(lang), example=key)
        return SharedProgram("", error_key="share.unknown_example")
    code = params.get("code")
    if code is None:
        return None
    if len(code) > MAX_SHARED_CODE:
        return SharedProgram(code[:MAX_SHARED_CODE], error_key="share.too_long")
    return SharedProgram(code)


def pass_labels(result: RunResult) -> list[tuple[str, int | None]]:
    """One (call, line) per captured pass, in program order, for the pass picker."""
    lines = list(result.graph_lines) + [None] * (len(result.graphs) - len(result.graph_lines))
    return [(graph.call, line) for graph, line in zip(result.graphs, lines, strict=True)]


def numbered_lines(source: str, line: int, around: int = 2) -> str:
    """The lines of ``source`` near ``line`` with their numbers, that line marked with ``→``.

    Every error names its line ("Line 3: ..."); the message comes with the lines it means,
    numbered as it counts them (the editor's gutter numbers them too, out of sight when the
    editor is closed or scrolled).
    """
    lines = source.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    first, last = max(1, line - around), min(len(lines), line + around)
    width = len(str(last))
    return "\n".join(
        f"{'→' if n == line else ' '} {n:>{width}} │ {lines[n - 1]}" for n in range(first, last + 1)
    )
