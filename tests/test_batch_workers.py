"""The batch's worker processes (engine.batch.pool.LocalPool): a worker is replaced after so many tasks,
with the same results, and a worker stopped at the time limit leaves nothing it started running, a
LibreOffice in the middle of converting an old Word file included (issue 10)."""
from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from apt_packages import apt_install
from engine.batch.pool import Failure, LocalPool
from engine.parse.readers import legacy


def _with_pid(number: int) -> tuple[int, int]:
    return number * 10, os.getpid()


def test_a_worker_is_replaced_after_its_tasks_with_the_same_results() -> None:
    pool = LocalPool(1, time_limit=60, tasks_per_worker=2)
    try:
        results = dict(pool.run(_with_pid, range(5)))
        processes = list(pool._leaving) + [worker.process for worker in pool._workers]
    finally:
        pool.close()
    assert [results[i][0] for i in range(5)] == [0, 10, 20, 30, 40]
    pids = [results[i][1] for i in range(5)]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]
    assert all(process.exitcode is not None for process in processes)


def _running(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "State:\tZ" not in status.read_text()
    except OSError:
        return False


def _ended(find, seconds: float = 5.0):
    """What ``find()`` still gives once it gives nothing or ``seconds`` have passed: a process killed
    ends once the kernel next runs it, which on a busy machine is not at once."""
    deadline = time.monotonic() + seconds
    while (found := find()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return found


def _sleeps_in_its_own_group(folder: str) -> None:
    """A task that starts a child in a session of its own, as the LibreOffice reader does, then hangs."""
    child = subprocess.Popen(["sleep", "600"], start_new_session=True)
    (Path(folder) / "pid").write_text(str(child.pid))
    time.sleep(600)


def test_a_worker_stopped_at_the_time_limit_takes_its_own_process_group_children(tmp_path: Path) -> None:
    pool = LocalPool(1, time_limit=2)
    try:
        results = dict(pool.run(_sleeps_in_its_own_group, [str(tmp_path)]))
    finally:
        pool.close()
    assert "处理时间超过 2 秒" in results[0].reason
    pid = int((tmp_path / "pid").read_text())
    assert not _ended(lambda: _running(pid)), f"the worker's child {pid} still runs"


@pytest.fixture(scope="module")
def soffice() -> str:
    """LibreOffice, installed with apt when missing and we are root; otherwise the test fails saying
    what to install: a test not run is not passed."""
    if legacy.office() is None:
        apt_install(["libreoffice-writer-nogui"])
    program = legacy.office()
    assert program, "apt installed libreoffice-writer-nogui, but soffice is not on PATH"
    return program


def _converts(size: int) -> bytes:
    """A task: an old Word file converted by LibreOffice (12 MB of text: some forty seconds of its work)."""
    line = "本年度共收到政府信息公开申请若干件，均已按期答复。" * 4 + "\n"
    return legacy.to_docx((line * (size // len(line.encode()))).encode(), ".doc", timeout=600)


def _offices(folder: Path) -> list[int]:
    """LibreOffice's processes converting in ``folder`` (their profile is there), still running."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if str(folder).encode() in command and b"office" in command and _running(int(entry)):
            found.append(int(entry))
    return found


def test_a_worker_stopped_while_libreoffice_converts_leaves_no_libreoffice(
        soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the worker's conversion keeps its profile here
    seen: set[int] = set()
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.1):
            seen.update(_offices(tmp_path))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    pool = LocalPool(1, time_limit=3)
    try:
        results = dict(pool.run(_converts, [12 << 20]))
    finally:
        pool.close()
        stop.set()
        watcher.join()
    assert isinstance(results[0], Failure) and "处理时间超过 3 秒" in results[0].reason, results[0]
    assert seen, "LibreOffice never ran: the test did not stop a conversion"
    assert _ended(lambda: _offices(tmp_path)) == [], "LibreOffice still runs after its worker was stopped"
