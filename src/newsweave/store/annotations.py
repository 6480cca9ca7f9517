"""The annotation tables of the SQLite store: one JSON document per article, plus the
mention, quote, action and actor tables that queries by actor, speaker or outlet need.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newsweave.annotation import Actor, Annotations, NameCount


@dataclass(frozen=True, slots=True)
class QuoteQuery:
    """Filters for quotes; ``speakers`` are the names of one actor (any of them)."""

    speakers: tuple[str, ...] | None = None
    article_ids: tuple[str, ...] | None = None
    outlet: str | None = None
    limit: int = 100
    offset: int = 0
    kind: str | None = None  # direct, partial or indirect


class AnnotationTables:
    """Reads and writes annotations over a store's connection (writes inside its transaction)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    # writing

    def save(self, found: Annotations, version: int) -> None:
        """Replace whatever was stored for this article."""
        article = found.article_id
        self.forget(article)
        self._db.execute(
            "INSERT INTO annotations (article_id, version, data) VALUES (?,?,?)",
            (article, version, json.dumps(found.to_dict(), ensure_ascii=False)),
        )
        self._db.executemany(
            "INSERT INTO mentions (article_id, start, end, text, kind, name) VALUES (?,?,?,?,?,?)",
            [(article, m.start, m.end, m.text, m.kind, m.name) for m in found.mentions],
        )
        self._db.executemany(
            "INSERT INTO quotes (article_id, start, end, text, kind, speaker, cue, parts) "
            "VALUES (?,?,?,?,?,?,?,?)",
            [
                (article, q.start, q.end, q.text, q.kind, q.speaker, q.cue, _parts(q.parts))
                for q in found.quotes
            ],
        )
        self._db.executemany(
            "INSERT INTO actions (article_id, start, end, source, verb, target, negated, "
            "event_type) VALUES (?,?,?,?,?,?,?,?)",
            [
                (article, a.start, a.end, a.source, a.verb, a.target, int(a.negated), a.event_type)
                for a in found.actions
            ],
        )

    def forget(self, article_id: str) -> None:
        for table in ("annotations", "mentions", "quotes", "actions"):
            self._db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self._db.execute("UPDATE marks SET value = value + 1 WHERE key = 'annotations'")

    def replace_actors(self, actors: Iterable[Actor]) -> None:
        self._db.execute("DELETE FROM actor_names")
        self._db.execute("DELETE FROM actors")
        for actor in actors:
            self._db.execute(
                "INSERT OR REPLACE INTO actors (id, name, kind, mentions, articles) "
                "VALUES (?,?,?,?,?)",
                (actor.id, actor.name, actor.kind, actor.mentions, actor.articles),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO actor_names (name, kind, actor_id) VALUES (?,?,?)",
                [(name, kind, actor.id) for name, kind in actor.names or []],
            )

    # reading

    def stale_ids(self, version: int) -> Iterator[str]:
        """Articles never annotated, or annotated by an older version, oldest first."""
        rows = self._db.execute(
            "SELECT a.id FROM articles a LEFT JOIN annotations n ON n.article_id = a.id "
            "WHERE n.article_id IS NULL OR n.version < ? "
            "ORDER BY a.published_utc IS NULL, a.published_utc, a.pk",
            (version,),
        )
        for row in rows.fetchall():
            yield str(row[0])

    def name_counts(self) -> list[NameCount]:
        rows = self._db.execute(
            "SELECT name, kind, COUNT(*), COUNT(DISTINCT article_id) FROM mentions "
            "GROUP BY name, kind"
        ).fetchall()
        return [NameCount(r[0], r[1], r[2], r[3]) for r in rows]

    def document(self, article_id: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT data FROM annotations WHERE article_id = ?", (article_id,)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM annotations").fetchone()[0])

    def list_actors(
        self, kind: str | None = None, search: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[sqlite3.Row]:
        where, params = [], []
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if search:
            where.append("id IN (SELECT actor_id FROM actor_names WHERE name LIKE ? ESCAPE '\\')")
            params.append("%" + search.replace("%", "\\%").replace("_", "\\_") + "%")
        sql = "SELECT * FROM actors" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY mentions DESC, name LIMIT ? OFFSET ?"
        return self._db.execute(sql, [*params, limit, offset]).fetchall()

    def get_actor(self, actor_id: str) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self._db.execute(
            "SELECT * FROM actors WHERE id = ?", (actor_id,)
        ).fetchone()
        return row

    def find_actor(self, name: str) -> list[sqlite3.Row]:
        """Actors whose id starts with ``name``, or named or written so (any case); the one
        best supported by that name first: an id, then the most mentions written or named
        so, then the most mentions in all (a stray one-mention "Trump" body never wins)."""
        return self._db.execute(
            "WITH uses AS (SELECT n.actor_id AS id FROM mentions m JOIN actor_names n "
            "ON n.name = m.name AND n.kind = m.kind WHERE m.text = :name COLLATE NOCASE "
            "UNION ALL SELECT n.actor_id FROM actor_names n JOIN mentions m "
            "ON m.name = n.name AND m.kind = n.kind WHERE n.name = :name COLLATE NOCASE), "
            "support AS (SELECT id, COUNT(*) AS uses FROM uses GROUP BY id) "
            "SELECT a.* FROM actors a LEFT JOIN support s ON s.id = a.id "
            "WHERE a.id LIKE :name || '%' OR a.name = :name COLLATE NOCASE OR s.id IS NOT NULL "
            "OR a.id IN (SELECT actor_id FROM actor_names WHERE name = :name COLLATE NOCASE) "
            "ORDER BY a.id = :name DESC, COALESCE(s.uses, 0) DESC, a.mentions DESC, a.name",
            {"name": name},
        ).fetchall()

    def actor_names(self, actor_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT name FROM actor_names WHERE actor_id = ? ORDER BY name", (actor_id,)
        )
        return [str(r[0]) for r in rows.fetchall()]

    def aliases(self, actor_id: str) -> list[tuple[str, int]]:
        """Every form the articles wrote the actor in, with how often."""
        rows = self._db.execute(
            "SELECT m.text, COUNT(*) FROM mentions m JOIN actor_names n "
            "ON n.name = m.name AND n.kind = m.kind WHERE n.actor_id = ? "
            "GROUP BY m.text ORDER BY COUNT(*) DESC, m.text",
            (actor_id,),
        )
        return [(str(r[0]), int(r[1])) for r in rows.fetchall()]

    def actor_article_ids(self, actor_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT DISTINCT m.article_id FROM mentions m JOIN actor_names n "
            "ON n.name = m.name AND n.kind = m.kind JOIN articles a ON a.id = m.article_id "
            "WHERE n.actor_id = ? ORDER BY a.published_utc, a.pk",
            (actor_id,),
        )
        return [str(r[0]) for r in rows.fetchall()]

    def related_actors(self, actor_id: str, limit: int) -> list[tuple[sqlite3.Row, int]]:
        """Other actors named in this actor's articles, with how many articles they share."""
        rows = self._db.execute(
            "WITH own AS (SELECT DISTINCT m.article_id FROM mentions m JOIN actor_names n "
            "ON n.name = m.name AND n.kind = m.kind WHERE n.actor_id = ?) "
            "SELECT x.*, COUNT(DISTINCT m.article_id) AS shared FROM mentions m "
            "JOIN own ON own.article_id = m.article_id "
            "JOIN actor_names n ON n.name = m.name AND n.kind = m.kind "
            "JOIN actors x ON x.id = n.actor_id WHERE x.id != ? "
            "GROUP BY x.id ORDER BY shared DESC, x.mentions DESC, x.name LIMIT ?",
            (actor_id, actor_id, limit),
        )
        return [(row, int(row["shared"])) for row in rows.fetchall()]

    def quotes(self, query: QuoteQuery) -> list[sqlite3.Row]:
        where, params = [], []
        if query.speakers is not None:
            where.append(f"q.speaker IN ({','.join('?' * len(query.speakers))})")
            params += list(query.speakers)
        if query.article_ids is not None:
            where.append(f"q.article_id IN ({','.join('?' * len(query.article_ids))})")
            params += list(query.article_ids)
        if query.kind:
            where.append("q.kind = ?")
            params.append(query.kind)
        if query.outlet:
            where.append(
                "(a.outlet = ? COLLATE NOCASE OR q.article_id IN (SELECT article_id FROM "
                "sightings WHERE outlet = ? COLLATE NOCASE))"
            )
            params += [query.outlet, query.outlet]
        sql = (
            "SELECT q.*, a.outlet, a.published, a.title, a.input_id FROM quotes q "
            "JOIN articles a ON a.id = q.article_id"
        )
        sql += (" WHERE " + " AND ".join(where) if where else "") + (
            " ORDER BY a.published_utc, a.pk, q.start LIMIT ? OFFSET ?"
        )
        return self._db.execute(sql, [*params, query.limit, query.offset]).fetchall()

    def actions_of(self, names: Iterable[str], limit: int = 200) -> list[sqlite3.Row]:
        """Actions whose source or target is one of ``names``."""
        wanted = list(names)
        if not wanted:
            return []
        marks = ",".join("?" * len(wanted))
        return self._db.execute(
            f"SELECT x.*, a.outlet, a.published FROM actions x JOIN articles a "
            f"ON a.id = x.article_id WHERE x.source IN ({marks}) OR x.target IN ({marks}) "
            "ORDER BY a.published_utc, a.pk, x.start LIMIT ?",
            [*wanted, *wanted, limit],
        ).fetchall()

    def name_actor_pairs(self) -> list[tuple[str, str, str]]:
        rows = self._db.execute("SELECT name, kind, actor_id FROM actor_names").fetchall()
        return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]

    def all_actions(self, limit: int = -1, offset: int = 0) -> list[sqlite3.Row]:
        return self._db.execute(
            "SELECT x.*, a.outlet, a.published FROM actions x JOIN articles a "
            "ON a.id = x.article_id ORDER BY a.published_utc, a.pk, x.start LIMIT ? OFFSET ?",
            (limit, offset),
        ).fetchall()

    def iter_documents(self) -> Iterator[tuple[str, dict[str, Any]]]:
        rows = self._db.execute(
            "SELECT n.article_id, n.data FROM annotations n JOIN articles a "
            "ON a.id = n.article_id ORDER BY a.published_utc, a.pk"
        )
        for row in rows:
            yield str(row[0]), json.loads(row[1])


def _parts(parts: tuple[tuple[int, int], ...]) -> str | None:
    return json.dumps([list(part) for part in parts]) if parts else None
