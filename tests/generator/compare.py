"""What a parsed :class:`engine.model.Report` gets wrong against a generated report's expectation.

Returns every difference as one readable line, so that a failing property test shows them all (not
the first only) and the rule tests and benchmarks can reuse the same check.
"""
from __future__ import annotations

from decimal import Decimal

from engine.model import Report

from .document import Expected


def _value_problem(expected: object, cell: object, kind: str) -> str | None:
    if cell is None:
        return "not read (None)"
    actual = cell.value
    if expected is None:
        return None if actual is None else f"blank expected, read {actual!r}"
    if actual is None:
        return f"read as blank, expected {expected!r}"
    if kind == "amount":
        if not isinstance(actual, (int, Decimal)) or isinstance(actual, bool) or actual != expected:
            return f"expected {expected!r}, read {actual!r}"
        return None
    if type(actual) is not int or actual != expected:
        return f"expected {expected!r}, read {actual!r}"
    return None


def differences(expected: Expected, report: Report) -> list[str]:
    """Every way ``report`` differs from ``expected``; empty when it read exactly what was written."""
    problems = []
    for name in ("body", "year", "format"):
        if getattr(report, name) != getattr(expected, name):
            problems.append(f"{name}: expected {getattr(expected, name)!r}, read {getattr(report, name)!r}")
    sections = tuple(s.number for s in report.sections)
    if sections != expected.sections:
        problems.append(f"sections: expected {expected.sections}, read {sections}")
    for key, want in expected.tables.items():
        table = report.tables.get(key)
        if table is None:
            problems.append(f"表{key}: no table in the report (missing rows expected: {len(want.missing_rows)})")
            continue
        if sorted(table.missing_rows) != sorted(want.missing_rows):
            problems.append(f"表{key} missing_rows: expected {list(want.missing_rows)}, read {table.missing_rows}")
        if sorted(table.unreadable_rows) != sorted(want.unreadable_rows):
            problems.append(f"表{key} unreadable_rows: expected {list(want.unreadable_rows)}, "
                            f"read {table.unreadable_rows}")
        for row in [*want.missing_rows, *want.unreadable_rows]:
            if row in table.rows and any(table.cell(row, c) is not None for c in table.columns):
                problems.append(f"表{key} {row}: cells read from a row that is not in the text")
        for (row, column), value in want.cells.items():
            if row not in table.rows or column not in table.columns:
                problems.append(f"表{key} [{row} / {column}]: no such cell in the table")
                continue
            problem = _value_problem(value, table.cell(row, column), want.kinds[column])
            if problem:
                problems.append(f"表{key} [{row} / {column}]: {problem}")
    contact = {kind: located.value for kind, located in report.contact.items()}
    if contact != expected.contact:
        problems.append(f"contact: expected {expected.contact}, read {contact}")
    period = (report.period.start, report.period.end) if report.period else None
    if period != expected.period:
        problems.append(f"period: expected {expected.period}, read {period}")
    return problems
