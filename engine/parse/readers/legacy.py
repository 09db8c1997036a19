"""Word 97–2003 (.doc), Kingsoft WPS (.wps) and OpenDocument text (.odt), through LibreOffice.

There is no well-kept Python reader of the binary Word format that gives merged table cells, so these
files are converted to .docx by LibreOffice (``soffice --headless --convert-to docx``) and read by
:mod:`.docx`: the same text, the same true grid, the same places. WPS saves its .wps files in the same
OLE2 container as Word 97 (a ``WordDocument`` stream), so one converter serves both. OpenDocument text
is read the same way rather than refused: LibreOffice is already needed here, and WPS Office and
LibreOffice users save .odt.

Each conversion runs with its own LibreOffice profile in a private temporary folder (two audits at
once would otherwise wait on each other's profile lock), under a time limit, and the folder is removed
whatever happens. Without LibreOffice the file is listed as unreadable with the remedy.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import ClassVar

from .base import Document, NotReadable
from .containers import OLE2_SIGNATURE, ole_streams, zip_member

NO_OFFICE = "无法读取旧版 Word/WPS 文件：本机未安装 LibreOffice。请另存为 .docx 后再审核"
FAILED = "旧版 Word/WPS 文件无法转换（文件可能已损坏或设置了密码），请在 Word 或 WPS 中另存为 .docx 后再提交"
TIMED_OUT = "旧版 Word/WPS 文件转换超时（超过 {seconds} 秒），请另存为 .docx 后再审核"
#: LibreOffice's first start with a fresh profile takes a few seconds; a conversion that is still running
#: after this long is stuck (a damaged file, a password prompt no one can answer).
TIMEOUT = 120
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def office() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_docx(data: bytes, suffix: str, timeout: float = TIMEOUT) -> bytes:
    """``data`` (a file ending in ``suffix``) converted to .docx by LibreOffice."""
    program = office()
    if program is None:
        raise NotReadable(NO_OFFICE)
    with tempfile.TemporaryDirectory(prefix="ogi-office-") as folder:
        root = Path(folder)
        source = root / f"report{suffix}"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation={(root / 'profile').as_uri()}", "--headless",
                   "--norestore", "--nologo", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML",
                   "--outdir", str(root / "out"), str(source)]
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise NotReadable(TIMED_OUT.format(seconds=int(timeout))) from None
        finally:
            _end(process)
        result = root / "out" / "report.docx"
        if not result.is_file():
            raise NotReadable(FAILED)
        return result.read_bytes()


def converted(data: bytes, suffix: str, kind: str) -> Document:
    """The Document of a file LibreOffice converts to .docx."""
    from .docx import docx_document  # lxml: loaded for a Word file only

    docx = to_docx(data, suffix)
    try:
        return docx_document(docx, kind)
    except NotReadable:
        raise NotReadable(FAILED) from None  # what LibreOffice wrote is no readable Word file


def _end(process: subprocess.Popen) -> None:
    """Stop what is left of the conversion: the launcher runs ``soffice.bin`` in its own process group
    (started for this conversion alone), which must not outlive the temporary folder it uses."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


class LegacyWordReader:
    kind: ClassVar[str] = "旧版 Word/WPS"
    suffixes: ClassVar[tuple[str, ...]] = (".doc", ".wps")

    def sniff(self, data: bytes, name: str) -> bool:
        """An OLE2 file with a ``WordDocument`` stream; one whose directory cannot be followed is
        handed to LibreOffice when it is named .doc or .wps (LibreOffice recovers some damage)."""
        if not data.startswith(OLE2_SIGNATURE):
            return False
        streams = ole_streams(data)
        if streams is None:
            return name.lower().endswith(self.suffixes)
        return "WordDocument" in streams

    def read(self, data: bytes, name: str) -> Document:
        return converted(data, ".doc", self.kind)


class OpenDocumentReader:
    kind: ClassVar[str] = "OpenDocument 文本"
    suffixes: ClassVar[tuple[str, ...]] = (".odt",)

    def sniff(self, data: bytes, name: str) -> bool:
        """A zip whose ``mimetype`` member names OpenDocument text (or its template)."""
        mimetype = zip_member(data, "mimetype") if data.startswith(b"PK") else None
        return mimetype is not None and mimetype.strip().startswith(ODT_MIMETYPE)

    def read(self, data: bytes, name: str) -> Document:
        return converted(data, ".odt", self.kind)
