"""Where the per-report work runs: in this process, in worker processes on this machine, or on a Dask
cluster (engine.batch.cluster). The contract of every executor is :class:`Executor`.

Worker processes, not threads: durable-rules' C core and its timer threads are not safe to share
between threads, so each process keeps its own rule engine (engine.batch.tasks). A worker process is
also a wall between one bad report and the batch: a report that makes a task raise, that runs past the
time limit, or that kills its process (durable-rules is C code) is tried once more in a fresh process,
and otherwise given back as a :class:`Failure` with the reason, which the pipeline lists as that input's
reason for not being audited. The other reports go on.

A worker stopped takes what it started with it: a LibreOffice converting an old Word file runs in a
process group of its own (engine.parse.readers.legacy), which the worker's end would otherwise leave
running, so the pool stops the groups of a worker's descendants before the worker.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

from ..os_reasons import process_end

#: Seconds one task may run before its worker is stopped (``--time-limit``).
TIME_LIMIT = 120.0
#: Tasks a worker runs before it is replaced by a fresh one: what a worker's caches and allocator keep
#: grows with the reports it has seen (measured: benchmarks/worker_memory.py), and a batch of a
#: nation's reports must run in flat memory. A fresh worker's set-up costs about 0.3 s of CPU.
TASKS_PER_WORKER = 2000


@dataclass(frozen=True)
class Failure:
    """A task that did not give a result, twice: why, in words for the office's list of inputs."""

    reason: str


class Executor(Protocol):
    """Runs one function over many tasks. ``run`` yields ``(index, result)`` as each task finishes, in
    any order (the pipeline puts them back in input order): the function's return value, or a
    :class:`Failure` when the task raised, ran past the time limit or ended its process, on its first
    try and on the retry in a fresh process. The function and the tasks must pickle (they travel to
    other processes); the function must be importable at module level."""

    jobs: int

    def run(self, function: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]: ...

    def close(self) -> None: ...


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


class InProcess:
    """Every task in this process, one after the other: for ``run_audit`` called as a library and for
    tests. A task that raises is a Failure; there is no fresh process to retry in, nor a time limit."""

    jobs = 1

    def run(self, function: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        for index, task in enumerate(tasks):
            try:
                yield index, function(task)
            except Exception as error:  # noqa: BLE001 - one task's fault is that task's result
                yield index, Failure(f"程序出错（{describe(error)}）")

    def close(self) -> None:
        pass


def _serve(connection: Connection, warm: Callable[[], Any] | None) -> None:
    """A worker process: set up (``warm``), say so, then run each (index, function, task) received and
    send back (index, ok, result)."""
    if warm is not None:
        warm()
    connection.send(_READY)
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        if message is None:
            return
        index, function, task = message
        try:
            connection.send((index, True, function(task)))
        except Exception as error:  # noqa: BLE001 - sent back as this task's failure
            connection.send((index, False, f"{describe(error)}\n{traceback.format_exc(limit=3)}"))


#: What a worker sends once it is set up.
_READY = "ready"
#: Seconds a worker may take to set up (import the engine, compile the rules) before it is taken for hung.
SET_UP_LIMIT = 120.0


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    task: int | None = None  #: the index of the task it is running
    started: float = field(default_factory=time.monotonic)  #: when its task (or its set-up) began
    ready: bool = False
    done: int = 0  #: tasks it has given a result for


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux's /proc; elsewhere, or once it has ended, none)."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    found = []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listed:
                found += [int(child) for child in listed.read().split()]
        except OSError:
            continue
    return found


def descendants(pid: int) -> list[int]:
    """The processes ``pid`` started and theirs."""
    found, stack = [], children(pid)
    while stack:
        current = stack.pop()
        found.append(current)
        stack += children(current)
    return found


def _kill(process: multiprocessing.process.BaseProcess) -> None:
    """Kill a worker and every process it started, with the process groups they lead: a LibreOffice
    launcher's group holds the ``soffice.bin`` it started. The worker is frozen first, so that it
    starts nothing more while its descendants are found."""
    try:
        os.kill(process.pid, signal.SIGSTOP)
    except ProcessLookupError:
        return
    ours = os.getpgrp()
    for pid in descendants(process.pid):
        try:
            group = os.getpgid(pid)
            if group != ours:
                os.killpg(group, signal.SIGKILL)
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            continue
    process.kill()


class LocalPool:
    """``jobs`` worker processes on this machine (``--jobs``), each started with ``spawn`` so that it
    shares no threads or open connections with this process.

    Tasks are handed out one at a time, so that a slow report holds up one worker only. A worker that
    ends while running a task (a crash), or is stopped because its task ran past ``time_limit``, is
    replaced by a fresh one; so is the worker of a task that raised, since the fault may have left it
    in a bad state. Each such task is tried once more, and a second failure is its result. A worker
    that has run ``tasks_per_worker`` tasks is let go (it ends once told to) and a fresh one started
    for the next task once it has ended, so that a long batch runs in the memory of a short one."""

    def __init__(self, jobs: int, time_limit: float = TIME_LIMIT, warm: Callable[[], Any] | None = None,
                 tasks_per_worker: int = TASKS_PER_WORKER) -> None:
        self.jobs = max(1, jobs)
        self.time_limit = time_limit
        self.warm = warm
        self.tasks_per_worker = tasks_per_worker
        self._context = multiprocessing.get_context("spawn")
        self._workers: list[_Worker] = []
        self._leaving: list[multiprocessing.process.BaseProcess] = []  #: workers let go, not yet ended

    def _start(self) -> _Worker:
        self._see_off()  # a worker let go ends before its successor starts: never one worker more
        mine, theirs = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(theirs, self.warm), daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, mine)

    def _stop(self, worker: _Worker) -> None:
        if worker.process.is_alive():
            _kill(worker.process)
        worker.process.join()
        worker.connection.close()
        self._workers.remove(worker)

    def _let_go(self, worker: _Worker) -> None:
        """Tell an idle worker to end, without waiting for it (:meth:`_see_off` does)."""
        try:
            worker.connection.send(None)
        except OSError:
            pass
        worker.connection.close()
        self._workers.remove(worker)
        self._leaving.append(worker.process)

    def run(self, function: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        waiting = deque(range(len(tasks)))
        tries = [0] * len(tasks)
        running: dict[int, _Worker] = {}

        def hand_out() -> None:
            while waiting and len(running) < self.jobs:
                idle = [w for w in self._workers if w.task is None]
                worker = idle[0] if idle else self._start()
                if not idle:
                    self._workers.append(worker)
                index = waiting.popleft()
                tries[index] += 1
                worker.task = index
                if worker.ready:
                    worker.started = time.monotonic()
                worker.connection.send((index, function, tasks[index]))
                running[index] = worker

        def failed(worker: _Worker, reason: str) -> Iterator[tuple[int, Any]]:
            index = worker.task
            del running[index]
            self._stop(worker)
            if tries[index] < 2:
                waiting.appendleft(index)
            else:
                yield index, Failure(reason)

        hand_out()
        while running:
            by_handle = {w.connection: w for w in running.values()} | {w.process.sentinel: w for w in running.values()}
            soonest = min(w.started + self._limit(w) for w in running.values())
            ready = wait(list(by_handle), timeout=max(0.0, soonest - time.monotonic()))
            done: set[int] = set()
            for handle in ready:
                worker = by_handle[handle]
                if id(worker) in done or worker.task is None:
                    continue
                done.add(id(worker))
                if handle is worker.connection or worker.connection.poll():
                    try:
                        message = worker.connection.recv()
                    except (EOFError, OSError):
                        yield from failed(worker, _ended(worker))
                        continue
                    if message == _READY:
                        worker.ready, worker.started = True, time.monotonic()
                        continue
                    index, ok, result = message
                    if ok:
                        del running[index]
                        worker.task, worker.done = None, worker.done + 1
                        if worker.done >= self.tasks_per_worker:
                            self._let_go(worker)
                        hand_out()  # before the result is used: the worker is not kept waiting meanwhile
                        yield index, result
                    else:
                        yield from failed(worker, f"程序出错（{result.splitlines()[0]}）")
                else:
                    yield from failed(worker, _ended(worker))
            now = time.monotonic()
            for worker in [w for w in running.values() if now - w.started > self._limit(w)]:
                yield from failed(worker, f"处理时间超过 {self.time_limit:g} 秒，已停止" if worker.ready
                                  else f"工作进程 {SET_UP_LIMIT:g} 秒内未能启动")
            hand_out()

    def _limit(self, worker: _Worker) -> float:
        return self.time_limit if worker.ready else SET_UP_LIMIT

    def close(self) -> None:
        for worker in list(self._workers):
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.process.join(timeout=5)
            self._stop(worker)
        self._see_off()

    def _see_off(self) -> None:
        """Wait for the workers let go to end (as told; killed if they have not after 5 s)."""
        for process in self._leaving:
            process.join(timeout=5)
            if process.is_alive():
                _kill(process)
                process.join()
        self._leaving.clear()


def _ended(worker: _Worker) -> str:
    worker.process.join(timeout=5)
    return f"处理它的工作进程意外终止（{process_end(worker.process.exitcode)}）"


def default_jobs() -> int:
    """Every core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1
