"""Crowds of protocol-level visits for memory checks: the bulky link, waves of tabs.

``bulky_link(tag)`` is the red team's share link (a 271-character program whose result was
4.6 MB); a different ``tag`` makes a different program (a comment), so the server cannot
answer it from its cache. ``together(n, call)`` runs a call in n threads at once;
``waves(url, links, at_once)`` opens the links ``at_once`` tabs at a
time (see :func:`tests.support.session.visit`) and returns every visit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from autodiff_viz.explorer.data import share_query
from tests.support.session import Visit, visit

T = TypeVar("T")


def together(callers: int, call: Callable[[], T]) -> list[T]:
    """Run ``call()`` in ``callers`` threads released at the same instant."""
    start = threading.Barrier(callers)

    def one(_: int) -> T:
        start.wait()
        return call()

    with ThreadPoolExecutor(callers) as pool:
        return list(pool.map(one, range(callers)))


BULKY = "z = torch.zeros(10000, 1, 1, dtype=torch.bool)\n" + "".join(
    f"a{k} = z\n" for k in range(40)
)


def bulky_link(tag: int | None = None) -> str:
    """The share link of the bulky program (``tag``: a comment that makes it a new program)."""
    code = BULKY if tag is None else f"# visit {tag}\n{BULKY}"
    return "/" + share_query(code=code, lang="en")


def waves(url: str, links: Sequence[str], at_once: int, timeout: float = 120.0) -> list[Visit]:
    """Visit every link, ``at_once`` tabs at a time; a program with no graph is fine."""
    found: list[Visit] = []
    with ThreadPoolExecutor(at_once) as pool:
        for start in range(0, len(links), at_once):
            batch = links[start : start + at_once]
            found += pool.map(
                lambda link: visit(url, link, timeout=timeout, want_graph=False), batch
            )
    return found
