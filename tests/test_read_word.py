"""Word input: .docx read from its XML, .doc and .odt through LibreOffice, other office files refused.

The known answers are written here, not read back from engine code: the official blank template
(``tests/samples/fixtures/template-2021.docx``, the document agencies fill in) is filled by lxml with
numbers chosen so that 表三's identities hold, a few cells left blank, and every cell must read back
exactly what was written (:func:`tests.generator.compare.differences`). The same filled report, saved
as .doc and .odt by LibreOffice, must read the same cells. Small documents written here pin what Word
shows: one merged cell is one value, accepted tracked changes, a text box once, a field's result and
not its instruction. Spreadsheets, pictures, archives and damaged files are refused with the reason.
"""
from __future__ import annotations

import copy
import io
import shutil
import struct
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from apt_packages import apt_install
from lxml import etree

from engine.audit import run_audit
from engine.formats import load_formats
from engine.parse import ReportError, parse_bytes
from engine.parse.readers import COVERED, NotReadable, read_document
from engine.parse.readers import legacy
from tests.generator.compare import differences
from tests.generator.document import Expected, ExpectedTable

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "tests" / "samples" / "fixtures" / "template-2021.docx"
RULES = ROOT / "rules"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
TITLE = "某某县某某局2023年政府信息公开工作年度报告"
PERIOD = "本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"
SECTION_TEXT = "本年度，某某局认真贯彻落实政府信息公开条例，各项工作有序推进。"

# ---------------------------------------------------------------- the filled template's known values

FORMAT = load_formats()["2021"]
THREE = FORMAT.tables["三"]
PARTS = 6  # 表三's columns before 总计
RESULT_ROWS = [r.label for r in THREE.rows if r.parents and r.leaf != "（七）总计"]
#: Cells left blank in the filled template: they must read as blank cells, never as 0. Each would be 0
#: in the numbers below, so the identities hold whether a rule counts a blank as 0 or not.
BLANK = {("三", "（三）不予公开 8.属于行政查询事项", column.label) for column in THREE.columns} | {
    ("三", "（五）不予处理 4.无正当理由大量反复申请", "科研机构"),
    ("二(一)", "规章", "本年废止件数"),
    ("四", "行政诉讼-复议后起诉", "尚未审结"),
}


def _three() -> dict[str, list[int]]:
    """表三 with every identity holding: each row's 总计 is the sum of its parts, （七）总计 the sum of
    the results, and per column 本年新收 + 上年结转 = （七）总计 + 结转下年度."""
    rows: dict[str, list[int]] = {}
    for n, label in enumerate(RESULT_ROWS):
        rows[label] = [0 if ("三", label, THREE.columns[c].label) in BLANK else (n * 5 + c * 3) % 13
                       for c in range(PARTS)]
    total = [sum(rows[label][c] for label in RESULT_ROWS) for c in range(PARTS)]
    carried_in = [c + 1 for c in range(PARTS)]
    carried_out = [2 * c for c in range(PARTS)]
    table = {"一、本年新收政府信息公开申请数量": [t + o - i for t, o, i in zip(total, carried_out, carried_in)],
             "二、上年结转政府信息公开申请数量": carried_in, **rows, "（七）总计": total,
             "四、结转下年度继续办理": carried_out}
    return {label: [*parts, sum(parts)] for label, parts in table.items()}


VALUES: dict[str, dict[str, list[int | Decimal]]] = {
    "二(一)": {"规章": [2, 0, 17], "行政规范性文件": [5, 3, 41]},
    "二(五)": {"行政许可": [1284]},
    "二(六)": {"行政处罚": [4119], "行政强制": [195]},
    "二(八)": {"行政事业性收费": [Decimal("7730.28")]},
    "三": _three(),
    "四": {"行政复议": [10, 1, 2, 0, 13], "行政诉讼-未经复议直接起诉": [3, 0, 1, 1, 5],
          "行政诉讼-复议后起诉": [2, 1, 0, 0, 3]},
}


def expected() -> Expected:
    tables = {}
    for key, rows in VALUES.items():
        spec = FORMAT.tables[key]
        cells = {(row, column.label): None if (key, row, column.label) in BLANK else value
                 for row, values in rows.items() for column, value in zip(spec.columns, values)}
        tables[key] = ExpectedTable(cells, (), (), {c.label: c.kind for c in spec.columns})
    return Expected("某某县某某局", 2023, "2021", ("一", "二", "三", "四", "五", "六"), tables, {},
                    (date(2023, 1, 1), date(2023, 12, 31)))


# ---------------------------------------------------------------- writing Word XML

def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t")).strip()


def _write(paragraph: etree._Element, text: str) -> None:
    """``paragraph`` holding ``text`` alone (its runs replaced, its properties kept)."""
    for child in list(paragraph):
        if child.tag != W + "pPr":
            paragraph.remove(child)
    run = etree.SubElement(paragraph, W + "r")
    etree.SubElement(run, W + "t").text = text


def _fill_cell(cell: etree._Element, value: object) -> None:
    _write(cell.find(W + "p"), str(value))


def fill_template(template: bytes) -> bytes:
    """The official template with the title, prose and every table cell of :data:`VALUES` written in."""
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find(W + "body")
    paragraphs = [p for p in body.findall(W + "p") if _text(p)]
    _write(paragraphs[0], TITLE)
    for paragraph in paragraphs:
        if _text(paragraph).startswith("（文字描述"):
            _write(paragraph, SECTION_TEXT)
    after_title = copy.deepcopy(paragraphs[0])
    _write(after_title, PERIOD)
    paragraphs[0].addnext(after_title)
    leaves = {row.leaf: (key, row.label) for key in VALUES for row in FORMAT.tables[key].rows}
    tables = body.findall(W + "tbl")
    for table in tables[:2]:  # 表二 (four small tables in one) and 表三: one labelled row per row
        for tr in table.findall(W + "tr"):
            cells = tr.findall(W + "tc")
            for width in (7, 3, 1):
                found = leaves.get(_text(cells[-width - 1])) if len(cells) > width else None
                if found and len(VALUES[found[0]][found[1]]) == width:
                    _fill_row(found[0], found[1], cells[-width:])
                    break
    wide = tables[2].findall(W + "tr")[-1].findall(W + "tc")  # 表四: one row of 15 cells
    for n, row in enumerate(r.label for r in FORMAT.tables["四"].rows):
        _fill_row("四", row, wide[n * 5:(n + 1) * 5])
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _zip(parts)


def _fill_row(key: str, row: str, cells: list[etree._Element]) -> None:
    for column, cell, value in zip(FORMAT.tables[key].columns, cells, VALUES[key][row], strict=True):
        if (key, row, column.label) not in BLANK:
            _fill_cell(cell, value)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '</Types>')
NAMESPACES = (f'xmlns:w="{W_NS}" '
              'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
              'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
              'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
              'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"')


def docx(body: str, parts: dict[str, str] | None = None, relations: str = "") -> bytes:
    """A minimal .docx whose body is ``body`` (WordprocessingML with the ``w:`` prefix)."""
    files = {"[Content_Types].xml": CONTENT_TYPES,
             "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                            'Target="word/document.xml"/></Relationships>',
             "word/document.xml": f'<?xml version="1.0"?><w:document {NAMESPACES}><w:body>{body}</w:body></w:document>',
             "word/_rels/document.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                                             f'openxmlformats.org/package/2006/relationships">{relations}'
                                             '</Relationships>'}
    files.update({f"word/{name}": f'<?xml version="1.0"?>{xml}' for name, xml in (parts or {}).items()})
    return _zip({name: text.encode() for name, text in files.items()})


def p(*runs: str) -> str:
    return f"<w:p>{''.join(runs)}</w:p>"


def r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def tc(content: str, properties: str = "") -> str:
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{content}</w:tc>"


def lines_of(data: bytes) -> list[tuple[str, str, tuple[str, ...] | None]]:
    return [(line.place, line.text, line.cells) for line in read_document(data, "test.docx").lines]


# ---------------------------------------------------------------- LibreOffice

@pytest.fixture(scope="module")
def soffice() -> str:
    """LibreOffice's program, installed with apt when missing and we are root; otherwise the tests fail
    saying what to install (as the browser test does): an old-Word test not run is not passed."""
    if legacy.office() is None:
        apt_install(["libreoffice-writer-nogui"])
    program = legacy.office()
    assert program, "apt installed libreoffice-writer-nogui, but soffice is not on PATH"
    return program


def libreoffice_convert(program: str, data: bytes, suffix: str, to: str, folder: Path) -> bytes:
    """``data`` saved by LibreOffice in format ``to`` (doc, odt), as an office would get it."""
    source = folder / f"filled{suffix}"
    source.write_bytes(data)
    subprocess.run([program, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
                    "--convert-to", to, "--outdir", str(folder), str(source)],
                   check=True, capture_output=True, timeout=180)
    return (folder / f"filled.{to}").read_bytes()


# ---------------------------------------------------------------- the official template

@pytest.fixture(scope="module")
def filled() -> bytes:
    return fill_template(TEMPLATE.read_bytes())


@pytest.fixture(scope="module")
def filled_doc(filled: bytes, soffice: str, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The filled template saved as Word 97–2003 (.doc) by LibreOffice."""
    doc = libreoffice_convert(soffice, filled, ".docx", "doc", tmp_path_factory.mktemp("doc"))
    assert doc.startswith(b"\xd0\xcf\x11\xe0")
    return doc


def test_blank_template_gives_the_six_sections_and_empty_grids() -> None:
    document = read_document(TEMPLATE.read_bytes(), TEMPLATE.name)
    texts = [line.text for line in document.lines if line.cells is None]
    for section in FORMAT.sections:
        assert f"{section.number}、{section.title}" in texts
    rows = [line.cells for line in document.lines if line.cells is not None]
    start = next(n for n, cells in enumerate(rows) if "（六）其他处理" in cells)
    other = rows[start:start + 3]  # （六）其他处理 and its three rows, each with its own empty cells
    assert [cells[2] for cells in other] == [row.leaf for row in THREE.rows if row.group == "（六）其他处理"]
    assert [cells[:2] for cells in other[1:]] == [(COVERED, COVERED)] * 2
    assert [cells[3:] for cells in other] == [("",) * 7] * 3
    report = parse_bytes(TEMPLATE.read_bytes(), TEMPLATE.name)
    assert [s.number for s in report.sections] == ["一", "二", "三", "四", "五", "六"]
    for key in ("二(一)", "二(五)", "二(六)", "二(八)", "三"):
        table = report.tables[key]
        assert not table.missing_rows and not table.unreadable_rows, key
        assert all(table.cell(row, column) is not None and table.value(row, column) is None
                   for row in table.rows for column in table.columns), f"表{key} 应为空白单元格"


def test_filled_template_reads_every_cell_as_written(filled: bytes) -> None:
    report = parse_bytes(filled, "filled.docx")
    assert differences(expected(), report) == []
    assert report.kind == "Word"
    three = report.tables["三"]
    assert three.value("（七）总计", "总计") == sum(VALUES["三"]["（七）总计"][:PARTS])
    blank = three.cell("（三）不予公开 8.属于行政查询事项", "自然人")
    assert blank is not None and blank.value is None  # blank, not 0 and not missing
    assert report.place(three.cell("（一）予以公开", "自然人").line) == "表格2第6行"
    assert report.place(report.title_line) == "第1段"


NUMBERING = (
    f'<w:numbering {NAMESPACES}>'
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
    '<w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:suff w:val="nothing"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    + "".join(f'<w:num w:numId="{n}"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0">'
              '<w:startOverride w:val="1"/></w:lvlOverride></w:num>' for n in range(2, 6))
    + "</w:numbering>")


def auto_numbered(data: bytes) -> bytes:
    """``data`` as Word saves it when the headings (一、) and 表三's row labels (1. … in each group) are
    numbered lists: the numbers leave the text for word/numbering.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    headings = {f"{s.number}、{s.title}" for s in FORMAT.sections}
    label_list = 1
    for paragraph in root.iter(W + "p"):
        text = _text(paragraph)
        if text in headings:
            number = 1
        elif paragraph.getparent().tag == W + "tc" and text[:1].isdigit() and text[1:2] == ".":
            label_list += text.startswith("1.")
            number = label_list
        else:
            continue
        _write(paragraph, text[2:])
        properties = paragraph.find(W + "pPr")
        if properties is None:
            properties = etree.SubElement(paragraph, W + "pPr")
            paragraph.insert(0, properties)
        numbered = etree.SubElement(properties, W + "numPr")
        etree.SubElement(numbered, W + "ilvl").set(W + "val", "0")
        etree.SubElement(numbered, W + "numId").set(W + "val", str(number))
    assert label_list == 5  # （三）（四）（五）（六）: four lists that each start at 1
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    parts["word/numbering.xml"] = NUMBERING.encode()
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>')
    return _zip(parts)


def test_numbers_word_draws_for_lists_are_read(filled: bytes) -> None:
    numbered = auto_numbered(filled)
    document = read_document(numbered, "numbered.docx")
    assert "一、总体情况" in [line.text for line in document.lines]
    assert differences(expected(), parse_bytes(numbered, "numbered.docx")) == []


def test_multilevel_lists_count_and_restart_as_word_does() -> None:
    levels = (("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3."))
    numbering = (f'<w:numbering {NAMESPACES}><w:abstractNum w:abstractNumId="0">'
                 + "".join(f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{form}"/>'
                           f'<w:lvlText w:val="{text}"/></w:lvl>' for n, (form, text) in enumerate(levels))
                 + '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
    relation = ('<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                'relationships/numbering" Target="numbering.xml"/>')

    def item(level: int, text: str) -> str:
        return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="7"/></w:numPr></w:pPr>'
                f"{r(text)}</w:p>")

    body = (item(0, "甲") + item(1, "乙") + item(1, "丙") + item(2, "丁") + item(2, "戊") + item(0, "己")
            + item(1, "庚") + item(2, "辛") + "".join(item(0, "又") for _ in range(9)))
    texts = [text for _, text, _ in lines_of(docx(body, {"numbering.xml": numbering}, relation))]
    assert texts[:8] == ["一、甲", "（一）乙", "（二）丙", "1. 丁", "2. 戊", "二、己", "（一）庚", "1. 辛"]
    assert texts[-2:] == ["十、又", "十一、又"]


def test_doc_saved_by_libreoffice_reads_the_same_cells(filled_doc: bytes) -> None:
    report = parse_bytes(filled_doc, "filled.doc")
    assert report.kind == "旧版 Word/WPS"
    assert differences(expected(), report) == []
    assert report.place(report.tables["三"].cell("（一）予以公开", "自然人").line) == "表格2第6行"
    assert legacy.LegacyWordReader().sniff(filled_doc, "filled.wps")  # WPS saves the same container


def test_odt_saved_by_libreoffice_reads_the_same_cells(filled: bytes, soffice: str, tmp_path: Path) -> None:
    odt = libreoffice_convert(soffice, filled, ".docx", "odt", tmp_path)
    report = parse_bytes(odt, "filled.odt")
    assert report.kind == "OpenDocument 文本"
    assert differences(expected(), report) == []


def test_without_libreoffice_an_old_word_file_says_what_to_do(filled_doc: bytes,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(legacy, "office", lambda: None)
    with pytest.raises(ReportError, match="本机未安装 LibreOffice。请另存为 .docx 后再审核"):
        parse_bytes(filled_doc, "filled.doc")


def test_conversion_leaves_no_temporary_folder(filled_doc: bytes, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(legacy.tempfile, "tempdir", None)
    parse_bytes(filled_doc, "filled.doc")
    with pytest.raises(ReportError, match="无法转换"):
        parse_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "damaged.doc")
    assert list(tmp_path.iterdir()) == []


def test_a_stuck_conversion_is_stopped_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A LibreOffice that never finishes (here a stand-in that starts a child and waits) is stopped at
    the time limit, with its children, and its temporary folder is removed."""
    pids = tmp_path / "pids"
    stuck = tmp_path / "soffice"
    stuck.write_text(f'#!/bin/sh\necho $$ >> "{pids}"\nsleep 60 &\necho $! >> "{pids}"\nwait\n')
    stuck.chmod(0o755)
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(legacy, "office", lambda: str(stuck))
    monkeypatch.setenv("TMPDIR", str(private))
    monkeypatch.setattr(legacy.tempfile, "tempdir", None)
    with pytest.raises(NotReadable, match="转换超时（超过 1 秒）"):
        legacy.to_docx(b"\xd0\xcf\x11\xe0", ".doc", timeout=1)
    assert list(private.iterdir()) == []
    # Under load the stand-in may be stopped before it wrote its pids; what it did start must be gone.
    for pid in map(int, pids.read_text().split() if pids.exists() else ()):
        status = Path(f"/proc/{pid}/status")
        assert not status.exists() or "State:\tZ" in status.read_text(), f"process {pid} still runs"


# ---------------------------------------------------------------- what Word shows

def test_merged_cells_are_one_cell_never_a_repeated_value() -> None:
    restart, cont, two = '<w:vMerge w:val="restart"/>', "<w:vMerge/>", '<w:gridSpan w:val="2"/>'
    body = ("<w:tbl>"
            f"<w:tr>{tc(p(r('项目')), restart)}{tc(p(r('申请人情况')), two)}</w:tr>"
            f"<w:tr>{tc(p(), cont)}{tc(p(r('自然人')))}{tc(p(r('法人')))}</w:tr>"
            f"<w:tr>{tc(p(r('新收')))}{tc(p(r('7')), two)}</w:tr>"
            f"<w:tr>{tc(p(r('结转')), restart)}{tc(p(r('3')), restart)}{tc(p(r('4')))}</w:tr>"
            f"<w:tr>{tc(p(), cont)}{tc(p(), cont)}{tc(p(r('5')))}</w:tr>"
            "</w:tbl>")
    assert [cells for _, _, cells in lines_of(docx(body))] == [
        ("项目", "申请人情况"), (COVERED, "自然人", "法人"), ("新收", "7"), ("结转", "3", "4"),
        (COVERED, COVERED, "5")]
    assert [place for place, _, _ in lines_of(docx(body))] == [f"表格1第{n}行" for n in range(1, 6)]


def test_a_wrapped_cell_label_is_joined_and_two_numbers_stay_apart() -> None:
    label = p(r("（二）部分公开"), "<w:r><w:br/></w:r>", r("（区分处理的）"))
    body = f"<w:tbl><w:tr>{tc(label)}{tc(p(r('12')) + p(r('34')))}{tc(p(r('a'), '<w:r><w:tab/></w:r>', r('b')))}</w:tr></w:tbl>"
    assert lines_of(docx(body))[0][2] == ("（二）部分公开（区分处理的）", "12 34", "a b")


def test_a_tab_separates_cells_of_a_typed_row_and_is_a_space_elsewhere() -> None:
    tab = "<w:r><w:tab/></w:r>"
    body = (p(r("某某县某某局2023年政府信息公开工作年度报告")) + p(tab, r("联系电话："), tab, r("0517-83912345"))
            + p(r("行政许可"), tab, r("447"), tab, tab, r("-")))
    data = docx(body)
    assert [text for _, text, _ in lines_of(data)][1:] == ["联系电话： 0517-83912345", "行政许可\t447\t\t-"]
    assert parse_bytes(data, "test.docx").contact["phone"].value == "0517-83912345"


def test_accepted_tracked_changes() -> None:
    body = (p(r("收到申请"), '<w:ins w:id="1" w:author="x"><w:r><w:t>21</w:t></w:r></w:ins>',
              '<w:del w:id="2" w:author="x"><w:r><w:delText>12</w:delText></w:r></w:del>', r("件。"))
            + p('<w:moveFrom w:id="3" w:author="x"><w:r><w:t>移走的文字</w:t></w:r></w:moveFrom>', r("留下的文字"))
            + p('<w:pPr><w:rPr><w:del w:id="4" w:author="x"/></w:rPr></w:pPr>', r("前半句"))
            + p(r("后半句。"))
            + "<w:tbl>"
            + f"<w:tr>{tc(p(r('表头')))}{tc(p(r('数')))}</w:tr>"
            + f'<w:tr><w:trPr><w:del w:id="5" w:author="x"/></w:trPr>{tc(p(r("删除的行")))}{tc(p(r("9")))}</w:tr>'
            + f"<w:tr>{tc(p(r('留下的行')))}{tc(p(r('1')))}</w:tr></w:tbl>")
    assert lines_of(docx(body)) == [
        ("第1段", "收到申请21件。", None), ("第2段", "留下的文字", None), ("第3段", "前半句后半句。", None),
        ("表格1第1行", "表头\t数", ("表头", "数")), ("表格1第2行", "留下的行\t1", ("留下的行", "1"))]


def test_a_text_box_is_read_once() -> None:
    box = p(r("文本框里的标题"))
    drawing = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:wsp><wps:txbx>'
               f'<w:txbxContent>{box}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>'
               f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{box}</w:txbxContent>'
               '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>')
    assert lines_of(docx(p(r("正文"), drawing) + p(r("下一段")))) == [
        ("第1段", "正文", None), ("第2段", "文本框里的标题", None), ("第3段", "下一段", None)]


def test_a_field_gives_its_result_not_its_instruction() -> None:
    complex_field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                     '<w:r><w:instrText xml:space="preserve"> DOCPROPERTY  Company </w:instrText></w:r>'
                     '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + r("某某局")
                     + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    simple = f'<w:fldSimple w:instr=" DATE \\@ &quot;yyyy&quot; ">{r("2023")}</w:fldSimple>'
    assert lines_of(docx(p(complex_field, r("："), simple, r("年")))) == [("第1段", "某某局：2023年", None)]


def test_line_breaks_end_lines_of_a_paragraph_and_symbols_are_read() -> None:
    body = p(r("某某县某某局"), "<w:r><w:br/></w:r>", r("2023年政府信息公开工作年度报告"),
             '<w:r><w:cr/><w:t>电话</w:t><w:noBreakHyphen/><w:t>1</w:t><w:sym w:font="Symbol" w:char="2460"/></w:r>')
    assert lines_of(docx(body)) == [("第1段", "某某县某某局", None),
                                    ("第1段", "2023年政府信息公开工作年度报告", None), ("第1段", "电话-1①", None)]


def test_headers_come_first_footers_last_and_page_numbers_are_left_out() -> None:
    page = ('<w:r><w:t xml:space="preserve">第 </w:t></w:r><w:fldSimple w:instr=" PAGE ">'
            f'{r("3")}</w:fldSimple><w:r><w:t xml:space="preserve"> 页</w:t></w:r>')
    header = f"<w:hdr {NAMESPACES}>{p(r('某某县人民政府信息公开'))}</w:hdr>"
    footer = f"<w:ftr {NAMESPACES}>{p(page)}{p(r('某某县某某局印发'))}</w:ftr>"
    relations = "".join(
        f'<Relationship Id="{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{k}" '
        f'Target="{t}"/>' for i, k, t in (("h1", "header", "header1.xml"), ("h2", "header", "header2.xml"),
                                          ("f1", "footer", "footer1.xml")))
    section = ('<w:sectPr><w:headerReference w:type="default" r:id="h1"/>'
               '<w:headerReference w:type="first" r:id="h2"/><w:footerReference w:type="default" r:id="f1"/>'
               '</w:sectPr>')
    data = docx(p(r("正文第一段")) + section,
                {"header1.xml": header, "header2.xml": header, "footer1.xml": footer}, relations)
    assert lines_of(data) == [("页眉第1段", "某某县人民政府信息公开", None), ("第1段", "正文第一段", None),
                              ("页脚第1段", "某某县某某局印发", None)]


def test_a_frame_table_is_read_as_its_content_and_a_nested_table_as_a_table() -> None:
    inner = f"<w:tbl><w:tr>{tc(p(r('行政许可')))}{tc(p(r('447')))}</w:tr></w:tbl>"
    outer = f"<w:tbl><w:tr>{tc(p(r('框里的文字')) + inner + p())}</w:tr></w:tbl>"
    nested = f"<w:tbl><w:tr>{tc(p(r('外表')))}{tc(p(r('说明')) + inner)}</w:tr></w:tbl>"
    assert lines_of(docx(outer + nested)) == [
        ("第1段", "框里的文字", None), ("表格1第1行", "行政许可\t447", ("行政许可", "447")),
        ("表格2第1行", "外表\t说明", ("外表", "说明")), ("表格3第1行", "行政许可\t447", ("行政许可", "447"))]


def test_a_picture_is_noted_as_not_read() -> None:
    picture = ('<w:r><w:drawing><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
               '<a:blip/></a:graphic></w:drawing></w:r>')
    document = read_document(docx(p(r("表三如下：")) + p(picture)), "test.docx")
    assert [line.place for line in document.lines] == ["第1段"]
    assert document.notes == ["第2段有图片或嵌入对象，其中的文字未能读取；如有统计表格或文字以图片形式插入，请人工核对"]


# ---------------------------------------------------------------- refused, with the reason

def ole2(stream: str) -> bytes:
    """A minimal compound file (MS-CFB, 512-byte sectors) holding one 4096-byte stream named ``stream``:
    sector 0 the allocation table, sector 1 the directory, sectors 2–9 the stream."""
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))
    fat = struct.pack("<128I", fat_sector, end, *range(3, 10), end, *[free] * 118)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", no_stream, no_stream, child) + bytes(36) + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, no_stream, 2, 4096) + bytes(256)
    workbook = b"\x09\x08\x10\x00\x00\x06\x05\x00" + bytes(4088)  # a BIFF8 BOF record, then nothing
    return header + fat + directory + workbook


def xlsx() -> bytes:
    return _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
                 "xl/worksheets/sheet1.xml": b"<worksheet/>"})


REFUSED = {
    "truncated.docx": (lambda d: d[:len(d) // 2], "Word 文件已损坏"),
    "broken-xml.docx": (lambda d: _broken_xml(), "Word 文件已损坏"),
    "no-body.docx": (lambda d: _zip({"[Content_Types].xml": b"<Types/>"}), "Word 文件已损坏"),
    "statistics.xlsx": (lambda d: xlsx(), "电子表格文件（Excel .xlsx）"),
    "statistics.xls": (lambda d: ole2("Workbook"), "电子表格文件（Excel .xls）"),
    "slides.ppt": (lambda d: ole2("PowerPoint Document"), "演示文稿文件（PowerPoint .ppt）"),
    "locked.docx": (lambda d: ole2("EncryptedPackage"), "设置了打开密码"),
    "scan.png": (lambda d: b"\x89PNG\r\n\x1a\n" + bytes(64), "图片文件（PNG）"),
    "scan.jpg": (lambda d: b"\xff\xd8\xff\xe0" + bytes(64), "图片文件（JPEG）"),
    "reports.zip": (lambda d: _zip({"a.txt": b"x"}), "压缩包（zip），请解压后分别提交"),
}


def _broken_xml() -> bytes:
    """A Word file whose text was cut off mid-element (a failed save)."""
    return _zip({"[Content_Types].xml": CONTENT_TYPES.encode(),
                 "word/document.xml": f"<w:document {NAMESPACES}><w:body><w:p><w:r><w:t>未完".encode()})


@pytest.mark.parametrize("name", REFUSED)
def test_not_a_readable_report_is_refused_with_its_reason(name: str, filled: bytes, tmp_path: Path) -> None:
    make, reason = REFUSED[name]
    data = make(filled)
    with pytest.raises(ReportError, match=reason):
        parse_bytes(data, name)
    path = tmp_path / name
    path.write_bytes(data)
    run = run_audit([path], RULES)
    assert run.audits == []
    assert [(u.source, reason in u.reason) for u in run.unreadable] == [(str(path), True)]


def test_the_kind_decides_not_the_name(filled: bytes) -> None:
    assert parse_bytes(filled, "report.txt").kind == "Word"
    with pytest.raises(ReportError, match="电子表格文件"):
        parse_bytes(xlsx(), "report.docx")
