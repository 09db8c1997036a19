"""Uploaded files saved under names of our own, sniffed by their bytes, within limits; zips opened safely.

What a sender calls a file is data to show, never a path: each file is written into the folder the app
chose, as ``0001.docx``, ``0002.txt``… (a counter and the suffix of the kind its bytes are, as the
readers of engine.parse.readers sniff them, so that the audit reads it as that kind). The name it was
sent under is kept beside it for display only, in Unicode NFC and without any folder part, so that
``../../etc/passwd``, ``..\\x.txt`` or a name with a NUL in it never reaches the file system.

Limits are checked on the bytes as they arrive, never on what a header claims: the upload's total size
and number of files (:class:`Limits`); a zip, where the caller opens zips (batches), is read member by
member with the bytes unpacked counted against :attr:`Limits.unzipped_bytes` as they come out, so that a
zip bomb (a gigabyte of zeros in a few kilobytes, or a member whose header lies about its size) stops at
the limit; a zip whose central directory is larger than its allowed number of files could need is
refused before anything reads it (``zipfile`` reads the whole directory into memory first, so a zip of
millions of empty members would cost gigabytes before the first could be counted). A member's path in
the zip is never used as a path either; a zip inside the zip is not
opened, and an encrypted member is refused. Every file not taken is listed with the reason in Chinese
(:attr:`Saved.refused`): nothing is dropped silently.

Nothing of an upload is executed or served back: a web page with ``<script>`` in it is a report whose
text is read (engine.parse.readers.html), and the app shows only what the audit made of it, escaped.
"""
from __future__ import annotations

import os
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from ..parse.readers import READERS, Reader
from ..parse.readers.containers import is_zip
from ..parse.readers.unsupported import ARCHIVE, UnsupportedReader, refusal
from .config import MB, WebConfig

#: Bytes copied at a time: a limit is never passed by more than this.
CHUNK = 1024 * 1024
#: The name shown for a file sent without one (or with nothing left once its folders are stripped).
UNNAMED = "未命名文件"
#: The suffix of a file no reader names a suffix for (refused by the audit with the reason).
OTHER_SUFFIX = ".bin"
#: The longest name shown, in characters: no file system keeps a longer one, so a longer one was made up.
NAME_LENGTH = 255
#: Characters that never belong in a shown name: C0/C1 controls (NUL among them) and DEL.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Zip members named like these are an editor's or a system's leftovers (``.DS_Store``, macOS's
#: ``__MACOSX/._报告.docx``, Word's lock files ``~$报告.docx``), as the audit of a folder leaves them out.
_LEFTOVER_PREFIXES = (".", "~$")
_ENCRYPTED_FLAG, _UTF8_FLAG = 0x1, 0x800
#: The most bytes a member's record in a zip's central directory is taken to need (46 bytes and its
#: name; a real one is under 200), and the most parts a document in a zip (a Word file) is taken to
#: have: a zip whose directory is larger than this many records, or one per file allowed, is refused
#: before anything reads it, since ``zipfile`` (and so every reader's sniffing) reads the whole
#: directory into memory before the first member could be counted.
DIRECTORY_RECORD, DOCUMENT_PARTS = 1024, 1000
_END, _END64, _LOCATOR = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"

TOO_LARGE = "文件超过 {limit} 的大小上限，未保存"
TOO_LARGE_TOTAL = "上传的文件合计超过 {limit} 的上限，此文件未保存"
TOO_MANY = "上传的文件超过 {limit} 个的数量上限，此文件未保存"
UNZIPPED_TOO_LARGE = "压缩包解压后的内容超过 {limit} 的上限，此文件未解压"
ENCRYPTED_MEMBER = "压缩包中的此文件设置了密码，无法解压；请去除密码后再提交"
NESTED_ZIP = "这是压缩包中的压缩包，不会再打开；请解压后再提交其中的年度报告"
DAMAGED_MEMBER = "压缩包中的此文件已损坏，无法解压"
DAMAGED_ZIP = "压缩包已损坏，无法打开"
EMPTY_ZIP = "压缩包中没有任何文件"
TOO_MANY_MEMBERS = "压缩包的目录大于 {limit} 个文件所需，未打开；请分成几个压缩包上传"
LEFTOVER_MEMBER = "压缩包中的隐藏文件或临时文件（名称以“.”或“~$”开头），不是报告，未审核"


class FileUpload(Protocol):
    """What an uploaded file is to this module (Werkzeug's FileStorage is one)."""

    filename: str | None
    stream: BinaryIO


@dataclass(frozen=True)
class Limits:
    """How much one upload may hold. ``unzipped_bytes`` 0: a zip is one file like any other (the
    self-check audits what was sent, and the audit says a zip is no report); above 0, a zip of reports
    is opened and its members taken, up to that many bytes unpacked in all."""

    total_bytes: int
    files: int
    unzipped_bytes: int = 0

    @classmethod
    def check(cls, config: WebConfig) -> Limits:
        """An agency's self-check: one file of up to ``check_bytes``."""
        return cls(config.check_bytes, 1)

    @classmethod
    def batch(cls, config: WebConfig) -> Limits:
        """An office batch: many files or zips, within ``batch_bytes``, ``batch_files``, ``unzipped_bytes``."""
        return cls(config.batch_bytes, config.batch_files, config.unzipped_bytes)


@dataclass(frozen=True)
class Upload:
    """One file taken: where it is (a name we made, in the folder given), the name it was sent under
    (for display only; a zip's member as ``归档.zip/子文件夹/报告.docx``) and the kind its bytes are."""

    path: Path
    name: str
    kind: str


@dataclass
class Saved:
    """What an upload gave: the files taken, in the order sent, and every file not taken with why.
    ``oversized``: the upload went past :attr:`Limits.total_bytes` (a caller answers 413)."""

    taken: list[Upload] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    oversized: bool = False


def shown_name(raw: str | None) -> str:
    """The name a file is shown under: NFC, without control characters, the last part of any path
    (``/`` and ``\\`` both: a Windows browser may send ``C:\\报告\\x.docx``), cut to NAME_LENGTH."""
    text = _CONTROL.sub("", unicodedata.normalize("NFC", raw or ""))
    last = re.split(r"[/\\]", text)[-1].strip()
    if len(last) > NAME_LENGTH:
        last = f"{last[:NAME_LENGTH - 1]}…"
    return UNNAMED if last in ("", ".", "..") else last


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's path in its zip as text: zips made on Chinese Windows write names in GBK without
    the UTF-8 flag, which ``zipfile`` decodes as cp437."""
    name = info.filename
    if not info.flag_bits & _UTF8_FLAG:
        try:
            name = name.encode("cp437").decode("gb18030")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    parts = [shown_name(part) for part in re.split(r"[/\\]", name) if part.strip() not in ("", ".", "..")]
    shown = "/".join(parts) or UNNAMED
    return shown if len(shown) <= NAME_LENGTH else f"…{shown[-(NAME_LENGTH - 1):]}"  # the file's own name kept


def sniffed(data: bytes, name: str) -> Reader:
    """The reader that claims ``data`` (as engine.parse.readers.read_document picks it; text last)."""
    return next(reader for reader in READERS if reader.sniff(data, name))


def _is_archive(reader: Reader, data: bytes, name: str) -> bool:
    """Whether ``data``, claimed by ``reader``, is a zip that holds files, not a document (a Word file
    or a spreadsheet is a zip too, claimed by its reader or refused as what it is)."""
    return isinstance(reader, UnsupportedReader) and refusal(data, name) == ARCHIVE.format(what="zip")


def size_text(count: int) -> str:
    return f"{count / MB:g} MB" if count >= MB else f"{count:,} 字节"


class _LimitReached(Exception):
    pass


class _Saver:
    """One upload being saved into ``folder``: the counter of our names and what is left of the limits."""

    def __init__(self, folder: Path, limits: Limits) -> None:
        self.folder, self.limits = folder, limits
        self.saved = Saved()
        self.bytes_left, self.unzipped_left = limits.total_bytes, limits.unzipped_bytes
        self.number = 0

    def _part(self) -> tuple[Path, BinaryIO]:
        """A new file of ours (``0007.part``, made exclusively: nothing of anyone's is overwritten)."""
        while True:
            self.number += 1
            path = self.folder / f"{self.number:04d}.part"
            try:
                return path, os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
            except FileExistsError:
                continue

    def _copy(self, source: BinaryIO, limit: int) -> tuple[Path, int]:
        """``source`` into a new part file, raising _LimitReached (the part removed) past ``limit``."""
        path, out = self._part()
        copied = 0
        try:
            with out:
                while chunk := source.read(min(CHUNK, limit - copied + 1)):
                    copied += len(chunk)
                    if copied > limit:
                        raise _LimitReached
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path, copied

    def _take(self, part: Path, name: str) -> None:
        """The part file sniffed and named by its kind, or, a zip of reports where zips are opened,
        unpacked and removed."""
        if not self._directory_fits(part, name):
            return
        data = part.read_bytes()
        reader = sniffed(data, name)
        if not (self.limits.unzipped_bytes and _is_archive(reader, data, name)):
            self._named(part, name, reader)
            return
        del data
        try:
            self._unzip(part, name)
        finally:
            part.unlink(missing_ok=True)

    def _named(self, part: Path, name: str, reader: Reader) -> None:
        path = part.with_suffix(reader.suffixes[0] if reader.suffixes else OTHER_SUFFIX)
        part.rename(path)
        self.saved.taken.append(Upload(path, name, reader.kind))

    def _room_for_one(self, name: str) -> bool:
        if len(self.saved.taken) < self.limits.files:
            return True
        self.saved.refused.append((name, TOO_MANY.format(limit=self.limits.files)))
        return False

    def file(self, upload: FileUpload) -> None:
        name = shown_name(upload.filename)
        if self.saved.oversized:
            self.saved.refused.append((name, TOO_LARGE_TOTAL.format(limit=size_text(self.limits.total_bytes))))
            return
        if not self._room_for_one(name):
            return
        try:
            part, size = self._copy(upload.stream, self.bytes_left)
        except _LimitReached:
            self.saved.oversized = True
            reason = TOO_LARGE if self.limits.files == 1 else TOO_LARGE_TOTAL
            self.saved.refused.append((name, reason.format(limit=size_text(self.limits.total_bytes))))
            return
        self.bytes_left -= size
        self._take(part, name)

    def _directory_fits(self, part: Path, name: str) -> bool:
        """Whether ``part``, if a zip, has a directory small enough to read (see DIRECTORY_RECORD);
        one that has not is removed and listed."""
        with part.open("rb") as head:
            if not is_zip(head.read(4)):
                return True
        size = directory_size(part)
        if size is None or size <= max(self.limits.files, DOCUMENT_PARTS) * DIRECTORY_RECORD:
            return True  # a zip without an end record is no zip to zipfile: refused as damaged when read
        part.unlink()
        self.saved.refused.append((name, TOO_MANY_MEMBERS.format(limit=max(self.limits.files, DOCUMENT_PARTS))))
        return False

    def _unzip(self, archive: Path, archive_name: str) -> None:
        try:
            opened = zipfile.ZipFile(archive)
        except (zipfile.BadZipFile, EOFError, ValueError, OSError):
            self.saved.refused.append((archive_name, DAMAGED_ZIP))
            return
        with opened:
            members = [info for info in opened.infolist() if not info.is_dir()]
            if not members:
                self.saved.refused.append((archive_name, EMPTY_ZIP))
            for info in members:
                self._member(opened, info, f"{archive_name}/{_member_name(info)}")

    def _member(self, opened: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
        if not self._room_for_one(name):
            return
        if info.flag_bits & _ENCRYPTED_FLAG:
            self.saved.refused.append((name, ENCRYPTED_MEMBER))
            return
        if name.rsplit("/", 1)[-1].startswith(_LEFTOVER_PREFIXES):
            self.saved.refused.append((name, LEFTOVER_MEMBER))
            return
        try:
            with opened.open(info) as member:
                part, size = self._copy(member, self.unzipped_left)
        except _LimitReached:
            self.unzipped_left = 0  # what comes after would stop at once: said so, file by file
            self.saved.refused.append((name, UNZIPPED_TOO_LARGE.format(limit=size_text(self.limits.unzipped_bytes))))
            return
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError):
            self.saved.refused.append((name, DAMAGED_MEMBER))
            return
        self.unzipped_left -= size
        if not self._directory_fits(part, name):
            return
        data = part.read_bytes()
        reader = sniffed(data, name)
        if _is_archive(reader, data, name):
            part.unlink()
            self.saved.refused.append((name, NESTED_ZIP))
            return
        self._named(part, name, reader)


def directory_size(path: Path) -> int | None:
    """The size of the central directory of the zip at ``path``, from its end record (the Zip64 one
    where the size does not fit in 32 bits), None when there is none to read (APPNOTE 4.3.14-16).
    ``zipfile`` reads exactly this many bytes of directory, so it bounds what opening the zip costs."""
    with path.open("rb") as archive:
        archive.seek(0, os.SEEK_END)
        length = archive.tell()
        start = max(0, length - (22 + 0xFFFF))  # the end record and the longest comment it may have
        archive.seek(start)
        tail = archive.read()
        at = tail.rfind(_END)
        if at < 0 or len(tail) - at < 22:
            return None
        size = struct.unpack_from("<I", tail, at + 12)[0]
        if size != 0xFFFFFFFF:
            return size
        locator = at - 20
        if locator < 0 or tail[locator:locator + 4] != _LOCATOR:
            return None
        record = struct.unpack_from("<Q", tail, locator + 8)[0]
        archive.seek(record)
        end64 = archive.read(56)
        return struct.unpack_from("<Q", end64, 40)[0] if end64[:4] == _END64 and len(end64) == 56 else None


def save_uploads(files: Iterable[FileUpload], folder: Path, limits: Limits) -> Saved:
    """Save ``files`` (in the order sent) into ``folder`` (made if need be) under names of our own,
    within ``limits``; see the module docstring. The caller owns ``folder`` and removes it."""
    folder.mkdir(parents=True, exist_ok=True)
    saver = _Saver(folder, limits)
    for upload in files:
        saver.file(upload)
    return saver.saved
