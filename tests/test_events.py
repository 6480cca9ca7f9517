"""Events and storylines: the demo corpus comes out as written; the clusterer's contract."""

from __future__ import annotations

import csv
import io
import json
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsweave import Newsweave, demo_corpus_path
from newsweave.annotate.document import analyse
from newsweave.events import ClusterInput, EventClusterer, EventConfig, build_events
from newsweave.events.consolidate import (
    ConsolidationConfig,
    PairScorer,
    Sketches,
    average_link,
    consolidate,
    locally_scaled,
    pair_time_penalty,
)
from newsweave.events.features import (
    DocumentFrequencies,
    PageFurniture,
    Terms,
    own_title,
    title_tail,
)
from newsweave.model import Article, Published
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
        "title", "thin",
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


# batch consolidation


def test_average_link_merges_by_the_mean_and_absent_pairs_count_zero() -> None:
    scores = {(0, 1): 1.0, (0, 2): 0.9, (0, 3): 0.6, (1, 3): 0.5}
    # 0 and 1 merge first; {0, 1} and 3 then have mean 0.55 and merge; {0, 1} and 2 have
    # mean (0.9 + 0) / 2 = 0.45: 1 and 2 were never scored, so 2 stays alone
    assert average_link(4, scores, 0.5) == [0, 0, 2, 0]
    # at 0.45, {0, 1} still takes 3 first (0.55), and then 2 is at 0.9 / 3 = 0.3
    assert average_link(4, scores, 0.45) == [0, 0, 2, 0]
    assert average_link(4, scores, 0.3) == [0, 0, 0, 0]
    assert average_link(2, {(0, 1): 0.5}, 0.5) == [0, 0]  # a mean at the threshold merges
    assert average_link(4, scores, 1.01) == [0, 1, 2, 3]
    assert average_link(4, {(0, 1): 0.9, (2, 3): 0.8, (1, 2): 0.6}, 0.5) == [0, 0, 2, 2]
    assert average_link(0, {}, 0.5) == []


def test_local_scaling_raises_the_bar_in_a_crowd() -> None:
    config = ConsolidationConfig()
    crowd = config.neighbours + 2  # item 0 and the neighbours + 1 items close to it
    scores = {(0, item): 0.6 for item in range(1, crowd)}
    scores[(0, 1)] = 0.9  # its best neighbour; the ``neighbours``-th best is 0.6
    lone, near, far = crowd, crowd + 1, crowd + 2
    scores[(lone, near)] = 0.6  # in sparse news: one close candidate ...
    scores[(lone, far)] = config.density_floor / 2  # ... and a weak one, below the floor
    scaled = locally_scaled(scores, crowd + 3, config)
    assert scaled[(0, 2)] == pytest.approx(1.0)  # 0.6 / sqrt(0.6 * 0.6)
    assert scaled[(0, 1)] == pytest.approx(0.9 / math.sqrt(0.6 * 0.9))
    assert scaled[(lone, near)] == pytest.approx(0.6 / math.sqrt(config.density_floor * 0.6))
    assert scaled[(lone, near)] > scaled[(0, 1)]  # the same score counts for more when sparse
    assert scaled[(lone, far)] == pytest.approx(0.5)  # both densities at the floor


def test_time_penalty_between_two_articles() -> None:
    events = EventConfig()
    day = 86_400.0
    assert pair_time_penalty(0.0, events.window_days * day, events) == 0.0
    assert pair_time_penalty(None, 0.0, events) == 0.0  # undated: content alone
    near = pair_time_penalty(0.0, 10 * day, events)
    far = pair_time_penalty(0.0, 100 * day, events)
    assert near is not None and far is not None and 0.0 < near < far
    assert pair_time_penalty(0.0, (events.max_gap_days + 1) * day, events) is None


def _at(month: int, day: int, hour: int) -> datetime:
    return datetime(2021, month, day, hour, tzinfo=UTC)


# Two warehouse fires on Tuesday 2 March 2021 in two towns, and unrelated news of those days.
KELDERBY = [
    ClusterInput(
        "k1", "Fire destroys storage warehouse in Kelderby",
        "A fire tore through a storage warehouse by the harbour in Kelderby early on Tuesday, "
        "sending black smoke over the town. Fire chief Oona Marsh said 40 firefighters fought "
        "the blaze for six hours. No one was hurt, but the Tansey Logistics building was left "
        "a shell.",
        _at(3, 2, 9),
    ),
    ClusterInput(
        "k2", "Harbour roads closed after Kelderby warehouse blaze",
        "Police closed the harbour roads around the burnt-out Tansey Logistics warehouse in "
        "Kelderby on Tuesday as crews damped down the ruins. Oona Marsh, the town's fire chief, "
        "said the roof had collapsed and the cause was not yet known.",
        _at(3, 2, 15),
    ),
    ClusterInput(
        "k3", "Questions over sprinklers after Kelderby fire",
        "Residents near the harbour in Kelderby asked on Wednesday why the Tansey Logistics "
        "warehouse had no sprinklers, a day after the fire. The company said stock worth two "
        "million pounds was lost. Fire chief Oona Marsh said investigators would examine the "
        "site.",
        _at(3, 3, 8),
    ),
]  # fmt: skip
BRANNOCK = [
    ClusterInput(
        "b1", "Warehouse fire in Brannock injures two workers",
        "Two workers were taken to hospital after fire broke out at a furniture warehouse in "
        "Brannock on Tuesday morning. Station officer Piet Vandermolen said the flames spread "
        "from a loading bay. The Corrigan Furniture depot employs 60 people.",
        _at(3, 2, 10),
    ),
    ClusterInput(
        "b2", "Brannock depot fire: injured workers stable",
        "The two Corrigan Furniture workers hurt in the warehouse fire in Brannock on Tuesday "
        "are in a stable condition, the county hospital said. Piet Vandermolen of the fire "
        "service said a forklift charger may have started the blaze.",
        _at(3, 2, 18),
    ),
    ClusterInput(
        "b3", "Brannock furniture depot to reopen after fire",
        "Corrigan Furniture said on Wednesday that its Brannock warehouse would reopen within a "
        "month after the fire damaged the loading bay. Station officer Piet Vandermolen praised "
        "the staff who raised the alarm.",
        _at(3, 3, 11),
    ),
]  # fmt: skip
OTHER_NEWS = [
    ClusterInput(
        "c1", "Council approves budget for Lindenford schools",
        "The Lindenford council voted on Tuesday to raise spending on schools by four per "
        "cent. Mayor Agatha Rill said the money would pay for 30 new teachers.",
        _at(3, 2, 12),
    ),
    ClusterInput(
        "c2", "Lindenford teachers welcome budget rise",
        "The teachers' union in Lindenford welcomed the council's budget on Wednesday. Mayor "
        "Agatha Rill said hiring would start in the summer.",
        _at(3, 3, 9),
    ),
    ClusterInput(
        "c3", "Opposition criticises Lindenford school budget",
        "Councillor Ben Otway said the Lindenford budget raised taxes without fixing the "
        "roads. Mayor Agatha Rill defended the plan for 30 teachers.",
        _at(3, 3, 17),
    ),
    ClusterInput(
        "f1", "Rovers beat Albion in cup replay",
        "Rovers beat Albion 2-1 in the cup replay on Tuesday night, with Danny Moss scoring "
        "twice in the second half.",
        _at(3, 2, 22),
    ),
    ClusterInput(
        "f2", "Moss double sends Rovers through",
        "Danny Moss scored twice as Rovers knocked Albion out of the cup. Manager Ruth Keane "
        "said the win was deserved.",
        _at(3, 3, 7),
    ),
    ClusterInput(
        "f3", "Albion manager rues missed chances",
        "Albion's manager said his side missed too many chances in the 2-1 cup defeat to "
        "Rovers, in which Danny Moss scored both goals.",
        _at(3, 3, 10),
    ),
]  # fmt: skip
# Seven weeks later; it shares a single name (Kelderby) with the first reports.
ARSON = ClusterInput(
    "k4", "Kelderby warehouse fire was arson, investigators say",
    "The fire that destroyed a storage warehouse by the harbour in Kelderby on March 2 was "
    "started deliberately, investigators said on Tuesday. Detectives asked anyone who saw a "
    "van near the harbour that night to come forward.",
    _at(4, 20, 9),
)  # fmt: skip
GOLD = {
    **{a.id: "kelderby" for a in KELDERBY},
    **{a.id: "brannock" for a in BRANNOCK},
    **{a.id: a.id[0] for a in OTHER_NEWS},
}


def in_order(articles: list[ClusterInput]) -> list[ClusterInput]:
    """Publication order, undated last (as the store gives them)."""
    return sorted(articles, key=lambda a: (a.published is None, a.published or _at(1, 1, 0)))


def consolidated(
    articles: list[ClusterInput], config: ConsolidationConfig | None = None
) -> set[frozenset[str]]:
    """The groups of ids ``consolidate`` finds, articles given in publication order."""
    ordered = in_order(articles)
    numbers = consolidate(ordered, config)
    assert len(numbers) == len(ordered)
    return partition({a.id: str(n) for a, n in zip(ordered, numbers, strict=True)})


def test_same_day_fires_in_two_towns_stay_apart() -> None:
    assert consolidated(KELDERBY + BRANNOCK + OTHER_NEWS) == partition(GOLD)


def _without_weekdays(article: ClusterInput) -> ClusterInput:
    text = article.text
    for said in (" early on Tuesday", " on Tuesday", " on Wednesday"):
        text = text.replace(said, "")
    assert "Tuesday" not in text and "Wednesday" not in text
    return replace(article, text=text)


def test_a_late_follow_up_that_names_the_day_joins_the_first_reports() -> None:
    gold = partition({**GOLD, ARSON.id: "kelderby"})
    assert consolidated(KELDERBY + BRANNOCK + OTHER_NEWS + [ARSON]) == gold
    # it names the day the first reports came out, whether or not they name it themselves
    undated_days = [_without_weekdays(article) for article in KELDERBY]
    assert consolidated(undated_days + BRANNOCK + OTHER_NEWS + [ARSON]) == gold
    # the same follow-up without "on March 2" is too late to join on its words alone
    unnamed = replace(ARSON, text=ARSON.text.replace(" on March 2", ""))
    assert unnamed.text != ARSON.text
    alone = partition({**GOLD, ARSON.id: "alone"})
    assert consolidated(KELDERBY + BRANNOCK + OTHER_NEWS + [unnamed]) == alone


def test_undated_articles_are_placed_by_content_alone() -> None:
    undated = [
        ClusterInput(
            "u1", "Forklift charger blamed for Brannock depot fire",
            "A faulty forklift charger started the fire at the Corrigan Furniture warehouse in "
            "Brannock, the fire service said. Station officer Piet Vandermolen said the loading "
            "bay had no smoke alarm.",
        ),
        ClusterInput(
            "u2", "Kelderby harbour warehouse had no sprinklers",
            "The Tansey Logistics warehouse that burned down by the harbour in Kelderby had no "
            "sprinklers, fire chief Oona Marsh told the council.",
        ),
    ]  # fmt: skip
    gold = partition({**GOLD, "u1": "brannock", "u2": "kelderby"})
    assert consolidated(KELDERBY + BRANNOCK + OTHER_NEWS + undated) == gold


def test_named_days_are_compared_only_when_both_articles_are_dated() -> None:
    config, events = ConsolidationConfig(), EventConfig()
    reopened = ClusterInput(
        "r", "Brannock furniture depot reopens",
        "Corrigan Furniture reopened its Brannock warehouse on 29 March 2021, the company said.",
        BRANNOCK[0].published,
    )  # fmt: skip

    def score(second: ClusterInput) -> float:
        sketches = Sketches(config, events.name_boost)
        sketches.read([BRANNOCK[0], second])
        return PairScorer(sketches, config, events).scores()[(0, 1)]

    # 2 March ("on Tuesday morning") against 29 March: both dated, the days differ
    dated, undated = score(reopened), score(replace(reopened, published=None))
    assert dated == pytest.approx(undated - config.day_conflict)


# Two shootings in Dunmore two evenings apart, on two streets, told in much the same words.
DUNMORE = [
    ClusterInput(
        "d1", "Man shot outside Dunmore bar",
        "A man was shot and wounded outside a bar on Alder Street in Dunmore on Tuesday "
        "evening, police said. Witnesses said two men had argued at the door. He was taken to "
        "hospital and no arrest has been made.",
        _at(3, 2, 21),
    ),
    ClusterInput(
        "d2", "Dunmore bar shooting leaves man wounded",
        "Police in Dunmore said a man was wounded in a shooting outside a bar on Alder Street "
        "on Tuesday evening after an argument at the door. He was taken to hospital and no "
        "arrest has been made.",
        _at(3, 2, 23),
    ),
    ClusterInput(
        "d3", "Driver shot in Dunmore",
        "A driver was shot and wounded while waiting at traffic lights on Harlow Avenue in "
        "Dunmore on Thursday evening, police said. He was taken to hospital and no arrest has "
        "been made.",
        _at(3, 4, 22),
    ),
    ClusterInput(
        "d4", "Dunmore driver wounded at traffic lights",
        "Police in Dunmore said a driver was taken to hospital after he was shot at traffic "
        "lights on Harlow Avenue on Thursday evening. No arrest has been made.",
        _at(3, 5, 7),
    ),
]  # fmt: skip


def test_two_shootings_on_two_streets_of_one_town_stay_apart() -> None:
    gold = partition({**GOLD, "d1": "alder", "d2": "alder", "d3": "harlow", "d4": "harlow"})
    assert consolidated(KELDERBY + BRANNOCK + OTHER_NEWS + DUNMORE) == gold


# A local paper's pages end in the same video list and sign-up lines, week after week.
GAZETTE_FOOTER = (
    "\nWatch: Dog rescued from frozen pond near Millbrook\n"
    "Watch: Marching band wins the state title again\n"
    "Watch: Snow ploughs ready for the weekend storm\n"
    "Watch: Farmers market moves indoors for the winter\n"
    "Sign up for the Tallow Gazette morning newsletter.\n"
    "Mara Quint covers the county for the Tallow Gazette."
)
GAZETTE = [
    ClusterInput(
        "g1", "Tallow library to open later on weekdays",
        "The Tallow public library will open until nine in the evening on weekdays from "
        "April, librarian Jonas Pell said." + GAZETTE_FOOTER,
        _at(3, 2, 9),
    ),
    ClusterInput(
        "g2", "Tallow pool closes for roof repairs",
        "The Tallow swimming pool will close for six weeks while its leaking roof is "
        "repaired, the leisure centre said." + GAZETTE_FOOTER,
        _at(3, 8, 9),
    ),
    ClusterInput(
        "g3", "Swimming pool in Tallow shut for six weeks",
        "Roof repairs will keep the Tallow swimming pool shut for six weeks, the leisure "
        "centre said on Monday. Swimmers were sent to the pool in Millbrook.",
        _at(3, 8, 14),
    ),
]  # fmt: skip


def test_page_furniture_repeated_days_apart_does_not_join_two_events() -> None:
    gold = partition({**GOLD, "g1": "library", "g2": "pool", "g3": "pool"})
    assert consolidated(KELDERBY + BRANNOCK + OTHER_NEWS + GAZETTE) == gold
    kept = ConsolidationConfig(furniture_days=math.inf)  # the footer counts as words
    assert consolidated(KELDERBY + BRANNOCK + OTHER_NEWS + GAZETTE, kept) != gold


def _kept(furniture: PageFurniture, text: str, moment: float | None) -> str:
    """The text of the sentences ``furniture`` keeps."""
    body = analyse("a", "", text).body
    return " ".join(text[s.start : s.end] for s in furniture.strip(body, moment))


def test_page_furniture_is_what_was_carried_days_before() -> None:
    furniture = PageFurniture(span_days=3)
    day = 86400.0
    first = "A van hit a wall in Tallow. Sign up for the morning newsletter today."
    assert _kept(furniture, first, 0.0) == first  # seen first
    copy = "A van hit a wall in Tallow on Monday. Sign up for the morning newsletter today."
    assert _kept(furniture, copy, 1 * day) == copy  # within days: a copy, kept
    later = "The mill reopened after the fire. Sign up for the morning newsletter today."
    assert _kept(furniture, later, 5 * day) == "The mill reopened after the fire."
    assert _kept(furniture, later, None) == later  # undated: never stripped
    assert _kept(furniture, "Read more.", 9 * day) == "Read more."  # too short to tell


def test_online_pass_leaves_page_furniture_out_too() -> None:
    clusterer = EventClusterer()
    assert [clusterer.learn_one(article) for article in GAZETTE] == [0, 1, 1]
    kept = EventClusterer()
    kept.furniture = PageFurniture(span_days=math.inf)  # the footer counts as words
    assert [kept.learn_one(article) for article in GAZETTE] != [0, 1, 1]


def test_page_furniture_forgets_what_a_stream_stopped_carrying() -> None:
    furniture, day = PageFurniture(span_days=3, forget_days=10), 86400.0
    footer = "Sign up for the morning newsletter today."
    kept: dict[int, str] = {}
    for number in range(40):  # a new story every day, the footer on days 0, 20 and 23
        story = f"Story number {number} of the county desk."
        text = f"{story} {footer}" if number in (0, 20, 23) else story
        kept[number] = _kept(furniture, text, number * day)
    assert footer in kept[20]  # last seen 20 days before: forgotten, so new again
    assert footer not in kept[23]  # seen 3 days before
    assert len(furniture.seen) <= 11  # the last ten days' sentences, not all forty


def _terms(title: str, text: str = "") -> Terms:
    document = analyse("a", title, text)
    return Terms.of(document.title, document.body)


def test_term_counts_are_halved_so_a_stream_forgets_old_terms() -> None:
    frequencies = DocumentFrequencies(half_life=4)
    for title in ("Alpha beta", "Alpha beta", "Alpha beta", "Gamma"):
        frequencies.add(_terms(title))
    assert frequencies.documents == 2  # halved after the 4th document
    assert frequencies.counts == {"alpha": 1, "beta": 1}  # gamma, seen once, is forgotten
    assert frequencies.idf("gamma") == frequencies.idf("never-seen")
    frequencies.add(_terms("Gamma"))
    assert (frequencies.documents, frequencies.counts["gamma"]) == (3, 1)


def test_details_both_reports_give_count_for_or_against_them() -> None:
    config, events = ConsolidationConfig(), EventConfig()
    first = ClusterInput(
        "x", "Teen shot on Alder Street", "Tom Reyes, 17, was shot on Alder Street on 2 March.",
        _at(3, 2, 21),
    )  # fmt: skip

    def evidence(second: ClusterInput) -> float:
        sketches = Sketches(config, events.name_boost)
        sketches.read([first, second])
        return PairScorer(sketches, config, events).evidence(0, 1)

    same = replace(first, id="y", title="Alder Street teen hurt")
    assert evidence(same) == pytest.approx(
        config.age_agreement + config.day_agreement + config.street_agreement
    )
    elsewhere = replace(
        same, title="Teen hurt", text="Tom Reyes, 18, was shot on Harlow Avenue on 3 March."
    )
    assert evidence(elsewhere) == pytest.approx(-config.street_conflict)
    assert evidence(replace(elsewhere, text="Tom Reyes was hurt.")) == 0.0  # nothing to compare


def test_the_default_build_is_the_consolidation_with_stable_ids() -> None:
    stored = in_order(KELDERBY + BRANNOCK + OTHER_NEWS + [ARSON])
    articles = [
        Article(a.id * 8, a.title, a.text, "Courier", a.id, None,
                Published(a.published) if a.published else None)
        for a in stored
    ]  # fmt: skip
    build = build_events(articles, articles)
    groups = partition({article: event for article, event, _ in build.assignments})
    assert groups == {frozenset(a * 8 for a in group) for group in consolidated(stored)}
    firsts = ("k1", "b1", "c1", "f1")  # each event's first article, id[:12]
    assert {e.id for e in build.events} == {"ev-" + (first * 8)[:12] for first in firsts}
    fire = next(e for e in build.events if e.id == "ev-k1k1k1k1k1k1")
    assert fire.size == 4 and "Kelderby" in fire.key_terms
    assert fire.representative_id in {a.id * 8 for a in [*KELDERBY, ARSON]}
    assert build_events(iter(articles), iter(articles)) == build  # each read once; the same
    online = build_events(articles, articles, online=True)
    assert ARSON.id * 8 not in {a for a, e, _ in online.assignments if e == fire.id}


def _ages(text: str) -> set[int]:
    return {age for sentence in analyse("a", "", text).body for age in sentence.ages}


def _own_title(title: str, boilerplate: set[str]) -> str:
    parts = own_title(title, analyse("a", title, "").title, boilerplate)
    return title[parts[0].start : parts[-1].end]


def test_ages_and_title_tails() -> None:
    assert _ages("Mia Lind, 16, and a 17-year-old were hurt; a man, aged 45, was held.") == {
        16, 17, 45,
    }  # fmt: skip
    assert _ages("Shares rose 12 per cent in 2021, to 45.5 dollars.") == set()
    assert title_tail("Man shot on Elm Street - KXYZ News 4") == "kxyz news 4"
    assert title_tail("Flood warning | Weather | The Courier") == "the courier"
    assert title_tail("A well-known bridge closes") is None  # a hyphen inside a word
    assert _own_title("Flood warning | Weather | The Courier", {"the courier", "weather"}) == (
        "Flood warning"
    )
    kept = _own_title("Budget vote - Lindenford - The Courier", {"the courier"})
    assert kept == "Budget vote - Lindenford"  # only trailing boilerplate goes
    assert _own_title("The Courier", {"the courier"}) == "The Courier"  # never the whole
