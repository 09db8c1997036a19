"""What a clean report says in words that rules read back (wording/narrative.yaml), and only what is true:

- a list of counts after a total ("公开政府信息13条，其中部门文件4件，政策解读5件；…"), its items drawn,
  the total their sum, separated by 、，； (one throughout, or 、 within groups), words before or after
  the number, notes in brackets, a clause that is no item after it (NAR-002);
- table 四 in words, as 淮安市 2024 writes it: totals and items are the table's own (NAR-006, 007, 002);
- a denial of applications (NAR-001) only when table 三 has no new application: a report that is to
  deny and has some carries them over from last year instead (:func:`.values.without_new_applications`);
- sentences that deny something else (complaints, appeals, a legal person's application), each only where
  it is true, which no rule may read as a denial of applications.

Drawn on a stream of their own, so that adding a wording leaves every other draw as it was.
"""
from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .values import row_total, table_facts, without_new_applications

if TYPE_CHECKING:
    from .spec import ReportSpec

APPLICATIONS = "三"
APPEALS = "四"


def _say(spec: ReportSpec, number: str, sentence: str) -> None:
    next(s for s in spec.sections if s.number == number).paragraphs.append(sentence)


def _joined(rng: random.Random, items: list[str], words: dict) -> str:
    """Items separated by one separator throughout, or by 、 in groups and ；/， between groups."""
    if len(items) < 4 or rng.random() < 0.6:
        return rng.choice(words["list_separators"]).join(items)
    cut = rng.randint(2, len(items) - 2)
    return rng.choice(words["list_group_separators"]).join(["、".join(items[:cut]), "、".join(items[cut:])])


def _list_sentence(rng: random.Random, year: int, words: dict) -> str:
    chosen = rng.sample(words["list_items"], rng.randint(2, min(6, len(words["list_items"]))))
    large = rng.random() < 0.2
    counts = [rng.randint(1, 3000 if large else 60) for _ in chosen]
    form = rng.choice(words["list_item_forms"])
    items = [form.format(label=label, unit=unit, n=n) for (label, unit), n in zip(chosen, counts)]
    if rng.random() < 0.25:
        which = rng.randrange(len(items))
        items[which] += rng.choice(words["list_notes"]).format(m=rng.randint(0, counts[which]))
    tail = rng.choice(words["list_tails"]).format(m=rng.randint(1, 99))
    # Reports often list only some kinds (其中政策解读45条、图解12条): less than the total is no error.
    unlisted = rng.randint(1, 50) if rng.random() < 0.3 else 0
    return rng.choice(words["list_sentences"]).format(
        year=year, total=sum(counts) + unlisted, opener=rng.choice(words["list_openers"]), items=_joined(rng, items, words),
        tail=tail)


def _appeal_sentence(rng: random.Random, spec: ReportSpec, words: dict) -> str | None:
    """Table 四 in words: 行政复议 by result, then 行政诉讼 (both of its rows) by result."""
    table = spec.fmt.tables[APPEALS]
    totals = row_total(table)
    cells = spec.tables[APPEALS]
    appeal_row = table.row("复议").label
    suit_rows = [table.row(r).label for r in ("直接起诉", "复议后起诉")]
    appeals = cells[appeal_row][totals.total]
    suits = {p: sum(cells[r][p] for r in suit_rows) for p in totals.parts}
    if not appeals:
        return None
    appeal_items = "，".join(f"{p}{cells[appeal_row][p]}件" for p in totals.parts)
    suit_items = "，".join(f"{p}{suits[p]}件" for p in totals.parts)
    templates = words["appeal_sentences"]
    template = templates[0] if sum(suits.values()) and rng.random() < 0.6 else templates[1]
    return template.format(appeals=appeals, appeal_items=appeal_items, suits=sum(suits.values()),
                           suit_items=suit_items)


def _new_applications(spec: ReportSpec) -> dict[str, int]:
    table = spec.fmt.tables[APPLICATIONS]
    return spec.tables[APPLICATIONS][table.row(table_facts()[APPLICATIONS]["balance"]["incoming"][0]).label]


def narrate(rng: random.Random, spec: ReportSpec, words: dict) -> None:
    """Add the claims of this module to ``spec``'s narrative, its tables made to bear them out."""
    if rng.random() < 0.5:
        _say(spec, rng.choice(["一", "二"]), _list_sentence(rng, spec.year, words))
    if rng.random() < 0.4 and (appeal := _appeal_sentence(rng, spec, words)):
        _say(spec, APPEALS, appeal)
    table = spec.fmt.tables[APPLICATIONS]
    new = _new_applications(spec)
    total = row_total(table).total
    if (new[total] == 0 and rng.random() < 0.6) or rng.random() < 0.12:
        without_new_applications(table, spec.tables[APPLICATIONS])
        _say(spec, rng.choice(["一", "三"]), rng.choice(words["denials"]).format(year=spec.year))
    others = words["other_denials"]
    if rng.random() < 0.3:
        _say(spec, "三", rng.choice(others["complaints"]))
    appeals = spec.fmt.tables[APPEALS]
    if spec.tables[APPEALS][appeals.row("复议").label][row_total(appeals).total] == 0 and rng.random() < 0.3:
        _say(spec, APPEALS, rng.choice(others["appeals"]))
    natural = row_total(table).parts[0]
    if new[total] and new[total] == new[natural] and rng.random() < 0.5:
        _say(spec, "三", rng.choice(others["legal_persons"]))


def claims_hold(spec: ReportSpec, words: dict) -> None:
    """Drop the denials table 三 no longer bears out, once its figures were changed after the narrative
    was drawn (the next year's figures continuing the prior report's, :func:`.pairs.following_year`)."""
    new = _new_applications(spec)
    totals = row_total(spec.fmt.tables[APPLICATIONS])
    untrue: set[str] = set()
    if new[totals.total]:
        untrue |= {d.format(year=spec.year) for d in words["denials"]}
    if any(new[p] for p in totals.parts[1:]):
        untrue |= set(words["other_denials"]["legal_persons"])
    for section in spec.sections:
        section.paragraphs = [p for p in section.paragraphs if p not in untrue]
