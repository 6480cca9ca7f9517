"""What incremental clustering keeps between runs: sketches, terms, candidate pairs, indexes.

The tables hold plain values (ids, numbers, bytes); the events layer decides what they mean.
Everything here is looked up by index, so one call costs the same in a store of ten thousand
articles as in one of a million.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from newsweave.model import Event, Storyline

CHUNK = 500  # values bound in one IN (...) query
_STATE_TABLES = (
    "cluster_terms", "sketches", "sketch_keys", "sketch_recent", "sketch_streets", "title_tails",
    "furniture", "pairs", "cluster_dirty",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SketchRow:
    """One article's stored sketch (``data`` is the events layer's own encoding)."""

    item: int
    article_id: str
    title: str
    outlet: str
    published: str | None
    moment: float | None
    data: bytes
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event as incremental clustering writes it, with what linking storylines needs."""

    event: Event
    first_utc: float | None
    last_utc: float | None
    names: dict[str, float]
    name_keys: list[str]


def chunks(values: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(count: int) -> str:
    return ",".join("?" * count)


class ClusterTables:
    """The clustering state of one store (write inside the store's transaction)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    # the whole state

    def reset(self) -> None:
        """Forget every sketch, pair and index (before a rebuild); events stay until replaced."""
        for table in _STATE_TABLES:
            self._db.execute(f"DELETE FROM {table}")
        self.set_mark("sketched_pk", 0)
        self.set_mark("cluster_documents", 0)

    def mark(self, key: str) -> int:
        row = self._db.execute("SELECT value FROM marks WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def set_mark(self, key: str, value: int) -> None:
        self._db.execute(
            "INSERT INTO marks (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # what is waiting to be clustered

    def last_article_pk(self) -> int:
        return self._scalar("SELECT COALESCE(MAX(pk), 0) FROM articles")

    def assignments(self) -> dict[str, str]:
        """The event of every clustered article (read before a rebuild, to keep ids)."""
        rows = self._db.execute("SELECT article_id, event_id FROM article_events")
        return {str(r[0]): str(r[1]) for r in rows}

    def new_article_ids(self, limit: int | None = None) -> list[tuple[int, str]]:
        """(pk, id) of articles added since the last sketch, oldest first."""
        sql = "SELECT pk, id FROM articles WHERE pk > ? ORDER BY pk"
        params: list[Any] = [self.mark("sketched_pk")]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [(int(r[0]), str(r[1])) for r in self._db.execute(sql, params)]

    def dirty_article_ids(self) -> list[str]:
        """Articles changed since they were sketched (new text, marked thin)."""
        return [str(r[0]) for r in self._db.execute("SELECT article_id FROM cluster_dirty")]

    def clear_dirty(self, article_ids: Iterable[str]) -> None:
        self._db.executemany(
            "DELETE FROM cluster_dirty WHERE article_id = ?", [(i,) for i in article_ids]
        )

    # terms and their document counts

    def documents(self) -> int:
        return self.mark("cluster_documents")

    def set_documents(self, count: int) -> None:
        self.set_mark("cluster_documents", count)

    def terms(self, terms: Sequence[str]) -> dict[str, tuple[int, int]]:
        """(id, documents) of each known term."""
        found: dict[str, tuple[int, int]] = {}
        for part in chunks(terms):
            rows = self._db.execute(
                "SELECT term, id, documents FROM cluster_terms "
                f"WHERE term IN ({_marks(len(part))})",
                list(part),
            )
            found.update((str(r[0]), (int(r[1]), int(r[2]))) for r in rows)
        return found

    def terms_by_id(self, ids: Sequence[int]) -> dict[int, tuple[str, int]]:
        """(term, documents) of each id."""
        found: dict[int, tuple[str, int]] = {}
        for part in chunks(ids):
            rows = self._db.execute(
                f"SELECT id, term, documents FROM cluster_terms WHERE id IN ({_marks(len(part))})",
                list(part),
            )
            found.update((int(r[0]), (str(r[1]), int(r[2]))) for r in rows)
        return found

    def next_term_id(self) -> int:
        return self._scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM cluster_terms")

    def _scalar(self, sql: str) -> int:
        return int(self._db.execute(sql).fetchone()[0])

    def save_terms(self, rows: Iterable[tuple[int, str, int]]) -> None:
        """Insert or update (id, term, documents)."""
        self._db.executemany(
            "INSERT INTO cluster_terms (id, term, documents) VALUES (?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET documents = excluded.documents",
            rows,
        )

    # title tails and page furniture

    def tail_counts(self, tails: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in chunks(tails):
            rows = self._db.execute(
                f"SELECT tail, count FROM title_tails WHERE tail IN ({_marks(len(part))})",
                list(part),
            )
            found.update((str(r[0]), int(r[1])) for r in rows)
        return found

    def boilerplate_tails(self, least: int) -> list[str]:
        rows = self._db.execute("SELECT tail FROM title_tails WHERE count >= ?", (least,))
        return [str(r[0]) for r in rows]

    def save_tails(self, counts: Iterable[tuple[str, int]]) -> None:
        self._db.executemany(
            "INSERT INTO title_tails (tail, count) VALUES (?,?) "
            "ON CONFLICT(tail) DO UPDATE SET count = excluded.count",
            counts,
        )

    def furniture(self, keys: Sequence[int]) -> dict[int, tuple[float, float]]:
        found: dict[int, tuple[float, float]] = {}
        for part in chunks(keys):
            rows = self._db.execute(
                f"SELECT key, first, last FROM furniture WHERE key IN ({_marks(len(part))})",
                list(part),
            )
            found.update((int(r[0]), (float(r[1]), float(r[2]))) for r in rows)
        return found

    def save_furniture(self, rows: Iterable[tuple[int, float, float]]) -> None:
        self._db.executemany(
            "INSERT INTO furniture (key, first, last) VALUES (?,?,?) "
            "ON CONFLICT(key) DO UPDATE SET first = excluded.first, last = excluded.last",
            rows,
        )

    def next_item(self) -> int:
        return self._scalar("SELECT COALESCE(MAX(item), 0) + 1 FROM sketches")

    def save_sketches(self, rows: Iterable[SketchRow]) -> None:
        self._db.executemany(
            "INSERT INTO sketches (item, article_id, title, outlet, published, moment, data, "
            "event_id) VALUES (?,?,?,?,?,?,?,?)",
            [(r.item, r.article_id, r.title, r.outlet, r.published, r.moment, r.data, r.event_id)
             for r in rows],
        )  # fmt: skip

    def sketches(self, items: Sequence[int]) -> list[SketchRow]:
        found: list[SketchRow] = []
        for part in chunks(items):
            rows = self._db.execute(
                "SELECT item, article_id, title, outlet, published, moment, data, event_id "
                f"FROM sketches WHERE item IN ({_marks(len(part))})",
                list(part),
            )
            found.extend(_sketch_row(r) for r in rows)
        return found

    def items_of_articles(self, article_ids: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for part in chunks(article_ids):
            rows = self._db.execute(
                f"SELECT article_id, item FROM sketches WHERE article_id IN ({_marks(len(part))})",
                list(part),
            )
            found.update((str(r[0]), int(r[1])) for r in rows)
        return found

    def items_of_events(self, event_ids: Sequence[str]) -> list[int]:
        found: list[int] = []
        for part in chunks(event_ids):
            rows = self._db.execute(
                f"SELECT item FROM sketches WHERE event_id IN ({_marks(len(part))})", list(part)
            )
            found.extend(int(r[0]) for r in rows)
        return found

    def events_of_items(self, items: Sequence[int]) -> dict[int, str | None]:
        found: dict[int, str | None] = {}
        for part in chunks(items):
            rows = self._db.execute(
                f"SELECT item, event_id FROM sketches WHERE item IN ({_marks(len(part))})",
                list(part),
            )
            found.update((int(r[0]), r[1]) for r in rows)
        return found

    def forget_sketches(self, items: Sequence[int]) -> None:
        """Remove sketches with their index entries and pairs (the article changed)."""
        for part in chunks(items):
            marks = _marks(len(part))
            for sql in (
                f"DELETE FROM sketches WHERE item IN ({marks})",
                f"DELETE FROM sketch_keys WHERE item IN ({marks})",
                f"DELETE FROM sketch_recent WHERE item IN ({marks})",
                f"DELETE FROM sketch_streets WHERE item IN ({marks})",
                f"DELETE FROM pairs WHERE first IN ({marks})",
                f"DELETE FROM pairs WHERE second IN ({marks})",
            ):
                self._db.execute(sql, list(part))

    def save_keys(self, rows: Iterable[tuple[int, int, float | None]]) -> None:
        """Index items by rare terms: (term, item, moment or None when undated)."""
        self._db.executemany(
            "INSERT OR IGNORE INTO sketch_keys (term, item, moment) VALUES (?,?,?)", rows
        )

    def key_holders(self, term: int, limit: int, near: tuple[float, float] | None) -> list[int]:
        """The latest ``limit`` items indexed by the rare term; with ``near``, only those
        dated within it (or undated)."""
        if near is None:
            rows = self._db.execute(
                "SELECT item FROM sketch_keys WHERE term = ? ORDER BY item DESC LIMIT ?",
                (term, limit),
            )
        else:
            rows = self._db.execute(
                "SELECT item FROM sketch_keys WHERE term = ? AND (moment IS NULL OR moment "
                "BETWEEN ? AND ?) ORDER BY item DESC LIMIT ?",
                (term, *near, limit),
            )
        return [int(r[0]) for r in rows]

    def save_recent(self, rows: Iterable[tuple[int, float, int]]) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO sketch_recent (term, moment, item) VALUES (?,?,?)", rows
        )

    def recent_holders(self, term: int, since: float, until: float) -> list[int]:
        rows = self._db.execute(
            "SELECT item FROM sketch_recent WHERE term = ? AND moment BETWEEN ? AND ?",
            (term, since, until),
        )
        return [int(r[0]) for r in rows]

    def save_streets(self, rows: Iterable[tuple[str, int]]) -> None:
        self._db.executemany(
            "INSERT OR IGNORE INTO sketch_streets (street, item) VALUES (?,?)", rows
        )

    def street_holders(self, street: str, limit: int) -> list[int]:
        rows = self._db.execute(
            "SELECT item FROM sketch_streets WHERE street = ? ORDER BY item DESC LIMIT ?",
            (street, limit),
        )
        return [int(r[0]) for r in rows]

    # the pair graph

    def save_pairs(self, rows: Iterable[tuple[int, int, float, float]]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO pairs (first, second, score, evidence) VALUES (?,?,?,?)", rows
        )

    def pairs_of(self, items: Sequence[int]) -> list[tuple[int, int, float, float]]:
        """Every stored pair with an end among ``items`` (each pair once)."""
        found: dict[tuple[int, int], tuple[int, int, float, float]] = {}
        for part in chunks(items):
            marks = _marks(len(part))
            for column in ("first", "second"):
                rows = self._db.execute(
                    f"SELECT first, second, score, evidence FROM pairs WHERE {column} IN ({marks})",
                    list(part),
                )
                for r in rows:
                    found[(int(r[0]), int(r[1]))] = (int(r[0]), int(r[1]), float(r[2]), float(r[3]))
        return list(found.values())

    # events, storylines and redirects

    def assign(self, rows: Iterable[tuple[str, int]]) -> None:
        """Set the event of items: (event id, item)."""
        self._db.executemany("UPDATE sketches SET event_id = ? WHERE item = ?", rows)

    def event_ids_in_use(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` name a stored event or a redirect."""
        found: set[str] = set()
        for part in chunks(ids):
            marks = _marks(len(part))
            for sql in (
                f"SELECT id FROM events WHERE id IN ({marks})",
                f"SELECT old_id FROM event_redirects WHERE old_id IN ({marks})",
            ):
                found.update(str(r[0]) for r in self._db.execute(sql, list(part)))
        return found

    def save_events(
        self, rows: Sequence[EventRow], similarities: Iterable[tuple[str, str, float]]
    ) -> None:
        """Insert or replace events, their name keys, and their articles' assignments."""
        self._db.executemany(
            "INSERT OR REPLACE INTO events (id, title, size, representative_id, storyline_id, "
            "first_published, first_utc, last_published, outlets, key_terms, names, last_utc) "
            "VALUES (?, (SELECT title FROM sketches WHERE article_id = ?), ?,?,?,?,?,?,?,?,?,?)",
            [_event_values(row) for row in rows],
        )
        ids = [(row.event.id,) for row in rows]
        self._db.executemany("DELETE FROM event_names WHERE event_id = ?", ids)
        self._db.executemany(
            "INSERT OR IGNORE INTO event_names (term, event_id, moment) VALUES (?,?,?)",
            [(term, row.event.id, row.first_utc or 0.0) for row in rows for term in row.name_keys],
        )
        self._db.executemany(
            "INSERT OR REPLACE INTO article_events (article_id, event_id, similarity) "
            "VALUES (?,?,?)",
            similarities,
        )

    def drop_events(self, event_ids: Sequence[str]) -> None:
        for part in chunks(event_ids):
            marks = _marks(len(part))
            self._db.execute(f"DELETE FROM event_names WHERE event_id IN ({marks})", list(part))
            self._db.execute(f"DELETE FROM events WHERE id IN ({marks})", list(part))

    def redirect(self, old_id: str, new_id: str, why: str) -> None:
        """Record that ``old_id`` now lives on as ``new_id`` (chains are kept one step)."""
        now = time.time()
        self._db.execute("DELETE FROM event_redirects WHERE old_id = ?", (new_id,))
        self._db.execute("UPDATE event_redirects SET new_id = ? WHERE new_id = ?", (new_id, old_id))
        self._db.execute(
            "INSERT OR REPLACE INTO event_redirects (old_id, new_id, why, at) VALUES (?,?,?,?)",
            (old_id, new_id, why, now),
        )

    def unredirect(self, ids: Sequence[str]) -> None:
        """Ids in use again are no longer redirected."""
        for part in chunks(ids):
            self._db.execute(
                f"DELETE FROM event_redirects WHERE old_id IN ({_marks(len(part))})", list(part)
            )

    def redirect_of(self, old_id: str) -> tuple[str, str] | None:
        row = self._db.execute(
            "SELECT new_id, why FROM event_redirects WHERE old_id = ?", (old_id,)
        ).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def event_rows(self, event_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for part in chunks(event_ids):
            rows = self._db.execute(
                f"SELECT * FROM events WHERE id IN ({_marks(len(part))})", list(part)
            )
            found.update((str(r["id"]), dict(r)) for r in rows)
        return found

    def events_named(self, terms: Sequence[str], moment: float, nearest: int) -> list[str]:
        """Events whose strongest names include any of ``terms``: for each term, the
        ``nearest`` events before ``moment`` and the ``nearest`` after it."""
        found: set[str] = set()
        for term in terms:
            for sql in (
                "SELECT event_id FROM event_names WHERE term = ? AND moment <= ? "
                "ORDER BY moment DESC LIMIT ?",
                "SELECT event_id FROM event_names WHERE term = ? AND moment > ? "
                "ORDER BY moment LIMIT ?",
            ):
                rows = self._db.execute(sql, (term, moment, nearest))
                found.update(str(r[0]) for r in rows)
        return sorted(found)

    def events_of_storylines(self, storyline_ids: Sequence[str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for part in chunks(storyline_ids):
            found.extend(
                dict(r)
                for r in self._db.execute(
                    "SELECT id, storyline_id, size, first_published, last_published, first_utc, "
                    f"last_utc, names FROM events WHERE storyline_id IN ({_marks(len(part))})",
                    list(part),
                )
            )
        return found

    def set_storyline(self, event_ids: Sequence[str], storyline_id: str) -> None:
        self._db.executemany(
            "UPDATE events SET storyline_id = ? WHERE id = ?",
            [(storyline_id, e) for e in event_ids],
        )

    def move_storylines(self, old_ids: Sequence[str], storyline_id: str) -> None:
        """Every event of the ``old_ids`` storylines joins ``storyline_id``."""
        for part in chunks(old_ids):
            self._db.execute(
                f"UPDATE events SET storyline_id = ? WHERE storyline_id IN ({_marks(len(part))})",
                [storyline_id, *part],
            )

    def storyline_ids_in_use(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for part in chunks(ids):
            rows = self._db.execute(
                f"SELECT id FROM storylines WHERE id IN ({_marks(len(part))})", list(part)
            )
            found.update(str(r[0]) for r in rows)
        return found

    def save_storylines(self, storylines: Sequence[Storyline]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO storylines (id, title, first_published, last_published, "
            "articles) VALUES (?,?,?,?,?)",
            [(s.id, s.title, s.first_published, s.last_published, s.articles) for s in storylines],
        )

    def drop_storylines(self, storyline_ids: Sequence[str]) -> None:
        for part in chunks(storyline_ids):
            self._db.execute(
                f"DELETE FROM storylines WHERE id IN ({_marks(len(part))})", list(part)
            )

    def clear_events(self) -> None:
        for table in ("article_events", "event_names", "events", "storylines"):
            self._db.execute(f"DELETE FROM {table}")
        self._db.execute("UPDATE sketches SET event_id = NULL")


def _sketch_row(row: sqlite3.Row) -> SketchRow:
    return SketchRow(
        item=int(row[0]), article_id=str(row[1]), title=str(row[2]), outlet=str(row[3]),
        published=row[4], moment=None if row[5] is None else float(row[5]), data=bytes(row[6]),
        event_id=row[7],
    )  # fmt: skip


def _event_values(row: EventRow) -> tuple[Any, ...]:
    event = row.event
    return (
        event.id, event.representative_id, event.size, event.representative_id,
        event.storyline_id, event.first_published, row.first_utc, event.last_published,
        json.dumps(event.outlets, ensure_ascii=False),
        json.dumps(event.key_terms, ensure_ascii=False),
        json.dumps(row.names, ensure_ascii=False), row.last_utc,
    )  # fmt: skip
