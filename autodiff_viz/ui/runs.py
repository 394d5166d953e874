"""Run a program for a page: through the worker pool, cached, with a visible waiting state."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from autodiff_viz.cache import ResultCache
from autodiff_viz.i18n import Lang, t
from autodiff_viz.result import RunError, RunResult
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import OnWait, run_job, run_program

_RUNS = ResultCache()
_JOBS = ResultCache()
T = TypeVar("T")


def _repeatable(result_json: str) -> bool:
    # Results and mistakes in the program repeat exactly; a run stopped by a limit or a dying
    # worker may go otherwise on a less busy server, so it is asked again next time.
    error = json.loads(result_json).get("error") or {}
    return error.get("kind") not in {"crash", "budget"}


def _cached(
    cache: ResultCache,
    key: str,
    compute: Callable[[OnWait], str],
    lang: Lang,
    keep: Callable[[str], bool] = bool,
) -> str:
    """The cached text for ``key``; on a miss, ``compute`` it with a visible waiting state.

    A hit (forty students opening one link) costs a dict lookup and no element; a miss
    shows the caller's place in the workers' queue, then a spinner while the run goes.
    """
    cached = cache.get(key)
    if cached is not None:
        return cached
    status = st.empty()

    def on_wait(position: int) -> None:
        status.info(t("explorer.waiting", lang, position=position), icon=":material/hourglass:")

    with st.spinner(t("explorer.running", lang)):
        text = cache.get_or_compute(key, lambda: compute(on_wait), keep=keep)
    status.empty()
    return text


def _run_key(source: str, options: RunOptions) -> str:
    return json.dumps([source, options.to_dict()], sort_keys=True)


def _job_key(name: str, args: dict[str, object]) -> str:
    return json.dumps([name, args], sort_keys=True)


def run_cached(source: str, options: RunOptions, lang: Lang) -> RunResult:
    """The result of running ``source`` (from the cache when the same run was asked before)."""
    key = _run_key(source, options)

    def compute(on_wait: OnWait) -> str:
        return run_program(source, options=options, on_wait=on_wait).to_json()

    text = _cached(_RUNS, key, compute, lang, keep=_repeatable)
    return _shared(text, RunResult.from_json, decode=False)


#: Texts up to this many characters are read once for every session (a tutorial's run: 10-50 k).
SHARED_CHARS = 1_000_000


def _shared(text: str, read: Callable[[Any], T], *, decode: bool) -> T:
    """``read(text)`` (of its JSON value if ``decode``), shared by every session getting ``text``.

    Forty students of one link get the same text object from the cache, so this is a dict
    lookup; what ``read`` makes is frozen, and sharing it also lets the graph's drawings be
    shared (``autodiff_viz.ui.graph_panel``). A large text is read per session
    instead: the few kept here must not pin hundreds of megabytes of parsed tensors.
    """
    if len(text) > SHARED_CHARS:
        return _read(text, read, decode)
    return _read_once(text, read, decode)


def _read(text: str, read: Callable[[Any], T], decode: bool) -> T:
    return read(json.loads(text) if decode else text)


_read_once = functools.lru_cache(maxsize=16)(_read)


def job_cached(
    name: str, args: dict[str, object], lang: Lang, read: Callable[[dict[str, Any]], T]
) -> T:
    """``read`` of a worker job's reply (derivative curves, descent paths), cached by arguments.

    ``read`` turns the reply into what the page shows; it must be a module-level pure function
    of the reply returning data nobody changes (frozen dataclasses): its value is shared by
    every session asking for the same job, like the text it is read from (see :func:`_shared`).
    """
    key = _job_key(name, args)

    def compute(on_wait: OnWait) -> str:
        return json.dumps(run_job(name, args, on_wait=on_wait))

    # Measured: reading the descent page's 500-step paths back into tuples was a fifth of that
    # page's server time per session, the same work for every student of the class.
    return _shared(_cached(_JOBS, key, compute, lang), read, decode=True)


def prefetch_run(source: str, options: RunOptions) -> None:
    """Compute and cache a run no page has asked for yet (no elements: any thread)."""
    _RUNS.get_or_compute(
        _run_key(source, options),
        lambda: run_program(source, options=options).to_json(),
        keep=_repeatable,
    )


def prefetch_job(name: str, args: dict[str, object]) -> None:
    """Compute and cache a job's reply no page has asked for yet (no elements: any thread)."""
    _JOBS.get_or_compute(_job_key(name, args), lambda: json.dumps(run_job(name, args)))


_LAST_GOOD = "last_good_result"


def keep_last_good(result: RunResult | None, page: str) -> tuple[RunResult | None, bool]:
    """The result to show and whether it is stale.

    A run that failed shows the last run of this page that worked, marked stale,
    so a typo never wipes the graph a class is looking at.
    """
    store: dict[str, RunResult] = st.session_state.setdefault(_LAST_GOOD, {})
    if result is not None and result.ok:
        store[page] = result
        return result, False
    return store.get(page), store.get(page) is not None


def error_text(error: RunError, lang: Lang) -> str:
    """The error in the reader's language (the message names the line when it has one)."""
    return error.text(lang)
