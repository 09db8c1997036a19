"""Row labels wrapped in their cells, with the numbers on the first or a middle line of the label, and
the PDF texts converters give, against the cells read by hand.

The tab case is the issue's example (``\\t\\t2. 其他法律行政法\\t0\\t0…`` then ``\\t\\t规禁止公开``), made from the
real tab-separated samples by wrapping every long row label; their unwrapped reading is pinned to the
hand-checked ``tests/samples/*.yaml`` by ``test_samples.py``. The PDF texts are what poppler's
``pdftotext`` (22.12) gives for ``/work/shared/real/huaian-2024.pdf`` and ``hongze-2023.pdf``: with
``-layout`` (labels wrapped over three lines, numbers level with the middle one) and without (cells in
reading order of the page's columns, labels apart from their numbers).
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from engine.parse import parse_file, parse_text

ROOT = Path(__file__).resolve().parent
FIXTURES = ROOT / "samples" / "fixtures"
TABBED = ["2020-金凤区科学技术局", "2020-银川市金凤区", "2021-灵武市科学技术局", "2020-洛阳市科学技术局"]
#: A label this long is wrapped in the tests below.
LONG = 8


def _wrap_tabbed(text: str) -> str:
    """Every long row label cut in two: the head stays with the numbers, the tail goes under it."""
    out = []
    for line in text.split("\n"):
        fields = line.split("\t")
        numbers = [i for i, f in enumerate(fields) if f.strip().lstrip("+-").replace(".", "").isdigit()]
        labels = [i for i, f in enumerate(fields[:numbers[0]]) if f.strip()] if numbers else []
        if not labels or len(fields[labels[-1]].strip()) < LONG:
            out.append(line)
            continue
        leaf = labels[-1]
        text_ = fields[leaf].strip()
        cut = len(text_) // 2
        fields[leaf] = text_[:cut]
        out.extend(["\t".join(fields), "\t" * leaf + text_[cut:]])
    return "\n".join(out)


@pytest.mark.parametrize("name", TABBED)
def test_a_wrapped_tab_label_with_its_numbers_on_the_head_line(name: str) -> None:
    original = (ROOT.parent / "reports" / f"{name}.txt").read_text(encoding="utf-8")
    wrapped = _wrap_tabbed(original)
    assert wrapped.count("\n") > original.count("\n") + 5  # the test wraps something
    before, after = parse_text(original), parse_text(wrapped)
    for key, table in before.tables.items():
        assert after.tables[key].values() == table.values(), key
        assert after.tables[key].missing_rows == table.missing_rows, key
        assert after.tables[key].unreadable_rows == table.unreadable_rows, key
    assert sorted(w.code for w in after.warnings) == sorted(w.code for w in before.warnings)


def test_the_issue_example() -> None:
    text = ("某局2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
            "\t\t1. 属于国家秘密\t0\t0\t0\t0\t0\t0\t0\n"
            "\t\t2. 其他法律行政法\t3\t0\t0\t0\t1\t0\t4\n\t\t规禁止公开\n"
            "\t\t3. 危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0\n")
    table = parse_text(text).tables["三"]
    assert table.value("（三）不予公开 2.其他法律行政法规禁止公开", "总计") == 4
    assert table.value("（三）不予公开 2.其他法律行政法规禁止公开", "法律服务机构") == 1
    assert "（三）不予公开 2.其他法律行政法规禁止公开" not in table.missing_rows


def _hand_checked(name: str) -> dict:
    return yaml.safe_load((ROOT / "samples" / f"{name}.yaml").read_text(encoding="utf-8"))


def _value(expected: object) -> object:
    return Decimal(expected) if isinstance(expected, str) else expected


def test_pdftotext_layout_with_labels_over_three_lines_reads_every_cell() -> None:
    # 淮安市 2024: （二）部分公开 and the （六）其他处理 rows wrap over three lines with the numbers level
    # with the middle one, a group label's pieces (（六）其 / 他处理) between the lines of a row label.
    report = parse_file(FIXTURES / "huaian-2024.pdftotext-layout.txt")
    checked = _hand_checked("huaian-2024")
    assert (report.body, report.year, report.format) == (checked["body"], checked["year"], checked["format"])
    for key, table in checked["tables"].items():
        read = report.tables[key]
        assert read.missing_rows == list(table.get("missing", [])), key
        assert read.unreadable_rows == [], key
        for row, values in table["rows"].items():
            assert [read.value(row, c) for c in table["columns"]] == [_value(v) for v in values], (key, row)
    assert not [w for w in report.warnings if w.code != "split"]


@pytest.mark.parametrize("name", ["huaian-2024", "hongze-2023"])
def test_default_pdftotext_order_leaves_rows_unread_never_blank(name: str) -> None:
    # Labels come apart from their numbers: whatever cannot be placed stays not read (None), and no
    # cell is taken for blank, nor given a number the hand-checked reading does not have.
    report = parse_file(FIXTURES / f"{name}.pdftotext.txt")
    checked = _hand_checked(name)
    for key, table in checked["tables"].items():
        read = report.tables[key]
        for row, values in table["rows"].items():
            for column, value in zip(table["columns"], values):
                cell = read.cell(row, column)
                if cell is not None:
                    assert cell.value is not None and cell.value == _value(value), (key, row, column)
            if row not in read.unreadable_rows and row not in read.missing_rows:
                assert all(read.cell(row, c) is not None for c in table["columns"]), (key, row)
