"""Print one generated report: ``python -m tests.generator --layout pdf --format 2021 --seed 7``.

With ``--expected`` the reading the parser must give follows the text (after a line of ``=``)."""
from __future__ import annotations

import argparse
import sys

from . import FORMATS, LAYOUTS, generate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.generator", description=__doc__)
    parser.add_argument("--layout", choices=sorted(LAYOUTS), default="tab")
    parser.add_argument("--format", choices=FORMATS, default=FORMATS[-1])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--expected", action="store_true", help="also print the expected reading")
    args = parser.parse_args(argv)
    report = generate(args.seed, args.layout, args.format)
    sys.stdout.write(report.text)
    if args.expected:
        expected = report.expected
        print("=" * 40)
        print(report.describe())
        print(f"body={expected.body} year={expected.year} format={expected.format} sections={expected.sections}")
        print(f"contact={expected.contact} period={expected.period}")
        for key, table in expected.tables.items():
            print(f"表{key}: missing={list(table.missing_rows)} unreadable={list(table.unreadable_rows)}")
            for (row, column), value in table.cells.items():
                print(f"  {row} | {column} = {value!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
