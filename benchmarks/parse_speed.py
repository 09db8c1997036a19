"""How fast the parser reads the sample reports, against the target of issue 2 (each under 20 ms), and
generated reports of every text layout (issue 10: a few ms a report, for 400 reports/s on two cores).

Not a test: timings belong to the machine they were taken on. They are CPU time of this process (the
machine is shared: wall-clock time would count the others' work). Each file is parsed once to warm up
(formats loaded, patterns compiled), then ``--runs`` times; the median is the verdict's measure and the
95th percentile shows the spread. Exit status 1 when a sample misses the target. Then, per layout of
the test generator, ``--generated`` reports of each format (seeds 0…), each parsed once to warm up and
``--runs`` times: the mean of their medians, and the slowest.

    python benchmarks/parse_speed.py [FILE ...] [--runs 50] [--generated 3]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.generator, when run as a script

from engine.parse import parse_bytes, parse_file  # noqa: E402
from engine.text import display_width  # noqa: E402
SAMPLES = [*sorted((ROOT / "reports").glob("*.txt")), ROOT / "tests" / "samples" / "fixtures" / "huaian-2024.pdf.txt"]
TARGET_MS = 20.0


def timings(path: Path, runs: int) -> list[float]:
    """Milliseconds of each of ``runs`` parses of ``path``, after one untimed parse."""
    parse_file(path)
    times = []
    for _ in range(runs):
        start = time.process_time()
        parse_file(path)
        times.append((time.process_time() - start) * 1000)
    return times


def generated(count: int, runs: int) -> None:
    """Per text layout: the mean and the largest median ms of ``count`` reports of each format."""
    from tests.generator import FORMATS, LAYOUTS, generate

    print(f"\n{'layout':10} {'mean ms':>8} {'max ms':>7}   ({count} reports of each format, {runs} runs each)")
    means = []
    for layout in LAYOUTS:
        medians = []
        for fmt in FORMATS:
            for seed in range(count):
                report = generate(seed, layout, fmt)
                parse_bytes(report.data, report.name)
                times = []
                for _ in range(runs):
                    start = time.process_time()
                    parse_bytes(report.data, report.name)
                    times.append((time.process_time() - start) * 1000)
                medians.append(statistics.median(times))
        means.append(statistics.mean(medians))
        print(f"{layout:10} {means[-1]:8.2f} {max(medians):7.2f}")
    print(f"{'all':10} {statistics.mean(means):8.2f}")


def pad(text: str, width: int) -> str:
    """Left-align mixed Chinese and ASCII text in a monospace column."""
    return text + " " * (width - display_width(text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=SAMPLES)
    parser.add_argument("--runs", type=int, default=50, help="timed parses per file (default 50)")
    parser.add_argument("--generated", type=int, default=3,
                        help="generated reports per layout and format (default 3; 0 for none)")
    args = parser.parse_args(argv)

    total = "total (one parse of each)"
    width = max(display_width(name) for name in [total, *(p.name for p in args.files)])
    print(f"{pad('report', width)}  median ms  p95 ms   ({args.runs} runs each, after 1 warm-up)")
    medians: dict[str, float] = {}
    for path in args.files:
        times = timings(path, args.runs)
        medians[path.name] = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        print(f"{pad(path.name, width)}  {medians[path.name]:9.2f}  {p95:6.2f}")
    print(f"{pad(total, width)}  {sum(medians.values()):9.2f}")

    if args.generated:
        generated(args.generated, args.runs)

    slow = [name for name, ms in medians.items() if ms >= TARGET_MS]
    slowest = max(medians, key=medians.get)
    if slow:
        print(f"verdict: MISSED, {len(slow)} of {len(medians)} over {TARGET_MS:g} ms median: {', '.join(slow)}")
        return 1
    print(f"verdict: MET, all {len(medians)} under {TARGET_MS:g} ms median "
          f"(slowest {slowest}, {medians[slowest]:.2f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
