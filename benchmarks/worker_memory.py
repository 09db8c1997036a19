"""What a batch worker keeps as it goes (issue 10): one worker's loop run in this process over the
scale benchmark's generated reports, sampled every ``--every`` reports.

    python benchmarks/worker_memory.py [--reports 5000] [--every 500] [--freeze] [--trim] [--tracemalloc]

Each report is read and audited as a worker does it (engine.batch.tasks.read_and_audit, into a spool
folder that is emptied as it goes, as the batch's own process would read it), and each sample prints
the resident memory, the count of objects the garbage collector tracks, the entries of every cache of
ours (engine.memo's, the rendered messages, each ``functools.lru_cache``) and, with ``--tracemalloc``,
the bytes Python has allocated, then the lines of code whose allocations grew most since the first
sample, and the time taken so far, on the clock and of the processor. ``--freeze`` calls ``gc.freeze()`` after the set-up (as a worker of the pool does); ``--trim``
calls glibc's ``malloc_trim(0)`` before each sample, to tell memory freed but kept by malloc from
memory in use.
"""
from __future__ import annotations

import argparse
import ctypes
import re
import functools
import gc
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scale import corpus  # noqa: E402

from engine import RULES_DIR  # noqa: E402
from engine.batch import tasks  # noqa: E402
from engine.rules import messages  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


_LIBC = ctypes.CDLL("libc.so.6")
_LIBC.mallinfo2.restype = _Mallinfo2


def malloc_mb() -> tuple[float, float]:
    """glibc malloc's bytes in use (small blocks and mmapped ones) and bytes free but kept in its heap."""
    info = _LIBC.mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20, info.fordblks / 2**20


def pymalloc_mb() -> tuple[float, float]:
    """Bytes of Python's own allocator (objects up to 512 bytes) in blocks in use and in its arenas, from
    sys._debugmallocstats."""
    import io
    import os
    read, write = os.pipe()
    saved = os.dup(2)
    os.dup2(write, 2)
    try:
        sys._debugmallocstats()
    finally:
        os.dup2(saved, 2)
        os.close(write)
        os.close(saved)
    with os.fdopen(read, encoding="ascii", errors="replace") as stats:
        text = stats.read()
    used, arenas = (re.search(pattern + r"\s+=\s+([\d,]+)", text) for pattern in ("allocated blocks", "Total"))
    return tuple(int(found.group(1).replace(",", "")) / 2**20 for found in (used, arenas))


def caches() -> dict[str, int]:
    """Entries in each cache of ours: engine.memo's two generations, the rendered messages, lru_caches."""
    found = {"messages._RENDERED": len(messages._RENDERED)}
    for item in gc.get_objects():
        if isinstance(item, functools._lru_cache_wrapper) and item.__module__.startswith("engine"):
            found[f"lru {item.__module__}.{item.__qualname__}"] = item.cache_info().currsize
        elif callable(item) and getattr(item, "__closure__", None) and getattr(item, "__module__", "").startswith("engine") \
                and getattr(item, "__name__", "") != "call" and hasattr(item, "__wrapped__"):
            cells = {name: cell.cell_contents for name, cell in zip(item.__code__.co_freevars, item.__closure__)
                     if name in ("recent", "older")}
            if cells:
                found[f"memo {item.__module__}.{item.__qualname__}"] = sum(map(len, cells.values()))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=5000)
    parser.add_argument("--every", type=int, default=500)
    parser.add_argument("--freeze", action="store_true")
    parser.add_argument("--trim", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "ogi-audit-scale-corpus")
    args = parser.parse_args(argv)
    files = sorted(corpus(args.corpus, args.reports).rglob("*.txt"))[:args.reports]
    trim = _LIBC.malloc_trim if args.trim else None
    spool = Path(tempfile.mkdtemp(prefix="worker-memory-"))
    tasks.rule_engine(str(RULES_DIR))
    if args.freeze:
        gc.freeze()
    if args.tracemalloc:
        tracemalloc.start(8)
    first = None
    started, cpu = time.perf_counter(), time.process_time()
    try:
        for index, path in enumerate(files, 1):
            tasks.read_and_audit(tasks.ReadTask(str(path), str(RULES_DIR), str(spool)))
            for kept in spool.iterdir():
                kept.unlink()
            if index % args.every and index != len(files):
                continue
            if trim is not None:
                trim(0)
            line = (f"{index:>6} reports {time.perf_counter() - started:>6.1f} s (CPU {time.process_time() - cpu:.1f} s)  RSS {rss_mb():7.1f} MB  "
                    f"gc objects {len(gc.get_objects()):>8}  malloc in use %.1f free %.1f MB  pymalloc in use %.1f arenas %.1f MB"
                    % (*malloc_mb(), *pymalloc_mb()))
            if args.tracemalloc:
                line += f"  traced {tracemalloc.get_traced_memory()[0] / 2**20:6.1f} MB"
            print(line, " ".join(f"{name}={size}" for name, size in sorted(caches().items()) if size), flush=True)
            if args.tracemalloc:
                snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
                if first is None:
                    first = snapshot
                else:
                    for stat in snapshot.compare_to(first, "traceback")[:3]:
                        print(f"      {stat.size_diff / 1024:+9.1f} KB {stat.count_diff:+7d} blocks",
                              " <- ".join(f"{Path(frame.filename).name}:{frame.lineno}" for frame in stat.traceback[:4]))
    finally:
        shutil.rmtree(spool, ignore_errors=True)


if __name__ == "__main__":
    main()
