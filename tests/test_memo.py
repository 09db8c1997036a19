"""The parser's caches keep short texts only, so that a batch of long crawled pages runs in flat memory."""
from __future__ import annotations

from engine.memo import LONGEST, short_texts


def test_a_short_text_is_worked_out_once_and_a_long_one_every_time() -> None:
    calls: list[str] = []

    @short_texts
    def length(text: str, extra: int) -> int:
        calls.append(text)
        return len(text) + extra

    short, long = "一、总体情况", "数" * (LONGEST + 1)
    assert [length(short, 1), length(short, 1), length(long, 0), length(long, 0)] == [7, 7, LONGEST + 1, LONGEST + 1]
    assert calls == [short, long, long]
