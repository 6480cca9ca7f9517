"""The store's annotations read back as the API's records (actors, quotes, actions), and
the store's names regrouped into actors. Reads the store only: no NLP model is loaded."""

from __future__ import annotations

import json
from typing import Any

from newsweave.annotate.aliases import Aliases
from newsweave.annotate.registry import resolve
from newsweave.annotation import ActorDetail, ActorSummary, QuoteRecord, said_spans
from newsweave.store.annotations import QuoteQuery
from newsweave.store.sqlite import SQLiteStore

RELATED_ACTORS = 12


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
