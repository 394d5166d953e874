"""autodiff_viz: the frame around the pages — page config, language, navigation."""

import streamlit as st

from autodiff_viz.ui.frame import current_lang, navigation, sidebar

st.set_page_config(page_title="autodiff_viz", page_icon=":material/account_tree:", layout="wide")
lang = sidebar(current_lang())
navigation(lang).run()
