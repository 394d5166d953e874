"""Lay out DOT text with the ``dot`` binary, in a time-limited subprocess, with a bounded cache.

Why not the browser: Streamlit's ``st.graphviz_chart`` lays out in the page's main thread with a
wasm Graphviz that was measured to keep stale pictures, overflow its stack on loop graphs and go
blank past ~5k nodes. A subprocess can be killed when a layout runs away, and its SVG is keyed by
the DOT text, so a rerun with new DOT can never show an old picture.

* :func:`has_dot` — is the binary installed (Debian/Community Cloud package ``graphviz``)?
* :func:`dot_to_svg` — SVG text ready to put into a page: no XML prolog, no fixed size (the
  viewer scales it through its ``viewBox``), node groups keep the ids ``to_dot`` gave them.
* :func:`dot_to_png` — PNG bytes for download.

Both raise :class:`LayoutTimeout` (a :class:`LayoutError`) when ``dot`` takes longer than
``timeout`` seconds — the process is killed — and :class:`LayoutError` with dot's message when
it rejects the text.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import subprocess

from autodiff_viz.cache import Cache, share

__all__ = ["LayoutError", "LayoutTimeout", "clear_cache", "dot_to_png", "dot_to_svg", "has_dot"]

#: Total size of cached layouts (a share of the server's cache budget, 38 MB by default). A
#: 1,000-node SVG is ~1 MB; a class of students re-rendering the same few examples is served
#: from memory, and memory stays bounded whatever they send.
CACHE_BYTES = share(0.15)
_DOT = "dot"


class LayoutError(RuntimeError):
    """``dot`` failed on the given text (or is not installed)."""


class LayoutTimeout(LayoutError):
    """``dot`` took longer than the time limit and was killed."""


#: Laid-out pictures by format and DOT digest. Forty sessions of one link showing one new
#: picture at once start one ``dot`` (single flight), not forty.
_CACHE: Cache[bytes] = Cache(CACHE_BYTES)


def clear_cache() -> None:
    """Forget the laid-out pictures and where ``dot`` is (the next call looks in PATH again)."""
    _CACHE.clear()
    _dot_program.cache_clear()


@functools.cache
def _dot_program() -> str | None:
    # Looked up once per process: installing graphviz takes a restart anyway, and the search
    # through PATH ran on every rerun of every session.
    return shutil.which(_DOT)


def has_dot() -> bool:
    """Whether graphviz's ``dot`` program is installed (looked up once; see :func:`clear_cache`)."""
    return _dot_program() is not None


def _run_dot(dot: str, fmt: str, timeout: float) -> bytes:
    # Keyed by a digest: a big graph's DOT is as large as its picture and needs no keeping.
    key = (fmt, hashlib.blake2b(dot.encode(), digest_size=16).digest())
    return _CACHE.get_or_compute(key, lambda: _layout(dot, fmt, timeout))


def _layout(dot: str, fmt: str, timeout: float) -> tuple[bytes, int]:
    exe = _dot_program()
    if exe is None:
        raise LayoutError("the graphviz 'dot' program is not installed")
    try:
        # subprocess.run kills the child when the timeout expires, so no layout outlives it.
        done = subprocess.run(
            [exe, f"-T{fmt}"], input=dot.encode(), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise LayoutTimeout(
            f"graphviz layout took longer than {timeout:g} s and was stopped"
        ) from exc
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip() or f"exit {done.returncode}"
        raise LayoutError(f"graphviz could not lay out the graph: {message[:500]}")
    return done.stdout, len(done.stdout)


_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_SIZE = re.compile(r'(<svg\b[^>]*?)\s(?:width|height)="[^"]*"(?:\s(?:width|height)="[^"]*")?')


def _clean_svg(svg: str) -> str:
    """Drop the XML prolog, DOCTYPE and comments before ``<svg``, and the fixed width/height."""
    svg = _PROLOG.sub("", svg, count=1)
    return _SIZE.sub(r"\1", svg, count=1)


def dot_to_svg(dot: str, timeout: float = 3.0, *, standalone: bool = False) -> str:
    """SVG text of the laid-out graph (cached by the DOT text).

    By default ready to insert into a page; ``standalone=True`` keeps dot's file as written
    (prolog and size included), for download.
    """
    svg = _run_dot(dot, "svg", timeout).decode()
    return svg if standalone else _clean_svg(svg)


def dot_to_png(dot: str, timeout: float = 10.0) -> bytes:
    """PNG bytes of the laid-out graph (cached by the DOT text)."""
    return _run_dot(dot, "png", timeout)
