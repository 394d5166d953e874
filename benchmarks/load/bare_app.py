"""The baseline: a bare Streamlit app with the same 3-page ``st.navigation`` frame as ``app.py``
and one static graph, no worker pool, no server tuning. The load test measures it beside the app.
"""

import streamlit as st

GRAPH = """digraph {
  rankdir=TB; node [shape=record];
  x [label="x | data 2.0 | grad 4.0"]; pow [label="PowBackward0", shape=ellipse];
  y [label="y | data 4.0 | grad 1.0"]; x -> pow -> y;
}"""


def explorer() -> None:
    st.title("Graph explorer")
    st.caption("A static graph: what the load test's bare baseline draws.")
    st.graphviz_chart(GRAPH)


def derivatives() -> None:
    st.title("Derivatives")
    st.caption("f(x) and its derivative.")


def descent() -> None:
    st.title("Gradient descent")
    st.caption("Optimisers on a curve.")


st.set_page_config(page_title="bare", layout="wide")
with st.sidebar:
    st.radio("Language / 语言", options=["en", "zh"], horizontal=True, key="lang_choice")
    with st.expander("About"):
        st.markdown("A bare baseline.")
st.navigation(
    [
        st.Page(explorer, title="Graph explorer", default=True),
        st.Page(derivatives, title="Derivatives"),
        st.Page(descent, title="Gradient descent"),
    ]
).run()
