"""Every test case written under a rule's ``tests:`` in rules/*.yaml, run by pytest as by ``ogi-audit rules
test``: on durable-rules and on the reference interpreter, which must agree, with exactly the findings
the case lists."""
from __future__ import annotations

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
