"""A tiny Streamlit page for the browser test of the graph view (not part of the app).

Shows a hand-built graph with a 5-step backward order in the backward view; the step comes from
a number input (or ``?step=`` on the first load); a click on a node is written into the page.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `streamlit run` puts only this file's folder on the path
    sys.path.insert(0, str(ROOT))

from autodiff_viz.render.dot import DrawOptions, to_dot  # noqa: E402
from autodiff_viz.ui.graph_view import graph_view  # noqa: E402
from tests.render.graphs import linear_mse  # noqa: E402

graph = linear_mse()
total = len(graph.backward_order)
first = int(st.query_params.get("step", 0))
step = st.number_input("step", min_value=0, max_value=total, value=first, key="step")
theme = st.radio("theme", ["light", "dark"], horizontal=True, key="theme")
dot = to_dot(graph, DrawOptions(view="backward", step=int(step), theme=theme))  # type: ignore[arg-type]
selected = graph_view(dot, key="graph", height=420, theme=str(theme))
st.markdown(f"selected node: `{selected}`")
if st.checkbox("second view", key="second"):
    graph_view(dot, key="graph2", height=300, theme=str(theme))
