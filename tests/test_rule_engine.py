"""The engine loop's own promises, on small rule files written here: what a missing value means under
each ``when_missing``, ``applies_to``, and that the evaluators agree however the instances are packed."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.formats import load_formats
from engine.rules import load_rules
from engine.rules.cases import build_report
from engine.rules.compile import SLOTS
from engine.rules.durable_host import DurableEvaluator
from engine.rules.reference import ReferenceEvaluator
from engine.rules.run import RuleEngine

FORMATS = load_formats()

RULE = """\
- id: T-1
  title: 行总计
  description: 表三每一行的总计等于六类申请人之和。
  category: totals
  severity: error
  applies_to: {applies}
  check: {{type: total, table: 三, for_each: row, total: 总计, parts: [自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他]}}
  when_missing: {policy}
  message: 「{{{{ row }}}}」{{{{ actual }}}} ≠ {{{{ expected }}}}
  basis: 表三
  remedy: 改正
"""


def engines(tmp_path: Path, policy: str, applies: str = "{}"):
    (tmp_path / "r.yaml").write_text(RULE.format(policy=policy, applies=applies), encoding="utf-8")
    rules = load_rules(tmp_path)
    return [RuleEngine(rules, evaluator, list(FORMATS)) for evaluator in (DurableEvaluator, ReferenceEvaluator)]


BLANK_TOTAL = {"tables": {"三": {"本年新收": [1, 0, 0, 0, 0, 0, None], "上年结转": [1, 0, 0, 0, 0, 0, 3]}}}


def run(tmp_path, policy, case=BLANK_TOTAL, applies="{}", format="2021"):
    report = build_report(case, FORMATS[format])
    results = [engine.audit(report) for engine in engines(tmp_path, policy, applies)]
    assert [f.to_dict() for f in results[0].findings] == [f.to_dict() for f in results[1].findings]
    return results[0]


def test_skip_records_the_reason_and_finds_nothing_from_the_blank(tmp_path):
    result = run(tmp_path, "skip")
    assert [(f.location.row, f.message) for f in result.findings] == \
        [("二、上年结转政府信息公开申请数量", "「二、上年结转政府信息公开申请数量」3 ≠ 1")]
    assert [(s.rule, s.reason) for s in result.skipped] == [("T-1", "表三「一、本年新收政府信息公开申请数量」「总计」为空")]


def test_zero_reads_the_blank_as_0(tmp_path):
    result = run(tmp_path, "zero")
    assert [(f.location.row, f.actual, f.expected) for f in result.findings] == \
        [("一、本年新收政府信息公开申请数量", "0", "1"), ("二、上年结转政府信息公开申请数量", "3", "1")]
    assert result.skipped == []


def test_fail_makes_the_missing_value_a_finding(tmp_path):
    result = run(tmp_path, "fail")
    assert [f.message for f in result.findings] == [
        "行总计：无法检查，表三「一、本年新收政府信息公开申请数量」「总计」为空。",
        "「二、上年结转政府信息公开申请数量」3 ≠ 1"]
    assert result.findings[0].actual is None


def test_a_missing_table_is_never_a_pass(tmp_path):
    result = run(tmp_path, "skip", case={"missing_tables": ["三"]})
    assert result.findings == []
    assert [(s.rule, s.reason) for s in result.skipped] == [("T-1", "25处未检查：报告中没有表三")]


@pytest.mark.parametrize(("applies", "format_name", "runs"), [
    ('{formats: ["2021"]}', "2019", False), ('{formats: ["2021"]}', "2021", True),
    ("{years: {from: 2021}}", "2019", False), ("{bodies: [政府]}", "2021", False),
])
def test_applies_to(tmp_path, applies, format_name, runs):
    result = run(tmp_path, "skip", applies=applies, format=format_name)
    assert ("T-1" in result.rules_run) == runs


def test_many_instances_fill_several_messages(tmp_path):
    """More failing rows than slots in a message: every one is found, by both evaluators."""
    rows = {row: [1, 0, 0, 0, 0, 0, 2] for row in FORMATS["2021"].tables["三"].row_labels}
    result = run(tmp_path, "skip", case={"tables": {"三": rows}})
    assert len(result.findings) == len(rows) > SLOTS
