"""Supported Python: the language and PyTorch surface of the sandbox, from its own tables."""

import streamlit as st

from autodiff_viz.sandbox.surface import surface_markdown
from autodiff_viz.ui.page import page_header

lang = page_header("page.language", "language.intro")
# Names from the allowlist and sentences of i18n only: no user text reaches this Markdown.
st.markdown(surface_markdown(lang))
