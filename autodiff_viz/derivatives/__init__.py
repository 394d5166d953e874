"""The derivatives page's work: f(x) beside its autograd derivative.

:mod:`~autodiff_viz.derivatives.data` holds presets and curves as plain data (pure),
:mod:`~autodiff_viz.derivatives.job` computes them with torch in a worker, and
:mod:`~autodiff_viz.derivatives.plots` draws them with plotly.
"""
