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
