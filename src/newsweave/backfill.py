"""The per-article work of an ingest on a Ray cluster, for :meth:`Newsweave.backfill`.

Ray tasks read the sources (a few ahead of the one being stored, each file's records in
batches) and annotate the articles in chunks, each Ray worker process loading the spaCy model
once. This process stays the one writer: it decides what every record is (identity,
duplicates, copies) and writes every record and annotation in input order, as ``ingest``
does, so the store ends the same. Ray is imported only here, and only when a backfill runs:
``import newsweave`` and the default install never need it (``pip install newsweave[ray]``).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from newsweave.annotate.pipeline import Annotator, Failure, _chunks, load_model, reason
from newsweave.annotation import Annotations
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.sources import read_source
from newsweave.model import Article, Problem, RawArticle

if TYPE_CHECKING:
    from ray import ObjectRef, ObjectRefGenerator

LOCAL = "local"  # Ray's address for a new instance on this machine
READ_BATCH = 500  # records of one file sent back at once
INSTALL_HINT = "install newsweave[ray] (pip install 'newsweave[ray]')"

Batch = list[RawArticle | Problem]
Found: TypeAlias = "ObjectRefGenerator[Batch] | ObjectRef[list[Batch]]"  # a read task's


class RayMissing(ImportError):
    """The ``ray`` extra is not installed."""


def require_ray() -> None:
    """Raise :class:`RayMissing` with the way to install Ray when it is not there."""
    try:
        import ray  # noqa: F401
    except ImportError as exc:
        raise RayMissing(f"backfill runs on Ray, which is not installed: {INSTALL_HINT}") from exc


@contextmanager
def ray_executor(address: str | None = None, cpus: int | None = None) -> Iterator[RayExecutor]:
    """A :class:`RayExecutor` on the cluster at ``address`` (``ray://head:10001``, ``auto``,
    ``host:6379``), or on a new local Ray instance with ``cpus`` CPUs (default: all) that is
    stopped at the end. A Ray already started in this process is used as it is."""
    require_ray()
    import ray

    started = not ray.is_initialized()
    if started and address in (None, LOCAL):
        ray.init(
            address=LOCAL, num_cpus=cpus, include_dashboard=False, log_to_driver=False,
            logging_level=logging.ERROR,  # not its notes on a Ray of our own making
        )  # fmt: skip
    elif started:
        ray.init(address=address, logging_level=logging.WARNING)  # a client takes few options
    try:
        total = int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
        yield RayExecutor(max(1, min(cpus or total, total)))
    finally:
        if started:
            ray.shutdown()


@dataclass(frozen=True, slots=True)
class RayExecutor:
    """Reads sources and annotates articles with Ray tasks on the cluster this process is
    connected to, ``workers`` at a time; the results come back in input order.

    Ray places the tasks; this side only keeps a bounded number in flight (Ray's pattern of
    limiting pending tasks), so memory stays flat however many inputs there are. A Ray worker
    process reads, then annotates: it loads the spaCy model once (a per-process cache) and
    keeps it for every chunk it is given.
    """

    workers: int

    def read(self, sources: list[Source], options: ReadOptions) -> Iterator[ReadResult]:
        """Each source's items (a :data:`~newsweave.ingest.pipeline.SourceReader`): one Ray
        task per source, at most ``workers`` ahead of the one being stored. Once the last
        source is given out, the workers left idle load the model."""
        import ray

        # A Ray client (ray://) cannot stream a task's batches: there a file comes back whole.
        task = ray.remote(num_cpus=1)(read_whole if _client() else read_batches)
        waiting = iter(sources)
        reading: deque[tuple[Source, Found]] = deque()

        def start_next() -> None:
            source = next(waiting, None)
            if source is None:
                return
            reading.append((source, task.remote(source, options)))
            if source is sources[-1]:
                self.warm()

        for _ in range(self.workers):
            start_next()
        try:
            while reading:
                source, batches = reading.popleft()
                start_next()
                yield _items(source, batches)
        finally:
            for _, batches in reading:  # a strict stop or an interrupt: stop the others
                _cancel(batches)

    def warm(self) -> None:
        """Have idle workers load the model ahead of annotation (nothing waits for it)."""
        import ray

        task = ray.remote(num_cpus=1)(load_here)
        for _ in range(self.workers):
            task.remote()

    def annotate(
        self, annotator: Annotator, articles: Iterable[Article]
    ) -> Iterator[Annotations | Failure]:
        """Annotations or a failure for each article, in order (a
        :data:`~newsweave.annotate.service.Runner`): one Ray task per chunk, the same chunks
        one process would annotate, at most two per worker in flight."""
        import ray

        task = ray.remote(num_cpus=1)(annotate_chunk)
        shared = ray.put(annotator)
        pending: deque[tuple[list[str], ObjectRef[list[Annotations | Failure]]]] = deque()
        try:
            for chunk in _chunks(articles, annotator.batch_size):
                pending.append(([a.id for a in chunk], task.remote(shared, chunk)))
                if len(pending) >= 2 * self.workers:
                    yield from _results(*pending.popleft())
            while pending:
                yield from _results(*pending.popleft())
        finally:
            for _, future in pending:
                _cancel(future)


def task_failures() -> tuple[type[Exception], ...]:
    """What Ray raises for one task that failed where it ran (its worker died or ran out of
    memory after Ray's retries, or it raised), as against a cluster that is gone, which
    stops the run: a re-run finishes it."""
    from ray.exceptions import OutOfMemoryError, RayTaskError, WorkerCrashedError

    return (RayTaskError, WorkerCrashedError, OutOfMemoryError)


def _client() -> bool:
    """Whether this process is a Ray client (connected through ``ray://``)."""
    from ray.util.client import ray as client

    return bool(client.is_connected())  # type: ignore[no-untyped-call]


def _cancel(task: Found | ObjectRef[Any]) -> None:
    """Cancel a task that is no longer wanted, if Ray still can."""
    import ray

    with suppress(Exception):  # best effort: it may have ended, or the cluster gone
        ray.cancel(task)


def _items(source: Source, found: Found) -> ReadResult:
    """The items one read task sends back; a task that failed is one problem for its file."""
    import ray

    try:
        if isinstance(found, ray.ObjectRefGenerator):
            for ref in found:
                yield from ray.get(ref)
        else:
            for batch in ray.get(found):
                yield from batch
    except task_failures() as exc:
        yield Problem("file", source.location, f"unreadable: its Ray task failed ({reason(exc)})")


def _results(
    ids: list[str], future: ObjectRef[list[Annotations | Failure]]
) -> list[Annotations | Failure]:
    """A chunk's results; when its task failed, a failure for each of its articles (stored
    as such, as any failure: ``annotate --again`` retries them)."""
    import ray

    try:
        return ray.get(future)
    except task_failures() as exc:
        why = f"its Ray task failed ({reason(exc)})"
        return [Failure(article_id, why) for article_id in ids]


def read_batches(source: Source, options: ReadOptions) -> Iterator[Batch]:
    """In a Ray worker: one source's records and problems, ``READ_BATCH`` at a time."""
    batch: Batch = []
    for item in read_source(source, options):
        batch.append(item)
        if len(batch) >= READ_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def read_whole(source: Source, options: ReadOptions) -> list[Batch]:
    """In a Ray worker, for a Ray client: one source's records and problems, all at once."""
    return list(read_batches(source, options))


def load_here() -> None:
    """In a Ray worker: load the model now, for the chunks to come."""
    load_model()


def annotate_chunk(annotator: Annotator, articles: list[Article]) -> list[Annotations | Failure]:
    """In a Ray worker: one chunk annotated, with the model this process loaded once."""
    return list(annotator.results(articles))
