"""Rule-evaluation time per report: the whole rule set on each sample and on generated reports.

    python benchmarks/rule_speed.py [--rounds N] [--generated N]

Parsing is not timed (see parse_speed.py): each report is parsed once, then audited ``--rounds`` times
with the rules compiled onto durable-rules once, as ``ogi-audit audit`` does. Target: under 5 ms per
report for the whole rule set.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import RULES_DIR  # noqa: E402
from engine.parse import parse_file, parse_text  # noqa: E402
from engine.rules import load_engine  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--generated", type=int, default=20)
    args = parser.parse_args(argv)
    engine = load_engine(RULES_DIR)
    reports = [(path.name, parse_file(path)) for path in sorted((ROOT / "reports").glob("*.txt"))]
    from tests.generator import generate_reports
    reports += [(item.name, parse_text(item.text, item.name)) for item in generate_reports(args.generated)]
    print(f"{len(engine.rules)} rules; {args.rounds} rounds per report")
    times = []
    for name, report in reports:
        engine.audit(report)
        runs = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            engine.audit(report)
            runs.append(time.perf_counter() - start)
        times.append(statistics.median(runs))
        print(f"{times[-1] * 1000:7.2f} ms  {name}")
    print(f"median {statistics.median(times) * 1000:.2f} ms, slowest {max(times) * 1000:.2f} ms per report "
          f"(target < 5 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
