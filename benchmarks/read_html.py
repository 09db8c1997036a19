"""How fast web pages are read: parse time per report, beside what lxml alone takes on the same page.

Not a test: timings belong to the machine they were taken on. For each page, after one untimed read,
``--runs`` timed runs of three things, median milliseconds of each:

- ``parse``: the whole of ``engine.parse.parse_bytes`` (charset, reader, tables, sections, contact);
- ``reader``: the web page reader alone (:class:`engine.parse.readers.html.HtmlReader`);
- ``lxml``: the baseline, ``lxml.html.fromstring(page).text_content()`` on the same bytes, which is
  what any lxml-based reading costs at the least.

    python benchmarks/read_html.py [PAGE ...] [--runs 50]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import lxml.html

from engine.parse import parse_bytes
from engine.parse.readers.html import HtmlReader
from read_pdf import median_ms  # this folder is on the path when run as a script

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "tests" / "samples" / "fixtures" / "html").glob("*.html"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path, default=PAGES)
    parser.add_argument("--runs", type=int, default=50, help="timed runs of each (default 50)")
    args = parser.parse_args(argv)

    width = max(len(p.name) for p in args.pages)
    print(f"{'page':<{width}}  {'KB':>5}  parse ms  reader ms  lxml ms   (median of {args.runs} runs, after 1 warm-up)")
    for page in args.pages:
        data = page.read_bytes()
        parse = median_ms(lambda: parse_bytes(data, page.name), args.runs)
        reader = median_ms(lambda: HtmlReader().read(data, page.name), args.runs)
        baseline = median_ms(lambda: lxml.html.fromstring(data).text_content(), args.runs)
        print(f"{page.name:<{width}}  {len(data) / 1024:5.1f}  {parse:8.2f}  {reader:9.2f}  {baseline:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
