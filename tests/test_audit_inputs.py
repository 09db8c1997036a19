"""Every input accounted for (issue 7, point 9): each path ends up audited or listed with its reason, in
the summary, findings.json, findings.csv and index.html; the exit status never says all is well when a
file was not audited, and a run that read nothing exits 2."""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

from engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "2021-灵武市科学技术局.txt"


def _listed(out: Path) -> dict[str, tuple[str, bool]]:
    written = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return {r["source"]: (r["unreadable"], r["excluded"]) for r in written if "unreadable" in r}


def _audited(out: Path) -> list[str]:
    written = json.loads((out / "findings.json").read_text(encoding="utf-8"))
    return [r["source"] for r in written if "unreadable" not in r]


def test_a_missing_path_alone_exits_2_with_the_reason(tmp_path, capsys) -> None:
    assert main(["audit", str(tmp_path / "没有这个文件.pdf"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "没有读取到任何年度报告" in err and "文件或文件夹不存在" in err


def test_an_empty_folder_exits_2(tmp_path, capsys) -> None:
    (tmp_path / "空").mkdir()
    assert main(["audit", str(tmp_path / "空"), "-o", str(tmp_path / "out")]) == 2
    assert "文件夹中没有任何文件" in capsys.readouterr().err


def test_a_folder_of_unreadable_files_exits_2(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(b"")
    (folder / "b.bin").write_bytes(bytes(range(256)) * 8)
    assert main(["audit", str(folder), "-o", str(tmp_path / "out")]) == 2


def test_hidden_and_lock_files_are_listed_not_skipped(tmp_path) -> None:
    folder = tmp_path / "in"
    (folder / ".git").mkdir(parents=True)
    (folder / ".git" / "config").write_text("[core]\n", encoding="utf-8")
    shutil.copy(REPORT, folder / "a.txt")
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "~$a.docx").write_bytes(b"lock")
    out = tmp_path / "out"
    # Left out on purpose, and listed: the run is complete (no error in the one report).
    assert main(["audit", str(folder), "-o", str(out)]) == 0
    listed = _listed(out)
    assert {Path(s).name for s in listed} == {".git", ".DS_Store", "~$a.docx"}
    assert all(excluded for _, excluded in listed.values())
    assert "隐藏文件夹" in listed[str(folder / ".git")][0]
    assert "锁定文件" in listed[str(folder / "~$a.docx")][0]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "未审核的其他文件" in page and "~$a.docx" in page


def test_a_hidden_file_named_on_the_command_line_is_audited(tmp_path) -> None:
    hidden = tmp_path / ".draft.txt"
    shutil.copy(REPORT, hidden)
    out = tmp_path / "out"
    assert main(["audit", str(hidden), "-o", str(out)]) == 0
    assert _audited(out) == [str(hidden)]


def test_symbolic_links_are_followed_once_and_broken_ones_listed(tmp_path) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(REPORT, folder / "sub" / "a.txt")
    os.symlink(folder / "sub" / "a.txt", folder / "link.txt")
    os.symlink(folder / "gone.txt", folder / "broken.txt")
    os.symlink(folder, folder / "sub" / "loop")
    out = tmp_path / "out"
    assert main(["audit", str(folder), "-o", str(out)]) == 3  # the broken link was not audited
    assert _audited(out) == [str(folder / "link.txt")]  # a.txt is reached again through it: once only
    listed = _listed(out)
    assert listed[str(folder / "broken.txt")] == ("符号链接指向的文件不存在", False)
    assert "同一个文件" in listed[str(folder / "sub" / "a.txt")][0]
    assert "已经审核过的文件夹" in listed[str(folder / "sub" / "loop")][0]


def test_the_output_folder_is_never_read_as_input(tmp_path, capsys) -> None:
    """An output folder inside a folder to audit is refused (issue 8 point 7); should one be there all
    the same (results of an earlier run, audited as a file's folder), it is listed, not read."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPORT, folder / "a.txt")
    out = folder / "audits"
    assert main(["audit", str(folder), "-o", str(out)]) == 2
    assert "在要审核的文件夹" in capsys.readouterr().err and not out.exists()
    from engine.inputs import input_files
    out.mkdir()
    (out / "findings.json").write_text("{}", encoding="utf-8")
    taken, listed = input_files([folder], out)
    assert taken == folder / "a.txt"
    assert (listed.source, listed.excluded) == (str(out), True) and "输出文件夹" in listed.reason


def test_the_csv_lists_what_was_not_audited(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPORT, folder / "a.txt")
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert main(["audit", str(folder), "-o", str(out)]) == 3
    with (out / "findings.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = [r for r in csv.DictReader(stream) if r["来源文件"].endswith("empty.txt")]
    assert [(r["严重程度"], r["问题"]) for r in rows] == [("无法读取", "无法读取：文件为空，没有可审核的内容")]


def test_a_batch_of_what_offices_receive_lists_each_file_not_read_with_its_reason(tmp_path, capsys) -> None:
    """One folder as an office gets it: a good report beside a scan, an encrypted PDF, a damaged Word file,
    a spreadsheet and an empty file, plus a path that does not exist. The good one is audited, each other
    one is named with why, and the run does not pass (exit 3)."""
    from engine.parse.readers.docx import DAMAGED as DAMAGED_WORD
    from engine.parse.readers.pdf import ENCRYPTED, SCANNED
    from reportlab.lib.pdfencrypt import StandardEncryption
    from tests.test_read_pdf import TITLE, pdf, ruleless_tables, shapes
    from tests.test_read_word import ole2

    folder = tmp_path / "收到的报告"
    folder.mkdir()
    shutil.copy(REPORT, folder / "灵武市科学技术局.txt")
    (folder / "扫描件.pdf").write_bytes(pdf(shapes, shapes))
    (folder / "加密.pdf").write_bytes(pdf(TITLE, ruleless_tables, encrypt=StandardEncryption("pw", ownerPassword="o")))
    (folder / "损坏.docx").write_bytes(b"PK\x03\x04" + bytes(200))
    (folder / "统计表.xls").write_bytes(ole2("Workbook"))
    (folder / "空白.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert main(["audit", str(folder), str(tmp_path / "漏交.docx"), "-o", str(out)]) == 3
    assert _audited(out) == [str(folder / "灵武市科学技术局.txt")]
    reasons = {Path(source).name: reason for source, (reason, excluded) in _listed(out).items() if not excluded}
    assert reasons["扫描件.pdf"] == SCANNED and reasons["加密.pdf"] == ENCRYPTED
    assert reasons["损坏.docx"] == DAMAGED_WORD
    assert "Excel" in reasons["统计表.xls"]
    assert reasons["空白.txt"] == "文件为空，没有可审核的内容"
    assert reasons["漏交.docx"] == "文件或文件夹不存在"
    summary = capsys.readouterr().out
    assert all(name in summary for name in reasons) and "有 6 个文件无法读取" in summary


def test_a_fault_of_ours_in_reading_one_file_does_not_stop_the_batch(tmp_path, monkeypatch) -> None:
    from engine.parse.readers import text as text_reader

    def broken(self, data, name):
        if b"\xe7\x81\xb5\xe6\xad\xa6" not in data:  # every file but the one naming 灵武
            raise RuntimeError("boom")
        return text_reader.text_document(data.decode("utf-8"))

    monkeypatch.setattr(text_reader.TextReader, "read", broken)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPORT, folder / "a.txt")
    (folder / "b.txt").write_text("某某局2023年政府信息公开工作年度报告\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["audit", str(folder), "-o", str(out)]) == 3
    assert _audited(out) == [str(folder / "a.txt")]
    reason, excluded = _listed(out)[str(folder / "b.txt")]
    assert "程序出错" in reason and "RuntimeError: boom" in reason and not excluded


def test_a_file_that_is_no_annual_report_is_listed_not_accused(tmp_path) -> None:
    """A README beside the submissions, and the official blank template, are taken by their bytes but hold
    nothing to audit: listed with why, never given findings or a notice."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(REPORT, folder / "a.txt")
    (folder / "说明.md").write_text("# 收到的报告\n\n请按时提交。\n", encoding="utf-8")
    shutil.copy(ROOT / "tests" / "samples" / "fixtures" / "template-2021.docx", folder / "模板.docx")
    out = tmp_path / "out"
    assert main(["audit", str(folder), "-o", str(out)]) == 3
    assert _audited(out) == [str(folder / "a.txt")]
    listed = _listed(out)
    assert listed[str(folder / "说明.md")][0].startswith("不是政府信息公开工作年度报告")
    assert "未填写的模板" in listed[str(folder / "模板.docx")][0]
    assert not (out / "notices" / "模板.html").exists()
