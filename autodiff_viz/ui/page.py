"""What every page starts with: its language and its translated heading."""

from __future__ import annotations

import streamlit as st

from autodiff_viz.i18n import Lang, t
from autodiff_viz.ui.frame import current_lang
from autodiff_viz.ui.startup import ensure_frame


def page_header(title_key: str, intro_key: str, *, intro: bool = True) -> Lang:
    """Write the page's title and introduction; return the language of this run.

    ``intro=False`` leaves the introduction out (a link that opens a picture: the picture first).
    """
    ensure_frame()
    lang = current_lang()
    st.title(t(title_key, lang))
    if intro:
        st.caption(t(intro_key, lang))
    return lang
