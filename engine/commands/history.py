"""``ogi-audit history [BODY] [--json] [--db URL]``: the recorded audits of a body, or of all, with
their counts (errors, warnings, notes, checks not run), when, the run's number and the file; a table
for a person, ``--json`` for scripts.

The body is found as pairing finds it (engine.history.audits): 科技局 and 科学技术局 of one place are
one body. A body with no audit recorded is an answer, not an error: "没有记录" and exit 0 (``[]`` with
``--json``), so that a script can ask about every agency on its list. A name that cannot be matched at
all (no place in it: 科学技术局 could be any city's) exits 2 saying so, since "没有记录" might be false:
records may stand under the full name. A store that cannot be opened exits 2, as for ``audit``; so
does an SQLite store named by ``--db`` or ``$OGI_AUDIT_DB`` whose file does not exist (a mistyped path
must not be answered "没有记录", nor an empty store be made there), while the default store not made
yet is the true answer that nothing was recorded on this machine.
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..history import ENVIRONMENT, default_path
from ..history.errors import HistoryError

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

    from ..history.audits import AuditSummary

#: Exit statuses: 0 listed (perhaps nothing), 2 a name that matches no body or a store not usable.
LISTED, BAD_USAGE = 0, 2
COLUMNS = ("记录编号", "审核时间", "发布机关", "年度", "错误", "警告", "提示", "未检查", "文件")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("body", nargs="?", metavar="BODY", help="机关名称（不写则列出全部），如 某市科学技术局、某市科技局")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    parser.add_argument("--db", metavar="URL",
                        help=f"审核历史库（默认：环境变量 {ENVIRONMENT}，未设置时为 {default_path()}）")


def run(args: argparse.Namespace) -> int:
    from ..history.audits import audit_summaries
    from ..history.location import described, store_url
    from ..history.store import HistoryStore
    from ..pairing import body_names
    from ..wording import load_wording
    names = None
    if args.body is not None:
        names = body_names(args.body, load_wording().bodies)
        if not names:
            print(f"无法按“{args.body}”查找：名称中没有地名（如 某市、某县），不能确定是哪个机关。请写出机关全称。",
                  file=sys.stderr)
            return BAD_USAGE
    try:
        url, default = store_url(args.db)
        if _not_there(url):  # opening would create an empty store, and a mistyped path be answered 没有记录
            if default:  # nothing recorded on this machine yet: a true answer
                _print(args, [], described(url))
                return LISTED
            print(f"审核历史库 {described(url)} 不存在，没有可列出的记录；请检查 --db 或环境变量 {ENVIRONMENT}。",
                  file=sys.stderr)
            return BAD_USAGE
        store = HistoryStore.open(args.db)
    except HistoryError as error:
        print(error, file=sys.stderr)
        return BAD_USAGE
    try:
        audits = store.read(lambda connection: audit_summaries(connection, store.tables, names))
    except HistoryError as error:
        print(error, file=sys.stderr)
        return BAD_USAGE
    finally:
        store.close()
    _print(args, audits, store.name)
    return LISTED


def _not_there(url: URL) -> bool:
    """Whether ``url`` is an SQLite store whose file does not exist."""
    return (url.get_backend_name() == "sqlite" and bool(url.database) and "uri" not in url.query
            and not Path(url.database).exists())


def _print(args: argparse.Namespace, audits: list[AuditSummary], where: str) -> None:
    if args.json:
        print(json.dumps([_json(audit) for audit in audits], ensure_ascii=False, indent=2))
    elif not audits:
        whose = f"“{args.body}”的" if args.body else ""
        print(f"审核历史 {where} 中没有{whose}审核记录。")
    else:
        print(_table(audits))


def _json(audit: AuditSummary) -> dict[str, Any]:
    return {"run": audit.run, "at": audit.at.isoformat(), "input": audit.number, "source": audit.source,
            "sha256": audit.sha256, "body": audit.body, "year": audit.year, "format": audit.format,
            "errors": audit.errors, "warnings": audit.warnings, "info": audit.info, "skipped": audit.skipped}


def _table(audits: list[AuditSummary]) -> str:
    rows = [COLUMNS] + [(str(a.run), f"{a.at.astimezone():%Y-%m-%d %H:%M}", a.body or "（未识别）", str(a.year or ""),
                         str(a.errors), str(a.warnings), str(a.info), str(a.skipped), a.source) for a in audits]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    return "\n".join("  ".join([*(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)), row[-1]])
                     for row in rows)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
