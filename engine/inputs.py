"""The command line's paths → every file to audit, and every other one listed with the reason.

"Never a silent pass": an office that audits a folder must see each file in it either audited or named
with why it was not. Folders are searched recursively and symbolic links followed (a link that leads
back into a folder already searched is named, not searched twice); hidden files and folders, Word's
lock files (``~$报告.docx``), a second path to a file already taken, and the output folder itself are
listed as not audited, never dropped. What a file *is* is decided by its bytes (engine.parse.readers),
not by its name, so nothing is left out for its suffix.
"""
from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from .model import Unreadable
from .os_reasons import os_reason

#: Files an editor or the system leaves beside documents, named so.
_LOCK_PREFIXES = ("~$", ".~lock.")


def _excluded(path: Path, reason: str) -> Unreadable:
    return Unreadable(str(path), reason, excluded=True)


def _hidden(path: Path) -> str | None:
    if path.name.startswith(_LOCK_PREFIXES):
        return "Office 或 WPS 打开文件时留下的临时锁定文件，不是报告，未审核"
    if path.name.startswith("."):
        return f"隐藏{'文件夹' if path.is_dir() else '文件'}（名称以“.”开头），未审核"
    return None


class _Walk:
    """One pass over the inputs; remembers what was taken so that nothing is audited twice."""

    def __init__(self, out_dir: Path | None) -> None:
        self.out_dir = out_dir.resolve() if out_dir is not None else None
        self.files: dict[Path, Path] = {}  # real path → the path it was first reached by
        self.folders: set[Path] = set()

    def path(self, path: Path, named: bool) -> Iterator[Path | Unreadable]:
        """``named``: given on the command line (a hidden file named there is audited)."""
        if path.is_symlink() and not path.exists():
            yield Unreadable(str(path), "符号链接指向的文件不存在")
            return
        if not path.exists():
            yield Unreadable(str(path), "文件或文件夹不存在")
            return
        real = path.resolve()
        if not named and (reason := _hidden(path)):
            yield _excluded(path, reason)
        elif self.out_dir is not None and (real == self.out_dir or self.out_dir in real.parents):
            yield _excluded(path, "这是本次审核的输出文件夹，不作为报告审核")
        elif path.is_dir():
            yield from self.folder(path, real)
        elif not path.is_file():
            yield Unreadable(str(path), "不是普通文件（设备、管道或套接字），无法读取")
        elif real in self.files:
            yield _excluded(path, f"与 {self.files[real]} 是同一个文件，已审核一次")
        else:
            self.files[real] = path
            yield path

    def folder(self, path: Path, real: Path) -> Iterator[Path | Unreadable]:
        if real in self.folders:
            yield _excluded(path, "符号链接指向已经审核过的文件夹，未重复审核")
            return
        self.folders.add(real)
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as error:
            yield Unreadable(str(path), f"无法打开文件夹（{os_reason(error)}）")
            return
        found = False
        for entry in entries:
            for item in self.path(Path(entry.path), named=False):
                found = True
                yield item
        if not found:
            yield Unreadable(str(path), "文件夹中没有任何文件")


def input_folder_holding(paths: Iterable[Path], out_dir: Path) -> Path | None:
    """The input folder that is, or holds, the output folder, if one does: the results must not be
    written among the reports (the walk above leaves such an output folder out all the same)."""
    out = out_dir.resolve()
    for path in paths:
        if Path(path).is_dir() and (out == (real := Path(path).resolve()) or real in out.parents):
            return Path(path)
    return None


def input_files(paths: Iterable[Path], out_dir: Path | None = None) -> Iterator[Path | Unreadable]:
    """Every file to audit, folders searched recursively in a stable order, or why a path was not."""
    walk = _Walk(out_dir)
    for path in paths:
        yield from walk.path(Path(path), named=True)
