"""The ways reports word their narrative and sections, each pinned on generated reports read back by the
parser and audited by the shipped rules (issue 8 point 1): lists of counts separated by 、，；
(NAR-002), the ways reports deny having received applications and the sentences that deny something
else (NAR-001), sections written out of order (SEC-001, SEC-002), and the 信息处理费 statement keyed on
the report year, not the tables' format (NAR-009).

Each test edits a clean generated spec (tests.generator.catalogue) so that the one wording under test is
there, renders it, and asserts what the rules say about it on both evaluators.
"""
from __future__ import annotations

import copy

import pytest

from engine import RULES_DIR
from engine.facts import Facts
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
from tests.generator.spec import ReportSpec, random_spec, wording
from tests.generator.values import without_new_applications

FORMATS = list(load_formats())
RULES = load_rules(RULES_DIR)
ENGINES = [RuleEngine(RULES, evaluator, FORMATS) for evaluator in (DurableEvaluator, ReferenceEvaluator)]
RULE = {r.id: r for r in RULES}
#: A text layout, one run together as crawled pages are, and the three file layouts.
SOME_LAYOUTS = ["tab", "crawled", *FILE_LAYOUTS]


def audit(spec: ReportSpec, layout: str = "tab"):
    """The findings and skipped rules of ``spec`` written in ``layout``; both evaluators must agree."""
    report = read(spec, layout)
    durable, reference = (engine.audit(report) for engine in ENGINES)
    assert [f.to_dict() for f in durable.findings] == [f.to_dict() for f in reference.findings]
    assert durable.skipped == reference.skipped
    return durable


def read(spec: ReportSpec, layout: str):
    generated = render(spec, layout)
    return parse_bytes(generated.data, generated.name)


def matched(spec: ReportSpec, layout: str, rule: str) -> list[str]:
    """The text each instance of a pattern rule matched in ``spec`` as read back (checked or not)."""
    return [i.context["match"] for i in RULE[rule].check.instances(Facts(read(spec, layout)))]


def rules_found(result, *rules: str) -> list[str]:
    return [f.rule for f in result.findings if f.rule in rules]


def section_says(spec: ReportSpec, number: str, *paragraphs: str) -> ReportSpec:
    """``spec`` with section ``number``'s narrative replaced by ``paragraphs``."""
    edited = copy.deepcopy(spec)
    next(s for s in edited.sections if s.number == number).paragraphs = list(paragraphs)
    return edited


def plain(spec: ReportSpec) -> ReportSpec:
    """``spec`` with each section saying only its first stock sentence (no list, no denial drawn)."""
    edited = copy.deepcopy(spec)
    for section in edited.sections:
        section.paragraphs = [wording()["narrative"][section.number][0].format(year=spec.year, n=7)]
    return edited


def saying(spec: ReportSpec, number: str, sentence: str) -> ReportSpec:
    edited = plain(spec)
    next(s for s in edited.sections if s.number == number).paragraphs.append(sentence)
    return edited


def with_applications(spec: ReportSpec, count: int) -> ReportSpec:
    """``spec`` with ``count`` new applications from natural persons (table 三 kept valid: they are
    carried forward to next year)."""
    edited = copy.deepcopy(spec)
    table = edited.fmt.tables["三"]
    without_new_applications(table, edited.tables["三"])
    cells = edited.tables["三"]
    for row in (table.row("本年新收").label, table.row("结转下年度").label):
        cells[row]["自然人"] += count
        cells[row]["总计"] += count
    return edited


# Lists of counts: read whole, whatever separates the items.

LISTS = ["全年公开政府信息13条，其中部门文件4件，政策解读5件；重点工作2件，财政资金2件。",
         "全年公开政府信息13条，其中部门文件4件；政策解读5件；重点工作2件；财政资金2件。",
         "全年公开政府信息13条，分别为：4件部门文件、5篇政策解读、2条重点工作、2条财政资金。",
         "全年公开政府信息13条，其中：部门文件4件（含规范性文件3件）、政策解读5件；重点工作2件、财政资金2件，均按时公开。",
         "全年公开政府信息13条，其中部门文件4件，政策解读7件，重点工作2件，较上年增加5条。"]


@pytest.mark.parametrize("layout", SOME_LAYOUTS)
@pytest.mark.parametrize("sentence", LISTS)
def test_a_list_that_adds_up_passes_whatever_separates_its_items(layout, sentence):
    spec = saying(clean_spec(2, "2021"), "二", sentence)
    assert matched(spec, layout, "NAR-002") == [sentence.split("。")[0].split("，较上年")[0]
                                                .removeprefix("全年公开政府信息")]
    result = audit(spec, layout)
    assert rules_found(result, "NAR-002") == [] and "NAR-002" not in {s.rule for s in result.skipped}


@pytest.mark.parametrize("layout", SOME_LAYOUTS)
@pytest.mark.parametrize("separator", ["；", "，", "、"])
def test_a_list_that_does_not_add_up_is_found_whatever_separates_its_items(layout, separator):
    result = audit(inject.add_list(plain(clean_spec(2, "2019")), "一", separator), layout)
    found = [(f.rule, f.location.section, f.expected, f.actual) for f in result.findings if f.rule == "NAR-002"]
    assert found == [("NAR-002", "一", "13", "14")]


# Denials of applications: each way reports write it, never a sentence that denies something else.

DENIALS = wording()["denials"]


@pytest.mark.parametrize("layout", SOME_LAYOUTS)
@pytest.mark.parametrize("denial", DENIALS)
def test_each_denial_is_read_and_checked_against_table_three(layout, denial):
    spec = clean_spec(3, "2021")
    sentence = denial.format(year=spec.year)
    none = saying(with_applications(spec, 0), "三", sentence)
    assert len(matched(none, layout, "NAR-001")) == 1
    assert rules_found(audit(none, layout), "NAR-001") == []
    some = saying(with_applications(spec, 3), "三", sentence)
    found = [(f.rule, f.location.section, f.actual) for f in audit(some, layout).findings if f.rule == "NAR-001"]
    assert found == [("NAR-001", "三", "3")]


@pytest.mark.parametrize("layout", SOME_LAYOUTS)
@pytest.mark.parametrize("sentence", [s for group in wording()["other_denials"].values() for s in group])
def test_a_sentence_denying_something_else_is_no_denial_of_applications(layout, sentence):
    spec = saying(with_applications(clean_spec(3, "2019"), 2), "三", sentence)
    assert matched(spec, layout, "NAR-001") == []


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


@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("seed", range(3))
def test_a_reworded_heading_in_running_text_is_found_and_said_to_differ(format_name, seed):
    """A crawled page runs the heading into the body ("…总计7 00512五、存在的主要问题和改进情况存在的问题：…"):
    the words close to the title are the heading, so the section is there (no SEC-001) and reworded (SEC-003)."""
    spec = inject.reword_heading(clean_spec(seed, format_name), "五", "五、存在的主要问题和改进情况")
    result = audit(spec, "crawled")
    assert [s.number for s in result.report.sections] == ["一", "二", "三", "四", "五", "六"]
    assert [(f.rule, f.location.section) for f in result.findings if f.rule in ("SEC-001", "SEC-003")
            and f.location.section == "五"] == [("SEC-003", "五")]


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
