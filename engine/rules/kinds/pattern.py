"""pattern — what the text says: a phrase that must (or must not) be there, or numbers quoted in the
text checked against the tables.

Options: ``regex`` (Python regular expression; named groups ``(?P<名>…)`` become values), ``in``
(``text`` for the whole report, ``title``, or a section number ``一`` … ``六``), and either

- ``expect``: ``present`` (default) or ``absent``: one instance for the text, counting matches; or
- ``assert``: one instance per match, a formula over the named groups (a group whose text is a number is
  that number), ``sum(组)`` (the sum of the list of counts the group's text holds, read as
  :mod:`.listing` says: items separated by 、，；, notes in brackets left out, and the assertion holds
  when it holds for one of the places the list may end), cells named in full (``三.本年新收.总计``) and
  report-level names (``年度`` …). ``count`` is the regex of one item's count for ``sum()`` (default: a
  number followed by 条/件/个/篇/份/项, not after 第); one assertion sums one group.

In ``regex`` and ``count``, ``{{ 名称 }}`` is a phrase list of the vocabulary (:mod:`engine.rules.vocabulary`):
any one of the ways reports word one thing (未收到 / 没有收到 / 未接到 …), kept as data in rules/wording/.

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
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex as timed_re

from ...facts import Facts, Operand
from ...formats import Format
from ...model import Location
from ...text import fold
from ..regex_told import told
from ...yamlsource import Position, SourceError
from ..errors import OptionError
from ..compile import evaluate
from ..formula import Arith, Call, Compare, Logic, Neg, Node, Ref, is_condition, parse, refs
from ..rule import CannotCheck, Instance
from ..scope import Name, resolve
from ..vocabulary import Expansion
from . import tabular
from .listing import MAX_READINGS, Listing, read_list

OPTIONS = {"regex": tabular.REQUIRED, "in": "text", "expect": "present", "assert": None, "count": None}
PLACEHOLDERS = ("match", "section", "expected", "actual", "formula", "count")
#: Options that are regexes, in which the loader writes out the vocabulary's ``{{ 名称 }}``.
REGEXES = ("regex", "count")

#: An item's count in a list when the rule gives no ``count``: approximate counts (300余条) are none.
_COUNT = r"(?<![第\d.])\d+(?:\.\d+)?\s*[条件个篇份项]"
_MATCHES = "匹配数"
_EXPECT = {"present": f"{_MATCHES} >= 1", "absent": f"{_MATCHES} == 0"}
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


@dataclass(frozen=True)
class _Sum:
    """``sum(组)`` in an assertion: the group, how an item's count is written, and the assertion as
    compiled, once per reading of the list (``总数 == sum(各项)#1 or 总数 == sum(各项)#2 …``): whether a
    list adds up is decided by the compiled conditions like every other finding."""

    call: Call
    count: timed_re.Pattern
    formula: Node
    readings: tuple[str, ...]
    written: str  # the count regex as the rule file writes it


def _substitute(node: Node, call: Call, by: Ref) -> Node:
    if isinstance(node, Call):
        return by if node == call else node
    if isinstance(node, (Compare, Logic)):
        return type(node)(node.op, _substitute(node.left, call, by), _substitute(node.right, call, by))
    if isinstance(node, Arith):
        return Arith(node.op, _substitute(node.left, call, by), _substitute(node.right, call, by))
    if isinstance(node, Neg):
        return Neg(_substitute(node.operand, call, by))
    return node


def _summing(formula: Node, call: Call, count: timed_re.Pattern, written: str) -> _Sum:
    readings = tuple(f"{call.text}#{n}" for n in range(1, MAX_READINGS + 1))
    alternatives = [_substitute(formula, call, Ref((name,))) for name in readings]
    combined = alternatives[0]
    for alternative in alternatives[1:]:
        combined = Logic("or", combined, alternative)
    return _Sum(call, count, combined, readings, written)


def _section_of(facts: Facts, line: int | None, quote: str) -> str | None:
    """The section a match of the whole text stands in: by its line, and where one line holds several
    sections (a crawled page's run-together body), the one whose text holds the match."""
    sections = [s for s in facts.report.sections if line and s.line <= line <= s.end_line]
    holding = [s for s in sections if quote in s.text]
    return (holding if len(holding) == 1 else sections)[0].number if sections else None


def _too_slow(pattern: str, position: Position | None) -> SourceError:
    return SourceError(position or Position("<规则>", 1, 1),
                       f"正则表达式 {pattern} 在一份报告上运行超过 {TIME_LIMIT:g} 秒仍未结束，审核已停止；"
                       "这类写法会无休止地回溯（如 (a+)+、(a|aa)+ 这样量词套量词、分支相互重叠），"
                       "请改写为不重叠的写法，例如把 (a|aa)+ 写作 a+")


class PatternCheck:
    #: Where the regex is written in its rule file; the loader sets it.
    position: Position | None = None

    def __init__(self, regex: timed_re.Pattern, where: str, formula: Node, per_match: bool, text: str,
                 names: dict[str, dict[str, Name]], summing: _Sum | None = None, written: str = "") -> None:
        self.regex, self.where, self.formula, self.per_match = regex, where, formula, per_match
        self.text, self.names, self.summing = text, names, summing
        #: The regex as the rule file writes it, ``{{ 名称 }}`` and all (for the catalogue and messages).
        self.written = written or regex.pattern

    def assertions(self, format_name: str) -> dict[str, Node]:
        return {"main": self.summing.formula if self.summing else self.formula}

    def describe(self) -> str:
        where = {"text": "正文", "title": "标题"}.get(self.where, f"第{self.where}部分")
        pattern = self.written
        if self.per_match:
            return f"{where}中每处符合 {pattern} 的文字：{self.text}"
        present = self.text.endswith(">= 1")
        return f"{where}中{'应有' if present else '不应有'}符合 {pattern} 的文字"

    def instances(self, facts: Facts) -> Iterator[Instance]:
        prose = facts.prose(None if self.where == "text" else self.where)
        section = None if self.where in ("text", "title") else self.where
        matches = self._matches(facts, prose.text)
        if not self.per_match:
            line = prose.line_at(matches[0].start()) if matches else prose.line_at(0)
            location = Location(section=section or (facts.section_at(line) if matches else None), line=line,
                                quote=facts.report.line_text(line) if matches else None)
            yield Instance("text", {_MATCHES: Operand(len(matches), line=line)}, location,
                           {"count": len(matches), "section": section, "match": matches[0].group() if matches else "",
                            "formula": self.text})
            return
        names = self.names.get(facts.report.format or "")
        if names is None:
            raise CannotCheck("未能确定报告使用的格式")
        for number, match in enumerate(matches):
            line = prose.line_at(match.start())
            operands, shown = {}, {}
            for ref in refs(self.formula):
                if isinstance(ref, Call):
                    readings = self._readings(facts, match, line)
                    operands.update(readings)
                    shown[ref.text] = readings[self.summing.readings[-1]]
                else:
                    operands[ref.text] = shown[ref.text] = self._operand(ref, match, names, facts, line)
            groups = {k: v for k, v in match.groupdict().items() if v is not None}
            location = Location(section=section or _section_of(facts, line, match.group()), line=line,
                                quote=match.group())
            yield Instance(f"{line}:{match.start()}:{number}", operands, location,
                           {**groups, "match": match.group(), "section": section, "formula": self.text,
                            **self._shown(shown)},
                           subject=match.group())

    def _matches(self, facts: Facts, text: str) -> tuple[timed_re.Match, ...]:
        # Searched once per report for the rules that share a regex (a YAML anchor: NAR-002 and NAR-010
        # read the same lists, NAR-003 and NAR-011 the same counts).
        found = facts.shared.get(("search", self.regex, text))
        if found is None:
            try:
                found = facts.shared[("search", self.regex, text)] = tuple(self.regex.finditer(text, timeout=TIME_LIMIT))
            except TimeoutError:
                raise _too_slow(self.written, self.position) from None
        return found

    def _readings(self, facts: Facts, match: timed_re.Match, line: int) -> dict[str, Operand]:
        """The operand of each reading of the list ``sum()`` reads; the whole list is the last one."""
        summing = self.summing
        group = match.group(summing.call.argument.text)
        listing = facts.shared.get(("list", group, summing.count))
        if listing is None:
            try:
                listing = (read_list(group, summing.count, TIME_LIMIT) if group is not None
                           else Listing(problem=f"文字中没有“{summing.call.argument.text}”部分"))
            except TimeoutError:
                raise _too_slow(summing.written, self.position) from None
            facts.shared[("list", group, summing.count)] = listing  # read once for NAR-002 and NAR-010
        if listing.problem is not None:
            return {name: Operand.missing(listing.problem, line) for name in summing.readings}
        sums = listing.sums
        padded = [*sums[:-1], *[sums[-1]] * (len(summing.readings) - len(sums) + 1)]
        return {name: Operand(value, line=line) for name, value in zip(summing.readings, padded)}

    def _shown(self, shown: dict[str, Operand]) -> dict[str, str]:
        """Expected and actual as a message shows them, the whole list standing for ``sum()`` (the
        compiled assertion is an ``or`` over the readings, which has no two sides of its own)."""
        if self.summing is None or not isinstance(self.formula, Compare) or any(
                o.value is None for o in shown.values()):
            return {}
        values = {name: operand.value for name, operand in shown.items()}
        return {"actual": str(evaluate(self.formula.left, values)),
                "expected": str(evaluate(self.formula.right, values))}

    def _operand(self, ref, match: timed_re.Match, names: dict[str, Name], facts: Facts, line: int) -> Operand:
        if ref.text in self.regex.groupindex:
            value = _number(match.group(ref.text))
            return (Operand(value, line=line) if value is not None
                    else Operand.missing(f"文字“{match.group()}”中的{ref.text}不是数字", line))
        return names[ref.text].read(facts, None)


def _written(options: dict, option: str) -> str:
    """A regex option as the rule file writes it (before the loader wrote out the vocabulary)."""
    text = options[option]
    return text.source if isinstance(text, Expansion) else str(text)


def _compile(options: dict, option: str) -> timed_re.Pattern:
    text = options[option]
    try:
        re.compile(str(text))
        return timed_re.compile(str(text))
    except (re.error, timed_re.error) as error:
        # Placed in the regex as written, before the vocabulary's {{ 名称 }} were written out.
        at = text.written(error.pos or 0) if isinstance(text, Expansion) else error.pos or 0
        raise OptionError(option, f"正则表达式错误（第{at + 1}个字符）：{told(error)}", offset=at) from None


def configure(options: dict, formats: list[Format]) -> PatternCheck:
    regex = _compile(options, "regex")
    where = str(options["in"])
    if where not in ("text", "title", *_SECTIONS):
        raise OptionError("in", "in 只能是 text、title 或章节序号 一 至 六")
    if options["assert"] is None:
        expect = str(options["expect"])
        if expect not in _EXPECT:
            raise OptionError("expect", "expect 只能是 present 或 absent")
        if options["count"] is not None:
            raise OptionError("count", "count 只用于 assert 中的 sum()；这条规则用 expect，请删去 count", value=False)
        return PatternCheck(regex, where, parse(_EXPECT[expect]), False, _EXPECT[expect], {},
                            written=_written(options, "regex"))
    formula, text = tabular.parse_formula(options, "assert")
    if not is_condition(formula):
        raise OptionError("assert", "assert 应为比较")
    names: dict[str, dict[str, Name]] = {}
    calls = [ref for ref in refs(formula) if isinstance(ref, Call)]
    for call in calls:
        if call.argument.text not in regex.groupindex:
            raise OptionError("assert", f"sum() 中的“{call.argument.text}”不是正则表达式的命名分组", offset=call.offset)
        if call.text != calls[0].text:
            raise OptionError("assert", f"一条规则只能对一个分组求和（已有 {calls[0].text}）；请把另一个写成另一条规则",
                              offset=call.offset)
    if options["count"] is not None and not calls:
        raise OptionError("count", "count 是 sum() 中每一项件数的写法；assert 中没有 sum()，请删去 count", value=False)
    for fmt in formats:
        names[fmt.name] = {}
        for ref in refs(formula):
            if not isinstance(ref, Call) and ref.text not in regex.groupindex:
                try:
                    names[fmt.name][ref.text] = resolve(ref, fmt, None, "table")
                except OptionError as error:
                    raise OptionError("assert", error.message, error.suggestion, offset=ref.offset) from None
    summing = None
    if calls:
        count = _compile(options, "count") if options["count"] is not None else timed_re.compile(_COUNT)
        summing = _summing(formula, calls[0], count, _written(options, "count") if options["count"] else _COUNT)
    return PatternCheck(regex, where, formula, True, text, names, summing, _written(options, "regex"))
