"""The web app under load (issue 11): agencies' self-checks while the office's batch is audited.

    python benchmarks/web_load.py [--reports 500] [--clients 20] [--seconds 60] [--jobs 2]

Starts ``ogi-audit serve`` on a free port of 127.0.0.1 (tests/browser_support.Server: its own store,
data folder and rules, an admin made with ``ogi-audit users add``), opens the self-check page and
makes one check (the workers' start is timed apart: an office's server is up before agencies come),
checks each sample once, one at a time (what a check costs with no one waiting), logs in as the
office does, uploads a batch of ``--reports`` generated reports (benchmarks/scale.py's corpus: every
text layout, both formats) through the office's upload form, and at once starts ``--clients``
threads that each post a self-check (``POST /api/check``, the samples of reports/ in turn: texts and
PDFs) as soon as the last one is answered, for ``--seconds``. Then it waits for the batch (at most
``--batch-seconds``) and reads what the office is shown of it.

It prints the requests answered, the errors (every answer that is not 200, and every request that
got no answer), the median and 95th-percentile latency of a self-check, how the batch ended (reports
audited and listed as not audited, against those uploaded) and the server's peak memory: the largest
sum of the resident memory of the server and its worker processes, sampled every 50 ms. Targets: no
5xx and no request without an answer, the batch whole (every report audited or listed), a
self-check's median under 2 s. Exit status 1 when a target is missed. Bounded: 127.0.0.1 only, a fixed
number of clients, a fixed time.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import urllib3

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from benchmarks.scale import _tree_rss, corpus  # noqa: E402
from browser_support import Server  # noqa: E402

ADMIN = ("压测管理员", "load-test-password")
MEDIAN_TARGET_S = 2.0
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
BATCH_PAGE = re.compile(r"/office/batches/(\d+)")
#: A report's row in a done batch's results (engine/web/templates/office_results.html).
REPORT_ROW = re.compile(r'<tr id="report-\d+">')
SAMPLES = sorted(p for p in (ROOT / "reports").iterdir() if p.is_file())


class Session:
    """One browser's worth of HTTP: the session cookie kept, the CSRF token read from a page."""

    def __init__(self, pool: urllib3.PoolManager, base: str) -> None:
        self.pool, self.base, self.cookies = pool, base, {}
        self.token = ""

    def request(self, method: str, path: str, **options) -> urllib3.BaseHTTPResponse:
        headers = dict(options.pop("headers", {}))
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token and method != "GET":
            headers["X-CSRF-Token"] = self.token
        answer = self.pool.request(method, self.base + path, headers=headers, redirect=False, **options)
        for cookie in answer.headers.getlist("Set-Cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return answer

    def page(self, path: str) -> str:
        answer = self.request("GET", path)
        if answer.status != 200:
            raise RuntimeError(f"GET {path}: {answer.status}")
        text = answer.data.decode("utf-8")
        found = TOKEN.search(text)
        if found:
            self.token = found.group(1)
        return text

    def log_in(self, name: str, password: str) -> None:
        self.page("/login")
        answer = self.request("POST", "/login", fields={"name": name, "password": password, "csrf_token": self.token},
                              encode_multipart=False)
        if answer.status != 302:
            raise RuntimeError(f"login: {answer.status} {answer.data[:300]!r}")
        self.page("/office/")


@dataclass
class Checks:
    """What the self-check clients saw: each answer's latency, and every error."""

    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)  #: by the sample's suffix
    statuses: dict[int, int] = field(default_factory=dict)
    unanswered: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answered(self, sample: Path, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.latencies.append(seconds)
                self.by_kind.setdefault(sample.suffix, []).append(seconds)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status != 200) + len(self.unanswered)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500) + len(self.unanswered)


def alone(pool: urllib3.PoolManager, base: str) -> tuple[float, Checks]:
    """Before the load: the self-check page opened (which starts the checker's workers, as an agency's
    browser would) and one check made, timed apart (an office's server is up before agencies come);
    then each sample checked once, one at a time: what a check costs with no one waiting."""
    pool.request("GET", base + "/check")
    started = time.monotonic()
    answer = pool.request("POST", base + "/api/check", fields={"file": (SAMPLES[0].name, SAMPLES[0].read_bytes())})
    if answer.status != 200:
        raise RuntimeError(f"first self-check: {answer.status} {answer.data[:300]!r}")
    first = time.monotonic() - started
    checks = Checks()
    for sample in SAMPLES:
        check_once(pool, base, sample, checks)
    return first, checks


def check_once(pool: urllib3.PoolManager, base: str, sample: Path, checks: Checks) -> None:
    """One self-check of ``sample``, its answer (or none) recorded in ``checks``."""
    started = time.monotonic()
    try:
        answer = pool.request("POST", base + "/api/check", fields={"file": (sample.name, sample.read_bytes())},
                              retries=False)
    except urllib3.exceptions.HTTPError as error:
        with checks.lock:
            checks.unanswered.append(f"{sample.name}: {error}")
        return
    checks.answered(sample, answer.status, time.monotonic() - started)


def self_check_client(pool: urllib3.PoolManager, base: str, client: int, until: float, checks: Checks) -> None:
    """Post the samples in turn, from the ``client``-th, one at a time, until ``until``."""
    turn = client
    while time.monotonic() < until:
        check_once(pool, base, SAMPLES[turn % len(SAMPLES)], checks)
        turn += 1


def start_batch(office: Session, reports: list[Path]) -> int:
    """The reports uploaded as one batch through the office's form, as the batches page posts it; the
    batch's id, from the page it is sent on to."""
    office.page("/office/batches")
    fields = [("csrf_token", office.token), ("title", f"压测：{len(reports)} 份生成的报告")]
    fields += [("files", (path.name, path.read_bytes())) for path in reports]
    answer = office.request("POST", "/office/batches", fields=fields)
    found = BATCH_PAGE.fullmatch(answer.headers.get("Location", ""))
    if answer.status != 302 or not found:
        raise RuntimeError(f"upload: {answer.status} {answer.data[:300]!r}")
    return int(found.group(1))


@dataclass(frozen=True)
class Outcome:
    """How the batch ended, as the office is shown it: its state, the reports on its results page and
    the files its page lists as not audited."""

    state: str
    audited: int
    not_audited: int
    seconds: float

    def whole(self, uploaded: int) -> bool:
        return self.state == "done" and self.audited + self.not_audited == uploaded

    def __str__(self) -> str:
        return (f"{self.state} after {self.seconds:.0f} s: {self.audited} reports audited, "
                f"{self.not_audited} listed as not audited")


def wait_for_batch(office: Session, batch: int, started: float, seconds: float) -> Outcome:
    """Poll the batch's progress (the office's API, as the batch page does) until it ends or
    ``seconds`` have passed since ``started``; then read its page."""
    state = "queued"
    while time.monotonic() < started + seconds:
        answer = office.request("GET", f"/api/office/batches/{batch}")
        state = json.loads(answer.data)["state"] if answer.status == 200 else f"HTTP {answer.status}"
        if state in ("done", "failed"):
            break
        time.sleep(1)
    took = time.monotonic() - started
    page = office.page(f"/office/batches/{batch}")
    _, _, listed = page.partition('id="not-audited"')
    return Outcome(state, len(REPORT_ROW.findall(page)), listed.split("</section>", 1)[0].count("<tr><td>"), took)


class PeakMemory:
    """The largest resident memory of a process tree, sampled every 50 ms on a thread of its own."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _tree_rss(self.pid)[0])  # the server and its workers together

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def describe(checks: Checks) -> str:
    """Median and 95th percentile of the checks answered, and the median of each kind of file."""
    if not checks.latencies:
        return "none answered"
    kinds = ", ".join(f"{kind} {statistics.median(times):.2f} s ({len(times)})"
                      for kind, times in sorted(checks.by_kind.items()))
    return (f"median {statistics.median(checks.latencies):.2f} s, 95th percentile "
            f"{percentile(checks.latencies, 0.95):.2f} s (by kind: {kinds})")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--batch-seconds", type=float, default=900.0, help="how long the batch may take at most")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of ogi-audit serve")
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "ogi-audit-scale-corpus")
    args = parser.parse_args(argv)
    reports = sorted(corpus(args.corpus, args.reports).rglob("*.txt"))
    print(f"cores: {len(os.sched_getaffinity(0))}, load average: {os.getloadavg()[0]:.2f}; "
          f"{len(reports)} reports in the batch, {args.clients} self-check clients for {args.seconds:.0f} s "
          f"({len(SAMPLES)} samples in turn), server --jobs {args.jobs}")
    missed: list[str] = []
    with tempfile.TemporaryDirectory() as scratch, Server(Path(scratch), [(*ADMIN[:1], "admin", ADMIN[1])],
                                                          jobs=args.jobs) as server:
        pool = urllib3.PoolManager(maxsize=args.clients + 4, timeout=urllib3.Timeout(connect=10, read=300))
        memory = PeakMemory(server.pid)
        first, unloaded = alone(pool, server.url)
        office = Session(pool, server.url)
        office.log_in(*ADMIN)
        uploaded = time.monotonic()
        batch = start_batch(office, reports)
        checks = Checks()
        until = time.monotonic() + args.seconds
        clients = [threading.Thread(target=self_check_client, args=(pool, server.url, n, until, checks))
                   for n in range(args.clients)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        outcome = wait_for_batch(office, batch, uploaded, args.batch_seconds)
        peak = memory.stop()
    answered = sum(checks.statuses.values())
    print(f"self-checks answered: {answered} ({answered / args.seconds:.1f}/s), "
          f"statuses {dict(sorted(checks.statuses.items()))}, without an answer: {len(checks.unanswered)}")
    for line in checks.unanswered[:5]:
        print(f"  {line}")
    print(f"before the load: first check (workers starting) {first:.2f} s; each sample alone: "
          f"{describe(unloaded)}")
    if checks.latencies:
        median = statistics.median(checks.latencies)
        print(f"self-check latency under load: {describe(checks)}, max {max(checks.latencies):.2f} s")
        if median >= MEDIAN_TARGET_S:
            missed.append(f"median self-check {median:.2f} s ≥ {MEDIAN_TARGET_S:.0f} s")
    else:
        missed.append("no self-check answered 200")
    print(f"batch: {outcome}")
    print(f"server peak memory (server and its workers): {peak:.0f} MB")
    for when, made in (("alone", unloaded), ("under load", checks)):
        if made.server_errors:
            missed.append(f"{made.server_errors} self-checks {when} answered 5xx or not at all")
    if not outcome.whole(len(reports)):
        missed.append(f"batch not whole: {outcome}")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
