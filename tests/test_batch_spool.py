"""The spool (engine.batch.spool): items appended to one segment a writer and found again by their Ref,
whichever thread or process wrote them; a spool changed under the batch is said so, never read wrong."""
from __future__ import annotations

import threading
from concurrent.futures import ProcessPoolExecutor

import pytest

from engine.batch import spool
from engine.batch.spool import Ref, SpoolError


def _put_many(folder: str, start: int) -> list[tuple[int, Ref]]:
    from pathlib import Path
    return [(n, spool.put(Path(folder), {"n": n, "text": "报告" * n})) for n in range(start, start + 50)]


def test_items_written_by_threads_and_processes_at_once_are_each_found_again(tmp_path):
    found: list[tuple[int, Ref]] = []
    threads = [threading.Thread(target=lambda s=start: found.extend(_put_many(str(tmp_path), s)))
               for start in (0, 100, 200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with ProcessPoolExecutor(2) as pool:
        for made in pool.map(_put_many, [str(tmp_path)] * 2, (300, 400)):
            found += made
    assert len(found) == 250
    for n, ref in found:
        assert spool.get(tmp_path, ref) == {"n": n, "text": "报告" * n}
    assert 2 <= len(list(tmp_path.iterdir())) <= 5  # a segment a writer at a time: no more than threads and processes


def test_an_item_rewritten_is_read_as_written_last(tmp_path):
    first = spool.put(tmp_path, "第一次")
    second = spool.put(tmp_path, "第二次")
    assert (spool.get(tmp_path, first), spool.get(tmp_path, second)) == ("第一次", "第二次")


def test_a_segment_cut_short_is_an_error_not_a_wrong_item(tmp_path):
    ref = spool.put(tmp_path, "完整的一项" * 100)
    segment = tmp_path / ref.segment
    segment.write_bytes(segment.read_bytes()[:ref.length // 2])
    with pytest.raises(SpoolError, match="不完整"):
        spool.get(tmp_path, ref)



def test_a_report_kept_in_the_spool_is_read_back_cell_for_cell(tmp_path):
    """Tables are pickled without their label indexes (engine.model.Table.__reduce__): read back,
    every cell is the one read, blank or not read alike, and the labels still find them.
    A generated report with blank cells, and a row whose run-together digits have two readings (not
    read: tests/test_parse_quirks.py) with every other row of its table missing."""
    from engine.parse import parse_text
    from tests.generator import render
    from tests.generator.spec import random_spec
    generated = parse_text(render(random_spec(7, "2021", blank_rate=0.5), "tab").text)
    ambiguous = parse_text("某局2020年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
                           "一、本年新收政府信息公开申请数量110000011\n")
    assert any(cell is not None and cell.blank for table in generated.tables.values() for cell in table.each_cell())
    assert ambiguous.tables["三"].unreadable_rows and ambiguous.tables["三"].missing_rows
    for report in (generated, ambiguous):
        back = spool.get(tmp_path, spool.put(tmp_path, report))
        assert back == report
        for name, table in report.tables.items():
            again = back.tables[name]
            assert (again.rows, again.columns, again.missing_rows, again.unreadable_rows, again.line) == \
                (table.rows, table.columns, table.missing_rows, table.unreadable_rows, table.line)
            assert again.by_label() == table.by_label()
            assert [cell.raw for cell in again.each_cell() if cell] == [cell.raw for cell in table.each_cell() if cell]
