"""The defects the rules must find, by kind, and the clean reports they are injected into.

A *clean* report (:func:`clean`) is a generated one with nothing for the rules to object to: no blank
cell, no truncation, the four contact details and the statistical period given. The generator's own
notion of valid allows those omissions (real reports have them), so :func:`clean` fills them in.
A :class:`DefectKind` is an edit of a clean spec and the findings it must raise (rule id and the
location fields that must match). The property test (tests/test_audit_generated.py) and the
precision benchmark (benchmarks/precision.py) both take their cases from here, so a new wording or
defect is added once and measured by both.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache

from . import defects as inject
from .spec import ContactItem, PeriodText, ReportSpec, random_spec

CONTACT = {"address": ContactItem("地址", "银川市金凤区黄河东路721号"), "postcode": ContactItem("邮编", "750001"),
           "phone": ContactItem("电话", "0951-5036291"), "email": ContactItem("电子邮箱", "xxgk@163.com")}


def clean(spec: ReportSpec) -> ReportSpec:
    """``spec`` with what a valid report may leave out filled in: the contact details it lacks, the
    period, and no truncation (blank cells are avoided by drawing with ``blank_rate=0``)."""
    spec = copy.deepcopy(spec)
    spec.truncation = None
    spec.contact = {**CONTACT, **spec.contact}
    if spec.period is None:
        spec.period = PeriodText(date(spec.year, 1, 1), date(spec.year, 12, 31), "本报告所列数据的统计期限为{start}至{end}。")
    return spec


@cache
def clean_spec(seed: int, format_name: str) -> ReportSpec:
    return clean(random_spec(seed, format_name, blank_rate=0.0))


@dataclass(frozen=True)
class DefectKind:
    edit: Callable[[ReportSpec], ReportSpec]
    #: (rule id, location fields that must match) — each must be among the findings.
    wanted: tuple[tuple[str, dict[str, str]], ...]


def _total(spec: ReportSpec, table: str, row: str) -> int:
    spec_table = spec.fmt.tables[table]
    return spec.tables[table][spec_table.row(row).label]["总计"]


bump, say = inject.bump_cell, inject.add_sentence


def _more_applications(spec: ReportSpec, by: int) -> ReportSpec:
    """``by`` more new applications from 自然人, carried forward to next year: every identity of table 三
    still holds, so the table itself raises nothing."""
    for row in ("本年新收", "结转下年度"):
        for column in ("自然人", "总计"):
            spec = bump(spec, "三", row, column, by)
    return spec

DEFECT_KINDS: dict[str, DefectKind] = {
    "row total": DefectKind(lambda s: bump(s, "三", "本年新收", "自然人"),
                            (("TOT-001", {"row": "一、本年新收政府信息公开申请数量"}), ("TOT-002", {"column": "自然人"}))),
    "column total": DefectKind(lambda s: bump(s, "三", "予以公开", "总计"),
                               (("TOT-001", {"row": "（一）予以公开"}), ("TOT-003", {"column": "总计"}))),
    "balance": DefectKind(lambda s: bump(bump(s, "三", "结转下年度", "自然人"), "三", "结转下年度", "总计"),
                          (("TOT-002", {"column": "自然人"}), ("TOT-002", {"column": "总计"}))),
    "table 四 total": DefectKind(lambda s: bump(s, "四", "复议", "总计"), (("TOT-004", {"row": "行政复议"}),)),
    "negative count": DefectKind(lambda s: inject.set_cell(s, "四", "直接起诉", "维持", -1),
                                 (("TOT-006", {"row": "行政诉讼-未经复议直接起诉", "column": "结果维持"}),)),
    "blank cell": DefectKind(lambda s: inject.blank_cell(s, "三", "结转下年度", "总计"),
                             (("BLK-001", {"row": "四、结转下年度继续办理", "column": "总计"}),)),
    "missing section": DefectKind(lambda s: inject.drop_section(s, "五"), (("SEC-001", {"section": "五"}),)),
    "swapped sections": DefectKind(lambda s: inject.swap_sections(s, "四", "五"), (("SEC-002", {}),)),
    "reworded heading": DefectKind(lambda s: inject.reword_heading(s, "五", "五、存在的主要问题和改进情况"),
                                   (("SEC-003", {"section": "五"}),)),
    "no email": DefectKind(lambda s: inject.drop_contact(s, "email"), (("CON-001", {}),)),
    "no period": DefectKind(inject.drop_period, (("PER-001", {}),)),
    "period of another year": DefectKind(lambda s: inject.shift_period_year(s, -1), (("PER-003", {}),)),
    "text says no application": DefectKind(
        lambda s: say(bump(bump(s, "三", "本年新收", "自然人"), "三", "本年新收", "总计"), "一",
                      "本年度未收到政府信息公开申请。"),
        (("NAR-001", {"section": "一"}),)),
    "text denies, citing every applicant": DefectKind(
        lambda s: say(bump(bump(s, "三", "本年新收", "自然人"), "三", "本年新收", "总计"), "三",
                      "本年度未收到公民、法人或其他组织提出的政府信息公开申请。"),
        (("NAR-001", {"section": "三"}),)),
    "text says 0 applications": DefectKind(
        lambda s: say(bump(bump(s, "三", "本年新收", "商业企业"), "三", "本年新收", "总计"), "三",
                      "本年度收到政府信息公开申请0件。"),
        (("NAR-001", {"section": "三"}),)),
    "text count differs": DefectKind(
        lambda s: say(s, "一", f"全年共收到政府信息公开申请{_total(s, '三', '本年新收') + 2}件。"),
        (("NAR-003", {"section": "一"}),)),
    "text count below the table": DefectKind(
        lambda s: say(_more_applications(s, 5), "一",
                      f"其中本机关办公室受理政府信息公开申请{_total(s, '三', '本年新收') + 4}件。"),
        (("NAR-011", {"section": "一"}),)),
    "parts exceed the total": DefectKind(lambda s: say(s, "一", "全年公开政府信息13条，其中部门文件10件，政策解读8件。"),
                                         (("NAR-010", {"section": "一"}),)),
    "parts do not add up": DefectKind(lambda s: say(s, "一", "全年公开政府信息13条，其中部门文件4件，政策解读5件，重点工作2件。"),
                                      (("NAR-002", {"section": "一"}),)),
    "parts written with ； do not add up": DefectKind(lambda s: inject.add_list(s, "二", "；"),
                                                    (("NAR-002", {"section": "二"}),)),
    "carried over in the text": DefectKind(
        lambda s: say(s, "一", f"上年结转申请{_total(s, '三', '上年结转') + 1}件。"), (("NAR-004", {"section": "一"}),)),
    "carried forward in the text": DefectKind(
        lambda s: say(s, "一", f"结转下年度继续办理{_total(s, '三', '结转下年度') + 1}件。"),
        (("NAR-005", {"section": "一"}),)),
    "appeals in the text": DefectKind(
        lambda s: say(s, "四", f"全年发生政府信息公开行政复议{_total(s, '四', '复议') + 1}件。"),
        (("NAR-006", {"section": "四"}),)),
    "lawsuits in the text": DefectKind(
        lambda s: say(s, "四", f"全年发生政府信息公开行政诉讼"
                               f"{_total(s, '四', '直接起诉') + _total(s, '四', '复议后起诉') + 1}件。"),
        (("NAR-007", {"section": "四"}),)),
    "five-digit postcode": DefectKind(lambda s: inject.set_contact(s, "postcode", "邮编", "75001"), (("CON-002", {}),)),
    "seven-digit postcode": DefectKind(lambda s: inject.set_contact(s, "postcode", "邮政编码", "7500011"),
                                       (("CON-002", {}),)),
    "no phone": DefectKind(lambda s: inject.drop_contact(s, "phone"), (("CON-001", {}),)),
}
