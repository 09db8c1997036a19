"""What a long batch shows while it runs, on stderr: a progress bar on a terminal (tqdm: reports done,
reports per second, time left), a plain line every :data:`EVERY` seconds otherwise (a log or CI keeps
lines, not a redrawn bar), nothing with ``--quiet``. stdout stays for the summary.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

#: Seconds between two plain progress lines.
EVERY = 10.0


class Progress:
    """One stage's progress: ``advance()`` once per task done. Use as a context manager."""

    def __init__(self, what: str, total: int, stream: TextIO | None = None) -> None:
        self.what, self.total, self.done = what, total, 0
        self.stream = stream
        self._bar = None
        self._started = self._shown = time.monotonic()

    @classmethod
    def quiet(cls, what: str, total: int) -> Progress:
        return cls(what, total, None)

    @classmethod
    def on_stderr(cls, what: str, total: int) -> Progress:
        return cls(what, total, sys.stderr)

    def __enter__(self) -> Progress:
        if self.stream is not None and self.total and self.stream.isatty():
            from tqdm import tqdm
            self._bar = tqdm(total=self.total, desc=self.what, unit="份", file=self.stream, dynamic_ncols=True)
        return self

    def advance(self) -> None:
        self.done += 1
        if self._bar is not None:
            self._bar.update()
        elif self.stream is not None and time.monotonic() - self._shown >= EVERY:
            self._line()

    def _line(self) -> None:
        self._shown = now = time.monotonic()
        rate = self.done / max(now - self._started, 1e-9)
        left = (self.total - self.done) / rate if rate else 0
        print(f"{self.what}：{self.done}/{self.total} 份，每秒 {rate:.1f} 份，约剩 {left:.0f} 秒",
              file=self.stream, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.stream is not None and self.total and self.done and time.monotonic() - self._started >= EVERY:
            self._line()
