"""How each kind of node looks, in one table, and the legend that explains it.

A tensor's *role* (leaf requiring grad, intermediate, retained, output, cut input) decides its
colour AND its outline, so the picture still reads in grey-scale and for colour-blind students:
colours come from the Okabe-Ito palette and every role also differs in shape (square box,
rounded box, box with cut corners, double outline, dashed outline; a folded module call is a
UML component box). ``STYLES[theme][role]`` is the
only place these choices live; :data:`LEGEND` lists the roles for the page and
:func:`legend_dot` draws them as a small graph.

All words drawn into a picture are in :data:`WORDS`, so a page can pass translations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from autodiff_viz.i18n import section
from autodiff_viz.render.text import dot_string

__all__ = [
    "LEGEND",
    "STYLES",
    "THEMES",
    "WORDS",
    "LegendEntry",
    "NodeStyle",
    "Role",
    "Theme",
    "ThemeColors",
    "legend_dot",
]

Theme = Literal["light", "dark"]
Role = Literal["leaf", "intermediate", "retained", "output", "cut", "op", "op2", "module"]


@dataclass(frozen=True)
class NodeStyle:
    """DOT attributes of one role: outline shape and style, colours, line width."""

    shape: str
    style: str
    fill: str
    border: str
    font: str
    penwidth: float = 1.0
    peripheries: int = 1


@dataclass(frozen=True)
class ThemeColors:
    """Colours that are not per role: background, edges, gradients, dimmed and current nodes."""

    background: str
    text: str
    edge: str
    grad: str
    dim_fill: str
    dim_text: str
    current_fill: str
    current_text: str
    note_fill: str


# Okabe-Ito: blue #0072B2, bluish green #009E73, vermillion #D55E00, reddish purple #CC79A7,
# yellow #F0E442 (only as a fill behind dark text: on white it is too pale for lines or text).
_LIGHT = ThemeColors(
    background="#FFFFFF",
    text="#1A1A1A",
    edge="#555555",
    grad="#B34700",
    dim_fill="#F3F3F3",
    dim_text="#A6A6A6",
    current_fill="#F0E442",
    current_text="#000000",
    note_fill="#FFF9D6",
)
_DARK = ThemeColors(
    background="#0E1117",
    text="#F2F2F2",
    edge="#B8B8B8",
    grad="#FFA566",
    dim_fill="#1B1E25",
    dim_text="#5C6270",
    current_fill="#F0E442",
    current_text="#000000",
    note_fill="#3A3520",
)
THEMES: dict[Theme, ThemeColors] = {"light": _LIGHT, "dark": _DARK}


def _roles(fills: Mapping[Role, str], text: str, grey: str) -> dict[Role, NodeStyle]:
    return {
        "leaf": NodeStyle("box", "filled", fills["leaf"], "#0072B2", text, penwidth=2.0),
        "intermediate": NodeStyle("box", "rounded,filled", fills["intermediate"], grey, text),
        "retained": NodeStyle(
            "box", "filled,diagonals", fills["retained"], "#009E73", text, penwidth=2.0
        ),
        "output": NodeStyle(
            "box", "rounded,filled", fills["output"], "#D55E00", text, penwidth=2.0, peripheries=2
        ),
        "cut": NodeStyle("box", "rounded,filled,dashed", fills["cut"], grey, text, penwidth=1.5),
        "op": NodeStyle("ellipse", "filled", fills["op"], grey, text),
        "op2": NodeStyle("octagon", "filled", fills["op2"], "#CC79A7", text, penwidth=2.0),
        # A folded module call: graphviz's UML "component" box, outlined in sky blue.
        "module": NodeStyle("component", "filled", fills["module"], "#56B4E9", text, penwidth=2.0),
    }


STYLES: dict[Theme, dict[Role, NodeStyle]] = {
    "light": _roles(
        {
            "leaf": "#D6EAF8",
            "intermediate": "#FFFFFF",
            "retained": "#D4F1E6",
            "output": "#FBE0CC",
            "cut": "#EDEDED",
            "op": "#F2F2F2",
            "op2": "#F6DDEB",
            "module": "#E4F3FC",
        },
        _LIGHT.text,
        "#7F7F7F",
    ),
    "dark": _roles(
        {
            "leaf": "#0B3A5B",
            "intermediate": "#262730",
            "retained": "#0B4434",
            "output": "#5A2A06",
            "cut": "#2E2E2E",
            "op": "#1F2129",
            "op2": "#4A2340",
            "module": "#123A52",
        },
        _DARK.text,
        "#9A9A9A",
    ),
}

#: Every word drawn into a picture, in English: the i18n table's ``draw.*`` (one source).
#: Pages pass the reader's language to ``to_dot(words=section("draw", lang))``.
WORDS: dict[str, str] = section("draw", "en")


@dataclass(frozen=True)
class LegendEntry:
    """One row of the legend: a role, the word for it and how it looks (light theme)."""

    role: Role
    label: str
    shape: str
    style: str
    fill: str
    border: str


LEGEND: tuple[LegendEntry, ...] = tuple(
    LegendEntry(role, WORDS[role], s.shape, s.style, s.fill, s.border)
    for role, s in STYLES["light"].items()
)


def legend_dot(theme: Theme = "light", words: Mapping[str, str] | None = None) -> str:
    """A small DOT graph showing one sample node per role, in a column."""
    text = {**WORDS, **(words or {})}
    colors = THEMES[theme]
    lines = [
        "digraph legend {",
        f'  graph [rankdir=TB, bgcolor="{colors.background}", nodesep=0.15, ranksep=0.1];',
        '  node [fontname="Helvetica,Arial,sans-serif", fontsize=11];',
    ]
    for role, s in STYLES[theme].items():
        lines.append(
            f'  "legend_{role}" [label={dot_string(text[role])}, shape={s.shape}, '
            f'style="{s.style}", fillcolor="{s.fill}", color="{s.border}", '
            f'fontcolor="{s.font}", penwidth={s.penwidth}, peripheries={s.peripheries}];'
        )
    roles = list(STYLES[theme])
    chain = " -> ".join(f'"legend_{r}"' for r in roles)
    lines.append(f"  {chain} [style=invis];")
    lines.append("}")
    return "\n".join(lines) + "\n"
