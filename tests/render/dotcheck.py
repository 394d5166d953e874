"""Helpers for the renderer's tests: lay DOT out with the real ``dot`` and read the SVG."""

from __future__ import annotations

import resource
import subprocess
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(dot: str) -> str:
    """``dot -Tsvg`` of the text; fails the test when dot rejects it or warns."""
    done = subprocess.run(
        ["dot", "-Tsvg"], input=dot.encode(), capture_output=True, timeout=30, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert not done.stderr, done.stderr.decode()
    return done.stdout.decode()


def layout_cpu_seconds(dot: str) -> tuple[str, float]:
    """The SVG, and the CPU seconds ``dot`` spent on it: unlike wall time, other programs on a
    shared machine barely change it, so a bound on it fails only when the layout got slower."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    svg = svg_of(dot)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return svg, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def node_classes(svg: str) -> dict[str, set[str]]:
    """SVG id of every node group -> its class names."""
    root = ET.fromstring(svg)
    return {
        g.get("id", ""): set(g.get("class", "").split())
        for g in root.iter(f"{SVG}g")
        if "node" in g.get("class", "").split()
    }


def texts(svg: str) -> list[str]:
    """Every text shown in the picture, after XML unescaping."""
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _em(char: str) -> float:
    """Advance width of a character in Helvetica, in ems (narrow punctuation, digits, others)."""
    if char in "[](),.:;' |il":
        return 0.278
    if char in "-":
        return 0.333
    return 0.667 if char.isupper() else 0.556


def text_box(text: ET.Element) -> Box:
    """Where a text line is drawn, estimated from its anchor, size and length (Helvetica)."""
    size = float(text.get("font-size", 14))
    x, y = float(text.get("x", 0)), float(text.get("y", 0))
    width = size * sum(_em(c) for c in "".join(text.itertext()))
    anchor = text.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return left, y - 0.8 * size, left + width, y + 0.2 * size


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def edge_labels_over_nodes(svg: str) -> list[tuple[str, str]]:
    """(edge label, node id) for every edge label drawn over a line of a node's text."""
    root = ET.fromstring(svg)
    nodes: list[tuple[str, Box]] = []
    labels: list[tuple[str, Box]] = []
    for g in root.iter(f"{SVG}g"):
        kind = g.get("class", "").split()
        if "node" in kind:
            nodes.extend((g.get("id", ""), text_box(t)) for t in g.iter(f"{SVG}text"))
        elif "edge" in kind:
            labels.extend(("".join(t.itertext()), text_box(t)) for t in g.iter(f"{SVG}text"))
    found = [(text, node) for text, box in labels for node, nbox in nodes if overlaps(box, nbox)]
    return list(dict.fromkeys(found))
