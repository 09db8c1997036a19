"""Load and validate rule files: every problem of every file in one pass, then the rules or none.

A rule file (``rules/*.yaml``) is a list of rules. Each rule is checked key by key — misspelt keys,
unknown categories and severities, labels the format does not have, formulas that do not parse, regexes
that do not compile, message placeholders the check does not provide — and each problem is reported at
its file, line and column with the rule id, in the words ``ogi-audit rules check`` prints.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..facts import BODY_KINDS
from ..formats import Format, load_formats
from ..model import SEVERITIES
from ..yamlsource import Node, Position, SourceError, load
from . import kinds
from .errors import OptionError, Problem, RuleFileError, RulesFolderError, did_you_mean
from .kinds.pattern import REGEXES as PATTERN_REGEXES
from .kinds.pattern import PatternCheck
from .messages import COMMON, MessageError, check_template
from .rule import CATEGORIES, WHEN_MISSING, AppliesTo, Rule
from .vocabulary import Vocabulary, load_vocabulary

KEYS = ("id", "title", "description", "category", "severity", "applies_to", "check", "when_missing", "message",
        "basis", "remedy", "tests")
#: ``description`` is what the rule catalogue tells the office a rule checks: a rule without one would
#: be listed with nothing under 检查内容.
REQUIRED_KEYS = ("id", "title", "description", "category", "severity", "check", "message", "basis", "remedy")
APPLIES_KEYS = ("formats", "years", "bodies")
_MAPPING = "，而这个文件是“键: 值”的映射；若是一条规则，在 id: 前加“- ”；若是设置文件，应放在 settings/ 文件夹中"


def rule_files(directory: Path) -> list[Path]:
    """The YAML files directly in a directory, ``.yaml`` or ``.yml`` (a rule file saved with the shorter
    ending must not drop out of the audit unseen): ``formats/`` (the format dictionary) and ``settings/``
    (pages and notices) below it are not rules."""
    return sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


class _File:
    def __init__(self, path: Path, display: str, formats: dict[str, Format], vocabulary: Vocabulary) -> None:
        self.path, self.display, self.formats, self.vocabulary = path, display, formats, vocabulary
        self.problems: list[Problem] = []

    def problem(self, where: Position, rule: str, message: str, suggestion: str | None = None) -> None:
        self.problems.append(Problem(where, rule, message, suggestion))

    def rules(self, seen: dict[str, Position]) -> list[Rule]:
        try:
            document = load(self.path, self.display)
        except SourceError as error:
            self.problem(error.position, "-", error.message)
            return []
        if document is None:
            return []
        if not isinstance(document, list):
            # A mapping is reported, never skipped: a rule written without its leading "- " would
            # otherwise vanish from the audit unseen. Settings live in rules/settings/, which is not read.
            where, hint = ((document.where(), _MAPPING) if isinstance(document, Node)
                           else (Position(self.display, 1, 1), ""))
            self.problem(where, "-", "规则文件应为规则的列表（每条规则以“- id:”开头）" + hint)
            return []
        rules = []
        for entry in document:
            if not isinstance(entry, Node):
                self.problem(Position(self.display, 1, 1), "-", "列表中的每一项应为一条规则（id、title、check …）")
                continue
            rule = self.rule(entry, seen)
            if rule is not None:
                rules.append(rule)
        return rules

    def rule(self, node: Node, seen: dict[str, Position]) -> Rule | None:
        rule_id = str(node.get("id", "-"))
        count = len(self.problems)
        for name in node:
            if name not in KEYS:
                self.problem(node.where(name), rule_id, f"未知的键“{name}”", did_you_mean(name, KEYS))
        for name in REQUIRED_KEYS:
            if name not in node:
                self.problem(node.where(), rule_id, f"缺少 {name}:")
        if rule_id in seen:
            self.problem(node.where("id", value=True), rule_id, f"规则编号重复（已在 {seen[rule_id]} 使用）")
        seen.setdefault(rule_id, node.where("id", value=True))
        for name, allowed in (("category", CATEGORIES), ("severity", SEVERITIES),
                              ("when_missing", WHEN_MISSING)):
            value = node.get(name)
            if value is not None and value not in allowed:
                self.problem(node.where(name, value=True), rule_id,
                             f"{name} 只能是 {'、'.join(allowed)}，而不是“{value}”", did_you_mean(str(value), allowed))
        applies = self.applies_to(node.get("applies_to") or Node(), rule_id, node)
        formats = [f for f in self.formats.values() if not applies.formats or f.name in applies.formats]
        check = self.check(node.get("check"), rule_id, formats, node)
        kind = str(node["check"].get("type")) if isinstance(node.get("check"), Node) else None
        if kind in kinds.KINDS:
            self.message(node, rule_id, kind)
        if len(self.problems) > count or check is None:
            return None
        return Rule(id=rule_id, title=str(node["title"]), category=node["category"], severity=node["severity"],
                    applies_to=applies, kind=check[0], check=check[1],
                    when_missing=node.get("when_missing", "skip"), message=str(node["message"]),
                    basis=str(node["basis"]), remedy=str(node["remedy"]),
                    description=str(node["description"]), position=node.where(),
                    tests=tuple(node.get("tests") or ()), file=self.path.resolve())

    def applies_to(self, node: Any, rule_id: str, parent: Node) -> AppliesTo:
        if not isinstance(node, Node):
            self.problem(parent.where("applies_to", value=True), rule_id, "applies_to 应为映射（formats、years、bodies）")
            return AppliesTo()
        for name in node:
            if name not in APPLIES_KEYS:
                self.problem(node.where(name), rule_id, f"applies_to 没有“{name}”", did_you_mean(name, APPLIES_KEYS))
        formats = tuple(str(f) for f in node.get("formats") or ())
        for name in formats:
            if name not in self.formats:
                self.problem(node.where("formats", value=True), rule_id,
                             f"未知的格式“{name}”，可用：{'、'.join(self.formats)}", did_you_mean(name, self.formats))
        years = node.get("years") or {}
        if not isinstance(years, dict) or set(years) - {"from", "to"}:
            self.problem(node.where("years", value=True), rule_id, "years 应写作 {from: 2021} 或 {from: 2019, to: 2020}")
            years = {}
        bodies = tuple(str(b) for b in node.get("bodies") or ())
        for body in bodies:
            if body not in BODY_KINDS:
                self.problem(node.where("bodies", value=True), rule_id,
                             f"bodies 只能是 {'、'.join(BODY_KINDS)}，而不是“{body}”", did_you_mean(body, BODY_KINDS))
        return AppliesTo(formats, years.get("from"), years.get("to"), bodies)

    def check(self, node: Any, rule_id: str, formats: list[Format], parent: Node) -> tuple[str, Any] | None:
        if not isinstance(node, Node) or "type" not in node:
            if "check" in parent:
                self.problem(parent.where("check"), rule_id, "check 应为映射，并写明 type:")
            return None
        try:
            options = dict(node)
            if str(node["type"]) == "pattern":
                # {{ 名称 }} in a regex is a phrase list of the vocabulary (rules/wording/).
                options.update({o: self.vocabulary.expand(str(node[o]), o) for o in PATTERN_REGEXES if o in node})
            check = kinds.configure(str(node["type"]), options, formats)
        except OptionError as error:
            where = node.where(error.option, value=error.value) if error.option in node else node.where("type")
            if error.offset is not None and error.option in node and error.value:
                where = Position(where.file, where.line, where.column + error.offset)
            self.problem(where, rule_id, error.message, error.suggestion)
            return None
        if isinstance(check, PatternCheck):
            # A regex that runs past its time limit on a report is reported where it is written.
            check.position = node.where("regex", value=True)
        return str(node["type"]), check

    def message(self, node: Node, rule_id: str, kind: str) -> None:
        """The message, basis and remedy templates name only placeholders the check provides."""
        allowed = set(COMMON) | set(kinds.KINDS[kind].PLACEHOLDERS)
        check = node["check"]
        if kind == "pattern":
            try:
                allowed |= set(re.compile(str(check["regex"])).groupindex)
            except re.error:
                return
        for key_ in ("message", "basis", "remedy"):
            if key_ not in node:
                continue
            try:
                check_template(str(node[key_]), allowed)
            except MessageError as error:
                where = node.where(key_, value=True)
                self.problem(where, rule_id, error.message.replace("message", key_, 1), error.suggestion)


def _folder_files(directory: Path) -> list[Path]:
    """The rule files of a folder the office named, or :class:`RulesFolderError` saying what to name."""
    if not directory.exists():
        raise RulesFolderError(f"规则文件夹“{directory}”不存在；请指定存放规则文件（*.yaml）的文件夹，"
                               "或不指定而使用默认的 rules/")
    if not directory.is_dir():
        raise RulesFolderError(f"“{directory}”是一个文件，不是文件夹；请指定存放规则文件的文件夹（如 rules/），"
                               "而不是其中的一个文件")
    files = rule_files(directory)
    if not files:
        raise RulesFolderError(f"规则文件夹“{directory}”中没有规则文件（*.yaml 或 *.yml）；"
                               "请指定存放规则文件的文件夹（如 rules/）")
    return files


def load_rules(directory: Path, formats: dict[str, Format] | None = None) -> list[Rule]:
    """Every rule of ``directory``; raises :class:`RuleFileError` listing every problem found, or
    :class:`RulesFolderError` when the folder has no rule file to read."""
    files = _folder_files(directory)
    formats = formats or load_formats()
    vocabulary, problems = load_vocabulary(directory, _display)
    rules: list[Rule] = []
    seen: dict[str, Position] = {}
    for path in files:
        source = _File(path, _display(path), formats, vocabulary)
        rules += source.rules(seen)
        problems += source.problems
    if problems:
        raise RuleFileError(problems)
    return rules


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
