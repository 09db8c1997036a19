"""Files that are no report in a form we read: each is recognised from its bytes and refused with the
reason and what to send instead, instead of being tried as text and listed as "可能是二进制文件".

Offices receive spreadsheets with the statistics, slides, scanned pages as pictures, archives holding
several reports, and password-protected Office files. None of them can be audited as it is; each has a
clear remedy. Word files (.docx, .doc, .wps) and OpenDocument text are read by :mod:`.docx` and
:mod:`.legacy`, which sniff first; what reaches this reader is everything else in a zip or OLE2
container, and the picture formats.
"""
from __future__ import annotations

from typing import ClassVar

from .base import Document, NotReadable
from .containers import OLE2_SIGNATURE, is_zip, ole_streams, zip_member, zip_names
from .docx_kind import DAMAGED as DAMAGED_WORD
from .docx_kind import SUFFIXES as WORD_SUFFIXES

_SEND_REPORT = "请提交 Word（.docx）或带文字的 PDF 格式的年度报告"
SPREADSHEET = f"这是电子表格文件（{{what}}），不是年度报告文档；{_SEND_REPORT}"
PRESENTATION = f"这是演示文稿文件（{{what}}），不是年度报告文档；{_SEND_REPORT}"
PICTURE = f"这是图片文件（{{what}}），没有可读取的文字；{_SEND_REPORT}"
ARCHIVE = "这是压缩包（{what}），请解压后分别提交其中的年度报告"
ENCRYPTED = "文件设置了打开密码，无法读取；请去除密码后再提交"
OTHER_OLE2 = f"这是无法识别的旧版 Office 文件（不是 Word 文档）；{_SEND_REPORT}"
DAMAGED_ARCHIVE = "压缩文件已损坏，无法打开；如是 Word 文件，请在 Word 中重新保存后再提交"

#: Leading bytes → (reason, what the file is). BMP is left out: ``BM`` is too short to tell a picture
#: from a text that happens to start with those letters, and pictures rarely come as BMP.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PICTURE, "PNG"),
    (b"\xff\xd8\xff", PICTURE, "JPEG"),
    (b"GIF87a", PICTURE, "GIF"),
    (b"GIF89a", PICTURE, "GIF"),
    (b"II*\x00", PICTURE, "TIFF"),
    (b"MM\x00*", PICTURE, "TIFF"),
    (b"Rar!\x1a\x07", ARCHIVE, "RAR"),
    (b"7z\xbc\xaf\x27\x1c", ARCHIVE, "7z"),
    (b"\x1f\x8b", ARCHIVE, "gzip"),
)
#: A part of a zip → what the zip is (Office Open XML by its main part).
_ZIP_PARTS: tuple[tuple[str, str, str], ...] = (
    ("xl/workbook.xml", SPREADSHEET, "Excel .xlsx"),
    ("ppt/presentation.xml", PRESENTATION, "PowerPoint .pptx"),
)
#: An OpenDocument ``mimetype`` → what the zip is.
_ODF_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"application/vnd.oasis.opendocument.spreadsheet", SPREADSHEET, "OpenDocument .ods"),
    (b"application/vnd.oasis.opendocument.presentation", PRESENTATION, "OpenDocument .odp"),
)
#: A stream of an OLE2 file → what the file is.
_OLE2_STREAMS: tuple[tuple[str, str, str], ...] = (
    ("EncryptedPackage", ENCRYPTED, ""),
    ("Workbook", SPREADSHEET, "Excel .xls"),
    ("Book", SPREADSHEET, "Excel 5.0 .xls"),
    ("PowerPoint Document", PRESENTATION, "PowerPoint .ppt"),
)


def refusal(data: bytes, name: str) -> str | None:
    """Why ``data`` is refused, or None when it is none of the kinds this module knows."""
    for signature, reason, what in _SIGNATURES:
        if data.startswith(signature):
            return reason.format(what=what)
    if data.startswith(OLE2_SIGNATURE):
        streams = ole_streams(data) or set()
        found = next(((r, w) for stream, r, w in _OLE2_STREAMS if stream in streams), (OTHER_OLE2, ""))
        return found[0].format(what=found[1])
    if is_zip(data):
        return _zip_refusal(data, name)
    return None


def _zip_refusal(data: bytes, name: str) -> str:
    names = zip_names(data)
    if names is None:
        return DAMAGED_ARCHIVE
    for part, reason, what in _ZIP_PARTS:
        if part in names:
            return reason.format(what=what)
    mimetype = (zip_member(data, "mimetype") or b"").strip()
    for prefix, reason, what in _ODF_TYPES:
        if mimetype.startswith(prefix):
            return reason.format(what=what)
    if name.lower().endswith(WORD_SUFFIXES):
        return DAMAGED_WORD  # named as Word, but its main part is gone
    return ARCHIVE.format(what="zip")


class UnsupportedReader:
    """Claims the files no reader before it took and that are known not to be reports; ``read``
    always refuses. It has no suffixes: it accepts nothing, so the help text does not name it."""

    kind: ClassVar[str] = "不支持的文件"
    suffixes: ClassVar[tuple[str, ...]] = ()

    def sniff(self, data: bytes, name: str) -> bool:
        return refusal(data, name) is not None

    def read(self, data: bytes, name: str) -> Document:
        raise NotReadable(refusal(data, name) or "无法识别的文件类型")
