"""The bundled demo corpus: every format read, planted duplicates found, nothing invented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from newsweave import Newsweave, demo_corpus_path
from newsweave.ingest.dates import parse_published

TRUTH: dict[str, Any] = json.loads((demo_corpus_path().parent / "truth.json").read_text())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsweave]:
    with Newsweave(tmp_path_factory.mktemp("demo") / "demo.db") as news:
        report = news.ingest_demo()
        assert report.skipped == 0, report.problems
        yield news


def by_url(news: Newsweave) -> dict[str, str]:
    """Every URL (of every sighting) → article id."""
    found: dict[str, str] = {}
    for article in news.articles(limit=1000):
        detail = news.article(article.id)
        assert detail is not None
        for sighting in detail.sightings:
            if sighting.url:
                found[sighting.url] = article.id
    return found


def test_corpus_meets_the_brief() -> None:
    articles = TRUTH["articles"]
    assert len(articles) >= 40
    assert len({a["outlet"] for a in articles}) >= 6
    assert len(TRUTH["events"]) >= 8 and len(TRUTH["storylines"]) >= 3
    years = {e["date"][:4] for e in TRUTH["events"]}
    assert len(years) >= 4
    assert {a["format"] for a in articles} >= {
        "md", "txt", "html", "json", "jsonl", "csv", "parquet", "rss", "atom", "warc",
    }  # fmt: skip


def test_every_article_is_read(demo: Newsweave) -> None:
    stats = demo.stats()
    assert stats["sightings"] == len(TRUTH["articles"])
    assert stats["articles"] == len(TRUTH["articles"]) - 1  # one exact duplicate
    urls = by_url(demo)
    for article in TRUTH["articles"]:
        if article.get("url_in_source", True):
            assert article["url"] in urls, article["url"]


def test_dates_are_kept_and_never_invented(demo: Newsweave) -> None:
    urls = by_url(demo)
    for truth in TRUTH["articles"]:
        if not truth.get("url_in_source", True):
            continue
        stored = demo.article(urls[truth["url"]])
        assert stored is not None
        expected = parse_published(truth["published"])
        if expected is None:
            assert stored.article.published is None, truth["url"]
        elif truth["url"] == stored.article.url:
            assert stored.article.published == expected, truth["url"]
    undated = demo.article(urls[TRUTH["planted"]["undated"]])
    assert undated is not None and undated.article.published is None


def test_outlets_match(demo: Newsweave) -> None:
    urls = by_url(demo)
    for truth in TRUTH["articles"]:
        if truth.get("url_in_source", True):
            detail = demo.article(urls[truth["url"]])
            assert detail is not None
            assert truth["outlet"] in {s.outlet for s in detail.sightings}, truth["url"]


def test_exact_duplicate_kept_once_with_both_outlets(demo: Newsweave) -> None:
    urls = by_url(demo)
    first, second = TRUTH["planted"]["exact_duplicate"]["urls"]
    assert urls[first] == urls[second]
    detail = demo.article(urls[first])
    assert detail is not None and {s.url for s in detail.sightings} == {first, second}


def test_near_duplicate_linked_to_its_origin(demo: Newsweave) -> None:
    urls = by_url(demo)
    planted = TRUTH["planted"]["near_duplicate"]
    (link,) = demo.copies()
    assert (link.copy_id, link.origin_id) == (
        urls[planted["copy_url"]],
        urls[planted["origin_url"]],
    )


def test_planted_text_features_survive_extraction(demo: Newsweave) -> None:
    urls = by_url(demo)

    def text_of(url: str) -> str:
        detail = demo.article(urls[url])
        assert detail is not None
        return " ".join(detail.article.text.split())

    for item in TRUTH["planted"]["citation_chain"]:
        assert " ".join(item["sentence"].split()) in text_of(item["citing_url"])
    for item in TRUTH["planted"]["relative_dates"]:
        if item["url"] in urls:
            assert item["expression"].lower() in text_of(item["url"]).lower(), item
    for conflict in TRUTH["planted"]["number_conflicts"]:
        for value in conflict["values"]:
            assert " ".join(value["sentence"].split()) in text_of(value["url"])


def test_reingesting_the_demo_changes_nothing(demo: Newsweave) -> None:
    before = demo.stats()
    report = demo.ingest_demo()
    assert (report.new, report.skipped, report.already_stored) == (0, 0, len(TRUTH["articles"]))
    assert demo.stats() == before
