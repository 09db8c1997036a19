"""Time per report of each export (findings.json, .csv, .xlsx, .sarif), side by side with a floor.

    python benchmarks/export_speed.py [--generated N] [--rounds N]

The batch is render_speed's: the samples and ``--generated`` text reports of the test generator (every
layout, both formats, each of its own seed), audited once (no history store). Each export's writer
(engine.render.outputs.EXPORTS) is opened on a new file, given every audit and closed, ``--rounds``
times after one untimed round; the figure is the median CPU time of a round over the reports. The exports are written by the
batch's own process while its workers render the pages (engine.render.write_outputs), so their cost a
report is what that process spends beside each page. The floor in the same run: the standard library's
C JSON encoder writing each report's findings object (engine.audit.audit_item) on one line, which any
export of the same findings costs at least.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.render_speed import audited, median_ms  # noqa: E402
from engine.audit import audit_item  # noqa: E402
from engine.render.outputs import EXPORTS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with audited(args.generated) as (folder, run, settings):
        count = len(run.audits)
        findings = sum(len(audit.findings) for audit in run.audits)

        def floor() -> None:
            with open(folder / "floor.json", "w", encoding="utf-8") as out:
                for audit in run.audits:
                    out.write(json.dumps(audit_item(audit), ensure_ascii=False, default=str) + "\n")

        def written(export) -> Callable[[], None]:
            def write() -> None:
                writer = export.open(folder / export.file, run, settings)
                for audit in run.audits:
                    writer.add(audit)
                writer.close()
            return write

        base = median_ms(floor, args.rounds) / count
        print(f"{count} reports, {findings} findings, {args.rounds} rounds; CPU ms a report (median round)")
        print(f"{base:8.3f} ms  floor: each report's findings object, C json encoder, one line")
        total = 0.0
        for export in EXPORTS:
            spent = median_ms(written(export), args.rounds) / count
            total += spent
            print(f"{spent:8.3f} ms  {export.file:<14} ({spent / base:5.1f}× the floor)")
        print(f"{total:8.3f} ms  every export ({1000 / total:.0f} reports/s in one process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
