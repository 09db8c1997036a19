"""The sample reports against what a person read from them.

Each ``tests/samples/*.yaml`` holds the values of one sample as read by hand from its text (see
``tests/samples/README.md``): body, year, format, section headings, every cell of tables 三 and 四 and
of the section 二 tables, contact details and statistical period. They are the ground truth; nothing
here derives an expected value from engine code. The format dictionaries are used only to check that
the expectation files name every official row and column, so a typo in a label cannot hide a cell.

The parser's result, read through the model (``parse_file``) and through ``ogi-audit parse --json``,
is turned into one plain :class:`Reading` and compared with the expectations; every difference is
collected and reported at once, named by table, row and column.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from engine.formats import Format, load_formats
from engine.model import Report
from engine.parse import parse_file
from engine.yamlsource import Node, load

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "tests" / "samples").glob("*.yaml"))
CONTACT_KINDS = ("address", "postcode", "phone", "fax", "email", "website")
#: The sample whose ``ogi-audit parse --json`` output is checked: it has signed values, an amount
#: with its unit in the cell, blank cells, contact details and a period.
JSON_SAMPLE = ROOT / "tests" / "samples" / "2020-银川市金凤区.yaml"

Value = int | Decimal | None
#: Stands for a cell the parser did not read (row missing or unreadable), as opposed to a blank cell.
NOT_READ: Any = object()


@dataclass
class TableReading:
    columns: list[str]
    rows: list[str]
    cells: dict[tuple[str, str], Any]  # (row, column) → int | Decimal | None (blank) | NOT_READ
    missing_rows: list[str]
    unreadable_rows: list[str] = field(default_factory=list)


@dataclass
class Reading:
    """What a parser read from one report, independent of how it was delivered (model or JSON)."""

    body: str | None
    year: int | None
    format: str | None
    sections: list[tuple[str, int]]
    contact: dict[str, str]
    period: tuple[date | None, date | None] | None
    tables: dict[str, TableReading]


def reading_from_report(report: Report) -> Reading:
    tables = {}
    for name, table in report.tables.items():
        cells = {}
        for row in table.rows:
            for column in table.columns:
                cell = table.cell(row, column)
                cells[row, column] = NOT_READ if cell is None else cell.value
        tables[name] = TableReading(table.columns, table.rows, cells, list(table.missing_rows),
                                    list(table.unreadable_rows))
    period = None if report.period is None else (report.period.start, report.period.end)
    return Reading(report.body, report.year, report.format,
                   [(s.number, s.line) for s in report.sections],
                   {kind: located.value for kind, located in report.contact.items()}, period, tables)


def reading_from_json(data: dict[str, Any]) -> Reading:
    tables = {}
    for name, table in data["tables"].items():
        cells: dict[tuple[str, str], Any] = {(r, c): NOT_READ for r in table["rows"] for c in table["columns"]}
        for cell in table["cells"]:
            if cell["row"] not in table["missing_rows"]:
                cells[cell["row"], cell["column"]] = cell["value"]
        tables[name] = TableReading(table["columns"], table["rows"], cells, table["missing_rows"])
    period = data["period"]
    if period is not None:
        period = tuple(None if period[end] is None else date.fromisoformat(period[end])
                       for end in ("start", "end"))
    return Reading(data["body"], data["year"], data["format"],
                   [(s["number"], s["line"]) for s in data["sections"]],
                   {kind: item["value"] for kind, item in data["contact"].items()}, period, tables)


def expected_value(written: Any) -> Value:
    """Counts are written as YAML integers, amounts as strings ("9114.72") so that they stay exact."""
    return Decimal(written) if isinstance(written, str) else written


def same_value(expected: Value, actual: Any) -> bool:
    """Exact equality of kind and value: a count must be an int, an amount exact (never a float)."""
    if expected is None or actual is None:
        return expected is actual
    if isinstance(expected, Decimal):
        return isinstance(actual, (int, Decimal)) and not isinstance(actual, bool) and actual == expected
    return type(actual) is int and actual == expected


_DASHES = str.maketrans({dash: "-" for dash in "—–‐‑−"})


def contact_form(text: str) -> str:
    """Contact values compared without the surface differences a reader may fairly normalise: width,
    white space (PDF text breaks 淮安市翔宇南道 1 号), dash style, wrapping brackets, a closing slash."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(_DASHES))
    return text.strip("<>()（）;；,，。").rstrip("/")


def show(value: Any) -> str:
    return "blank" if value is None else f"{value!r}"


def compare(expected: Node, reading: Reading, where: str) -> list[str]:
    """Every difference between an expectation file and a reading, one line each."""
    problems = []
    for name in ("body", "year", "format"):
        if getattr(reading, name) != expected[name]:
            problems.append(f"{name}: expected {expected[name]!r}, read {getattr(reading, name)!r}")

    sections = list(expected["sections"].items())
    if reading.sections != sections:
        problems.append(f"sections (number, line): expected {sections}, read {reading.sections}")

    for kind in CONTACT_KINDS:
        want, got = expected["contact"].get(kind), reading.contact.get(kind)
        if want is None and got is not None:
            problems.append(f"contact {kind}: the report states none, read {got!r}")
        elif want is not None and (got is None or contact_form(got) != contact_form(want)):
            problems.append(f"contact {kind}: expected {want!r}, read {got!r}")
    unknown = set(reading.contact) - set(CONTACT_KINDS)
    if unknown:
        problems.append(f"contact: kinds outside {CONTACT_KINDS}: {sorted(unknown)}")

    period = expected["period"]
    want_period = None if period is None else (period["start"], period["end"])
    if reading.period != want_period:
        problems.append(f"period: expected {want_period}, read {reading.period}")

    for name, spec in expected["tables"].items():
        problems += compare_table(name, spec, reading.tables.get(name), where)
    for name, table in reading.tables.items():
        if name not in expected["tables"] and len(table.missing_rows) < len(table.rows):
            problems.append(f"table {name}: read, but the report's format has no such table")
    return problems


def compare_table(name: str, spec: Node, table: TableReading | None, where: str) -> list[str]:
    missing = list(spec.get("missing", []))
    if table is None:
        # A table wholly absent from the text may be recorded either way: absent, or all rows missing.
        present = list(spec["rows"])
        return [f"table {name}: not in the reading, but the text has rows {present}"] if present else []
    problems = []
    if table.columns != spec["columns"]:
        problems.append(f"table {name}: columns {table.columns}, expected {spec['columns']}")
    for row, written in spec["rows"].items():
        line = spec["rows"].where(row, value=True).line
        if row not in table.rows:
            problems.append(f"{name} {row}: no such row in the reading ({where}:{line})")
            continue
        if row in table.missing_rows or row in table.unreadable_rows:
            kind = "missing" if row in table.missing_rows else "unreadable"
            problems.append(f"{name} {row}: recorded {kind}, but the text has it ({where}:{line})")
        for column, raw in zip(spec["columns"], written):
            want = expected_value(raw)
            got = table.cells.get((row, column), NOT_READ)
            if got is NOT_READ or not same_value(want, got):
                problems.append(f"{name} {row} / {column}: expected {show(want)}, read "
                                f"{'nothing' if got is NOT_READ else show(got)} ({where}:{line})")
    for row in missing:
        read = [table.cells.get((row, c), NOT_READ) for c in spec["columns"]]
        if row not in table.missing_rows:
            recorded = "recorded unreadable" if row in table.unreadable_rows else "not recorded missing"
            problems.append(f"{name} {row}: absent from the text, {recorded} "
                            f"(read {['nothing' if v is NOT_READ else show(v) for v in read]})")
        elif any(v is not NOT_READ for v in read):
            problems.append(f"{name} {row}: recorded missing but has cells {[show(v) for v in read]}")
    official = set(spec["rows"]) | set(missing)
    for row in sorted(set(table.rows) | set(table.missing_rows) | set(table.unreadable_rows)):
        if row not in official:
            problems.append(f"{name} {row}: not an official row of this table")
    return problems


def expectations(path: Path) -> Node:
    return load(path, display=str(path.relative_to(ROOT)))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_expectation_file_names_every_official_cell(path: Path) -> None:
    """The hand-written file itself: every table of its format, every official row exactly once
    (present or missing), the official columns in order, one value per column of int, decimal
    string or null. Without this a misspelt label would silently drop a cell from the comparison."""
    expected = expectations(path)
    fmt: Format = load_formats()[expected["format"]]
    assert (ROOT / expected["source"]).is_file()
    assert set(expected["tables"]) == set(fmt.tables)
    assert set(expected["contact"]) <= set(CONTACT_KINDS)
    assert list(expected["sections"]) == [s.number for s in fmt.sections if s.number in expected["sections"]]
    for name, spec in expected["tables"].items():
        table = fmt.tables[name]
        assert spec["columns"] == table.column_labels, name
        written = list(spec["rows"]) + list(spec.get("missing", []))
        assert sorted(written) == sorted(table.row_labels), name
        for row, values in spec["rows"].items():
            assert len(values) == len(table.columns), (name, row)
            for value in values:
                assert value is None or type(value) is int or isinstance(value, str) and Decimal(value).is_finite(), (name, row, value)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_reads_as_checked_by_hand(path: Path) -> None:
    expected = expectations(path)
    reading = reading_from_report(parse_file(ROOT / expected["source"]))
    problems = compare(expected, reading, str(path.relative_to(ROOT)))
    assert not problems, f"{expected['source']}: {len(problems)} differences\n" + "\n".join(problems)


def test_parse_json_contract() -> None:
    """``ogi-audit parse FILE --json`` (issue 2, point 6): the model as one JSON object, with the same
    values as the model, exact decimals as JSON numbers and blank cells as null."""
    expected = expectations(JSON_SAMPLE)
    source = ROOT / expected["source"]
    done = subprocess.run([sys.executable, "-m", "engine.cli", "parse", str(source), "--json"],
                          cwd=ROOT, capture_output=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout, parse_float=Decimal)

    assert {"source", "body", "year", "format", "sections", "tables", "contact", "period",
            "warnings"} <= set(data)
    assert isinstance(data["source"], str) and Path(data["source"]).name == source.name
    assert isinstance(data["warnings"], list)
    lines = source.read_text(encoding="utf-8").splitlines()
    for section in data["sections"]:
        assert {"number", "title", "line"} <= set(section)
        assert section["title"] and section["title"] in lines[section["line"] - 1], section
    for name, table in data["tables"].items():
        assert {"rows", "columns", "cells", "missing_rows"} <= set(table), name
        for cell in table["cells"]:
            assert {"row", "column", "value", "line"} <= set(cell), cell
            if cell["value"] is not None:
                assert isinstance(cell["line"], int), (name, cell)
                digits = str(abs(cell["value"]))
                assert digits in lines[cell["line"] - 1].replace(",", ""), (name, cell)
    for kind, item in data["contact"].items():
        assert set(item) == {"value", "line"} and item["line"] == 7, (kind, item)
    assert data["period"] == {"start": "2020-01-01", "end": "2020-12-31", "line": 7}
    amount = next(c["value"] for c in data["tables"]["二(九)"]["cells"]
                  if (c["row"], c["column"]) == ("政府集中采购", "采购总金额"))
    assert isinstance(amount, Decimal) and str(amount) == "9114.72"

    problems = compare(expected, reading_from_json(data), str(JSON_SAMPLE.relative_to(ROOT)))
    assert not problems, f"parse --json: {len(problems)} differences\n" + "\n".join(problems)
