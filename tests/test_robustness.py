"""Damaged input never ends in a traceback: a submission with lines lost, swapped or garbled gives a
Report (with warnings) and an audit, and random bytes give a clear ReportError.

The damage is random but seeded, so a failure reproduces; the answer asked is only "no exception",
because what a damaged report should read is what the other tests pin."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from engine.parse import ReportError, parse_bytes, parse_text
from engine.rules import load_engine

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "reports").glob("*.txt")) + sorted((ROOT / "tests" / "samples" / "fixtures").glob("*.txt"))
DAMAGE = "0123456789 \t|-—/.,，。（）()一二三四五六总计行政复议自然人2019年2021年1月1日12月31日统计期限<>&;\n１２"


def damaged(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    for _ in range(rng.randint(1, 10)):
        if not lines:
            break
        at, what = rng.randrange(len(lines)), rng.random()
        if what < 0.3:
            del lines[at]
        elif what < 0.6:
            cut = rng.randrange(len(lines[at]) + 1)
            noise = "".join(rng.choice(DAMAGE) for _ in range(rng.randint(1, 6)))
            lines[at] = lines[at][:cut] + noise + lines[at][cut:]
        else:
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(4))
def test_damaged_reports_parse_and_audit_without_a_traceback(seed: int) -> None:
    rng = random.Random(seed)
    engine = load_engine(ROOT / "rules")
    texts = [path.read_text(encoding="utf-8") for path in SOURCES]
    previous = None
    for _ in range(60):
        report = parse_text(damaged(rng.choice(texts), rng), "damaged.txt")
        audit = engine.audit(report, previous)
        assert audit.report is report
        previous = report


def test_random_bytes_are_refused_or_read_never_a_traceback() -> None:
    rng = random.Random(7)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randint(0, 3000)))
        try:
            report = parse_bytes(data, "random.bin")
        except ReportError as error:
            assert str(error).startswith("random.bin: ")
        else:
            assert report.source == "random.bin"
