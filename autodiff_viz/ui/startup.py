"""Make the frame run for the very first visitor too, whatever page they open.

Streamlit treats an app with a ``pages/`` folder as an old-style multipage app
until some session's main script calls ``st.navigation``: a first visitor who
opens ``/derivatives`` after a server start gets that page run alone (no
frame, no language switch, Streamlit's own page list), and so does everyone
after them until somebody opens ``/``. Even ``/`` is run that way the first
time: ``app.py`` as a page of the old-style app, so the widgets it makes (the
language switch) are not the ones of the next run and lose their value — the
first visitor's language fell back to English on their first click. So the frame
and every page call :func:`ensure_frame` before they make a widget: run the old
way, it switches the server to ``st.navigation`` and reruns, which runs ``app.py``.
"""

from __future__ import annotations

import streamlit as st
from streamlit import config
from streamlit.runtime.pages_manager import PagesManager


def ensure_frame() -> None:
    """Rerun through ``app.py`` when this page was run without it (see the module docstring)."""
    # AppTest resets the flag before every run and resolves pages itself; the browser test
    # (tests/browser/test_startup_browser.py) covers the real server.
    if PagesManager.uses_pages_directory and not config.get_option("global.appTest"):
        PagesManager.uses_pages_directory = False
        st.rerun()
