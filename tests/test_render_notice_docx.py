"""The Word notice opens with python-docx and holds the numbered findings table."""
from __future__ import annotations

from pathlib import Path
from zipfile import ZipFile

import pytest
from docx import Document

from engine.render import write_outputs
from engine.render.notice import HEADER, NoticeRow, NoticeView
from engine.render.word import notice_docx, write_notice_docx
from render_sample_run import sample_run

SETTINGS = """\
office:
  name: 淄博市周村区人民政府办公室
  short: 周政公开
notice:
  date: 2021-03-01
  deadline: 20
  first_seq: 7
  contact: 联系人：张明　　联系电话：0533-6182345
  signature: [淄博市周村区人民政府办公室, （周村区政务公开办公室）]
"""


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audits")
    settings = folder / "office.yaml"
    settings.write_text(SETTINGS, encoding="utf-8")
    write_outputs(sample_run(), folder / "out", settings)
    return Document(str(folder / "out" / "notices" / "2020-周村区科技局.docx"))


def test_notice_holds_the_numbered_findings_table(document):
    table = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "问题", "位置", "依据", "整改要求"]
    # Errors and warnings only (info is for the office), most severe first, in the order of the report.
    assert [r[0] for r in rows[1:]] == [str(n) for n in range(1, 9)]
    assert rows[1] == ["1", "【错误】正文称“未收到政府信息公开申请”，表三本年新收总计却为 3", "第一部分 · 原文第9行",
                       "《条例》第五十条", "核实本年收到申请的实际数量，使正文与表三一致。"]
    assert rows[2][1:3] == ["【错误】表三“一、本年新收政府信息公开申请数量”总计为 3，六类申请人之和为 0",
                            "收到和处理政府信息公开申请情况表（表三） · 一、本年新收政府信息公开申请数量 · 总计 · 原文第121行"]
    assert rows[5][2] == "收到和处理政府信息公开申请情况表（表三） · 自然人列"
    assert [r[1][:4] for r in rows[1:]] == ["【错误】"] * 5 + ["【警告】"] * 3
    assert rows[8] == ["8", "【警告】未写明统计期限", "全文", "DB51/T 2660—2019 第2.1条",
                       "写明“本报告所列数据的统计期限自某年1月1日起至12月31日止”。"]


def test_notice_carries_the_office_settings(document):
    paragraphs = [p.text for p in document.paragraphs if p.text]
    assert paragraphs[:3] == ["政府信息公开工作年度报告整改通知书", "周政公开整改〔2021〕7号", "周村区科技局："]
    assert "错误5项、警告3项" in paragraphs[3] and "并于2021年3月21日前" in paragraphs[3]
    assert paragraphs[-3:] == ["淄博市周村区人民政府办公室", "（周村区政务公开办公室）", "2021年3月1日"]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4


def test_no_notice_for_a_report_without_errors_or_warnings(tmp_path: Path):
    write_outputs(sample_run(), tmp_path)
    assert not list((tmp_path / "notices").glob("2021-灵武市科学技术局.*"))


def _view(rows: int, drafts: tuple[str, ...] = (), text: str = "问题") -> NoticeView:
    return NoticeView(title="整改通知书", number="×政公开整改〔2026〕1号", addressee="某县科学技术局：",
                      opening="开头", header=HEADER,
                      rows=tuple(NoticeRow(n, f"{text}{n}", "全文", "依据", "整改要求") for n in range(1, rows + 1)),
                      closing="结尾", contact="联系人", signature=("某县人民政府办公室",), date="2026年12月1日",
                      drafts=drafts)


def test_text_with_tabs_breaks_and_edge_spaces_reads_back_as_written(tmp_path: Path):
    """Report text quoted in a notice is written as python-docx writes it: tabs and breaks as elements."""
    text = "　首尾有空格 \t制表符\n换行\r回车 "
    write_notice_docx(_view(1, text=text), tmp_path / "n.docx")
    document = Document(str(tmp_path / "n.docx"))
    assert document.tables[0].rows[1].cells[1].text == f"{text}1".replace("\r", "\n")
    xml = document.tables[0].rows[1].cells[1]._tc.xml
    assert 'xml:space="preserve"' in xml and "<w:tab/>" in xml and xml.count("<w:br/>") == 2


def test_notices_written_in_one_process_share_nothing_but_their_layout(tmp_path: Path):
    """The layout is made once per process; no notice may leave its rows or text in it for the next."""
    def parts(path: Path) -> tuple[bytes, bytes | None]:
        with ZipFile(path) as word:
            header = "word/header1.xml" in word.namelist()
            return word.read("word/document.xml"), word.read("word/header1.xml") if header else None

    write_notice_docx(_view(8), tmp_path / "first.docx")
    write_notice_docx(_view(1, drafts=("草稿：测试",), text="另一"), tmp_path / "draft.docx")
    (tmp_path / "again.docx").write_bytes(notice_docx(_view(8)))  # as a worker process hands it back
    assert parts(tmp_path / "again.docx") == parts(tmp_path / "first.docx")
    assert parts(tmp_path / "first.docx")[1] is None
    draft = Document(str(tmp_path / "draft.docx"))
    assert [row.cells[1].text for row in draft.tables[0].rows] == ["问题", "另一1"]
    assert draft.paragraphs[0].text == "草稿：测试" and draft.sections[0].header.paragraphs[0].text == "草稿，不得发出"
    assert len(Document(str(tmp_path / "again.docx")).tables[0].rows) == 9
