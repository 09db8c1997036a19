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

import errno
import hashlib
import json
import sqlite3
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
    def read(cls, entry: object) -> Made | None:
        """An entry of the manifest's ``made``, or None for one that is not what :meth:`saved` writes."""
        if (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
                and all(type(n) is int for n in entry[1:])):
            return cls(*entry)
        return None

    def saved(self) -> list[str | int]:
        return [self.recipe, self.size, self.mtime_ns]


@dataclass(frozen=True, slots=True)
class Written:
    """A file as :func:`write_file` wrote it: the sha256 of its bytes, its size and modification time."""

    digest: str
    size: int
    mtime_ns: int


def write_file(root: Path, relative: str, data: bytes) -> Written:
    """Write ``data`` as the file at ``relative`` under ``root``. The digest is of the bytes given,
    which are the bytes written: reading the file back cost an open and a read a file. Called where
    the file is made, so that a batch's workers write the pages they render (the output folder is on
    storage they share, as the inputs are) and only this record travels back to be entered in the
    manifest, not the page's bytes to be written by the batch's own process."""
    path = root / relative
    path.write_bytes(data)
    status = path.stat()
    return Written(hashlib.sha256(data).hexdigest(), status.st_size, status.st_mtime_ns)


class OutputFolder:
    """The output folder as far as the manifest goes: where to write, what was written, what is left.

    What the manifest listed when the run began and what this run writes or keeps are held in a
    private temporary SQLite database (on disk, beyond a few MB of cache), not in dicts: a run lists
    two or three files a report, each with a digest and a recipe of 64 hex digits, and a batch of
    a nation's reports must run in flat memory (20,000 generated reports: about 12 MB held in the
    batch's own process for the whole pages stage, 24 MB in a rerun, which holds the old entries too)."""

    def __init__(self, root: Path, folders: Sequence[str] = FOLDERS) -> None:
        self.root = root
        self.folders = tuple(folders)  #: the ones this run writes
        self.kept: list[Kept] = []
        self._db = _Entries()
        try:
            manifest = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
            listed, made = manifest["files"], manifest.get("made", {})
            rows = []
            for relative, digest in listed.items():
                if isinstance(relative, str) and isinstance(digest, str) and _ours_by_layout(relative):
                    entry = Made.read(made.get(relative))
                    rows.append((relative, digest, *(entry.saved() if entry else (None, None, None))))
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            rows = []  # no manifest (or not one we can trust): nothing here is ours
        self._db.execute_many("INSERT OR REPLACE INTO before VALUES (?, ?, ?, ?, ?)", rows)

    def _listed(self, relative: str) -> str | None:
        """The digest the manifest listed ``relative`` with when the run began, or None."""
        found = self._db.execute("SELECT digest FROM before WHERE relative = ?", (relative,))
        return found[0][0] if found else None

    def _recorded(self, relative: str) -> Made | None:
        """What the manifest recorded ``relative`` as made from when the run began, or None."""
        found = self._db.execute("SELECT recipe, size, mtime_ns FROM before WHERE relative = ? AND recipe IS NOT NULL",
                                 (relative,))
        return Made(*found[0]) if found else None

    def _state(self, relative: str) -> str:
        """``free`` (nothing there), ``ours``, ``edited`` or ``foreign``."""
        path = self.root / relative
        if not path.exists() and not path.is_symlink():
            return "free"
        listed = self._listed(relative)
        if path.is_symlink() or not path.is_file() or listed is None:
            return "foreign"
        return "ours" if _sha256(path) == listed else "edited"

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
        """Write ``data`` as the file at ``relative`` and :meth:`record` it."""
        self.record(relative, write_file(self.root, relative, data), recipe)

    def record(self, relative: str, written: Written, recipe: str | None = None) -> None:
        """Record the file at ``relative`` as this run wrote it (here, or where its pages were rendered:
        :func:`write_file`), with what it was made from (``recipe``, None: nothing a later run could keep
        it by)."""
        made = (recipe, written.size, written.mtime_ns) if recipe is not None else (None, None, None)
        self._db.execute("INSERT OR REPLACE INTO now VALUES (?, ?, ?, ?, ?)", (relative, written.digest, *made))

    def unchanged(self, relatives: Sequence[str], recipe: str) -> bool:
        """Whether every file of ``relatives`` was made from ``recipe`` by an earlier run and is still
        as it wrote it, so that :meth:`keep` may keep it (see the module docstring)."""
        return bool(relatives) and all(self._unchanged(relative, recipe) for relative in relatives)

    def _unchanged(self, relative: str, recipe: str) -> bool:
        made = self._recorded(relative)
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
        if _sha256(path) != self._listed(relative):
            return False
        self._db.execute("UPDATE before SET mtime_ns = ? WHERE relative = ?", (status.st_mtime_ns, relative))
        return True

    def keep(self, relative: str) -> None:
        """Keep the file at ``relative`` as this run's (:meth:`unchanged` said it may be)."""
        self._db.execute("INSERT OR REPLACE INTO now SELECT * FROM before WHERE relative = ?", (relative,))

    def finish(self, complete: bool = True) -> list[Kept]:
        """Remove what we wrote before and did not write now, record what this run wrote (and what
        we wrote before and the office edited, so that it stays known as edited), and say what was kept.

        A run that stopped part-way (``complete=False``) removes nothing and keeps every earlier entry,
        so that the files it had not yet rewritten stay ours."""
        try:
            if not complete:
                self._save(_EARLIER_TOO)
                return self.kept
            noted = {kept.path for kept in self.kept}
            left = self._db.execute("SELECT relative, digest FROM before "
                                    "WHERE relative NOT IN (SELECT relative FROM now) ORDER BY relative")
            for relative, digest in left:  # fetched whole (_Entries.execute): the loop adds to "now"
                if PurePosixPath(relative).parts[0] not in self.folders:
                    self._db.execute("INSERT INTO now SELECT * FROM before WHERE relative = ?", (relative,))
                    continue
                state = self._state(relative)
                if state == "ours":
                    (self.root / relative).unlink()
                elif state == "edited":
                    self._db.execute("INSERT INTO now VALUES (?, ?, NULL, NULL, NULL)", (relative, digest))
                    if relative not in noted:
                        self.kept.append(Kept(relative, edited=True, instead=None))
            self._save(_NOW)
            return self.kept
        finally:
            self._db.close()

    def _save(self, entries: str) -> None:
        """The manifest: the files that are ours and, of those made from a recipe, the recipe; the
        ``entries`` query gives them (relative, digest, recipe, size, mtime_ns) in order. Written an
        entry a line, the entries read from the database as they are written, into a temporary file
        that then takes the manifest's place, so that a run stopped while writing it leaves the last one."""
        part = self.root / f"{MANIFEST}.part"
        with part.open("w", encoding="utf-8") as out:
            out.write('{"files": {')
            for n, (relative, digest, *_) in enumerate(self._db.rows(entries)):
                out.write(f"{',' if n else ''}\n{_json(relative)}: {_json(digest)}")
            out.write('\n},\n"made": {')
            made = (row for row in self._db.rows(entries) if row[2] is not None)
            for n, (relative, _, *entry) in enumerate(made):
                out.write(f"{',' if n else ''}\n{_json(relative)}: {_json(entry)}")
            out.write("\n}}\n")
        part.replace(self.root / MANIFEST)


class _Entries:
    """SQLite's private temporary database (an empty name: on disk in the system's temporary folder
    beyond a few MB of cache, removed when closed), in one transaction until it is closed: nothing here
    outlives the run. A query's rows are fetched whole. Its errors (the temporary folder full or not
    writable) are OSErrors that say where, as any other failure to write the outputs is said."""

    def __init__(self) -> None:
        with _said_as_os_errors():
            self._db = sqlite3.connect("", isolation_level=None)
            self._db.executescript(_ENTRIES.format(table="before") + _ENTRIES.format(table="now") + "BEGIN;")

    def execute(self, statement: str, parameters: tuple = ()) -> list[tuple]:
        with _said_as_os_errors():
            return self._db.execute(statement, parameters).fetchall()

    def rows(self, statement: str) -> Iterator[tuple]:
        """The rows of ``statement`` as they are read: for one pass that writes them out."""
        with _said_as_os_errors():
            yield from self._db.execute(statement)

    def execute_many(self, statement: str, rows: list[tuple]) -> None:
        with _said_as_os_errors():
            self._db.executemany(statement, rows)

    def close(self) -> None:
        self._db.close()


@contextmanager
def _said_as_os_errors() -> Iterator[None]:
    """The temporary database's errors as the OSErrors they are: the system's temporary folder full,
    or not to be written."""
    try:
        yield
    except sqlite3.Error as error:
        full = "full" in str(error).lower()
        raise OSError(errno.ENOSPC if full else errno.EIO, f"记录输出文件清单的临时文件出错（{error}）",
                      tempfile.gettempdir()) from None


def _json(item: object) -> str:
    return json.dumps(item, ensure_ascii=False)


#: A table of manifest entries: each file's digest as written, and for one made from a recipe the
#: recipe and the file's size and modification time (NULL for one without).
_ENTRIES = """CREATE TABLE {table} (relative TEXT PRIMARY KEY, digest TEXT NOT NULL, recipe TEXT, size INTEGER,
                                    mtime_ns INTEGER) WITHOUT ROWID;"""
#: The entries of a complete run: what it wrote or kept, and what it left that stays ours or edited.
_NOW = "SELECT * FROM now ORDER BY relative"
#: The entries of a run that stopped part-way: those too, and every earlier entry it did not replace,
#: with its recipe as recorded where this run's entry has none.
_EARLIER_TOO = """SELECT n.relative, n.digest,
                         CASE WHEN n.recipe IS NULL THEN b.recipe ELSE n.recipe END,
                         CASE WHEN n.recipe IS NULL THEN b.size ELSE n.size END,
                         CASE WHEN n.recipe IS NULL THEN b.mtime_ns ELSE n.mtime_ns END
                  FROM now AS n LEFT JOIN before AS b ON b.relative = n.relative
                  UNION ALL SELECT * FROM before WHERE relative NOT IN (SELECT relative FROM now)
                  ORDER BY 1"""
