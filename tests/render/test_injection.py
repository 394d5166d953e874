"""User text cannot break out of DOT or inject markup into the SVG, and shows as typed."""

from __future__ import annotations

import dataclasses
import html
import xml.etree.ElementTree as ET

import pytest

from autodiff_viz.render.dot import DrawOptions, to_dot
from tests.render.dotcheck import SVG, node_classes, svg_of
from tests.render.graphs import scalar_tutorial

XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
ATTACKS = [
    'x"; evil [label="pwned',
    "<script>alert(1)</script>",
    "]; evil [shape=box",
    "label=<<B>bold</B>>",
    "a & b &amp; &lt;c&gt; &#60;",
    "{a|b}|<port> c",
    "back\\slash \\N \\G \\L \\n",
    "new\nline\r\nand\ttab",
    "}\ndigraph x {",
    "<img src=x onerror=alert(1)>",
    "名字 αβγ\\",
]
# Everything dot itself writes for our graphs; anything else would be injected.
ALLOWED = {"svg", "g", "title", "polygon", "ellipse", "path", "text", "a", "polyline"}


def _graph_named(attack: str):  # type: ignore[no-untyped-def]
    graph = scalar_tutorial()
    nodes = tuple(
        dataclasses.replace(n, name=attack, source=attack, op=n.op and n.op + attack)
        for n in graph.nodes
    )
    return dataclasses.replace(graph, nodes=nodes)


def _group(root: ET.Element, node_id: str) -> ET.Element:
    return next(g for g in root.iter(f"{SVG}g") if g.get("id") == node_id)


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("view", ["full", "backward"])
def test_names_and_sources_stay_text(attack: str, view: str) -> None:
    plain = to_dot(scalar_tutorial(), DrawOptions(view=view))  # type: ignore[arg-type]
    svg = svg_of(to_dot(_graph_named(attack), DrawOptions(view=view)))  # type: ignore[arg-type]
    root = ET.fromstring(svg)
    assert {el.tag.removeprefix(SVG) for el in root.iter()} <= ALLOWED
    assert not any(name.startswith("on") for el in root.iter() for name in el.attrib)
    assert node_classes(svg) == node_classes(svg_of(plain))  # no node added, none broken

    # The leaf's name cell shows the name as typed: one line, at most 24 characters.
    one_line = "".join(c for c in attack.replace("\r\n", " ").replace("\n", " ") if c != "\t")
    expected = one_line if len(one_line) <= 24 else one_line[:23] + "…"
    shown = "".join(_group(root, "n8").find(f".//{SVG}text").itertext())  # type: ignore[union-attr]
    # dot leaves entity-like text ("&lt;") unescaped in SVG: the browser shows "<" there.
    assert shown in (expected, html.unescape(expected))

    tooltip = _group(root, "n8").find(f".//{SVG}a").get(XLINK_TITLE)  # type: ignore[union-attr]
    typed = "".join(c for c in attack if c not in "\r\t")
    assert tooltip.startswith(typed) or html.unescape(tooltip).startswith(html.unescape(typed))
