"""A realistic AuditRun built by hand, for the rendering tests and the gold files.

The reports are the samples in ``reports/`` with their table cells written out here from the text (a
cell's line is the line that holds its number), and the findings are those the issue says the rules
must give on 周村区科技局 2020. Building them by hand keeps the page tests independent of the parser
and the rule engine, which change on their own schedule; the gold files change only when rendering does.
"""
from __future__ import annotations

from pathlib import Path

from engine.formats import load_formats
from engine.model import (AuditRun, Cell, Finding, Location, Report, ReportAudit, RuleInfo, Skipped,
                          Table, Unreadable)
from engine.text import key

ROOT = Path(__file__).resolve().parent.parent
ZHOUCUN = "reports/2020-周村区科技局.txt"
LINGWU = "reports/2021-灵武市科学技术局.txt"


def _lines(source: str) -> list[str]:
    return (ROOT / source).read_text(encoding="utf-8").splitlines()


def make_table(fmt: str, name: str, values: dict[str, list], lines: list[str] | None = None,
               start: int = 1, missing: tuple[str, ...] = ()) -> Table:
    """A table of the official format with ``values`` per row label (absent rows: all 0, missing rows:
    None). With ``lines``, each cell's line is found in the one-cell-per-line layout of 周村区科技局:
    the row label's line (searched from ``start``) followed by one line per cell."""
    spec = load_formats()[fmt].tables[name]
    table = Table(name, spec.title, tuple(spec.row_labels), tuple(spec.column_labels),
                  [[None] * len(spec.columns) for _ in spec.rows], missing_rows=list(missing))
    at = start
    for row in spec.rows:
        if row.label in missing:
            continue
        numbers = values.get(row.label, [0] * len(spec.columns))
        label_line = None
        if lines is not None:
            label_line = next(n for n in range(at, len(lines) + 1) if key(lines[n - 1]) == key(row.leaf))
            at = label_line + 1
        for c, (column, value) in enumerate(zip(spec.column_labels, numbers, strict=True)):
            line = label_line + 1 + c if label_line else None
            raw = "" if value is None else str(value)
            if line is not None:
                assert lines[line - 1].strip() == raw, (row.label, column, line)
            table.set_cell(row.label, column, Cell(value, line, raw))
    return table


RULES = [
    RuleInfo("TOT-001", "表三每行总计等于各类申请人之和", "totals", "error",
             "表三每一行的“总计”应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他六列之和。",
             "国办公开办函〔2019〕60号、〔2021〕30号 年度报告格式表三", "核对表三各行数据，使总计与各类申请人之和一致。",
             "rules/totals.yaml"),
    RuleInfo("TOT-002", "表三勾稽关系", "totals", "error",
             "每一列：第一项加第二项之和，等于第三项（七）总计加第四项之和。",
             "表三表头注明的勾稽关系", "核对本年新收、上年结转、办理结果总计、结转下年度各项数据。",
             "rules/totals.yaml"),
    RuleInfo("TOT-003", "办理结果总计等于各项办理结果之和", "totals", "error",
             "（七）总计应等于（一）至（六）各项及其分项之和。", "年度报告格式表三", "核对各项办理结果及总计。",
             "rules/totals.yaml"),
    RuleInfo("BLK-001", "应填数字的单元格留空", "blank_cells", "warning",
             "格式要求填写数字的单元格为空白、“-”或“/”。", "年度报告格式", "在空白单元格中填写数字，没有的填 0。",
             "rules/blank_cells.yaml"),
    RuleInfo("NAR-001", "正文称未收到申请而表三有数", "narrative", "error",
             "正文写“未收到政府信息公开申请”，表三本年新收总计却大于 0。", "《条例》第五十条",
             "核实本年收到申请的实际数量，使正文与表三一致。", "rules/narrative.yaml"),
    RuleInfo("CON-001", "政府信息公开工作机构联系方式", "contact", "warning",
             "报告应写明办公地址、邮政编码、联系电话和电子邮箱。", "年度报告格式惯例",
             "在报告中补充政府信息公开工作机构的地址、邮编、电话和电子邮箱。", "rules/contact.yaml"),
    RuleInfo("PER-001", "统计期限", "period", "warning",
             "报告应写明统计期限为报告年度 1 月 1 日至 12 月 31 日。", "DB51/T 2660—2019 第2.1条",
             "写明“本报告所列数据的统计期限自某年1月1日起至12月31日止”。", "rules/period.yaml"),
    RuleInfo("PRY-001", "上年结转等于上年度结转下年度", "prior_year", "warning",
             "本年“二、上年结转”各列应等于上年度报告“四、结转下年度继续办理”各列。", "年度报告格式表三",
             "核对上年结转数据。", "rules/prior_year.yaml"),
]


def zhoucun_audit() -> ReportAudit:
    lines = _lines(ZHOUCUN)
    three = make_table("2019", "三", {
        "一、本年新收政府信息公开申请数量": [0, 0, 0, 0, 0, 0, 3],
        "（一）予以公开": [0, 0, 0, 0, 0, 0, 3],
        "（七）总计": [3, 0, 0, 0, 0, 0, 3],
        "四、结转下年度继续办理": [0, 0, 0, 0, 0, 0, None],
    }, lines, start=100)
    four = make_table("2019", "四", {})
    report = Report(source=ZHOUCUN, body="周村区科技局", year=2020, format="2019", lines=lines,
                    tables={"三": three, "四": four}, title_line=2)

    def finding(rule, category, severity, message, expected=None, actual=None, **where):
        info = next(r for r in RULES if r.id == rule)
        return Finding(rule, category, severity, message, Location(**where), expected, actual,
                       info.basis, info.remedy, report.body, report.year)

    findings = [
        finding("TOT-001", "totals", "error", "表三“一、本年新收政府信息公开申请数量”总计为 3，六类申请人之和为 0",
                "0", "3", section="三", table="三", row="一、本年新收政府信息公开申请数量", column="总计",
                line=121, quote="3"),
        finding("TOT-001", "totals", "error", "表三“（一）予以公开”总计为 3，六类申请人之和为 0", "0", "3",
                section="三", table="三", row="（一）予以公开", column="总计", line=140, quote="3"),
        finding("TOT-002", "totals", "error", "自然人一列：本年新收 0 加上年结转 0 不等于办理结果总计 3 加结转下年度 0",
                "0", "3", section="三", table="三", column="自然人"),
        finding("TOT-003", "totals", "error", "自然人一列：（七）总计为 3，各项办理结果之和为 0", "0", "3",
                section="三", table="三", row="（七）总计", column="自然人", line=340, quote="3"),
        finding("BLK-001", "blank_cells", "warning", "表三“四、结转下年度继续办理”的总计为空白", "数字", "空白",
                section="三", table="三", row="四、结转下年度继续办理", column="总计", line=355),
        finding("NAR-001", "narrative", "error", "正文称“未收到政府信息公开申请”，表三本年新收总计却为 3", "0", "3",
                section="一", line=9, quote=lines[8]),
        finding("CON-001", "contact", "warning", "未写明政府信息公开工作机构的地址、邮政编码、联系电话和电子邮箱"),
        finding("PER-001", "period", "warning", "未写明统计期限"),
    ]
    return ReportAudit(report=report, findings=findings,
                       skipped=[Skipped("PRY-001", "本批未提供周村区科技局 2019 年度报告，无法核对上年结转")],
                       rules_run=[r.id for r in RULES if r.id != "PRY-001"])


def lingwu_audit() -> ReportAudit:
    report = Report(source=LINGWU, body="灵武市科学技术局", year=2021, format="2021", lines=_lines(LINGWU),
                    tables={"四": make_table("2021", "四", {})}, title_line=5)
    return ReportAudit(report=report, findings=[],
                       skipped=[Skipped("PRY-001", "本批未提供灵武市科学技术局 2020 年度报告，无法核对上年结转")],
                       rules_run=[r.id for r in RULES if r.id != "PRY-001"])


def sample_run() -> AuditRun:
    return AuditRun(audits=[zhoucun_audit(), lingwu_audit()],
                    unreadable=[Unreadable("reports/年报扫描件.pdf", "文件不是文本：请先转换为 .txt 再审核")],
                    rules=list(RULES))
