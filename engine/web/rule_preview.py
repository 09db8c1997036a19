"""An edited rule file tried before it is saved: checked as ``ogi-audit rules check`` checks it, its
test cases run as ``ogi-audit rules test`` runs them, and the last batch audited with it, always on a
copy of the rules folder in a temporary folder (:func:`draft`), never on the real one.

The file is always one the app found in the rules folder (:class:`RuleFile`, from
:func:`rule_file_list`): the request names it, the list decides which file it is.

The test cases and the preview's audit run in worker processes (engine.batch.pool.LocalPool), never in
the server's: durable-rules' C core keeps every ruleset it was given until its process ends (measured:
running narrative.yaml's 53 cases in one process grew it by 36 MB each time), so a server that ran them
itself would grow with every click; and the worker's time limit (``WebConfig.check_seconds``) bounds a
rule that runs too long. The check itself (:func:`check`, every keystroke) is the loader alone, pure
Python whose memory stays flat (measured over a dozen folders), so it runs in the request.

The preview audits the inputs of the last batch audited in the browser (engine.history.web_batches:
the last one ``done`` with its run recorded; its files in engine.web.batches.BatchFolder) with the
edited rules, reading the history store for prior years, statuses and decisions but recording nothing,
and compares the findings of the edited file's rules (those it had before and has now) with that run's
recorded findings by fingerprint: what the change adds, and what it removes. Findings of other files'
rules are left out, so that a change saved to another file since the batch is not passed off as this
one's. The checks of those rules that the edited rules cannot run where the batch's audit could are
listed apart (not checked is never passed, nor a finding fixed), and a report that either audit could
not read is listed as not compared, with the reason. The whole preview is bounded
(:data:`PREVIEW_SECONDS`), each report by the workers' time limit.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from .. import FORMATS_DIR
from ..batch.progress import Progress
from ..history.reading import StoredAudit, Tables, stored_audits
from ..history.store import HistoryStore
from ..history.web_batches import DONE, BatchRow, all_batches
from ..model import AuditRun, Finding, ReportAudit
from ..rules.errors import Problem, RuleFileError, RulesFolderError
from ..rules.loader import rule_files
from ..rules.rule import Rule
from ..rules.vocabulary import _files as vocabulary_files
from ..yamlsource import Node, Position, SourceError, load

if TYPE_CHECKING:
    from .batches import BatchFolder

#: One preview at a time: each starts its own worker processes, on a machine the batches share.
_PREVIEWING = threading.Lock()
#: The longest a preview's audit may run: past it, the preview stops at the next report done (each
#: report is bounded by the workers' time limit too), and says so rather than count half the batch.
PREVIEW_SECONDS = 240.0


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
    return vocabulary_files(rules_dir)


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


def change_summary(before: Path, after: Path) -> str:
    """What a save changes, by rule id: ``新增 TOT-009；删除 TOT-001；修改 TOT-002、TOT-003``."""
    old, new = _entries(before), _entries(after)
    parts = [(what, ids) for what, ids in (
        ("新增", [i for i in new if i not in old]), ("删除", [i for i in old if i not in new]),
        ("修改", [i for i in new if i in old and new[i] != old[i]])) if ids]
    return "；".join(f"{what} {'、'.join(ids)}" for what, ids in parts) or "规则内容未变（只改了注释、空行或写法）"


def write_rule_file(file: RuleFile, text: str) -> None:
    """Replace ``file`` with ``text`` at once: written beside it under a name the loader does not read
    (not ``.yaml``), then moved over it, so that an audit never reads half a file."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{file.path.stem}-", suffix=".saving", dir=file.path.parent)
    try:
        with open(descriptor, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, file.path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class Difference:
    """A finding the change would add or remove, or a check it would leave undone, in one report."""

    source: str  #: the input by the name it was uploaded under
    body: str
    rule: str
    place: str
    what: str  #: the finding's message, or why the check could not be run
    severity: str | None = None
    finding: Finding | None = None


@dataclass
class Preview:
    """The edited file's effect on the last batch, or why there is none to show (``reason``)."""

    batch: BatchRow | None = None
    reason: str | None = None
    problems: list[ProblemView] = field(default_factory=list)
    added: list[Difference] = field(default_factory=list)
    removed: list[Difference] = field(default_factory=list)
    #: Checks of the file's rules the batch ran and the edited rules cannot (not checked is not passed).
    unchecked: list[Difference] = field(default_factory=list)
    compared: int = 0  #: reports compared
    not_compared: list[tuple[str, str]] = field(default_factory=list)  #: (input, why)
    rules: list[str] = field(default_factory=list)  #: the rule ids compared

    @property
    def reports(self) -> int:
        """The reports the added findings are in."""
        return len({item.source for item in self.added})

    @property
    def summary(self) -> str:
        return f"会新增 {len(self.added)} 项问题，涉及 {self.reports} 份报告；减少 {len(self.removed)} 项"


def last_done_batch(store: HistoryStore) -> BatchRow | None:
    """The batch audited in the browser that finished last with its run recorded."""
    batches = store.read(lambda connection: all_batches(connection, store.tables))
    return next((batch for batch in batches if batch.state == DONE and batch.run is not None), None)


def preview(store: HistoryStore, data_dir: Path, rules_dir: Path, file: RuleFile, text: str, jobs: int,
            time_limit: float) -> Preview:
    """The edited file's effect on the last batch (see the module docstring)."""
    from .batches import BatchFolder
    batch = last_done_batch(store)
    if batch is None:
        return Preview(reason="还没有审核完成的批次，无法预览：请先在“批次”页上传并审核一批报告。")
    folder = BatchFolder.of(data_dir, batch.id)
    if not folder.inputs.is_dir():
        return Preview(batch, reason=f"批次 {batch.id}（{batch.title}）的报告文件已不在服务器上，无法预览。")
    if not _PREVIEWING.acquire(blocking=False):
        return Preview(batch, reason="另一次预览正在进行，请稍后再试。")
    try:
        with draft(rules_dir, file, text) as copy:
            found = checked(copy)
            if found.problems:
                return Preview(batch, reason="规则文件有写法问题，改正后才能预览。", problems=found.problems)
            ids = set(_entries(file.path)) | {rule.id for rule in found.of(file)}
            return _compared(store, batch, folder, copy, ids, jobs, time_limit)
    finally:
        _PREVIEWING.release()


def _entries(path: Path) -> dict[str, dict]:
    """The rules written in ``path`` by id, as written (read alone: another file's problem must not hide
    which rules this one has); none where it cannot be read."""
    try:
        document = load(path, path.name)
    except (SourceError, OSError):
        return {}
    entries = document if isinstance(document, list) else []
    return {str(entry["id"]): dict(entry) for entry in entries if isinstance(entry, Node) and "id" in entry}


def _compared(store: HistoryStore, batch: BatchRow, folder: BatchFolder, copy: Path, ids: set[str], jobs: int,
              time_limit: float) -> Preview:
    from ..audit import run_audit
    from ..batch.pipeline import Batch
    from ..batch.pool import LocalPool
    from ..batch.tasks import rule_engine
    recorded = {_key(folder, audit.source): audit
                for audit in store.read(lambda connection: _recorded(connection, store.tables, batch.run))}
    result = Preview(batch, rules=sorted(ids))
    read_again: set[str] = set()
    executor = LocalPool(jobs, time_limit, partial(rule_engine, str(copy)))
    try:
        with Batch(executor, copy.parent, partial(_Deadline, time.monotonic() + PREVIEW_SECONDS)) as work:
            run = run_audit([folder.inputs], copy, None, _Unrecorded(store), work)
            for audit in run.audits:
                key = _key(folder, audit.report.source)
                read_again.add(key)
                if key in recorded:
                    _differences(result, folder.name_of(audit.report.source), audit, recorded[key], ids)
                else:
                    result.not_compared.append((folder.name_of(audit.report.source),
                                                "批次审核时未能读取该报告，没有可比较的结果"))
    except (RuleFileError, RulesFolderError, SourceError) as error:
        return Preview(batch, reason=f"用修改后的规则审核时出错，未能预览：{error}")
    except _TooLong:
        return Preview(batch, reason=f"预览超过 {PREVIEW_SECONDS:g} 秒仍未审核完该批次的报告，已停止，没有结果。"
                                     "可先运行测试用例；保存后，下一个批次会按新规则审核。")
    unread = {_key(folder, item.source): item.reason for item in run.unreadable}
    result.not_compared += [(folder.name_of(audit.source), f"预览时未能审核：{unread.get(key, '原因不明')}")
                            for key, audit in recorded.items() if key not in read_again]
    return result


def _differences(result: Preview, name: str, audit: ReportAudit, stored: StoredAudit, ids: set[str]) -> None:
    """Add to ``result`` what ``audit`` (with the edited rules) finds that the batch's audit of the same
    file (``stored``) did not, and the reverse, and the checks it could not run that the batch's did;
    each placed in the report as read again (the same file)."""
    from ..render.wording import body, place
    report = audit.report
    old = [f for f in stored.findings if f.rule in ids]
    new = [f for f in audit.findings if f.rule in ids]
    olds, news = {f.fingerprint for f in old}, {f.fingerprint for f in new}

    def differences(findings: list[Finding], other: set[str]) -> list[Difference]:
        return [Difference(name, body(report), f.rule, place(f.location, report), f.message, f.severity, f)
                for f in findings if f.fingerprint not in other]
    before = {(s.rule, s.reason) for s in stored.skipped}
    result.compared += 1
    result.added += differences(new, olds)
    result.removed += differences(old, news)
    result.unchecked += [Difference(name, body(report), s.rule, "", s.reason) for s in audit.skipped
                         if s.rule in ids and (s.rule, s.reason) not in before]


def _recorded(connection: Connection, t: Tables, run: int) -> list[StoredAudit]:
    """The audits the batch's run recorded, with their findings."""
    reports = t["reports"]
    numbers = connection.execute(select(reports.c.number).where(reports.c.run == run)).scalars()
    return list(stored_audits(connection, t, [(run, number) for number in numbers]).values())


def _key(folder: BatchFolder, source: str | Path) -> str:
    """An input by its path within the batch's inputs folder, as recorded and as read again."""
    path = Path(source)
    try:
        return path.resolve().relative_to(folder.inputs.resolve()).as_posix()
    except ValueError:
        return str(source)


class _TooLong(Exception):
    """The preview's audit ran past :data:`PREVIEW_SECONDS`."""


class _Deadline(Progress):
    """A stage's progress in a preview, which stops the audit once its deadline has passed."""

    def __init__(self, deadline: float, what: str, total: int) -> None:
        super().__init__(what, total)
        self.deadline = deadline

    def advance(self) -> None:
        super().advance()
        if time.monotonic() > self.deadline:
            raise _TooLong


class _Unrecorded(HistoryStore):
    """The store as a preview's audit uses it: prior years, statuses and decisions are read from it as
    the batch's audit read them, but the preview's run is not recorded (it is no audit of the office)."""

    def __init__(self, store: HistoryStore) -> None:
        super().__init__(store.engine, store.url)

    def record(self, run: AuditRun, *_: object) -> int:
        return 0  # nothing written: a preview has no run id
