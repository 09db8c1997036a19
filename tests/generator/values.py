"""Random table values that a valid report could hold.

Tables 三 and 四 satisfy the identities of ``tables.yaml`` (row 总计 = its parts; 一 + 二 = （七）总计
+ 四; （七）总计 = every result row); section-二 tables hold plausible numbers of the kind each column
declares in the format (count, signed 本年增/减, exact decimal amount). Most reports are small with many
zeros, some are large (3001 applications), some all zero, as in the samples.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from engine.formats import Format, TableSpec

PROFILES = ("zero", "small", "large")


@cache
def table_facts() -> dict:
    """tables.yaml: identities, prior-year links, truncation and caption facts, by table key."""
    return yaml.safe_load((Path(__file__).parent / "tables.yaml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class RowTotal:
    """In every row of a table: column ``total`` = the sum of columns ``parts``."""

    total: str
    parts: tuple[str, ...]


def row_total(spec: TableSpec) -> RowTotal | None:
    """The row-total identity of a table, with official column labels, if the table has one."""
    rule = table_facts().get(spec.key, {}).get("row_total")
    if rule is None:
        return None
    return RowTotal(spec.column(rule["total"]).label, tuple(spec.column(p).label for p in rule["parts"]))


def balance(spec: TableSpec) -> tuple[list[str], list[str], str, list[str]]:
    """Table 三's column identities: (incoming rows, outgoing rows, results total row, result rows)."""
    rule = table_facts()[spec.key]
    incoming = [spec.row(n).label for n in rule["balance"]["incoming"]]
    outgoing = [spec.row(n).label for n in rule["balance"]["outgoing"]]
    total = spec.row(rule["results"]["total"]).label
    results = [r.label for r in spec.rows if rule["results"]["group"] in r.parents and r.label != total]
    return incoming, outgoing, total, results


def _count(rng: random.Random, profile: str, scale: int) -> int:
    if profile == "zero" or rng.random() < (0.75 if profile == "small" else 0.4):
        return 0
    if profile == "small":
        return rng.randint(1, 8)
    return min(int(rng.paretovariate(1.1) * scale) - scale + 1, 50 * scale) if scale > 1 else rng.randint(1, 9)


def _applications(rng: random.Random, spec: TableSpec, profile: str) -> dict[str, dict[str, int]]:
    totals = row_total(spec)
    incoming, outgoing, results_total, results = balance(spec)
    new, carried_in = incoming
    carried_out = outgoing[1]
    cells: dict[str, dict[str, int]] = {r: {} for r in spec.row_labels}
    for index, column in enumerate(totals.parts):
        # The first applicant column (natural persons) takes the bulk, as in real reports.
        scale = 120 if index == 0 else 3
        for row in results:
            cells[row][column] = _count(rng, profile, scale)
        done = sum(cells[row][column] for row in results)
        cells[results_total][column] = done
        cells[carried_out][column] = _count(rng, profile, max(scale // 4, 1))
        available = done + cells[carried_out][column]
        cells[carried_in][column] = 0 if rng.random() < 0.6 else rng.randint(0, available)
        cells[new][column] = available - cells[carried_in][column]
    unassigned = [r for r in spec.row_labels if len(cells[r]) != len(totals.parts)]
    assert not unassigned, f"tables.yaml leaves rows of table 三 without values: {unassigned}"
    for row in cells.values():
        row[totals.total] = sum(row[p] for p in totals.parts)
    return {r: {c: cells[r][c] for c in spec.column_labels} for r in spec.row_labels}


def without_new_applications(spec: TableSpec, cells: dict[str, dict[str, int]]) -> None:
    """Table 三 with no new application (for a report that says it received none): what was new this
    year is carried over from last year instead, so every row total and 一 + 二 = （七）总计 + 四 still hold."""
    new, carried_in = balance(spec)[0]
    for column, value in cells[new].items():
        cells[carried_in][column] += value
        cells[new][column] = 0


def _litigation(rng: random.Random, spec: TableSpec, profile: str) -> dict[str, dict[str, int]]:
    totals = row_total(spec)
    cells = {}
    for row in spec.row_labels:
        values = {p: _count(rng, profile, 2) for p in totals.parts}
        values[totals.total] = sum(values.values())
        cells[row] = {c: values[c] for c in spec.column_labels}
    return cells


def _plain(rng: random.Random, spec: TableSpec, profile: str) -> dict[str, dict[str, int | Decimal]]:
    """A section-二 table: no identity, values of the kind each column declares."""
    def value(kind: str) -> int | Decimal:
        if kind == "signed":
            return 0 if rng.random() < 0.4 else rng.choice([-1, 1]) * rng.randint(1, 60)
        if kind == "amount":
            if profile == "zero" or rng.random() < 0.3:
                return 0
            places = rng.choice([0, 1, 2, 2])
            return Decimal(rng.randint(1, 10_000_000)).scaleb(-places)
        return _count(rng, "small" if profile == "zero" else profile, 2000)
    return {r: {c.label: value(c.kind) for c in spec.columns} for r in spec.row_labels}


def random_tables(rng: random.Random, fmt: Format) -> dict[str, dict[str, dict[str, int | Decimal]]]:
    """Values for every table of ``fmt``, valid under the identities."""
    profile = rng.choices(PROFILES, weights=(2, 5, 2))[0]
    return {key: _maker(key)(rng, spec, profile) for key, spec in fmt.tables.items()}


def _maker(key: str):
    """Which identities a table obeys decides how its values are made."""
    rule = table_facts().get(key, {})
    return _applications if "balance" in rule else _litigation if "row_total" in rule else _plain
