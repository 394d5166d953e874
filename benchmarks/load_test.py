"""Classroom load test: N students open one shared link at once, against the app and a bare app.

Run from the repository root (loopback only; stops by itself)::

    python -m benchmarks.load_test                      # 40 sessions, 2 Chromium tabs, hostile runs
    python -m benchmarks.load_test --sessions 5 --browsers 0 --no-hostile
    python -m benchmarks.load_test --sessions 20 --browsers 0 --no-hostile --link /descent?lang=en
    python -m benchmarks.load_test --proxy              # 80 sessions through deploy/ (nginx)

Through the proxy (``--proxy`` or ``--url``) the run is :mod:`benchmarks.load.proxy_run`'s.

For each of the bare baseline (``benchmarks/load/bare_app.py``, same 3-page frame, one static
graph, Streamlit's default settings but no file watcher) and the app (``app.py``, with the
``.streamlit/config.toml`` beside it), in that order, one run per ``--rounds``:

1. start ``streamlit run`` on a free loopback port; one "teacher" tab opens ``/`` first (the
   cold start: the app's worker pool warms up here);
2. the crowd: ``--sessions`` protocol-level tabs (see :mod:`tests.support.session`) open at the
   same instant: the share link of a tutorial program (3 of 5), the derivatives and the descent
   pages (1 of 5 each), or all ``--link``; beside them ``--browsers`` real Chromium tabs open
   the share link and wait for drawn graph nodes; with hostile runs, three more tabs open links
   carrying a segfaulting op, a memory bomb and an endless loop half a second in, and a fourth
   a program that runs for seconds: the load test kills its worker (SIGKILL) mid-run;
3. print per-session success, p50/p95/max time to graph (time to the end of the run on a page
   that draws no graph), the server's CPU time per session, where the machine's CPU went during
   the crowd (server, workers, this load test, its browsers, other programs: a round that other
   work disturbed shows it), summed RSS (and PSS) peak of the server and its workers, worker
   restarts (the killed worker must have been replaced). ``--json`` also keeps every session's
   timeline (connected, first message, graph, finished).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from autodiff_viz.explorer.data import share_query
from benchmarks.load.browsers import BrowserVisit, browse
from tests.support.procs import (
    MIB,
    ROOT,
    CpuSplit,
    TreeSampler,
    cpu_seconds,
    cpu_split,
    descendants,
    is_worker,
    serve,
)
from tests.support.session import Visit, visit

APP = ROOT / "app.py"
BARE = ROOT / "benchmarks" / "load" / "bare_app.py"
EXAMPLE = "t0_scalar"
SHARE_LINK = "/" + share_query(example=EXAMPLE, lang="en")
CROWD_LINKS = (SHARE_LINK, SHARE_LINK, "/derivatives?lang=en", SHARE_LINK, "/descent?lang=en")
HOSTILE = {
    "segfault": "import torch\n"
    "y = torch.sparse_coo_tensor(torch.tensor([[10**9]]), torch.ones(1), (4,)).to_dense()\n",
    "memory bomb": "import torch\nx = [torch.ones(4096, 4096) for _ in range(1000)]\n",
    "endless loop": "i = 0\nwhile True:\n    i = i + 1\n",
}
HOSTILE_DELAY = 0.5
#: A program that runs for seconds, within every budget: the load test kills the worker running
#: it (SIGKILL, as a native crash or the kernel's OOM killer would) and its session must say so
#: while the pool starts a new worker and the crowd goes on.
LONG_RUN = "s = 0\nfor i in range(450):\n    for j in range(1000):\n        s = s + 1\nprint(s)\n"
#: A worker busy this share of a core in each of three windows in a row runs the long program:
#: a crowd's job takes a small part of one window.
BUSY_SHARE, BUSY_WINDOW = 0.4, 0.25
#: CPU seconds other programs may use during a crowd before the round is called disturbed.
DISTURBED_SECONDS = 0.5
#: The bare app runs on Streamlit's defaults but for the file watcher, off as in the app's own
#: config: a watcher costs every session, and the comparison is about what the app does.
BARE_ENV = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}


@dataclass
class Figures:
    """What one app did under the crowd (times in seconds, memory in MiB)."""

    app: str
    sessions: int
    failed: int
    p50: float
    p95: float
    max: float
    cold_first_visit: float | None
    rss_peak_mib: float
    server_rss_peak_mib: float
    pss_peak_mib: float
    worker_restarts: int
    wall: float
    #: CPU time the server process (not its workers) used during the crowd, per session.
    server_cpu_ms: float
    #: Where the machine's CPU time went until the last protocol-level tab was done, in seconds.
    cpu: CpuSplit
    failures: list[str] = field(default_factory=list)
    hostile: dict[str, str] = field(default_factory=dict)
    #: The worker the load test killed in the middle of a run (None: none was killed).
    killed_worker: int | None = None
    browsers: list[BrowserVisit] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)


def percentile(samples: list[float], q: int) -> float:
    if len(samples) < 2:
        return samples[0] if samples else float("nan")
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def crowd_links(sessions: int, links: tuple[str, ...] = CROWD_LINKS) -> list[str]:
    return [links[i % len(links)] for i in range(sessions)]


def _needs_graph(link: str) -> bool:
    # Only the explorer always draws a graph; a page may have none yet.
    return link.startswith("/?")


def _hostile_outcome(result: Visit) -> str:
    if result.error and result.error != "no graph":
        return f"BROKE THE SESSION: {result.error}"
    if result.graph_s is not None:
        return "NOT STOPPED: it drew a graph"
    shown = [text for text in result.alerts if "Waiting" not in text]
    if not shown:
        return "NO MESSAGE: the session said nothing"
    return "failed alone: " + shown[-1].replace("\n", " ")[:90]


def long_run_killed(url: str, server_pid: int, timeout: float) -> tuple[Visit, int | None]:
    """Open the long program's link and kill the worker that runs it: the visit, the pid killed."""
    link = "/" + share_query(code=LONG_RUN, lang="en")
    seen: list[Visit] = []
    run = threading.Thread(
        target=lambda: seen.append(visit(url, link, timeout=timeout, want_graph=False))
    )
    run.start()
    pid = kill_busy_worker(server_pid, time.monotonic() + timeout)
    run.join(timeout + 30)
    return seen[0], pid


def kill_busy_worker(server_pid: int, deadline: float) -> int | None:
    """SIGKILL the first worker busy in three windows in a row; its pid, or None by ``deadline``."""
    busy: dict[int, int] = {}
    while time.monotonic() < deadline:
        workers = [pid for pid in descendants(server_pid) if is_worker(pid)]
        before = {pid: cpu_seconds(pid) for pid in workers}
        time.sleep(BUSY_WINDOW)
        for pid in workers:
            spent = cpu_seconds(pid) - before[pid]
            busy[pid] = busy.get(pid, 0) + 1 if spent >= BUSY_SHARE * BUSY_WINDOW else 0
            if busy[pid] == 3:
                os.kill(pid, signal.SIGKILL)
                return pid
    return None


def _outcomes(results: list[Visit | None]) -> tuple[list[Visit], list[float], list[str]]:
    """The sessions that finished, the times to graph of those that worked, the failures."""
    done = [r for r in results if r is not None]
    times = [r.graph_s if r.graph_s is not None else r.finished_s or 0.0 for r in done if r.ok]
    failures = [f"{r.link}: {r.error}" for r in done if not r.ok]
    failures += ["a session did not finish in time"] * (len(results) - len(done))
    return done, times, failures


def _workers_started(sampler: TreeSampler, expected: int) -> int:
    """The worker processes seen once the pool is full: the fork server forks its workers
    once warm, which can be after the first visit has its page."""
    deadline = time.monotonic() + 60
    while len(sampler.workers_seen) < expected and time.monotonic() < deadline:
        time.sleep(0.2)
        sampler.sample()
    return len(sampler.workers_seen)


def _restarts_seen(sampler: TreeSampler, workers_before: int, *, expected: int) -> int:
    """Workers started since the crowd began, waiting for ``expected`` replacements.

    The pool forks a replacement at once; the sampler sees it at its next sample.
    """
    deadline = time.monotonic() + 30
    while True:
        time.sleep(0.5)
        sampler.sample()
        restarts = len(sampler.workers_seen) - workers_before
        if restarts >= expected or time.monotonic() > deadline:
            return restarts


def run_app(name: str, script: Path, args: argparse.Namespace, *, hostile: bool) -> Figures:
    links = crowd_links(args.sessions, (args.link,) if args.link else CROWD_LINKS)
    env = dict(args.app_env) if script == APP else dict(BARE_ENV)
    if args.workers:
        env["AUTODIFF_VIZ_WORKERS"] = str(args.workers)
    with serve(script, env=env) as server, TreeSampler(server.pid) as sampler:
        first = visit(server.url, "/?lang=en", timeout=args.timeout, want_graph=False)
        pool = 1 + (args.workers or 2) if script == APP else 0  # the fork server and its workers
        workers_before = _workers_started(sampler, pool)
        results: list[Visit | None] = [None] * len(links)
        hostile_results: dict[str, Visit] = {}
        killed: list[int | None] = []
        browser_results: list[BrowserVisit] = []
        go = threading.Event()
        ready = threading.Event()

        def student(i: int) -> None:
            go.wait()
            results[i] = visit(
                server.url, links[i], timeout=args.timeout, want_graph=_needs_graph(links[i])
            )

        def attacker(label: str, code: str) -> None:
            go.wait()
            time.sleep(HOSTILE_DELAY)
            if code == LONG_RUN:
                hostile_results[label], pid = long_run_killed(server.url, server.pid, args.timeout)
                killed.append(pid)
                return
            link = "/" + share_query(code=code, lang="en")
            hostile_results[label] = visit(server.url, link, timeout=args.timeout, want_graph=False)

        def chromium() -> None:
            tabs = [SHARE_LINK] * args.browsers
            browser_results.extend(browse(server.url, tabs, ready, go, args.timeout))

        tabs = [threading.Thread(target=student, args=(i,)) for i in range(len(links))]
        if hostile:
            attacks = {**HOSTILE, "killed worker": LONG_RUN}
            tabs += [threading.Thread(target=attacker, args=kv) for kv in attacks.items()]
        browsing = threading.Thread(target=chromium)
        if args.browsers:
            browsing.start()
        else:
            ready.set()
        for thread in tabs:
            thread.start()
        ready.wait(args.timeout)
        time.sleep(0.2)  # let every student thread park on the start line
        started, cpu_before = time.perf_counter(), cpu_split(server.pid)
        go.set()
        for thread in tabs:
            thread.join(args.timeout + 30)
        # While the browsers still run: closing them ends processes whose CPU time nobody of
        # ours has reaped yet.
        cpu = cpu_split(server.pid) - cpu_before
        if args.browsers:
            browsing.join(args.timeout + 30)
        wall = time.perf_counter() - started
        restarts = _restarts_seen(
            sampler, workers_before, expected=sum(p is not None for p in killed)
        )

    done, times, failures = _outcomes(results)
    return Figures(
        app=name,
        sessions=len(links),
        failed=len(failures),
        p50=percentile(times, 50),
        p95=percentile(times, 95),
        max=max(times, default=float("nan")),
        cold_first_visit=first.finished_s if first.error is None else None,
        rss_peak_mib=sampler.peak_bytes / MIB,
        server_rss_peak_mib=sampler.peak_server_bytes / MIB,
        pss_peak_mib=sampler.peak_pss_bytes / MIB,
        worker_restarts=max(restarts, 0),
        wall=wall,
        server_cpu_ms=cpu.server * 1e3 / len(links),
        cpu=cpu,
        failures=failures,
        hostile={label: _hostile_outcome(r) for label, r in hostile_results.items()},
        killed_worker=killed[0] if killed else None,
        browsers=browser_results,
        visits=done,
    )


def report(figures: Figures) -> None:
    f = figures
    cold = f"{f.cold_first_visit:.2f} s" if f.cold_first_visit is not None else "failed"
    print(f"== {f.app}")
    print(f"  sessions {f.sessions}, failed {f.failed}, all done in {f.wall:.2f} s")
    print(f"  time to graph: p50 {f.p50:.3f} s, p95 {f.p95:.3f} s, max {f.max:.3f} s")
    print(f"  first visit after start (cold): {cold}")
    print(f"  server CPU during the crowd: {f.server_cpu_ms:.0f} ms per session")
    c = f.cpu
    print(
        f"  CPU seconds during the crowd: server {c.server:.2f}, workers {c.workers:.2f}, "
        f"load test {c.client:.2f}, its browsers {c.browsers:.2f}, other programs {c.others:.2f}"
        + (" (DISTURBED: other work ran on the machine)" if c.others > DISTURBED_SECONDS else "")
    )
    print(
        f"  RSS peak: server + workers {f.rss_peak_mib:.0f} MiB "
        f"(server alone {f.server_rss_peak_mib:.0f} MiB), PSS {f.pss_peak_mib:.0f} MiB; "
        f"worker restarts {f.worker_restarts}"
    )
    for failure in f.failures[:10]:
        print(f"  FAILED {failure}")
    for label, outcome in f.hostile.items():
        print(f"  hostile {label}: {outcome}")
    if f.killed_worker is not None:
        print(f"  killed worker {f.killed_worker} in the middle of a run")
    for b in f.browsers:
        seen = f"graph drawn at {b.graph_s:.2f} s" if b.ok else f"FAILED {b.error}"
        print(f"  chromium {b.link}: {seen}")


def verdict(bare: Figures, app: Figures, budget_mib: float) -> list[str]:
    """The goal's checks, each as a printed line starting with PASS or FAIL."""
    browsers_ok = all(b.ok for b in app.browsers)
    hostile_ok = all(o.startswith("failed alone") for o in app.hostile.values())
    checks = [
        (app.failed == 0 and browsers_ok, f"{app.failed} failed sessions, browsers ok"),
        (app.p95 <= bare.p95 / 2, f"p95 {app.p95:.3f} s <= half the bare p95 {bare.p95:.3f} s"),
        (app.rss_peak_mib <= budget_mib, f"RSS {app.rss_peak_mib:.0f} <= {budget_mib:.0f} MiB"),
        (hostile_ok, "hostile runs failed alone"),
    ]
    if app.hostile:  # a worker was killed mid-run: the pool must have started another
        recovered = app.killed_worker is not None and app.worker_restarts >= 1
        checks.append((recovered, f"a worker killed mid-run, {app.worker_restarts} restarted"))
    return [("PASS " if ok else "FAIL ") + text for ok, text in checks]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, help="default 40 (80 through the proxy)")
    parser.add_argument("--browsers", type=int, default=2, help="real Chromium tabs (0: none)")
    parser.add_argument("--no-hostile", dest="hostile", action="store_false")
    parser.add_argument("--workers", type=int, default=0, help="pool size (0: the app's default)")
    parser.add_argument("--timeout", type=float, default=60.0, help="per session, in seconds")
    parser.add_argument("--budget-mib", type=float, default=1536.0)
    parser.add_argument("--rounds", type=int, default=1, help="bare then app, this many times")
    parser.add_argument(
        "--app-env",
        type=lambda text: tuple(text.split("=", 1)),
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment of the app's server only (e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=false)",
    )
    parser.add_argument(
        "--link", help="every session opens this link (e.g. /descent?lang=en), not the mix"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--proxy", action="store_true", help="through deploy/local.sh: two replicas behind nginx"
    )
    parser.add_argument("--url", help="through a local.sh deployment already running here")
    parser.add_argument("--no-kill", dest="kill", action="store_false", help="(proxy) keep both")
    args = parser.parse_args(argv)
    if args.sessions is None:
        args.sessions = 80 if args.proxy or args.url else 40
    if not 1 <= args.sessions <= 200 or not 0 <= args.browsers <= 8 or not 1 <= args.rounds <= 5:
        parser.error("1-200 sessions, 0-8 browsers, 1-5 rounds")
    if args.proxy or args.url:
        from benchmarks.load import proxy_run

        return proxy_run.run(
            args, crowd_links(args.sessions, (args.link,) if args.link else CROWD_LINKS)
        )
    rounds: list[tuple[Figures, Figures]] = []
    for i in range(args.rounds):
        print(f"-- round {i + 1} of {args.rounds}")
        bare = run_app("bare streamlit app", BARE, args, hostile=False)
        report(bare)
        app = run_app("autodiff_viz app.py", APP, args, hostile=args.hostile)
        report(app)
        rounds.append((bare, app))
    print("-- every round: p95 bare / app (ratio), CPU seconds other programs used meanwhile")
    for i, (bare, app) in enumerate(rounds, 1):
        print(
            f"  round {i}: {bare.p95:.2f} / {app.p95:.2f} s ({app.p95 / bare.p95:.2f}), "
            f"others {bare.cpu.others:.2f} / {app.cpu.others:.2f}"
        )
    # Other work on the machine moves both apps' times: judge the round with the median ratio.
    bare, app = sorted(rounds, key=lambda pair: pair[1].p95 / pair[0].p95)[len(rounds) // 2]
    lines = verdict(bare, app, args.budget_mib)
    print("\n".join(lines))
    if args.json:
        data: dict[str, Any] = {
            "rounds": [{"bare": asdict(b), "app": asdict(a)} for b, a in rounds],
            "verdict": lines,
        }
        args.json.write_text(json.dumps(data, indent=2))
    return 0 if all(line.startswith("PASS") for line in lines) else 1


if __name__ == "__main__":
    raise SystemExit(main())
