"""The five sample reports, read by the real parser, drawn on their pages exactly as read.

A redrawn table is what the auditor checks a finding against, so every cell must show what the
parser read: the number, a blank as the report wrote it, or 未读到 for a row not in the text.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.model import AuditRun, ReportAudit
from engine.parse import parse_file
from engine.render import write_outputs
from render_html import by_id, page, text
from render_sample_run import ROOT

SAMPLES = sorted((ROOT / "reports").glob("*.txt"))


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("samples")
    write_outputs(AuditRun(audits=[ReportAudit(parse_file(path)) for path in SAMPLES]), folder)
    return folder


def _grid(root, t: int) -> dict[tuple[str, str], tuple[str, set[str]]]:
    table = by_id(root, f"t{t}")
    columns = [text(th) for th in table.xpath("./thead/tr/th")][1:]
    grid = {}
    for row in table.xpath("./tbody/tr"):
        label = row.xpath("./th")[0].text.strip()
        for column, cell in zip(columns, row.xpath("./td"), strict=True):
            grid[label, column] = (cell.text.strip(), set(cell.classes))
    return grid


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_cell_is_drawn_as_read(out, path):
    report = parse_file(path)
    root = page(out / "reports" / f"{path.stem}.html")
    for t, table in enumerate(report.tables.values()):
        if not table.present:
            assert "原文中没有这张表" in text(by_id(root, f"t{t}"))
            continue
        grid = _grid(root, t)
        assert len(grid) == len(table.rows) * len(table.columns)
        for row in table.rows:
            for column in table.columns:
                shown, classes = grid[row, column]
                cell = table.cell(row, column)
                if cell is None:
                    assert (shown, "missing" in classes) == ("未读到", True), (row, column)
                elif cell.blank:
                    assert (shown, "blank" in classes) == (cell.raw.strip() or "空", True), (row, column)
                else:
                    assert shown == str(cell.value), (row, column)


def test_hand_checked_cells_of_the_samples(out):
    zhoucun = _grid(page(out / "reports" / "2020-周村区科技局.html"), 5)
    assert zhoucun["一、本年新收政府信息公开申请数量", "总计"][0] == "3"
    assert zhoucun["（一）予以公开", "总计"][0] == "3"
    assert "blank" in zhoucun["四、结转下年度继续办理", "总计"][1]
    luoyang = page(out / "reports" / "2020-洛阳市科学技术局.html")
    rows = {r.xpath("./th")[0].text.strip(): r.get("class") for r in by_id(luoyang, "t5").xpath("./tbody/tr")}
    assert rows["（一）予以公开"] == "missing" and rows["（四）无法提供 3.补正后申请内容仍不明确"] == "read"
    assert [text(by_id(luoyang, f"t{t}")) for t in (2, 3, 4)] == [
        "第二十条第（六）项（表二(六)）：原文中没有这张表。", "第二十条第（八）项（表二(八)）：原文中没有这张表。",
        "第二十条第（九）项（表二(九)）：原文中没有这张表。"]
