"""The rule editor's previews (engine.web.rule_preview) run in the background, one thread each, so that
no request waits for a batch to be audited again: behind the office's web server (nginx answers 504
after 60 s by default) a preview of a large batch would otherwise fail however long it was allowed.

:class:`PreviewJobs` is the app's service ``previews`` (WebState.services): :meth:`~PreviewJobs.start`
answers at once with a :class:`PreviewJob`, whose id is an unguessable token, and the page asks for it
by that id (:meth:`~PreviewJobs.find`) until it is finished. A job is found only by the account that
started it: another account is told there is no such preview, as for an id never given.

Bounds: one preview running at a time per account (a second is refused until the first ends), at most
:data:`RUNNING_AT_ONCE` running for all accounts together (each starts its own worker processes, on a
machine the batches and the self-checks share), each bounded by ``WebConfig.preview_seconds``. Memory:
an account keeps only its last preview (a new one forgets those before), and a finished one is
forgotten :data:`KEEP_SECONDS` after it ended.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ..history.store import HistoryStore
from .config import WebConfig
from .rule_drafts import RuleFile
from .rule_preview import Limits, Preview, preview
from .state import WebState

log = logging.getLogger(__name__)

#: The service's name in WebState.services.
SERVICE = "previews"
#: Previews running at once, all accounts together.
RUNNING_AT_ONCE = 2
#: Seconds a finished preview stays to be read; then it is forgotten.
KEEP_SECONDS = 600.0
#: Seconds the server's stop waits for the previews running (told to stop at the next report done).
CLOSE_WAIT = 10.0
#: A job's states, as the API answers them.
RUNNING, DONE, FAILED = "running", "done", "failed"
#: What a running job says before its audit has started.
PREPARING = "准备预览"


class Refused(Exception):
    """A preview that cannot start now: ``str()`` says why; ``status`` is the HTTP answer (409: this
    account's preview is still running; 503: too many running, or the server is stopping)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class PreviewJob:
    """One preview: whose it is, what it previews, how far it has got, and its result once finished."""

    id: str
    account: str
    file: RuleFile
    limit: float  #: the preview's time limit, in seconds
    started: float = field(default_factory=time.monotonic)
    #: The current stage, the reports done in it and its reports (one tuple: read whole by the pages).
    progress: tuple[str, int, int] = (PREPARING, 0, 0)
    result: Preview | None = None
    finished: float | None = None

    @property
    def state(self) -> str:
        return _state_of(self.result)

    @property
    def seconds(self) -> float:
        """Seconds it has run, or ran."""
        return (self.finished or time.monotonic()) - self.started

    def progressed(self, stage: str, done: int, total: int) -> None:
        self.progress = (stage, done, total)

    def to_dict(self) -> dict[str, Any]:
        """As the API answers it: the state and progress, and once finished the result."""
        stage, done, total = self.progress
        result = self.result  # read once: the job's thread may set it meanwhile
        return {"state": _state_of(result), "file": self.file.name, "stage": stage, "done": done, "total": total,
                "seconds": round(self.seconds, 1), "limit": self.limit,
                **(result.to_dict() if result is not None else {})}


def _state_of(result: Preview | None) -> str:
    if result is None:
        return RUNNING
    return DONE if result.reason is None else FAILED


class PreviewJobs:
    """The app's previews (see the module docstring)."""

    def __init__(self, state: WebState) -> None:
        self._state = state
        self._jobs: dict[str, PreviewJob] = {}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def start(self, account: str, file: RuleFile, text: str) -> PreviewJob:
        """A preview of ``file`` holding ``text`` for ``account``, started; :class:`Refused` if it
        cannot start now."""
        config, store = self._state.config, self._state.store
        with self._lock:
            self._forget_finished()
            if self._stop.is_set():
                raise Refused("服务器正在停止，不能预览；请稍后再试。", 503)
            mine = [job for job in self._jobs.values() if job.account == account]
            if any(job.state == RUNNING for job in mine):
                raise Refused("您的上一次预览还在进行，请等它完成后再预览。", 409)
            running = sum(1 for job in self._jobs.values() if job.state == RUNNING)
            if running >= RUNNING_AT_ONCE:
                raise Refused(f"已有 {running} 次预览正在进行（最多同时进行 {RUNNING_AT_ONCE} 次），请稍后再试。", 503)
            for job in mine:
                del self._jobs[job.id]
            job = PreviewJob(secrets.token_urlsafe(24), account, file, config.preview_seconds)
            self._jobs[job.id] = job
            limits = Limits(config.jobs, config.check_seconds, config.preview_seconds, self._stop)
            thread = threading.Thread(target=self._run, args=(job, store, config, text, limits),
                                      name=f"ogi-audit-preview-{job.id[:8]}", daemon=True)
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return job

    def find(self, job_id: str, account: str) -> PreviewJob | None:
        """The preview ``job_id`` if ``account`` started it and it is not forgotten yet."""
        with self._lock:
            self._forget_finished()
            job = self._jobs.get(job_id)
        return job if job is not None and job.account == account else None

    def close(self) -> None:
        """Tell the running previews to stop, and wait up to :data:`CLOSE_WAIT` seconds for them."""
        self._stop.set()
        deadline = time.monotonic() + CLOSE_WAIT
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))

    def _run(self, job: PreviewJob, store: HistoryStore, config: WebConfig, text: str, limits: Limits) -> None:
        try:
            result = preview(store, config.data_dir, config.rules_dir, job.file, text, limits, job.progressed)
        except Exception:
            log.exception("preview %s failed", job.id[:8])
            result = Preview(reason="预览过程中服务器出错，没有结果。请联系管理员查看服务器日志。")
        job.result = result
        job.finished = time.monotonic()

    def _forget_finished(self) -> None:
        now = time.monotonic()
        for job in [job for job in self._jobs.values() if job.finished is not None
                    and now - job.finished >= KEEP_SECONDS]:
            del self._jobs[job.id]


def jobs(state: WebState) -> PreviewJobs:
    """The app's previews (made by engine.web.rules_editor's install)."""
    return state.services[SERVICE]  # type: ignore[return-value]
