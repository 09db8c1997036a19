"""Flattened text, as crawlers save a published report: a few header lines, then the whole body on one
physical line, headings inline after "。", table captions run into their headers, and each row's cells
run together with irregular spaces (``一、本年新收政府信息公开申请数量95 000 0 0 95``).

The fixture is the report of 淮安市洪泽区人民政府 2024 (the hand-checked cells of
``tests/samples/hongze-2024.yaml``) written out by hand the way such a page reads; every split of its
run-together rows was worked out by hand below, so the answers come from outside the parser.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from engine.parse import parse_text

HEADER = "淮安市洪泽区人民政府2024年政府信息公开工作年度报告\n发布日期：2025-01-20 来源：洪泽区政府办 浏览次数：1203 字体：[大 中 小]\n"
PROSE = (
    "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第711号）（以下简称《条例》）"
    "要求编制此报告。报告中所列数据统计期限自2024 年1月1日起至2024年12月31日止。如对本报告有疑问，请与淮安市洪泽区"
    "人民政府办公室联系（地址：淮安市洪泽区洪泽湖大道90号，邮编：223100，电话：0517-87290606）。"
    "一、总体情况2024年，淮安市洪泽区人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面推动政务公开工作。"
    "（一）主动公开情况。2024年，我区在政府网站平台主动发布各类政府信息2428条，公开政府常务会议7期，解读信息发布7条。"
    "（二）依申请公开情况。2024年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。"
)
SECTION_TWO = (
    "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章0 0 0行政规范性文件3 0 8"
    "第二十条第（五）项信息内容本年处理决定数量行政许可9487第二十条第（六）项信息内容本年处理决定数量行政处罚2776"
    "行政强制84第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费7545"
)
# Each row's digits as the page runs them together; the comment gives the only cut into seven cells.
TABLE_THREE = (
    "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况"
    "自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量95 000 0 0 95"  # 95 | 0 0 0 | 0 | 0 | 95
    "二、上年结转政府信息公开申请数量0000000"
    "三、本年度办理结果（一）予以公开50 00000 50"
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）9000009"
    "（三）不予公开1.属于国家秘密0000000 2.其他法律行政法规禁止公开0000000 3.危及“三安全一稳定”1 00000 1"
    "4.保护第三方合法权益0000000 5.属于三类内部事务信息0000000"  # the 5. is the next label's
    "6.属于四类过程性信息1000001 7.属于行政执法案卷10 0000 1 8.属于行政查询事项0000000"  # 10 0000 1: 1 0 | 0 0 0 0 | 1
    "（四）无法提供1.本机关不掌握相关政府信息31 00000 31 2.没有现成信息需要另行制作1000001 3.补正后申请内容仍不明确0000000"
    "（五）不予处理1.信访举报投诉类申请1000001 2.重复申请0000000 3.要求提供公开出版物0000000"
    "4.无正当理由大量反复申请0000000 5.要求行政机关确认或重新出具已获取信息0000000"
    "（六）其他处理0000000"  # printed as one row: no row of the 2021 format (as in the PDF)
    "（七）总计95 0 00 0 095"  # 95 | 0 | 0 0 | 0 | 0 95
    "四、结转下年度继续办理0000000"
)
TABLE_FOUR = (
    "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉"
    "结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计"
    "1 1 0 0 21 0 0 0 12 0 1 0 3"  # 21 and 12 must be cut: 1 1 0 0 2 | 1 0 0 0 1 | 2 0 1 0 3
)
CLOSING = ("五、存在的主要问题及改进情况2024年，我区政务公开工作取得一定成效，但仍存在一些不足。"
           "六、其他需要报告的事项本年度未收取信息处理费。")
BODY = PROSE + SECTION_TWO + TABLE_THREE + TABLE_FOUR + CLOSING
CRAWLED = HEADER + BODY + "\n"

ZEROS = [0] * 7
THREE = {
    "一、本年新收政府信息公开申请数量": [95, 0, 0, 0, 0, 0, 95],
    "二、上年结转政府信息公开申请数量": ZEROS,
    "（一）予以公开": [50, 0, 0, 0, 0, 0, 50],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）": [9, 0, 0, 0, 0, 0, 9],
    "（三）不予公开 1.属于国家秘密": ZEROS,
    "（三）不予公开 2.其他法律行政法规禁止公开": ZEROS,
    "（三）不予公开 3.危及“三安全一稳定”": [1, 0, 0, 0, 0, 0, 1],
    "（三）不予公开 4.保护第三方合法权益": ZEROS,
    "（三）不予公开 5.属于三类内部事务信息": ZEROS,
    "（三）不予公开 6.属于四类过程性信息": [1, 0, 0, 0, 0, 0, 1],
    "（三）不予公开 7.属于行政执法案卷": [1, 0, 0, 0, 0, 0, 1],
    "（三）不予公开 8.属于行政查询事项": ZEROS,
    "（四）无法提供 1.本机关不掌握相关政府信息": [31, 0, 0, 0, 0, 0, 31],
    "（四）无法提供 2.没有现成信息需要另行制作": [1, 0, 0, 0, 0, 0, 1],
    "（四）无法提供 3.补正后申请内容仍不明确": ZEROS,
    "（五）不予处理 1.信访举报投诉类申请": [1, 0, 0, 0, 0, 0, 1],
    "（五）不予处理 2.重复申请": ZEROS,
    "（五）不予处理 3.要求提供公开出版物": ZEROS,
    "（五）不予处理 4.无正当理由大量反复申请": ZEROS,
    "（五）不予处理 5.要求行政机关确认或重新出具已获取信息": ZEROS,
    "（七）总计": [95, 0, 0, 0, 0, 0, 95],
    "四、结转下年度继续办理": ZEROS,
}
OTHER = ["（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
         "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
         "（六）其他处理 3.其他"]
SECTION_TWO_CELLS = {
    ("二(一)", "规章"): [0, 0, 0], ("二(一)", "行政规范性文件"): [3, 0, 8],
    ("二(五)", "行政许可"): [9487], ("二(六)", "行政处罚"): [2776], ("二(六)", "行政强制"): [84],
    ("二(八)", "行政事业性收费"): [Decimal("7545")],
}
FOUR = {"行政复议": [1, 1, 0, 0, 2], "行政诉讼-未经复议直接起诉": [1, 0, 0, 0, 1], "行政诉讼-复议后起诉": [2, 0, 1, 0, 3]}


def _row(report, table: str, row: str) -> list:
    return [report.tables[table].value(row, c) for c in report.tables[table].columns]


@pytest.fixture(scope="module")
def report():
    return parse_text(CRAWLED)


def test_title_sections_contact_and_period(report) -> None:
    assert (report.body, report.year, report.format) == ("淮安市洪泽区人民政府", 2024, "2021")
    assert [(s.number, s.line) for s in report.sections] == [(n, 3) for n in "一二三四五六"]
    assert report.section("一").text.startswith("2024年，淮安市洪泽区人民政府坚持")
    assert report.section("六").text.strip() == "本年度未收取信息处理费。"
    assert {k: v.value for k, v in report.contact.items()} == \
        {"address": "淮安市洪泽区洪泽湖大道90号", "postcode": "223100", "phone": "0517-87290606"}
    assert (str(report.period.start), str(report.period.end)) == ("2024-01-01", "2024-12-31")


def test_every_cell_reads_exactly(report) -> None:
    for (table, row), values in SECTION_TWO_CELLS.items():
        assert _row(report, table, row) == values, (table, row)
    for row, values in THREE.items():
        assert _row(report, "三", row) == values, row
    for row, values in FOUR.items():
        assert _row(report, "四", row) == values, row
    assert report.tables["三"].missing_rows == OTHER
    assert all(not t.unreadable_rows for t in report.tables.values())


def test_the_body_right_under_the_title_reads_the_same() -> None:
    # No line of page furniture between the title and the body.
    flat = parse_text("淮安市洪泽区人民政府2024年政府信息公开工作年度报告\n" + BODY)
    for row, values in THREE.items():
        assert _row(flat, "三", row) == values, row
    assert [s.number for s in flat.sections] == list("一二三四五六")


def test_a_split_that_breaks_the_row_total_is_never_taken() -> None:
    # 43 303 5 2 56 cut into seven cells: 43 3 0 3 5 2 56 is the only cut whose 总计 is the sum of
    # the six others; 4 3 30 3 5 2 56 or 43 30 3 5 2 5 6 are cuts too, but their totals do not hold.
    text = HEADER + TABLE_THREE.replace("95 000 0 0 95", "43 303 5 2 56")
    row = _row(parse_text(text), "三", "一、本年新收政府信息公开申请数量")
    assert row == [43, 3, 0, 3, 5, 2, 56]
    # Digits for which every cut into seven breaks the total: unreadable, not the one cut there is.
    text = HEADER + TABLE_THREE.replace("95 000 0 0 95", "1234567")
    report = parse_text(text)
    assert report.tables["三"].unreadable_rows == ["一、本年新收政府信息公开申请数量"]
    assert all(report.tables["三"].cell("一、本年新收政府信息公开申请数量", c) is None for c in report.tables["三"].columns)


def test_a_row_with_two_fitting_splits_is_unreadable_not_guessed() -> None:
    # 110000011: 11 0 0 0 0 0 11 and 1 10 0 0 0 0 11 both add up, and in the table as a whole neither
    # keeps 一 + 二 = （七）总计 + 四 (（七）总计 is 95): no reading is taken.
    text = HEADER + TABLE_THREE.replace("95 000 0 0 95", "110000011")
    table = parse_text(text).tables["三"]
    assert table.unreadable_rows == ["一、本年新收政府信息公开申请数量"]
    assert table.value("二、上年结转政府信息公开申请数量", "总计") == 0


def test_the_next_labels_number_is_not_taken_for_a_digit() -> None:
    # …0000000 5.属于… and …1 00000 14.保护…: the 5 and the 4 belong to the labels after the cells.
    report = parse_text(HEADER + TABLE_THREE)
    assert _row(report, "三", "（三）不予公开 3.危及“三安全一稳定”") == [1, 0, 0, 0, 0, 0, 1]
    assert _row(report, "三", "（三）不予公开 4.保护第三方合法权益") == ZEROS
    assert _row(report, "三", "（三）不予公开 5.属于三类内部事务信息") == ZEROS


def test_a_row_the_column_identities_settle_is_read() -> None:
    # 110000011 keeps the row total two ways (11 0 0 0 0 0 11, 1 10 0 0 0 0 11); 一 + 二 = （七）总计 + 四
    # in every column leaves one: the 自然人 column needs 11 + 0 = 11 + 0.
    rows = {"一、本年新收政府信息公开申请数量": "110000011", "二、上年结转政府信息公开申请数量": "0000000",
            "（一）予以公开": "11 0 0 0 0 0 11", "（七）总计": "11 0 0 0 0 0 11", "四、结转下年度继续办理": "0000000"}
    text = HEADER + "三、收到和处理政府信息公开申请情况" + "".join(label + digits for label, digits in rows.items())
    report = parse_text(text)
    assert _row(report, "三", "一、本年新收政府信息公开申请数量") == [11, 0, 0, 0, 0, 0, 11]
    assert any("按列的勾稽关系只有一种成立" in w.message for w in report.warnings)
    # Without 四 the identity cannot be checked: the row stays unreadable.
    del rows["四、结转下年度继续办理"]
    text = HEADER + "三、收到和处理政府信息公开申请情况" + "".join(label + digits for label, digits in rows.items())
    assert parse_text(text).tables["三"].unreadable_rows == ["一、本年新收政府信息公开申请数量"]


@pytest.mark.parametrize("fmt", ["2019", "2021"])
def test_the_formats_column_identities_are_the_generators(fmt: str) -> None:
    # Two sources of the same identities (rules/formats for the parser, tests/generator/tables.yaml for
    # the generator that decides independently which rows can be read) must agree.
    from tests.generator.spec import random_spec
    from tests.generator.values import balance

    spec = random_spec(1, fmt, blank_rate=0.0)
    table = spec.fmt.tables["三"]
    incoming, outgoing, total, results = balance(table)
    assert {(tuple(a), tuple(b)) for a, b in table.column_totals} == \
        {(tuple(incoming), tuple(outgoing)), (tuple(results), (total,))}
