"""The graph explorer's logic, free of Streamlit and torch.

:mod:`~autodiff_viz.explorer.data` turns forms and links into programs and results into rows;
:mod:`~autodiff_viz.explorer.examples` is the example gallery (programs in ``gallery/``).
"""
