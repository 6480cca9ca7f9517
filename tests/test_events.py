"""Events and storylines: the demo corpus comes out as written; the clusterer's contract."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsweave import Newsweave, demo_corpus_path
from newsweave.events import ClusterInput, EventClusterer, EventConfig
from tests.helpers import cli

TRUTH: dict[str, Any] = json.loads((demo_corpus_path().parent / "truth.json").read_text())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Newsweave, str]]:
    db = str(tmp_path_factory.mktemp("events") / "demo.db")
    with Newsweave(db) as news:
        news.ingest_demo()
        yield news, db


def gold_event_of(news: Newsweave) -> dict[str, str]:
    """Article id → the event the demo's author intended."""
    by_url = {a["url"]: a["event"] for a in TRUTH["articles"]}
    by_file = {a["file"].rsplit("/", 1)[-1]: a["event"] for a in TRUTH["articles"]}
    found: dict[str, str] = {}
    for article in news.articles(limit=1000):
        detail = news.article(article.id)
        assert detail is not None
        urls = [s.url for s in detail.sightings if s.url in by_url]
        found[article.id] = by_url[urls[0]] if urls else by_file[article.origin.rsplit("/")[-1]]
    return found


def partition(pairs: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for item, group in pairs.items():
        groups[group].add(item)
    return {frozenset(members) for members in groups.values()}


def test_demo_events_are_the_intended_events(demo: tuple[Newsweave, str]) -> None:
    news, _ = demo
    gold = gold_event_of(news)
    predicted = {a: e.id for e in news.events(limit=100) for a in _members(news, e.id)}
    assert partition(predicted) == partition(gold)


def test_demo_storylines_are_the_intended_storylines(demo: tuple[Newsweave, str]) -> None:
    news, _ = demo
    gold = gold_event_of(news)
    story_of_event = {e["id"]: e["storyline"] or f"alone-{e['id']}" for e in TRUTH["events"]}
    predicted = {}
    for event in news.events(limit=100):
        for article_id in _members(news, event.id):
            predicted[article_id] = event.storyline_id
    assert partition(predicted) == partition({a: story_of_event[e] for a, e in gold.items()})


def test_same_kind_years_apart_are_two_events_of_one_storyline(
    demo: tuple[Newsweave, str],
) -> None:
    news, _ = demo
    gold = gold_event_of(news)
    first, second = TRUTH["planted"]["same_kind_years_apart"]
    event_of = {a: e for e in news.events(limit=100) for a in _members(news, e.id)}
    ours_first = {event_of[a].id for a, g in gold.items() if g == first}
    ours_second = {event_of[a].id for a, g in gold.items() if g == second}
    assert len(ours_first) == len(ours_second) == 1 and ours_first != ours_second
    storylines = {event_of[a].storyline_id for a, g in gold.items() if g in (first, second)}
    assert len(storylines) == 1


def test_same_day_same_kind_stay_apart(demo: tuple[Newsweave, str]) -> None:
    news, _ = demo
    gold = gold_event_of(news)
    event_of = {a: e for e in news.events(limit=100) for a in _members(news, e.id)}
    fires = TRUTH["planted"]["same_day_same_kind"]
    events = [{event_of[a].id for a, g in gold.items() if g == fire} for fire in fires]
    assert all(len(found) == 1 for found in events) and events[0] != events[1]


def _members(news: Newsweave, event_id: str) -> list[str]:
    found = news.event(event_id)
    assert found is not None
    return [article.id for article in found[1]]


def test_event_summaries(demo: tuple[Newsweave, str]) -> None:
    news, _ = demo
    for event in news.events(limit=100):
        event_found = news.event(event.id)
        assert event_found is not None
        members = event_found[1]
        assert event.size == len(members) >= 3
        assert event.title in {a.title for a in members}
        assert event.representative_id in {a.id for a in members}
        assert event.key_terms and event.outlets
    storylines = news.storylines()
    assert len(storylines) == 5
    kestria = next(s for s in storylines if len(s.event_ids) == 3 and "Dovlan" in s.title)
    found = news.storyline(kestria.id)
    assert found is not None
    assert [e.first_published or "" for e in found[1]] == sorted(
        e.first_published or "" for e in found[1]
    )


def test_cli_lists_shows_and_exports(demo: tuple[Newsweave, str]) -> None:
    _, db = demo
    listed = json.loads(cli("events", "list", "--db", db, "--json").stdout)
    assert listed["total"] == len(TRUTH["events"])
    first = listed["events"][0]["id"]
    shown = json.loads(cli("events", "show", first, "--db", db, "--json").stdout)
    assert len(shown["articles"]) == shown["size"]
    assert cli("events", "show", "ev-nope", "--db", db).code == 1
    stories = json.loads(cli("storylines", "list", "--db", db, "--json").stdout)
    story = stories["storylines"][0]["id"]
    shown_story = json.loads(cli("storylines", "show", story, "--db", db, "--json").stdout)
    assert [e["id"] for e in shown_story["events"]] == stories["storylines"][0]["event_ids"]
    rows = [json.loads(line) for line in cli("events", "export", "--db", db).stdout.splitlines()]
    assert len(rows) == len(TRUTH["articles"])  # one per sighting, the duplicate included
    assert set(rows[0]) == {
        "article_id", "input_id", "url", "outlet", "published", "event_id", "storyline_id",
    }  # fmt: skip
    assert all(row["event_id"] and row["storyline_id"] for row in rows)
    table = list(csv.DictReader(io.StringIO(cli("events", "export", "--db", db,
                                                "--format", "csv").stdout)))  # fmt: skip
    assert [r["article_id"] for r in table] == [r["article_id"] for r in rows]
    assert json.loads(cli("cluster", "--db", db, "--json").stdout) == {
        "events": len(TRUTH["events"]), "storylines": 5,
    }  # fmt: skip


SYLLABLES = ("ka", "lo", "mer", "tin", "sa", "vo", "ren", "di", "por", "el")


def name(number: int, salt: int) -> str:
    """A made-up proper name, different for every number."""
    digits = f"{number:04d}{salt}"
    return "".join(SYLLABLES[int(d)] for d in digits).title()


def stream(count: int, per_day: int = 20) -> Iterator[ClusterInput]:
    start = datetime(2020, 1, 1, tzinfo=UTC)
    for index in range(count):
        topic = index // 3  # three articles per event
        town, witness, suspect = name(topic, 1), name(topic, 2), name(topic, 3)
        yield ClusterInput(
            id=str(index),
            title=f"Fire in {town} destroys depot",
            text=f"Officers in {town} said {witness} saw {suspect} leave the depot.",
            published=start + timedelta(days=index / per_day),
        )


def test_online_groups_and_retires_events() -> None:
    clusterer = EventClusterer(EventConfig(idle_days=5))
    numbers = [clusterer.learn_one(article) for article in stream(3000)]
    assert numbers[0] == numbers[1] == numbers[2] != numbers[3]
    assert len(set(numbers)) == 1000
    assert len(clusterer.live) < 200  # idle events left the working set
    assert sum(len(v) for v in clusterer._index.values()) < 200 * EventConfig().index_terms


def test_undated_articles_are_placed_by_content() -> None:
    clusterer = EventClusterer(keep_retired=True)
    articles = list(stream(6))
    numbers = [clusterer.learn_one(a) for a in articles]
    undated = ClusterInput("u", articles[4].title, articles[4].text, None)
    assert clusterer.learn_one(undated) == numbers[4]


def test_dense_signal_separates_what_words_cannot() -> None:
    """With embeddings given, an unlike embedding keeps lexically close articles apart."""
    config = EventConfig(dense_weight=2.0, dense_offset=0.7)
    moment = datetime(2021, 5, 1, tzinfo=UTC)
    title, text = "Depot fire in Kalomer", "Officers in Kalomer said the depot burned."
    same, other = [1.0, 0.0], [0.0, 1.0]
    plain = EventClusterer()
    first = plain.learn_one(ClusterInput("a", title, text, moment))
    assert plain.learn_one(ClusterInput("b", title, text, moment)) == first
    dense = EventClusterer(config)
    first = dense.learn_one(ClusterInput("a", title, text, moment, embedding=same))
    assert dense.learn_one(ClusterInput("b", title, text, moment, embedding=same)) == first
    assert dense.learn_one(ClusterInput("c", title, text, moment, embedding=other)) != first


def test_online_clustering_keeps_the_demo_as_written(demo: tuple[Newsweave, str]) -> None:
    news, db = demo
    before = {e.id: (e.size, e.storyline_id) for e in news.events(limit=100)}
    stories = {s.id: s.event_ids for s in news.storylines()}
    try:
        run = cli("cluster", "--db", db, "--online", "--json")
        assert json.loads(run.stdout) == {"events": len(TRUTH["events"]), "storylines": 5}
        assert {e.id: (e.size, e.storyline_id) for e in news.events(limit=100)} == before
        assert {s.id: s.event_ids for s in news.storylines()} == stories
    finally:
        news.cluster()  # back to the default for the other tests of this module


def test_rare_shared_names_let_a_late_follow_up_join() -> None:
    start = datetime(2022, 3, 1, tzinfo=UTC)
    first = ClusterInput(
        "a", "Shooting in Kalomer", "Renvo Daltik and Misa Porel were hurt; Tavi Sorn was held.",
        start,
    )  # fmt: skip
    follow = ClusterInput(
        "b", "Trial opens in Kalomer shooting",
        "Tavi Sorn went on trial for wounding Renvo Daltik and Misa Porel.",
        start + timedelta(days=90),
    )  # fmt: skip
    stranger = ClusterInput(
        "c", "Shooting trial opens in Kalomer",
        "In a separate case, Ado Velm went on trial for wounding Kiro Fasten.",
        start + timedelta(days=89),
    )  # fmt: skip
    clusterer = EventClusterer()
    event = clusterer.learn_one(first)
    assert clusterer.learn_one(stranger) != event  # same town and kind, other people
    assert clusterer.learn_one(follow) == event  # the same three people, months later
