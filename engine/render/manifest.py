"""What a run wrote into ``<out>/reports`` and ``<out>/notices``, so that the next run touches only that.

An office works in the output folder: it edits a notice before sending it, or keeps its own files
there. A run therefore records each file it writes, with the sha256 of the bytes as written, in
``<out>/.ogi-audit-manifest.json``. On the next run a file is *ours* only while it is listed there
and its bytes are still those we wrote; only ours are replaced or, when this run no longer writes
them (a notice for a report that is now clean), removed.

Every other file is left exactly as it is: a file the office put there, one written by a version of
this tool that kept no manifest, and one we wrote that was edited since. When such a file sits where
this run would write, the run writes beside it under the first free name ``<name>.new.html`` (then
``.new2``, …), links its pages to that name, and names the file it kept in the summary. An office
that edited a notice expects to find its edited notice, not ours, under the name it knows, and the
fresh one next to it to compare; it deletes the edited one itself when it wants ours back under the
old name. An edited file this run would have removed is kept and named too. A notice's page and its
Word file share one name, so both move to ``.new`` together.

A run that writes only some of the folders (``--outputs``) neither replaces nor removes anything in
the others, and keeps their entries as they were, so that their files stay ours for a later run.

Each file written with a *recipe* (the digest of everything it is made from: engine.render.recipe) has
it recorded too, with the file's size and modification time as written. A later run whose recipe for
that file is the same keeps the file as it is (:meth:`OutputFolder.unchanged`, :meth:`OutputFolder.keep`)
instead of making it again, while the file is still ours: its size and time as recorded, or, where the
time moved (a copy, a backup restored), its bytes as written. Size and time are what git and make trust
too; reading every kept page back to hash it would cost more than the rest of a rerun.
"""
from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MANIFEST = ".ogi-audit-manifest.json"
#: The sub-folders whose files the manifest covers, and the kinds of file written there.
FOLDERS = ("reports", "notices")
SUFFIXES = (".html", ".docx")
#: States of a path (OutputFolder._state) that a run must neither overwrite nor remove.
_NOT_OURS = ("edited", "foreign")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ours_by_layout(relative: str) -> bool:
    """A manifest entry is trusted only for a path this module could have written, so that an edited
    manifest can never point a removal outside the two sub-folders."""
    parts = PurePosixPath(relative).parts
    return (len(parts) == 2 and parts[0] in FOLDERS and PurePosixPath(relative).suffix in SUFFIXES
            and parts[1] not in (".", ".."))


@dataclass(frozen=True)
class Kept:
    """A file in the output folder this run did not replace or remove, and why."""

    path: str
    edited: bool  #: we wrote it and it was changed since; otherwise we never wrote it
    instead: str | None  #: where this run wrote its own version, if it wrote one

    def __str__(self) -> str:
        why = "本工具写入后被修改过" if self.edited else "不是本工具写入的"
        if self.instead:
            return f"已保留 {self.path}（{why}，未覆盖），本次结果写入 {self.instead}"
        return f"已保留 {self.path}（{why}，未删除；本次审核不再生成这个文件，请自行处理）"


@dataclass(frozen=True, slots=True)
class Made:
    """What a file was made from (its recipe), and its size and modification time as written."""

    recipe: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, recipe: str, path: Path) -> Made:
        status = path.stat()
        return cls(recipe, status.st_size, status.st_mtime_ns)

    @classmethod
    def read(cls, entry: object) -> Made | None:
        """An entry of the manifest's ``made``, or None for one that is not what :meth:`saved` writes."""
        if (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                and all(type(n) is int for n in entry[1:])):
            return cls(*entry)
        return None

    def saved(self) -> list[str | int]:
        return [self.recipe, self.size, self.mtime_ns]


class OutputFolder:
    """The output folder as far as the manifest goes: where to write, what was written, what is left."""

    def __init__(self, root: Path, folders: Sequence[str] = FOLDERS) -> None:
        self.root = root
        self.folders = tuple(folders)  #: the ones this run writes
        self.written: dict[str, str] = {}
        self.made: dict[str, Made] = {}  #: of the files written or kept this run, those with a recipe
        self.kept: list[Kept] = []
        try:
            manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
            listed = manifest["files"]
            self.listed = {k: v for k, v in listed.items()
                           if isinstance(k, str) and isinstance(v, str) and _ours_by_layout(k)}
            made = manifest.get("made", {})
            self.recorded = {k: entry for k, v in made.items()
                             if k in self.listed and (entry := Made.read(v)) is not None}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.listed = {}  # no manifest (or not one we can trust): nothing here is ours
            self.recorded = {}

    def _state(self, relative: str) -> str:
        """``free`` (nothing there), ``ours``, ``edited`` or ``foreign``."""
        path = self.root / relative
        if not path.exists() and not path.is_symlink():
            return "free"
        if path.is_symlink() or not path.is_file() or relative not in self.listed:
            return "foreign"
        return "ours" if _sha256(path) == self.listed[relative] else "edited"

    def place(self, wanted: Sequence[tuple[str, tuple[str, ...]]]) -> list[str]:
        """For each (stem, suffixes) this run writes, the stem it may write under: the one wanted, or
        ``<stem>.new``, ``<stem>.new2``, … where a file that is not ours holds the wanted name."""
        taken = {stem.casefold() for stem, _ in wanted}
        placed = []
        for stem, suffixes in wanted:
            blocked = [(stem + s, state) for s in suffixes if (state := self._state(stem + s)) in _NOT_OURS]
            chosen, n = stem, 1
            while blocked and (chosen.casefold() in taken or
                               any(self._state(chosen + s) in _NOT_OURS for s in suffixes)):
                chosen, n = f"{stem}.new{n if n > 1 else ''}", n + 1
            taken.add(chosen.casefold())
            self.kept += [Kept(path, state == "edited", chosen + path[len(stem):]) for path, state in blocked]
            placed.append(chosen)
        for folder in self.folders:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        return placed

    def write(self, relative: str, data: bytes, recipe: str | None = None) -> None:
        """Write ``data`` as the file at ``relative``, recording its digest and what it was made from
        (``recipe``, None: nothing a later run could keep it by). The digest is of the bytes given,
        which are the bytes written: reading the file back cost an open and a read a file."""
        path = self.root / relative
        path.write_bytes(data)
        self.written[relative] = hashlib.sha256(data).hexdigest()
        if recipe is not None:
            self.made[relative] = Made.of(recipe, path)

    def unchanged(self, relatives: Sequence[str], recipe: str) -> bool:
        """Whether every file of ``relatives`` was made from ``recipe`` by an earlier run and is still
        as it wrote it, so that :meth:`keep` may keep it (see the module docstring)."""
        return bool(relatives) and all(self._unchanged(relative, recipe) for relative in relatives)

    def _unchanged(self, relative: str, recipe: str) -> bool:
        made = self.recorded.get(relative)
        if made is None or made.recipe != recipe:
            return False
        path = self.root / relative
        try:
            status = path.lstat()
        except OSError:
            return False
        if not stat.S_ISREG(status.st_mode) or status.st_size != made.size:
            return False
        if status.st_mtime_ns == made.mtime_ns:
            return True
        if _sha256(path) != self.listed[relative]:
            return False
        self.recorded[relative] = Made(recipe, status.st_size, status.st_mtime_ns)
        return True

    def keep(self, relative: str) -> None:
        """Keep the file at ``relative`` as this run's (:meth:`unchanged` said it may be)."""
        self.written[relative] = self.listed[relative]
        self.made[relative] = self.recorded[relative]

    def finish(self, complete: bool = True) -> list[Kept]:
        """Remove what we wrote before and did not write now, record what this run wrote (and what
        we wrote before and the office edited, so that it stays known as edited), and say what was kept.

        A run that stopped part-way (``complete=False``) removes nothing and keeps every earlier entry,
        so that the files it had not yet rewritten stay ours."""
        if not complete:
            self._save({**self.listed, **self.written}, {**self.recorded, **self.made})
            return self.kept
        listed, made = dict(self.written), dict(self.made)
        noted = {kept.path for kept in self.kept}
        for relative, digest in self.listed.items():
            if relative in self.written:
                continue
            if PurePosixPath(relative).parts[0] not in self.folders:
                listed[relative] = digest
                if relative in self.recorded:
                    made[relative] = self.recorded[relative]
                continue
            state = self._state(relative)
            if state == "ours":
                (self.root / relative).unlink()
            elif state == "edited":
                listed[relative] = digest
                if relative not in noted:
                    self.kept.append(Kept(relative, edited=True, instead=None))
        self._save(listed, made)
        return self.kept

    def _save(self, listed: dict[str, str], made: dict[str, Made]) -> None:
        """The manifest: the files that are ours and, of those made from a recipe, the recipe."""
        recipes = {relative: made[relative].saved() for relative in sorted(made) if relative in listed}
        (self.root / MANIFEST).write_text(
            json.dumps({"files": dict(sorted(listed.items())), "made": recipes}, ensure_ascii=False, indent=1),
            encoding="utf-8")
