"""Pairing a report with the same agency's report of the year before, among the audited inputs.

Agencies write their name with or without the higher-level place (洪泽区人民政府 in 2023, 淮安市洪泽区人民政府
in 2024) and their office by its short or long name (科技局 / 科学技术局): both real reports must pair, and so
must generated consecutive years under another name of the body, while two agencies that merely share a
department name must not. The wordings one by one: tests/test_contact_title_names.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.audit import run_audit
from engine.pairing import body_names
from engine.wording import load_wording
from tests.generator import render
from tests.generator.catalogue import clean
from tests.generator.pairs import following_year, other_names
from tests.generator.spec import random_spec

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "samples" / "fixtures"
RULES = ROOT / "rules"


@pytest.mark.parametrize(("body", "names"), [
    ("淮安市洪泽区人民政府", ["淮安市洪泽区人民政府", "洪泽区人民政府"]),
    ("宁夏回族自治区银川市金凤区科学技术局", ["宁夏回族自治区银川市金凤区科学技术局", "银川市金凤区科学技术局", "金凤区科学技术局"]),
    ("洛阳市科学技术局", ["洛阳市科学技术局"]),   # 科学技术局 alone names no agency
    ("淮安市人民政府", ["淮安市人民政府"]),
])
def test_names_a_body_may_be_paired_by(body: str, names: list[str]) -> None:
    assert body_names(body, load_wording().bodies) == names


def _audits(tmp_path: Path, texts: dict[str, str]):
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    run = run_audit([tmp_path], RULES)
    return {Path(a.report.source).stem: a for a in run.audits}


def test_the_two_real_reports_of_one_agency_pair_across_a_change_of_name(tmp_path: Path) -> None:
    audits = _audits(tmp_path, {n: (FIXTURES / f"{n}.pdf.txt").read_text(encoding="utf-8")
                                for n in ("hongze-2023", "hongze-2024")})
    later = audits["hongze-2024"]
    assert later.prior == str(tmp_path / "hongze-2023.txt")
    assert not [s for s in later.skipped if s.rule.startswith("PRI")]
    # 现行有效 8 = 2023's 5 + 3 − 0, and 上年结转 0 = 2023's 结转下年度 0: nothing to find.
    assert not [f for f in later.findings if f.category == "prior_year"]


def test_a_stock_that_does_not_follow_from_last_year_is_found_once_paired(tmp_path: Path) -> None:
    texts = {n: (FIXTURES / f"{n}.pdf.txt").read_text(encoding="utf-8") for n in ("hongze-2023", "hongze-2024")}
    texts["hongze-2024"] = texts["hongze-2024"].replace("行政规范性文件 3 0 8", "行政规范性文件 3 0 9")
    found = [f for f in _audits(tmp_path, texts)["hongze-2024"].findings if f.category == "prior_year"]
    assert [(f.location.row, f.expected, f.actual) for f in found] == [("行政规范性文件", "8", "9")]


def test_two_agencies_that_share_a_name_without_their_place_are_not_paired(tmp_path: Path) -> None:
    later = (FIXTURES / "hongze-2024.pdf.txt").read_text(encoding="utf-8")
    earlier = (FIXTURES / "hongze-2023.pdf.txt").read_text(encoding="utf-8")
    audits = _audits(tmp_path, {
        "a-2023": earlier.replace("洪泽区人民政府\n2023", "宿迁市洪泽区人民政府\n2023", 1),
        "b-2023": earlier.replace("洪泽区人民政府\n2023", "扬州市洪泽区人民政府\n2023", 1),
        "c-2024": later,
    })
    assert audits["a-2023"].report.body == "宿迁市洪泽区人民政府"
    assert audits["c-2024"].prior is None
    assert [s.rule for s in audits["c-2024"].skipped if s.rule.startswith("PRI")] == ["PRI-001", "PRI-002"]


@pytest.mark.parametrize(("prior_format", "seed"), [("2019", 0), ("2019", 2), ("2021", 4), ("2021", 11)])
def test_consecutive_years_under_another_name_of_the_body_pair(tmp_path: Path, prior_format: str, seed: int) -> None:
    prior = clean(random_spec(seed, prior_format, blank_rate=0.0))
    names = other_names(prior.body)
    assert names, prior.body
    this = clean(following_year(prior, body=names[seed % len(names)]))
    audits = _audits(tmp_path, {"earlier": render(prior, "tab").text, "later": render(this, "tab").text})
    assert (audits["earlier"].report.body, audits["later"].report.body) == (prior.body, this.body)
    assert audits["later"].prior == str(tmp_path / "earlier.txt")
    # PRI-002 compares a stock the 2019 format did not have; PRI-001 runs on every pair.
    assert "PRI-001" not in {s.rule for s in audits["later"].skipped}
    assert not [f for f in audits["later"].findings if f.category == "prior_year" and f.severity != "info"]
