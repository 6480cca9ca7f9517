"""Annotating a store (used by the API). Reading its actors, quotes and actions back is in
:mod:`newsweave.annotate.stored`, which loads no NLP model."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sized
from dataclasses import dataclass
from typing import Any

from newsweave.annotate.aliases import Aliases
from newsweave.annotate.pipeline import PROCESSES_FROM, Annotator, Failure, OnFailure
from newsweave.annotate.stored import rebuild_actors
from newsweave.annotate.version import VERSION
from newsweave.annotation import Annotations
from newsweave.model import Article
from newsweave.outlets import OutletTable
from newsweave.store.sqlite import SQLiteStore

BATCH = 64  # annotations written per transaction
Progress = Callable[[int], None]
# Who runs an annotator over articles, giving a result for each in the order given: by
# default this process or a pool of forked ones; a backfill, a Ray cluster (newsweave.backfill).
Runner = Callable[[Annotator, Iterable[Article]], Iterator[Annotations | Failure]]


@dataclass(slots=True)
class FailedAnnotations(Annotations):
    """What is stored for an article annotation failed on: nothing found, and the reason
    (``"error"`` in the stored document). Saved with the current ``VERSION``, so later runs
    leave the article alone and do not report it again; ``annotate --again`` retries it."""

    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**Annotations.to_dict(self), "error": self.error}


def annotate_store(
    store: SQLiteStore,
    aliases: Aliases,
    *,
    again: bool = False,
    progress: Progress | None = None,
    started: Progress | None = None,
    on_failure: OnFailure | None = None,
    table: OutletTable | None = None,
    run: Runner | None = None,
) -> int:
    """Annotate the articles that need it (all with ``again``); returns how many were.

    ``started`` is told how many articles will be annotated, ``progress`` how many more
    are done after each batch. An article that cannot be annotated does not stop the
    others: it is stored as :class:`FailedAnnotations` and told once to ``on_failure``
    (article id, reason). ``run`` runs the annotator (default: :func:`run_here`); this
    process alone writes the results.
    """
    tables = store.annotations
    ids = (
        [a.id for a in store.iter_articles_in_order()] if again else list(tables.stale_ids(VERSION))
    )
    if started:
        started(len(ids))
    failed = 0
    if ids:
        outlets = list(store.outlet_counts())
        annotator = Annotator(aliases, outlets, table=table)
        pending: list[Annotations] = []
        for found in (run or run_here)(annotator, _Stored(store, ids)):
            if isinstance(found, Failure):
                failed += 1
                found = _failed(found, on_failure)
            pending.append(found)
            if len(pending) >= BATCH:
                _save(store, pending, progress)
        _save(store, pending, progress)
    if ids or store.actors_stale():
        rebuild_actors(store, aliases)
    return len(ids) - failed


def run_here(annotator: Annotator, articles: Iterable[Article]) -> Iterator[Annotations | Failure]:
    """The default :data:`Runner`: this process, or two forked ones for many articles."""
    many = isinstance(articles, Sized) and len(articles) >= PROCESSES_FROM
    processes = 2 if many and (os.cpu_count() or 1) > 1 else 1
    return annotator.results(articles, processes)


def _failed(failure: Failure, on_failure: OnFailure | None) -> FailedAnnotations:
    if on_failure is not None:
        on_failure(failure.article_id, failure.reason)
    return FailedAnnotations(failure.article_id, error=failure.reason)


@dataclass(frozen=True, slots=True)
class _Stored:
    """The articles of ``ids``, read from the store one by one as they are needed."""

    store: SQLiteStore
    ids: list[str]

    def __iter__(self) -> Iterator[Article]:
        for article_id in self.ids:
            article = self.store.get_article(article_id)
            if article is not None:
                yield article

    def __len__(self) -> int:
        return len(self.ids)


def _save(store: SQLiteStore, pending: list[Annotations], progress: Progress | None) -> int:
    count = len(pending)
    with store.transaction():
        for found in pending:
            store.annotations.save(found, VERSION)
    pending.clear()
    if progress and count:
        progress(count)
    return count
