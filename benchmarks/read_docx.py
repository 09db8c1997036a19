"""How fast a Word report is read, against the target of issue 7 (a .docx in under 50 ms).

Not a test: timings belong to the machine they were taken on. The report is the official 2021
template filled with a number in every cell (as ``tests/test_read_word.py`` fills it), read three ways
in the same run: the whole parse (``parse_bytes``: reader, tables, rules' facts not included), the
reader alone (``read_document``), and as a baseline python-docx's ``Document()`` load of the same
bytes, which only opens the package and parses its XML. Each is run once to warm up, then ``--runs``
times; the median is the verdict's measure. The machine's load is printed with the figures: other
work on it slows all three alike, so the baseline is the fair comparison. Exit status 1 when the parse
misses the target.

    python benchmarks/read_docx.py [--runs 50]
"""
from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

import docx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from engine.parse import parse_bytes  # noqa: E402
from engine.parse.readers import read_document  # noqa: E402
from read_pdf import median_ms  # noqa: E402  (this folder is on the path when run as a script)
from tests.test_read_word import TEMPLATE, fill_template  # noqa: E402

TARGET_MS = 50.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed reads of each kind (default 50)")
    args = parser.parse_args(argv)
    data = fill_template(TEMPLATE.read_bytes())
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"filled {TEMPLATE.name}: {len(data)} bytes; {args.runs} runs each, after 1 warm-up; "
          f"load average {load} on {os.cpu_count()} cores (wall-clock times grow with it)")
    print(f"{'':38} median ms")
    measured = {
        "parse_bytes (reader + parser)": median_ms(lambda: parse_bytes(data, "filled.docx"), args.runs),
        "read_document (reader alone)": median_ms(lambda: read_document(data, "filled.docx"), args.runs),
        "baseline: python-docx Document()": median_ms(lambda: docx.Document(io.BytesIO(data)), args.runs),
    }
    for name, median in measured.items():
        print(f"{name:38} {median:9.2f}")
    parse = measured["parse_bytes (reader + parser)"]
    verdict = "MET" if parse < TARGET_MS else "MISSED"
    print(f"verdict: {verdict}, {parse:.2f} ms per .docx report (target under {TARGET_MS:g} ms)")
    return 0 if parse < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
