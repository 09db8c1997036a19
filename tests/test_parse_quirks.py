"""Real-world quirks the parser must read, or refuse to read, in a way a person can check.

Each case is a small edit of a real report (the PDF text of 淮安市人民政府 2024) or a hand-written
fragment, with the answer known from the text itself."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.parse import parse_bytes, parse_text
from tests.generator import render
from tests.generator.catalogue import clean_spec
from tests.generator.defects import add_sentence

ROOT = Path(__file__).resolve().parent
HUAIAN = (ROOT / "samples" / "fixtures" / "huaian-2024.pdf.txt").read_text(encoding="utf-8")
NATIONAL_SECRETS = "（三）不予公开 2.其他法律行政法规禁止公开"


def _without_row(table, row: str) -> dict:
    """A table's numbers by (row, column), but for ``row``."""
    return {at: value for at, value in table.values().items() if at[0] != row}


def codes(report) -> list[str]:
    return [w.code for w in report.warnings]


def test_a_misprinted_row_label_is_read_as_the_row_it_resembles_and_said_so() -> None:
    # 洪泽区 2023 printed "2.其他法律行政止公开"; the numbers are still that row's.
    report = parse_text(HUAIAN.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"))
    row = [report.tables["三"].value(NATIONAL_SECRETS, c) for c in report.tables["三"].columns]
    assert row == [30, 1, 0, 0, 0, 0, 31]
    assert codes(report) == ["label_variant"]
    assert "2.其他法律行政止公开" in report.warnings[0].message


def test_a_pdf_row_with_a_blank_cell_is_unreadable_not_shifted() -> None:
    # 商业企业 left blank: the PDF text shows six numbers for seven cells.
    report = parse_text(HUAIAN.replace("2.其他法律行政法规禁止公开 30 1 0 0 0 0 31",
                                       "2.其他法律行政法规禁止公开 30 0 0 0 0 31"))
    table = report.tables["三"]
    assert table.unreadable_rows == [NATIONAL_SECRETS]
    assert all(table.cell(NATIONAL_SECRETS, c) is None for c in table.columns)
    assert "cell_count" in codes(report) or "ambiguous_split" in codes(report)


def test_run_together_digits_split_by_cell_count_and_identity() -> None:
    text = "某局2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" \
           "一、本年新收政府信息公开申请数量230 000023\n"
    report = parse_text(text)
    row = [report.tables["三"].value("一、本年新收政府信息公开申请数量", c) for c in report.tables["三"].columns]
    assert row == [23, 0, 0, 0, 0, 0, 23]
    assert "按合计关系只有一种成立" in report.warnings[-1].message


def test_run_together_digits_with_two_valid_splits_are_not_guessed() -> None:
    text = "某局2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n" \
           "一、本年新收政府信息公开申请数量110000011\n"
    report = parse_text(text)
    table = report.tables["三"]
    # 11,0,0,0,0,0,11 and 1,10,0,0,0,0,11 both add up, and no other row of the table is there to
    # decide by the column identities: two readings, so none is taken.
    assert table.unreadable_rows == ["一、本年新收政府信息公开申请数量"]
    assert "ambiguous_split" in codes(report)


def test_a_fragment_of_a_row_label_is_warned_about_not_silently_dropped() -> None:
    text = "某局2020年政府信息公开工作年度报告\n\t另行制作\t\t\t\t\t\t\t\n" \
           "\t3. 补正后申请内容仍不明确\t0\t0\t0\t0\t0\t0\t0\n"
    report = parse_text(text)
    table = report.tables["三"]
    assert "（四）无法提供 2.没有现成信息需要另行制作" in table.missing_rows
    assert table.value("（四）无法提供 3.补正后申请内容仍不明确", "总计") == 0
    assert [w.code for w in report.warnings if w.line == 2] == ["unplaced"]


def test_full_width_digits_and_the_social_organisation_alias() -> None:
    text = "某局2021年政府信息公开工作年度报告\n" \
           "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况\n" \
           "\t自然人\t法人或其他组织\t\t\t\t\t总计\n\t\t商业企业\t科研机构\t社会组织\t法律服务机构\t其他\t\n" \
           "一、本年新收政府信息公开申请数量\t１２\t０\t０\t３\t０\t０\t１５\n"
    report = parse_text(text)
    table = report.tables["三"]
    assert table.value("一、本年新收政府信息公开申请数量", "社会公益组织") == 3
    assert table.value("一、本年新收政府信息公开申请数量", "总计") == 15


@pytest.mark.parametrize(("title", "body", "year"), [
    ("2022年上海市政府信息公开工作年度报告", "上海市", 2022),          # body after the year
    ("淮安市2023年政府信息公开工作年度报告", "淮安市", 2023),
    ("《洛阳市科学技术局2020年政府信息公开工作年度报告》", "洛阳市科学技术局", 2020),
    ("某某县司法局\n\n2021 年度政府信息公开工作年度报告", "某某县司法局", 2021),
    ("- 1 -\n淮安市人民政府\n2024 年政府信息公开工作年度报告", "淮安市人民政府", 2024),
])
def test_title_wordings(title: str, body: str, year: int) -> None:
    report = parse_text(title + "\n一、总体情况\n")
    assert (report.body, report.year) == (body, year)


def test_headings_with_arabic_numbers_or_stray_tabs_when_the_wording_is_official() -> None:
    text = "X局2021年政府信息公开工作年度报告\n1.总体情况\n正文。\n二、主动公开政府信息情况\t\n" \
           "（三）收到和处理政府信息公开申请情况\n\t四、政府信息公开行政复议、行政诉讼情况\n" \
           "5.主动公开工作\n五、存在问题及改进措施\n"
    report = parse_text(text)
    assert [(s.number, s.official) for s in report.sections] == \
        [("一", True), ("二", True), ("三", True), ("四", True), ("五", False)]


@pytest.mark.parametrize("sentence", [
    "本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
    "本报告统计数据从2023年1月1日至12月31日止。",
    "本报告所列数据的时间范围为2023 年 1 月 1 日至 2023 年 12 月 31 日。",
    "报告期限：2023年1月1日—2023年12月31日。",
    "本报告统计期限自2023 年1月1日至2023年12月31日止。",       # digits glued to the text before them
    "本报告所列数据统计期限：2023.1.1-2023.12.31。",
    "\t本报告所列数据的统计期限自2023年1月1日至2023年12月31日。",  # a paragraph a Word export indented
])
def test_statistical_period_wordings(sentence: str) -> None:
    report = parse_text("X局2023年政府信息公开工作年度报告\n" + sentence + "\n")
    assert (str(report.period.start), str(report.period.end), report.period.line) == ("2023-01-01", "2023-12-31", 2)


def test_a_date_range_about_something_else_is_no_period() -> None:
    report = parse_text("X局2023年政府信息公开工作年度报告\n2023年3月1日至2023年3月5日，我局开展了培训。\n")
    assert report.period is None


def test_a_period_that_does_not_exist_is_reported_not_corrected() -> None:
    report = parse_text("X局2023年政府信息公开工作年度报告\n统计期限为2023年1月1日至2023年2月30日。\n")
    assert report.period.start is None and report.period.end is None
    assert [w.message for w in report.warnings if w.code == "period_invalid"] == \
        ["统计期限中的日期不存在：统计期限为2023年1月1日至2023年2月30日"]


def test_a_number_printed_with_a_space_inside_is_joined_where_the_totals_agree() -> None:
    report = parse_text(HUAIAN.replace("申请数量 3001 53", "申请数量 3 001 53"))
    assert report.tables["三"].value("一、本年新收政府信息公开申请数量", "自然人") == 3001
    assert any("合计关系成立" in w.message for w in report.warnings if w.code == "split")


def test_an_extra_column_is_not_merged_away() -> None:
    # A 法人或其他组织 subtotal (118) printed as an eighth column: no joining of neighbours is the answer.
    report = parse_text(HUAIAN.replace("申请数量 3001 53 0 0 61 4 3119", "申请数量 3001 53 0 0 61 4 118 3119"))
    assert report.tables["三"].unreadable_rows == ["一、本年新收政府信息公开申请数量"]
    assert "数字比单元格多" in next(w.message for w in report.warnings if w.code == "ambiguous_split")


def test_one_cell_per_line_without_tabs_reads_as_with_them() -> None:
    # A Word table pasted as plain text: each cell on its own line, no tab in front of it.
    with_tabs = (ROOT.parent / "reports" / "2020-周村区科技局.txt").read_text(encoding="utf-8")
    tabbed, plain = parse_text(with_tabs), parse_text(with_tabs.replace("\t", ""))
    for key, table in tabbed.tables.items():
        if key == "三":
            continue
        assert plain.tables[key].values() == table.values(), key
    # The one blank cell (结转下年度 总计) was a lone tab; without it, the row shows six numbers for seven
    # cells, and nothing tells which is blank.
    three = plain.tables["三"]
    assert three.unreadable_rows == ["四、结转下年度继续办理"]
    assert _without_row(three, "四、结转下年度继续办理") == _without_row(tabbed.tables["三"], "四、结转下年度继续办理")
    assert "应有7个单元格，只读到6个" in next(w.message for w in plain.warnings if w.code == "cell_count")


def test_a_table_exported_as_comma_separated_values_reads_as_the_tab_separated_one() -> None:
    import csv
    import io

    original = (ROOT.parent / "reports" / "2020-洛阳市科学技术局.txt").read_text(encoding="utf-8")
    rows = []
    for line in original.split("\n"):
        if "\t" in line:
            out = io.StringIO()
            csv.writer(out, lineterminator="").writerow(line.split("\t"))   # quotes "1,284"
            line = out.getvalue()
        rows.append(line)
    tabbed, commas = parse_text(original), parse_text("\n".join(rows))
    for key, table in tabbed.tables.items():
        assert commas.tables[key].values() == table.values(), key
        assert commas.tables[key].missing_rows == table.missing_rows, key
    assert commas.tables["二(五)"].value("其他对外管理服务事项", "处理决定数量") == 1284


def test_prose_with_commas_is_not_a_table_row() -> None:
    report = parse_text("X局2020年政府信息公开工作年度报告\n一、总体情况\n2020年,我局共办理1,284件,其中,行政许可5件。\n")
    assert not any(t.present for t in report.tables.values())


def test_a_preface_naming_the_parts_is_no_table_header() -> None:
    # The sentence names 行政复议 and 行政诉讼 (table 四's group headers), and a year follows glued to
    # its text: neither opens table 四, whose real line of values is read where it stands.
    original = (ROOT.parent / "reports" / "2021-灵武市科学技术局.txt").read_text(encoding="utf-8")
    preface = ("本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、"
               "行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六个部分组成。"
               "本报告统计期限自2021 年1月1日至2021年12月31日止。\n")
    title_end = original.index("年度报告") + len("年度报告\n")
    report = parse_text(original[:title_end] + preface + original[title_end:])
    plain = parse_text(original)
    assert report.tables["四"].values() == plain.tables["四"].values()
    assert report.tables["四"].unreadable_rows == []
    assert [w.code for w in report.warnings] == [w.code for w in plain.warnings]


def test_a_cell_written_as_no_number_makes_its_row_unreadable_not_shorter() -> None:
    # "11,09 7" (a number wrapped in its cell and joined back with a space) was taken for label text: the
    # row was read from the numbers before it, and the cell dropped without a word.
    report = parse_text("X局2022年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
                        "一、本年新收政府信息公开申请数量\t1055 9\t114\t28\t171\t120\t105\t11,09 7\n"
                        "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n", "x.txt")
    three = report.tables["三"]
    assert three.unreadable_rows == ["一、本年新收政府信息公开申请数量"]
    assert three.value("二、上年结转政府信息公开申请数量", "总计") == 0
    assert [w.message for w in report.warnings if w.code == "malformed_number"] == \
        ["表三“一、本年新收政府信息公开申请数量”：单元格中的“11,09 7”不是可识别的数字，该行未读取"]


@pytest.mark.parametrize("layout", ["tab", "spaces", "crawled", "docx", "pdf_file"])
@pytest.mark.parametrize(("fmt", "label"), [("2019", "规范性文件"), ("2021", "行政规范性文件")])
def test_a_row_label_in_the_text_before_its_table_does_not_take_the_row(layout, fmt, label) -> None:
    # "包括2279件规范性文件，2158篇图片解读" in 总体情况 was read as table 二(一)'s row (a four-digit number
    # passes for three cells run together), and the table's own row was then dropped as a second one.
    spec = clean_spec(1, fmt)
    sentence = f"本年度制发各类文件4437件，包括2279件{label}，2158篇图片解读，较上年增加78条。"
    generated = render(add_sentence(spec, "一", sentence), layout)
    table = parse_bytes(generated.data, generated.name).tables["二(一)"]
    row = next(r for r in table.rows if r.endswith(label))
    assert {c: table.value(row, c) for c in table.columns} == spec.tables["二(一)"][row]
    assert table.unreadable_rows == []
