"""Faults planted in a batch's workers, for tests/test_batch.py: a report whose text holds a marker
kills its worker process or hangs, as a crash in durable-rules' C code or a parser caught in a loop
would. The marker is in the report's content, so nothing here depends on a file's name."""
from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from engine.batch.pool import LocalPool

CRASH, HANG = "测试：使工作进程崩溃", "测试：使工作进程卡住"


def _faulty(function: Callable[[Any], Any], task: Any) -> Any:
    text = Path(task.path).read_bytes().decode("utf-8", "ignore") if hasattr(task, "path") else ""
    if CRASH in text:
        os.kill(os.getpid(), signal.SIGSEGV)
    if HANG in text:
        time.sleep(3600)
    return function(task)


class FaultyPool(LocalPool):
    """A LocalPool whose reading tasks meet the planted faults."""

    def run(self, function: Callable[[Any], Any], tasks: Any):
        return super().run(partial(_faulty, function), tasks)
