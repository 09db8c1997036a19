"""Consecutive years of one body, for the prior-year rules.

:func:`following_year` gives the next year's valid report of the same body, in the format that year
must use, whose figures continue the prior report's as ``tables.yaml`` (``prior_year``) says:
this year's 上年结转 row is last year's 结转下年度继续办理 row, and the stock of 行政规范性文件 (现行有效件数)
is last year's plus this year's new less this year's repealed, where both formats have those columns.
A prior cell left blank breaks no link: the figure of this year is then left as drawn. The body goes by
the same name or, one year in two, by another name of its own (``wording/bodies.yaml``: 科技局 for
科学技术局, 来凤县 for 来凤县人民政府, 金凤区 for 银川市金凤区), as agencies write it.
"""
from __future__ import annotations

import random

from engine.formats import format_for_year

from .narration import claims_hold
from .spec import ReportSpec, random_spec, wording
from .values import row_total, table_facts


def following_year(prior: ReportSpec, seed: int | None = None, body: str | None = None) -> ReportSpec:
    """The next year's report of ``prior``'s body, valid, continuing its figures; ``body`` fixes the
    name it goes by (drawn from the body's names otherwise)."""
    year = prior.year + 1
    fmt = format_for_year(year)
    seed = prior.seed + 100_000 if seed is None else seed
    rng = random.Random(f"name:{prior.body}:{seed}")
    names = other_names(prior.body)
    body = body or (rng.choice(names) if names and rng.random() < 0.5 else prior.body)
    spec = random_spec(seed, fmt.name, blank_rate=0.0, year=year, body=body)
    for key, link in table_facts()["prior_year"].items():
        if key in spec.tables and key in prior.tables:
            carry = _carry_stock if "stock" in link else _carry_row
            carry(prior, spec, key, link)
    claims_hold(spec, wording())
    return spec


def _carry_row(prior: ReportSpec, spec: ReportSpec, key: str, link: dict[str, str]) -> None:
    table, before = spec.fmt.tables[key], prior.fmt.tables[key]
    carried_in, carried_out = table.row(link["this"]).label, before.row(link["prior"]).label
    rule = table_facts()[key]["balance"]
    new = table.row(rule["incoming"][0]).label
    outgoing = table.row(rule["outgoing"][1]).label
    totals = row_total(table)
    cells = spec.tables[key]
    for column in totals.parts:
        last = prior.tables[key][carried_out][column]
        if last is None:
            continue
        # Keep 一 + 二 = （七）总计 + 四: the difference goes into this year's new applications, or,
        # where those would go below zero, into what is carried forward.
        balance = cells[new][column] + cells[carried_in][column] - last
        cells[carried_in][column] = last
        cells[new][column] = max(balance, 0)
        cells[outgoing][column] += max(-balance, 0)
    for row in cells.values():
        row[totals.total] = sum(row[p] for p in totals.parts)


def _carry_stock(prior: ReportSpec, spec: ReportSpec, key: str, link: dict[str, str]) -> None:
    table, before = spec.fmt.tables[key], prior.fmt.tables[key]
    names = (link["stock"], link["added"], link["removed"])
    if not all(t.column(n) for t in (table, before) for n in names):
        return
    stock, added, removed = (table.column(n).label for n in names)
    stock_before = before.column(link["stock"]).label
    for row in table.rows:
        row_before = before.row(row.label)
        previous = prior.tables[key][row_before.label][stock_before] if row_before else None
        if previous is None:
            continue
        cells = spec.tables[key][row.label]
        cells[removed] = min(cells[removed], previous + cells[added])
        cells[stock] = previous + cells[added] - cells[removed]


def other_names(body: str) -> list[str]:
    """The other names ``body`` goes by: its office by another of its names (the government of a place
    as the place alone, except a 街道's, whose government is its 办事处), its place without the city."""
    words = wording()
    offices = {**words["office_names"], **{short: [full] for full, shorts in words["office_names"].items()
                                             for short in shorts if short}}
    office = max((o for o in offices if body.endswith(o)), key=len, default=None)
    place = body[:-len(office)] if office else body
    names = [place + name for name in offices.get(office, []) if name or not place.endswith("街道")]
    names += [short + body[len(place):] for short in words["place_names"].get(place, [])]
    return names
