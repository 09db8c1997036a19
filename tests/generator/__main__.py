"""Print one generated report: ``python -m tests.generator --layout pdf --format 2021 --seed 7``.

A file layout (docx, pdf_file, html_page) writes its file: ``-o case.docx``, or under the report's name
in the current folder. ``-o`` also saves a text layout's bytes in the spec's encoding. With
``--expected`` the reading the parser must give follows (after a line of ``=``)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import FILE_LAYOUTS, FORMATS, LAYOUTS, GeneratedReport, generate


def _print_expected(report: GeneratedReport) -> None:
    expected = report.expected
    print("=" * 40)
    print(report.describe())
    print(f"body={expected.body} year={expected.year} format={expected.format} sections={expected.sections}")
    print(f"contact={expected.contact} period={expected.period}")
    for key, table in expected.tables.items():
        print(f"表{key}: missing={list(table.missing_rows)} unreadable={list(table.unreadable_rows)}")
        for (row, column), value in table.cells.items():
            print(f"  {row} | {column} = {value!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.generator", description=__doc__)
    parser.add_argument("--layout", choices=sorted([*LAYOUTS, *FILE_LAYOUTS]), default="tab")
    parser.add_argument("--format", choices=FORMATS, default=FORMATS[-1])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, help="save the report's bytes here")
    parser.add_argument("--expected", action="store_true", help="also print the expected reading")
    args = parser.parse_args(argv)
    report = generate(args.seed, args.layout, args.format)
    output = args.output or (Path(report.name) if args.layout in FILE_LAYOUTS else None)
    if output is None:
        sys.stdout.write(report.text)
    else:
        output.write_bytes(report.data)
        print(f"wrote {output} ({len(report.data)} bytes)", file=sys.stderr)
    if args.expected:
        _print_expected(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
