"""The peak memory (tracemalloc) of the audit command's own process over one batch, in a fresh
interpreter, so that nothing another test left running in the test process is counted:
``python -m tests.batch_memory_probe FOLDER OUT CHUNK`` prints the peak in bytes. The audit runs on one
worker process, so the reading and auditing are not counted: only what the batch keeps."""
from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import engine.audit
import engine.render
from engine.cli import main


def peak(folder: Path, out: Path, chunk: int) -> int:
    engine.audit.CHUNK = engine.render.CHUNK = chunk
    main(["audit", str(folder), "-o", str(out / "warm"), "--no-db", "--quiet", "--jobs", "1", "--outputs", "json"])
    tracemalloc.start()
    status = main(["audit", str(folder), "-o", str(out / "audit"), "--no-db", "--quiet", "--jobs", "1"])
    if status not in (0, 1):
        raise SystemExit(f"the audit exited {status}")
    return tracemalloc.get_traced_memory()[1]


if __name__ == "__main__":
    print(peak(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
