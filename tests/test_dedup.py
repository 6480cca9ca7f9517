"""Exact duplicates are stored once with every place kept; near-duplicates are linked."""

from __future__ import annotations

import json
from pathlib import Path

from newsweave import Newsweave
from newsweave.copies import shingles
from newsweave.ingest.dedup import overlap
from newsweave.ingest.normalise import article_id
from tests.helpers import ARTICLE_TEXT, write

LONG_TEXT = "\n\n".join(
    [
        ARTICLE_TEXT,
        "Engineers from the authority inspected the barrier at Millbrook weir at dawn and "
        "found two panels leaking, which crews sealed with sandbags before the next tide.",
        "The mayor, Ines Harrow, thanked volunteers who had filled more than 4,000 sandbags "
        "since Sunday and asked residents to stay away from the embankment paths.",
        "Forecasters expect the rain to ease by Friday, though another front is due over the "
        "hills early next week and the river could rise again.",
    ]
)


def test_normalised_text_decides_exact_duplicates() -> None:
    assert article_id("Flood  barriers HOLD!") == article_id("flood barriers hold")
    assert article_id("flood barriers hold") != article_id("flood barriers held")


def test_exact_duplicate_stored_once_with_every_url_and_outlet(
    news: Newsweave, tmp_path: Path
) -> None:
    records = [
        {"id": "a1", "title": "Barriers hold", "text": LONG_TEXT, "source": "Wend Courier",
         "url": "https://wendcourier.example/1", "published": "2022-03-08T07:00:00Z"},
        {"id": "b7", "title": "Wire: barriers hold", "text": LONG_TEXT.upper(),
         "source": "Valley Herald", "url": "https://valleyherald.example/7",
         "published": "2022-03-08T09:00:00Z"},
    ]  # fmt: skip
    report = news.ingest([write(tmp_path / "r.json", json.dumps(records))])
    assert (report.read, report.new, report.duplicates) == (2, 1, 1)
    (article,) = news.articles()
    detail = news.article(article.id)
    assert detail is not None
    assert {(s.outlet, s.url, s.input_id) for s in detail.sightings} == {
        ("Wend Courier", "https://wendcourier.example/1", "a1"),
        ("Valley Herald", "https://valleyherald.example/7", "b7"),
    }
    assert news.count(outlet="Valley Herald") == 1  # found through either outlet
    assert [d.article.id for d in news.exact_duplicates()] == [article.id]
    assert news.stats()["exact_duplicates"] == 1


def copied(text: str) -> str:
    """Most of ``text`` with one sentence changed and a paragraph added."""
    edited = text.replace("at dawn", "early on Tuesday morning")
    return edited + "\n\nA second outlet added this closing paragraph about road closures."


def test_near_duplicate_is_linked_to_the_earlier_article(news: Newsweave) -> None:
    news.add([{"title": "Original", "text": LONG_TEXT, "source": "Wend Courier",
               "published": "2022-03-08T07:00:00Z"}])  # fmt: skip
    report = news.add([{"title": "Copy", "text": copied(LONG_TEXT), "source": "Valley Herald",
                        "published": "2022-03-08T11:00:00Z"}])  # fmt: skip
    assert (report.new, report.copies) == (1, 1)
    (link,) = news.copies()
    titles = {a.id: a.title for a in news.articles()}
    assert (titles[link.copy_id], titles[link.origin_id]) == ("Copy", "Original")
    assert link.containment > 0.8 and link.similarity > 0.5
    origin = news.article(link.origin_id)
    assert origin is not None and [c.copy_id for c in origin.copied_by] == [link.copy_id]


def test_copy_direction_follows_publication_time_not_arrival(news: Newsweave) -> None:
    news.add([{"title": "Late", "text": copied(LONG_TEXT), "source": "Valley Herald",
               "published": "2022-03-09T11:00:00Z"}])  # fmt: skip
    news.add([{"title": "Early", "text": LONG_TEXT, "source": "Wend Courier",
               "published": "2022-03-08T07:00:00Z"}])  # fmt: skip
    (link,) = news.copies()
    titles = {a.id: a.title for a in news.articles()}
    assert (titles[link.copy_id], titles[link.origin_id]) == ("Late", "Early")


def test_same_topic_is_not_a_copy(news: Newsweave) -> None:
    other = (
        "The river Wend rose again overnight and the water authority said flood barriers in "
        "the lower town held, while 120 people spent the night in the sports hall. Officials "
        "will meet on Thursday to decide on further evacuations, the mayor told reporters."
    )
    news.add([{"text": LONG_TEXT, "source": "A"}, {"text": other, "source": "B"}])
    assert news.copies() == []


def test_overlap_measures() -> None:
    a, b = shingles(LONG_TEXT), shingles(copied(LONG_TEXT))
    match = overlap(b, a, "x")
    assert match.is_copy
    assert 0.5 < match.jaccard < 1.0
    assert match.containment_other > match.containment_new - 0.2
