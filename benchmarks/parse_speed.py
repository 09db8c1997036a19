"""How fast the parser reads the sample reports, against the target of issue 2 (each under 20 ms), and
generated reports of every text layout (issue 10: a few ms a report, for 400 reports/s on two cores).

Not a test: timings belong to the machine they were taken on. They are CPU time of this process (the
machine is shared: wall-clock time would count the others' work). Each file is parsed once to warm up
(formats loaded, patterns compiled), then ``--runs`` times; the median is the verdict's measure and the
95th percentile shows the spread. Exit status 1 when a sample misses the target. Then, per layout of
the test generator, ``--generated`` reports of each format (seeds 0…), each parsed once to warm up and
``--runs`` times: the mean of their medians, and the slowest.

``--baseline REV`` measures the parser of git revision REV beside this one, in the same process and
run for run in turn (the load of a shared machine then weighs on both alike): its ``engine`` and
``rules`` are exported to a temporary folder and imported under another package name. Each line then
also gives the baseline's figure and this parser's time as a share of it.

    python benchmarks/parse_speed.py [FILE ...] [--runs 50] [--generated 3] [--baseline HEAD]
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.generator, when run as a script

from engine.parse import parse_bytes  # noqa: E402
from engine.text import display_width  # noqa: E402
SAMPLES = [*sorted((ROOT / "reports").glob("*.txt")), ROOT / "tests" / "samples" / "fixtures" / "huaian-2024.pdf.txt"]
TARGET_MS = 20.0
#: The package name the baseline's engine is imported under.
BASELINE_PACKAGE = "baseline_engine"

Parse = Callable[[bytes, str], object]


def baseline_parser(revision: str, folder: Path) -> Parse:
    """``parse_bytes`` of the parser at ``revision``, exported into ``folder`` (the engine's modules
    import each other relatively, and find ``rules/`` beside their package)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "engine", "rules"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "engine").rename(folder / BASELINE_PACKAGE)
    sys.path.insert(0, str(folder))
    return importlib.import_module(f"{BASELINE_PACKAGE}.parse").parse_bytes


def timings(parsers: list[Parse], data: bytes, name: str, runs: int) -> list[list[float]]:
    """Milliseconds of each of ``runs`` parses of the bytes by each parser, after one untimed parse
    each; the parsers take turns run for run."""
    for parse in parsers:
        parse(data, name)
    times: list[list[float]] = [[] for _ in parsers]
    for _ in range(runs):
        for parse, taken in zip(parsers, times):
            start = time.process_time()
            parse(data, name)
            taken.append((time.process_time() - start) * 1000)
    return times


def _beside(figures: list[float], width: int = 8) -> str:
    """This parser's figure, and with a baseline its figure and the share."""
    text = f"{figures[0]:{width}.2f}"
    if len(figures) > 1:
        text += f" {figures[1]:{width}.2f} {figures[0] / figures[1]:6.2f}"
    return text


def generated(parsers: list[Parse], count: int, runs: int) -> None:
    """Per text layout: the mean and the largest median ms of ``count`` reports of each format."""
    from tests.generator import FORMATS, LAYOUTS, generate

    heading = f"{'layout':10} {'mean ms':>8} {'max ms':>7}"
    if len(parsers) > 1:
        heading = f"{'layout':10} {'mean ms':>8} {'base':>8} {'share':>6} {'max ms':>8} {'base':>8} {'share':>6}"
    print(f"\n{heading}   ({count} reports of each format, {runs} runs each)")
    means: list[list[float]] = []
    for layout in LAYOUTS:
        medians: list[list[float]] = [[] for _ in parsers]
        for fmt in FORMATS:
            for seed in range(count):
                report = generate(seed, layout, fmt)
                for taken, times in zip(medians, timings(parsers, report.data, report.name, runs)):
                    taken.append(statistics.median(times))
        means.append([statistics.mean(m) for m in medians])
        if len(parsers) > 1:
            print(f"{layout:10} {_beside(means[-1])} {_beside([max(m) for m in medians])}")
        else:
            print(f"{layout:10} {means[-1][0]:8.2f} {max(medians[0]):7.2f}")
    print(f"{'all':10} {_beside([statistics.mean(m) for m in zip(*means)])}")


def pad(text: str, width: int) -> str:
    """Left-align mixed Chinese and ASCII text in a monospace column."""
    return text + " " * (width - display_width(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=SAMPLES)
    parser.add_argument("--runs", type=int, default=50, help="timed parses per file (default 50)")
    parser.add_argument("--generated", type=int, default=3,
                        help="generated reports per layout and format (default 3; 0 for none)")
    parser.add_argument("--baseline", metavar="REV", help="also time the parser of this git revision, in turn")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        parsers: list[Parse] = [parse_bytes]
        if args.baseline:
            parsers.append(baseline_parser(args.baseline, Path(folder)))
        medians = measure(parsers, args)

    slow = [name for name, ms in medians.items() if ms >= TARGET_MS]
    slowest = max(medians, key=medians.get)
    if slow:
        print(f"verdict: MISSED, {len(slow)} of {len(medians)} over {TARGET_MS:g} ms median: {', '.join(slow)}")
        return 1
    print(f"verdict: MET, all {len(medians)} under {TARGET_MS:g} ms median "
          f"(slowest {slowest}, {medians[slowest]:.2f} ms)")
    return 0


def measure(parsers: list[Parse], args: argparse.Namespace) -> dict[str, float]:
    """Print the figures of the samples and the generated reports; this parser's median per sample."""
    total = "total (one parse of each)"
    width = max(display_width(name) for name in [total, *(p.name for p in args.files)])
    columns = "median ms  p95 ms" + ("      base  share" if len(parsers) > 1 else "")
    print(f"{pad('report', width)}  {columns}   ({args.runs} runs each, after 1 warm-up)")
    medians: list[dict[str, float]] = [{} for _ in parsers]
    for path in args.files:
        times = timings(parsers, path.read_bytes(), str(path), args.runs)
        for found, taken in zip(medians, times):
            found[path.name] = statistics.median(taken)
        mine = times[0]
        p95 = statistics.quantiles(mine, n=20)[-1] if len(mine) > 1 else mine[0]
        line = f"{pad(path.name, width)}  {medians[0][path.name]:9.2f}  {p95:6.2f}"
        if len(parsers) > 1:
            line += f"  {medians[1][path.name]:8.2f} {medians[0][path.name] / medians[1][path.name]:6.2f}"
        print(line)
    sums = [sum(found.values()) for found in medians]
    line = f"{pad(total, width)}  {sums[0]:9.2f}"
    print(line + (f"          {sums[1]:8.2f} {sums[0] / sums[1]:6.2f}" if len(parsers) > 1 else ""))

    if args.generated:
        generated(parsers, args.generated, args.runs)
    return medians[0]


if __name__ == "__main__":
    sys.exit(main())
