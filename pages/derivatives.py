"""The derivatives page (its engine lands in the package first; this page says what it will do)."""

from autodiff_viz.ui.page import page_header

page_header("page.derivatives", "derivatives.intro")
