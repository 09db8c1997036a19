"""The peak memory (tracemalloc) of the audit command's own process over one batch, in a fresh
interpreter, so that nothing another test left running in the test process is counted:
``python -m tests.batch_memory_probe FOLDER OUT CHUNK [STORE]`` prints the peak in bytes. The audit runs
on one worker process, so the reading and auditing are not counted: only what the batch keeps. With
STORE (an SQLite history store's URL) the batch is audited against that store and recorded in it (its
priors taken from there); without, with no store. The run before the one measured fills the caches
that any batch fills (the parser's, the figures' cells), so that they are not taken for what the
batch keeps of each report."""
from __future__ import annotations

import shutil
import sys
import tracemalloc
from pathlib import Path

from sqlalchemy.engine import make_url

import engine.audit
import engine.history.prior
import engine.render
from engine.cli import main


def peak(folder: Path, out: Path, chunk: int, store: str | None = None) -> int:
    engine.audit.CHUNK = engine.render.CHUNK = chunk
    engine.history.prior.ASKED = chunk
    warm = ["--no-db"]
    if store:  # warmed on a copy, which the warm run records in: the audit measured reads the store as given
        out.mkdir(parents=True, exist_ok=True)
        copy = out / "warm.sqlite"
        shutil.copyfile(make_url(store).database, copy)
        warm = ["--db", f"sqlite:///{copy}"]
    main(["audit", str(folder), "-o", str(out / "warm"), *warm, "--quiet", "--jobs", "1", "--outputs", "json"])
    tracemalloc.start()
    status = main(["audit", str(folder), "-o", str(out / "audit"), *(["--db", store] if store else ["--no-db"]),
                   "--quiet", "--jobs", "1"])
    if status not in (0, 1):
        raise SystemExit(f"the audit exited {status}")
    return tracemalloc.get_traced_memory()[1]


if __name__ == "__main__":
    print(peak(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:5]))
