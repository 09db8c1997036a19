"""How a batch scales (issue 10): reports per second, CPU use and peak memory of ``ogi-audit audit``.

    python benchmarks/scale.py [--sizes 1000,2000,20000] [--jobs N] [--corpus DIR] [--only json] [--baseline REV]

For each size, the test generator's reports (tests.generator: every text layout, both formats, one seed
each) are written once into ``--corpus`` (kept between runs), then, side by side in this run:

- the *floor*: a loop that only reads each file, decodes it, NFKC-normalises it and splits it into lines,
  in one process: what any audit of these files costs at least;
- the audit writing the findings JSON alone (``--outputs json --no-db``);
- the audit writing every output, recording into a fresh history store;
- the same audit again, the inputs unchanged (an incremental rerun), and once more writing the findings
  JSON alone. A rerun keeps a page or notice only where everything it is made from is unchanged
  (engine.render.recipe); the same files audited again are no resubmission (engine.history.compared),
  so their statuses and the run they are compared with are as in the first run, and the rerun keeps
  every page and notice and writes the exports and the dashboard again.

Each audit is the whole command in a process of its own, timed from start to exit. Peak memory is the
largest sum of the resident memory of the command and its worker processes, sampled every 50 ms, and
beside it the largest of the command's own process alone and of its largest worker (``MB main/worker``),
so that a growth is seen where it is; CPU use is the processes' user and system time over the wall time
(200 % is both cores of a 2-core machine). With ``--baseline REV`` (a git revision) every audit is run
a second time, in turn, by the command as it was at REV (its files taken with ``git archive`` into a
temporary folder), on the same corpus, and printed on the line below. Targets on a 2-core machine: JSON only at least 400 reports/s, every output at least 150, an
unchanged rerun at least 2,000; peak memory under 400 MB and within 10 % from 2,000 reports to 20,000.
Exit status 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine.batch.pool import children, descendants  # noqa: E402
from tests.generator import FORMATS, LAYOUTS, generate  # noqa: E402

COMMAND = [sys.executable, "-m", "engine.cli", "audit"]
TARGETS = {"json": 400.0, "all": 150.0, "rerun": 2000.0, "rerun json": 2000.0}
MEMORY_MB, FLAT = 400.0, 0.10


def corpus(folder: Path, size: int) -> Path:
    """``size`` generated reports in ``folder/<size>``, written once."""
    where = folder / str(size)
    done = where / ".complete"
    if done.exists():
        return where
    where.mkdir(parents=True, exist_ok=True)
    layouts = sorted(LAYOUTS)
    for seed in range(size):
        layout, fmt = layouts[seed % len(layouts)], FORMATS[(seed // len(layouts)) % len(FORMATS)]
        report = generate(seed, layout, fmt)
        (where / f"{seed // 1000:03d}").mkdir(exist_ok=True)
        (where / f"{seed // 1000:03d}" / f"{report.name}.txt").write_bytes(report.data)
    done.touch()
    return where


def floor(where: Path) -> float:
    """Reports per second of reading, decoding, normalising and splitting alone."""
    files = sorted(p for p in where.rglob("*.txt"))
    started = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030", "replace")
        unicodedata.normalize("NFKC", text).splitlines()
    return len(files) / (time.perf_counter() - started)


def _rss(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:")), 0)


def _tree_rss(pid: int) -> tuple[int, int, int]:
    """Resident bytes of ``pid`` and its descendants together, of ``pid`` alone and of its largest
    child with that child's descendants (a worker and the LibreOffice it runs)."""
    try:
        own = _rss(pid)
    except (OSError, ValueError, StopIteration):
        return 0, 0, 0
    branches = [sum(map(_rss_if_alive, (child, *descendants(child)))) for child in children(pid)]
    return own + sum(branches), own, max(branches, default=0)


def _rss_if_alive(pid: int) -> int:
    try:
        return _rss(pid)
    except (OSError, ValueError, StopIteration):
        return 0


@dataclass
class Measured:
    rate: float
    cpu: float
    peak_mb: float
    status: int
    main_mb: float  #: the command's own process at its largest
    worker_mb: float  #: its largest worker at its largest


def checkout(revision: str) -> Path:
    """The files of git ``revision`` in a temporary folder, from which its command runs."""
    folder = Path(tempfile.mkdtemp(prefix="scale-baseline-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def audit(where: Path, out: Path, *options: str, root: Path = ROOT) -> Measured:
    """The audit command of the checkout at ``root`` run on ``where``, measured."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen([*COMMAND, str(where), "-o", str(out), "--quiet", *options],
                               cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0, 0, 0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            peak[:] = map(max, peak, _tree_rss(process.pid))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, errors = process.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / wall
    if process.returncode not in (0, 1):
        print(f"  audit exited {process.returncode}: {errors.strip()[-500:]}", file=sys.stderr)
    count = sum(1 for _ in where.rglob("*.txt"))
    return Measured(count / wall, cpu, peak[0] / 2**20, process.returncode, peak[1] / 2**20, peak[2] / 2**20)


def batch(where: Path, jobs: list[str], only: str | None, root: Path) -> dict[str, Measured]:
    """Each audit of the benchmark (see the module docstring) on ``where`` by the checkout at ``root``."""
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        measured = {"json": audit(where, scratch / "json", "--outputs", "json", "--no-db", *jobs, root=root)}
        if only:
            return measured
        store = ["--db", f"sqlite:///{scratch / 'history.sqlite'}"]
        measured["all"] = audit(where, scratch / "all", *store, *jobs, root=root)
        measured["rerun"] = audit(where, scratch / "all", *store, *jobs, root=root)
        measured["rerun json"] = audit(where, scratch / "json", "--outputs", "json", *store, *jobs, root=root)
    return measured


def row(size: int, who: str, base: float, measured: dict[str, Measured]) -> str:
    cells = []
    for name, run in measured.items():
        speed = f"{run.rate:>7.1f} {base / run.rate:>6.1f}x {run.cpu:>4.0%}" if name in ("json", "all") \
            else f"{run.rate:>7.1f}"
        cells.append(f"{speed} {run.peak_mb:>5.0f} {run.main_mb:>4.0f}/{run.worker_mb:<4.0f}")
    return f"{size:>7} {who:>8} {base:>7.0f} | " + " | ".join(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,20000")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for the audit (default: its own)")
    parser.add_argument("--only", choices=["json"], help="json: only the audit writing the findings JSON")
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "ogi-audit-scale-corpus")
    parser.add_argument("--baseline", metavar="REV", help="git revision whose command to run beside this one")
    args = parser.parse_args(argv)
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    checkouts = {"now": ROOT} | ({args.baseline: checkout(args.baseline)} if args.baseline else {})
    print(f"cores: {len(os.sched_getaffinity(0))}, load average: {os.getloadavg()[0]:.2f}")
    heads = [f"{'json/s':>7} {'x floor':>7} {'cpu':>4}", f"{'all/s':>7} {'x floor':>7} {'cpu':>4}",
             f"{'rerun/s':>7}", f"{'json/s':>7}"][:1 if args.only else 4]
    print(f"{'reports':>7} {'engine':>8} {'floor/s':>7} | " + " | ".join(f"{head} {'MB':>5} {'main/worker':<9}" for head in heads))
    missed, peaks = [], {who: {} for who in checkouts}
    for size in (int(s) for s in args.sizes.split(",")):
        where = corpus(args.corpus, size)
        base = floor(where)
        for who, root in checkouts.items():
            measured = batch(where, jobs, args.only, root)
            print(row(size, who, base, measured), flush=True)
            peaks[who][size] = max(run.peak_mb for run in measured.values())
            if who != "now":
                continue
            for name, run in measured.items():
                if run.rate < TARGETS[name]:
                    missed.append(f"{size} reports, {name}: {run.rate:.1f}/s < {TARGETS[name]:.0f}/s")
                if run.peak_mb > MEMORY_MB:
                    missed.append(f"{size} reports, {name}: peak {run.peak_mb:.0f} MB > {MEMORY_MB:.0f} MB")
    for who, root in checkouts.items():
        if root != ROOT:
            shutil.rmtree(root, ignore_errors=True)
    for who, by_size in peaks.items():
        grown = [size for size in by_size if size >= 2000]
        if len(grown) < 2:
            continue
        low, high = by_size[min(grown)], by_size[max(grown)]
        print(f"{who}: peak memory {min(grown)} → {max(grown)} reports: {low:.0f} → {high:.0f} MB ({high / low - 1:+.0%})")
        if who == "now" and high > low * (1 + FLAT):
            missed.append(f"memory not flat: {low:.0f} → {high:.0f} MB")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
