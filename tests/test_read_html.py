"""Web pages read as a person reads them in a browser (issue 7, point 5).

The fixtures in ``tests/samples/fixtures/html/`` were written by hand after real government CMS pages,
and ``linchuan-2022.yaml`` beside them holds every value set in them (see its header): the three pages
must give exactly that reading. The same pages with every class and id name removed and the HTML5
chrome tags renamed to ``div`` must too, since chrome is found by a general rule, not by the names one
CMS gives it. The smaller cases below check one behaviour each against markup whose answer is plain
from the markup itself: merged cells, cell text, layout tables, charsets, the report's opening.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.parse import ReportError, parse_bytes, parse_text
from engine.parse.readers import COVERED
from engine.parse.readers.html import HtmlReader, html_document
from tests.test_samples import (
    ROOT,
    compare,
    expectations,
    reading_from_report,
    test_expectation_file_names_every_official_cell as check_names_every_official_cell,
)

FIXTURES = ROOT / "tests" / "samples" / "fixtures" / "html"
EXPECTED = FIXTURES / "linchuan-2022.yaml"
PAGES = [ROOT / expectations(EXPECTED)["source"], *(ROOT / p for p in expectations(EXPECTED)["same_reading"])]
#: What the fixtures' chrome says, none of which is the report's.
CHROME = ("当前位置", "您现在的位置", "首页", "索引号", "发布时间", "发布日期", "浏览次数", "阅读次数", "字号",
          "分享", "打印本页", "关闭窗口", "上一篇", "下一篇", "相关链接", "相关文章", "主办单位", "网站标识码",
          "ICP备", "公网安备", "技术支持", "网站地图", "热线", "0794-8888001", "0794-8888002", "12345678",
          "0794-12349", "www.lcmz.gov.cn", "赣东大道", "2021年政府信息公开工作年度报告", "无障碍", "搜索")


def _bare(data: bytes) -> bytes:
    """The page without the names its CMS gives its parts: no class or id, no HTML5 chrome tags."""
    data = re.sub(rb'\s(?:class|id)="[^"]*"', b"", data)
    return re.sub(rb"<(/?)(?:header|footer|nav|aside)\b", rb"<\1div", data)


CASES = [(page, bare) for page in PAGES for bare in (False, True)]
IDS = [f"{page.stem}{'-bare' if bare else ''}" for page, bare in CASES]


def _read(page: Path, bare: bool = False):
    data = page.read_bytes()
    return parse_bytes(_bare(data) if bare else data, str(page))


def test_expectation_names_every_official_cell() -> None:
    check_names_every_official_cell(EXPECTED)


def test_fixtures_are_what_they_imitate() -> None:
    page, fragment, html5 = (p.read_bytes() for p in PAGES)
    assert b'charset=gb2312"' in page and "临川市民政局".encode("gb2312") in page
    with pytest.raises(UnicodeDecodeError):
        page.decode("utf-8")
    assert b"\n" not in fragment and fragment.count(b"<tr>") == 46
    assert b'<meta charset="utf-8">' in html5


@pytest.mark.parametrize(("page", "bare"), CASES, ids=IDS)
def test_page_reads_as_checked_by_hand(page: Path, bare: bool) -> None:
    report = _read(page, bare)
    problems = compare(expectations(EXPECTED), reading_from_report(report), str(EXPECTED.relative_to(ROOT)))
    assert not problems, f"{page.name}: {len(problems)} differences\n" + "\n".join(problems)
    assert report.kind == "网页" and not [w for w in report.warnings if w.code == "reader"]


@pytest.mark.parametrize(("page", "bare"), CASES, ids=IDS)
def test_no_chrome_in_the_report(page: Path, bare: bool) -> None:
    report = _read(page, bare)
    leaked = [(report.places[n], line) for n, line in enumerate(report.lines) for word in CHROME if word in line]
    assert not leaked
    assert all(word not in section.text for section in report.sections for word in CHROME)
    assert report.lines[0] == "临川市民政局2022年政府信息公开工作年度报告"
    assert report.lines[-2:] == ["临川市民政局", "2023年1月18日"]


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_places_are_paragraphs_and_table_rows_in_reading_order(page: Path) -> None:
    report = _read(page)
    assert report.places[:3] == ["第1段", "第2段", "第3段"]
    assert report.places[12:14] == ["表格1第1行", "表格1第2行"]
    assert report.places[26:28] == ["第13段", "表格2第1行"]
    assert report.places[54] == "表格2第28行" and report.places[59] == "表格3第4行"
    assert len(set(report.places)) == len(report.places)


def test_a_footer_phone_is_not_the_reports_contact_phone() -> None:
    """The report states no phone: the header's hotline and the footer's phone stay the site's."""
    for page in PAGES:
        data = page.read_bytes()
        stated = "，电话：0794-8226519".encode("gb2312" if page == PAGES[0] else "utf-8")
        assert stated in data
        report = parse_bytes(data.replace(stated, b""), str(page))
        assert "phone" not in report.contact and "fax" not in report.contact and "website" not in report.contact
        assert report.contact["email"].value == "lcmzj@163.com"


# Merged cells, cell text, tables inside tables ------------------------------------------------------

def _rows(markup: str) -> list[tuple[str, ...] | str]:
    return [line.cells if line.cells is not None else line.text for line in html_document(markup).lines]


def test_rowspan_and_colspan_give_the_true_grid() -> None:
    markup = ("<table><tr><th rowspan=2 colspan=2>项目</th><th colspan=2>申请人</th></tr>"
              "<tr><th>自然人</th><th>法人</th></tr>"
              "<tr><td rowspan=2>三、结果</td><td>（一）公开</td><td>1</td><td>2</td></tr>"
              "<tr><td>（二）部分</td><td>3</td><td>4</td></tr></table>")
    assert _rows(markup) == [("项目", "申请人"), (COVERED, "自然人", "法人"),
                             ("三、结果", "（一）公开", "1", "2"), (COVERED, "（二）部分", "3", "4")]


def test_cell_text_joins_breaks_and_paragraphs_and_blanks_nbsp() -> None:
    markup = ('<table><thead><tr><th>本年<br/>收费金额</th><th><p>勾稽关系为：</p><p>第一项</p></th>'
              "<th>E-mail<br>地址</th><th><span style='font-size:14px'><font face='仿宋'>法律服务</font>机构</span></th></tr>"
              "</thead><tbody><tr><td>&nbsp;</td><td><p>&nbsp;</p></td><td></td><td>\n 12 \n</td></tr></tbody>"
              "<tfoot><tr><td>注</td><td>a</td><td>b</td><td>c</td></tr></tfoot></table>")
    assert _rows(markup) == [("本年收费金额", "勾稽关系为：第一项", "E-mail 地址", "法律服务机构"),
                             ("", "", "", "12"), ("注", "a", "b", "c")]


def test_tfoot_written_first_is_read_last() -> None:
    markup = ("<table><tfoot><tr><td>合计</td><td>3</td></tr></tfoot>"
              "<tbody><tr><td>甲</td><td>1</td></tr><tr><td>乙</td><td>2</td></tr></tbody></table>")
    assert _rows(markup) == [("甲", "1"), ("乙", "2"), ("合计", "3")]


def test_a_data_table_inside_a_layout_table_is_its_own_table() -> None:
    markup = ('<table width="1000"><tr><td class="left"><a href="/">首页</a></td><td>'
              "<p>某县2022年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p>"
              "<table border=1><tr><td>规章</td><td>0</td></tr><tr><td>行政规范性文件</td><td>2</td></tr></table>"
              "<p>二、主动公开政府信息情况</p></td></tr></table>")
    lines = html_document(markup).lines
    assert [(l.place, l.cells or l.text) for l in lines] == [
        ("第1段", "某县2022年政府信息公开工作年度报告"), ("第2段", "一、总体情况"), ("第3段", "正文。"),
        ("表格1第1行", ("规章", "0")), ("表格1第2行", ("行政规范性文件", "2")), ("第4段", "二、主动公开政府信息情况")]


def test_a_table_of_one_column_is_text() -> None:
    """CMS boxes (one cell per row) hold paragraphs, not table rows."""
    markup = "<table><tr><td>一、总体情况</td></tr><tr><td>本年度……</td></tr></table><p>二、其他</p>"
    assert _rows(markup) == ["一、总体情况", "本年度……", "二、其他"]


def test_a_caption_is_read_before_its_table() -> None:
    markup = "<table><caption>第二十条第（五）项</caption><tr><td>行政许可</td><td>126</td></tr></table>"
    assert _rows(markup) == ["第二十条第（五）项", ("行政许可", "126")]


# Running text ---------------------------------------------------------------------------------------

def test_paragraphs_br_runs_and_source_line_breaks() -> None:
    markup = ("<div>本报告由\n   临川市民政局编制。<br>统计期限自2022年1月1日起。<br/><br/>E-mail:\nx@y.cn</div>"
              "<h2>一、<span>总体</span>情况</h2><ul><li>第一条</li><li>第二条</li></ul>")
    lines = html_document(markup).lines
    assert [l.text for l in lines] == ["本报告由临川市民政局编制。", "统计期限自2022年1月1日起。", "E-mail: x@y.cn",
                                       "一、总体情况", "第一条", "第二条"]
    assert not any(l.wrapped for l in lines)


def test_preformatted_text_keeps_its_lines_and_tabs() -> None:
    lines = html_document("<p>前言</p><pre>一、总体情况\n规章\t0\t0\t3\n</pre>").lines
    assert [(l.text, l.wrapped) for l in lines] == [("前言", False), ("一、总体情况", True), ("规章\t0\t0\t3", True)]


def test_a_page_without_text_is_empty_not_a_report() -> None:
    report = parse_bytes(b"<html><head><title>x</title><script>var a=1;</script></head>"
                         b"<body><div><p>&nbsp;</p></div></body></html>")
    assert not report.readable and [w.code for w in report.warnings] == ["empty"]


def test_a_fragment_given_as_text_is_read_as_html() -> None:
    text = (FIXTURES / "linchuan-2022-fragment.html").read_text(encoding="utf-8")
    report = parse_text(text)
    assert report.kind == "网页" and [s.number for s in report.sections] == ["一", "二", "三", "四", "五", "六"]


# Where the report begins ----------------------------------------------------------------------------

def test_what_stands_before_the_title_is_the_pages() -> None:
    page = ("<body><div>服务热线电话：0794-12345678</div><p>临川市民政局</p><p>2022年政府信息公开工作年度报告</p>"
            "<p>一、总体情况</p><p>正文。</p><p>二、主动公开政府信息情况</p></body>")
    report = parse_bytes(page.encode("utf-8"))
    assert report.lines[:2] == ["临川市民政局", "2022年政府信息公开工作年度报告"]
    assert (report.body, report.year) == ("临川市民政局", 2022)
    assert "phone" not in report.contact


def test_chrome_names_never_drop_the_report() -> None:
    """A CMS that calls the report's own container "print" keeps it: it holds the headings and tables."""
    page = ('<body><div class="nav"><a>首页</a><a>政务公开</a><a>年报</a></div>'
            '<div id="print" class="print_area"><h1>某县2022年政府信息公开工作年度报告</h1>'
            "<p>一、总体情况</p><table class='header'><tr class='header'><td>规章</td><td>0</td></tr>"
            "<tr><td>行政规范性文件</td><td>1</td></tr></table><p>二、主动公开政府信息情况</p></div></body>")
    assert _rows(page) == ["某县2022年政府信息公开工作年度报告", "一、总体情况", ("规章", "0"),
                           ("行政规范性文件", "1"), "二、主动公开政府信息情况"]


def test_chrome_inside_the_content_is_dropped_alone() -> None:
    page = ('<div class="TRS_Editor"><p>某县2022年政府信息公开工作年度报告</p><p>一、总体情况</p>'
            "<p>发布时间：2023-01-05</p><p>正文。</p><p>二、主动公开政府信息情况</p><p>【打印本页】【关闭窗口】</p></div>")
    assert _rows(page) == ["某县2022年政府信息公开工作年度报告", "一、总体情况", "正文。", "二、主动公开政府信息情况"]


# Charsets -------------------------------------------------------------------------------------------

REPORT = "<p>朱镕基路2022年政府信息公开工作年度报告</p><p>一、总体情况</p><p>二、主动公开政府信息情况</p>"  # 镕: GBK, not GB2312


def _page(charset: str) -> str:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head>'
            f"<body>{REPORT}</body></html>")


def _first(data: bytes) -> tuple[str, list[str]]:
    document = HtmlReader().read(data, "page.html")
    return document.lines[0].text, document.notes


def test_declared_gb2312_is_read_as_its_superset() -> None:
    assert _first(_page("gb2312").encode("gbk")) == ("朱镕基路2022年政府信息公开工作年度报告", [])
    assert _first(f'<meta charset="GBK">{REPORT}'.encode("gb18030")) == ("朱镕基路2022年政府信息公开工作年度报告", [])


def test_a_byte_order_mark_wins_over_the_declaration() -> None:
    assert _first(b"\xef\xbb\xbf" + _page("gb2312").encode("utf-8")) == ("朱镕基路2022年政府信息公开工作年度报告", [])


def test_no_declaration_falls_back_on_the_bytes() -> None:
    assert _first(f"<body>{REPORT}</body>".encode("gb18030"))[0] == "朱镕基路2022年政府信息公开工作年度报告"


def test_a_wrong_declaration_yields_to_what_decodes_and_is_noted() -> None:
    text, notes = _first(_page("gb2312").encode("utf-8"))
    assert text == "朱镕基路2022年政府信息公开工作年度报告"
    assert notes == ["网页声明的字符编码为 gb2312，但内容按 UTF-8 才能正确解码，已按 UTF-8 读取"]
    text, notes = _first(_page("utf-8").encode("gbk"))
    assert text == "朱镕基路2022年政府信息公开工作年度报告"
    assert notes == ["网页声明的字符编码为 utf-8，但内容按 GB18030（GBK） 才能正确解码，已按 GB18030（GBK） 读取"]


def test_bytes_that_decode_in_nothing_are_marked_and_counted() -> None:
    data = _page("gbk").encode("gbk").replace("基路".encode("gbk"), b"\xff\xff")
    text, notes = _first(data)
    assert text.startswith("朱镕") and "\ufffd" in text
    assert notes == ["网页中有 2 处字节无法按声明的编码 gbk 解码，已标为“\ufffd”；涉及的文字和数字请人工核对"]
    report = parse_bytes(data, "page.html")
    assert any(w.code == "reader" and "2 处字节" in w.message for w in report.warnings)


def test_broken_markup_is_repaired_as_browsers_do() -> None:
    """Unclosed cells and rows, a table inside a paragraph, stray end tags, an unclosed comment-less
    <font>: what CMS editors leave behind."""
    markup = ("<p><font face=仿宋>一、总体情况</p></font></span><p>正文<table border=1><tr><td>规章<td>0<td>3"
              "<tr><td>行政规范性文件<td>2<td>15</table></p></td></div><p>二、主动公开政府信息情况")
    assert _rows(markup) == ["一、总体情况", "正文", ("规章", "0", "3"), ("行政规范性文件", "2", "15"),
                             "二、主动公开政府信息情况"]


# Pages that hold no report ---------------------------------------------------------------------------

ARTICLE = ('<body><div class="nav"><a>首页</a><a>政务公开</a><a>年报</a></div>'
           "<h1>临川市民政局2022年政府信息公开工作年度报告</h1><div class='content'>{}</div>"
           "<div class='foot'>主办单位：临川市民政局</div></body>")


ATTACHED = "/u/cms/2023/%E5%B9%B4%E6%8A%A5.pdf"  # 年报.pdf, as a CMS writes the link


@pytest.mark.parametrize("link", [f'<p>详见附件：<a href="{ATTACHED}">年报.pdf</a></p>',
                                  f'<iframe src="/pdfjs/web/viewer.html?file={ATTACHED}"></iframe>'])
def test_a_page_whose_report_is_an_attachment_is_refused_with_its_name(link: str) -> None:
    with pytest.raises(ReportError, match="报告在附件中（年报.pdf），请下载附件后审核"):
        parse_bytes(ARTICLE.format(link).encode("utf-8"), "page.html")


def test_a_page_whose_article_a_script_loads_is_refused() -> None:
    page = ARTICLE.format('<div id="zoom"></div><script>$("#zoom").load("/api/article/123");</script>')
    with pytest.raises(ReportError, match="可能由网页脚本加载"):
        parse_bytes(page.encode("utf-8"), "page.html")


def test_a_report_with_its_pdf_beside_it_is_read() -> None:
    page = ARTICLE.format(REPORT + '<p>附件：<a href="/u/2023/report.pdf">report.pdf</a></p>')
    report = parse_bytes(page.encode("utf-8"), "page.html")
    assert [s.number for s in report.sections] == ["一", "二"]


def test_a_frameset_page_names_its_frames() -> None:
    page = (b'<!DOCTYPE html><html><frameset cols="20%,80%"><frame src="menu.html"><frame src="zw_123.html">'
            b"</frameset></html>")
    assert HtmlReader().sniff(page, "x.htm")
    with pytest.raises(ReportError, match="框架页面中（menu.html、zw_123.html）"):
        parse_bytes(page, "x.htm")


def test_text_without_headings_is_read_as_it_stands() -> None:
    """No heading, no table, but the length of a report: the page is read, and the parser says what it
    lacks; nothing of the text is dropped for want of a container."""
    text = "本机关2022年度政府信息公开工作总体平稳。" * 20
    report = parse_bytes(f"<!DOCTYPE html><html><body>{text}<br>联系电话：0794-8226519</body></html>".encode(), "x.html")
    assert report.lines == [text, "联系电话：0794-8226519"] and report.contact["phone"].value == "0794-8226519"


def test_a_hidden_copy_of_the_report_is_not_read_twice() -> None:
    shown = "<p>某县2022年政府信息公开工作年度报告</p><p>一、总体情况</p><p>二、主动公开政府信息情况</p>"
    page = f'<body><div class="TRS_Editor">{shown}</div><div style="display: none">{shown}</div></body>'
    assert _rows(page) == ["某县2022年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况"]


def test_a_report_only_in_a_hidden_tab_is_still_read() -> None:
    page = ('<body><ul class="tabs"><li>正文</li></ul><div class="tab" style="display:none">'
            "<p>某县2022年政府信息公开工作年度报告</p><p>一、总体情况</p><p>二、主动公开政府信息情况</p></div></body>")
    assert _rows(page) == ["某县2022年政府信息公开工作年度报告", "一、总体情况", "二、主动公开政府信息情况"]
