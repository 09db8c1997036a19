"""The rule language documents itself: every check kind and every shipped rule carries what the office
needs to read and copy it (as sqlfluff's docstring test does for its rules)."""
from __future__ import annotations

import pytest

from engine import RULES_DIR
from engine.rules import load_rules
from engine.rules.errors import OptionError
from engine.rules.kinds import KINDS, configure, kind
from engine.formats import load_formats

RULES = load_rules(RULES_DIR)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_kind_is_documented(name):
    module = KINDS[name]
    doc = module.__doc__ or ""
    assert doc.startswith(f"{name} — "), "the docstring opens with the kind's name and what it checks"
    assert "Example" in doc and "Message placeholders" in doc
    for option in module.OPTIONS:
        assert f"``{option}``" in doc, f"option {option} is not documented"
    assert module.PLACEHOLDERS


def test_every_kind_is_used_by_a_shipped_rule():
    assert {rule.kind for rule in RULES} == set(KINDS)


def test_unknown_kind_lists_the_known_ones():
    with pytest.raises(OptionError) as caught:
        kind("totals")
    assert caught.value.message == "未知的检查类型“totals”，可用：total、compare、required、pattern、expression"
    assert caught.value.suggestion == "total"


def test_missing_option_is_named():
    with pytest.raises(OptionError) as caught:
        configure("total", {"type": "total", "table": "三"}, list(load_formats().values()))
    assert caught.value.message == "total 检查缺少选项：total、parts"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_is_complete(rule):
    assert rule.title and rule.basis and rule.remedy
    assert rule.tests, "every rule carries test cases"
    assert rule.info().description, "the rule catalogue says what the rule checks"


def test_every_category_has_rules():
    from engine.rules.rule import CATEGORIES
    assert {rule.category for rule in RULES} == set(CATEGORIES)
