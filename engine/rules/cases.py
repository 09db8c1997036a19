"""Rule test cases: a small report written in YAML under a rule's ``tests:``, and the findings expected.

A case runs its own rule alone, on both evaluators (durable-rules and the reference interpreter), and
passes when the two agree and the findings are exactly those listed (each listed finding gives the
fields to compare: ``row``, ``column``, ``table``, ``section``, ``expected``, ``actual``, ``message``),
or none for ``expect: pass``; ``skipped: [RULE-ID]`` says the rule must be recorded as not checked.

Instead of ``report``, a case may take a sample report and change some cells: ``sample:
samples/2020-某区科技局.txt`` (relative to the rule file: the samples the cases read are kept in the
rules folder, so that a copy of the folder, ``--rules`` elsewhere or a web batch's, tests the same)
with ``edit: {三: {本年新收: {总计: 0}}}``.

The report of a case (every key optional)::

    format: "2021"                 # default: the first format the rule applies to
    year: 2021                     # default: the format's first year
    body: 某某局
    tables:                        # each table named gets every row of the format, 0 where not given
      三: {本年新收: [1, 0, 0, 0, 1, 0, 2], 办理结果总计: {总计: 2}}   # null is a blank cell
    missing_tables: [二(六)]        # tables absent from the text; all others are present, all zero
    missing_rows: {三: [本年新收]}
    unreadable_rows: {三: [上年结转]}
    sections: {一: 总体情况, …}     # number → heading as written; default the six official ones
    text: {六: 本年度未收取信息处理费。}
    title: 某某局2021年政府信息公开工作年度报告
    contact: {地址: …, 邮编: "750001", 电话: …, 电子邮箱: …}
    period: [2021-01-01, 2021-12-31]   # or null
    warnings: [第52行的“另行制作”未读取]
    prior: {…}                      # the prior-year report, same keys
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..formats import Format, load_formats
from ..model import Cell, Located, Period, Report, Section, Table, Warning
from ..parse import parse_file
from .durable_host import DurableEvaluator
from .kinds.required import CONTACT
from .reference import ReferenceEvaluator
from .rule import Rule
from .run import RuleEngine

FIELDS = ("rule", "table", "row", "column", "section", "expected", "actual", "message", "severity")


def _value(value: Any):
    if value is None or isinstance(value, int):
        return value
    return Decimal(str(value))


def _table(spec, rows: dict, missing: list[str], unreadable: list[str], line: int) -> Table:
    given: dict[str, Any] = {}
    for name, values in (rows or {}).items():
        row = spec.row(str(name))
        if row is None:
            raise ValueError(f"表{spec.key}没有行“{name}”")
        given[row.label] = values
    missing_labels = [spec.row(str(r)).label for r in missing]
    unreadable_labels = [spec.row(str(r)).label for r in unreadable]
    grid = []
    for offset, row in enumerate(spec.row_labels):
        values = given.get(row, [0] * len(spec.columns))
        if isinstance(values, dict):
            values = {spec.column(str(k)).label: v for k, v in values.items()}
            values = [values.get(c, 0) for c in spec.column_labels]
        if len(values) != len(spec.columns):
            raise ValueError(f"表{spec.key}“{row}”应有{len(spec.columns)}个值，给了{len(values)}个")
        keep = row not in missing_labels and row not in unreadable_labels
        grid.append([Cell(_value(value), line + offset, str(value)) if keep else None for value in values])
    return Table(spec.key, spec.title, tuple(spec.row_labels), tuple(spec.column_labels), grid, missing_labels,
                 unreadable_labels, line)


def build_report(case: dict, fmt: Format, source: str = "<case>") -> Report:
    """A :class:`Report` as the parser would give it, from the YAML of a case."""
    year = case.get("year", fmt.first_year)
    year = None if year is None else int(year)
    report = Report(source=source, body=str(case.get("body", "某某局")), year=year, format=fmt.name)
    lines = [str(case.get("title", f"{report.body}{year or ''}年政府信息公开工作年度报告"))]
    report.title_line = 1
    headings = case.get("sections", {s.number: s.title for s in fmt.sections})
    texts = case.get("text", {})
    for number, title in headings.items():
        line = len(lines) + 1
        body = str(texts.get(number, ""))
        lines += [f"{number}、{title}", *body.splitlines()]
        report.sections.append(Section(str(number), str(title), line, len(lines), body))
    missing_tables = [str(t) for t in case.get("missing_tables", ())]
    for name, spec in fmt.tables.items():
        line = len(lines) + 1
        rows = (case.get("tables") or {}).get(name, {})
        missing = list(spec.row_labels) if name in missing_tables else \
            list((case.get("missing_rows") or {}).get(name, ()))
        table = _table(spec, rows, missing, list((case.get("unreadable_rows") or {}).get(name, ())), line)
        lines += [f"{row}" for row in spec.row_labels]
        report.tables[name] = table
    for name, value in (case.get("contact") or {}).items():
        report.contact[CONTACT[str(name)]] = Located(str(value), 2)
    period = case.get("period", [date(year, 1, 1), date(year, 12, 31)] if year else None)
    if period is not None:
        start, end = (p if isinstance(p, date) or p is None else date.fromisoformat(str(p)) for p in period)
        report.period = Period(start, end, 2, f"统计期限为{start}至{end}")
    report.warnings = [Warning("unplaced", str(w), 3) for w in case.get("warnings", ())]
    report.lines = lines
    return report


def edit_sample(path: Path, edit: dict) -> Report:
    """A sample report as the parser reads it, with cells changed: ``{三: {本年新收: {总计: 0}}}``
    (null blanks a cell)."""
    if not path.is_file():
        raise ValueError(f"找不到用例所用的样本报告 {path}。sample 的路径从规则文件所在的文件夹算起；"
                         "把规则文件夹复制到别处时，请连同其中的 samples/ 文件夹一起复制")
    report = parse_file(path)
    spec = load_formats()[report.format]
    for table, rows in edit.items():
        found, table_spec = report.tables[str(table)], spec.tables[str(table)]
        for row, columns in rows.items():
            row_label = table_spec.row(str(row)).label
            for column, value in columns.items():
                column_label = table_spec.column(str(column)).label
                old = found.cell(row_label, column_label)
                found.set_cell(row_label, column_label, Cell(_value(value), old.line if old else None, str(value)))
    return report


@dataclass
class CaseResult:
    rule: str
    name: str
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def _formats_for(rule: Rule) -> list[Format]:
    formats = load_formats()
    return [formats[f] for f in (rule.applies_to.formats or formats)]


def run_case(rule: Rule, case: dict, engines: tuple[RuleEngine, RuleEngine]) -> CaseResult:
    name = str(case.get("name", "?"))
    result = CaseResult(rule.id, name)
    data = case.get("report") or {}
    formats = load_formats()
    fmt = formats[str(data.get("format", _formats_for(rule)[0].name))]
    try:
        report = (edit_sample(rule.file.parent / str(case["sample"]), case.get("edit") or {})
                  if "sample" in case else build_report(data, fmt))
        prior = None
        if "prior" in data:
            prior_data = {"year": report.year - 1 if report.year else None, "body": report.body, **data["prior"]}
            prior_fmt = formats[str(prior_data.get("format", fmt.name))]
            prior = build_report(prior_data, prior_fmt, "<prior>")
    except (ValueError, AttributeError, KeyError, OSError) as error:
        result.problems.append(f"用例的报告写法有误：{error}")
        return result
    durable, reference = (engine.audit(report, prior) for engine in engines)
    found = [_fields(f) for f in durable.findings]
    if found != [_fields(f) for f in reference.findings]:
        result.problems.append("durable-rules 与参考解释器的结果不一致")
    expect = case.get("expect", "pass")
    wanted = [] if expect == "pass" else list(expect)
    unmatched = list(found)
    for item in wanted:
        match = next((f for f in unmatched if all(str(f.get(k)) == str(v) for k, v in item.items())), None)
        if match is None:
            result.problems.append(f"缺少预期的问题：{dict(item)}")
        else:
            unmatched.remove(match)
    result.problems += [f"多出的问题：{f['message']}（{f['row'] or ''}{f['column'] or ''}）" for f in unmatched]
    skipped = {s.rule for s in durable.skipped}
    for rule_id in case.get("skipped", ()):
        if rule_id not in skipped:
            result.problems.append(f"{rule_id} 应记为未检查，但没有")
    return result


def _fields(finding) -> dict[str, Any]:
    where = finding.location
    return {"rule": finding.rule, "table": where.table, "row": where.row, "column": where.column,
            "section": where.section, "expected": finding.expected, "actual": finding.actual,
            "message": finding.message, "severity": finding.severity}


def iter_cases(rules: list[Rule]) -> Iterator[tuple[Rule, dict]]:
    for rule in rules:
        for case in rule.tests:
            yield rule, case


def engines_for(rule: Rule, formats: list[str] | None = None) -> tuple[RuleEngine, RuleEngine]:
    """The rule alone, on durable-rules and on the reference interpreter."""
    names = formats or list(load_formats())
    return (RuleEngine([rule], DurableEvaluator, names), RuleEngine([rule], ReferenceEvaluator, names))


def run_cases(rules: list[Rule]) -> list[CaseResult]:
    return [run_case(rule, case, engines_for(rule)) for rule, case in iter_cases(rules)]

