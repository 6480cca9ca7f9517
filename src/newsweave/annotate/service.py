"""Annotating a store and reading its actors, quotes and actions back (used by the API)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from newsweave.annotate.aliases import Aliases
from newsweave.annotate.model import Annotations, said_spans
from newsweave.annotate.pipeline import PROCESSES_FROM, VERSION, Annotator, Failure, OnFailure
from newsweave.annotate.registry import resolve
from newsweave.model import Article
from newsweave.outlets import OutletTable
from newsweave.store.annotations import QuoteQuery
from newsweave.store.sqlite import SQLiteStore

BATCH = 64  # annotations written per transaction
Progress = Callable[[int], None]


@dataclass(slots=True)
class ActorSummary:
    id: str
    name: str
    kind: str
    mentions: int
    articles: int

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("id", "name", "kind", "mentions", "articles")}


@dataclass(slots=True)
class QuoteRecord:
    """A stored quote with its article, outlet and speaker actor."""

    article_id: str
    start: int
    end: int
    text: str
    kind: str
    speaker: str | None
    speaker_actor: str | None
    cue: str | None
    outlet: str
    published: str | None
    spans: list[tuple[int, int]] = field(default_factory=list)  # the quoted words' pieces
    input_id: str | None = None  # the article record's own id

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(slots=True)
class ActorDetail:
    """One actor: its names as written, articles, quotes and actions given and received."""

    actor: ActorSummary
    aliases: list[tuple[str, int]]
    article_ids: list[str]
    quotes: list[QuoteRecord]
    actions: list[dict[str, Any]] = field(default_factory=list)
    related: list[tuple[ActorSummary, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data = self.actor.to_dict()
        data["aliases"] = [{"text": text, "count": count} for text, count in self.aliases]
        data["article_ids"] = self.article_ids
        data["quotes"] = [q.to_dict() for q in self.quotes]
        data["actions"] = self.actions
        data["related"] = [
            {**summary.to_dict(), "shared_articles": shared} for summary, shared in self.related
        ]
        return data


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
) -> int:
    """Annotate the articles that need it (all with ``again``); returns how many were.

    ``started`` is told how many articles will be annotated, ``progress`` how many more
    are done after each batch. An article that cannot be annotated does not stop the
    others: it is stored as :class:`FailedAnnotations` and told once to ``on_failure``
    (article id, reason).
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
        processes = 2 if len(ids) >= PROCESSES_FROM and (os.cpu_count() or 1) > 1 else 1
        pending: list[Annotations] = []
        for found in annotator.results(_articles(store, ids), processes):
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


def _failed(failure: Failure, on_failure: OnFailure | None) -> FailedAnnotations:
    if on_failure is not None:
        on_failure(failure.article_id, failure.reason)
    return FailedAnnotations(failure.article_id, error=failure.reason)


def _articles(store: SQLiteStore, ids: list[str]) -> Iterator[Article]:
    for article_id in ids:
        article = store.get_article(article_id)
        if article is not None:
            yield article


def _save(store: SQLiteStore, pending: list[Annotations], progress: Progress | None) -> int:
    count = len(pending)
    with store.transaction():
        for found in pending:
            store.annotations.save(found, VERSION)
    pending.clear()
    if progress and count:
        progress(count)
    return count


def rebuild_actors(store: SQLiteStore, aliases: Aliases) -> int:
    """Regroup every name in the store into actors; returns the number of actors."""
    seen = store.mark("annotations")  # read first: annotations saved meanwhile make it stale
    actors = resolve(store.annotations.name_counts(), aliases.canonical)
    with store.transaction():
        store.annotations.replace_actors(actors)
        store.set_mark("actors_from", seen)
    return len(actors)


def actor_summary(row: Any) -> ActorSummary:
    return ActorSummary(row["id"], row["name"], row["kind"], row["mentions"], row["articles"])


RELATED_ACTORS = 12


def actor_detail(
    store: SQLiteStore,
    actor_id: str,
    limit: int = 200,
    actor_of: dict[str, str] | None = None,
) -> ActorDetail | None:
    tables = store.annotations
    row = tables.get_actor(actor_id)
    if row is None:
        return None
    names = tables.actor_names(actor_id)
    actor_of = actor_of if actor_of is not None else actor_ids_by_name(store)
    return ActorDetail(
        actor=actor_summary(row),
        aliases=tables.aliases(actor_id),
        article_ids=tables.actor_article_ids(actor_id),
        quotes=quote_records(store, QuoteQuery(speakers=tuple(names), limit=limit), actor_of),
        actions=[plover(row, actor_of) for row in tables.actions_of(names, limit)],
        related=[
            (actor_summary(other), shared)
            for other, shared in tables.related_actors(actor_id, RELATED_ACTORS)
        ],
    )


def quote_records(
    store: SQLiteStore, query: QuoteQuery, actor_of: dict[str, str] | None = None
) -> list[QuoteRecord]:
    actor_of = actor_of if actor_of is not None else actor_ids_by_name(store)
    return [
        QuoteRecord(
            article_id=row["article_id"],
            start=row["start"],
            end=row["end"],
            text=row["text"],
            kind=row["kind"],
            speaker=row["speaker"],
            speaker_actor=actor_of.get(row["speaker"]) if row["speaker"] else None,
            cue=row["cue"],
            outlet=row["outlet"],
            published=row["published"],
            spans=list(said_spans(row["kind"], row["start"], row["end"], _parts(row["parts"]))),
            input_id=row["input_id"],
        )
        for row in store.annotations.quotes(query)
    ]


def actor_ids_by_name(store: SQLiteStore) -> dict[str, str]:
    """Name -> actor id (a person's id wins when a name is also a place or group)."""
    rows = store.annotations.name_actor_pairs()
    found: dict[str, str] = {}
    for name, kind, actor in rows:
        if kind == "person" or name not in found:
            found[name] = actor
    return found


def plover(row: Any, actor_of: dict[str, str]) -> dict[str, Any]:
    """An action in PLOVER's field names, plus where it came from."""
    return {
        "id": f"{row['article_id']}:{row['start']}:{row['verb']}",
        "date": row["published"],
        "event": row["event_type"],
        "mode": "negated" if row["negated"] else "",
        "context": "",
        "src_actor": row["source"],
        "src_actor_id": actor_of.get(row["source"]),
        "tgt_actor": row["target"] or "",
        "tgt_actor_id": actor_of.get(row["target"]) if row["target"] else None,
        "verb": row["verb"],
        "negated": bool(row["negated"]),
        "article_id": row["article_id"],
        "outlet": row["outlet"],
        "start": row["start"],
        "end": row["end"],
    }


def _parts(stored: str | None) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in json.loads(stored)) if stored else ()
