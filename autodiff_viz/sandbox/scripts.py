"""Unicode hazards in a program's text: bidi controls (refused) and look-alike names (warned).

"Trojan Source" (CVE-2021-42574): the bidirectional controls U+202A-U+202E and
U+2066-U+2069 reorder how a line is *shown* without changing how it *runs*, so
a shared program could look harmless and do something else. They have no use
in a teaching program, so :func:`refuse_bidi` refuses them anywhere, strings
and comments included, naming the character and its line (rustc denies them
by default for the same reason).

:func:`lookalike_names` finds identifiers that mix Latin letters with Cyrillic
or Greek look-alikes (``рrint`` with a Cyrillic ``р``), or are spelled entirely
in Cyrillic letters that look Latin (``у``, ``ах``): two names that look the same
but are different variables. They are warnings, not errors, and names in
other scripts (Chinese names, Greek ``θ`` and ``λ``) are left alone.
"""

from __future__ import annotations

import io
import tokenize
import unicodedata
from dataclasses import dataclass

from autodiff_viz.result import Notice
from autodiff_viz.sandbox.messages import error, notice

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

#: Cyrillic and Greek letters that look like a Latin letter in common fonts.
_LATIN_LOOKALIKES = frozenset(
    "аеорсухіјѕԁһԛԝүвкмнтАВЕКМНОРСТХІЈЅҮ"  # Cyrillic
    "οαινρτυχκΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"  # Greek
)
_CONFUSABLE_SCRIPTS = ("CYRILLIC", "GREEK")


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: how a message names a character."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'UNNAMED CHARACTER')}"


def refuse_bidi(text: str) -> None:
    """Raise a ``refused`` error at the first bidi control of ``text``."""
    for number, line in enumerate(text.split("\n"), start=1):
        found = next((c for c in line if c in BIDI_CONTROLS), None)
        if found is not None:
            raise error("refused", "bidi", number, char=describe(found))


@dataclass(frozen=True)
class Lookalike:
    """A name written with letters of another alphabet that look Latin."""

    line: int
    name: str
    char: str  # the first look-alike letter, as :func:`describe` names it


def lookalike_names(text: str) -> list[Lookalike]:
    """Look-alike identifiers of ``text`` (which has passed the gate), once per name."""
    found: dict[str, Lookalike] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for tok in tokens:
        if tok.type == tokenize.NAME and not tok.string.isascii() and tok.string not in found:
            char = _lookalike_char(tok.string)
            if char is not None:
                found[tok.string] = Lookalike(tok.start[0], tok.string, describe(char))
    return list(found.values())


def _lookalike_char(name: str) -> str | None:
    letters = [c for c in name if c.isalpha()]
    foreign = [c for c in letters if _script(c) in _CONFUSABLE_SCRIPTS]
    if not foreign:
        return None
    has_latin = any(_script(c) == "LATIN" for c in letters)
    if has_latin:  # Latin mixed with Cyrillic/Greek: flag the look-alike letters among them
        return next((c for c in foreign if c in _LATIN_LOOKALIKES), None)
    cyrillic = [c for c in letters if _script(c) == "CYRILLIC"]
    # A name in Cyrillic alone is suspicious only when every letter could pass for Latin
    # (a Russian word like "скорость" has letters with no Latin twin); Greek alone (θ, λ,
    # α for a learning rate) is ordinary mathematics.
    if cyrillic and len(cyrillic) == len(letters) and all(c in _LATIN_LOOKALIKES for c in letters):
        return letters[0]
    return None


def _script(char: str) -> str:
    return unicodedata.name(char, "").split(" ", 1)[0]


#: look-alike names reported per run: enough to make the point, never a flood
MAX_LOOKALIKE_NOTICES = 20


def lookalike_notices(text: str) -> list[Notice]:
    """One warning per look-alike name of ``text`` (the first :data:`MAX_LOOKALIKE_NOTICES`)."""
    return [
        notice("lookalike_warning", found.line, name=found.name, char=found.char)
        for found in lookalike_names(text)[:MAX_LOOKALIKE_NOTICES]
    ]
