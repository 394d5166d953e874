"""Graph -> DOT text (pure) -> SVG/PNG (the ``dot`` binary in a subprocess).

:func:`to_dot` (in :mod:`~autodiff_viz.render.dot`) draws a Graph as DOT text; the pieces it
uses are :mod:`~autodiff_viz.render.condense` (which part of a big graph is drawn),
:mod:`~autodiff_viz.render.fold` (module calls folded into one box each),
:mod:`~autodiff_viz.render.roles` (what a node is), :mod:`~autodiff_viz.render.nodes` (one
statement per node or edge), :mod:`~autodiff_viz.render.styles` (looks, legend),
:mod:`~autodiff_viz.render.text` (escaping) and :mod:`~autodiff_viz.render.formatting` (numbers).
:mod:`~autodiff_viz.render.layout` runs ``dot`` in a killable subprocess. Nothing here imports
torch or Streamlit.
"""
