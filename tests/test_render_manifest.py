"""A run replaces or removes only what an earlier run wrote and nobody changed (issue 8, point 7).

Each test runs the real command twice on the same output folder, changing between runs what an office
changes: it edits a notice, puts its own files there, or a report is corrected. The samples used:
周村区 2020 and 洛阳市 2020 have errors (a notice each), 灵武市 2021 has none (no notice), as the CLI
reports for them. (Two copies of one report would get one notice: engine.render.notice.notice_holders.)
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

from engine.cli import main
from engine.commands.audit import BAD_INPUT
from engine.render import manifest
from engine.render.manifest import FOLDERS, MANIFEST, OutputFolder

SAMPLES = Path(__file__).resolve().parent.parent / "reports"
NOTICED = SAMPLES / "2020-周村区科技局.txt"
NOTICED_TOO = SAMPLES / "2020-洛阳市科学技术局.txt"
CLEAN = SAMPLES / "2021-灵武市科学技术局.txt"
EDITED = "<p>办公室改过的通知书</p>"


def _inputs(tmp_path: Path, **reports: Path) -> Path:
    folder = tmp_path / "in"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, sample in reports.items():
        shutil.copy(sample, folder / f"{name}.txt")
    return folder


def _audit(folder: Path, out: Path) -> int:
    return main(["audit", str(folder), "-o", str(out)])


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.iterdir()}


def test_an_edited_notice_and_a_foreign_file_survive_a_rerun(tmp_path, capsys) -> None:
    folder, out = _inputs(tmp_path, a=NOTICED, b=NOTICED_TOO, c=CLEAN), tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "c.html").write_text("办公室自己放的页面", encoding="utf-8")  # there before any run
    assert _audit(folder, out) == 1
    assert _files(out / "notices") == {"a.html", "a.docx", "b.html", "b.docx"}
    (out / "notices" / "b.html").write_text(EDITED, encoding="utf-8")
    (out / "notices" / "办公室的说明.docx").write_bytes(b"office's own")
    capsys.readouterr()

    assert _audit(folder, out) == 1
    said = capsys.readouterr().out
    assert (out / "notices" / "b.html").read_text(encoding="utf-8") == EDITED
    assert (out / "notices" / "办公室的说明.docx").read_bytes() == b"office's own"
    assert (out / "reports" / "c.html").read_text(encoding="utf-8") == "办公室自己放的页面"
    # Ours moves beside what was kept; b's Word notice, ours and no longer written under "b", is gone.
    assert _files(out / "notices") == {"a.html", "a.docx", "b.html", "b.new.html", "b.new.docx", "办公室的说明.docx"}
    assert _files(out / "reports") == {"a.html", "b.html", "c.html", "c.new.html"}
    assert "已保留 notices/b.html（本工具写入后被修改过，未覆盖），本次结果写入 notices/b.new.html" in said
    assert "已保留 reports/c.html（不是本工具写入的，未覆盖），本次结果写入 reports/c.new.html" in said
    assert "办公室的说明" not in said  # a foreign file nowhere in our way is simply not ours to mention
    assert 'href="../notices/b.new.html"' in (out / "reports" / "b.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="reports/c.new.html"' in index and 'href="notices/b.new.html"' in index

    assert _audit(folder, out) == 1  # a third run: the edited notice is still named edited, not foreign
    assert "notices/b.html（本工具写入后被修改过" in capsys.readouterr().out
    assert (out / "notices" / "b.html").read_text(encoding="utf-8") == EDITED
    assert _files(out / "notices") == {"a.html", "a.docx", "b.html", "b.new.html", "b.new.docx", "办公室的说明.docx"}


def test_a_notice_for_a_report_now_clean_is_removed_unless_it_was_edited(tmp_path, capsys) -> None:
    out = tmp_path / "out"
    assert _audit(_inputs(tmp_path, a=NOTICED, b=NOTICED_TOO), out) == 1
    (out / "notices" / "b.docx").write_bytes(b"edited in Word")
    capsys.readouterr()

    assert _audit(_inputs(tmp_path, a=CLEAN, b=CLEAN), out) == 0  # both reports corrected
    assert _files(out / "notices") == {"b.docx"}
    assert _files(out / "reports") == {"a.html", "b.html"}
    assert "已保留 notices/b.docx（本工具写入后被修改过，未删除；本次审核不再生成这个文件" in capsys.readouterr().out
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert set(listed) == {"reports/a.html", "reports/b.html", "notices/b.docx"}


def test_a_doctored_manifest_cannot_remove_a_file_outside_the_two_folders(tmp_path) -> None:
    out = tmp_path / "out"
    folder = _inputs(tmp_path, a=CLEAN)
    assert _audit(folder, out) == 0
    precious = tmp_path / "precious.html"
    precious.write_text("别删", encoding="utf-8")
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    for name in ("../precious.html", "reports/../../precious.html", str(precious)):
        listed["files"][name] = hashlib.sha256(precious.read_bytes()).hexdigest()
    (out / MANIFEST).write_text(json.dumps(listed), encoding="utf-8")
    assert _audit(folder, out) == 0
    assert precious.read_text(encoding="utf-8") == "别删"


def test_a_broken_manifest_makes_every_file_foreign_not_free(tmp_path) -> None:
    out = tmp_path / "out"
    folder = _inputs(tmp_path, a=CLEAN)
    assert _audit(folder, out) == 0
    (out / MANIFEST).write_text("{不是 JSON", encoding="utf-8")
    page = (out / "reports" / "a.html").read_bytes()
    assert _audit(folder, out) == 0
    assert (out / "reports" / "a.html").read_bytes() == page
    assert (out / "reports" / "a.new.html").exists()


def test_an_output_folder_that_is_a_folder_to_audit_is_refused(tmp_path, capsys) -> None:
    folder = _inputs(tmp_path, a=NOTICED)
    assert _audit(folder, folder) == 2
    err = capsys.readouterr().err
    assert f"输出文件夹 {folder} 就是要审核的文件夹 {folder}" in err and "请用 -o 指定" in err
    assert _files(folder) == {"a.txt"}  # nothing written


# --- the folder's bookkeeping itself (engine.render.manifest.OutputFolder), run by run -------------

def _folder(root: Path, *folders: str) -> OutputFolder:
    folder = OutputFolder(root, folders or FOLDERS)
    folder.place([])  # makes the sub-folders, as a run does before it writes
    return folder


def _manifest(root: Path) -> dict:
    return json.loads((root / MANIFEST).read_text(encoding="utf-8"))


def test_a_run_stopped_part_way_keeps_every_earlier_entry_with_its_recipe(tmp_path) -> None:
    first = _folder(tmp_path)
    first.write("reports/a.html", b"a, first", "recipe-a")
    first.write("reports/b.html", b"b, first", "recipe-b")
    first.finish()
    stopped = _folder(tmp_path)
    stopped.write("reports/a.html", b"a, second")  # rewritten without a recipe, then the run stops
    stopped.finish(complete=False)
    saved = _manifest(tmp_path)
    assert saved["files"] == {"reports/a.html": hashlib.sha256(b"a, second").hexdigest(),
                              "reports/b.html": hashlib.sha256(b"b, first").hexdigest()}
    assert saved["made"]["reports/b.html"][0] == "recipe-b" and saved["made"]["reports/a.html"][0] == "recipe-a"
    after = _folder(tmp_path)
    assert after.unchanged(["reports/b.html"], "recipe-b")  # still ours, still as made
    assert not after.unchanged(["reports/a.html"], "recipe-a")  # its bytes are not those it was made as
    after.finish()
    assert not (tmp_path / "reports" / "b.html").exists()  # ours, and not written by the complete run


def test_a_run_of_one_folder_keeps_the_other_folders_entries(tmp_path) -> None:
    first = _folder(tmp_path)
    first.write("notices/n.html", b"notice", "recipe-n")
    first.write("reports/r.html", b"page", "recipe-r")
    first.finish()
    pages_only = _folder(tmp_path, "reports")
    pages_only.write("reports/s.html", b"another page", "recipe-s")
    assert pages_only.finish() == []
    saved = _manifest(tmp_path)
    assert sorted(saved["files"]) == ["notices/n.html", "reports/s.html"]
    assert saved["made"]["notices/n.html"][0] == "recipe-n"
    assert (tmp_path / "notices" / "n.html").exists() and not (tmp_path / "reports" / "r.html").exists()


def test_a_kept_file_whose_time_moved_is_kept_by_its_bytes_and_its_new_time_recorded(tmp_path) -> None:
    first = _folder(tmp_path)
    first.write("reports/r.html", b"page", "recipe-r")
    first.finish()
    page = tmp_path / "reports" / "r.html"
    moved = page.stat().st_mtime_ns + 5_000_000_000
    os.utime(page, ns=(moved, moved))  # a copy or a backup restored: the same bytes, another time
    again = _folder(tmp_path)
    assert again.unchanged(["reports/r.html"], "recipe-r")
    again.keep("reports/r.html")
    again.finish()
    assert _manifest(tmp_path)["made"]["reports/r.html"] == ["recipe-r", len(b"page"), moved]
    assert page.read_bytes() == b"page"


def test_a_manifest_with_nothing_listed_is_still_a_manifest(tmp_path) -> None:
    _folder(tmp_path).finish()
    assert _manifest(tmp_path) == {"files": {}, "made": {}}
    assert not (tmp_path / f"{MANIFEST}.part").exists()


def test_a_full_temporary_folder_is_said_not_a_traceback(tmp_path, monkeypatch, capsys) -> None:
    """The manifest's entries are kept in a temporary database while the pages are written; the
    system's temporary folder full is said as any other failure to write the outputs."""
    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(manifest.sqlite3, "connect", full)
    folder = _inputs(tmp_path, a=NOTICED)
    assert _audit(folder, tmp_path / "out") == BAD_INPUT
    said = capsys.readouterr().err
    assert "无法写入输出" in said and "磁盘空间已满" in said and "Traceback" not in said
