"""Run a program for a page: through the worker pool, cached, with a visible waiting state.

A worker's reply is decoded once (the pool reads its frame) and made into the page's data
once; that object goes into a cache (:mod:`autodiff_viz.cache`) and every session of the link
shares it, read-only. Sessions keep keys (:class:`Run` is a key and the result it named), never
results of their own: what the server holds for runs is the cache, within its byte budget.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

from autodiff_viz.cache import Cache, approx_bytes, share
from autodiff_viz.i18n import Lang, message, t
from autodiff_viz.result import RunError, RunResult
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import OnWait, get_pool, run_job
from autodiff_viz.sandbox.replies import result_from_reply

#: What the workers' queue calls this session (a random name, kept in its state).
_QUEUE_NAME = "runs.queue_name"

#: Parsed runs (half of the server's cache budget) and page jobs' data (curves, descent paths).
_RUNS: Cache[RunResult] = Cache(share(0.5))
_JOBS: Cache[Any] = Cache(share(0.15))
T = TypeVar("T")


@dataclass(frozen=True)
class Run:
    """A run a page showed: its key (source and options, as JSON) and the shared result."""

    key: str
    result: RunResult

    @property
    def digest(self) -> str:
        """A short stable name of the run, for keys of what is made from it (drawings)."""
        return hashlib.blake2b(self.key.encode(), digest_size=16).hexdigest()


def _repeatable(result: RunResult) -> bool:
    # Results and mistakes in the program repeat exactly; a run stopped by a limit or a dying
    # worker may go otherwise on a less busy server, so it is asked again next time.
    return result.error is None or result.error.kind not in {"crash", "budget"}


def _waiting(lang: Lang) -> tuple[Callable[[int], None], Callable[[], None]]:
    """An ``on_wait`` that shows the caller's place in the queue, and what clears it."""
    status = st.empty()

    def on_wait(position: int) -> None:
        status.info(t("explorer.waiting", lang, position=position), icon=":material/hourglass:")

    def done() -> None:
        status.empty()

    return on_wait, done


def _run_key(source: str, options: RunOptions) -> str:
    return json.dumps([source, options.to_dict()], sort_keys=True)


def _job_key(name: str, args: dict[str, object]) -> str:
    return json.dumps([name, args], sort_keys=True)


def _session_name() -> str:
    """What the workers' queue calls this session: a random name kept in its state.

    Call it from the session's script (a page or a fragment): the state is the session's.
    """
    name: str | None = st.session_state.get(_QUEUE_NAME)
    if name is None:
        name = st.session_state[_QUEUE_NAME] = secrets.token_hex(8)
    return name


def _marks(key: str, session: str | None) -> tuple[str, ...]:
    """What the workers' queue remembers a job by: its session (if any) and its program.

    A session or a program whose last job ran long waits behind the others next time
    (``autodiff_viz.sandbox.fairness``).
    """
    program = "program:" + hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
    return (program,) if session is None else (program, "session:" + session)


def _compute_run(key: str, on_wait: OnWait | None, session: str | None) -> tuple[RunResult, int]:
    source, options = json.loads(key)
    run = RunOptions.from_dict(options)
    reply = get_pool().run_job(
        "run",
        {"source": source, "options": options},
        timeout=run.budgets.seconds,
        on_wait=on_wait,
        marks=_marks(key, session),
    )
    # The reply's objects become the result's: its size is what the cache holds.
    return result_from_reply(reply), approx_bytes(reply) + len(key)


def _get_run(key: str, lang: Lang | None, session: str | None) -> RunResult:
    cached = _RUNS.get(key)
    if cached is not None or lang is None:
        # A hit (forty students opening one link) costs a dict lookup and no element.
        return cached or _RUNS.get_or_compute(
            key, lambda: _compute_run(key, None, session), keep=_repeatable
        )
    on_wait, done = _waiting(lang)
    with st.spinner(t("explorer.running", lang)):
        result = _RUNS.get_or_compute(
            key, lambda: _compute_run(key, on_wait, session), keep=_repeatable
        )
    done()
    return result


def run_cached(source: str, options: RunOptions, lang: Lang) -> Run:
    """The run of ``source`` (from the cache when the same run was asked before).

    A miss shows the caller's place in the workers' queue, then a spinner while the run goes.
    """
    key = _run_key(source, options)
    return Run(key, _get_run(key, lang, _session_name()))


def run_of(key: str) -> Run:
    """The run named by ``key`` again (a fragment's rerun): the cache's, or run once more."""
    return Run(key, _get_run(key, None, _session_name()))


def job_cached(
    name: str, args: dict[str, object], lang: Lang, read: Callable[[dict[str, Any]], T]
) -> T:
    """``read`` of a worker job's reply (derivative curves, descent paths), cached by arguments.

    ``read`` turns the reply into what the page shows; it must be a module-level pure function
    of the reply returning data nobody changes (frozen dataclasses): its value is shared by
    every session asking for the same job. Measured: reading the descent page's 500-step paths
    back into tuples was a fifth of that page's server time per session, the same work for
    every student of the class.
    """
    key = _job_key(name, args)
    cached = _JOBS.get(key)
    if cached is not None:
        return cached
    on_wait, done = _waiting(lang)
    session = _session_name()

    def compute() -> tuple[T, int]:
        reply = run_job(name, args, on_wait=on_wait, marks=_marks(key, session))
        return read(reply), approx_bytes(reply) + len(key)

    with st.spinner(t("explorer.running", lang)):
        value = _JOBS.get_or_compute(key, compute)
    done()
    return value


def prefetch_run(source: str, options: RunOptions) -> None:
    """Compute and cache a run no page has asked for yet (no elements: any thread)."""
    _get_run(_run_key(source, options), None, None)


def prefetch_job(name: str, args: dict[str, object], read: Callable[[dict[str, Any]], T]) -> None:
    """Compute and cache ``read`` of a job no page has asked for yet (no elements: any thread).

    ``read`` must be the one the page passes to :func:`job_cached`.
    """
    key = _job_key(name, args)

    def compute() -> tuple[T, int]:
        reply = run_job(name, args)
        return read(reply), approx_bytes(reply) + len(key)

    _JOBS.get_or_compute(key, compute)


_LAST_GOOD = "last_good_run"


def keep_last_good(run: Run | None, page: str) -> tuple[Run | None, bool]:
    """The run to show and whether it is stale.

    A run that failed before drawing any graph shows the last run of this page that worked,
    marked stale, so a typo never wipes the graph a class is looking at. A run that failed
    after a ``backward()`` shows its own graphs, like Python shows what ran before the error.
    The session keeps its key only: the result stays the cache's, and one the cache has let
    go is run again.
    """
    store: dict[str, str] = st.session_state.setdefault(_LAST_GOOD, {})
    if run is not None and run.result.ok:
        store[page] = run.key
        return run, False
    if run is not None and run.result.graphs:
        return run, False
    key = store.get(page)
    if key is None:
        return None, False
    last = run_of(key)
    return (last, True) if last.result.ok else (None, False)


def error_text(
    error: RunError, lang: Lang, places: Mapping[int, tuple[str, dict[str, Any]]] | None = None
) -> str:
    """The error in the reader's language, naming its line, or its place in the form."""
    place = (places or {}).get(error.line or 0)
    if place is None or error.key is None:
        return error.text(lang)
    body = message(error.key, lang, error.fields)
    return message(place[0], lang, {"text": body, **place[1]})
