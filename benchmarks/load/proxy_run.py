"""The classroom load test through the deployment: replicas behind nginx (``deploy/``).

``python -m benchmarks.load_test --proxy`` (starts ``deploy/local.sh`` and stops it) or
``--url http://127.0.0.1:8080`` (a ``local.sh start`` already running), per round:

1. a teacher's visit straight to each replica (its cold start: the worker pool warms up);
2. one replica alone: ``--sessions`` protocol-level tabs at once straight at the first replica;
3. the same crowd through the proxy: each tab loads the page, keeps the route cookie and opens
   its session with it, as a browser does; the proxy's log tells which replica served whom;

then two Chromium tabs one after the other, each with an empty browser cache (two students'
laptops): what the proxy's cache answered for their /static/ files; and a crowd through the
proxy during which one replica is killed (SIGKILL, the server and its workers, as a crashed
node goes): what its sessions saw, and a wave after it, the killed replica's browsers coming
back with their cookies and new ones, which the other replica must serve.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from tests.support.procs import (
    MIB,
    TreeSampler,
    cpu_seconds,
    descendants,
    machine_cpu_seconds,
)
from tests.support.proxy import (
    Deployment,
    KilledTab,
    ProxyVisit,
    StaticTab,
    attach,
    kill_tree,
    local_deployment,
    proxy_visit,
    routes,
    static_tab,
    tab_through_a_kill,
)
from tests.support.session import visit

T = TypeVar("T")
#: The load test kills a replica once this share of the crowd's sessions are open.
KILL_WHEN_OPEN = 0.25
#: CPU seconds other programs may use during a crowd before the round is called disturbed.
DISTURBED_SECONDS = 0.5


def at_once(count: int, call: Callable[[int], T], timeout: float) -> list[T | None]:
    """``call(i)`` in ``count`` threads released together; None for one that did not finish."""
    results: list[T | None] = [None] * count
    start = threading.Barrier(count + 1)

    def one(i: int) -> None:
        start.wait()
        results[i] = call(i)

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    start.wait()
    deadline = time.monotonic() + timeout + 30
    for thread in threads:
        thread.join(max(0.1, deadline - time.monotonic()))
    return results


@dataclass
class Crowd:
    """One crowd's outcome: times from the page request to the graph, failures."""

    name: str
    sessions: int
    times: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    split: Counter[int | None] = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def p(self, q: int) -> float:
        from benchmarks.load_test import percentile

        return percentile(self.times, q)


def crowd(
    name: str,
    base: str,
    links: list[str],
    timeout: float,
    *,
    deployment: Deployment | None = None,
    cookies: list[str] | None = None,
    on_open: Callable[[], None] | None = None,
) -> tuple[Crowd, list[ProxyVisit | None]]:
    """Every link opened at once; ``cookies``: the tabs' route cookies (None: new browsers);
    ``on_open()`` whenever a tab's session is open."""
    from benchmarks.load_test import _needs_graph

    tabs = at_once(
        len(links),
        lambda i: proxy_visit(
            base,
            links[i],
            timeout=timeout,
            want_graph=_needs_graph(links[i]),
            route=cookies[i] if cookies else None,
            on_open=on_open,
        ),
        timeout,
    )
    result = Crowd(name, len(links))
    for tab in tabs:
        if tab is None:
            result.failures.append("did not finish in time")
        elif not tab.ok:
            result.failures.append(f"{tab.visit.link}: {tab.visit.error}")
        elif tab.done_s is not None:
            result.times.append(tab.done_s)
    if deployment is not None:
        served = routes(deployment.access_log)
        for tab in tabs:
            if tab is not None and tab.route:
                result.split[deployment.replica_of(served.get(tab.route, "-"))] += 1
    return result, tabs


@dataclass
class KillOutcome:
    victim: int
    tab: KilledTab | None = None
    on_victim: Counter[str] = field(default_factory=Counter)
    elsewhere_failed: int = 0
    after: Crowd | None = None
    returning_moved: int = 0
    returning: int = 0


def _outcome(tab: ProxyVisit | None) -> str:
    if tab is None:
        return "did not finish"
    if tab.ok:
        return "got its graph (before the kill)"
    return "lost its session: " + (tab.visit.error or "?")[:70]


def kill_mid_run(
    deployment: Deployment, links: list[str], timeout: float, *, browser: bool
) -> KillOutcome:
    """Kill a replica in the middle of a crowd (with ``browser``: the one a Chromium tab is on)."""
    tab, placed, killed = KilledTab(), threading.Event(), threading.Event()
    watcher = threading.Thread(
        target=tab_through_a_kill,
        args=(deployment, links[0], timeout),
        kwargs={"placed": placed, "killed": killed, "tab": tab},
        daemon=True,
    )
    if browser:
        watcher.start()
        placed.wait(timeout + 30)
    victim = tab.replica if tab.replica is not None else len(deployment.replicas) - 1
    pid = deployment.replica_pid(victim)

    lock, opened = threading.Lock(), [0]

    def kill() -> None:
        with lock:
            if killed.is_set():
                return
            kill_tree(pid)
            killed.set()

    def one_more_open() -> None:
        # In the middle of the crowd: a quarter of its sessions open (about half of them on
        # the victim), the rest still on their way, on both replicas.
        with lock:
            opened[0] += 1
            due = opened[0] == max(1, int(KILL_WHEN_OPEN * len(links)))
        if due:
            kill()

    # Browsers that have their cookie already (the class came back): each tab's replica is
    # known from the proxy's log even when the kill cut its page off.
    cookies = [secrets.token_hex(16) for _ in links]
    _, tabs = crowd(
        "killed", deployment.proxy, links, timeout, cookies=cookies, on_open=one_more_open
    )
    kill()  # if too few sessions opened for it to happen during the crowd
    served = routes(deployment.access_log)
    outcome = KillOutcome(victim, tab if browser else None)
    back = []
    for seen, cookie in zip(tabs, cookies, strict=True):
        if deployment.replica_of(served.get(cookie, "-")) == victim:
            outcome.on_victim[_outcome(seen)] += 1
            back.append(cookie)
        elif seen is None or not seen.ok:
            outcome.elsewhere_failed += 1
    # The killed replica's browsers come back with their cookies, beside new tabs.
    fresh = max(len(links) // 4, 1)
    again = at_once(
        len(back) + fresh,
        lambda i: proxy_visit(
            deployment.proxy,
            links[0],
            timeout=timeout,
            want_graph=True,
            route=back[i] if i < len(back) else None,
        ),
        timeout,
    )
    after = Crowd("after the kill", len(again))
    for seen in again:
        if seen is None or not seen.ok:
            after.failures.append(seen.visit.error or "?" if seen else "did not finish")
        elif seen.done_s is not None:
            after.times.append(seen.done_s)
    served = routes(deployment.access_log)
    for seen in again:
        if seen is not None and seen.route:
            after.split[deployment.replica_of(served.get(seen.route, "-"))] += 1
    outcome.after = after
    if browser:
        watcher.join(timeout + 30)
    outcome.returning = len(back)
    outcome.returning_moved = sum(
        1 for r in back if deployment.replica_of(served.get(r, "-")) not in (victim, None)
    )
    return outcome


def _tree_cpu(pid: int) -> float:
    return sum(cpu_seconds(p, reaped=True) for p in (pid, *descendants(pid)))


def _others(replicas: list[int], nginx: int) -> float:
    """CPU seconds the machine spent on anything but the deployment and this load test."""
    ours = [*replicas, nginx, os.getpid()]
    return machine_cpu_seconds() - sum(_tree_cpu(pid) for pid in ours)


Checks = list[tuple[bool, str]]


def _cold_starts(deployment: Deployment, timeout: float) -> None:
    cold = at_once(
        len(deployment.replicas),
        lambda i: visit(deployment.replicas[i], "/?lang=en", timeout=timeout, want_graph=False),
        timeout,
    )
    for i, first in enumerate(cold):
        took = f"{first.finished_s:.2f} s" if first and first.ok else "FAILED"
        print(f"  replica {i + 1}: first visit after start (cold) {took}")


def _round(deployment: Deployment, links: list[str], timeout: float, r: int) -> Checks:
    """One replica alone, then the same crowd through the proxy."""
    pids = [deployment.replica_pid(i) for i in range(len(deployment.replicas))]
    nginx = int((deployment.state / "nginx-master.pid").read_text())
    mark = _others(pids, nginx)
    alone, _ = crowd("one replica alone", deployment.replicas[0], links, timeout)
    between = _others(pids, nginx)
    before = (_tree_cpu(nginx), [_tree_cpu(p) for p in pids])
    proxied, _ = crowd(
        "two replicas behind the proxy", deployment.proxy, links, timeout, deployment=deployment
    )
    nginx_cpu = _tree_cpu(nginx) - before[0]
    replica_cpu = [_tree_cpu(p) - b for p, b in zip(pids, before[1], strict=True)]
    others_alone, others_proxied = between - mark, _others(pids, nginx) - between
    print(f"-- round {r}")
    for c in (alone, proxied):
        print(
            f"  {c.name}: {c.sessions} sessions, failed {c.failed}; page to graph "
            f"p50 {c.p(50):.2f} s, p95 {c.p(95):.2f} s"
        )
        for failure in c.failures[:5]:
            print(f"    FAILED {failure}")
    split = ", ".join(
        f"replica {k + 1}: {v}" if k is not None else f"unknown: {v}"
        for k, v in sorted(proxied.split.items(), key=str)
    )
    print(f"  split over the replicas: {split}")
    print(
        f"  CPU seconds during the proxied crowd: nginx {nginx_cpu:.2f}, replicas "
        + ", ".join(f"{c:.2f}" for c in replica_cpu)
    )
    print(f"  p95 proxy / one replica: {proxied.p(95) / alone.p(95):.2f}")
    disturbed = max(others_alone, others_proxied) > DISTURBED_SECONDS
    print(
        f"  CPU seconds other programs used: {others_alone:.2f} alone, {others_proxied:.2f} "
        "proxied" + (" (DISTURBED: other work ran on the machine)" if disturbed else "")
    )
    return [
        (
            proxied.failed == 0 and alone.failed == 0,
            f"round {r}: 0 failed sessions ({proxied.failed} proxied, {alone.failed} alone)",
        ),
        (
            len([k for k in proxied.split if k is not None]) == len(pids),
            f"round {r}: sessions on every replica ({split})",
        ),
    ]


def _second_tab(deployment: Deployment, link: str, timeout: float) -> Checks:
    tabs = [static_tab(deployment.proxy, link, timeout) for _ in range(2)]
    for n, tab in enumerate(tabs, 1):
        print(f"  chromium tab {n} (empty browser cache): {_static(tab)}")
    second = tabs[1]
    hits = second.statuses.get("HIT", 0)
    return [
        (
            second.error is None and second.files > 0 and hits == second.files,
            f"second tab: {hits} of {second.files} static files from the proxy's cache",
        )
    ]


def _kill(deployment: Deployment, links: list[str], timeout: float, browser: bool) -> Checks:
    k = kill_mid_run(deployment, links, timeout, browser=browser)
    print(
        f"-- replica {k.victim + 1} killed (server and workers, SIGKILL) once "
        f"{KILL_WHEN_OPEN:.0%} of a crowd of {len(links)} had opened their sessions"
    )
    for what, n in k.on_victim.most_common():
        print(f"  its sessions: {n} {what}")
    print(f"  sessions on the other replica that failed: {k.elsewhere_failed}")
    assert k.after is not None
    print(
        f"  then {k.after.sessions} tabs ({k.returning} of its browsers coming back "
        f"with their cookie): failed {k.after.failed}, p95 {k.after.p(95):.2f} s; "
        f"{k.returning_moved} of the {k.returning} moved to the other replica"
    )
    checks = [
        (
            k.returning > 0
            and k.after.failed == 0
            and k.elsewhere_failed == 0
            and k.returning_moved == k.returning,
            f"a replica killed under {sum(k.on_victim.values())} sessions: the other replica "
            "serves every session after it",
        )
    ]
    if k.tab is not None:
        print(f"  a Chromium tab on it: {_killed_tab(k.tab)}")
        moved = deployment.replica_of(routes(deployment.access_log).get(k.tab.route or "", "-"))
        checks.append(
            (
                k.tab.error is None and k.tab.nodes > 0 and moved not in (None, k.victim),
                "the Chromium tab reconnected and drew again on the other replica",
            )
        )
    return checks


def run(args: argparse.Namespace, links: list[str]) -> int:
    """The whole proxy load test; prints figures and PASS/FAIL lines, returns the exit code."""
    env = {"AUTODIFF_VIZ_WORKERS": str(args.workers)} if args.workers else {}
    context = local_deployment(env=env) if args.proxy else contextlib.nullcontext(attach(args.url))
    checks: Checks = []
    with context as deployment:
        print(f"deployment: proxy {deployment.proxy}, replicas {', '.join(deployment.replicas)}")
        pids = [deployment.replica_pid(i) for i in range(len(deployment.replicas))]
        with contextlib.ExitStack() as stack:
            samplers = [stack.enter_context(TreeSampler(pid)) for pid in pids]
            _cold_starts(deployment, args.timeout)
            for r in range(args.rounds):
                checks += _round(deployment, links, args.timeout, r + 1)
            for i, sampler in enumerate(samplers):
                sampler.sample()
                print(
                    f"  replica {i + 1} memory peak: PSS {sampler.peak_pss_bytes / MIB:.0f} MiB "
                    f"(summed RSS {sampler.peak_bytes / MIB:.0f} MiB)"
                )
        if args.browsers:
            checks += _second_tab(deployment, links[0], args.timeout)
        if args.kill:
            checks += _kill(deployment, links, args.timeout, args.browsers > 0)
    lines = [("PASS " if ok else "FAIL ") + text for ok, text in checks]
    print("\n".join(lines))
    return 0 if all(ok for ok, _ in checks) else 1


def _killed_tab(tab: KilledTab) -> str:
    if tab.error:
        return f"FAILED {tab.error}"
    return (
        f"connected again {tab.reconnected_s:.2f} s after the kill, its picture kept meanwhile; "
        f"its next run (a rerun) drew {tab.nodes} nodes {tab.rerun_s:.2f} s after the kill"
    )


def _static(tab: StaticTab) -> str:
    if tab.error:
        return f"FAILED {tab.error}"
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(tab.statuses.items()))
    drawn = f"graph drawn at {tab.graph_s:.2f} s" if tab.graph_s is not None else "no graph"
    return f"{tab.files} static files ({statuses}), {drawn}"
