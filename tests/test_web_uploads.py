"""Uploads (engine.web.uploads): saved under our names inside the folder, sniffed by their bytes, within
limits counted on the bytes themselves; zips opened member by member, a zip bomb stopped at the limit."""
from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from werkzeug.datastructures import FileStorage

from engine.web.uploads import (DAMAGED_MEMBER, EMPTY_ZIP, ENCRYPTED_MEMBER, LEFTOVER_MEMBER, NESTED_ZIP,
                                UNNAMED, Limits, directory_size, save_uploads)

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "reports" / "2020-周村区科技局.txt"
WORD = ROOT / "tests" / "samples" / "fixtures" / "template-2021.docx"
OUR_NAME = re.compile(r"\d{4}\.[a-z]+")
MB = 1024 * 1024
BATCH = Limits(total_bytes=50 * MB, files=20, unzipped_bytes=10 * MB)


def upload(name: str, data: bytes) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name)


def files_in(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize("sent, shown", [("../../etc/passwd", "passwd"), ("..\\x.txt", "x.txt"),
                                         ("C:\\报告\\周村区.txt", "周村区.txt"), ("a\x00b/../..", UNNAMED),
                                         ("/etc/", UNNAMED), ("e\u0301.txt", "\u00e9.txt")])
def test_a_name_is_data_and_the_file_is_saved_under_ours_inside_the_folder(tmp_path, sent, shown):
    folder = tmp_path / "upload"
    saved = save_uploads([upload(sent, REPORT.read_bytes())], folder, BATCH)
    [taken] = saved.taken
    assert taken.name == shown
    assert taken.path.parent == folder and OUR_NAME.fullmatch(taken.path.name)
    assert taken.path.read_bytes() == REPORT.read_bytes()
    assert files_in(tmp_path) == ["upload"] and files_in(folder) == [taken.path.name]


def test_a_name_longer_than_any_file_system_keeps_is_cut(tmp_path):
    deep = "/".join(["很深的文件夹"] * 60) + "/报告.txt"
    saved = save_uploads([upload("长" * 1000 + ".txt", b"a"), upload("x.zip", zipped({deep: b"b"}))], tmp_path, BATCH)
    long, member = (u.name for u in saved.taken)
    assert long == "长" * 254 + "…"
    inner = member.removeprefix("x.zip/")
    assert len(inner) == 255 and inner.startswith("…") and inner.endswith("/很深的文件夹/报告.txt")


def test_the_kind_comes_from_the_bytes_not_the_name(tmp_path):
    saved = save_uploads([upload("报告.txt", WORD.read_bytes()), upload("报告.docx", REPORT.read_bytes())],
                         tmp_path, BATCH)
    assert [(u.name, u.kind, u.path.suffix) for u in saved.taken] == [("报告.txt", "Word", ".docx"),
                                                                      ("报告.docx", "文本", ".txt")]


def test_an_oversized_file_is_refused_and_nothing_of_it_is_kept(tmp_path):
    limits = Limits(total_bytes=1000, files=1)
    saved = save_uploads([upload("大.txt", b"x" * 1001)], tmp_path, limits)
    assert saved.oversized and saved.taken == []
    assert saved.refused == [("大.txt", "文件超过 1,000 字节 的大小上限，未保存")]
    assert files_in(tmp_path) == []


def test_a_file_of_exactly_the_limit_is_taken(tmp_path):
    saved = save_uploads([upload("刚好.txt", b"x" * 1000)], tmp_path, Limits(total_bytes=1000, files=1))
    assert not saved.oversized and len(saved.taken) == 1


def test_files_past_the_count_or_the_total_are_listed_with_the_reason(tmp_path):
    limits = Limits(total_bytes=2500, files=2)
    saved = save_uploads([upload(f"{n}.txt", b"x" * 1000) for n in range(4)], tmp_path, limits)
    assert [u.name for u in saved.taken] == ["0.txt", "1.txt"]
    assert saved.refused == [(name, "上传的文件超过 2 个的数量上限，此文件未保存") for name in ("2.txt", "3.txt")]
    saved = save_uploads([upload(f"{n}.txt", b"x" * 1000) for n in range(4)], tmp_path / "b",
                         Limits(total_bytes=2500, files=10))
    assert [u.name for u in saved.taken] == ["0.txt", "1.txt"] and saved.oversized
    assert [name for name, _ in saved.refused] == ["2.txt", "3.txt"]
    assert all("合计超过" in reason for _, reason in saved.refused)


def zipped(members: dict[str, bytes], gbk: bool = False) -> bytes:
    """A zip of ``members``; ``gbk``: named as Chinese Windows writes them, GBK without the UTF-8 flag
    (written under ASCII stand-ins of the same length, then replaced in the bytes)."""
    stand_ins = {name: (f"{i}" * len(name.encode("gbk")))[:len(name.encode("gbk"))] if gbk else name
                 for i, name in enumerate(members)}
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(stand_ins[name])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    raw = data.getvalue()
    for name, stand_in in stand_ins.items():
        raw = raw.replace(stand_in.encode(), name.encode("gbk")) if gbk else raw
    return raw


def _patch_flags(raw: bytes, change) -> bytes:
    """``change`` applied to the general purpose flags of every local and central header."""
    out = bytearray(raw)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            flags = struct.unpack_from("<H", out, start + offset)[0]
            struct.pack_into("<H", out, start + offset, change(flags))
            start += 4
    return bytes(out)


def test_a_zip_of_reports_is_opened_member_by_member_under_our_names(tmp_path):
    members = {"2020/周村区科技局.txt": REPORT.read_bytes(), "空文件夹/": b"", "word.docx": WORD.read_bytes()}
    saved = save_uploads([upload("批次.zip", zipped(members))], tmp_path, BATCH)
    assert [(u.name, u.kind) for u in saved.taken] == [("批次.zip/2020/周村区科技局.txt", "文本"),
                                                       ("批次.zip/word.docx", "Word")]
    assert saved.taken[0].path.read_bytes() == REPORT.read_bytes()
    assert all(OUR_NAME.fullmatch(u.path.name) and u.path.parent == tmp_path for u in saved.taken)
    assert files_in(tmp_path) == sorted(u.path.name for u in saved.taken)  # the zip itself is gone
    assert saved.refused == []


def test_member_paths_are_never_paths_and_gbk_names_are_read(tmp_path):
    members = {"../../逃出去.txt": b"a", "/abs/绝对.txt": b"b", "子目录\\报告.txt": b"c"}
    saved = save_uploads([upload("x.zip", zipped(members, gbk=True))], tmp_path / "in", BATCH)
    assert [u.name for u in saved.taken] == ["x.zip/逃出去.txt", "x.zip/abs/绝对.txt", "x.zip/子目录/报告.txt"]
    assert [u.path.read_bytes() for u in saved.taken] == [b"a", b"b", b"c"]
    assert files_in(tmp_path / "in") == ["0002.txt", "0003.txt", "0004.txt"]
    assert files_in(tmp_path) == ["in"]


def test_a_zip_with_no_file_in_it_is_listed_too(tmp_path):
    saved = save_uploads([upload("空.zip", zipped({"只有文件夹/": b""}))], tmp_path, BATCH)
    assert saved.taken == [] and saved.refused == [("空.zip", EMPTY_ZIP)]
    assert files_in(tmp_path) == []


def test_a_self_check_does_not_open_a_zip(tmp_path):
    saved = save_uploads([upload("x.zip", zipped({"a.txt": b"a"}))], tmp_path, Limits(total_bytes=MB, files=1))
    [taken] = saved.taken
    assert taken.kind == "不支持的文件" and taken.path.suffix == ".bin"


def test_nested_encrypted_and_leftover_members_are_refused_with_the_reason(tmp_path):
    inner = zipped({"a.txt": b"a"})
    plain = zipped({"内层.zip": inner, "__MACOSX/._报告.txt": b"x", "~$报告.docx": b"y", "报告.txt": b"z"})
    locked = _patch_flags(zipped({"加密.txt": b"secret"}), lambda flags: flags | 0x1)
    saved = save_uploads([upload("外层.zip", plain), upload("锁.zip", locked)], tmp_path, BATCH)
    assert [u.name for u in saved.taken] == ["外层.zip/报告.txt"]
    assert saved.refused == [("外层.zip/内层.zip", NESTED_ZIP), ("外层.zip/__MACOSX/._报告.txt", LEFTOVER_MEMBER),
                             ("外层.zip/~$报告.docx", LEFTOVER_MEMBER), ("锁.zip/加密.txt", ENCRYPTED_MEMBER)]


@pytest.fixture(scope="module")
def gigabyte_of_zeros() -> bytes:
    """A zip of one member of 1 GB of zeros (about 1 MB compressed)."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, \
            archive.open("零.txt", "w", force_zip64=True) as member:
        block = bytes(MB)
        for _ in range(1024):
            member.write(block)
    return data.getvalue()


def test_a_zip_bomb_stops_at_the_limit_with_the_reason(tmp_path, gigabyte_of_zeros):
    assert len(gigabyte_of_zeros) < 5 * MB
    after = zipped({"之后.txt": b"x" * 100})
    saved = save_uploads([upload("炸弹.zip", gigabyte_of_zeros), upload("后一个.zip", after)], tmp_path, BATCH)
    assert saved.taken == []
    assert saved.refused == [("炸弹.zip/零.txt", "压缩包解压后的内容超过 10 MB 的上限，此文件未解压"),
                             ("后一个.zip/之后.txt", "压缩包解压后的内容超过 10 MB 的上限，此文件未解压")]
    assert files_in(tmp_path) == []


def _lie_about_size(raw: bytes, size: int) -> bytes:
    """Every header of ``raw`` claiming the member unpacks to ``size`` bytes."""
    out = bytearray(raw)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = out.find(signature)
        struct.pack_into("<I", out, start + offset, size)
    return bytes(out)


def test_a_member_whose_header_lies_about_its_size_is_stopped(tmp_path):
    honest = zipped({"谎报.txt": bytes(30 * MB)})
    small = save_uploads([upload("小.zip", _lie_about_size(honest, 100))], tmp_path / "small", BATCH)
    assert small.taken == [] and small.refused == [("小.zip/谎报.txt", DAMAGED_MEMBER)]
    assert files_in(tmp_path / "small") == []
    big_claim = save_uploads([upload("巨.zip", _lie_about_size(honest, 0xFFFFFFF0))], tmp_path / "claim", BATCH)
    assert big_claim.taken == []
    assert big_claim.refused == [("巨.zip/谎报.txt", "压缩包解压后的内容超过 10 MB 的上限，此文件未解压")]
    assert files_in(tmp_path / "claim") == []


def test_the_directory_size_is_read_from_the_end_record(tmp_path):
    path = tmp_path / "a.zip"
    path.write_bytes(zipped({"一.txt": b"1", "二/三.txt": b"23"}))
    with zipfile.ZipFile(path) as archive:
        expected = sum(46 + len(i.filename.encode()) + len(i.extra) + len(i.comment) for i in archive.infolist())
    assert directory_size(path) == expected
    path.write_bytes(b"PK\x03\x04 no end record")
    assert directory_size(path) is None


def test_a_zip_whose_directory_is_larger_than_its_files_could_need_is_not_opened(tmp_path):
    """20,000 empty members (a directory of 1.7 MB) where 2 files are allowed: the directory alone is
    more than the 1,000 parts any document has, so nothing reads it."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for n in range(20_000):
            archive.writestr(f"folder-with-a-long-name/{n:08d}-empty-member.txt", b"")
    saved = save_uploads([upload("多.zip", data.getvalue())], tmp_path, Limits(total_bytes=50 * MB, files=2,
                                                                               unzipped_bytes=MB))
    assert saved.taken == []
    assert saved.refused == [("多.zip", "压缩包的目录大于 1000 个文件所需，未打开；请分成几个压缩包上传")]
    assert files_in(tmp_path) == []
