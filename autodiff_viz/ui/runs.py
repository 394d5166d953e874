"""Run a program for a page: through the worker pool, cached, with a visible waiting state."""

from __future__ import annotations

import json

import streamlit as st

from autodiff_viz.i18n import Lang, t
from autodiff_viz.result import RunError, RunResult
from autodiff_viz.results_cache import ResultCache
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import run_job, run_program

_RUNS = ResultCache()
_JOBS = ResultCache()


def _repeatable(result_json: str) -> bool:
    # Results and mistakes in the program repeat exactly; a run stopped by a limit or a dying
    # worker may go otherwise on a less busy server, so it is asked again next time.
    error = json.loads(result_json).get("error") or {}
    return error.get("kind") not in {"crash", "budget"}


def run_cached(source: str, options: RunOptions, lang: Lang) -> RunResult:
    """The result of running ``source`` (from the cache when the same run was asked before)."""
    key = json.dumps([source, options.to_dict()], sort_keys=True)
    status = st.empty()

    def on_wait(position: int) -> None:
        status.info(t("explorer.waiting", lang, position=position), icon=":material/hourglass:")

    def compute() -> str:
        with st.spinner(t("explorer.running", lang)):
            return run_program(source, options=options, on_wait=on_wait).to_json()

    text = _RUNS.get_or_compute(key, compute, keep=_repeatable)
    status.empty()
    return RunResult.from_json(text)


def job_cached(name: str, args: dict[str, object], lang: Lang) -> dict[str, object]:
    """The reply of a worker job (derivative curves, descent paths), cached by its arguments."""
    key = json.dumps([name, args], sort_keys=True)
    status = st.empty()

    def on_wait(position: int) -> None:
        status.info(t("explorer.waiting", lang, position=position), icon=":material/hourglass:")

    def compute() -> str:
        with st.spinner(t("explorer.running", lang)):
            return json.dumps(run_job(name, args, on_wait=on_wait))

    reply: dict[str, object] = json.loads(_JOBS.get_or_compute(key, compute))
    status.empty()
    return reply


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
