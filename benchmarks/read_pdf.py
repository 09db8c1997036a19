"""How fast PDFs are read, per page, beside what pdfplumber's bare ``extract_text()`` of the same pages
costs in the same run; target of issue 7: a 6-page text PDF (huaian-2024) parsed in under 150 ms.

Not a test: timings belong to the machine they were taken on. Each file is read once to warm up, then
``--runs`` times; medians are shown. ``where the time goes`` splits one reading into pdfminer's
interpretation of the pages' content (what pdfplumber's ``chars`` waits for), table finding, and the
rest (the reader's layout and the parser). Exit status 1 when the target is missed.

    python benchmarks/read_pdf.py [FILE.pdf ...] [--runs 5]
"""
from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from engine.parse import parse_bytes, parse_document
from engine.parse.readers.pdf import pdf_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "tests" / "samples" / "pdf").glob("*.pdf"))
TARGET = ("huaian-2024.pdf", 150.0)


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def bare_text(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def split(data: bytes) -> tuple[float, float]:
    """Milliseconds of one reading spent interpreting the pages' content and finding tables."""
    interpret = tables = 0.0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            start = time.perf_counter()
            page.chars
            middle = time.perf_counter()
            page.find_tables()
            tables += time.perf_counter() - middle
            interpret += middle - start
    return interpret * 1000, tables * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=SAMPLES)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per file (default 5)")
    args = parser.parse_args(argv)

    print(f"{'file':18} pages   extract_text ms/page   reader ms/page   parse ms/page   parse ms   "
          f"({args.runs} runs each, medians)")
    totals = {}
    for path in args.files:
        data = path.read_bytes()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        baseline = median_ms(lambda: bare_text(data), args.runs)
        reader = median_ms(lambda: pdf_document(data), args.runs)
        whole = median_ms(lambda: parse_bytes(data, path.name), args.runs)
        totals[path.name] = whole
        print(f"{path.name:18} {pages:5}   {baseline / pages:20.1f}   {reader / pages:14.1f}   "
              f"{whole / pages:13.1f}   {whole:8.1f}")
        interpret, tables = split(data)
        document = pdf_document(data)
        parse = median_ms(lambda: parse_document(document, path.name), args.runs)
        print(f"{'':18} where the time goes: pdfminer interpreting pages {interpret:.0f} ms, find_tables "
              f"{tables:.0f} ms, layout {max(0.0, reader - interpret - tables):.0f} ms, parser {parse:.0f} ms")

    name, target = TARGET
    if name not in totals:
        return 0
    verdict = "MET" if totals[name] < target else "MISSED"
    print(f"verdict: {verdict}, {name} parsed in {totals[name]:.0f} ms (target {target:g} ms)")
    return 0 if verdict == "MET" else 1


if __name__ == "__main__":
    sys.exit(main())
