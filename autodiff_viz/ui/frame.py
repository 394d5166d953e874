"""The app's frame: which language to speak, the sidebar, the page list, presentation mode.

The language comes from ``?lang=`` in the URL, else the choice made earlier in
this session, else the browser's locale; it is written back to the URL so a
shared link opens in the same language.

Presentation mode enlarges everything a class reads, by one factor
(:data:`PRESENTATION_SCALE`, :func:`presentation_scale`). Streamlit sizes its text and spacing in
``rem``, so one rule on the root font size scales every page's interface; the graph's fit draws
its node text at least that much larger, and plotly figures scale their fonts, markers and lines
(:func:`autodiff_viz.ui.figures.scaled_figure`).
"""

from __future__ import annotations

import streamlit as st

from autodiff_viz.i18n import DEFAULT_LANG, LANGS, Lang, lang_from_locale, parse_lang, t

SOURCE_URL = "https://github.com/autodiff-viz/autodiff_viz"
_CHOICE_KEY = "lang_choice"
PRESENTATION = "presentation"
_PRESENTATION_KEPT = "presentation_kept"
#: How much larger presentation mode draws everything: interface, graph text, plotly figures.
PRESENTATION_SCALE = 1.25
#: Larger root font; less empty space above the title, so the enlarged page keeps its picture in
#: sight at 1280×720 (Streamlit leaves 6rem, clear of its 3.75rem header).
PRESENTATION_CSS = (
    f"<style>html {{ font-size: {PRESENTATION_SCALE:.0%}; }}"
    " [data-testid='stMainBlockContainer'] { padding-top: 4rem; }</style>"
)
#: Inline code stays on one line: Chinese text may break between any two characters, and a
#: browser would otherwise split `x.grad` or `requires_grad=True` in the middle of a sentence.
TEXT_CSS = (
    "<style>[data-testid='stMarkdownContainer'] :not(pre) > code"
    " { white-space: nowrap !important; }</style>"
)

PAGES: tuple[tuple[str, str, str], ...] = (
    # (file, title key, icon)
    ("pages/explorer.py", "page.explorer", ":material/account_tree:"),
    ("pages/derivatives.py", "page.derivatives", ":material/show_chart:"),
    ("pages/descent.py", "page.descent", ":material/trending_down:"),
    ("pages/language.py", "page.language", ":material/menu_book:"),
)


def current_lang() -> Lang:
    """The language of this run (see the module docstring for the order)."""
    chosen = st.session_state.get(_CHOICE_KEY)
    if chosen in LANGS:
        return chosen
    return parse_lang(st.query_params.get("lang")) or lang_from_locale(st.context.locale)


def sidebar(lang: Lang) -> Lang:
    """Language switch, presentation mode and a short "about"; returns the language to use."""
    st.session_state.setdefault(_CHOICE_KEY, lang)
    with st.sidebar:
        # A fixed label: a label that changed with the language would make a new widget
        # and drop the choice just made.
        lang = st.radio(
            t("app.language", DEFAULT_LANG),
            options=list(LANGS),
            format_func=lambda code: t(f"lang.{code}", code),
            horizontal=True,
            key=_CHOICE_KEY,
        )
        st.html(TEXT_CSS)
        if presentation_toggle(lang):
            st.html(PRESENTATION_CSS)
        with st.expander(t("app.about.title", lang)):
            st.markdown(t("app.about.body", lang))
            st.markdown(f"[{t('app.about.source', lang)}]({SOURCE_URL})")
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def presentation_toggle(lang: Lang) -> bool:
    """The presentation switch: whether to enlarge everything for a projector.

    Its state is kept apart from the widget: the label is translated, and a new label
    makes a new widget, which would start switched off.
    """

    def keep() -> None:
        st.session_state[_PRESENTATION_KEPT] = st.session_state[PRESENTATION]

    st.session_state[PRESENTATION] = st.session_state.get(_PRESENTATION_KEPT, False)
    return st.toggle(
        t("app.presentation", lang),
        key=PRESENTATION,
        help=t("app.presentation.help", lang),
        on_change=keep,
    )


def presentation_scale() -> float:
    """:data:`PRESENTATION_SCALE` while presentation mode is on, else 1 (the page's factor)."""
    return PRESENTATION_SCALE if st.session_state.get(_PRESENTATION_KEPT, False) else 1.0


def navigation(lang: Lang, *, icons: bool = True) -> st.navigation:  # type: ignore[valid-type]
    """The page list with translated titles; the first page is the default at ``/``.

    ``icons=False`` leaves the pages' icons out: a page icon that arrives before the page
    config's becomes the tab's icon, and the browser fetches a Material icon from Google.
    """
    pages = [
        st.Page(path, title=t(title, lang), icon=icon if icons else None, default=(i == 0))
        for i, (path, title, icon) in enumerate(PAGES)
    ]
    return st.navigation(pages)
