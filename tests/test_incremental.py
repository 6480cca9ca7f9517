"""Incremental events: new articles join stored events, ids stay, merged ids redirect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsweave import Newsweave
from newsweave.evaluate import score_clustering
from newsweave.events.incremental import Member, _Region, _Writer
from newsweave.synth import synthetic_event_stream
from newsweave.web.app import create_app
from newsweave.web.server import Settings


def _records(count: int, seed: int = 4) -> list[dict[str, Any]]:
    return list(synthetic_event_stream(count, seed=seed, per_day=40))


def _labels(news: Newsweave, records: list[dict[str, Any]]) -> tuple[list[str], list[int]]:
    """Each stored article's event id and its generated event label."""
    predicted, gold = [], []
    for record in records:
        detail = news.article(record["id"])
        assert detail is not None
        event = news.store.event_of(detail.article.id)
        assert event is not None
        predicted.append(event)
        gold.append(int(record["event"]))
    return predicted, gold


def _event_rows(news: Newsweave) -> dict[str, tuple[Any, ...]]:
    return {e.id: (e.size, e.representative_id, tuple(e.outlets)) for e in news.events(limit=10**6)}


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A store fed 300 articles in three batches, with what each batch changed."""
    records = _records(300)
    db = tmp_path_factory.mktemp("incremental") / "news.db"
    found: dict[str, Any] = {"records": records, "db": db, "before": [], "changes": []}
    with Newsweave(db) as news:
        for start in range(0, 300, 100):
            found["before"].append(_event_rows(news))
            news.add(records[start : start + 100], annotate=False)
            found["changes"].append(news.last_changes)
        found["after"] = _event_rows(news)
        found["incremental"] = _labels(news, records)
    return found


def test_a_batch_clusters_only_its_articles_and_rewrites_only_the_events_it_touched(
    grown: dict[str, Any],
) -> None:
    last = grown["changes"][-1]
    assert last.articles == 100  # the new articles, not the 300 stored
    before, after = grown["before"][-1], grown["after"]
    untouched = set(before) - set(last.changed) - set(last.redirects)
    assert untouched, "the last batch touched every event"
    assert all(after[event_id] == before[event_id] for event_id in untouched)
    assert set(last.changed) <= set(after)


def test_incremental_events_score_as_the_rebuild_does(grown: dict[str, Any]) -> None:
    predicted, gold = grown["incremental"]
    incremental = score_clustering(predicted, gold).bcubed.f1
    with Newsweave(grown["db"]) as news:
        news.cluster(rebuild=True)
        assert news.last_changes.articles == 300
        rebuilt = score_clustering(*_labels(news, grown["records"])).bcubed.f1
        kept = set(grown["after"]) & set(_event_rows(news))
    assert incremental >= 0.9
    assert abs(incremental - rebuilt) <= 0.02
    assert len(kept) >= 0.9 * len(grown["after"])  # a rebuild keeps ids where groups allow


def test_an_event_keeps_its_id_when_it_gains_an_article(tmp_path: Path) -> None:
    records = _records(120, seed=9)
    by_event: dict[int, list[dict[str, Any]]] = {}
    for record in records:
        by_event.setdefault(int(record["event"]), []).append(record)
    story = next(group for group in by_event.values() if len(group) >= 3)
    rest = [r for r in records if r not in story]
    with Newsweave(tmp_path / "news.db") as news:
        news.add([*rest, *story[:-1]], annotate=False)
        first = news.article(story[0]["id"])
        assert first is not None
        event_id = news.store.event_of(first.article.id)
        assert event_id is not None
        size = news.store.get_event(event_id).size  # type: ignore[union-attr]
        news.add(story[-1:], annotate=False)
        last = news.article(story[-1]["id"])
        assert last is not None
        assert news.store.event_of(last.article.id) == event_id
        assert news.store.get_event(event_id).size == size + 1  # type: ignore[union-attr]
        assert news.last_changes.changed == [event_id]


def test_a_changed_article_is_clustered_again_once(tmp_path: Path) -> None:
    records = _records(60, seed=2)
    with Newsweave(tmp_path / "news.db") as news:
        news.add(records, annotate=False)
        detail = news.article(records[10]["id"])
        assert detail is not None
        with news.store.transaction():
            news.store.mark_thin(detail.article.id, "shared")
        assert news.store.events_stale()
        news.cluster()
        assert news.last_changes.articles == 1
        assert not news.store.clustering.dirty_article_ids()
        assert sum(e.size for e in news.events(limit=1000)) == news.count()
        assert news.store.clustering.items_of_articles([detail.article.id])


def _writer(tmp_path: Path, olds: dict[int, str | None]) -> _Writer:
    news = Newsweave(tmp_path / "names.db")
    members = {item: Member(f"article{item:02d}", "", "Wire", None, float(item)) for item in olds}
    region = _Region(sorted(olds), {}, members, olds, {})
    return _Writer(news.store.clustering, region, rewrite_all=False)


def test_merged_events_keep_the_bigger_share_s_id_and_redirect_the_other(tmp_path: Path) -> None:
    writer = _writer(tmp_path, {1: "ev-a", 2: "ev-a", 3: "ev-a", 4: "ev-b", 5: None})
    names, redirects = writer._name([[1, 2, 3, 4, 5]])
    assert names == ["ev-a"]
    assert redirects == {"ev-b": ("ev-a", "merged")}


def test_a_split_event_keeps_its_id_on_the_larger_part(tmp_path: Path) -> None:
    writer = _writer(tmp_path, {1: "ev-a", 2: "ev-a", 3: "ev-a", 4: "ev-b", 5: "ev-b"})
    names, redirects = writer._name([[1, 2], [3], [4, 5]])
    assert names == ["ev-a", "ev-article03", "ev-b"]
    assert redirects == {}
    names, redirects = writer._name([[1, 4], [2, 5], [3]])
    assert names[:2] == ["ev-a", "ev-b"] and redirects == {}


def test_old_ids_redirect_in_rest_and_the_web_app(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with Newsweave(db) as news:
        news.add(_records(40, seed=5), annotate=False)
        kept = news.events(limit=1)[0]
        with news.store.transaction():
            news.store.clustering.redirect("ev-gone", kept.id, "merged")
        assert news.redirect("ev-gone") == kept.id
        assert news.redirect(kept.id) is None
    with TestClient(create_app(Settings(db=str(db))), follow_redirects=False) as client:
        for path in ("/api/v1/events/ev-gone", "/api/v1/events/ev-gone/comparison",
                     "/events/ev-gone"):  # fmt: skip
            answer = client.get(path + "?x=1")
            assert answer.status_code == 308, path
            assert answer.headers["location"] == path.replace("ev-gone", kept.id) + "?x=1"
        assert client.get("/api/v1/events/ev-never").status_code == 404
        followed = client.get("/api/v1/events/ev-gone", follow_redirects=True)
        assert followed.status_code == 200 and followed.json()["id"] == kept.id
