"""The format dictionaries (rules/formats/*.yaml): what every reader and rule relies on, and the errors
an office member gets for a mistake in a new format file."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.formats import FormatError, format_for_year, load_format, load_formats

FORMATS = Path(__file__).resolve().parent.parent / "rules" / "formats"


def test_both_official_formats_with_their_tables() -> None:
    formats = load_formats()
    assert list(formats) == ["2019", "2021"]
    assert sorted(formats["2019"].tables) == ["三", "二(一)", "二(九)", "二(五)", "二(八)", "二(六)", "四"]
    assert "二(九)" not in formats["2021"].tables
    assert len(formats["2019"].tables["三"].rows) == 23 and len(formats["2021"].tables["三"].rows) == 25
    assert formats["2021"].tables["三"].row("逾期未缴费").label == \
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert formats["2021"].tables["三"].column("社会组织").label == "社会公益组织"
    assert [r.label for r in formats["2021"].tables["四"].rows] == \
        ["行政复议", "行政诉讼-未经复议直接起诉", "行政诉讼-复议后起诉"]


@pytest.mark.parametrize(("year", "name"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")])
def test_the_year_names_the_format_a_report_must_use(year: int, name: str) -> None:
    assert format_for_year(year).name == name


def test_no_format_before_2019() -> None:
    assert format_for_year(2018) is None


def test_a_mistake_in_a_format_file_names_file_line_and_column(tmp_path: Path) -> None:
    text = (FORMATS / "2021.yaml").read_text(encoding="utf-8")
    broken = text.replace("{label: 本年收费金额（单位：万元）, short: 收费金额, kind: amount",
                          "{label: 本年收费金额（单位：万元）, short: 收费金额, kind: money")
    path = tmp_path / "2027.yaml"
    path.write_text(broken, encoding="utf-8")
    line = next(n for n, l in enumerate(broken.splitlines(), 1) if "kind: money" in l)
    with pytest.raises(FormatError) as caught:
        load_format(path)
    assert str(caught.value).startswith(f"{path}:{line}:")
    assert str(caught.value).endswith("kind 只能是 count、signed、amount")
