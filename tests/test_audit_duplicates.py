"""One report given twice in a batch gets one notice, and every output names the other file (issue 8,
point 3).

The reports are generated (tests/generator), so what makes them the same report is known: two specs
drawn with different seeds but the same body and year are two different files of one body's report of
one year; a third of another body is no duplicate of them. Each has a defect the rules must find
(DEFECT_KINDS), so that each would get a notice of its own if it were not a duplicate.
"""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from lxml import html

from engine import RULES_DIR
from engine.cli import main
from tests.generator import render
from tests.generator.catalogue import DEFECT_KINDS, clean
from tests.generator.spec import ReportSpec, random_spec

REPORTS = RULES_DIR.parent / "reports"
BODY, YEAR = "某县科学技术局", 2022


def _spec(seed: int, body: str = BODY, defect: str | None = "row total") -> ReportSpec:
    spec = clean(random_spec(seed, "2021", blank_rate=0.0, body=body, year=YEAR))
    return DEFECT_KINDS[defect].edit(spec) if defect else spec


def _write(folder: Path, name: str, spec: ReportSpec, *, untitled: bool = False) -> Path:
    """``untitled``: without the title, so that neither body nor year can be read."""
    text = render(spec, "tab").text
    if untitled:
        lines = text.split("\n")
        # The title ends on the first line with the year (the body may stand on the line above; the
        # generator writes the title's name in several ways).
        text = "\n".join(lines[next(i for i, line in enumerate(lines) if str(spec.year) in line) + 1:])
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _run(folder: Path, out: Path) -> tuple[int, dict[str, dict]]:
    code = main(["audit", str(folder), "-o", str(out)])
    written = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return code, {Path(r["source"]).name: r for r in written}


def _text(path: Path) -> str:
    return html.fromstring(path.read_text(encoding="utf-8")).text_content()


def _row(index: str, name: str):
    """The dashboard row of the report in file ``name`` (its source cell starts with the file)."""
    rows = html.fromstring(index).xpath("//table[@data-sortable]/tbody/tr")
    return next(row for row in rows if row.xpath("td[contains(@class, 'source')]/text()")[0].endswith(name))


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> tuple[Path, Path, dict[str, dict]]:
    folder = tmp_path_factory.mktemp("in")
    a, b = _write(folder, "a.txt", _spec(1)), _write(folder, "b.txt", _spec(2))
    _write(folder, "c.txt", _spec(3, body="某县教育局"))
    assert a.read_text(encoding="utf-8") != b.read_text(encoding="utf-8")
    out = folder.parent / f"{folder.name}-out"
    code, written = _run(folder, out)
    assert code == 1
    return folder, out, written


def test_the_two_files_name_each_other_in_the_json(batch):
    folder, _, written = batch
    assert (written["a.txt"]["body"], written["a.txt"]["year"]) == (BODY, YEAR)
    assert (written["b.txt"]["body"], written["b.txt"]["year"]) == (BODY, YEAR)
    assert written["a.txt"]["duplicate_of"] == [str(folder / "b.txt")]
    assert written["b.txt"]["duplicate_of"] == [str(folder / "a.txt")]
    assert written["c.txt"]["duplicate_of"] == []
    assert all(written[name]["findings"] for name in written)  # each has its defect found


def test_one_notice_for_the_pair_the_first_file_s_naming_the_other(batch):
    _, out, _ = batch
    # The first by input order (a.txt) holds the pair's notice; c.txt, another body, its own.
    assert {p.name for p in (out / "notices").iterdir()} == {"a.html", "a.docx", "c.html", "c.docx"}
    notice = _text(out / "notices" / "a.html")
    assert "本批另收到你单位同一年度的年度报告 1 份（b.txt），未另发通知书；本通知书依据 a.txt 审核" in notice
    assert "b.txt" not in _text(out / "notices" / "c.html")


def test_the_dashboard_lists_both_and_links_the_second_to_the_first_s_notice(batch):
    folder, out, _ = batch
    index = (out / "index.html").read_text(encoding="utf-8")
    assert f"重复：与 {folder / 'b.txt'} 是同一单位同一年度的报告" in _row(index, "a.txt").text_content()
    second = _row(index, "b.txt")
    assert f"重复：与 {folder / 'a.txt'} 是同一单位同一年度的报告" in second.text_content()
    assert f"与 {folder / 'a.txt'} 合发一份" in second.text_content()
    assert "重复" not in _row(index, "c.txt").text_content()
    links = second.xpath(".//a/@href")
    assert "notices/a.html" in links and not any("notices/b" in link for link in links)
    assert "其中 2 份需发整改通知书" in _text(out / "index.html")


def test_each_report_page_names_the_other_file(batch):
    folder, out, _ = batch
    first, second = _text(out / "reports" / "a.html"), _text(out / "reports" / "b.html")
    assert f"与 {folder / 'b.txt'} 是同一单位同一年度的报告" in first
    assert f"本报告与 {folder / 'a.txt'} 是同一单位同一年度的报告，整改通知书只发一份：{folder / 'a.txt'} 的整改通知书" in second
    assert 'href="../notices/a.html"' in (out / "reports" / "b.html").read_text(encoding="utf-8")


def test_every_csv_row_of_the_pair_names_the_other_file(batch):
    folder, out, _ = batch
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    by_file: dict[str, set[str]] = {}
    for row in rows:
        by_file.setdefault(Path(row["来源文件"]).name, set()).add(row["重复文件"])
    assert by_file == {"a.txt": {str(folder / "b.txt")}, "b.txt": {str(folder / "a.txt")}, "c.txt": {""}}


def test_copies_of_a_report_with_no_finding_get_no_notice_and_a_csv_row_each(tmp_path):
    """灵武市 2021 has no finding (tests/test_audit_cli.py): two copies have no row of findings in the
    CSV, so each gets one saying it is a duplicate."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(REPORTS / "2021-灵武市科学技术局.txt", folder / name)
    code, written = _run(folder, tmp_path / "out")
    assert code == 0 and not list((tmp_path / "out" / "notices").glob("*"))
    assert written["b.txt"]["duplicate_of"] == [str(folder / "a.txt")]
    with (tmp_path / "out" / "findings.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(Path(r["来源文件"]).name, r["严重程度"], r["问题"], r["重复文件"]) for r in rows] == [
        ("a.txt", "重复报告", f"未发现问题；与 {folder / 'b.txt'} 是同一单位同一年度的报告", str(folder / "b.txt")),
        ("b.txt", "重复报告", f"未发现问题；与 {folder / 'a.txt'} 是同一单位同一年度的报告", str(folder / "a.txt"))]


def test_without_a_body_only_the_same_text_is_a_duplicate_and_the_notice_is_a_draft(tmp_path):
    """Two reports whose title (body, year) could not be read are never taken for one because they
    lack the same thing; a copy of one with the same text is. Its notice says the body was not read."""
    folder = tmp_path / "in"
    folder.mkdir()
    first = _write(folder, "a.txt", _spec(6), untitled=True)
    (folder / "a-copy.txt").write_bytes(first.read_bytes())
    _write(folder, "b.txt", _spec(7), untitled=True)
    code, written = _run(folder, tmp_path / "out")
    assert code == 1 and all(written[name]["body"] is None for name in written)
    assert written["a.txt"]["duplicate_of"] == [str(folder / "a-copy.txt")]
    assert written["a-copy.txt"]["duplicate_of"] == [str(folder / "a.txt")]
    assert written["b.txt"]["duplicate_of"] == []
    # a-copy.txt comes before a.txt in the folder's order: it holds the notice of the two.
    assert {p.stem for p in (tmp_path / "out" / "notices").iterdir()} == {"a-copy", "b"}
    notice = _text(tmp_path / "out" / "notices" / "b.html")
    assert "草稿：未识别出报告的发布机关，请核实收文单位并填写后方可发出" in notice
    assert "草稿：未识别出报告年度" in notice
    copy = _text(tmp_path / "out" / "notices" / "a-copy.html")
    assert "本批另收到与本报告内容相同的文件 1 份（a.txt）" in copy


def test_names_are_compared_as_pairing_compares_them(tmp_path):
    """科技局 is a short name of 科学技术局 (rules/wording/bodies.yaml): one body of one place. A name
    without a place (科学技术局) may be two counties' offices: never a duplicate by name alone."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, seed, body in (("a.txt", 8, "某县科技局"), ("b.txt", 9, BODY), ("c.txt", 10, "科学技术局"),
                             ("d.txt", 11, "科学技术局")):
        _write(folder, name, _spec(seed, body=body, defect=None))
    _, written = _run(folder, tmp_path / "out")
    assert [written[f"{name}.txt"]["body"] for name in "abcd"] == ["某县科技局", BODY, "科学技术局", "科学技术局"]
    assert written["a.txt"]["duplicate_of"] == [str(folder / "b.txt")]
    assert written["c.txt"]["duplicate_of"] == [] and written["d.txt"]["duplicate_of"] == []
