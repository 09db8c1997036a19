"""How a batch scales (issue 10): reports per second, CPU use and peak memory of ``ogi-audit audit``.

    python benchmarks/scale.py [--sizes 1000,2000,20000] [--jobs N] [--corpus DIR] [--only json]

For each size, the test generator's reports (tests.generator: every text layout, both formats, one seed
each) are written once into ``--corpus`` (kept between runs), then, side by side in this run:

- the *floor*: a loop that only reads each file, decodes it, NFKC-normalises it and splits it into lines,
  in one process: what any audit of these files costs at least;
- the audit writing the findings JSON alone (``--outputs json --no-db``);
- the audit writing every output, recording into a fresh history store;
- the same audit again, the inputs unchanged (an incremental rerun), and once more writing the findings
  JSON alone. A rerun keeps a page or notice only where everything it is made from is unchanged
  (engine.render.recipe); this second run of the batch into the store finds every finding again
  (新发现 → 仍未整改) and each page names the run it was compared with, so its pages and notices are
  all made again, from the files read again.

Each audit is the whole command in a process of its own, timed from start to exit. Peak memory is the
largest sum of the resident memory of the command and its worker processes, sampled every 50 ms; CPU
use is the processes' user and system time over the wall time (200 % is both cores of a 2-core
machine). Targets on a 2-core machine: JSON only at least 400 reports/s, every output at least 150, an
unchanged rerun at least 2,000; peak memory under 400 MB and within 10 % from 2,000 reports to 20,000.
Exit status 1 when a target is missed.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                total += next((int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    stack += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            continue
    return total


@dataclass
class Measured:
    rate: float
    cpu: float
    peak_mb: float
    status: int


def audit(where: Path, out: Path, *options: str) -> Measured:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen([*COMMAND, str(where), "-o", str(out), "--quiet", *options],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.wait(0.05):
            peak = max(peak, _tree_rss(process.pid))
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
    return Measured(count / wall, cpu, peak / 2**20, process.returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,20000")
    parser.add_argument("--jobs", type=int, default=None, help="--jobs for the audit (default: its own)")
    parser.add_argument("--only", choices=["json"], help="json: only the audit writing the findings JSON")
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "ogi-audit-scale-corpus")
    args = parser.parse_args(argv)
    jobs = [] if args.jobs is None else ["--jobs", str(args.jobs)]
    print(f"cores: {len(os.sched_getaffinity(0))}, load average: {os.getloadavg()[0]:.2f}")
    print(f"{'reports':>8} {'floor/s':>8} | {'json/s':>7} {'x floor':>7} {'cpu':>5} {'MB':>6} | "
          f"{'all/s':>6} {'x floor':>7} {'cpu':>5} {'MB':>6} | {'rerun/s':>7} {'MB':>6} | {'json':>7} {'MB':>6}")
    missed, peaks = [], {}
    for size in (int(s) for s in args.sizes.split(",")):
        where = corpus(args.corpus, size)
        with tempfile.TemporaryDirectory() as scratch:
            scratch = Path(scratch)
            base = floor(where)
            json_only = audit(where, scratch / "json", "--outputs", "json", "--no-db", *jobs)
            if args.only:
                print(f"{size:>8} {base:>8.0f} | {json_only.rate:>7.1f} {base / json_only.rate:>6.1f}x "
                      f"{json_only.cpu:>4.0%} {json_only.peak_mb:>6.0f}", flush=True)
                peaks[size] = json_only.peak_mb
                continue
            store = ["--db", f"sqlite:///{scratch / 'history.sqlite'}"]
            every = audit(where, scratch / "all", *store, *jobs)
            rerun = audit(where, scratch / "all", *store, *jobs)
            rerun_json = audit(where, scratch / "json", "--outputs", "json", *store, *jobs)
        print(f"{size:>8} {base:>8.0f} | {json_only.rate:>7.1f} {base / json_only.rate:>6.1f}x "
              f"{json_only.cpu:>4.0%} {json_only.peak_mb:>6.0f} | {every.rate:>6.1f} {base / every.rate:>6.1f}x "
              f"{every.cpu:>4.0%} {every.peak_mb:>6.0f} | {rerun.rate:>7.1f} {rerun.peak_mb:>6.0f} | "
              f"{rerun_json.rate:>7.1f} {rerun_json.peak_mb:>6.0f}", flush=True)
        peaks[size] = max(json_only.peak_mb, every.peak_mb, rerun.peak_mb, rerun_json.peak_mb)
        for name, measured in (("json", json_only), ("all", every), ("rerun", rerun), ("rerun json", rerun_json)):
            if measured.rate < TARGETS[name]:
                missed.append(f"{size} reports, {name}: {measured.rate:.1f}/s < {TARGETS[name]:.0f}/s")
            if measured.peak_mb > MEMORY_MB:
                missed.append(f"{size} reports, {name}: peak {measured.peak_mb:.0f} MB > {MEMORY_MB:.0f} MB")
    grown = [size for size in peaks if size >= 2000]
    if len(grown) > 1:
        low, high = peaks[min(grown)], peaks[max(grown)]
        print(f"peak memory {min(grown)} → {max(grown)} reports: {low:.0f} → {high:.0f} MB ({high / low - 1:+.0%})")
        if high > low * (1 + FLAT):
            missed.append(f"memory not flat: {low:.0f} → {high:.0f} MB")
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
