"""How fast PDFs are read, per page, beside what pdfplumber costs on the same pages in the same run:
its bare ``extract_text()``, and its reading of the characters and tables the reader works from (how
the reader read every page before PDFium, and still reads a page PDFium's positions were not checked
for); target of issue 7: a 6-page text PDF (huaian-2024) parsed in under 150 ms.

Not a test: timings belong to the machine they were taken on. They are CPU time of this process (the
machine is shared: wall-clock time would count the others' work). Each file is read once to warm up,
then ``--runs`` times; medians are shown. ``where the time goes`` splits a reading into the structure
check (pdfminer's parser, no content interpreted), the pages (PDFium's reading: characters, paths,
table finding; pdfplumber's for the pages left to it), the reader's layout and the parser. Exit status
1 when the target is missed.

``--baseline REV`` times the reader of git revision REV beside this one, in the same process and run
for run in turn (its ``engine`` and ``rules`` exported and imported under another package name, as
benchmarks/parse_speed.py does): each figure is then followed by the baseline's and this reader's
share of it.

    python benchmarks/read_pdf.py [FILE.pdf ...] [--runs 5] [--baseline HEAD~2]
"""
from __future__ import annotations

import argparse
import importlib
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # benchmarks.parse_speed, when run as a script

from benchmarks.parse_speed import BASELINE_PACKAGE, baseline_parser  # noqa: E402
from engine.parse.readers.pdf_pages import pdfplumber_pages  # noqa: E402

SAMPLES = sorted((ROOT / "tests" / "samples" / "pdf").glob("*.pdf"))
TARGET = ("huaian-2024.pdf", 150.0)
#: The stages of a reading, as printed: the structure check and the parser timed alone, the pages and
#: the layout as what reading them adds to the stage before (medians less medians: noisy when small).
STAGES = ("structure check", "pages", "layout", "parser")


@dataclass(frozen=True)
class Reader:
    """One revision's PDF reading: the whole parse, and the calls that time its stages."""

    parse_bytes: Callable[[bytes, str], object]
    check: Callable[[bytes], object]
    load: Callable[[bytes], object]
    pdf_document: Callable[[bytes], object]
    parse_document: Callable[[object, str], object]


def reader(package: str) -> Reader:
    """The reader of the engine imported as ``package``."""
    def module(name: str) -> object:
        return importlib.import_module(f"{package}.{name}")

    parse = module("parse")
    return Reader(parse.parse_bytes, module("parse.readers.pdf_check").check, module("parse.readers.pdf_pages").load,
                  module("parse.readers.pdf").pdf_document, parse.parse_document)


def median_ms(work: Callable[[], object], runs: int) -> float:
    """The median wall-clock milliseconds of ``runs`` calls, after one untimed call (the Word and HTML
    benchmarks time their readers with it)."""
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cpu_ms(works: list[Callable[[], object]], runs: int) -> list[float]:
    """The median CPU milliseconds of each work, after one untimed call each; they take turns run for run."""
    for work in works:
        work()
    times: list[list[float]] = [[] for _ in works]
    for _ in range(runs):
        for work, taken in zip(works, times):
            start = time.process_time()
            work()
            taken.append((time.process_time() - start) * 1000)
    return [statistics.median(taken) for taken in times]


def bare_text(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def beside(figures: list[float]) -> str:
    """This reader's figure, and with a baseline its figure and the share (none of nothing: a stage
    is a difference of medians, and may come to nothing)."""
    text = f"{figures[0]:7.1f}"
    if len(figures) > 1:
        text += f" {figures[1]:7.1f} " + (f"{figures[0] / figures[1]:5.2f}" if figures[1] else "    -")
    return text


def stages(readers: list[Reader], data: bytes, name: str, runs: int) -> dict[str, list[float]]:
    """Each reader's milliseconds of the whole parse and of each stage."""
    check, load, document = (cpu_ms([lambda r=r: call(r)(data) for r in readers], runs)
                             for call in (lambda r: r.check, lambda r: r.load, lambda r: r.pdf_document))
    documents = [r.pdf_document(data) for r in readers]
    parser = cpu_ms([lambda r=r, d=d: r.parse_document(d, name) for r, d in zip(readers, documents)], runs)
    whole = cpu_ms([lambda r=r: r.parse_bytes(data, name) for r in readers], runs)
    return {"parse": whole, "structure check": check,
            "pages": [max(0.0, lo - c) for lo, c in zip(load, check)],
            "layout": [max(0.0, d - lo) for d, lo in zip(document, load)], "parser": parser}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=SAMPLES)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per file (default 5)")
    parser.add_argument("--baseline", metavar="REV", help="also time the reader of this git revision, in turn")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        readers = [reader("engine")]
        if args.baseline:
            baseline_parser(args.baseline, Path(folder))
            readers.append(reader(BASELINE_PACKAGE))
        totals = measure(readers, args)

    name, target = TARGET
    if name not in totals:
        return 0
    verdict = "MET" if totals[name] < target else "MISSED"
    print(f"verdict: {verdict}, {name} parsed in {totals[name]:.0f} ms of CPU (target {target:g} ms)")
    return 0 if verdict == "MET" else 1


def measure(readers: list[Reader], args: argparse.Namespace) -> dict[str, float]:
    """Print each file's figures; this reader's parse ms per file."""
    columns = "   (this, baseline, share)" if len(readers) > 1 else ""
    print(f"CPU ms, {args.runs} runs each, medians{columns}")
    totals = {}
    for path in args.files:
        data = path.read_bytes()
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
        [plain] = cpu_ms([lambda: bare_text(data)], args.runs)
        [plumbed] = cpu_ms([lambda: list(pdfplumber_pages(data, list(range(1, pages + 1))))], args.runs)
        figures = stages(readers, data, path.name, args.runs)
        totals[path.name] = figures["parse"][0]
        print(f"{path.name}: {pages} pages; pdfplumber extract_text {plain / pages:.1f} ms/page, "
              f"its characters and tables {plumbed / pages:.1f} ms/page")
        print(f"  parse            {beside(figures['parse'])}   ({figures['parse'][0] / pages:.1f} ms/page)")
        for stage in STAGES:
            print(f"  {stage:16} {beside(figures[stage])}")
    return totals


if __name__ == "__main__":
    sys.exit(main())
