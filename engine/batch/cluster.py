"""The per-report work on a Dask distributed cluster (``--dask ADDRESS``; ``--dask local`` starts one on
this machine): an :class:`engine.batch.pool.Executor` like the local worker pool.

A worker needs this package installed (the same version: ``pip install ogi-audit``, with its
dependencies) and the inputs, the rules folder and the output folder under the same paths as here
(shared storage): tasks carry paths, not files. Tasks are handed out a window at a time, not all at
once, so that neither the scheduler nor this process holds a nation's reports in memory. A task that
raises is run once more (Dask's ``retries``); one whose worker dies is moved to another by the scheduler
until it has killed several (``distributed.scheduler.allowed-failures``); either way a task that does not
succeed is given back as a Failure with the reason. The per-report time limit of the local pool is not
enforced here: a Dask worker runs tasks in threads, which cannot be stopped; the scheduler's dashboard
shows a task that hangs.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from .pipeline import BatchError
from .pool import Failure, default_jobs, describe

#: Tasks in flight per worker thread.
WINDOW = 4


class DaskPool:
    def __init__(self, client: Any, cluster: Any = None) -> None:
        self.client, self.cluster = client, cluster
        self.jobs = max(1, sum(client.nthreads().values()))

    @classmethod
    def connect(cls, address: str) -> DaskPool:
        """The cluster at ``address``, or ``local``: a new one of one single-threaded worker process per
        core on this machine."""
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise BatchError("未安装 Dask（pip install 'distributed'），不能使用 --dask") from None
        if address == "local":
            cluster = LocalCluster(n_workers=default_jobs(), threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            return cls(Client(cluster), cluster)
        try:
            return cls(Client(address, timeout=30))
        except (OSError, TimeoutError) as error:
            raise BatchError(f"无法连接 Dask 调度器 {address}（{error}）；请检查地址和端口，"
                             "或用 --dask local 在本机启动一个") from None

    def run(self, function: Callable[[Any], Any], tasks: Sequence[Any]) -> Iterator[tuple[int, Any]]:
        from distributed import as_completed
        position: dict[str, int] = {}
        following = iter(range(len(tasks)))

        def submit() -> Any:
            index = next(following, None)
            if index is None:
                return None
            future = self.client.submit(function, tasks[index], pure=False, retries=1)
            position[future.key] = index
            return future

        first = [future for _ in range(self.jobs * WINDOW) if (future := submit()) is not None]
        running = as_completed(first)
        for future in running:
            index = position.pop(future.key)
            try:
                result = future.result()
            except Exception as error:  # noqa: BLE001 - the task's fault (or its worker's end) is its result
                result = Failure(f"在 Dask 集群上处理时出错（{describe(error)}）")
            future.release()
            yield index, result
            if (following_future := submit()) is not None:
                running.add(following_future)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
