"""The embedded store: one SQLite file in WAL mode, with a versioned schema."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsweave.model import (
    Article,
    CopyLink,
    Event,
    EventBuild,
    Published,
    Sighting,
    Storyline,
    published_from_stored,
)
from newsweave.store.annotations import AnnotationTables
from newsweave.store.base import ArticleQuery, QueryError
from newsweave.store.clustering import ClusterTables
from newsweave.store.comparisons import ComparisonTables
from newsweave.store.documents import DocumentTables
from newsweave.store.migrations import MIGRATIONS, SCHEMA_VERSION
from newsweave.store.vectors import VectorTables
from newsweave.store.watch import WatchTables

_ARTICLE_COLUMNS = (
    "id, title, text, outlet, url, published, published_precision, published_tz_assumed, "
    "language, authors, input_id, origin, thin, outlet_source"
)
_SIGHTING_COLUMNS = "article_id, outlet, origin, url, input_id, title, published, outlet_source"
_FTS_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


class StoreError(RuntimeError):
    """The store file cannot be used (newer schema, not a newsweave store, ...)."""


class SQLiteStore:
    """A newsweave store in one SQLite file. Safe against a killed process at any moment."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.location = str(path)
        if read_only and not Path(self.location).is_file():
            raise StoreError(f"{self.location}: no such store (create it with newsweave ingest)")
        try:
            self._db = self._connect(read_only)
            if not read_only:
                self._migrate()
            self._check_version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.location}: not a usable SQLite store ({exc})") from exc

    def _connect(self, read_only: bool) -> sqlite3.Connection:
        if read_only:
            uri = Path(self.location).resolve().as_uri() + "?mode=ro"
            db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            db = sqlite3.connect(self.location, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=30000")
        db.row_factory = sqlite3.Row
        return db

    def _version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        """Bring the schema up to date, one migration a transaction. Another process may
        be migrating the same file: the version is read again once the write lock is held."""
        while self._version() < SCHEMA_VERSION:
            self._db.execute("BEGIN IMMEDIATE")
            version = self._version()
            if version >= SCHEMA_VERSION:
                self._db.execute("ROLLBACK")
                return
            try:
                for statement in _statements(MIGRATIONS[version]):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {version + 1}")
                self._db.execute("COMMIT")
            except sqlite3.DatabaseError:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def _check_version(self) -> None:
        version = self._version()
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.location}: schema version {version} is newer than this newsweave "
                f"({SCHEMA_VERSION}); upgrade newsweave"
            )

    @property
    def annotations(self) -> AnnotationTables:
        """The annotation tables (write to them inside :meth:`transaction`)."""
        return AnnotationTables(self._db)

    @property
    def comparisons(self) -> ComparisonTables:
        """Each event's stored comparison (write to them inside :meth:`transaction`)."""
        return ComparisonTables(self._db)

    @property
    def documents(self) -> DocumentTables:
        """Each article's analysed document (write to them inside :meth:`transaction`)."""
        return DocumentTables(self._db)

    @property
    def vectors(self) -> VectorTables:
        """The sentence vectors of analysed documents (write inside :meth:`transaction`)."""
        return VectorTables(self._db)

    @property
    def clustering(self) -> ClusterTables:
        """What incremental clustering keeps (write to it inside :meth:`transaction`)."""
        return ClusterTables(self._db)

    @property
    def watch(self) -> WatchTables:
        """What ``newsweave watch`` remembers of feeds and files."""
        return WatchTables(self._db)

    @property
    def schema_version(self) -> int:
        return self._version()

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """Run one statement (a pragma, say) on the store's connection."""
        self._db.execute(sql, params)

    def begin_writing(self) -> None:
        """Open a write transaction by hand; :meth:`commit` or :meth:`rollback` ends it.
        Other writers wait meanwhile, so what is read inside is what gets written onto."""
        self._db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._db.execute("COMMIT")

    def rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one state of the store, whatever commits meanwhile (WAL)."""
        self._db.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            self._db.execute("ROLLBACK")

    # writing

    def add_article(self, article: Article, signature: bytes) -> bool:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO articles (id, title, text, outlet, url, published, "
            "published_utc, published_precision, published_tz_assumed, language, authors, "
            "input_id, origin, ingested_at, thin, outlet_source) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id, article.title, article.text, article.outlet, article.url,
                *_published_values(article.published),
                article.language, json.dumps(list(article.authors), ensure_ascii=False),
                article.input_id, article.origin, datetime.now(UTC).isoformat(timespec="seconds"),
                article.thin, article.outlet_source,
            ),
        )  # fmt: skip
        if cursor.rowcount:
            self._db.execute(
                "INSERT OR REPLACE INTO signatures (article_id, minhash) VALUES (?, ?)",
                (article.id, signature),
            )
            self.bump("articles")
        return cursor.rowcount > 0

    def update_article(self, article: Article) -> None:
        """Replace an article's metadata (title, outlet, url, date, authors, flags); its text
        and id stay. Its annotations are dropped, so the next annotation run redoes them."""
        self._db.execute(
            "UPDATE articles SET title = ?, outlet = ?, url = ?, published = ?, "
            "published_utc = ?, published_precision = ?, published_tz_assumed = ?, "
            "language = ?, authors = ?, input_id = ?, origin = ?, thin = ?, outlet_source = ? "
            "WHERE id = ?",
            (
                article.title, article.outlet, article.url, *_published_values(article.published),
                article.language, json.dumps(list(article.authors), ensure_ascii=False),
                article.input_id, article.origin, article.thin, article.outlet_source,
                article.id,
            ),
        )  # fmt: skip
        self.annotations.forget(article.id)
        self.bump("articles")
        self._cluster_again(article.id)

    def mark_thin(self, article_id: str, why: str) -> None:
        """Flag an article whose body turned out not to be its own."""
        cursor = self._db.execute(
            "UPDATE articles SET thin = ? WHERE id = ? AND thin IS NOT ?", (why, article_id, why)
        )
        if cursor.rowcount:
            self.bump("articles")
            self._cluster_again(article_id)

    def _cluster_again(self, article_id: str) -> None:
        """The article changed after it was clustered: the next clustering run redoes it."""
        self._db.execute(
            "INSERT OR IGNORE INTO cluster_dirty (article_id) VALUES (?)", (article_id,)
        )

    # marks: what each stage has caught up with

    def bump(self, key: str) -> None:
        """Count one more change of ``key`` (inside the writing transaction)."""
        self._db.execute("UPDATE marks SET value = value + 1 WHERE key = ?", (key,))

    def mark(self, key: str) -> int:
        row = self._db.execute("SELECT value FROM marks WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def set_mark(self, key: str, value: int) -> None:
        self._db.execute("UPDATE marks SET value = ? WHERE key = ?", (value, key))

    def events_stale(self) -> bool:
        """True when articles were added or changed since events were last built."""
        return self.mark("events_from") != self.mark("articles")

    def actors_stale(self) -> bool:
        """True when annotations changed since actors were last regrouped."""
        return self.mark("actors_from") != self.mark("annotations")

    def add_sighting(self, sighting: Sighting) -> bool:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO sightings (article_id, outlet, url, input_id, title, "
            "published, origin, outlet_source) VALUES (?,?,?,?,?,?,?,?)",
            (
                sighting.article_id, sighting.outlet, sighting.url or "",
                sighting.input_id or "", sighting.title, sighting.published, sighting.origin,
                sighting.outlet_source,
            ),
        )  # fmt: skip
        return cursor.rowcount > 0

    def replace_sighting(self, old: Sighting, new: Sighting) -> None:
        """The same record read again with other metadata: its sighting now says ``new``."""
        self._db.execute(
            "DELETE FROM sightings WHERE article_id = ? AND outlet = ? AND url = ? "
            "AND input_id = ?",
            (old.article_id, old.outlet, old.url or "", old.input_id or ""),
        )
        self.add_sighting(new)
        self.bump("articles")

    def find_sightings(self, input_id: str | None, url: str | None, origin: str) -> list[Sighting]:
        """Stored sightings of the record with this input id, url or origin."""
        rows = self._db.execute(
            f"SELECT {_SIGHTING_COLUMNS} FROM sightings WHERE (input_id = ? AND input_id != '') "
            "OR (url = ? AND url != '') OR origin = ? ORDER BY pk",
            (input_id or "", url or "", origin),
        ).fetchall()
        return [_sighting(row) for row in rows]

    def add_copy(self, link: CopyLink) -> bool:
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO copies (copy_id, origin_id, similarity, containment) "
            "VALUES (?,?,?,?)",
            (link.copy_id, link.origin_id, link.similarity, link.containment),
        )
        return cursor.rowcount > 0

    # reading

    def has_article(self, article_id: str) -> bool:
        row = self._db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
        return row is not None

    def get_article(self, article_id: str) -> Article | None:
        row = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return _article(row) if row else None

    def resolve_id(self, prefix: str) -> list[str]:
        """Ids that start with ``prefix`` (at most a few), so users can type short ids."""
        escaped = prefix.lower().replace("%", "").replace("_", "")
        rows = self._db.execute(
            "SELECT id FROM articles WHERE id LIKE ? ORDER BY id LIMIT 5", (escaped + "%",)
        ).fetchall()
        return [str(row["id"]) for row in rows]

    def signature(self, article_id: str) -> bytes | None:
        row = self._db.execute(
            "SELECT minhash FROM signatures WHERE article_id = ?", (article_id,)
        ).fetchone()
        return bytes(row[0]) if row else None

    def iter_signatures(self, after: int = 0) -> Iterator[tuple[int, str, bytes]]:
        """(row number, id, MinHash) of the articles stored after row ``after``, in order;
        thin articles have no place among near-duplicates and are left out."""
        cursor = self._db.execute(
            "SELECT a.pk, s.article_id, s.minhash FROM signatures s "
            "JOIN articles a ON a.id = s.article_id WHERE a.pk > ? AND a.thin IS NULL "
            "ORDER BY a.pk",
            (after,),
        )
        for row in cursor:
            yield int(row[0]), str(row[1]), bytes(row[2])

    def list_articles(self, query: ArticleQuery) -> list[Article]:
        """Articles by date, or by relevance when searching. A search matches an article's
        title and text, and the titles of all its records (ranked after text matches)."""
        if _searching(query):
            return self._ranked_articles(query)
        clauses, params = self._filters(query)
        sql = (
            f"SELECT {_prefixed(_ARTICLE_COLUMNS)} FROM articles a {_where(clauses)} "
            "ORDER BY a.published_utc IS NULL, a.published_utc, a.pk LIMIT ? OFFSET ?"
        )
        rows = self._run(sql, [*params, query.limit, query.offset])
        return [_article(row) for row in rows]

    def _ranked_articles(self, query: ArticleQuery) -> list[Article]:
        """Search hits ranked and cut to the page before any article row is read, so a
        search matching thousands of articles loads only the ones it shows."""
        hits, params = self._hits(query, scored=True)
        sql = (
            f"WITH best AS (SELECT pk, MIN(score) AS score FROM ({hits}) GROUP BY pk "
            "ORDER BY score, pk LIMIT ? OFFSET ?) "
            f"SELECT {_prefixed(_ARTICLE_COLUMNS)} FROM best JOIN articles a ON a.pk = best.pk "
            "ORDER BY best.score, a.pk"
        )
        rows = self._run(sql, [*params, query.limit, query.offset])
        return [_article(row) for row in rows]

    def latest_articles(self, limit: int) -> list[Article]:
        """The articles stored last, newest first (arrival order, not publication)."""
        rows = self._run(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY pk DESC LIMIT ?", [limit]
        )
        return [_article(row) for row in rows]

    def count_articles(self, query: ArticleQuery) -> int:
        if _searching(query):
            hits, params = self._hits(query, scored=False)
            sql = f"SELECT COUNT(DISTINCT pk) FROM ({hits})"
        else:
            clauses, params = self._filters(query)
            sql = f"SELECT COUNT(*) FROM articles a {_where(clauses)}"
        return int(self._run(sql, params)[0][0])

    def _run(self, sql: str, params: list[Any]) -> list[sqlite3.Row]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc) or "MATCH" in str(exc):
                raise QueryError(f"unusable search query ({exc})") from exc
            raise

    def _hits(self, query: ArticleQuery, scored: bool) -> tuple[str, list[Any]]:
        """SQL for (pk, score) of every search hit that passes the filters: an article by
        its title and text (bm25 when ``scored``), or by the title of one of its records
        (scored last). An article may appear more than once."""
        expression = fts_expression(query.text or "")
        score = "bm25(articles_fts)" if scored else "0.0"
        clauses, params = self._filters(query)
        filtered = f"JOIN articles a ON a.pk = h.pk {_where(clauses)}" if clauses else ""
        sql = (
            f"SELECT h.pk AS pk, h.score AS score FROM (SELECT rowid AS pk, {score} AS score "
            "FROM articles_fts WHERE articles_fts MATCH ? UNION ALL SELECT r.pk, 0.0 "
            "FROM sightings_fts f JOIN sightings s ON s.pk = f.rowid "
            "JOIN articles r ON r.id = s.article_id WHERE sightings_fts MATCH ?) h "
            f"{filtered}"
        )
        return sql, [expression, expression, *params]

    def _filters(self, query: ArticleQuery) -> tuple[list[str], list[Any]]:
        """The conditions on an article ``a`` other than the search, and their parameters."""
        clauses: list[str] = []
        params: list[Any] = []
        if query.outlet:
            clauses.append(
                "(a.outlet = ? COLLATE NOCASE OR EXISTS (SELECT 1 FROM sightings s "
                "WHERE s.article_id = a.id AND s.outlet = ? COLLATE NOCASE))"
            )
            params += [query.outlet, query.outlet]
        if query.actor_id:
            clauses.append(
                "EXISTS (SELECT 1 FROM mentions m JOIN actor_names n ON n.name = m.name "
                "AND n.kind = m.kind WHERE m.article_id = a.id AND n.actor_id = ?)"
            )
            params.append(query.actor_id)
        if query.since:
            clauses.append("a.published_utc >= ?")
            params.append(query.since.timestamp())
        if query.until:
            clauses.append("a.published_utc < ?")
            params.append(query.until.timestamp())
        return clauses, params

    def sightings(self, article_id: str) -> list[Sighting]:
        rows = self._db.execute(
            f"SELECT {_SIGHTING_COLUMNS} FROM sightings WHERE article_id = ? ORDER BY pk",
            (article_id,),
        ).fetchall()
        return [_sighting(row) for row in rows]

    def articles_of_record(self, key: str) -> list[str]:
        """Ids of the articles seen under this input id or url (a record's own lookup)."""
        rows = self._db.execute(
            "SELECT DISTINCT article_id FROM sightings WHERE (input_id = ? OR url = ?) "
            "AND ? != '' ORDER BY pk LIMIT 5",
            (key, key, key),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def copy_links(self, article_id: str) -> list[CopyLink]:
        rows = self._db.execute(
            "SELECT copy_id, origin_id, similarity, containment FROM copies "
            "WHERE copy_id = ? OR origin_id = ? ORDER BY copy_id",
            (article_id, article_id),
        ).fetchall()
        return [CopyLink(r[0], r[1], float(r[2]), float(r[3])) for r in rows]

    def duplicated_ids(self) -> list[str]:
        """Articles seen in more than one place (exact duplicates), oldest first."""
        rows = self._db.execute(
            "SELECT s.article_id FROM sightings s JOIN articles a ON a.id = s.article_id "
            "GROUP BY s.article_id HAVING COUNT(*) > 1 ORDER BY MIN(a.pk)"
        ).fetchall()
        return [str(row[0]) for row in rows]

    def all_copy_links(self) -> list[CopyLink]:
        rows = self._db.execute(
            "SELECT copy_id, origin_id, similarity, containment FROM copies ORDER BY copy_id"
        ).fetchall()
        return [CopyLink(r[0], r[1], float(r[2]), float(r[3])) for r in rows]

    # events and storylines

    def iter_articles_in_order(self) -> Iterator[Article]:
        """Every article in publication order; undated ones last, in ingest order."""
        cursor = self._db.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles "
            "ORDER BY published_utc IS NULL, published_utc, pk"
        )
        for row in cursor:
            yield _article(row)

    def replace_events(self, build: EventBuild, built_from: int | None = None) -> None:
        """Swap in a new clustering in one transaction: readers see the old or the new.

        ``built_from`` is the ``articles`` mark the build read; events are current while it
        stays the mark (see :meth:`events_stale`).
        """
        with self.transaction():
            if built_from is not None:
                self.set_mark("events_from", built_from)
            self.set_mark("cluster_version", 0)  # the next incremental run rebuilds first
            for table in ("article_events", "event_names", "events", "storylines"):
                self._db.execute(f"DELETE FROM {table}")
            self._db.executemany(
                "INSERT INTO storylines (id, title, first_published, last_published, articles) "
                "VALUES (?,?,?,?,?)",
                [(s.id, s.title, s.first_published, s.last_published, s.articles)
                 for s in build.storylines],
            )  # fmt: skip
            self._db.executemany(
                "INSERT INTO events (id, title, size, representative_id, storyline_id, "
                "first_published, first_utc, last_published, outlets, key_terms) "
                "VALUES (?, (SELECT title FROM articles WHERE id = ?), ?,?,?,?,?,?,?,?)",
                [(e.id, e.representative_id, e.size, e.representative_id, e.storyline_id,
                  e.first_published, build.first_utc.get(e.id), e.last_published,
                  json.dumps(e.outlets, ensure_ascii=False),
                  json.dumps(e.key_terms, ensure_ascii=False)) for e in build.events],
            )  # fmt: skip
            self._db.executemany(
                "INSERT INTO article_events (article_id, event_id, similarity) VALUES (?,?,?)",
                build.assignments,
            )

    def list_events(
        self, storyline_id: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Event]:
        where = "WHERE storyline_id = ?" if storyline_id else ""
        params: list[Any] = [storyline_id] if storyline_id else []
        rows = self._db.execute(
            f"SELECT * FROM events {where} ORDER BY first_utc IS NULL, first_utc, id "
            "LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
        return [_event(row) for row in rows]

    def count_events(self) -> int:
        return self._scalar("SELECT COUNT(*) FROM events")

    def count_storylines(self) -> int:
        return self._scalar("SELECT COUNT(*) FROM storylines")

    def get_event(self, event_id: str) -> Event | None:
        row = self._db.execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        return _event(row) if row else None

    def event_of(self, article_id: str) -> str | None:
        row = self._db.execute(
            "SELECT event_id FROM article_events WHERE article_id = ?", (article_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def event_articles(self, event_id: str) -> list[Article]:
        rows = self._db.execute(
            f"SELECT {_prefixed(_ARTICLE_COLUMNS)} FROM articles a "
            "JOIN article_events ae ON ae.article_id = a.id WHERE ae.event_id = ? "
            "ORDER BY a.published_utc IS NULL, a.published_utc, a.pk",
            (event_id,),
        ).fetchall()
        return [_article(row) for row in rows]

    def list_storylines(self) -> list[Storyline]:
        rows = self._db.execute(
            "SELECT s.*, (SELECT MIN(first_utc) FROM events e WHERE e.storyline_id = s.id) AS t "
            "FROM storylines s ORDER BY t IS NULL, t, s.id"
        ).fetchall()
        return [self._storyline(row) for row in rows]

    def get_storyline(self, storyline_id: str) -> Storyline | None:
        row = self._db.execute("SELECT * FROM storylines WHERE id = ?", (storyline_id,)).fetchone()
        return self._storyline(row) if row else None

    def _storyline(self, row: sqlite3.Row) -> Storyline:
        events = self._db.execute(
            "SELECT id FROM events WHERE storyline_id = ? "
            "ORDER BY first_utc IS NULL, first_utc, id",
            (row["id"],),
        ).fetchall()
        return Storyline(
            id=row["id"], title=row["title"], event_ids=[str(e[0]) for e in events],
            articles=int(row["articles"]), first_published=row["first_published"],
            last_published=row["last_published"],
        )  # fmt: skip

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """One row per sighting (an input record) of every article, with the record's own
        title, outlet and date, and the article's event and storyline."""
        cursor = self._db.execute(
            "SELECT s.article_id, s.input_id, s.url, s.outlet, "
            "COALESCE(s.published, a.published), ae.event_id, e.storyline_id, "
            "COALESCE(s.title, a.title), a.thin "
            "FROM sightings s JOIN articles a ON a.id = s.article_id "
            "LEFT JOIN article_events ae ON ae.article_id = a.id "
            "LEFT JOIN events e ON e.id = ae.event_id "
            "ORDER BY a.published_utc IS NULL, a.published_utc, a.pk, s.pk"
        )
        for row in cursor:
            yield {
                "article_id": row[0], "input_id": row[1] or None, "url": row[2] or None,
                "outlet": row[3], "published": row[4], "event_id": row[5],
                "storyline_id": row[6], "title": row[7], "thin": row[8],
            }  # fmt: skip

    def outlet_rows(
        self, outlet: str | None = None, limit: int = -1, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Per outlet: articles, first and last publication time (UTC seconds), and how
        its name was found (field, table, url, folder); most articles first."""
        where = "WHERE s.outlet = ? COLLATE NOCASE" if outlet else ""
        rows = self._db.execute(
            "SELECT s.outlet, COUNT(DISTINCT s.article_id), MIN(a.published_utc), "
            "MAX(a.published_utc), GROUP_CONCAT(DISTINCT COALESCE(s.outlet_source, '')) "
            f"FROM sightings s JOIN articles a ON a.id = s.article_id {where} "
            "GROUP BY s.outlet ORDER BY 2 DESC, s.outlet LIMIT ? OFFSET ?",
            [*([outlet] if outlet else []), limit, offset],
        ).fetchall()
        return [
            {"outlet": row[0], "articles": int(row[1]), "first_utc": row[2], "last_utc": row[3],
             "sources": sorted(filter(None, str(row[4] or "").split(",")))}
            for row in rows
        ]  # fmt: skip

    def outlet_urls(self, outlet: str) -> list[str]:
        """The urls of an outlet's sightings."""
        rows = self._db.execute(
            "SELECT url FROM sightings WHERE outlet = ? COLLATE NOCASE AND url != ''", (outlet,)
        ).fetchall()
        return [str(row[0]) for row in rows]

    def outlet_counts(self) -> dict[str, int]:
        """Outlet -> its articles, most articles first."""
        rows = self._db.execute(
            "SELECT outlet, COUNT(DISTINCT article_id) AS n FROM sightings "
            "GROUP BY outlet ORDER BY n DESC, outlet"
        ).fetchall()
        return {str(row[0]): int(row[1]) for row in rows}

    def stats(self) -> dict[str, Any]:
        one = self._scalar
        languages = self._db.execute(
            "SELECT COALESCE(language, 'unknown'), COUNT(*) FROM articles "
            "GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
        return {
            "store": self.location,
            "schema_version": self._version(),
            "articles": one("SELECT COUNT(*) FROM articles"),
            "sightings": one("SELECT COUNT(*) FROM sightings"),
            "exact_duplicates": one("SELECT COUNT(*) FROM sightings")
            - one("SELECT COUNT(DISTINCT article_id) FROM sightings"),
            "copies": one("SELECT COUNT(*) FROM copies"),
            "events": one("SELECT COUNT(*) FROM events"),
            "storylines": one("SELECT COUNT(*) FROM storylines"),
            "annotated": one("SELECT COUNT(*) FROM annotations"),
            "actors": one("SELECT COUNT(*) FROM actors"),
            "quotes": one("SELECT COUNT(*) FROM quotes"),
            "undated": one("SELECT COUNT(*) FROM articles WHERE published IS NULL"),
            "thin": one("SELECT COUNT(*) FROM articles WHERE thin IS NOT NULL"),
            "first_published": self._first(
                "SELECT published FROM articles WHERE published_utc IS NOT NULL "
                "ORDER BY published_utc LIMIT 1"
            ),
            "last_published": self._first(
                "SELECT published FROM articles WHERE published_utc IS NOT NULL "
                "ORDER BY published_utc DESC LIMIT 1"
            ),
            "outlets": self.outlet_counts(),
            "languages": {str(row[0]): int(row[1]) for row in languages},
        }

    def _scalar(self, sql: str) -> int:
        return int(self._db.execute(sql).fetchone()[0])

    def _first(self, sql: str) -> Any:
        row = self._db.execute(sql).fetchone()
        return row[0] if row else None

    def integrity_problems(self) -> list[str]:
        """SQLite's own integrity check plus newsweave's invariants; empty when all is well."""
        problems = [
            str(row[0]) for row in self._db.execute("PRAGMA integrity_check") if row[0] != "ok"
        ]
        checks = {
            "articles without a sighting": "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM sightings s WHERE s.article_id = a.id)",
            "articles without a signature": "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM signatures s WHERE s.article_id = a.id)",
            "full-text rows out of step": "SELECT (SELECT COUNT(*) FROM articles) - "
            "(SELECT COUNT(*) FROM articles_fts)",
        }
        for label, sql in checks.items():
            count = self._scalar(sql)
            if count:
                problems.append(f"{label}: {count}")
        return problems


def _statements(script: str) -> Iterator[str]:
    """The statements of a SQL script, one at a time (triggers whole).

    >>> list(_statements("CREATE TABLE t (x); INSERT INTO t VALUES (';');"))
    ['CREATE TABLE t (x);', "INSERT INTO t VALUES (';');"]
    """
    start = 0
    for end, character in enumerate(script):
        if character == ";" and sqlite3.complete_statement(script[start : end + 1]):
            yield script[start : end + 1].strip()
            start = end + 1
    if script[start:].strip():
        yield script[start:].strip()


def _prefixed(columns: str) -> str:
    return ", ".join(f"a.{name.strip()}" for name in columns.split(","))


def _searching(query: ArticleQuery) -> bool:
    return bool(query.text and query.text.strip())


def _where(clauses: list[str]) -> str:
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


def fts_expression(text: str) -> str:
    """A safe FTS5 query: every word and "quoted phrase" must match; ``word*`` is a prefix;
    ``OR`` in capitals between two terms lets either match.

    >>> fts_expression('"Red Cross" OR nato* aid')
    '"Red Cross" OR "nato"* AND "aid"'
    """
    parts: list[str] = []
    for phrase, bare in _FTS_TOKEN.findall(text):
        if bare == "OR":
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        words = _WORD.findall(phrase or bare)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if bare and bare.endswith("*") and len(words) == 1:
            term += "*"
        parts.extend([term] if not parts or parts[-1] == "OR" else ["AND", term])
    while parts and parts[-1] == "OR":
        parts.pop()
    if not parts:
        raise QueryError(f"search query {text!r} has no words")
    return " ".join(parts)


def _event(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"], title=row["title"], size=int(row["size"]),
        representative_id=row["representative_id"], storyline_id=row["storyline_id"],
        first_published=row["first_published"], last_published=row["last_published"],
        outlets=json.loads(row["outlets"]), key_terms=json.loads(row["key_terms"]),
    )  # fmt: skip


def _published_values(published: Published | None) -> tuple[Any, ...]:
    """The columns published, published_utc, published_precision, published_tz_assumed."""
    if published is None:
        return (None, None, None, None)
    return (
        published.isoformat(), published.utc_seconds(), published.precision,
        int(published.tz_assumed),
    )  # fmt: skip


def _sighting(row: sqlite3.Row) -> Sighting:
    return Sighting(
        article_id=row["article_id"], outlet=row["outlet"], origin=row["origin"],
        url=row["url"] or None, input_id=row["input_id"] or None, title=row["title"],
        published=row["published"], outlet_source=row["outlet_source"],
    )  # fmt: skip


def _article(row: sqlite3.Row) -> Article:
    return Article(
        id=row["id"],
        title=row["title"],
        text=row["text"],
        outlet=row["outlet"],
        origin=row["origin"],
        url=row["url"],
        published=published_from_stored(
            row["published"], row["published_precision"], row["published_tz_assumed"]
        ),
        language=row["language"],
        authors=tuple(json.loads(row["authors"] or "[]")),
        input_id=row["input_id"],
        thin=row["thin"],
        outlet_source=row["outlet_source"],
    )
