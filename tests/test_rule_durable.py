"""The durable-rules pitfalls measured in rule-language.md, each pinned by a test of our one interface."""
from __future__ import annotations

import pytest

from engine.rules.compile import NotExact, compile_assertion
from engine.rules.durable_host import DurableEvaluator
from engine.rules.formula import parse
from engine.rules.reference import ReferenceEvaluator


def _message(compiled, id_, values):
    return {"id": id_, "rule": compiled.key, "o": 0, **compiled.pack(0, values)}


def test_more_reports_than_live_states():
    """A ruleset holds 1,024 live states: each report's state is deleted, so a batch may be larger."""
    compiled = compile_assertion("K", parse("a == b"))
    evaluator = DurableEvaluator([compiled])
    for number in range(1100):
        assert evaluator.evaluate([_message(compiled, 0, {"a": number, "b": number})]) == set()
    assert evaluator.evaluate([_message(compiled, 0, {"a": 1, "b": 2})]) == {("K#0", 0)}


def test_report_where_every_rule_holds():
    """No message matches: nothing raises, and the state (of only unhandled facts) is still removed."""
    compiled = compile_assertion("K", parse("a >= 0"))
    evaluator = DurableEvaluator([compiled])
    for _ in range(3):
        assert evaluator.evaluate([_message(compiled, i, {"a": i}) for i in range(5)]) == set()


def test_every_instance_of_a_message_is_seen():
    """An event is consumed by the first rule it matches; facts are seen by every rule, so all eight
    instances packed into one message are found."""
    compiled = compile_assertion("K", parse("a == 0"))
    message = {"id": 0, "rule": "K", "o": 0}
    for slot in range(8):
        message.update(compiled.pack(slot, {"a": 1}))
    expected = {(f"K#{slot}", 0) for slot in range(8)}
    assert DurableEvaluator([compiled]).evaluate([message]) == expected
    assert ReferenceEvaluator([compiled]).evaluate([message]) == expected


def test_large_counts_compare_exactly():
    """Integers up to 2**53 are exact in durable-rules' doubles; beyond, the instance is refused."""
    compiled = compile_assertion("K", parse("a == b + 1"))
    big = 2 ** 52
    message = _message(compiled, 0, {"a": big + 1, "b": big})
    assert DurableEvaluator([compiled]).evaluate([message]) == set()
    with pytest.raises(NotExact):
        compiled.pack(0, {"a": 2 ** 53 + 1, "b": 2 ** 53})


def test_a_rule_id_in_chinese_matches_its_condition():
    """Facts are written as durable-rules writes its conditions (text not escaped to \\uXXXX): an office
    may give a rule a Chinese id, and its violations must still be found."""
    compiled = compile_assertion("本省-1|2021|main", parse("a == b"))
    messages = [_message(compiled, 0, {"a": 1, "b": 2}), _message(compiled, 1, {"a": 2, "b": 2})]
    expected = {("本省-1|2021|main#0", 0)}
    assert DurableEvaluator([compiled]).evaluate(messages) == expected
    assert ReferenceEvaluator([compiled]).evaluate(messages) == expected

