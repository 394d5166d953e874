"""The gradient-descent page's work: optimisers animated on a curve, a surface and a fit.

:mod:`~autodiff_viz.descent.data` holds scenes and results as plain data (pure),
:mod:`~autodiff_viz.descent.job` runs the optimisers with torch in a worker, and
:mod:`~autodiff_viz.descent.plots`, :mod:`~autodiff_viz.descent.race_plots` and
:mod:`~autodiff_viz.descent.animation` draw them with plotly.
"""
