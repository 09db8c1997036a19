"""Defects injected into a valid spec, each recorded, for the rule tests.

Every function takes a spec and returns an edited copy (the original stays valid) whose ``defects``
list says what was changed, from what to what. Rows and columns may be named by official label, short
name or alias, as in the rules (``set_cell(spec, "三", "本年新收", "总计", 5)``). Render the result
with :func:`tests.generator.render`. The expected reading follows the edited spec, so the parser test
holds for defective reports too; what the rules must find is the ``defects`` list.
"""
from __future__ import annotations

import copy
from datetime import date

from .spec import CONTACT_KINDS, ContactItem, Defect, Number, ReportSpec


def _copy(spec: ReportSpec, defect: Defect) -> ReportSpec:
    edited = copy.deepcopy(spec)
    edited.defects.append(defect)
    return edited


def _cell(spec: ReportSpec, table: str, row: str, column: str) -> tuple[str, str]:
    table_spec = spec.fmt.tables[table]
    found_row, found_column = table_spec.row(row), table_spec.column(column)
    if found_row is None or found_column is None:
        raise KeyError(f"表{table} 没有 {row if found_row is None else column}")
    return found_row.label, found_column.label


def set_cell(spec: ReportSpec, table: str, row: str, column: str, value: Number | None) -> ReportSpec:
    """Write ``value`` into one cell (None blanks it), breaking whatever identity involves it."""
    row, column = _cell(spec, table, row, column)
    before = spec.tables[table][row][column]
    kind = "blank" if value is None else "cell"
    edited = _copy(spec, Defect(kind, f"表{table} {row} / {column}", str(before), str(value)))
    edited.tables[table][row][column] = value
    return edited


def blank_cell(spec: ReportSpec, table: str, row: str, column: str) -> ReportSpec:
    return set_cell(spec, table, row, column, None)


def drop_section(spec: ReportSpec, number: str) -> ReportSpec:
    """Remove a section's heading and narrative; its tables stay where the format puts them."""
    section = next(s for s in spec.sections if s.number == number)
    edited = _copy(spec, Defect("section", number, section.heading, ""))
    edited.sections = [s for s in edited.sections if s.number != number]
    return edited


def swap_sections(spec: ReportSpec, first: str, second: str) -> ReportSpec:
    """Write two sections, each with its narrative and tables, in each other's place (五 before 四)."""
    before = [s.number for s in spec.sections]
    one, two = before.index(first), before.index(second)
    after = list(before)
    after[one], after[two] = second, first
    edited = _copy(spec, Defect("section_order", f"{first}、{second}", "、".join(before), "、".join(after)))
    edited.sections[one], edited.sections[two] = edited.sections[two], edited.sections[one]
    return edited


def reword_heading(spec: ReportSpec, number: str, heading: str) -> ReportSpec:
    """Write a section heading in other words than the format's."""
    index = next(i for i, s in enumerate(spec.sections) if s.number == number)
    edited = _copy(spec, Defect("heading", number, spec.sections[index].heading, heading))
    edited.sections[index].heading = heading
    return edited


def drop_contact(spec: ReportSpec, *kinds: str) -> ReportSpec:
    """Leave out contact details of the given kinds (all kinds when none is named)."""
    unknown = set(kinds) - set(CONTACT_KINDS)
    if unknown:
        raise KeyError(f"unknown contact kinds {sorted(unknown)}; known: {', '.join(CONTACT_KINDS)}")
    dropped = [k for k in (kinds or CONTACT_KINDS) if k in spec.contact]
    edited = _copy(spec, Defect("contact", ",".join(dropped),
                                "，".join(spec.contact[k].value for k in dropped), ""))
    for kind in dropped:
        del edited.contact[kind]
    return edited


def drop_period(spec: ReportSpec) -> ReportSpec:
    edited = _copy(spec, Defect("period", "统计期限", spec.period.text() if spec.period else "", ""))
    edited.period = None
    return edited


def shift_period_year(spec: ReportSpec, years: int = -1) -> ReportSpec:
    """State the statistical period of another year than the report's (a copied prior-year sentence)."""
    if spec.period is None:
        raise ValueError("this spec states no statistical period; add one before shifting its year")
    period = spec.period
    start, end = (date(d.year + years, d.month, d.day) for d in (period.start, period.end))
    edited = _copy(spec, Defect("period_year", "统计期限", f"{period.start}–{period.end}", f"{start}–{end}"))
    edited.period.start, edited.period.end = start, end
    return edited


def bump_cell(spec: ReportSpec, table: str, row: str, column: str, by: int = 1) -> ReportSpec:
    """Add ``by`` to one cell's value."""
    row_label, column_label = _cell(spec, table, row, column)
    return set_cell(spec, table, row, column, spec.tables[table][row_label][column_label] + by)


def add_sentence(spec: ReportSpec, number: str, sentence: str) -> ReportSpec:
    """Append a sentence to section ``number``'s narrative (a claim the tables may contradict)."""
    edited = _copy(spec, Defect("sentence", number, "", sentence))
    next(s for s in edited.sections if s.number == number).paragraphs.append(sentence)
    return edited


def add_list(spec: ReportSpec, number: str, separator: str, off_by: int = 1) -> ReportSpec:
    """Append "共N条，其中…" to section ``number`` with items separated by ``separator`` whose sum is the
    total less ``off_by`` (no shorter stretch of the list adds up to the total either)."""
    counts = [4, 5, 2, 2]
    items = separator.join(f"{label}{n}件" for label, n in zip(("部门文件", "政策解读", "重点工作", "财政资金"), counts))
    return add_sentence(spec, number, f"全年公开政府信息{sum(counts) + off_by}条，其中{items}。")


def set_contact(spec: ReportSpec, kind: str, label: str, value: str) -> ReportSpec:
    """State one contact detail as ``label：value`` (a malformed value is the defect)."""
    before = spec.contact.get(kind)
    edited = _copy(spec, Defect("contact_value", kind, before.value if before else "", value))
    edited.contact[kind] = ContactItem(label, value)
    return edited
