"""Encodings and bad input (issue 2, point 5): every file gives a Report with clear warnings or a clear
error naming the file, never a traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from engine.parse import ReportError, parse_bytes, parse_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "reports" / "2020-银川市金凤区.txt"


def _new_applications(report) -> list:
    return [report.tables["三"].value("一、本年新收政府信息公开申请数量", c) for c in report.tables["三"].columns]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_every_encoding_reads_the_same_cells(encoding: str) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    report = parse_bytes(text.encode(encoding), f"sample.{encoding}.txt")
    assert report.body == "银川市金凤区"
    assert report.year == 2020
    assert _new_applications(report) == [28, 1, 0, 0, 6, 0, 35]


def test_empty_file_is_a_report_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "空.txt"
    path.write_bytes(b"  \n\n")
    report = parse_file(path)
    assert not report.readable
    assert [w.code for w in report.warnings] == ["empty"]
    assert "文件为空" in report.warnings[0].message


def test_binary_file_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "扫描件.txt"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(ReportError, match="扫描件.txt: 文件不是可识别的文本"):
        parse_file(path)


def test_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="不存在.txt: 无法读取文件"):
        parse_file(tmp_path / "不存在.txt")


def test_text_without_tables_says_so() -> None:
    report = parse_bytes("某某局2023年政府信息公开工作年度报告\n\n一、总体情况\n本年度工作平稳。\n".encode(), "x.txt")
    assert report.body == "某某局" and report.year == 2023
    codes = [w.code for w in report.warnings]
    assert "no_tables" in codes
    assert all(not t.present for t in report.tables.values())
    assert all(t.missing_rows == t.rows for t in report.tables.values())


def test_text_without_title_says_so() -> None:
    report = parse_bytes("一、总体情况\n本年度工作平稳。\n".encode(), "x.txt")
    assert report.body is None and report.year is None
    assert "no_title" in [w.code for w in report.warnings]


def test_cli_names_the_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "坏文件.txt"
    path.write_bytes(b"\x00\x01\x02\xff" * 100)
    done = subprocess.run([sys.executable, "-m", "engine.cli", "parse", str(path)], cwd=ROOT,
                          capture_output=True, encoding="utf-8")
    assert done.returncode == 2
    assert "坏文件.txt" in done.stderr and "Traceback" not in done.stderr
