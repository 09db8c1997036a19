"""A rule file saved from the editor: what the save changes, said by rule id (:func:`change_summary`,
recorded with it in engine.history.changes), and the file written at once (:func:`write_rule_file`).
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .rule_drafts import RuleFile, entries


def change_summary(before: Path, after: Path) -> str:
    """What a save changes, by rule id: ``新增 TOT-009；删除 TOT-001；修改 TOT-002、TOT-003``."""
    old, new = entries(before), entries(after)
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
