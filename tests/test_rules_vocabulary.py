"""The vocabulary of the rule language: phrase lists in rules/wording/*.yaml (``phrases:``) that a pattern's
regex names as ``{{ 名称 }}``, and the ``count`` option of ``sum()``. Each mistake a rule author can make is
a problem at its file, line and column, worded for the office, never a traceback; a rule that uses the
vocabulary runs the same on durable-rules and on the reference interpreter."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.rules import RuleFileError, load_rules
from engine.rules.cases import engines_for, run_case

RULE = """\
- id: VOC-001
  title: 否认收到申请
  description: 正文说没有收到申请时，表三本年新收应为 0。
  category: narrative
  severity: error
  check:
    type: pattern
    in: text
    regex: '{regex}'
    assert: {assertion}{extra}
  message: 正文称“{{{{ match }}}}”。
  basis: 依据
  remedy: 改正。
"""
PHRASES = "phrases:\n  否认收到: [未收到, 没有收到]\n  申请名称: [政府信息公开申请]\n"


def folder(tmp_path: Path, regex: str, extra: str = "", assertion: str = "三.本年新收.总计 == 0", **wording: str) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "rules.yaml").write_text(RULE.format(regex=regex, extra=extra, assertion=assertion), encoding="utf-8")
    (tmp_path / "wording").mkdir()
    for name, text in (wording or {"narrative": PHRASES}).items():
        (tmp_path / "wording" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def problems(directory: Path) -> list[str]:
    with pytest.raises(RuleFileError) as error:
        load_rules(directory)
    return [str(p) for p in error.value.problems]


def test_a_phrase_list_stands_for_any_of_its_phrases(tmp_path):
    rule, = load_rules(folder(tmp_path, "{{ 否认收到 }}{{申请名称}}"))
    assert rule.check.regex.pattern == "(?:没有收到|未收到)(?:政府信息公开申请)"
    assert "{{ 否认收到 }}{{申请名称}}" in rule.info().description  # the catalogue shows it as written
    for text, expect in (("本年度没有收到政府信息公开申请。", [{"actual": "2"}]), ("本年度收到政府信息公开申请2件。", "pass")):
        case = {"name": text, "report": {"format": "2021", "text": {"三": text},
                                         "tables": {"三": {"本年新收": [2, 0, 0, 0, 0, 0, 2]}}}, "expect": expect}
        assert run_case(rule, case, engines_for(rule)).problems == []


def test_a_phrase_is_text_not_a_regex(tmp_path):
    rule, = load_rules(folder(tmp_path, "{{ 符号 }}", 符号="phrases:\n  符号: ['1+1', '(a)']\n"))
    assert rule.check.regex.search("算式 1+1 与 (a)").group() == "1+1"
    assert rule.check.regex.search("11") is None


def test_an_unknown_name_is_placed_at_the_reference_with_the_near_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = problems(folder(tmp_path, "未收{{ 否认收 }}"))
    assert found == ["rules.yaml:9:14 VOC-001 词汇中没有“否认收”；{{ 名称 }} 只能引用 wording/ 文件夹中 phrases: "
                     "下写出的词汇，现有：否认收到、申请名称 — 是否应为“否认收到”？"]


def test_a_regex_error_after_a_reference_is_placed_in_the_regex_as_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = problems(folder(tmp_path, "{{ 否认收到 }}(申请"))
    assert found == ["rules.yaml:9:22 VOC-001 正则表达式错误（第11个字符）：左括号“(”没有配对的右括号“)”：请补上“)”。要匹配这个符号本身，请在它前面加反斜杠（如“\\(”），或写全角的符号（如“（”）"]


@pytest.mark.parametrize(("wording", "expected"), [
    ({"a": PHRASES, "b": "phrases:\n  否认收到: [未曾收到]\n"},
     "wording/b.yaml:2:3 - 词汇“否认收到”重复（已在 wording/a.yaml:2:3 给出）；每个名称只写一处"),
    ({"a": PHRASES + "  零: [0, 零]\n"},
     "wording/a.yaml:4:6 - 词汇“零”应为说法的列表（[说法, 说法, …]），每项是不为空的文字；数字等请加引号写作文字"),
    ({"a": PHRASES + "  空: []\n"},
     "wording/a.yaml:4:6 - 词汇“空”应为说法的列表（[说法, 说法, …]），每项是不为空的文字；数字等请加引号写作文字"),
    ({"a": "phrases: [未收到]\n"}, "wording/a.yaml:1:10 - phrases: 下应写“名称: [说法, 说法, …]”，每个名称一组说法"),
    ({"a": "phrases: {否认收到: [未收到]\n"}, "wording/a.yaml:1:10 - YAML 语法错误：这一行开始的花括号 { } 写法有误"),
])
def test_problems_in_phrase_files_name_the_place(tmp_path, monkeypatch, wording, expected):
    monkeypatch.chdir(tmp_path)
    found = problems(folder(tmp_path, "未收到申请", **wording))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_wording_files_of_the_parser_are_not_read_as_phrases(tmp_path):
    titles = "names: [政府信息公开工作年度报告]\nyear_words: [年度, 年]\n"
    rule, = load_rules(folder(tmp_path, "未收到申请", a=PHRASES, titles=titles))
    with pytest.raises(RuleFileError):
        load_rules(folder(tmp_path / "x", "{{ names }}", titles=titles))
    assert rule.check.regex.pattern == "未收到申请"


@pytest.mark.parametrize(("assertion", "count", "expected"), [
    ("三.本年新收.总计 == 0", "\\d+件", "rules.yaml:11:5 VOC-001 count 是 sum() 中每一项件数的写法；assert 中没有 sum()，请删去 count"),
    ("总数 == sum(各项)", "(\\d+件", "rules.yaml:11:12 VOC-001 正则表达式错误（第1个字符）：左括号“(”没有配对的右括号“)”：请补上“)”。要匹配这个符号本身，请在它前面加反斜杠（如“\\(”），或写全角的符号（如“（”）"),
    ("总数 == sum(各项)", "'{{ 单位 }}'", "rules.yaml:11:12 VOC-001 词汇中没有“单位”"),
    ("sum(总数) == sum(各项)", "\\d+件", "rules.yaml:10:24 VOC-001 一条规则只能对一个分组求和（已有 sum(总数)）"),
])
def test_count_and_sum_are_checked_like_the_regex(tmp_path, monkeypatch, assertion, count, expected):
    monkeypatch.chdir(tmp_path)
    found = problems(folder(tmp_path, "(?P<总数>\\d+)条，其中(?P<各项>[^。]*)", f"\n    count: {count}", assertion))
    assert len(found) == 1 and found[0].startswith(expected), found


def test_a_list_is_summed_by_its_count_on_both_evaluators(tmp_path):
    rule, = load_rules(folder(tmp_path, "(?P<总数>\\d+)条，其中(?P<各项>[^。]*)", "\n    count: \\d+{{ 单位 }}",
                              "总数 == sum(各项)", a=PHRASES + "  单位: [件, 篇]\n"))
    for text, expect in (("公开13条，其中文件4件；解读9篇。", "pass"), ("公开13条，其中文件4件；解读8篇。", [{"expected": "12"}]),
                         ("公开13条，其中文件4件；解读8条。", "pass")):
        case = {"name": text, "report": {"text": {"一": text}}, "expect": expect}
        assert run_case(rule, case, engines_for(rule)).problems == [], text
