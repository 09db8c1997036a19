"""An edited rule file's effect on the last batch, before it is saved (the editor's 预览): what the
change adds, and what it removes (:func:`preview`). Run in the background by engine.web.rule_jobs, as
it audits a whole batch again.

The preview audits the inputs of the last batch audited in the browser (engine.history.web_batches:
the last one ``done`` with its run recorded; its files in engine.web.batches.BatchFolder) with the
edited rules, on a :func:`~engine.web.rule_drafts.draft` of the rules folder, reading the history
store for prior years, statuses and decisions but recording nothing, and compares the findings of the
edited file's rules (those it had before and has now) with that run's recorded findings by
fingerprint. Findings of other files' rules are left out, so that a change saved to another file since
the batch is not passed off as this one's. The checks of those rules that the edited rules cannot run
where the batch's audit could are listed apart (not checked is never passed, nor a finding fixed), and
a report that either audit could not read is listed as not compared, with the reason.

The audit runs in worker processes (engine.batch.pool.LocalPool, as the test cases do: see
engine.web.rule_drafts), each report bounded by the workers' time limit, the whole preview by
``WebConfig.preview_seconds``: past it, or once it is told to stop (the server stopping), it stops at
the next report done and says so rather than count half the batch.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from ..batch.progress import Progress
from ..history.reading import StoredAudit, Tables, stored_audits
from ..history.store import HistoryStore
from ..history.web_batches import DONE, BatchRow, all_batches
from ..model import Finding, ReportAudit
from ..rules.errors import RuleFileError, RulesFolderError
from ..yamlsource import SourceError
from .rule_drafts import ProblemView, RuleFile, checked, draft, entries

if TYPE_CHECKING:
    from .batches import BatchFolder

#: What a preview reports as it goes: the stage, the reports done in it, and its reports.
Reporter = Callable[[str, int, int], None]


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

    def to_dict(self) -> dict[str, Any]:
        """As the API answers it: with the finding as the CLI's JSON has it, when there is one."""
        return {"source": self.source, "body": self.body, "rule": self.rule, "place": self.place, "what": self.what,
                **({"fingerprint": self.finding.fingerprint, **self.finding.to_dict()} if self.finding else {})}


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

    def to_dict(self) -> dict[str, Any]:
        """As the API answers it (no summary where there is a reason)."""
        return {"reason": self.reason, "batch": self.batch.id if self.batch else None,
                "summary": None if self.reason else self.summary, "reports": self.reports, "compared": self.compared,
                **{key: [item.to_dict() for item in getattr(self, key)] for key in ("added", "removed", "unchecked")},
                "not_compared": [{"source": source, "reason": why} for source, why in self.not_compared],
                "problems": [problem.to_dict() for problem in self.problems]}


def last_done_batch(store: HistoryStore) -> BatchRow | None:
    """The batch audited in the browser that finished last with its run recorded."""
    batches = store.read(lambda connection: all_batches(connection, store.tables))
    return next((batch for batch in batches if batch.state == DONE and batch.run is not None), None)


@dataclass(frozen=True)
class Limits:
    """What bounds one preview's audit: its worker processes, each report's time, the whole preview's
    time, and the event that stops it early (the server stopping)."""

    jobs: int
    report_seconds: float
    seconds: float
    stop: threading.Event = field(default_factory=threading.Event)


def preview(store: HistoryStore, data_dir: Path, rules_dir: Path, file: RuleFile, text: str, limits: Limits,
            report: Reporter) -> Preview:
    """The edited file's effect on the last batch (see the module docstring); ``report`` is told each
    stage's progress."""
    from .batches import BatchFolder
    batch = last_done_batch(store)
    if batch is None:
        return Preview(reason="还没有审核完成的批次，无法预览：请先在“批次”页上传并审核一批报告。")
    folder = BatchFolder.of(data_dir, batch.id)
    if not folder.inputs.is_dir():
        return Preview(batch, reason=f"批次 {batch.id}（{batch.title}）的报告文件已不在服务器上，无法预览。")
    with draft(rules_dir, file, text) as copy:
        found = checked(copy)
        if found.problems:
            return Preview(batch, reason="规则文件有写法问题，改正后才能预览。", problems=found.problems)
        ids = set(entries(file.path)) | {rule.id for rule in found.of(file)}
        return _compared(store, batch, folder, copy, ids, limits, report)


def _compared(store: HistoryStore, batch: BatchRow, folder: BatchFolder, copy: Path, ids: set[str], limits: Limits,
              report: Reporter) -> Preview:
    from ..audit import run_audit
    from ..batch.pipeline import Batch
    from ..batch.pool import LocalPool
    from ..batch.tasks import rule_engine
    recorded = {_key(folder, audit.source): audit
                for audit in store.read(lambda connection: _recorded(connection, store.tables, batch.run))}
    result = Preview(batch, rules=sorted(ids))
    read_again: set[str] = set()
    executor = LocalPool(limits.jobs, limits.report_seconds, partial(rule_engine, str(copy)))
    deadline = time.monotonic() + limits.seconds
    try:
        with Batch(executor, copy.parent, partial(_Watched, deadline, limits.stop, report)) as work:
            run = run_audit([folder.inputs], copy, None, store, work, record=False)
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
    except _Stopped:
        return Preview(batch, reason="服务器正在停止，预览已中止，没有结果。请稍后重新预览。")
    except _TooLong:
        return Preview(batch, reason=f"预览超过 {limits.seconds:g} 秒仍未审核完该批次的报告，已停止，没有结果。"
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
    """The preview's audit ran past its time (``Limits.seconds``)."""


class _Stopped(Exception):
    """The preview was told to stop (``Limits.stop``)."""


class _Watched(Progress):
    """A stage's progress in a preview: reported as it goes, and the audit stopped once the deadline
    has passed or the stop is set."""

    def __init__(self, deadline: float, stop: threading.Event, report: Reporter, what: str, total: int) -> None:
        super().__init__(what, total)
        self.deadline, self.stop, self.report = deadline, stop, report

    def __enter__(self) -> _Watched:
        self.report(self.what, 0, self.total)
        return self

    def advance(self) -> None:
        super().advance()
        self.report(self.what, self.done, self.total)
        if self.stop.is_set():
            raise _Stopped
        if time.monotonic() > self.deadline:
            raise _TooLong
