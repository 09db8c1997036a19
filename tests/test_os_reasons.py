"""Why the system refused a file, said in Chinese where the office meets it (engine.os_reasons)."""
from __future__ import annotations

import errno

from engine.cli import main
from engine.os_reasons import os_reason


def test_the_usual_reasons_are_said_in_chinese_and_others_keep_the_systems_words():
    assert os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")) == "文件或文件夹不存在"
    assert os_reason(PermissionError(errno.EACCES, "Permission denied")).startswith("没有权限读写")
    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == "磁盘空间已满"
    assert os_reason(OSError(errno.EXDEV, "Invalid cross-device link")) == "Invalid cross-device link"


def test_a_report_that_is_not_there_is_said_so_in_chinese(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "不存在.txt")]) != 0
    assert "无法读取文件（文件或文件夹不存在）" in capsys.readouterr().err


def test_an_output_that_cannot_be_written_names_the_file_and_why(tmp_path, capsys):
    (tmp_path / "out").write_text("一个文件，不是文件夹", encoding="utf-8")
    report = tmp_path / "报告.txt"
    report.write_text("某局2021年政府信息公开工作年度报告\n", encoding="utf-8")
    assert main(["audit", str(report), "-o", str(tmp_path / "out"), "--no-db"]) == 2
    err = capsys.readouterr().err
    assert f"无法写入输出 {tmp_path / 'out'}：同名的文件已存在" in err, err  # a file stands where the folder goes


def test_a_page_that_cannot_be_written_where_it_is_rendered_stops_the_batch_with_why(tmp_path, capsys, monkeypatch):
    """The pages are written where they are rendered (engine.batch.tasks.render_pages); a full disk
    there is said as when the batch's own process wrote them: the file and why, no traceback, and no
    list of every report's pages as not made."""
    from engine.render import pages

    def full(root, relative, data):
        raise OSError(errno.ENOSPC, "No space left on device", str(root / relative))
    monkeypatch.setattr(pages, "write_file", full)
    report = tmp_path / "报告.txt"
    report.write_text("某局2021年政府信息公开工作年度报告\n", encoding="utf-8")
    assert main(["audit", str(report), "-o", str(tmp_path / "out"), "--no-db", "--jobs", "0"]) == 2
    err = capsys.readouterr().err
    assert f"无法写入输出 {tmp_path / 'out' / 'notices' / '报告.html'}：磁盘空间已满" in err, err  # the first written
    assert "Traceback" not in err and "未能生成" not in err
