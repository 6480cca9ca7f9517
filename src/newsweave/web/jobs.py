"""Write jobs: a POST queues its records and answers at once; one thread hands the jobs,
in order, to the write worker process (see :mod:`newsweave.web.writer`)."""

from __future__ import annotations

import atexit
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from newsweave.web.writer import Record

MAX_WAITING = 16  # jobs queued behind the running one; more is refused
KEPT_JOBS = 1000  # finished jobs remembered for GET /api/v1/jobs/{id}
STOP_GRACE_SECONDS = 15.0  # how long closing waits for a running job


class Busy(Exception):
    """Too many jobs are waiting."""


class WorkerGone(Exception):
    """The write worker died during a job."""


@dataclass(slots=True)
class Job:
    """One POST's records and, once done, their report."""

    id: str
    records: Sequence[Record] | None
    state: str = "queued"  # then "running", then "done" or "failed"
    report: dict[str, Any] | None = None
    error: str | None = None
    queued_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    finished: Future[None] = field(default_factory=Future)

    @property
    def over(self) -> bool:
        return self.state in ("done", "failed")

    def finish(self, answer: dict[str, Any]) -> None:
        """Keep the worker's answer (``{"report": …}`` or ``{"error": …}``): the job is over."""
        if self.over:
            return
        self.report, self.error = answer.get("report"), answer.get("error")
        self.finished_at = time.time()
        self.state = "failed" if self.error else "done"
        self.finished.set_result(None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "url": f"/api/v1/jobs/{self.id}",
            "queued_at": self.queued_at,
            "finished_at": self.finished_at,
            "report": self.report,
            "error": self.error,
        }


class WriteWorker:
    """The one process that writes, started when first needed and again after a crash.

    It is ``python -m newsweave.web.writer``, a fresh interpreter: no fork of a threaded
    server, and no import of whatever main module the server runs under."""

    def __init__(self, db: str, aliases: str | None) -> None:
        self.db = db
        self.aliases = aliases
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None

    def run(self, records: Sequence[Record]) -> dict[str, Any]:
        """The worker's answer for ``records``: ``{"report": …}`` or ``{"error": …}``."""
        connection = self._started()
        try:
            connection.send(list(records))
            answer: dict[str, Any] = connection.recv()
        except (EOFError, OSError) as error:
            self.stop(grace=0)
            raise WorkerGone("the write worker stopped during the job") from error
        return answer

    def _started(self) -> Connection:
        if self._connection is not None and self._process and self._process.poll() is None:
            return self._connection
        self.stop(grace=0)
        ours, theirs = socket.socketpair()
        with theirs:  # closed here once the worker has it: it sees end-of-file when we go
            command = [sys.executable, "-m", "newsweave.web.writer", str(theirs.fileno())]
            self._process = subprocess.Popen(
                [*command, self.db, *([self.aliases] if self.aliases else [])],
                stdin=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
            )
        self._connection = Connection(ours.detach())
        # before multiprocessing's exit hook, and so a server that never shut down cleanly
        # does not leave the worker behind
        atexit.register(self.stop, STOP_GRACE_SECONDS)
        return self._connection

    def stop(self, grace: float) -> None:
        """End the worker: it leaves its loop when its socket closes; after ``grace``
        seconds it is terminated."""
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            try:
                self._process.wait(grace)
            except subprocess.TimeoutExpired:
                self._process.terminate()
                self._process.wait(5)
        self._process = self._connection = None
        atexit.unregister(self.stop)


class WriteJobs:
    """Queued write jobs, run one at a time in order, and the outcome of recent ones."""

    def __init__(self, db: str, aliases: str | None) -> None:
        self._worker = WriteWorker(db, aliases)
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsweave-writes")

    def submit(self, records: Sequence[Record]) -> Job:
        """Queue ``records``; raises :class:`Busy` when too many jobs wait already."""
        with self._lock:
            waiting = sum(1 for job in self._jobs.values() if job.state == "queued")
            if waiting >= MAX_WAITING:
                raise Busy(f"{waiting} write jobs are waiting: try again later")
            job = Job(secrets.token_hex(12), records)
            self._jobs[job.id] = job
            self._forget_old()
        self._runner.submit(self._run, job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def close(self) -> None:
        """Drop the waiting jobs, let the running one finish (for a while), stop the worker."""
        self._runner.shutdown(wait=False, cancel_futures=True)
        with self._lock:
            unfinished = [job for job in self._jobs.values() if not job.over]
        for job in unfinished:
            if job.state == "queued":
                job.finish({"error": "the server stopped before the job ran"})
            _wait(job.finished, STOP_GRACE_SECONDS)
        self._worker.stop(grace=5)

    def _run(self, job: Job) -> None:
        job.state = "running"
        records, job.records = job.records or [], None
        try:
            answer = self._worker.run(records)
        except WorkerGone as error:
            answer = {"error": str(error)}
        job.finish(answer)

    def _forget_old(self) -> None:
        while len(self._jobs) > KEPT_JOBS:
            oldest = next(iter(self._jobs.values()))
            if not oldest.over:
                return
            self._jobs.popitem(last=False)


def _wait(future: Future[None], seconds: float) -> None:
    with suppress(TimeoutError):
        future.result(timeout=seconds)
