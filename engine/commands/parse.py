"""``ogi-audit parse FILE [--json]``: what the parser read from one report.

For a person: body, year, format, sections, which tables have missing or unreadable rows, contact
details, statistical period and every warning. With ``--json``: the whole model (engine.serialize).
"""
from __future__ import annotations

import argparse
import sys

from ..model import Report
from ..parse import ReportError, parse_file
from ..parse.readers import accepted
from ..serialize import dumps, report_json

CONTACT_NAMES = {"address": "地址", "postcode": "邮编", "phone": "电话", "fax": "传真", "email": "电子邮箱",
                 "website": "网址"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help=f"年度报告文件，按内容识别：{accepted()}")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出完整的解析结果")


def run(args: argparse.Namespace) -> int:
    try:
        report = parse_file(args.file)
    except ReportError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    if args.json:
        print(dumps(report_json(report)))
    else:
        print(summary(report))
    return 0


def summary(report: Report) -> str:
    out = [f"文件：{report.source}",
           f"发布机关：{report.body or '（未读到）'}    年度：{report.year or '（未读到）'}    格式：{report.format or '—'}年格式"]
    found = "、".join(f"{s.number}（{report.place(s.line)}）" for s in report.sections) or "（未找到）"
    absent = [n for n in "一二三四五六" if report.section(n) is None]
    out.append(f"章节：{found}" + (f"；未找到：{'、'.join(absent)}" if absent and report.sections else ""))
    for key, table in report.tables.items():
        if not table.present:
            out.append(f"表{key}：未找到")
            continue
        parts = [f"缺{len(table.missing_rows)}行" if table.missing_rows else "",
                 f"{len(table.unreadable_rows)}行无法读取" if table.unreadable_rows else ""]
        status = "，".join(p for p in parts if p) or "完整"
        out.append(f"表{key}：{status}")
        out.extend(f"    缺少：{row}" for row in table.missing_rows)
        out.extend(f"    无法读取：{row}" for row in table.unreadable_rows)
    if report.contact:
        out.append("联系方式：" + "；".join(f"{CONTACT_NAMES[k]} {v.value}（{report.place(v.line)}）" for k, v in report.contact.items()))
    else:
        out.append("联系方式：（未找到）")
    period = report.period
    out.append(f"统计期限：{period.start} 至 {period.end}（{report.place(period.line)}）" if period else "统计期限：（未找到）")
    if report.warnings:
        out.append(f"提示（{len(report.warnings)}条）：")
        out.extend(f"  - {report.placed(w)}" for w in report.warnings)
    return "\n".join(out)
