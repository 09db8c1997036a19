"""``ogi-audit audit PATH... [--rules DIR] [--json FILE] [-o DIR] [--settings FILE] [--db URL | --no-db]
[--outputs LIST] [--jobs N | --dask ADDRESS] [--time-limit SECONDS] [--no-reuse] [--quiet]``.

Audits files and folders, records the run in the history store (engine.history: ``--db``, else
``$OGI_AUDIT_DB``, else the user's data folder), writes ``<out>/findings.json`` (and ``--json FILE``),
then the pages, CSV, xlsx, SARIF and notices (engine.render; ``--outputs`` chooses which, see
engine.render.outputs), and prints a short summary in Chinese. The reports are read, audited and
rendered on worker processes or a Dask cluster (engine.batch), with progress on stderr.

Exit status (never 0 unless every input was audited): 0 every input audited and no finding is an error;
1 every input audited and errors found (an error an auditor dismissed with ``ogi-audit review`` does
not count); 2 bad usage, an output folder that is or lies in a folder to audit, invalid rule files or
settings, a history store that cannot be opened or written (nothing is written then), or no report
could be read at all;
3 some inputs could not be read (the others were audited and written; the summary and the dashboard
name the ones that were not).

The settings are read and the history store opened first, so that a bad settings file or store stops
the run before anything is audited or written. The store stays open until the notices are written: their
numbers continue from it (engine.history.numbers). While the settings hold the defaults' "××", every
notice is a draft and stderr names the settings to fill in.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from .. import RULES_DIR
from ..audit import run_audit
from ..batch.pipeline import Batch, BatchError
from ..batch.pool import TIME_LIMIT, InProcess, LocalPool, default_jobs
from ..batch.progress import Progress
from ..batch.tasks import rule_engine
from ..history import ENVIRONMENT, default_path
from ..history.errors import HistoryError
from ..inputs import input_folder_holding
from ..os_reasons import os_reason
from ..model import AuditRun, ReportAudit
from ..parse.readers import accepted
from ..render.outputs import EXPORTS, OUTPUTS, ExportWriter, listing_every_report, written
from ..rules import RuleFileError
from ..yamlsource import SourceError

if TYPE_CHECKING:
    from ..history.store import HistoryStore
    from ..render.settings import Settings

#: The summary lists every report of a batch of up to this many; of a larger one, those with errors.
LISTED = 30
#: The environment variable that gives the number of worker processes when --jobs is not given.
JOBS_ENVIRONMENT = "OGI_AUDIT_JOBS"
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
#: Exit statuses (see the module docstring).
CLEAN, ERRORS, BAD_INPUT, INCOMPLETE = 0, 1, 2, 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help=f"年度报告文件或文件夹（含子文件夹）。按文件内容识别：{accepted()}")
    parser.add_argument("--rules", type=Path, default=RULES_DIR, metavar="DIR", help="规则文件夹（默认：rules/）")
    parser.add_argument("--json", type=Path, metavar="FILE", help="另存一份问题清单 JSON")
    parser.add_argument("-o", "--out", type=Path, default=Path("audits"), metavar="DIR",
                        help="输出文件夹（默认：audits/）")
    parser.add_argument("--settings", type=Path, metavar="FILE", help="页面和整改通知书的设置文件")
    parser.add_argument("--outputs", default=",".join(OUTPUTS), metavar="LIST",
                        help=f"写出哪些结果，用逗号分隔：{','.join(OUTPUTS)}（默认全部）")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=int, default=None, metavar="N",
                       help=f"同时审核的工作进程数（默认：环境变量 {JOBS_ENVIRONMENT}，未设置时为全部 CPU 核数）；"
                            "0 表示在本进程中逐份审核（不隔离出错的报告，仅供排查问题）")
    where.add_argument("--dask", metavar="ADDRESS",
                       help="在 Dask 集群上审核：调度器地址（如 tcp://10.0.0.5:8786），或 local（在本机启动一个）；"
                            "报告、规则和输出文件夹须在各工作节点上可按同一路径访问")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT, metavar="SECONDS",
                        help=f"每份报告最多处理多少秒，超时即停止并重试一次，仍超时则列为未审核（默认 {TIME_LIMIT:g}）")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    parser.add_argument("--no-reuse", action="store_true",
                        help="重新读取和审核每个文件：不沿用审核历史库中同一文件（内容相同、规则和版本未变）的审核结果")
    store = parser.add_mutually_exclusive_group()
    store.add_argument("--db", metavar="URL",
                       help=f"审核历史库：sqlite:///文件路径、postgresql://用户@主机/数据库 或文件路径"
                            f"（默认：环境变量 {ENVIRONMENT}，未设置时为 {default_path()}）")
    store.add_argument("--no-db", action="store_true", help="本次审核不记入审核历史库")


def run(args: argparse.Namespace) -> int:
    from ..history.store import HistoryStore
    from ..render import load_settings
    from ..render.outputs import OutputsError, chosen_outputs
    try:
        outputs = chosen_outputs(args.outputs)
    except OutputsError as error:
        print(f"{error}。未进行审核。", file=sys.stderr)
        return BAD_INPUT
    if (folder := input_folder_holding(args.paths, args.out)) is not None:
        same = folder.resolve() == args.out.resolve()
        where = f"就是要审核的文件夹 {folder}" if same else f"在要审核的文件夹 {folder} 之中"
        print(f"输出文件夹 {args.out} {where}，审核结果不能和报告放在一起，未进行审核。"
              "请用 -o 指定要审核的文件夹以外的输出文件夹。", file=sys.stderr)
        return BAD_INPUT
    try:
        settings = load_settings(args.settings)
    except SourceError as error:
        print(f"设置文件有误，未进行审核：\n{error}", file=sys.stderr)
        return BAD_INPUT
    try:
        history = None if args.no_db else HistoryStore.open(args.db)
    except HistoryError as error:
        print(f"{error}\n未进行审核。", file=sys.stderr)
        return BAD_INPUT
    try:
        batch = _batch(args)
    except BatchError as error:
        print(f"{error}\n未进行审核。", file=sys.stderr)
        return BAD_INPUT
    try:  # open until the notices are written: their numbers continue from the store
        with batch:
            return _audit_and_write(args, settings, outputs, history, batch)
    finally:
        if history is not None:
            history.close()


def _batch(args: argparse.Namespace) -> Batch:
    """Where the reports are audited (``--jobs``, ``--dask``), with their spool and progress."""
    progress = Progress.quiet if args.quiet else Progress.on_stderr
    if args.time_limit <= 0:
        raise BatchError(f"--time-limit 须大于 0 秒（现为 {args.time_limit:g}）")
    if args.dask:
        from ..batch.cluster import DaskPool
        # The workers read and write the spool by its path: beside the results, on the shared storage.
        return Batch(DaskPool.connect(args.dask), args.out, progress, reuse=not args.no_reuse)
    jobs = jobs_wanted(args.jobs)
    executor = InProcess() if jobs == 0 else LocalPool(jobs, args.time_limit, partial(rule_engine, str(args.rules)))
    return Batch(executor, Path(tempfile.gettempdir()), progress, reuse=not args.no_reuse)


def jobs_wanted(given: int | None) -> int:
    """``--jobs``, else ``$OGI_AUDIT_JOBS``, else every core."""
    if given is None:
        text = os.environ.get(JOBS_ENVIRONMENT, "").strip()
        if not text:
            return default_jobs()
        try:
            given = int(text)
        except ValueError:
            raise BatchError(f"环境变量 {JOBS_ENVIRONMENT} 应为工作进程数（整数），现为“{text}”") from None
    if given < 0:
        raise BatchError(f"工作进程数不能为负数（现为 {given}）")
    return given


def _audit_and_write(args: argparse.Namespace, settings: Settings, outputs: tuple[str, ...],
                     history: HistoryStore | None, batch: Batch) -> int:
    from ..render import write_outputs
    from ..render.notice import batch_numbering
    from ..render.outputs import NOTICES
    try:
        result = run_audit(args.paths, args.rules, args.out, history, batch)
    except RuleFileError as error:
        print(f"规则文件有误，未进行审核：\n{error}", file=sys.stderr)
        return BAD_INPUT
    except HistoryError as error:
        print(f"{error}\n审核结果未记入审核历史，也未写出。", file=sys.stderr)
        return BAD_INPUT
    if not result.audits:
        print("没有读取到任何年度报告，未进行审核。", file=sys.stderr)
        for item in result.unreadable:
            print(f"  {item.source}：{item.reason}", file=sys.stderr)
        return BAD_INPUT
    if history is None:
        numbering = batch_numbering
    else:
        from ..history.numbers import store_numbering
        numbering = store_numbering(history)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        tally = Tally.opened(result)
        kept = write_outputs(result, args.out, settings, outputs, numbering, batch.render, batch.made_from,
                             keep=batch.reuse, counted=[tally, *_extra_json(args, outputs, result, settings)])
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"无法写入输出{where}：{os_reason(error)}", file=sys.stderr)
        return BAD_INPUT
    except HistoryError as error:
        print(f"{error}\n审核已记入审核历史（记录编号 {history.recorded}），但整改通知书未能编号，未全部写出。",
              file=sys.stderr)
        return BAD_INPUT
    print(summary(result, tally, args.out, outputs, batch.reused))
    if history is not None:
        print(f"已记入审核历史 {history.name}（记录编号 {history.recorded}）。")
    if settings.unfilled and NOTICES in outputs and tally.noticed:
        print(unfilled_notice(settings.unfilled, args.settings), file=sys.stderr)
    for item in kept:
        print(f"  {item}")
    for item in batch.render_failures:
        print(f"  {item.source}：{item.reason}", file=sys.stderr)
    if batch.render_failures or any(not item.excluded for item in result.unreadable):
        return INCOMPLETE
    return ERRORS if tally.counts.get("error") else CLEAN


def _extra_json(args: argparse.Namespace, outputs: tuple[str, ...], run: AuditRun,
                settings: Settings) -> list[ExportWriter]:
    """``--json FILE``: the findings JSON written as the exports are, from the same pass over the audits
    (a batch's audits are on disk, and a pass of its own loaded every one again); none where FILE is
    the ``findings.json`` this run writes anyway, rather than the same file open twice for writing."""
    findings = EXPORTS[0]
    if args.json is None or (findings.name in outputs and
                             args.json.resolve() == (args.out / findings.file).resolve()):
        return []
    return [findings.open(args.json, run, settings)]


def unfilled_notice(keys: tuple[str, ...], settings: Path | None) -> str:
    """What to do while the settings hold "××": which keys, and in which file."""
    from ..render.settings import DEFAULTS
    where = (f"在 {settings} 中填写" if settings is not None
             else f"复制 {DEFAULTS} 为本办的设置文件（或只写这几项），填写后运行时加 --settings 文件名")
    return (f"注意：发文机关等信息未填写，整改通知书均为草稿，不能直接发出：设置项 {'、'.join(keys)} 仍是“××”。"
            f"请{where}，再重新审核。")


@dataclass
class Tally:
    """What the summary and the exit status need of every audit, taken as the exports take them
    (engine.render.outputs.ExportWriter, writing nothing): the audits of a large batch are on disk
    (engine.batch.spool), and each pass over them loads every one again."""

    #: Whether every report gets a line (a batch of at most LISTED), or only those with an error.
    every: bool = True
    counts: Counter = field(default_factory=Counter)  #: findings standing, by severity
    dismissed: int = 0
    noticed: bool = False  #: some report needs a notice
    lines: list[str] = field(default_factory=list)

    @classmethod
    def opened(cls, run: AuditRun) -> Tally:
        return cls(every=len(run.audits) <= LISTED)

    def add(self, audit: ReportAudit) -> None:
        from ..render.notice import needs_notice
        self.counts.update(f.severity for f in audit.findings if not f.dismissed)
        self.dismissed += sum(1 for f in audit.findings if f.dismissed)
        self.noticed = self.noticed or needs_notice(audit)
        if self.every or audit.count("error"):
            self.lines.append(_line(audit))

    def close(self) -> None:
        """Nothing to close: an ExportWriter that writes nothing."""


def _line(audit: ReportAudit) -> str:
    report = audit.report
    parts = "，".join(f"{SEVERITY_NAMES[s]} {audit.count(s)}" for s in SEVERITY_NAMES if audit.count(s))
    not_run = f"；{len(audit.skipped)} 条规则有未检查项" if audit.skipped else ""
    return f"  {report.body or report.source} {report.year or ''}：{parts or '未发现问题'}{not_run}"


def summary(result: AuditRun, tally: Tally, out: Path, outputs: tuple[str, ...], reused: int = 0) -> str:
    lines = [f"审核了 {len(result.audits)} 份报告，使用 {len(result.rules)} 条规则。",
             "问题：" + "，".join(f"{SEVERITY_NAMES[s]} {tally.counts.get(s, 0)} 项" for s in SEVERITY_NAMES)
             + (f"；另有 {tally.dismissed} 项已人工排除（ogi-audit review），不计入" if tally.dismissed else "") + "。"]
    if reused:
        lines.append(f"其中 {reused} 份与审核历史中已审核的文件相同（内容、规则和版本都未变），沿用了当时的审核结果，"
                     "未重新审核（要全部重新审核，加 --no-reuse）。")
    if len(result.audits) > LISTED:
        every = "、".join(listing_every_report(outputs)[:2])
        lines.append(f"有错误的报告（{len(tally.lines)} 份{f'；全部报告见 {out}/ 下的 {every}' if every else ''}）："
                     if tally.lines else "没有发现错误的报告。")
    lines += tally.lines
    for item in result.unreadable:
        lines.append(f"  {'未审核' if item.excluded else '无法读取'}：{item.source}（{item.reason}）")
    failed = sum(1 for item in result.unreadable if not item.excluded)
    if failed:
        lines.append(f"注意：有 {failed} 个文件无法读取，没有审核，不能视为合格。")
    lines.append(f"结果已写入 {out}/：{'、'.join(written(outputs))}。")
    return "\n".join(lines)
