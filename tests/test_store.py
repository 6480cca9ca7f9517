"""The SQLite store: schema versions, WAL, idempotent re-ingest, search and filters."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsweave import Newsweave, open_store
from newsweave.store import QueryError, StoreError
from newsweave.store.migrations import SCHEMA_VERSION
from newsweave.store.sqlite import fts_expression

RECORDS = [
    {"title": "Barriers hold on the Wend", "source": "Wend Courier", "published": "2022-03-08",
     "text": "Flood barriers on the Wend held overnight, the water authority said."},
    {"title": "Dam vote passes", "source": "Valley Herald", "published": "2022-05-02T10:00:00Z",
     "text": "Councillors approved the upstream dam by nine votes to two on Monday."},
    {"title": "Ferry strike called off", "source": "Valley Herald",
     "text": "The ferry crews' union called off Friday's strike after a late pay offer."},
    {"title": "Café reopens", "source": "Wend Courier", "published": "2023-01-10",
     "text": "The riverside café reopened after repairs to its flood-damaged kitchen."},
]  # fmt: skip


@pytest.fixture
def filled(news: Newsweave) -> Newsweave:
    news.add(RECORDS)
    return news


def test_new_store_is_wal_with_current_schema(db: str) -> None:
    store = open_store(db)
    assert store.schema_version == SCHEMA_VERSION
    store.close()
    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_sqlite_url_and_unknown_backend(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path}/x.db")
    assert Path(store.location) == tmp_path / "x.db"
    store.close()
    with pytest.raises(StoreError, match="no store backend"):
        open_store("postgresql://localhost/news")


def test_newer_schema_is_refused(db: str) -> None:
    open_store(db).close()
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer"):
        open_store(db)


def test_not_a_store(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError):
        open_store(bogus)


def test_readding_adds_nothing(filled: Newsweave) -> None:
    before = filled.stats()
    report = filled.add(RECORDS)
    assert (report.new, report.already_stored) == (0, len(RECORDS))
    assert filled.stats() == before
    assert filled.store.integrity_problems() == []


def test_full_text_search(filled: Newsweave) -> None:
    titles = lambda query: [a.title for a in filled.articles(search=query)]  # noqa: E731
    assert titles("dam") == ["Dam vote passes"]
    assert set(titles("flood*")) == {"Barriers hold on the Wend", "Café reopens"}
    assert titles('"called off"') == ["Ferry strike called off"]
    assert titles("cafe") == ["Café reopens"]  # diacritics folded
    assert titles("strike ferry") == ["Ferry strike called off"]
    assert titles("nothing-like-this") == []
    assert filled.count(search="wend") == 1
    assert set(titles('dam OR "called off"')) == {"Dam vote passes", "Ferry strike called off"}


def test_search_input_cannot_break_the_query(filled: Newsweave) -> None:
    for hostile in ('dam" OR "1', "NEAR(", "a AND", "*", "'; DROP TABLE articles; --"):
        with contextlib.suppress(QueryError):
            filled.articles(search=hostile)
    assert filled.count() == len(RECORDS)
    with pytest.raises(QueryError):
        fts_expression("?? !!")


def test_filters(filled: Newsweave) -> None:
    herald = filled.articles(outlet="valley herald")
    assert {a.title for a in herald} == {"Dam vote passes", "Ferry strike called off"}
    since = filled.articles(since=datetime(2022, 4, 1, tzinfo=UTC))
    assert [a.title for a in since] == ["Dam vote passes", "Café reopens"]
    window = filled.articles(
        since=datetime(2022, 1, 1, tzinfo=UTC), until=datetime(2022, 12, 31, tzinfo=UTC)
    )
    assert [a.title for a in window] == ["Barriers hold on the Wend", "Dam vote passes"]
    everything = filled.articles()
    assert everything[-1].published is None  # undated last
    assert [a.title for a in filled.articles(limit=2, offset=1)] == [
        "Dam vote passes", "Café reopens",
    ]  # fmt: skip


def test_short_id_prefix(filled: Newsweave) -> None:
    article = filled.articles()[0]
    detail = filled.article(article.id[:6])
    assert detail is not None and detail.article.id == article.id
    assert filled.article("zzzz") is None
