"""Output names derived from source files: safe, Chinese kept, collisions told apart."""
from __future__ import annotations

from engine.render.names import MAX_LENGTH, stem, unique_names


def test_chinese_names_are_kept():
    assert stem("reports/2020-周村区科技局.txt") == "2020-周村区科技局"
    assert stem(r"C:\年报\2021-灵武市科学技术局.TXT") == "2021-灵武市科学技术局"


def test_no_name_can_leave_the_output_folder():
    for source in ("../../etc/passwd", "..", "/", "a/..\\..\\b.txt", "..\\x", "\x00\x1f", "./.hidden.txt"):
        name = stem(source)
        assert name and "/" not in name and "\\" not in name and not name.startswith("."), (source, name)
        assert name not in (".", "..")


def test_names_windows_refuses_are_changed():
    assert stem("con.txt") == "_con"
    assert stem('a<b>c:d"e|f?g*h.txt') == "a_b_c_d_e_f_g_h"
    assert len(stem("长" * 300 + ".txt")) == MAX_LENGTH


def test_collisions_get_numbers_in_order():
    assert unique_names(["a/2020-金凤区.txt", "b/2020-金凤区.txt", "2020-金凤区.TXT", "c/2020-金凤区-2.txt"]) == [
        "2020-金凤区", "2020-金凤区-2", "2020-金凤区-3", "2020-金凤区-2-2"]
    assert unique_names(["Report.txt", "report.txt"]) == ["Report", "report-2"]
