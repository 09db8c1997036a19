"""``ogi-audit audit PATH... [--rules DIR] [--json FILE] [-o DIR] [--settings FILE]``.

Audits files and folders, writes ``<out>/findings.json`` (and ``--json FILE``), then the pages, CSV
and notices (engine.render), and prints a short summary in Chinese. Exit 0 when no finding is an
error, 1 when one is, 2 for bad usage, invalid rule files or invalid settings (nothing is written then).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .. import RULES_DIR
from ..audit import audit_json, run_audit
from ..model import AuditRun
from ..rules import RuleFileError
from ..serialize import dumps

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="年度报告文件或文件夹（含子文件夹）")
    parser.add_argument("--rules", type=Path, default=RULES_DIR, metavar="DIR", help="规则文件夹（默认：rules/）")
    parser.add_argument("--json", type=Path, metavar="FILE", help="另存一份问题清单 JSON")
    parser.add_argument("-o", "--out", type=Path, default=Path("audits"), metavar="DIR",
                        help="输出文件夹（默认：audits/）")
    parser.add_argument("--settings", type=Path, metavar="FILE", help="页面和整改通知书的设置文件")


def run(args: argparse.Namespace) -> int:
    from ..render import SettingsError, write_outputs
    try:
        result = run_audit(args.paths, args.rules)
    except RuleFileError as error:
        print(f"规则文件有误，未进行审核：\n{error}", file=sys.stderr)
        return 2
    text = dumps(audit_json(result))
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "findings.json").write_text(text, encoding="utf-8")
        if args.json:
            args.json.write_text(text, encoding="utf-8")
        write_outputs(result, args.out, args.settings)
    except SettingsError as error:
        print(f"设置文件有误：{error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"无法写入输出：{error}", file=sys.stderr)
        return 2
    print(summary(result, args.out))
    return 1 if any(audit.count("error") for audit in result.audits) else 0


def summary(result: AuditRun, out: Path) -> str:
    counts = Counter(f.severity for audit in result.audits for f in audit.findings)
    lines = [f"审核了 {len(result.audits)} 份报告，使用 {len(result.rules)} 条规则。",
             "问题：" + "，".join(f"{SEVERITY_NAMES[s]} {counts.get(s, 0)} 项" for s in SEVERITY_NAMES) + "。"]
    for audit in result.audits:
        report = audit.report
        parts = "，".join(f"{SEVERITY_NAMES[s]} {audit.count(s)}" for s in SEVERITY_NAMES if audit.count(s))
        not_run = f"；{len(audit.skipped)} 条规则有未检查项" if audit.skipped else ""
        lines.append(f"  {report.body or report.source} {report.year or ''}：{parts or '未发现问题'}{not_run}")
    for item in result.unreadable:
        lines.append(f"  无法读取：{item.source}（{item.reason}）")
    lines.append(f"结果已写入 {out}/（findings.json、index.html 等）。")
    return "\n".join(lines)
