"""pattern — what the text says: a phrase that must (or must not) be there, or numbers quoted in the
text checked against the tables.

Options: ``regex`` (Python regular expression; named groups ``(?P<名>…)`` become values), ``in``
(``text`` for the whole report, ``title``, or a section number ``一`` … ``六``), and either

- ``expect``: ``present`` (default) or ``absent``: one instance for the text, counting matches; or
- ``assert``: one instance per match, a formula over the named groups (a group whose text is a number is
  that number), ``sum(组)`` (the sum of the numbers followed by a unit 条/件/个/篇/份/项 in the group's
  text), cells named in full (``三.本年新收.总计``) and report-level names (``年度`` …).

Example (the text says no application was received, but table 三 counts some)::

    check:
      type: pattern
      in: text
      regex: 未(?:收到|接到)[^。；]{0,12}申请
      assert: 三.本年新收.总计 == 0

Message placeholders: ``match`` (the text matched), ``count`` (how many matches, with ``expect``),
``section``, ``expected``, ``actual``, ``formula``, and every named group.

A regex is checked with Python's ``re`` (the language rule authors are told they write, with its error
messages) and run with the ``regex`` package, which takes a time limit: a pattern that backtracks without
end (``(a|aa)+$``) stops after :data:`TIME_LIMIT` seconds and is reported at the place it is written in
the rule file (:attr:`PatternCheck.position`, set by the loader), instead of hanging the audit. Refusing
nested quantifiers when the rule is checked would catch only some such patterns (``(a|a)+`` has none)
and would refuse harmless ones; a time limit bounds them all.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

import regex as timed_re

from ...facts import Facts, Operand
from ...formats import Format
from ...model import Location
from ...text import fold
from ...yamlsource import Position, SourceError
from ..errors import OptionError
from ..formula import Call, Node, is_condition, parse, refs
from ..rule import CannotCheck, Instance
from ..scope import Name, resolve
from . import tabular

OPTIONS = {"regex": tabular.REQUIRED, "in": "text", "expect": "present", "assert": None}
PLACEHOLDERS = ("match", "section", "expected", "actual", "formula", "count")

_UNIT_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*余?\s*[条件个篇份项]")
_COUNT = "匹配数"
_EXPECT = {"present": f"{_COUNT} >= 1", "absent": f"{_COUNT} == 0"}
_SECTIONS = ("一", "二", "三", "四", "五", "六")
#: Seconds one regex may search one report's text: an ordinary pattern takes milliseconds on the longest.
TIME_LIMIT = 3.0


def _number(text: str | None) -> Decimal | int | None:
    if text is None:
        return None
    try:
        value = Decimal(fold(text).replace(",", "").strip())
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else value


class PatternCheck:
    #: Where the regex is written in its rule file; the loader sets it.
    position: Position | None = None

    def __init__(self, regex: timed_re.Pattern, where: str, formula: Node, per_match: bool, text: str,
                 names: dict[str, dict[str, Name]]) -> None:
        self.regex, self.where, self.formula, self.per_match = regex, where, formula, per_match
        self.text, self.names = text, names

    def assertions(self, format_name: str) -> dict[str, Node]:
        return {"main": self.formula}

    def describe(self) -> str:
        where = {"text": "正文", "title": "标题"}.get(self.where, f"第{self.where}部分")
        if self.per_match:
            return f"{where}中每处符合 {self.regex.pattern} 的文字：{self.text}"
        present = self.text.endswith(">= 1")
        return f"{where}中{'应有' if present else '不应有'}符合 {self.regex.pattern} 的文字"

    def instances(self, facts: Facts) -> Iterator[Instance]:
        prose = facts.prose(None if self.where == "text" else self.where)
        section = None if self.where in ("text", "title") else self.where
        matches = self._matches(prose.text)
        if not self.per_match:
            line = prose.line_at(matches[0].start()) if matches else prose.line_at(0)
            location = Location(section=section or (facts.section_at(line) if matches else None), line=line,
                                quote=facts.report.line_text(line) if matches else None)
            yield Instance("text", {_COUNT: Operand(len(matches), line=line)}, location,
                           {"count": len(matches), "section": section, "match": matches[0].group() if matches else "",
                            "formula": self.text})
            return
        names = self.names.get(facts.report.format or "")
        if names is None:
            raise CannotCheck("未能确定报告使用的格式")
        for number, match in enumerate(matches):
            line = prose.line_at(match.start())
            operands = {}
            for ref in refs(self.formula):
                operands[ref.text] = self._operand(ref, match, names, facts, line)
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            location = Location(section=section or facts.section_at(line), line=line, quote=match.group())
            yield Instance(f"{line}:{match.start()}:{number}", operands, location,
                           {**groups, "match": match.group(), "section": section, "formula": self.text},
                           subject=match.group())

    def _matches(self, text: str) -> list[timed_re.Match]:
        try:
            return list(self.regex.finditer(text, timeout=TIME_LIMIT))
        except TimeoutError:
            raise SourceError(self.position or Position("<规则>", 1, 1),
                              f"正则表达式 {self.regex.pattern} 在一份报告上运行超过 {TIME_LIMIT:g} 秒仍未结束，审核已停止；"
                              "这类写法会无休止地回溯（如 (a+)+、(a|aa)+ 这样量词套量词、分支相互重叠），"
                              "请改写为不重叠的写法，例如把 (a|aa)+ 写作 a+") from None

    def _operand(self, ref, match: timed_re.Match, names: dict[str, Name], facts: Facts, line: int) -> Operand:
        if isinstance(ref, Call):
            group = match.group(ref.argument.text)
            if group is None:
                return Operand.missing(f"文字中没有“{ref.argument.text}”部分", line)
            return Operand(sum((_number(n) for n in _UNIT_NUMBER.findall(group)), 0), line=line)
        if ref.text in self.regex.groupindex:
            value = _number(match.group(ref.text))
            return (Operand(value, line=line) if value is not None
                    else Operand.missing(f"文字“{match.group()}”中的{ref.text}不是数字", line))
        return names[ref.text].read(facts, None)


def configure(options: dict, formats: list[Format]) -> PatternCheck:
    try:
        re.compile(str(options["regex"]))
        regex = timed_re.compile(str(options["regex"]))
    except (re.error, timed_re.error) as error:
        raise OptionError("regex", f"正则表达式错误：{error.msg}（第{(error.pos or 0) + 1}个字符）",
                          offset=error.pos) from None
    where = str(options["in"])
    if where not in ("text", "title", *_SECTIONS):
        raise OptionError("in", "in 只能是 text、title 或章节序号 一 至 六")
    if options["assert"] is None:
        expect = str(options["expect"])
        if expect not in _EXPECT:
            raise OptionError("expect", "expect 只能是 present 或 absent")
        return PatternCheck(regex, where, parse(_EXPECT[expect]), False, _EXPECT[expect], {})
    formula, text = tabular.parse_formula(options, "assert")
    if not is_condition(formula):
        raise OptionError("assert", "assert 应为比较")
    names: dict[str, dict[str, Name]] = {}
    for fmt in formats:
        names[fmt.name] = {}
        for ref in refs(formula):
            if isinstance(ref, Call):
                if ref.argument.text not in regex.groupindex:
                    raise OptionError("assert", f"sum() 中的“{ref.argument.text}”不是正则表达式的命名分组",
                                      offset=ref.offset)
            elif ref.text not in regex.groupindex:
                try:
                    names[fmt.name][ref.text] = resolve(ref, fmt, None, "table")
                except OptionError as error:
                    raise OptionError("assert", error.message, error.suggestion, offset=ref.offset) from None
    return PatternCheck(regex, where, formula, True, text, names)
