"""Recognise the common errors a student meets by Python's or PyTorch's own words.

:func:`explain` turns an error text into a message key of
:mod:`autodiff_viz.i18n.errors` and the fields it needs (sizes, brackets),
or None for an error we have no advice for. The patterns match the messages
of the torch and Python versions this project pins; the tests run a real
program for each one, so a changed message fails a test instead of silently
losing its explanation.
"""

from __future__ import annotations

import re
from typing import Any

from autodiff_viz.i18n import nested

#: (pattern, hint key): the pattern's named groups are the hint's fields; the first match wins.
RUNTIME: tuple[tuple[str, str], ...] = (
    (r"grad can be implicitly created only for scalar outputs", "scalar_backward"),
    (
        r"The size of tensor a \((?P<a>\d+)\) must match the size of tensor b \((?P<b>\d+)\) "
        r"at non-singleton dimension (?P<dim>\d+)",
        "broadcast",
    ),
    (
        r"mat1 and mat2 shapes cannot be multiplied "
        r"\((?P<r1>\d+)x(?P<c1>\d+) and (?P<r2>\d+)x(?P<c2>\d+)\)",
        "matmul",
    ),
    (r"inconsistent tensor size|size mismatch, got input", "product_size"),
    (r"shape '\[[-\d, ]*\]' is invalid for input of size (?P<size>\d+)", "view"),
    (r"Trying to backward through the graph a second time", "backward_twice"),
    (r"a leaf Variable that requires grad is being used in an in-place operation", "leaf_inplace"),
    (r"modified by an inplace operation", "modified_inplace"),
    (
        r"to have the same dtype|expected scalar type \w+ but found|Found dtype \w+ but expected"
        r"|can't be cast to the desired output type",
        "dtype",
    ),
    (r"Only Tensors of floating point and complex dtype can require gradients", "int_grad"),
    (
        r"index (?P<index>-?\d+) is out of bounds for dimension (?P<dim>\d+) "
        r"with size (?P<size>\d+)",
        "index",
    ),
    (r"(list|tuple|string|range object) index out of range", "sequence_index"),
    (
        r"Dimension out of range \(expected to be in range of "
        r"\[(?P<lo>-?\d+), (?P<hi>-?\d+)\], but got (?P<got>-?\d+)\)",
        "dim",
    ),
    (r"does not require grad and does not have a grad_fn", "no_grad_fn"),
    (r"a Tensor with (?P<n>\d+) elements cannot be converted to Scalar", "item"),
    (r"Boolean value of Tensor with more than one value is ambiguous", "bool"),
    (r"'NoneType'", "none"),
)

SYNTAX: tuple[tuple[str, str], ...] = (
    (r"'(?P<bracket>[(\[{])' was never closed", "never_closed"),
    (r"unmatched '(?P<bracket>[)\]}])'", "unmatched"),
    (
        r"closing parenthesis '(?P<close>[)\]}])' does not match "
        r"opening parenthesis '(?P<open>[(\[{])'",
        "mismatched",
    ),
    (r"expected an indented block", "indent_expected"),
    (r"unexpected indent", "indent_unexpected"),
    (r"unindent does not match any outer indentation level", "indent_mismatch"),
    (r"inconsistent use of tabs and spaces", "tabs"),
    (r"expected ':'", "colon"),
    (r"invalid character '(?P<char>.)'", "full_width"),
    (r"Perhaps you forgot a comma", "comma"),
    (r"unterminated (triple-quoted )?string literal", "string"),
    (r"cannot assign to|Maybe you meant '==' instead of '='", "assign"),
    (r"invalid decimal literal", "number_name"),
    (r"^invalid syntax$", "invalid_syntax"),
)

#: Warnings PyTorch gives for a mistake that does not stop the program.
WARNINGS: tuple[tuple[str, str], ...] = (
    (
        r"The \.grad attribute of a Tensor that is not a leaf Tensor is being accessed",
        "nonleaf_grad",
    ),
    (
        r"Using a target size \((?P<target>torch\.Size\(\[[\d, ]*\]\))\) that is different to "
        r"the input size \((?P<input>torch\.Size\(\[[\d, ]*\]\))\)",
        "target_size",
    ),
)

_RUNTIME = tuple((re.compile(p), key) for p, key in RUNTIME)
_WARNINGS = tuple((re.compile(p), key) for p, key in WARNINGS)
_SYNTAX = tuple((re.compile(p), key) for p, key in SYNTAX)


def explain(text: str, *, syntax: bool = False) -> dict[str, Any] | None:
    """The hint (a nested message) for an error text, or None when none fits."""
    for pattern, key in _SYNTAX if syntax else _RUNTIME:
        found = pattern.search(text)
        if found:
            fields: dict[str, object] = dict(found.groupdict())
            if "size" in fields and key == "index":
                fields["last"] = int(found["size"]) - 1
            return nested(f"hint.{key}", **fields)
    return None


def warning(text: str) -> tuple[str, dict[str, Any]]:
    """A warning the program caused, as a message key and fields: explained when we can."""
    for pattern, key in _WARNINGS:
        found = pattern.search(text)
        if found:
            hint = nested(f"hint.{key}", **found.groupdict())
            return "sandbox.warning_explained", {"detail": first_sentence(text), "hint": hint}
    return "sandbox.warning", {"detail": text}


def first_sentence(text: str) -> str:
    """PyTorch's first sentence: the one an explanation keeps beside itself.

    Some messages go on for three sentences of advice in English (backward
    twice, in-place changes); the explanation says it in the reader's language.
    """
    head, sep, _ = text.partition(". ")
    return head + "." if sep and len(head) > 40 else text
