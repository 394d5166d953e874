"""autodiff_viz: the frame around the pages — page config, language, navigation.

The first run in a server process also prepares it for a classroom
(see :func:`autodiff_viz.ui.warmup.prepare_server`).
"""

from pathlib import Path

import streamlit as st

import autodiff_viz.ui
from autodiff_viz.ui.frame import current_lang, navigation, sidebar
from autodiff_viz.ui.startup import ensure_frame
from autodiff_viz.ui.warmup import prepare_server

ICON = Path(autodiff_viz.ui.__file__).with_name("icon.svg")

ensure_frame()  # a first visit after a server start: rerun as the frame before any widget
prepare_server()
# The icon is a file of the app: a Material icon here is fetched from Google's servers by every
# browser that opens a page, which an offline classroom cannot reach.
st.set_page_config(page_title="autodiff_viz", page_icon=str(ICON), layout="wide")
lang = sidebar(current_lang())
navigation(lang).run()
