"""Vocabulary: the ways reports word one thing, kept as data, so that a rule's regex names them instead of
spelling every wording out in an alternation nobody can review.

Any YAML file in the rules folder's ``wording/`` may hold a ``phrases:`` mapping: each name is a list of
phrases written as reports write them (plain text, not regexes). In a ``pattern`` check's regex,
``{{ 名称 }}`` stands for any one of the phrases, each taken literally, the longest first (so that
``没有收到`` is tried before ``没有``). The other keys of those files are the parser's (title names,
contact labels …) and are not read here. A name given twice, a phrase list that is not a list of text, and
a regex naming a list that does not exist are rule-file problems at file:line, in the words ``rules
check`` prints.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..yamlsource import Node, Position, SourceError, load
from .errors import OptionError, Problem, did_you_mean

FOLDER = "wording"
KEY = "phrases"
#: ``{{ 名称 }}`` in a regex: the name of a phrase list.
REFERENCE = re.compile(r"\{\{\s*(?P<name>[^{}\s]+)\s*\}\}")


class Expansion(str):
    """A regex with its phrase lists written out, which remembers where each reference stood in the regex
    as the office wrote it: a check kind that finds a problem in the expanded text reports it at
    :meth:`written` (a str, so that it goes wherever a regex goes)."""

    #: The regex as written, ``{{ 名称 }}`` and all.
    source: str
    #: (start in the expansion, end in the expansion, start as written, end as written), per reference.
    spans: tuple[tuple[int, int, int, int], ...]

    def __new__(cls, text: str, source: str, spans: tuple[tuple[int, int, int, int], ...] = ()) -> Expansion:
        expansion = super().__new__(cls, text)
        expansion.source, expansion.spans = source, spans
        return expansion

    def written(self, offset: int) -> int:
        """The offset in the written regex of ``offset`` in the expanded one."""
        shift = 0
        for start, end, written_start, written_end in self.spans:
            if offset < start:
                break
            if offset < end:
                return written_start
            shift = written_end - end
        return offset + shift


@dataclass(frozen=True)
class Vocabulary:
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def expand(self, regex: str, option: str) -> Expansion:
        """``regex`` with each ``{{ 名称 }}`` replaced by its phrases; an unknown name is an
        :class:`OptionError` of ``option`` at the reference."""
        pieces, spans, position = [], [], 0
        for match in REFERENCE.finditer(regex):
            name = match["name"]
            if name not in self.phrases:
                known = "、".join(self.phrases) or "（无）"
                raise OptionError(option, f"词汇中没有“{name}”；{{{{ 名称 }}}} 只能引用 {FOLDER}/ 文件夹中 {KEY}: 下"
                                          f"写出的词汇，现有：{known}", did_you_mean(name, self.phrases),
                                  offset=match.start())
            pieces.append(regex[position:match.start()])
            start = sum(map(len, pieces))
            alternation = "(?:" + "|".join(re.escape(p) for p in self.phrases[name]) + ")"
            pieces.append(alternation)
            spans.append((start, start + len(alternation), match.start(), match.end()))
            position = match.end()
        pieces.append(regex[position:])
        return Expansion("".join(pieces), regex, tuple(spans))


def wording_files(directory: Path) -> list[Path]:
    """The phrase-list files of the rules folder ``directory`` (``wording/*.yaml``), in the order they
    are read: what load_vocabulary reads, and what the rule editor lists beside the rules."""
    folder = directory / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_vocabulary(directory: Path, display) -> tuple[Vocabulary, list[Problem]]:
    """The phrase lists of ``directory/wording/*.yaml`` and every problem found in them; ``display``
    names a file as problems show it."""
    phrases: dict[str, tuple[str, ...]] = {}
    given: dict[str, Position] = {}
    problems: list[Problem] = []
    for path in wording_files(directory):
        try:
            document = load(path, display(path))
        except SourceError as error:
            problems.append(Problem(error.position, "-", error.message))
            continue
        lists = document.get(KEY) if isinstance(document, Node) else None
        if lists is None:
            continue
        if not isinstance(lists, Node):
            problems.append(Problem(document.where(KEY, value=True), "-",
                                    f"{KEY}: 下应写“名称: [说法, 说法, …]”，每个名称一组说法"))
            continue
        for name, values in lists.items():
            where = lists.where(name)
            if name in given:
                problems.append(Problem(where, "-", f"词汇“{name}”重复（已在 {given[name]} 给出）；每个名称只写一处"))
                continue
            if (not isinstance(values, list) or not values
                    or not all(isinstance(v, str) and v.strip() for v in values)):
                problems.append(Problem(lists.where(name, value=True), "-",
                                        f"词汇“{name}”应为说法的列表（[说法, 说法, …]），每项是不为空的文字；"
                                        "数字等请加引号写作文字"))
                continue
            given[name] = where
            phrases[name] = tuple(sorted(dict.fromkeys(values), key=len, reverse=True))
    return Vocabulary(phrases), problems
