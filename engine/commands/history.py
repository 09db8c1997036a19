"""``ogi-audit history [BODY] [--json] [--db URL]``: the recorded audits of a body, or of all, with
their counts (errors, warnings, notes, checks not run), when, the run's number and the file; a table
for a person, ``--json`` for scripts.

The body is found as pairing finds it (engine.history.audits): 科技局 and 科学技术局 of one place are
one body. A body with no audit recorded is an answer, not an error: "没有记录" and exit 0 (``[]`` with
``--json``), so that a script can ask about every agency on its list. A name that cannot be matched at
all (no place in it: 科学技术局 could be any city's) exits 2 saying so, since "没有记录" might be false:
records may stand under the full name. A store that cannot be opened exits 2, as for ``audit``.
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
    from ..history.audits import AuditSummary

#: Exit statuses: 0 listed (perhaps nothing), 2 a name that matches no body or a store not usable.
LISTED, BAD_USAGE = 0, 2
COLUMNS = ("记录编号", "审核时间", "发布机关", "年度", "错误", "警告", "提示", "未检查", "文件")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("body", nargs="?", metavar="BODY", help="机关名称（不写则列出全部），如 洛阳市科学技术局、洛阳市科技局")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出，供脚本使用")
    parser.add_argument("--db", metavar="URL",
                        help=f"审核历史库（默认：环境变量 {ENVIRONMENT}，未设置时为 {default_path()}）")


def run(args: argparse.Namespace) -> int:
    from ..history.audits import audit_summaries
    from ..history.store import HistoryStore
    from ..pairing import body_names
    from ..wording import load_wording
    names = None
    if args.body is not None:
        names = body_names(args.body, load_wording().bodies)
        if not names:
            print(f"无法按“{args.body}”查找：名称中没有地名（如 洛阳市），不能确定是哪个机关。请写出机关全称。",
                  file=sys.stderr)
            return BAD_USAGE
    missing = _missing_file(args.db)
    if missing is not None:
        print(missing)
        return BAD_USAGE if args.db else LISTED
    try:
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
    if args.json:
        print(json.dumps([_json(audit) for audit in audits], ensure_ascii=False, indent=2))
    elif not audits:
        whose = f"“{args.body}”的" if args.body else ""
        print(f"审核历史 {store.name} 中没有{whose}审核记录。")
    else:
        print(_table(audits))
    return LISTED


def _missing_file(given: str | None) -> str | None:
    """Why there is nothing to list when the SQLite store named does not exist yet, or None: opening
    it would create an empty store, and a mistyped --db would be answered "没有记录"."""
    from ..history.location import described, store_url
    url, _ = store_url(given)
    if url.get_backend_name() != "sqlite" or not url.database or "uri" in url.query or Path(url.database).exists():
        return None
    return f"审核历史库 {described(url)} 不存在：还没有审核记入这里（请检查 --db 或环境变量 {ENVIRONMENT}）。"


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
