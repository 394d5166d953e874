"""Run a program for a page: through the worker pool, cached, with a visible waiting state."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st

from autodiff_viz.i18n import Lang, t
from autodiff_viz.result import RunError, RunResult
from autodiff_viz.results_cache import ResultCache
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import OnWait, run_job, run_program

_RUNS = ResultCache()
_JOBS = ResultCache()


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

    return RunResult.from_json(_cached(_RUNS, key, compute, lang, keep=_repeatable))


def job_cached(name: str, args: dict[str, object], lang: Lang) -> dict[str, object]:
    """The reply of a worker job (derivative curves, descent paths), cached by its arguments."""
    key = _job_key(name, args)

    def compute(on_wait: OnWait) -> str:
        return json.dumps(run_job(name, args, on_wait=on_wait))

    reply: dict[str, object] = json.loads(_cached(_JOBS, key, compute, lang))
    return reply


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
    return (error.message_zh if lang == "zh" and error.message_zh else error.message) or ""
