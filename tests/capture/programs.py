"""Run a program text under a Recorder the way the sandbox does: names, lines, source given."""

from __future__ import annotations

import sys
from typing import Any

import torch

from autodiff_viz.capture import Recorder
from autodiff_viz.graph import Graph, Node

FILENAME = "<program>"


def program_line() -> int | None:
    """The line of the program text now running (the innermost frame of it)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == FILENAME:
            return frame.f_lineno
        frame = frame.f_back  # type: ignore[assignment]
    return None


def run(source: str, **options: Any) -> tuple[Recorder, dict[str, Any]]:
    namespace: dict[str, Any] = {"torch": torch}
    code = compile(source, FILENAME, "exec")
    names = lambda: {k: v for k, v in namespace.items() if k != "torch"}  # noqa: E731
    with Recorder(names=names, line=program_line, source=source, **options) as rec:
        exec(code, namespace)
    return rec, namespace


def data(node: Node) -> Any:
    assert node.value is not None, node
    return node.value.data


def grad(node: Node) -> Any:
    assert node.grad is not None, node
    return node.grad.data


def ops(graph: Graph) -> list[str | None]:
    return [n.op for n in graph.nodes]
