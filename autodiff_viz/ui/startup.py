"""Make the frame run for the very first visitor too, whatever page they open.

Streamlit treats an app with a ``pages/`` folder as an old-style multipage app
until some session's main script calls ``st.navigation``: a first visitor who
opens ``/derivatives`` after a server start gets that page run alone (no
frame, no language switch, Streamlit's own page list), and so does everyone
after them until somebody opens ``/``. Even ``/`` is run that way the first
time: ``app.py`` as a page of the old-style app, so the widgets it makes (the
language switch) are not the ones of the next run and lose their value — the
first visitor's language fell back to English on their first click.

So the frame and every page call :func:`ensure_frame` before they make a
widget. The first call in a server process declares the app's pages with
``st.navigation`` — Streamlit's documented switch from the ``pages/`` folder
to the pages a script declares, for every session from then on — and reruns,
which runs ``app.py`` as the frame around the page the visitor asked for.
"""

from __future__ import annotations

import threading

import streamlit as st

from autodiff_viz.ui.frame import current_lang, navigation

_declared = threading.Event()  # set once per server process, like Streamlit's own switch


def ensure_frame() -> None:
    """Rerun through ``app.py`` on the first run of the process (see the module docstring)."""
    # AppTest runs app.py with its own page resolution, and must not rerun.
    if _declared.is_set() or st.get_option("global.appTest"):
        return
    _declared.set()
    # The pages app.py declares, so the visitor's page resolves (without icons: see there).
    navigation(current_lang(), icons=False)
    st.rerun()
