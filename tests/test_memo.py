"""The parser's caches keep short texts only, so that a batch of long crawled pages runs in flat memory."""
from __future__ import annotations

from engine.memo import KEPT, LONGEST, short_texts


def test_a_short_text_is_worked_out_once_and_a_long_one_every_time() -> None:
    calls: list[str] = []

    @short_texts
    def length(text: str, extra: int) -> int:
        calls.append(text)
        return len(text) + extra

    short, long = "一、总体情况", "数" * (LONGEST + 1)
    assert [length(short, 1), length(short, 1), length(long, 0), length(long, 0)] == [7, 7, LONGEST + 1, LONGEST + 1]
    assert calls == [short, long, long]


def test_a_text_that_recurs_stays_while_the_others_pass_through() -> None:
    calls: list[str] = []

    @short_texts
    def echo(text: str) -> str:
        calls.append(text)
        return text

    for n in range(3 * KEPT):
        assert echo("表三") == "表三"  # asked between every other text, as a label is in every report
        assert echo(f"第{n}行") == f"第{n}行"
    assert calls.count("表三") == 1
    # Only so many are kept: the first of the others, not asked for since, is worked out again.
    echo("第0行")
    assert calls.count("第0行") == 2
