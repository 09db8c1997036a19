"""The PDF reader (engine/parse/readers/pdf.py) on the three real reports and on PDFs made here.

The real reports (copies of /work/shared/real/ in tests/samples/pdf/, kept out of fixtures/ so that the
folder audit of their pypdf texts in test_audit_real.py does not take them in) must give exactly the
cells hand-checked in tests/samples/*.yaml from their pypdf texts, and the same audit finding for
finding. The expectation files give section lines of the text fixture; here each section must be
found on the line of the PDF that prints the same heading. What the PDFs made here hold is written in
this file: a table drawn without ruling lines, a scan, an encrypted file, a damaged one.
"""
from __future__ import annotations

import dataclasses
import io
import re
import zlib
from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdftypes import resolve1
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from engine.audit import run_audit
from engine.parse import ReportError, parse_bytes, parse_file
from engine.parse.readers import COVERED, pdf_pages, read_document
from engine.parse.readers.pdf import BROKEN_PAGE, DAMAGED, ENCRYPTED, GARBLED, SCANNED, PdfReader
from engine.parse.readers.pdf_pages import PageContent, _tables, load, pdfplumber_pages
from engine.text import key
from tests.generator import generate, render
from tests.generator.catalogue import clean_spec
from tests.generator.defects import bump_cell
from tests.test_audit_real import EXPECTED
from tests.test_samples import compare, expectations, reading_from_report

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "samples"
REAL = ["hongze-2023", "hongze-2024", "huaian-2024"]
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def real(name: str) -> Path:
    return SAMPLES / "pdf" / f"{name}.pdf"


@pytest.mark.parametrize("name", REAL)
def test_real_pdf_reads_as_checked_by_hand(name: str) -> None:
    expected = expectations(SAMPLES / f"{name}.yaml")
    report = parse_file(real(name))
    fixture = (ROOT / expected["source"]).read_text(encoding="utf-8").splitlines()
    headings = {number: key(fixture[line - 1]) for number, line in expected["sections"].items()}
    found = {s.number: key(report.lines[s.line - 1]) for s in report.sections}
    assert found == headings
    reading = dataclasses.replace(reading_from_report(report), sections=list(expected["sections"].items()))
    problems = compare(expected, reading, f"{real(name).name} against {name}.yaml")
    assert not problems, f"{name}.pdf: {len(problems)} differences\n" + "\n".join(problems)
    assert report.kind == "PDF"


def test_real_pdf_audits_equal_the_audits_of_their_texts() -> None:
    run = run_audit([real(name) for name in REAL], ROOT / "rules")
    found = {Path(a.report.source).name: sorted((f.severity, f.rule, f.location.table, f.location.row,
                                                 f.expected, f.actual) for f in a.findings) for a in run.audits}
    assert found == {name.removesuffix(".txt"): sorted(items) for name, items in EXPECTED.items()}
    assert not run.unreadable


def test_a_finding_points_at_the_page_and_line_of_the_pdf() -> None:
    run = run_audit([real("hongze-2023"), real("hongze-2024")], ROOT / "rules")
    audit = next(a for a in run.audits if a.report.year == 2024)
    [finding] = [f for f in audit.findings if f.rule == "NAR-011"]
    # Page 1, the sentence's second printed line: 信息公开申请 17 件，均已在法定期限内予以答复。
    assert audit.report.place(finding.location.line) == "第1页第23行"
    assert finding.location.quote == "受理政府信息公开申请 17 件"


def rows(name: str) -> list[tuple[str, tuple[str, ...] | None]]:
    return [(line.place, line.cells) for line in read_document(real(name).read_bytes(), name).lines]


def test_merged_header_cells_are_one_cell_each() -> None:
    """hongze-2023 page 3, table 三's header: the stub spans three rows and three columns, 自然人 and
    总计 two rows, 法人或其他组织 five columns; labels wrapped in their cells (商业 / 企业) are one."""
    found = dict(rows("hongze-2023"))
    assert found["第3页表格2第1行"] == ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况")
    assert found["第3页表格2第2行"] == (COVERED, "自然人", "法人或其他组织", "总计")
    assert found["第3页表格2第3行"] == (COVERED, COVERED, "商业企业", "科研机构", "社会公益组织", "法律服务机构",
                                      "其他", COVERED)
    assert found["第3页表格2第6行"] == ("三、本年度办理结果", "（一）予以公开", *"0000000")
    assert found["第3页表格2第8行"] == (COVERED, "（三）不予公开", "1.属于国家秘密", "1", *"00000", "1")
    assert found["第3页表格2第9行"] == (COVERED, COVERED, "2.其他法律行政止公开", *"0000000")
    # 表四: 行政复议 over five columns; its header cells are stacked over two lines (结果 / 维持).
    assert found["第4页表格2第4行"] == ("10", "1", *"00000000", "5", *"0000")


def test_a_row_group_broken_across_pages_reads_on() -> None:
    """huaian-2024 breaks （四）无法提供 over pages 4 and 5: （四）无 ends page 4, 法提供 starts page 5."""
    found = dict(rows("huaian-2024"))
    assert found["第4页表格2第16行"] == (COVERED, "（四）无", "1.本机关不掌握相关政府信息", "746", "12", "0", "0", "10", "1", "769")
    assert found["第5页表格1第1行"] == ("", "法提供", "2.没有现成信息需要另行制作", "11", *"00000", "11")
    table = parse_file(real("huaian-2024")).tables["三"]
    group = "（四）无法提供 "
    assert [table.value(group + "2.没有现成信息需要另行制作", c) for c in table.columns] == [11, 0, 0, 0, 0, 0, 11]
    assert [table.value(group + "3.补正后申请内容仍不明确", c) for c in table.columns] == [1, 0, 0, 0, 0, 0, 1]


def test_frames_around_prose_are_running_text_in_page_order() -> None:
    """Word draws a frame round the prose of hongze-2023's page 1 (pdfplumber sees a table of one cell
    per row, whose boxes cut off a comma that runs into the margin); page 2 holds prose, captions and
    tables in one frame."""
    lines = read_document(real("hongze-2023").read_bytes(), "hongze-2023.pdf").lines
    page1 = [line for line in lines if line.place.startswith("第1页")]
    assert all(line.cells is None and line.wrapped for line in page1)
    assert "政务公开工作摆在重要位置，推进政府信息公开工作规范、有序、" in [line.text for line in page1]
    texts = [line.text for line in lines]
    heading = texts.index("二、主动公开政府信息情况")
    assert texts[heading + 1:heading + 3] == ["第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"]
    assert lines[heading + 1].cells is None
    assert not [t for t in texts if t.strip("- ").isdigit()]  # the - 1 - … - 5 - footers are gone
    assert texts[-2:] == ["2023 年，区政府严格落实《政府信息公开信息处理费管理办", "法》，全年收取政府信息公开信息处理费 0 元。"]


# PDFs made here ---------------------------------------------------------------------------------------


def pdf(*pages, **options) -> bytes:
    """A PDF of A4 pages; each page is a function drawing on the canvas."""
    out = io.BytesIO()
    canvas = Canvas(out, **options)
    for draw in pages:
        canvas.setFont(FONT, 12)
        draw(canvas)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def words(*lines: tuple[float, float, str]):
    """A page of text lines, each at (x, y) in points from the bottom left."""
    def draw(canvas: Canvas) -> None:
        for x, y, text in lines:
            canvas.drawString(x, y, text)
    return draw


def shapes(canvas: Canvas) -> None:
    """What a scanned page is to a text reader: marks on the page, no characters."""
    canvas.rect(72, 500, 300, 200, fill=1)
    canvas.circle(300, 300, 50)


TITLE = words((150, 780, "某某县人民政府"), (100, 755, "2024年政府信息公开工作年度报告"))


def ruleless_tables(canvas: Canvas) -> None:
    """Sections 二 and 四 with their tables set in columns by position only, no ruling lines."""
    def row(y: float, label: str, *cells: tuple[float, str]) -> None:
        canvas.drawString(60, y, label)
        for right, text in cells:
            canvas.drawRightString(right, y, text)

    canvas.drawString(60, 700, "二、主动公开政府信息情况")
    canvas.drawString(200, 680, "第二十条第（一）项")
    row(660, "信息内容", (300, "本年制发件数"), (400, "本年废止件数"), (500, "现行有效件数"))
    row(640, "规章", (300, "2"), (400, "0"), (500, "14"))
    row(620, "行政规范性文件", (300, "35"), (400, "7"), (500, "120"))
    canvas.drawString(200, 590, "第二十条第（五）项")
    row(570, "信息内容", (400, "本年处理决定数量"))
    row(550, "行政许可", (400, "3608"))
    canvas.drawString(200, 520, "第二十条第（八）项")
    row(500, "信息内容", (460, "本年收费金额（单位：万元）"))
    row(480, "行政事业性收费", (460, "12.5"))
    canvas.drawString(60, 440, "四、政府信息公开行政复议、行政诉讼情况")
    canvas.setFont(FONT, 9)
    canvas.drawString(60, 420, "行政复议")
    canvas.drawString(330, 420, "行政诉讼")
    canvas.drawString(220, 405, "未经复议直接起诉")
    canvas.drawString(420, 405, "复议后起诉")
    for group, x in enumerate((60, 220, 390)):
        for column, (top, bottom) in enumerate((("结果", "维持"), ("结果", "纠正"), ("其他", "结果"),
                                                ("尚未", "审结"), ("总计", ""))):
            canvas.drawString(x + column * 30, 390, top)
            canvas.drawString(x + column * 30, 378, bottom)
    for group, (x, values) in enumerate(zip((60, 220, 390), (("3", "1", "0", "1", "5"), ("2", "0", "0", "0", "2"),
                                                              ("1", "1", "0", "0", "2")))):
        for column, value in enumerate(values):
            canvas.drawRightString(x + column * 30 + 18, 360, value)


def ruleless_applications(canvas: Canvas) -> None:
    """The head of table 三 without ruling lines: stacked column headers, a blank cell (二、 法律服务机构),
    a label wrapped with its numbers on the first line."""
    canvas.drawString(60, 760, "三、收到和处理政府信息公开申请情况")
    canvas.setFont(FONT, 9)
    columns = [300, 345, 390, 435, 480, 525, 570]
    canvas.drawString(420, 740, "申请人情况")
    canvas.drawString(380, 728, "法人或其他组织")
    for right, (top, bottom) in zip(columns, [("自然", "人"), ("商业", "企业"), ("科研", "机构"), ("社会公益", "组织"),
                                              ("法律服务", "机构"), ("其他", ""), ("总计", "")]):
        canvas.drawRightString(right, 714, top)
        canvas.drawRightString(right, 704, bottom)
    for y, label, values in [(690, "一、本年新收政府信息公开申请数量", "12 1 0 0 0 0 13"),
                             (676, "二、上年结转政府信息公开申请数量", "2 0 0 0 - 0 2"),
                             (662, "三、本年度办理结果 （一）予以公开", "5 1 0 0 0 0 6"),
                             (648, "（二）部分公开（区分处理的，只计这一情形，", "3 0 0 0 0 0 3"),
                             (638, "不计其他情形）", "")]:
        canvas.drawString(60, y, label)
        for right, value in zip(columns, values.split()):
            if value != "-":
                canvas.drawRightString(right, y, value)


def test_text_without_ruling_lines_keeps_its_columns_apart() -> None:
    """No ruling lines: every line is running text; wide gaps between columns stay runs of spaces (the
    parser's space-aligned reading places the cells), gaps inside a word or justified text do not."""
    document = read_document(pdf(TITLE, ruleless_tables), "无表格线.pdf")
    assert all(line.cells is None and line.wrapped for line in document.lines)
    texts = [line.text for line in document.lines]
    assert "2024年政府信息公开工作年度报告" in texts
    规章 = next(t for t in texts if t.startswith("规章"))
    assert 规章.split() == ["规章", "2", "0", "14"] and "  " in 规章
    report = parse_bytes(pdf(TITLE, ruleless_tables), "无表格线.pdf")
    assert (report.body, report.year, report.format) == ("某某县人民政府", 2024, "2021")
    tables = report.tables
    assert [[tables["二(一)"].value(r, c) for c in tables["二(一)"].columns] for r in ("规章", "行政规范性文件")] == \
        [[2, 0, 14], [35, 7, 120]]
    assert tables["二(五)"].value("行政许可", "本年处理决定数量") == 3608
    assert str(tables["二(八)"].value("行政事业性收费", "本年收费金额（单位：万元）")) == "12.5"
    四 = tables["四"]
    assert [[四.value(r, c) for c in 四.columns] for r in 四.rows] == [[3, 1, 0, 1, 5], [2, 0, 0, 0, 2], [1, 1, 0, 0, 2]]


def test_a_blank_cell_without_ruling_lines_stays_in_its_column() -> None:
    三 = parse_bytes(pdf(TITLE, ruleless_applications), "无表格线.pdf").tables["三"]
    assert [[三.value(r, c) for c in 三.columns] for r in 三.rows[:4]] == [
        [12, 1, 0, 0, 0, 0, 13], [2, 0, 0, 0, None, 0, 2], [5, 1, 0, 0, 0, 0, 6], [3, 0, 0, 0, 0, 0, 3]]
    blank = 三.cell("二、上年结转政府信息公开申请数量", "法律服务机构")
    assert blank is not None and blank.value is None  # read, and blank: not a cell left unread


def unreadable_reason(tmp_path: Path, name: str, data: bytes) -> str:
    """The reason parse_bytes refuses the file with, checked to be the one the audit lists it with."""
    with pytest.raises(ReportError) as refused:
        parse_bytes(data, name)
    path = tmp_path / name
    path.write_bytes(data)
    run = run_audit([path], ROOT / "rules")
    assert not run.audits and [u.source for u in run.unreadable] == [str(path)]
    assert str(refused.value).removeprefix(f"{name}: ") in run.unreadable[0].reason
    return str(refused.value)


def test_a_scan_is_refused(tmp_path: Path) -> None:
    assert unreadable_reason(tmp_path, "扫描件.pdf", pdf(shapes, shapes)) == f"扫描件.pdf: {SCANNED}"


def test_an_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    data = pdf(TITLE, ruleless_tables, encrypt=StandardEncryption("pw", ownerPassword="owner"))
    assert unreadable_reason(tmp_path, "加密.pdf", data) == f"加密.pdf: {ENCRYPTED}"


@pytest.mark.parametrize("cut", [0.3, 0.5, 0.9, 0.99])
def test_a_truncated_pdf_is_refused(tmp_path: Path, cut: float) -> None:
    data = pdf(TITLE, ruleless_tables)
    assert unreadable_reason(tmp_path, "不完整.pdf", data[:int(len(data) * cut)]) == f"不完整.pdf: {DAMAGED}"


def test_a_damaged_pdf_is_refused(tmp_path: Path) -> None:
    data = b"%PDF-1.4\n" + bytes(range(256)) * 20
    assert unreadable_reason(tmp_path, "损坏.pdf", data) == f"损坏.pdf: {DAMAGED}"


def spoil(data: bytes, objid: int) -> bytes:
    """The file with the last bytes (the checksum) of stream object ``objid`` spoilt: a decompressor
    reads on with what it could decompress (pdfminer with a warning, PDFium silently)."""
    start = re.search(rb"\b%d 0 obj\s*<<[^>]*>>\s*stream\r?\n" % objid, data).end()
    end = data.index(b"endstream", start)
    end = start + len(data[start:end].rstrip(b"\r\n"))
    return data[:end - 2] + bytes(b ^ 0xFF for b in data[end - 2:end]) + data[end:]


def test_a_page_whose_content_breaks_off_is_refused(tmp_path: Path) -> None:
    """Page 3's compressed content spoilt. Half a page read is no page read."""
    data = real("huaian-2024").read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as document:
        objid = document.pages[2].page_obj.contents[0].objid
    assert unreadable_reason(tmp_path, "坏页.pdf", spoil(data, objid)) == f"坏页.pdf: {BROKEN_PAGE.format(page=3)}"


def test_a_page_whose_font_program_breaks_off_is_refused(tmp_path: Path) -> None:
    """The embedded program of a font page 1 uses spoilt: PDFium reads the page's text without it, but
    the file is damaged, and pdfminer refused it too."""
    data = real("huaian-2024").read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as document:
        fonts = [resolve1(f) for f in resolve1(document.pages[0].page_obj.resources["Font"]).values()]
        descriptors = [resolve1(resolve1(f["DescendantFonts"])[0])["FontDescriptor"] for f in fonts if "DescendantFonts" in f]
        objid = next(resolve1(d)["FontFile2"].objid for d in descriptors if "FontFile2" in resolve1(d))
    assert unreadable_reason(tmp_path, "坏字体.pdf", spoil(data, objid)) == f"坏字体.pdf: {BROKEN_PAGE.format(page=1)}"


def unmapped_font_pdf(content: bytes) -> bytes:
    """A page whose font F2 maps its glyphs to no character: a CID font by glyph number (Identity-H,
    Adobe-Identity), no ToUnicode map, no font program; F1 is Helvetica. Written by hand, as no PDF
    library here writes a font without its characters."""
    cid = ("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [<< /Type /Font "
           "/Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
           "/Supplement 0 >> /FontDescriptor << /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox "
           "[0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >> /DW 1000 >>] >>")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << "
               b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> /F2 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content), cid.encode()]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


def test_text_whose_font_maps_no_character_is_refused(tmp_path: Path) -> None:
    """Glyphs whose font says no character they stand for: text that exists but cannot be read is
    refused, never audited as garbage."""
    data = unmapped_font_pdf(b"BT /F2 12 Tf 72 700 Td <0F8A1E2B3C4D> Tj 0 -20 Td <00120034> Tj ET")
    assert unreadable_reason(tmp_path, "乱码.pdf", data) == f"乱码.pdf: {GARBLED}"


def test_characters_no_font_maps_are_unknown_and_named_in_a_note() -> None:
    document = read_document(unmapped_font_pdf(b"BT /F1 12 Tf 72 700 Td (Total 12) Tj /F2 12 Tf ( ) Tj <0F8A1E2B> Tj ET"),
                             "部分乱码.pdf")
    # ``( )`` is one byte in a font of two-byte codes: no character, and (as pdfminer reads it) no advance
    assert [line.text for line in document.lines] == ["Total 12\ufffd\ufffd"]
    assert document.notes == ["第1页有 2 个字符无法识别（字体缺少文字编码），含这些字符的内容未能读取，请人工核对"]


def test_a_pdf_encrypted_for_its_owner_only_is_read() -> None:
    """No password is needed to open it (copying is what its owner forbade): its text is read."""
    data = pdf(TITLE, ruleless_tables, encrypt=StandardEncryption("", ownerPassword="owner", canCopy=0))
    report = parse_bytes(data, "禁止复制.pdf")
    assert (report.body, report.year) == ("某某县人民政府", 2024)
    assert report.tables["二(五)"].value("行政许可", "本年处理决定数量") == 3608


def raised(canvas: Canvas) -> None:
    """A heading, and a line ending in a raised character (a note mark)."""
    text = canvas.beginText(60, 700)
    text.setFont(FONT, 12)
    text.textLine("六、其他需要报告的事项")
    text.textOut("本报告数据截至12月31日")
    text.setRise(4)
    text.textOut("1")
    canvas.drawText(text)


def test_a_raised_character_is_read_on_its_line() -> None:
    document = read_document(pdf(TITLE, raised, ruleless_tables), "上标.pdf")
    places = {line.text: line.place for line in document.lines}
    assert places["六、其他需要报告的事项"] == "第2页第1行"
    assert places["本报告数据截至12月31日1"] == "第2页第2行"
    assert places["二、主动公开政府信息情况"] == "第3页第1行"


def pdfium_and_pdfplumber(data: bytes) -> tuple[list[PageContent], list[PageContent]]:
    pages = load(data)
    return pages, list(pdfplumber_pages(data, [page.number for page in pages]))


@pytest.mark.parametrize("name", [*REAL, "made here", "generated"])
def test_pdfium_reads_each_page_as_pdfplumber_does(name: str) -> None:
    """The reader's layout was written and checked against pdfplumber's characters and table cells;
    PDFium's reading gives the same: each character's text, in the same order, its size and box within
    a thousandth of a point (PDFium keeps single-precision floats), each table's cells within a
    hundredth."""
    if name == "made here":
        data = pdf(TITLE, raised, ruleless_tables, ruleless_applications, words((60, 40, "六、其他需要报告的事项")))
    elif name == "generated":
        data = generate(3, "pdf_file", "2021").data
    else:
        data = real(name).read_bytes()
    assert_read_as_pdfplumber_reads(data)


def assert_read_as_pdfplumber_reads(data: bytes) -> None:
    for fast, slow in zip(*pdfium_and_pdfplumber(data), strict=True):
        assert (fast.number, fast.height) == (slow.number, slow.height)
        assert [c["text"] for c in fast.chars] == [c["text"] for c in slow.chars], f"page {fast.number}"
        assert all(abs(a[k] - b[k]) < 1e-3 for a, b in zip(fast.chars, slow.chars) for k in ("size", "x0", "x1", "top", "bottom"))
        assert [len(t) for t in fast.tables] == [len(t) for t in slow.tables], f"page {fast.number}"
        assert all(abs(u - v) < 1e-2 for ta, tb in zip(fast.tables, slow.tables) for a, b in zip(ta, tb) for u, v in zip(a, b))


def test_vertical_text_in_a_cell_is_read_with_pdfium(monkeypatch: pytest.MonkeyPatch) -> None:
    """hongze-2024 writes 三、本年度办理结果 down its table's first column (a vertical CMap): PDFium
    reads that page too, as pdfplumber does (test above), and no page is left to pdfplumber."""
    monkeypatch.setattr(pdf_pages, "pdfplumber_pages", None)
    pages = load(real("hongze-2024").read_bytes())
    assert "三、本年度办理结果" in "".join(c["text"] for c in pages[2].chars)


def with_content_edited(data: bytes, page: int, old: bytes, new: bytes) -> bytes:
    """The PDF with ``old`` replaced by ``new`` in the content of page ``page`` (one stream), as an
    incremental update: the stream written again at the end, a cross-reference section for it."""
    with pdfplumber.open(io.BytesIO(data)) as document:
        [stream] = document.pages[page - 1].page_obj.contents
        content, objid = resolve1(stream).get_data(), stream.objid
        trailer = document.doc.xrefs[0].get_trailer()
    assert old in content
    body = zlib.compress(content.replace(old, new))
    start = len(data) + 1
    update = b"\n%d 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj\n" % (objid, len(body), body)
    previous = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    return data + update + (b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %d 0 R "
                            b"/Prev %d >>\nstartxref\n%d\n%%%%EOF\n") % (objid, start, resolve1(trailer["Size"]),
                                                                  trailer["Root"].objid, previous, start + len(update) - 1)


@pytest.mark.parametrize("operator", [b"40 Ts", b"-25 Ts", b"80 Tz", b"20 Tc", b"30 Tw"])
def test_vertical_text_raised_or_stretched_is_read_as_pdfplumber_reads_it(operator: bytes) -> None:
    """The vertical column of hongze-2024's page 3 raised, lowered, stretched or spaced out: PDFium's
    reading of the page, or pdfplumber's where PDFium's positions cannot be checked, is pdfplumber's."""
    data = with_content_edited(real("hongze-2024").read_bytes(), 3, b"/FT38 199 Tf", b"/FT38 199 Tf " + operator)
    assert_read_as_pdfplumber_reads(data)


@pytest.mark.parametrize("name", [*REAL, "generated"])
def test_tables_are_found_as_pdfplumber_finds_them(name: str) -> None:
    """The reader finds a page's cells its own (faster) way from pdfplumber's edges and intersections:
    the same cells, in the same tables and order, exactly, on every page of the real reports (the
    merged header cells, the tables broken across pages) and of a generated one."""
    data = generate(3, "pdf_file", "2021").data if name == "generated" else real(name).read_bytes()
    cells = 0
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            expected = [table.cells for table in page.find_tables()]
            assert _tables(page.edges) == expected, f"page {page.page_number}"
            cells += sum(map(len, expected))
    assert cells > 100


def test_pages_without_text_are_named_and_the_rest_is_read() -> None:
    report = parse_bytes(pdf(TITLE, shapes, ruleless_tables), "部分扫描.pdf")
    assert report.year == 2024
    assert report.tables["二(五)"].value("行政许可", "本年处理决定数量") == 3608
    notes = [w.message for w in report.warnings if w.code == "reader"]
    assert notes == ["第2页没有可复制的文字（可能是扫描页或空白页），这些页的内容未读取，请人工核对"]


def running_heads(number: int):
    """A header and a page footer on every page, a point or so higher or lower from page to page."""
    def draw(canvas: Canvas) -> None:
        canvas.drawString(200, 815 + number % 2, "某某县人民政府办公室")
        canvas.drawString(260, 30 - number % 3, f"第 {number} 页 共 3 页")
    return draw


def test_headers_footers_and_page_numbers_are_dropped() -> None:
    def page(number: int, *draw):
        return lambda canvas: [d(canvas) for d in (running_heads(number), *draw)]

    document = read_document(pdf(page(1, TITLE), page(2, ruleless_tables), page(3, words((60, 40, "六、其他需要报告的事项")))),
                             "页眉页脚.pdf")
    texts = [line.text for line in document.lines]
    assert "某某县人民政府办公室" not in texts and not [t for t in texts if "共 3 页" in t]
    assert texts[:2] == ["某某县人民政府", "2024年政府信息公开工作年度报告"]  # a title in the top margin, once
    assert texts[-1] == "六、其他需要报告的事项"  # in the bottom margin of one page only: text


def test_places_name_page_and_line() -> None:
    document = read_document(pdf(TITLE, shapes, ruleless_tables), "部分扫描.pdf")
    places = {line.text: line.place for line in document.lines}
    assert places["某某县人民政府"] == "第1页第1行"
    assert places["二、主动公开政府信息情况"] == "第3页第1行"


def test_sniff_finds_the_signature_within_the_first_kilobyte() -> None:
    data = pdf(TITLE)
    reader = PdfReader()
    assert reader.sniff(data, "x.bin") and reader.sniff(b"\r\n" * 100 + data, "x.bin")
    assert not reader.sniff(b" " * 1100 + data, "x.pdf")
    assert parse_bytes(b"\xef\xbb\xbf\r\n" + data, "前有杂字节.pdf").body == "某某县人民政府"


@pytest.mark.parametrize("seed", range(3))
def test_a_number_wrapped_in_its_cell_is_one_number(seed: int) -> None:
    """A figure too wide for its column wraps inside the cell (``12345`` / ``67``): one number, not two
    that would shift every cell after it (the precision benchmark found a false TOT-001 from it)."""
    spec = clean_spec(seed, "2021")
    for column in ("自然人", "总计"):
        spec = bump_cell(spec, "三", "本年新收", column, 1_234_567)
    generated = render(spec, "pdf_file")
    with pdfplumber.open(io.BytesIO(generated.data)) as document:
        cells = [cell for page in document.pages for table in page.extract_tables() for row in table
                 for cell in row if cell and "\n" in cell and cell.replace("\n", "").replace(",", "").isdigit()]
    assert cells, "the case needs a number wrapped in its cell"
    三 = parse_bytes(generated.data, generated.name).tables["三"]
    row = "一、本年新收政府信息公开申请数量"
    assert [三.value(row, c) for c in 三.columns] == [spec.tables["三"][row][c] for c in 三.columns]
    assert 三.unreadable_rows == []
