"""The durable-rules host keeps one state for every report (engine/rules/durable_host.py): what one
report asserted must neither hide nor leak into the next."""
from __future__ import annotations

from engine.rules.compile import compile_assertion
from engine.rules.durable_host import DurableEvaluator
from engine.rules.formula import parse


def _message(compiled, id_, values):
    return {"id": id_, "rule": compiled.key, "o": 0, **compiled.pack(0, values)}


def test_the_same_violation_is_found_in_every_report():
    """Each report numbers its messages from 0: a fact the state still held would make the next
    report's equal fact refused as already seen, and its violation would go unreported."""
    compiled = compile_assertion("K", parse("a == b"))
    evaluator = DurableEvaluator([compiled])
    for _ in range(50):
        assert evaluator.evaluate([_message(compiled, 0, {"a": 1, "b": 2})]) == {("K#0", 0)}


def test_a_report_after_a_violation_is_judged_on_its_own_messages():
    compiled = compile_assertion("K", parse("a == b"))
    evaluator = DurableEvaluator([compiled])
    assert evaluator.evaluate([_message(compiled, 0, {"a": 1, "b": 2}), _message(compiled, 1, {"a": 2, "b": 2})]) \
        == {("K#0", 0)}
    assert evaluator.evaluate([_message(compiled, 0, {"a": 2, "b": 2})]) == set()
    assert evaluator.evaluate([]) == set()


def test_messages_of_two_formats_each_meet_their_own_ruleset():
    older = compile_assertion("K|2019|main", parse("a == 1"), partition="2019")
    newer = compile_assertion("K|2021|main", parse("a == 2"), partition="2021")
    evaluator = DurableEvaluator([older, newer])
    messages = [_message(older, 0, {"a": 2}), _message(newer, 1, {"a": 2}), _message(newer, 2, {"a": 1})]
    assert evaluator.evaluate(messages) == {("K|2019|main#0", 0), ("K|2021|main#0", 2)}
