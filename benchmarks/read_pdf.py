"""How fast PDFs are read, per page, beside what pdfplumber costs on the same pages in the same run:
its bare ``extract_text()``, and its reading of the characters and tables the reader works from (how
the reader read every page before PDFium, and still reads a page PDFium's positions were not checked
for); target of issue 7: a 6-page text PDF (huaian-2024) parsed in under 150 ms.

Not a test: timings belong to the machine they were taken on. Each file is read once to warm up, then
``--runs`` times; medians are shown. ``where the time goes`` splits a reading into the structure check
(pdfminer's parser, no content interpreted), PDFium's reading of the pages (characters, paths, table
finding), the reader's layout and the parser. Exit status 1 when the target is missed.

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
from engine.parse.readers.pdf_check import check
from engine.parse.readers.pdf_pages import load, pdfplumber_pages

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=SAMPLES)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per file (default 5)")
    args = parser.parse_args(argv)

    print(f"{'file':18} pages   extract_text ms/page   pdfplumber pages ms/page   reader ms/page   "
          f"parse ms/page   parse ms   ({args.runs} runs each, medians)")
    totals = {}
    for path in args.files:
        data = path.read_bytes()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        baseline = median_ms(lambda: bare_text(data), args.runs)
        plumbed = median_ms(lambda: list(pdfplumber_pages(data, list(range(1, pages + 1)))), args.runs)
        reader = median_ms(lambda: pdf_document(data), args.runs)
        whole = median_ms(lambda: parse_bytes(data, path.name), args.runs)
        totals[path.name] = whole
        print(f"{path.name:18} {pages:5}   {baseline / pages:20.1f}   {plumbed / pages:24.1f}   "
              f"{reader / pages:14.1f}   {whole / pages:13.1f}   {whole:8.1f}")
        structure = median_ms(lambda: check(data), args.runs)
        loaded = median_ms(lambda: load(data), args.runs)
        document = pdf_document(data)
        parse = median_ms(lambda: parse_document(document, path.name), args.runs)
        print(f"{'':18} where the time goes: structure check {structure:.0f} ms, PDFium pages "
              f"{max(0.0, loaded - structure):.0f} ms, layout {max(0.0, reader - loaded):.0f} ms, parser {parse:.0f} ms")

    name, target = TARGET
    if name not in totals:
        return 0
    verdict = "MET" if totals[name] < target else "MISSED"
    print(f"verdict: {verdict}, {name} parsed in {totals[name]:.0f} ms (target {target:g} ms)")
    return 0 if verdict == "MET" else 1


if __name__ == "__main__":
    sys.exit(main())
