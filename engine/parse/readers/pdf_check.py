"""A PDF's structure checked before its text is read: damaged, truncated and encrypted files refused.

PDFium, which reads the pages (:mod:`.pdf_pages`), repairs what it can of a damaged file without a
word: a cross-reference table that is gone is rebuilt, a compressed stream that breaks off is read as
far as it goes. Half a page read is no page read, so the file is first parsed here with pdfminer,
which says when something is wrong: its catalogue, cross-references and page tree, and, decompressed
in full, every stream a page's text and lines are drawn from (see :func:`_streams`). Objects are
parsed and streams decompressed, no page content is interpreted: some 15 ms for a 6-page report (half
of it inflating its embedded fonts), where interpreting its content took 700. What it gives is each
page's boxes and rotation.
"""
from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, dict_value, list_value, resolve1
from pdfminer.psparser import LIT

from .base import NotReadable
from .pdf_reasons import BROKEN_PAGE, DAMAGED, ENCRYPTED
_FORM = LIT("Form")


@dataclass(frozen=True)
class PageBox:
    """What a page's coordinates are: its media box and crop box (x0, y0, x1, y1) and rotation."""

    mediabox: tuple[float, ...]
    cropbox: tuple[float, ...]
    rotate: int


class _DataLoss(logging.Handler):
    """Counts pdfminer's warnings that a compressed stream broke off: it decodes on with what it got."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def _streams(resources: object, seen: set[int]) -> Iterator[PDFStream]:
    """The streams a page's text and lines are drawn from, besides its content, each once: its
    forms' content, with their own resources; its fonts' ToUnicode maps (the characters the glyphs
    stand for), a Type 3 font's glyph procedures, and the font programs (pdfminer read them too, and
    refused a file where one was damaged). Images, patterns and shadings are not text and stay
    compressed."""
    def new(value: object) -> object:
        """``value`` resolved, or None where it is an object already visited."""
        if isinstance(value, PDFObjRef):
            if value.objid in seen:
                return None
            seen.add(value.objid)
        return resolve1(value)

    resources = dict_value(new(resources))
    for form in map(new, dict_value(resources.get("XObject")).values()):
        if isinstance(form, PDFStream) and resolve1(form.attrs.get("Subtype")) is _FORM:
            yield form
            yield from _streams(form.attrs.get("Resources"), seen)
    for font in map(new, dict_value(resources.get("Font")).values()):
        font = dict_value(font)
        descriptors = [dict_value(f).get("FontDescriptor") for f in [font, *list_value(font.get("DescendantFonts"))]]
        programs = [font.get("ToUnicode"), *dict_value(font.get("CharProcs")).values(),
                    *(dict_value(d).get(k) for d in descriptors for k in ("FontFile", "FontFile2", "FontFile3"))]
        yield from (s for s in map(new, programs) if isinstance(s, PDFStream))
        yield from _streams(font.get("Resources"), seen)


def _whole(stream: PDFStream) -> bool:
    """False where a stream with bytes decompresses to nothing: pdfminer gives up on it silently."""
    return not int(resolve1(stream.attrs.get("Length", 0)) or 0) > 0 or bool(stream.get_data())


def check(data: bytes) -> list[PageBox]:
    """Every page's boxes, once the file's structure and every stream its pages draw from were read
    whole; else :class:`~.base.NotReadable` says why. pdfminer reports a damaged file by any of its
    exceptions (as pdfplumber does, every one is taken for damage)."""
    lost = _DataLoss()
    logger = logging.getLogger("pdfminer.pdftypes")
    logger.addHandler(lost)
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        pages, seen = [], set()
        for number, page in enumerate(PDFPage.create_pages(document), start=1):
            streams = [*map(resolve1, page.contents), *_streams(page.attrs.get("Resources"), seen)]
            if not all(_whole(s) for s in streams if isinstance(s, PDFStream)) or lost.count:
                raise NotReadable(BROKEN_PAGE.format(page=number))
            pages.append(PageBox(tuple(page.mediabox), tuple(page.cropbox), page.rotate))
        return pages
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise NotReadable(ENCRYPTED) from None
    except NotReadable:
        raise
    except Exception:  # noqa: BLE001 - pdfminer's parser fails on damage with any exception
        raise NotReadable(DAMAGED) from None
    finally:
        logger.removeHandler(lost)
