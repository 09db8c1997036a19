"""Generated reports (tests.generator): every injected defect is found where it was injected, no error
or warning appears on a correct report, and durable-rules and the reference interpreter agree on all.

The clean reports and the defect kinds come from tests.generator.catalogue, which the precision
benchmark (benchmarks/precision.py) measures on thousands of reports; here a small sample of both runs
in every ``make test``.
"""
from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

import pytest

from engine import RULES_DIR
from engine.formats import load_formats
from engine.parse import parse_bytes
from engine.rules import load_rules
from engine.rules.durable_host import DurableEvaluator
from engine.rules.reference import ReferenceEvaluator
from engine.rules.run import RuleEngine
from tests.generator import FILE_LAYOUTS, LAYOUTS, render
from tests.generator import defects as inject
from tests.generator.catalogue import DEFECT_KINDS, clean, clean_spec
from tests.generator.pairs import following_year
from tests.generator.spec import PeriodText, random_spec

FORMATS = list(load_formats())
RULES = load_rules(RULES_DIR)
DURABLE = RuleEngine(RULES, DurableEvaluator, FORMATS)
REFERENCE = RuleEngine(RULES, ReferenceEvaluator, FORMATS)
#: Rows a layout made unreadable are said by this rule (the generator says which; checked against its
#: list below), as info: the agency may not be at fault for what we could not read.
UNREADABLE = "TAB-003"

def audit(generated, prior=None):
    """The audit of the report as a file of its layout (text, Word, PDF or web page), read by its bytes."""
    report = parse_bytes(generated.data, generated.name)
    prior_report = parse_bytes(prior.data, prior.name) if prior is not None else None
    found = DURABLE.audit(report, prior_report)
    reference = REFERENCE.audit(report, prior_report)
    assert [f.to_dict() for f in found.findings] == [f.to_dict() for f in reference.findings], generated.describe()
    assert found.skipped == reference.skipped
    return found


def serious(result, severities=("error", "warning")):
    return [(f.rule, f.location.table, f.location.row, f.location.column, f.message)
            for f in result.findings if f.severity in severities]


CORRECT = [(layout, fmt, seed) for layout in [*LAYOUTS, *FILE_LAYOUTS] for fmt in FORMATS for seed in range(3)]


@pytest.mark.parametrize(("layout", "format_name", "seed"), CORRECT)
def test_no_error_or_warning_on_a_correct_report(layout, format_name, seed):
    generated = render(clean_spec(seed, format_name), layout)
    result = audit(generated)
    unreadable = {k for k, t in generated.expected.tables.items() if t.unreadable_rows}
    assert serious(result) == [], generated.describe()
    # What the layout made unreadable is said, table by table, never passed over.
    said = {f[1] for f in serious(result, ("info",)) if f[0] == UNREADABLE}
    assert said == unreadable, generated.describe()


def _found(result, rule, **where):
    return [f for f in result.findings if f.rule == rule
            and all(getattr(f.location, k) == v for k, v in where.items())]


def _bump(spec, table, row, column, by=1):
    return inject.bump_cell(spec, table, row, column, by)


@pytest.mark.parametrize("defect", sorted(DEFECT_KINDS))
@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("layout", ["tab", "cells", "pipe", "spaces", "html", *FILE_LAYOUTS])
def test_injected_defect_is_found(defect, format_name, layout):
    kind = DEFECT_KINDS[defect]
    generated = render(kind.edit(clean_spec(7, format_name)), layout)
    result = audit(generated)
    for rule, where in kind.wanted:
        assert _found(result, rule, **where), (rule, where, serious(result), generated.describe())


#: Seeds whose random specs the generator truncates (as 洛阳市科学技术局 2020 is), by format.
TRUNCATED = [("2019", 13), ("2019", 21), ("2019", 30), ("2021", 2), ("2021", 4), ("2021", 8)]


@pytest.mark.parametrize(("format_name", "seed"), TRUNCATED)
def test_truncated_report(format_name, seed):
    truncation = random_spec(seed, format_name).truncation
    assert truncation is not None
    spec = replace(clean_spec(seed, format_name), truncation=truncation)
    generated = render(spec, "tab")
    result = audit(generated)
    truncated = spec.truncation
    assert _found(result, "TAB-002", table=truncated.table), serious(result)
    for table in spec.lost_tables():
        assert _found(result, "TAB-001", table=table), serious(result)
    assert _found(result, "SEC-001", section=truncated.lost_section(spec.fmt)), serious(result)


def test_wrong_format_for_the_year():
    spec = clean_spec(5, "2019")
    spec = replace(spec, year=2021, period=PeriodText(date(2021, 1, 1), date(2021, 12, 31), "统计期限为{start}至{end}。"))
    result = audit(render(spec, "tab"))
    assert [(f.expected, f.actual) for f in _found(result, "FMT-001")] == [("2021", "2019")]


@pytest.mark.parametrize("layout", ["tab", "html"])
def test_no_information_fee_statement_in_a_2021_report(layout):
    spec = copy.deepcopy(clean_spec(7, "2021"))
    six = next(s for s in spec.sections if s.number == "六")
    six.paragraphs = ["无。"]
    result = audit(render(spec, layout))
    assert _found(result, "NAR-009", section="六"), serious(result)


@pytest.mark.parametrize(("prior_format", "seed"), [("2019", 1), ("2019", 2), ("2021", 1), ("2021", 2)])
def test_consecutive_years_link_up(prior_format, seed):
    prior = clean(random_spec(seed, prior_format, blank_rate=0.0))
    this = clean(following_year(prior))
    result = audit(render(this, "tab"), render(prior, "tab"))
    assert serious(result) == []
    assert "PRI-001" not in {s.rule for s in result.skipped}


@pytest.mark.parametrize("seed", range(3))
def test_prior_year_defects_are_found(seed):
    prior = clean(random_spec(seed, "2021", blank_rate=0.0))
    this = clean(following_year(prior))
    broken_prior = _bump(prior, "三", "结转下年度", "自然人")
    result = audit(render(this, "tab"), render(broken_prior, "tab"))
    assert _found(result, "PRI-001", column="自然人"), serious(result)
    stock = _bump(this, "二(一)", "行政规范性文件", "现行有效")
    result = audit(render(stock, "tab"), render(prior, "tab"))
    assert _found(result, "PRI-002", row="行政规范性文件"), serious(result)


def test_evaluators_agree_on_random_valid_reports():
    """Random reports as the generator draws them (blanks, truncations, missing contact details and all,
    every layout and format): durable-rules and the reference interpreter give the same findings."""
    from tests.generator import generate_reports
    for generated in generate_reports(48, start=40):
        audit(generated)
