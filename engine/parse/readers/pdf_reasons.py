"""What the PDF modules tell the office, and the character an unreadable glyph becomes: in a module of
their own, importing nothing, so that the layout (:mod:`.pdf`) is importable without pdfminer and
PDFium (:mod:`.pdf_check`, :mod:`.pdf_pages`), which load only when a PDF is read.
"""
from __future__ import annotations

ENCRYPTED = "PDF 文件已加密，需要密码才能打开，请提供未加密的 PDF 或 Word 版本"
DAMAGED = "PDF 文件已损坏或不完整，无法读取，请重新导出 PDF 或提供 Word 版本"
BROKEN_PAGE = "PDF 文件已损坏：读到第{page}页时有数据无法完整解压，内容无法可靠读取，请重新导出 PDF 或提供 Word 版本"
#: Stands for a character that could not be read: never a digit, so a cell holding it is no number.
UNKNOWN = "\ufffd"
