"""What is inside an office file, from its bytes: the two containers office documents come in.

Word (.docx), Excel (.xlsx), PowerPoint (.pptx) and OpenDocument files are zip archives told apart by
the parts they hold (``word/document.xml``, ``xl/workbook.xml``, an OpenDocument ``mimetype``);
Word 97–2003 (.doc), Kingsoft WPS (.wps), Excel 97–2003 (.xls) and password-protected Office files are
OLE2 compound files told apart by their stream names (``WordDocument``, ``Workbook``,
``EncryptedPackage``). The readers sniff with these, never with the file name alone: a spreadsheet
renamed to .docx is still a spreadsheet.
"""
from __future__ import annotations

import io
import struct
import zipfile

ZIP_SIGNATURE = b"PK\x03\x04"
EMPTY_ZIP_SIGNATURE = b"PK\x05\x06"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_FREE, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE
#: Far more directory sectors than any real file has: a cycle in a damaged file ends here.
_MAX_SECTORS = 1 << 16


def is_zip(data: bytes) -> bool:
    return data.startswith((ZIP_SIGNATURE, EMPTY_ZIP_SIGNATURE))


def zip_names(data: bytes) -> set[str] | None:
    """The member names of a zip archive, or None when it is not one or is too damaged to list."""
    if not is_zip(data):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        return None


def zip_member(data: bytes, name: str, limit: int = 1 << 10) -> bytes | None:
    """The first ``limit`` bytes of one member (an OpenDocument ``mimetype``), None when absent."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(name) as member:
            return member.read(limit)
    except (KeyError, zipfile.BadZipFile, EOFError, ValueError, OSError, RuntimeError, NotImplementedError):
        return None


def ole_streams(data: bytes) -> set[str] | None:
    """The names of the storages and streams of an OLE2 compound file, or None when it is not one or
    its directory cannot be followed (a damaged or truncated file).

    Only the file allocation table and the directory are read (MS-CFB sections 2.2–2.6): enough to
    name what the file is, nothing of its content."""
    if not data.startswith(OLE2_SIGNATURE) or len(data) < 512:
        return None
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        return None
    size = 1 << shift
    directory_start = struct.unpack_from("<I", data, 0x30)[0]
    difat_start, difat_count = struct.unpack_from("<II", data, 0x44)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END_OF_CHAIN]
    sector = difat_start
    for _ in range(min(difat_count, _MAX_SECTORS)):  # the DIFAT beyond the header's 109 entries
        block = _sector(data, sector, size)
        if block is None:
            return None
        entries = struct.unpack_from(f"<{size // 4}I", block)
        fat_sectors += [s for s in entries[:-1] if s < _END_OF_CHAIN]
        sector = entries[-1]
    fat: list[int] = []
    for number in fat_sectors:
        block = _sector(data, number, size)
        if block is None:
            return None
        fat += struct.unpack_from(f"<{size // 4}I", block)
    names: set[str] = set()
    sector, seen = directory_start, 0
    while sector not in (_END_OF_CHAIN, _FREE):
        block = _sector(data, sector, size)
        seen += 1
        if block is None or sector >= len(fat) or seen > _MAX_SECTORS:
            return None
        for offset in range(0, size, 128):
            length = struct.unpack_from("<H", block, offset + 64)[0]
            if 2 <= length <= 64 and block[offset + 66] in (1, 2, 5):  # storage, stream, root
                names.add(block[offset:offset + length - 2].decode("utf-16-le", "replace"))
        sector = fat[sector]
    return names


def _sector(data: bytes, number: int, size: int) -> bytes | None:
    start = (number + 1) * size  # sector 0 follows the header, which fills one sector
    return data[start:start + size] if number < _END_OF_CHAIN and start + size <= len(data) else None
