"""Capture real PyTorch autograd graphs as plain :class:`~autodiff_viz.graph.Graph` data.

``capture()`` / :class:`Recorder` record every backward pass run inside a
``with`` block (see :mod:`autodiff_viz.capture.recorder` for the notebook
recipe), :func:`graph_of` captures one pass of an existing tensor, and
:func:`tensor_value` turns any tensor into a TensorValue.
"""

from __future__ import annotations

from autodiff_viz.capture.recorder import Recorder, capture, graph_of
from autodiff_viz.capture.tensors import tensor_value
from autodiff_viz.capture.walk import GraphTooLarge

__all__ = ["GraphTooLarge", "Recorder", "capture", "graph_of", "tensor_value"]
