"""``ogi-audit review FINGERPRINT --dismiss --reason TEXT | --confirm | --undo [--by NAME] [--db URL]``,
``ogi-audit review --list [--json]`` and ``ogi-audit review --export FILE.csv``.

An auditor's decision on a finding, recorded in the history store (engine.history.reviews) with who
and when, holds in every later audit while the finding's fingerprint holds (the same rule at the same
place of the same body and year): a dismissed finding is shown as such on the pages, leaves the notices
and is not counted (engine.resubmission). A fingerprint no recorded audit found is refused, so that a
mistyped one is never recorded as a decision on nothing. Exit status: 0 done, 2 bad usage, an unknown
fingerprint, nothing to undo, or a store that cannot be used.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

from ..history import ENVIRONMENT, default_path
from ..history.errors import HistoryError
from ..os_reasons import os_reason

DONE, BAD_INPUT = 0, 2
#: Option → the decision it records, and how it is said.
ACTIONS = {"dismiss": ("dismissed", "排除"), "confirm": ("confirmed", "确认"), "undo": ("undone", "撤销")}
NAMES = {decision: name for decision, name in ACTIONS.values()}
HEADER = ("时间", "决定", "指纹", "规则", "发布机关", "年度", "审核人", "理由", "审核记录编号")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("fingerprint", nargs="?", metavar="FINGERPRINT",
                        help="问题的指纹（见 findings.json、findings.csv 或报告页面）")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--dismiss", action="store_true", help="排除此问题（须写 --reason）：以后的审核中不计入、不列入通知书")
    action.add_argument("--confirm", action="store_true", help="确认此问题")
    action.add_argument("--undo", action="store_true", help="撤销对此问题的决定")
    action.add_argument("--list", action="store_true", help="列出所有决定")
    action.add_argument("--export", type=Path, metavar="FILE.csv", help="把所有决定导出为 CSV 文件")
    parser.add_argument("--reason", help="理由")
    parser.add_argument("--by", help="审核人（默认：当前系统用户）")
    parser.add_argument("--json", action="store_true", help="与 --list 一起用：输出 JSON")
    parser.add_argument("--db", metavar="URL",
                        help=f"审核历史库（默认：环境变量 {ENVIRONMENT}，未设置时为 {default_path()}）")


def run(args: argparse.Namespace) -> int:
    from ..history.store import HistoryStore
    deciding = next((name for name in ACTIONS if getattr(args, name)), None)
    if (problem := _usage_problem(args, deciding)) is not None:
        print(problem, file=sys.stderr)
        return BAD_INPUT
    try:
        store = HistoryStore.open(args.db)
    except HistoryError as error:
        print(error, file=sys.stderr)
        return BAD_INPUT
    try:
        if deciding is not None:
            return _decide(store, args, deciding)
        return _list(store, args)
    except HistoryError as error:
        print(error, file=sys.stderr)
        return BAD_INPUT
    finally:
        store.close()


def _usage_problem(args: argparse.Namespace, deciding: str | None) -> str | None:
    if deciding is None:
        return "--list 和 --export 不带指纹。" if args.fingerprint else None
    if not args.fingerprint:
        return f"--{deciding} 要写明问题的指纹：ogi-audit review 指纹 --{deciding}"
    if deciding == "dismiss" and not (args.reason or "").strip():
        return "排除问题须写明理由：--reason 理由（例如：该单位本年度确无此类申请，数值0属实）。"
    return None


def _decide(store, args: argparse.Namespace, deciding: str) -> int:
    from ..history.reviews import NothingToUndo, UnknownFingerprint, decide
    from ..history.rows import system_user
    fingerprint = args.fingerprint.strip()
    decision, name = ACTIONS[deciding]
    try:
        found = decide(store, fingerprint, decision, (args.reason or "").strip(), args.by or system_user())
    except UnknownFingerprint:
        print(f"审核历史库 {store.name} 中没有指纹为 {fingerprint} 的问题，未记录任何决定。"
              "请从 findings.json、findings.csv 或报告页面复制问题的指纹，并确认 --db 指向记录了该次审核的历史库。",
              file=sys.stderr)
        return BAD_INPUT
    except NothingToUndo:
        print(f"指纹为 {fingerprint} 的问题目前没有决定，无可撤销。", file=sys.stderr)
        return BAD_INPUT
    print(f"已记录：{name} {found.body or '未识别的机关'} {found.year or ''} 规则 {found.rule} 的问题"
          f"（指纹 {fingerprint}）：{found.message}")
    return DONE


def _list(store, args: argparse.Namespace) -> int:
    from ..history.reviews import decisions
    from ..render.findings_csv import safe_cell
    made = store.read(lambda connection: decisions(connection, store.tables))
    rows = [(f"{d.at.astimezone():%Y-%m-%d %H:%M}", NAMES[d.decision], d.fingerprint, d.rule or "", d.body or "",
             d.year or "", d.by or "", d.reason or "", d.run or "") for d in made]
    if args.export is not None:
        try:
            with args.export.open("w", encoding="utf-8-sig", newline="") as stream:  # Excel reads Chinese with the BOM
                writer = csv.writer(stream)
                writer.writerow(HEADER)
                writer.writerows([safe_cell(value) for value in row] for row in rows)
        except OSError as error:
            print(f"无法写入 {args.export}：{os_reason(error)}", file=sys.stderr)
            return BAD_INPUT
        print(f"已导出 {len(rows)} 项决定到 {args.export}。")
    elif args.json:
        print(json.dumps([{"fingerprint": d.fingerprint, "decision": d.decision, "reason": d.reason, "by": d.by,
                           "at": d.at.isoformat(timespec="seconds"), "rule": d.rule, "rule_digest": d.rule_digest,
                           "body": d.body, "year": d.year, "run": d.run} for d in made], ensure_ascii=False, indent=2))
    elif not rows:
        print(f"审核历史库 {store.name} 中还没有任何决定。")
    else:
        print("\t".join(HEADER))
        for row in rows:
            print("\t".join(map(str, row)))
    return DONE
