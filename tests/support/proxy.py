"""The deployment of ``deploy/`` on this machine, and tabs that go through its proxy.

:func:`local_deployment` runs ``deploy/local.sh start`` (two replicas behind nginx on
``127.0.0.1:8080``) and ``stop`` when the block ends; :func:`attach` reads a deployment someone
else started. :func:`proxy_visit` is a protocol-level tab as a browser opens it through the
proxy: it loads the page first, keeps the route cookie the proxy hands out, and opens the
session's websocket with it. :func:`routes` reads from the proxy's access log which replica
served each route; :func:`static_tab` opens the page in Chromium and notes the proxy cache's
answer for every ``/static/`` file.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.client import HTTPException
from http.cookies import SimpleCookie
from pathlib import Path
from typing import TypeVar

from tests.support.procs import ROOT, descendants
from tests.support.session import Visit, visit

T = TypeVar("T")

LOCAL_SH = ROOT / "deploy" / "local.sh"
ROUTE_COOKIE = "autodiff_viz_route"
#: One line of the proxy's access log (``log_format routed`` in deploy/nginx.conf).
LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \d+ '
    r"route=(?P<route>\S+) upstream=(?P<upstream>.+?) cache=(?P<cache>\S+)"
)


@dataclass(frozen=True)
class Deployment:
    """A running local deployment: the proxy's and each replica's address, local.sh's state."""

    proxy: str
    replicas: tuple[str, ...]
    state: Path

    def replica_pid(self, index: int) -> int:
        return int((self.state / f"replica-{index + 1}.pid").read_text())

    def replica_of(self, upstream: str) -> int | None:
        """The replica's index for an ``upstream`` address of the log (None: none of them)."""
        for i, url in enumerate(self.replicas):
            if url.removeprefix("http://") == upstream.rsplit(",", maxsplit=1)[-1].strip():
                return i
        return None

    @property
    def access_log(self) -> Path:
        return self.state / "access.log"


def parse_start(output: str) -> Deployment:
    """The deployment ``local.sh start`` announced on its standard output."""
    lines = dict(line.split(" ", 1) for line in output.splitlines() if " " in line)
    replicas = tuple(
        line.rsplit(" ", 1)[1] for line in output.splitlines() if line.startswith("replica ")
    )
    if "ready" not in output.split() or not replicas:
        raise RuntimeError(f"local.sh did not start:\n{output}")
    return Deployment(lines["proxy"], replicas, Path(lines["state"]))


def _local_sh(command: str, env: dict[str, str] | None, timeout: float) -> str:
    done = subprocess.run(
        ["bash", str(LOCAL_SH), command],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"local.sh {command} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def local_deployment(
    *, env: dict[str, str] | None = None, timeout: float = 180.0
) -> Iterator[Deployment]:
    """``local.sh start`` now, ``local.sh stop`` when the block ends (even when it fails)."""
    try:
        yield parse_start(_local_sh("start", env, timeout))
    finally:
        _local_sh("stop", env, 60)


def attach(proxy: str, state: Path | None = None) -> Deployment:
    """A deployment ``local.sh start`` left running (its state folder: its default)."""
    default = Path(tempfile.gettempdir()) / f"autodiff_viz-local-{os.getuid()}"
    folder = state or Path(os.environ.get("AUTODIFF_VIZ_LOCAL_STATE", default))
    ports = sorted(folder.glob("replica-*.port"))
    if not ports:
        raise RuntimeError(f"no local.sh deployment in {folder}")
    replicas = tuple(f"http://127.0.0.1:{p.read_text().strip()}" for p in ports)
    return Deployment(proxy.rstrip("/"), replicas, folder)


def load_page(proxy: str, link: str, timeout: float = 30.0, route: str | None = None) -> str | None:
    """Load the page as a browser does (with its route cookie, if it has one); the route then.

    A browser without the cookie gets it from this answer; one with it keeps it.
    """
    request = urllib.request.Request(proxy + link)
    if route:
        request.add_header("Cookie", f"{ROUTE_COOKIE}={route}")
    with urllib.request.urlopen(request, timeout=timeout) as reply:
        reply.read()
        cookie = SimpleCookie()
        for header in reply.headers.get_all("Set-Cookie") or []:
            cookie.load(header)
    morsel = cookie.get(ROUTE_COOKIE)
    return morsel.value if morsel else route


@dataclass
class ProxyVisit:
    """A tab through the proxy: its route, the page's load time, what its session saw."""

    route: str | None
    visit: Visit
    page_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.visit.ok

    @property
    def done_s(self) -> float | None:
        """From the page request to the graph (or to the end of a run that draws none)."""
        end = self.visit.graph_s if self.visit.graph_s is not None else self.visit.finished_s
        return None if end is None else self.page_s + end


def proxy_visit(
    proxy: str,
    link: str,
    *,
    timeout: float,
    want_graph: bool,
    route: str | None = None,
    on_open: Callable[[], None] | None = None,
) -> ProxyVisit:
    """One tab: the page, then the session; ``route``: a browser that has the cookie already."""
    started = time.perf_counter()
    try:
        route = load_page(proxy, link, timeout, route)
    except (OSError, HTTPException) as exc:
        return ProxyVisit(route, Visit(link, error=f"page: {type(exc).__name__}"))
    page_s = time.perf_counter() - started
    headers = [f"Cookie: {ROUTE_COOKIE}={route}"] if route else []
    seen = visit(
        proxy, link, timeout=timeout, want_graph=want_graph, headers=headers, on_open=on_open
    )
    return ProxyVisit(route, seen, page_s)


def eventually(read: Callable[[], T], holds: Callable[[T], bool], seconds: float = 10) -> T:
    """``read()`` again until its answer ``holds`` or ``seconds`` pass, and return the last answer.

    nginx writes a request's log line after it has sent the answer (a websocket's when it
    closes), so a client can hold the answer a moment before the proxy's log shows it.
    """
    deadline = time.monotonic() + seconds
    while not holds(found := read()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def routes(log: Path) -> dict[str, str]:
    """The replica that last served each route (page or session; the cache's answers aside)."""
    served: dict[str, str] = {}
    for line in log.read_text(errors="replace").splitlines():
        match = LOG_LINE.search(line)
        if match and match["upstream"] != "-":
            served[match["route"]] = match["upstream"]
    return served


def cache_statuses(log: Path) -> list[tuple[str, str]]:
    """(path, cache status) of every /static/ request in the proxy's log, in order."""
    found = []
    for line in log.read_text(errors="replace").splitlines():
        match = LOG_LINE.search(line)
        if match and match["path"].startswith("/static/"):
            found.append((match["path"], match["cache"]))
    return found


def kill_tree(pid: int) -> list[int]:
    """SIGKILL a replica and its workers at once, as a crashed container or node would go."""
    tree = [pid, *descendants(pid)]
    for each in tree:
        with contextlib.suppress(ProcessLookupError):
            os.kill(each, 9)
    return tree


@dataclass
class StaticTab:
    """A Chromium tab through the proxy: its /static/ files by cache status, the graph drawn."""

    statuses: dict[str, int] = field(default_factory=dict)
    files: int = 0
    graph_s: float | None = None
    error: str | None = None


def static_tab(proxy: str, link: str, timeout: float) -> StaticTab:
    """Open ``link`` in a fresh Chromium context (an empty browser cache) through the proxy."""
    from playwright.sync_api import Error, Response, sync_playwright

    from tests.support.browser import GRAPH_NODES, launch_chromium

    tab = StaticTab()

    def note(response: Response) -> None:
        if "/static/" in response.url:
            status = response.headers.get("x-cache-status", "none")
            tab.statuses[status] = tab.statuses.get(status, 0) + 1
            tab.files += 1

    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_context().new_page()
            page.on("response", note)
            started = time.perf_counter()
            page.goto(proxy + link, wait_until="commit", timeout=timeout * 1000)
            page.wait_for_selector(GRAPH_NODES, timeout=timeout * 1000)
            tab.graph_s = time.perf_counter() - started
            page.wait_for_load_state("networkidle", timeout=timeout * 1000)
            browser.close()
    except Error as exc:
        tab.error = str(exc).splitlines()[0]
    return tab


#: Notes every change of the page's connection state and every script run, however brief.
WATCH_PAGE = """app => {
  const node = document.querySelector(app);
  window.__states = [];
  window.__runs = 0;
  new MutationObserver(() => {
    window.__states.push(node.dataset.testConnectionState);
    if (node.dataset.testScriptState === 'running') window.__runs += 1;
  }).observe(node, {attributes: true,
                    attributeFilter: ["data-test-connection-state", "data-test-script-state"]});
}"""
BACK_CONNECTED = """() => window.__states.some(s => s !== 'CONNECTED')
  && window.__states[window.__states.length - 1] === 'CONNECTED'"""
RAN_AGAIN = """([app, runs]) => window.__runs > runs
  && document.querySelector(app).dataset.testScriptState === 'notRunning'"""


@dataclass
class KilledTab:
    """A Chromium tab whose replica is killed under it: when it was back, what it showed."""

    replica: int | None = None
    route: str | None = None
    reconnected_s: float | None = None  # from the kill until the page said "connected" again
    rerun_s: float | None = None  # from the kill until a rerun (the student's next step) drew
    nodes: int = 0
    error: str | None = None


def tab_through_a_kill(
    deployment: Deployment,
    link: str,
    timeout: float,
    *,
    placed: threading.Event,
    killed: threading.Event,
    tab: KilledTab,
) -> None:
    """Open ``link`` through the proxy, note its replica (``placed``), and once ``killed`` is set
    wait for the page to reconnect, then rerun it as a student's next step would ("r").

    Run it in a thread of its own: Playwright's sync API stays in the thread that started it.
    """
    from playwright.sync_api import Error, sync_playwright

    from tests.support.browser import GRAPH_NODES, launch_chromium

    app = "[data-testid='stApp']"
    try:
        # The lowest CPU priority, as the crowd's browsers (see benchmarks.load.browsers).
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            context = browser.new_context()
            page = context.new_page()
            page.goto(deployment.proxy + link, timeout=timeout * 1000)
            page.wait_for_selector(GRAPH_NODES, timeout=timeout * 1000)
            tab.route = next(c["value"] for c in context.cookies() if c["name"] == ROUTE_COOKIE)
            served = routes(deployment.access_log).get(tab.route, "-")
            tab.replica = deployment.replica_of(served)
            page.evaluate(WATCH_PAGE, app)
            placed.set()
            killed.wait(timeout)
            started = time.perf_counter()
            # The frontend notices the closed socket, says "Connecting" and opens a new one: the
            # proxy rehashes the cookie to a replica that answers.
            page.wait_for_function(BACK_CONNECTED, timeout=timeout * 1000)
            tab.reconnected_s = time.perf_counter() - started
            runs = page.evaluate("() => window.__runs")
            page.locator("body").press("r")
            page.wait_for_function(RAN_AGAIN, arg=[app, runs], timeout=timeout * 1000)
            tab.nodes = page.locator(GRAPH_NODES).count()
            tab.rerun_s = time.perf_counter() - started
            browser.close()
    except (Error, StopIteration) as exc:
        tab.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    finally:
        placed.set()
