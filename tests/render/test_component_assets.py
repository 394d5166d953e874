"""The graph component's files: packaged beside ``graph_view.py``, and its JavaScript parses.

``node --check`` of an ES module read from stdin (``--input-type=module``); a file with a
syntax error must fail the same check, so the check is known to look.
"""

from __future__ import annotations

import shutil
import subprocess
from importlib import resources

import pytest

from autodiff_viz.ui.graph_view import _asset, component_js

NODE = shutil.which("node")


def _node_check(source: str) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run(
        [NODE, "--input-type=module", "--check"],
        input=source,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_component_files_are_package_resources() -> None:
    names = {p.name for p in resources.files("autodiff_viz.ui").iterdir()}
    assert {"graph_view.js", "graph_view.css", "graph_view.html"} <= names
    assert {"graph_toolbar.js", "graph_minimap.js", "graph_theme.js"} <= names
    assert "export default function" in _asset("graph_view.js")
    assert ".gv-viewport" in _asset("graph_view.css")
    assert 'class="gv-root"' in _asset("graph_view.html")


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_component_javascript_parses() -> None:
    result = _node_check(component_js())  # the one module the component loads, all parts joined
    assert result.returncode == 0, result.stderr
    for part in ("fitToolbar", "watchToolbar", "miniMapInit", "miniMapShow", "miniMapPlace"):
        assert f"function {part}(" in component_js()


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_the_check_rejects_a_syntax_error() -> None:
    broken = _asset("graph_view.js").replace("export default function", "export default function (")
    result = _node_check(broken)
    assert result.returncode != 0
    assert "SyntaxError" in result.stderr
