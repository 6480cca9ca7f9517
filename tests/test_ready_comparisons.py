"""Ready comparisons: each event's comparison is kept in the store after clustering, used
while current, made again when its event changes, and read by the pages and REST."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsweave import Newsweave
from newsweave.api import CompareContext
from newsweave.compare.build import compare, load_coverage
from newsweave.compare.model import Comparison, comparison_from_dict
from newsweave.model import Event
from newsweave.web.app import create_app
from newsweave.web.server import Settings

MARK = "kept, not made again"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("ready") / "demo.db"
    with Newsweave(db) as news:
        news.ingest_demo()
    return db


@pytest.fixture
def store(demo_store: Path, tmp_path: Path) -> str:
    """A copy of the demo store of its own (closed, so the one file holds everything)."""
    return str(shutil.copy(demo_store, tmp_path / "store.db"))


def fresh(news: Newsweave, event: Event, context: CompareContext) -> Comparison:
    """The event's comparison made now, bypassing the kept one."""
    return compare(
        event.id, event.title, load_coverage(news.store, event.id), outlets=context.outlets,
        actor_of=context.actor_of, loaded=context.loaded, table=news.outlets,
    )  # fmt: skip


def kept_data(news: Newsweave, event_id: str, context: CompareContext) -> dict[str, Any]:
    current = news.store.comparisons.fingerprint_of(event_id, context.salt)
    assert current is not None
    found = news.store.comparisons.get(event_id, current)
    assert found is not None, f"{event_id}: no current kept comparison"
    return found


def test_after_an_ingest_every_event_has_a_current_comparison_equal_to_a_fresh_one(
    store: str,
) -> None:
    with Newsweave(store) as news:
        context = news.compare_context()
        events = news.events(limit=100)
        assert len(events) == 11 and all(e.size >= 2 for e in events)
        assert news.store.comparisons.stale_ids(context.salt) == []
        assert news.store.comparisons.count() == len(events)
        for event in events:
            stored = comparison_from_dict(kept_data(news, event.id, context))
            assert stored == fresh(news, event, context)
            assert news.compare(event.id, context=context) == stored


def test_one_more_article_makes_its_event_stale_and_refresh_makes_it_again(store: str) -> None:
    with Newsweave(store) as news:
        context = news.compare_context()
        event = news.events(limit=1)[0]
        first = news.store.event_articles(event.id)[0]
        assert first.published is not None
        news.add(
            [{"title": f"{first.title} (update)", "source": "The Late Wire",
              "published": first.published.isoformat(),
              "text": first.text + "\n\nOfficials said more details would follow this week."}],
            cluster=False,
        )  # fmt: skip
        assert news.store.comparisons.stale_ids(context.salt) == []  # events not rebuilt yet
        news.cluster()
        grown = news.store.get_event(event.id)
        assert grown is not None and grown.size == event.size + 1
        assert news.store.comparisons.stale_ids(context.salt) == [event.id]
        assert news.refresh_comparisons() == 1
        assert news.store.comparisons.stale_ids(context.salt) == []
        stored = comparison_from_dict(kept_data(news, event.id, context))
        assert "The Late Wire" in stored.outlets
        assert stored == fresh(news, grown, news.compare_context())
        assert news.refresh_comparisons([event.id]) == 0  # current: nothing to make


def test_an_ingest_makes_the_changed_events_comparisons_ready(store: str) -> None:
    """The same text from another outlet is one more record of a member article, not a new
    article: events stay, but its event's kept comparison is dropped and made again."""
    with Newsweave(store) as news:
        event = news.events(limit=1)[0]
        first = news.store.event_articles(event.id)[0]
        others = [e.id for e in news.events(limit=100)[1:]]
        before = {e: kept_data(news, e, news.compare_context()) for e in others}
        news.add([{"title": first.title, "text": first.text, "source": "The Late Wire"}])
        context = news.compare_context()
        assert news.store.comparisons.stale_ids(context.salt) == []
        assert "The Late Wire" in kept_data(news, event.id, context)["outlets"]
        assert {e: kept_data(news, e, context) for e in others} == before


def test_pages_and_rest_read_the_kept_comparison(store: str) -> None:
    with Newsweave(store) as news:
        event_id = news.events(limit=1)[0].id
        current = news.store.comparisons.fingerprint_of(event_id, news.compare_context().salt)
    with sqlite3.connect(store) as raw:  # the kept one, marked, with its fingerprint as it was
        raw.execute(
            "UPDATE comparisons SET data = json_set(data, '$.title', ?) WHERE event_id = ?",
            (MARK, event_id),
        )
    with TestClient(create_app(Settings(store))) as client:
        page = client.get(f"/events/{event_id}")
        rest = client.get(f"/api/v1/events/{event_id}/comparison")
    assert page.status_code == 200 and MARK in page.text
    assert rest.status_code == 200 and rest.json()["title"] == MARK
    with Newsweave(store, read_only=True) as news:
        found = news.compare(event_id)
        assert found is not None and found.title == MARK
        assert news.store.comparisons.fingerprint_of(event_id, news.compare_context().salt) == (
            current
        )


def test_a_missing_comparison_is_made_on_demand_and_kept_unless_read_only(store: str) -> None:
    with Newsweave(store) as news:
        event_id = news.events(limit=1)[0].id
    with sqlite3.connect(store) as raw:
        raw.execute("DELETE FROM comparisons WHERE event_id = ?", (event_id,))
    with Newsweave(store, read_only=True) as news:
        assert news.compare(event_id) is not None
        assert news.store.comparisons.stale_ids(news.compare_context().salt) == [event_id]
    with Newsweave(store) as news:
        made = news.compare(event_id)
        assert made is not None
        context = news.compare_context()
        assert news.store.comparisons.stale_ids(context.salt) == []
        assert comparison_from_dict(kept_data(news, event_id, context)) == made


def test_a_one_article_event_is_kept_too(store: str) -> None:
    with Newsweave(store) as news:
        text = "Dock workers in Harlow voted to end their ferry strike on Friday."
        news.add([{"title": "Ferry strike ends", "source": "Harlow Post", "text": text,
                   "published": "2021-02-05T10:00:00+00:00"}])  # fmt: skip
        lone = [e for e in news.events(limit=100) if e.size == 1]
        assert len(lone) == 1
        context = news.compare_context()
        stored = comparison_from_dict(kept_data(news, lone[0].id, context))
        assert len(stored.articles) == 1 and stored == fresh(news, lone[0], context)
        assert news.store.comparisons.count() == 12


def test_other_loaded_terms_make_the_kept_comparison_stale(store: str, tmp_path: Path) -> None:
    terms = tmp_path / "loaded.txt"
    terms.write_text("regime\n", encoding="utf-8")
    with Newsweave(store, read_only=True) as news:
        usual = news.compare_context()
        other = news.compare_context(terms)
        assert usual.salt != other.salt
        assert news.store.comparisons.stale_ids(usual.salt) == []
        assert len(news.store.comparisons.stale_ids(other.salt)) == 11
