"""The formula grammar: what it reads, what it refuses and where, and that it never runs Python."""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine.rules.compile import compile_assertion, evaluate
from engine.rules.durable_host import DurableEvaluator
from engine.rules.formula import Arith, Call, Compare, FormulaError, Logic, Num, Ref, parse
from engine.rules.reference import ReferenceEvaluator


def test_total_formula_reads_like_the_report():
    node = parse("总计 == 自然人 + 商业企业 + 其他")
    assert node == Compare("==", Ref(("总计",), 0),
                           Arith("+", Arith("+", Ref(("自然人",), 6), Ref(("商业企业",), 12)), Ref(("其他",), 19)))


def test_paths_quotes_and_functions():
    assert parse("三.本年新收.总计 == 0").left == Ref(("三", "本年新收", "总计"), 0)
    assert parse("「1.属于国家秘密」 >= 0").left == Ref(("1.属于国家秘密",), 0)
    assert parse("上年.结转下年度 == 上年结转").left.path == ("上年", "结转下年度")
    assert parse("总数 == sum(各项)").right == Call("sum", Ref(("各项",), 10), 6)


def test_precedence_and_logic():
    node = parse("a + b * 2 == c or d < 1 and e > 2")
    assert isinstance(node, Logic) and node.op == "or"
    assert node.left.left == Arith("+", Ref(("a",), 0), Arith("*", Ref(("b",), 4), Num(Decimal(2))))
    assert isinstance(node.right, Logic) and node.right.op == "and"


@pytest.mark.parametrize(("text", "offset", "message"), [
    ("本年新收 + == 上年结转", 7, "此处应为名称或数字，而不是“==”"),
    ("a * b == c", 4, "乘号后只能写整数（例如 * 2）"),
    ("a == b c", 7, "公式在“c”处多出内容"),
    ("(a == b", 7, "此处应为“)”，而不是公式结尾"),
    ("open(a) == 1", 0, "未知函数“open”，可用：sum"),
    ("a == b; import os", 8, "公式在“import”处多出内容"),
    ("__import__('os') == 1", 0, "未知函数“__import__”，可用：sum"),
])
def test_refusals_name_the_place(text, offset, message):
    with pytest.raises(FormulaError) as caught:
        parse(text)
    assert (caught.value.offset, caught.value.message) == (offset, message)


def test_decimal_amounts_compare_exactly_on_both_evaluators():
    """0.1 + 0.2 == 0.3 holds in decimals (not in binary floats): scaled to integers, it holds in
    durable-rules too."""
    compiled = compile_assertion("K", parse("a + b == c"))
    message = {"id": 0, "rule": "K", "o": 0}
    message.update(compiled.pack(0, {"a": Decimal("0.1"), "b": Decimal("0.2"), "c": Decimal("0.3")}))
    message.update(compiled.pack(1, {"a": Decimal("9114.72"), "b": 0, "c": Decimal("9114.7")}))
    for evaluator in (DurableEvaluator([compiled]), ReferenceEvaluator([compiled])):
        assert evaluator.evaluate([message]) == {("K#1", 0)}


def test_values_shown_in_messages_are_exact():
    assert evaluate(parse("a + b"), {"a": Decimal("0.1"), "b": Decimal("0.2")}) == Decimal("0.3")
