"""Many sessions at once: a small crowd on the real app.

The full classroom figures (40 sessions against a bare app) come from
``python -m benchmarks.load_test``; here five protocol-level sessions open one
share link of the real server at the same instant and must all get the graph,
while the server process never loads PyTorch.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autodiff_viz.explorer.data import share_query
from autodiff_viz.sandbox.worker import WORKER_NICE
from tests.support.crowd import together
from tests.support.procs import ROOT, TreeSampler, descendants, serve
from tests.support.session import visit


def _maps_torch(pid: int) -> bool:
    return "libtorch" in Path(f"/proc/{pid}/maps").read_text()


def _nice(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


@pytest.mark.slow
def test_five_sessions_open_one_share_link_at_once() -> None:
    link = "/" + share_query(example="t0_scalar", lang="en")
    with serve(ROOT / "app.py") as server, TreeSampler(server.pid) as sampler:
        visits = together(5, lambda: visit(server.url, link, timeout=45))
        assert [v.error for v in visits] == [None] * 5
        assert all(v.ok and v.graph_s is not None for v in visits)
        # The crowd ran PyTorch in the workers; the server itself never loaded it.
        assert sampler.workers_seen
        workers = [pid for pid in descendants(server.pid) if _maps_torch(pid)]
        assert workers
        assert not _maps_torch(server.pid)
        # Every session waits on the server: the workers yield the CPU to it.
        assert _nice(server.pid) == 0
        assert {_nice(pid) for pid in workers} == {WORKER_NICE}
