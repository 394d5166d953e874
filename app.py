"""autodiff_viz: the frame around the pages — page config, language, navigation.

The first run in a server process also prepares it for a classroom (see :func:`_serve`).
"""

import gc
import importlib
import pkgutil
from pathlib import Path

import streamlit as st

import autodiff_viz.ui
from autodiff_viz.sandbox.pool import get_pool
from autodiff_viz.ui.frame import current_lang, navigation, sidebar
from autodiff_viz.ui.warmup import load_plotly, warm_caches

ICON = Path(autodiff_viz.ui.__file__).with_name("icon.svg")


@st.cache_resource(show_spinner=False)
def _serve() -> None:
    """Once per server process: start the workers and freeze the heap built by the imports.

    The workers import PyTorch for seconds; starting them now, without waiting, lets them warm
    up while this first page draws. Streamlit collects garbage after every run, and a full
    collection walks every object of the process: forty sessions at once measured several
    times slower for it. Frozen objects are never walked again, so a run pays only for what it
    creates.
    """
    get_pool()
    # The pages are built from autodiff_viz.ui: import all of it now, so that it is frozen too.
    for module in pkgutil.iter_modules(autodiff_viz.ui.__path__, "autodiff_viz.ui."):
        importlib.import_module(module.name)
    load_plotly()  # and the plotly classes the figures are made of
    gc.freeze()
    # And collect less often: a run allocates tens of thousands of short-lived objects (protobuf
    # messages, widget states), and the default threshold of 700 started a collection of the
    # youngest generation dozens of times per run. Measured, 20 simultaneous sessions: server
    # CPU per explorer session 28 -> 20 ms, descent 21 -> 15 ms. Cycles are still collected.
    gc.set_threshold(50_000, 50, 50)
    # Last: the default runs of every page, computed in the background for the first class.
    warm_caches()


_serve()
# The icon is a file of the app: a Material icon here is fetched from Google's servers by every
# browser that opens a page, which an offline classroom cannot reach.
st.set_page_config(page_title="autodiff_viz", page_icon=str(ICON), layout="wide")
lang = sidebar(current_lang())
navigation(lang).run()
