"""An edited rule file tried on a copy of the rules folder, never on the real one: the copy
(:func:`draft`), the problems ``ogi-audit rules check`` would print (:func:`check`, every keystroke), and
the file's test cases run as ``ogi-audit rules test`` runs them (:func:`run_tests`).

The file is always one the app found in the rules folder (:class:`RuleFile`, from
:func:`rule_file_list`): the request names it, the list decides which file it is.

The test cases run in a worker process (engine.batch.pool.LocalPool), never in the server's:
durable-rules' C core keeps every ruleset it was given until its process ends (measured: running
narrative.yaml's 53 cases in one process grew it by 36 MB each time), so a server that ran them itself
would grow with every click; and the worker's time limit (``WebConfig.check_seconds``) bounds a rule
that runs too long. The check itself is the loader alone, pure Python whose memory stays flat
(measured over a dozen folders), so it runs in the request.
"""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import FORMATS_DIR
from ..rules.errors import Problem, RuleFileError, RulesFolderError
from ..rules.loader import rule_files
from ..rules.rule import Rule
from ..rules.vocabulary import wording_files
from ..yamlsource import Node, Position, SourceError, load


@dataclass(frozen=True)
class RuleFile:
    """A rule file of the rules folder, as the editor lists it: its place in the list and its name."""

    index: int
    name: str
    path: Path


def rule_file_list(rules_dir: Path) -> list[RuleFile]:
    """The rule files ``load_rules`` reads, in its order; none when the folder is missing."""
    if not rules_dir.is_dir():
        return []
    return [RuleFile(i, path.name, path) for i, path in enumerate(rule_files(rules_dir))]


def format_file_list() -> list[Path]:
    """The format files the engine reads (engine.formats.load_formats), shown but not edited here."""
    return sorted(FORMATS_DIR.glob("*.yaml"))


def wording_file_list(rules_dir: Path) -> list[Path]:
    """The vocabulary files whose phrase lists the rules name (``{{ 名称 }}``), shown but not edited here."""
    return wording_files(rules_dir)


@dataclass(frozen=True)
class ProblemView:
    """One problem as ``rules check`` prints it, the file named within the rules folder."""

    file: str
    line: int
    column: int
    rule: str
    message: str
    suggestion: str | None
    text: str  #: the line ``rules check`` prints for it

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "rule": self.rule,
                "message": self.message, "suggestion": self.suggestion, "text": self.text}


@dataclass(frozen=True)
class Checked:
    """What the loader said of a rules folder: its problems, or its rules."""

    problems: list[ProblemView]
    rules: list[Rule] = field(default_factory=list)

    def of(self, file: RuleFile) -> list[Rule]:
        """The rules written in ``file``."""
        return [rule for rule in self.rules if rule.file.name == file.name]


@contextmanager
def draft(rules_dir: Path, file: RuleFile, text: str) -> Iterator[Path]:
    """A copy of ``rules_dir`` (its rule files, vocabulary and settings) in a temporary folder, with
    ``file`` holding ``text``; removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ogi-audit-rules-") as folder:
        copy = Path(folder) / "rules"
        shutil.copytree(rules_dir, copy)
        (copy / file.name).write_text(text, encoding="utf-8")
        yield copy


def check(rules_dir: Path, file: RuleFile, text: str) -> Checked:
    """The problems ``rules check`` finds in ``rules_dir`` with ``file`` holding ``text``."""
    with draft(rules_dir, file, text) as copy:
        return checked(copy)


def checked(folder: Path) -> Checked:
    """The problems of the rules folder ``folder`` (the real one, or a :func:`draft`), named within it,
    or its rules. The parser's wording is checked too, as ``rules check`` does (the audit stops on it)."""
    from ..rules import load_rules
    from ..wording import WORDING_DIR, load_wording
    try:
        rules = load_rules(folder)
        load_wording(WORDING_DIR)
    except RuleFileError as error:
        return Checked([_view(problem, folder) for problem in error.problems])
    except RulesFolderError as error:
        return Checked([_view(Problem(Position(folder.name, 1, 1), "-", str(error)), folder)])
    except SourceError as error:
        return Checked([_view(Problem(error.position, "-", error.message), folder)])
    return Checked([], rules)


def _view(problem: Problem, folder: Path) -> ProblemView:
    named = replace(problem, position=replace(problem.position, file=_within(problem.position.file, folder)))
    where = named.position
    return ProblemView(where.file, where.line, where.column, named.rule, named.message, named.suggestion, str(named))


def _within(file: str, folder: Path) -> str:
    """A file the loader named (relative to the working folder, or absolute) by its name in the rules
    folder: ``totals.yaml``, ``wording/narrative.yaml``; a file outside the folder as named."""
    path = Path(file) if Path(file).is_absolute() else Path.cwd() / file
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return file


@dataclass(frozen=True)
class CaseView:
    rule: str
    name: str
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Tested:
    """The edited file's test cases and how each went; ``problems`` when the file could not be loaded
    (no case is run then), ``failure`` when the worker did not finish (a case ran past the time limit)."""

    problems: list[ProblemView]
    cases: list[CaseView]
    failure: str | None = None

    @property
    def failed(self) -> list[CaseView]:
        return [case for case in self.cases if not case.passed]

    @property
    def passing(self) -> list[CaseView]:
        return [case for case in self.cases if case.passed]

    @property
    def passed(self) -> bool:
        return not self.problems and self.failure is None and not self.failed


@dataclass(frozen=True)
class _CasesTask:
    copy: str  #: the draft folder
    name: str  #: the edited file's name
    rules_dir: str  #: the real rules folder, which a case's ``sample:`` is relative to


def _run_cases(task: _CasesTask) -> list[CaseView]:
    """In a worker process: the cases of the edited file's rules. A case's sample is found beside the
    file where it is saved, not in the temporary copy."""
    from ..rules import load_rules
    from ..rules.cases import run_cases
    saved = Path(task.rules_dir) / task.name
    rules = [replace(rule, file=saved) for rule in load_rules(Path(task.copy)) if rule.file.name == task.name]
    return [CaseView(result.rule, result.name, result.problems) for result in run_cases(rules)]


def run_tests(rules_dir: Path, file: RuleFile, text: str, time_limit: float) -> Tested:
    """Check the edited file, then run its rules' test cases in a worker process."""
    with draft(rules_dir, file, text) as copy:
        return tested(copy, file, rules_dir, time_limit)


def tested(copy: Path, file: RuleFile, rules_dir: Path, time_limit: float) -> Tested:
    """:func:`run_tests` on a :func:`draft` of ``rules_dir``."""
    from ..batch.pool import Failure, LocalPool
    found = checked(copy)
    if found.problems:
        return Tested(found.problems, [])
    pool = LocalPool(1, time_limit)
    try:
        [(_, result)] = pool.run(_run_cases, [_CasesTask(str(copy), file.name, str(rules_dir.resolve()))])
    finally:
        pool.close()
    if isinstance(result, Failure):
        return Tested([], [], f"测试用例未能运行完：{result.reason}")
    return Tested([], result)


def entries(path: Path) -> dict[str, dict]:
    """The rules written in ``path`` by id, as written (read alone: another file's problem must not hide
    which rules this one has); none where it cannot be read."""
    try:
        document = load(path, path.name)
    except (SourceError, OSError):
        return {}
    listed = document if isinstance(document, list) else []
    return {str(entry["id"]): dict(entry) for entry in listed if isinstance(entry, Node) and "id" in entry}
