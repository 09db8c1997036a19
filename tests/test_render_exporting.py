"""The exports written in a thread of their own (engine.render.exporting): every audit to every writer,
in the order given; a writer's failure raised to the caller, never lost with the thread."""
from __future__ import annotations

import threading

import pytest

from engine.render.exporting import Exports


class _Kept:
    def __init__(self, fail_at: int | None = None) -> None:
        self.added, self.fail_at = [], fail_at

    def add(self, audit) -> None:
        if len(self.added) == self.fail_at:
            raise OSError(28, "No space left on device")
        self.added.append(audit)

    def close(self) -> None:
        pass


def test_every_audit_reaches_every_writer_in_order():
    writers = [_Kept(), _Kept()]
    exports = Exports(writers)
    for start in range(0, 500, 64):
        exports.add(list(range(start, min(start + 64, 500))))
    exports.finish()
    assert writers[0].added == writers[1].added == list(range(500))


def test_a_writers_failure_is_raised_by_finish_or_the_next_add():
    exports = Exports([_Kept(fail_at=70)])
    with pytest.raises(OSError, match="No space left"):
        for start in range(0, 640, 64):
            exports.add(list(range(start, start + 64)))
        exports.finish()
    exports.stop()  # and the thread is gone


def test_stop_without_finish_ends_the_thread():
    exports = Exports([_Kept()])
    exports.add([1, 2, 3])
    exports.stop()
    exports.stop()
    assert "ogi-audit-exports" not in {thread.name for thread in threading.enumerate()}
