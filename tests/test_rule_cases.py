"""Every test case written under a rule's ``tests:`` in rules/*.yaml, run by pytest as by ``ogi-audit rules
test``: on durable-rules and on the reference interpreter, which must agree, with exactly the findings
the case lists."""
from __future__ import annotations

import shutil

import pytest

from engine import RULES_DIR
from engine.rules import load_rules
from engine.rules.cases import engines_for, iter_cases, run_case

RULES = load_rules(RULES_DIR)
CASES = list(iter_cases(RULES))


@pytest.mark.parametrize(("rule", "case"), CASES, ids=[f"{r.id}:{c.get('name')}" for r, c in CASES])
def test_rule_case(rule, case):
    result = run_case(rule, case, engines_for(rule))
    assert result.problems == []


def test_every_rule_has_a_failing_case():
    """A rule proven only by cases that pass could be a rule that never fires."""
    without = [r.id for r in RULES
               if not any(c.get("expect", "pass") != "pass" for c in r.tests)]
    assert without == []


def test_a_copy_of_the_rules_folder_runs_its_cases_elsewhere(tmp_path):
    """The samples the cases read are in the rules folder: an office's copy (``--rules``) tests alike."""
    copy = tmp_path / "某局规则"
    shutil.copytree(RULES_DIR, copy)
    copied = load_rules(copy)
    results = [run_case(rule, case, engines_for(rule)) for rule, case in iter_cases(copied)]
    assert len(results) == len(CASES) and all(result.passed for result in results)
    assert any("sample" in case for _, case in iter_cases(copied))


def test_a_case_whose_sample_is_missing_fails_and_says_what_to_copy(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(RULES_DIR, copy, ignore=shutil.ignore_patterns("samples"))
    [(rule, case), *_] = [(r, c) for r, c in iter_cases(load_rules(copy)) if "sample" in c]
    result = run_case(rule, case, engines_for(rule))
    assert not result.passed
    assert result.problems[0].startswith("用例的报告写法有误：找不到用例所用的样本报告 ")
    assert "请连同其中的 samples/ 文件夹一起复制" in result.problems[0]
