"""Which backward passes a Recorder keeps as Graphs, and when it builds them.

:class:`KeptPasses` builds the first ``max_graphs - 1`` passes at once; of the
later ones it keeps only the latest, frozen, and builds it when the graphs are
read: of the 500 passes of a training loop, 499 are never turned into a Graph.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from autodiff_viz.capture.build import PassLog, freeze
from autodiff_viz.capture.walk import Walk
from autodiff_viz.graph import Graph

#: The user's variables when a pass ran: tensor id -> (tensor, name).
NamesById = dict[int, tuple[torch.Tensor, str]]
Build = Callable[[Walk, PassLog, NamesById], Graph]


class KeptPasses:
    """The kept Graphs in program order (``graphs``), their lines, and how many were dropped."""

    def __init__(self, max_graphs: int, build: Build) -> None:
        if max_graphs < 1:
            raise ValueError("max_graphs must be at least 1")
        self.max_graphs = max_graphs
        self.build = build
        self.graphs: list[Graph] = []
        #: The line of the call that ran each kept graph's pass (0 when unknown).
        self.lines: list[int] = []
        self.dropped = 0
        #: The latest pass beyond the first ``max_graphs - 1``, frozen but not built yet.
        self._deferred: tuple[Walk, PassLog, NamesById] | None = None

    @property
    def waiting(self) -> bool:
        """Whether a pass put aside waits to be built (see :meth:`flush`)."""
        return self._deferred is not None

    def keep(self, walk: Walk, log: PassLog, names_by_id: NamesById) -> None:
        """Build this pass now if it is among the first; else put it aside, frozen.

        Frozen: its tensors are copied, as the program may change them in place
        (``optimizer.step()``) before the graphs are read.
        """
        if len(self.graphs) < self.max_graphs - 1:
            self.graphs.append(self.build(walk, log, names_by_id))
            self.lines.append(log.line or 0)
            return
        if self._deferred is not None or len(self.graphs) == self.max_graphs:
            self.dropped += 1
        if len(self.graphs) == self.max_graphs:  # read already: the new pass replaces it
            self.graphs.pop()
            self.lines.pop()
        self._deferred = (*freeze(walk, log), names_by_id)

    def flush(self) -> None:
        """Build the pass put aside, if any, as the last kept graph."""
        if self._deferred is None:
            return
        walk, log, names_by_id = self._deferred
        self._deferred = None
        self.graphs.append(self.build(walk, log, names_by_id))
        self.lines.append(log.line or 0)
