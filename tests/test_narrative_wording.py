"""The ways reports word their narrative and sections, each pinned on generated reports read back by the
parser and audited by the shipped rules (issue 8 point 1): sections written out of order, and the
信息处理费 statement keyed on the report year, not the tables' format.

Each test edits a clean generated spec (tests.generator.catalogue) so that the one wording under test is
there, renders it, and asserts what the rules say about it on both evaluators.
"""
from __future__ import annotations

import copy

import pytest

from engine import RULES_DIR
from engine.formats import load_formats
from engine.parse import parse_bytes
from engine.rules import load_rules
from engine.rules.cases import build_report
from engine.rules.durable_host import DurableEvaluator
from engine.rules.reference import ReferenceEvaluator
from engine.rules.run import RuleEngine
from tests.generator import FILE_LAYOUTS, LAYOUTS, render
from tests.generator import defects as inject
from tests.generator.catalogue import clean, clean_spec
from tests.generator.spec import ReportSpec, random_spec

FORMATS = list(load_formats())
RULES = load_rules(RULES_DIR)
ENGINES = [RuleEngine(RULES, evaluator, FORMATS) for evaluator in (DurableEvaluator, ReferenceEvaluator)]


def audit(spec: ReportSpec, layout: str = "tab"):
    """The findings and skipped rules of ``spec`` written in ``layout``; both evaluators must agree."""
    generated = render(spec, layout)
    report = parse_bytes(generated.data, generated.name)
    durable, reference = (engine.audit(report) for engine in ENGINES)
    assert [f.to_dict() for f in durable.findings] == [f.to_dict() for f in reference.findings]
    assert durable.skipped == reference.skipped
    return durable


def rules_found(result, *rules: str) -> list[str]:
    return [f.rule for f in result.findings if f.rule in rules]


def section_says(spec: ReportSpec, number: str, *paragraphs: str) -> ReportSpec:
    """``spec`` with section ``number``'s narrative replaced by ``paragraphs``."""
    edited = copy.deepcopy(spec)
    next(s for s in edited.sections if s.number == number).paragraphs = list(paragraphs)
    return edited


# Sections out of order: every heading is still found, the order is its own finding.

@pytest.mark.parametrize("layout", [*LAYOUTS, *FILE_LAYOUTS])
@pytest.mark.parametrize(("first", "second"), [("四", "五"), ("二", "三")])
def test_swapped_sections_are_out_of_order_not_missing(layout, first, second):
    spec = inject.swap_sections(clean_spec(4, "2021" if first == "四" else "2019"), first, second)
    result = audit(spec, layout)
    written = [s.number for s in spec.sections]
    assert [s.number for s in result.report.sections] == written
    assert rules_found(result, "SEC-001") == []
    order = [f for f in result.findings if f.rule == "SEC-002"]
    assert [f.message for f in order] == [f"报告各部分的顺序为 {'、'.join(written)}，与格式规定的顺序（一至六）不一致。"]


def test_order_is_not_compared_when_a_section_is_missing():
    spec = inject.swap_sections(inject.drop_section(clean_spec(5, "2019"), "六"), "四", "五")
    result = audit(spec)
    assert rules_found(result, "SEC-001", "SEC-002") == ["SEC-001"]
    assert next(s.reason for s in result.skipped if s.rule == "SEC-002") == "未找到第六部分的标题，各部分的顺序无从比较"


def test_sections_in_order_pass_the_order_rule():
    result = audit(clean_spec(5, "2021"))
    assert "SEC-002" in result.rules_run and "SEC-002" not in {s.rule for s in result.skipped}
    assert rules_found(result, "SEC-001", "SEC-002") == []


# 信息处理费: the 办法 applies from 2021-01-01, whatever tables the report used.

@pytest.mark.parametrize(("format_name", "year", "checked"),
                         [("2019", 2021, True), ("2021", 2021, True), ("2021", 2020, False), ("2019", 2020, False)])
def test_information_fee_statement_is_keyed_on_the_report_year(format_name, year, checked):
    spec = clean(random_spec(3, format_name, blank_rate=0.0, year=year))
    stated = audit(spec)  # every clean report states the fee, in one wording or another
    assert ("NAR-009" in stated.rules_run) == checked
    assert rules_found(stated, "NAR-009") == []
    silent = audit(section_says(spec, "六", "无。"))
    assert rules_found(silent, "NAR-009") == (["NAR-009"] if checked else [])


def test_a_report_whose_year_was_not_read_is_not_checked_and_says_why():
    fmt = load_formats()["2021"]
    report = build_report({"year": None, "text": {"六": "无"}}, fmt)
    for engine in ENGINES:
        result = engine.audit(report)
        assert rules_found(result, "NAR-009") == []
        reason = next(s.reason for s in result.skipped if s.rule == "NAR-009")
        assert reason == "未能读出报告年度，无法确定本规则（适用于2021年及以后的报告）是否适用"
