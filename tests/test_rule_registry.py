"""The rule language documents itself: every check kind and every shipped rule carries what the office
needs to read and copy it (as sqlfluff's docstring test does for its rules). The tests walk the registry
of kinds and the loaded rules, so a new kind or rule without its documentation or example fails here."""
from __future__ import annotations

import pytest

from engine import RULES_DIR
from engine.rules import load_rules
from engine.rules.errors import OptionError
from engine.rules.kinds import KINDS, configure, kind, required
from engine.rules.kinds.required import DESCRIPTIONS, SUBJECTS
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
    for placeholder in module.PLACEHOLDERS:
        assert f"``{placeholder}``" in doc, f"placeholder {placeholder} is not documented"


@pytest.mark.parametrize("what", sorted(SUBJECTS))
def test_every_required_subject_is_documented(what):
    assert f"``{what}``" in (required.__doc__ or "")
    assert DESCRIPTIONS[what], "the rule catalogue says what the subject requires"


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
    assert rule.description.strip(), "the description says in plain words what the rule checks"
    assert rule.description.rstrip().endswith("。"), "the description is written as sentences"
    assert rule.tests, "every rule carries test cases"
    assert all(case.get("name") for case in rule.tests), "every test case is named"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_catalogue_shows_the_description_from_the_rule_file(rule):
    assert rule.info().description == f"{rule.description} 规则写法：{rule.check.describe()}"


def test_every_category_has_rules():
    from engine.rules.rule import CATEGORIES
    assert {rule.category for rule in RULES} == set(CATEGORIES)
