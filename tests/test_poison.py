"""One stored article never stops annotation or clustering for all the others.

Articles dated at the edge of the calendar (years 1 and 9999) that name weekdays are
annotated and clustered like any other; an article that does fail is reported once with
its id, kept and marked, and the others go on; pathological texts do not hang annotation;
annotation workers die with their parent.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from newsweave import Newsweave
from newsweave.annotate import document, pipeline
from newsweave.annotate.pipeline import Annotator, Failure, prepared_text
from newsweave.annotate.quantities import find_quantities
from newsweave.annotate.times import find_times
from newsweave.annotation import Annotations
from newsweave.events.consolidate import consolidate
from newsweave.events.features import Terms
from newsweave.events.online import ClusterInput
from newsweave.model import Article, Published, Sentence
from newsweave.synth import write_jsonl
from tests.helpers import cli

Failures = list[tuple[str, str]]


def record(title: str, text: str, outlet: str, published: str) -> dict[str, str]:
    return {"title": title, "text": text, "source": outlet, "published": published}


BRIDGE = (
    "The Aldermoor river bridge reopened to traffic on Monday after eight months of repairs, "
    "the county council said. Engineers replaced the cracked bearings and resurfaced the "
    "deck, and the council said buses would return to the old route next week."
)
NORMAL = [
    record("Aldermoor bridge reopens", BRIDGE, "Northgate Courier", "2023-05-10"),
    record(
        "Traffic back on Aldermoor bridge",
        "Cars crossed the Aldermoor river bridge again on Monday, ending eight months of "
        "repairs to its cracked bearings, the county council said. Buses return next week.",
        "Valley Herald",
        "2023-05-10",
    ),
    record(
        "Harbour strike ends in Brisk Harbour",
        "Dock workers in Brisk Harbour ended their strike last Tuesday after the port "
        "authority agreed to new shift rules. Union leaders said talks on pay would resume "
        "next month.",
        "Meridian Wire",
        "2023-06-02",
    ),
]
FESTIVAL = (
    "The lantern festival of Quillmere was held on Sunday. The elders met last Tuesday and "
    "will meet again next month. The harvest ended two weeks ago, and the council said on "
    "Saturday that it will gather next Friday."
)
EDGES = [
    record(
        "Quillmere lantern festival at the dawn of time", FESTIVAL, "Coastline Post", "0001-01-01"
    ),
    record(
        "Quillmere festival east of Greenwich",
        FESTIVAL.replace("Sunday", "Monday") + " Tea was served.",
        "Coastline Post",
        "0001-01-01T01:00:00+05:00",  # year 0 in UTC
    ),
    record(
        "Last Quillmere lantern festival", FESTIVAL + " No one came.", "Daily Ferry", "9999-12-31"
    ),
    record(
        "Quillmere festival west of Greenwich",
        FESTIVAL + " It rained all night.",
        "Daily Ferry",
        "9999-12-31T22:00:00-05:00",  # year 10000 in UTC
    ),
]


def ids_by_title(news: Newsweave) -> dict[str, str]:
    return {a.title: a.id for a in news.articles(limit=1000)}


def collect(into: Failures) -> Callable[[str, str], None]:
    return lambda article_id, reason: into.append((article_id, reason))


def times_of(news: Newsweave, article_id: str) -> dict[str, str | None]:
    document = news.annotations(article_id)
    assert document is not None
    return {t["text"]: t["first"] for t in document["times"]}


# --- the calendar's edges, for real ---------------------------------------------------------


def test_articles_at_the_calendar_edges_are_annotated_and_clustered(news: Newsweave) -> None:
    annotation, clustering = [], []  # type: ignore[var-annotated]
    news.on_annotation_failure = collect(annotation)
    news.on_clustering_failure = collect(clustering)
    news.add([*NORMAL, *EDGES])
    assert annotation == [] and clustering == []
    ids = ids_by_title(news)
    assert len(ids) == len(NORMAL) + len(EDGES)
    for article_id in ids.values():
        document = news.annotations(article_id)
        assert document is not None and "error" not in document
        detail = news.article(article_id)
        assert detail is not None and detail.event_id is not None
    early = times_of(news, ids["Quillmere lantern festival at the dawn of time"])  # a Monday
    assert early["Sunday"] is None and early["last Tuesday"] is None  # before year 1
    assert early["two weeks ago"] is None
    assert early["next Friday"] == "0001-01-05" and early["next month"] == "0001-02-01"
    late = times_of(news, ids["Last Quillmere lantern festival"])  # a Friday
    assert late["Sunday"] == "9999-12-26" and late["last Tuesday"] == "9999-12-28"
    assert late["next month"] is None and late["next Friday"] is None  # after 9999
    bridge = {news.article(ids[r["title"]]).event_id for r in NORMAL[:2]}  # type: ignore[union-attr]
    assert len(bridge) == 1  # the normal articles are clustered as ever


def test_ingest_and_cluster_commands_go_through(tmp_path: Path, db: str) -> None:
    source = tmp_path / "edges.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [*NORMAL, *EDGES]), "utf-8")
    ingested = cli("ingest", str(source), "--db", db)
    assert ingested.code == 0, ingested.stderr
    assert "failed" not in ingested.stderr and "clustering:" not in ingested.stderr
    clustered = cli("cluster", "--db", db, "--json")
    assert clustered.code == 0 and "clustering:" not in clustered.stderr
    assert json.loads(clustered.stdout)["events"] >= 4


EDGE_PHRASES = (
    *("on Sunday", "last Tuesday", "next Tuesday", "this Wednesday", "Wednesday of next week"),
    *("next month", "last year", "this week", "the past 3 years", "999 years ago"),
    *("999 weeks ago", "two weeks ago", "yesterday", "tomorrow", "over the weekend"),
    *("next weekend", "in January", "last December", "on Jan. 2", "on Dec. 31"),
    *("on New Year's Day", "on Feb. 29", "at 3 p.m. on Sunday", "the day after tomorrow"),
)


def test_times_never_overflow_near_the_edges() -> None:
    text = " ".join(
        f"It happened {phrase}." if n % 2 else f"It will happen {phrase}."
        for n, phrase in enumerate(EDGE_PHRASES)
    )
    for days in range(400):
        for published in (
            datetime(1, 1, 1) + timedelta(days),
            datetime(9999, 12, 31) - timedelta(days),
        ):
            for found in find_times(text, published):
                assert text[found.start : found.end] == found.text
                assert found.first is None or found.first <= found.last  # type: ignore[operator]


def test_consolidation_compares_articles_dated_off_the_utc_calendar() -> None:
    east, west = timezone(timedelta(hours=5)), timezone(timedelta(hours=-5))
    # Each pair is 11 days apart, so the clusterer looks for a day one names near the
    # other's publication day, and one of each pair is dated off the UTC calendar.
    dated = "Quillmere and Vantorp elders first met on Jan. 1 over the Orrin dam and weir."
    later = "Talks between Vantorp and Quillmere elders on the Orrin dam and weir go on."
    inputs = [
        ClusterInput("a", "Orrin dam talks", dated, datetime(1, 1, 1, 1, tzinfo=east)),
        ClusterInput("b", "Orrin dam talks go on", later, datetime(1, 1, 12, tzinfo=UTC)),
        ClusterInput("c", "Orrin dam talks", dated, datetime(9999, 12, 20, tzinfo=UTC)),
        ClusterInput("d", "Orrin talks go on", later, datetime(9999, 12, 31, 22, tzinfo=west)),
    ]
    numbers = consolidate(inputs)
    assert numbers == [0, 0, 1, 1]


# --- failures: isolated, reported once, kept and marked ------------------------------------

MARKER = "Zorblax"
POISON = record(
    "Zorblax plant opens",
    "The Zorblax plant in Fenlow opened on Monday with 120 workers, the owners said.",
    "Meridian Wire",
    "2023-06-03",
)


@pytest.fixture
def failing_quantities(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The quantities extractor fails on articles naming the marker (a bug, planted)."""
    real = find_quantities

    def failing(doc: Any) -> Any:
        if MARKER in doc.text:
            raise RuntimeError(f"cannot count {MARKER}\n(planted)")
        return real(doc)

    monkeypatch.setattr("newsweave.annotate.pipeline.find_quantities", failing)
    yield
    monkeypatch.undo()


REASON = f"RuntimeError: cannot count {MARKER} (planted)"


def test_an_annotation_failure_is_isolated_marked_and_told_once(
    news: Newsweave, failing_quantities: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    news.add([*NORMAL, POISON], annotate=False, cluster=False)
    poison = ids_by_title(news)[POISON["title"]]
    failures: Failures = []
    assert news.annotate(on_failure=collect(failures)) == len(NORMAL)
    assert failures == [(poison, REASON)]
    document = news.annotations(poison)
    assert document is not None and document["error"] == REASON and document["mentions"] == []
    for article_id in set(ids_by_title(news).values()) - {poison}:
        found = news.annotations(article_id)
        assert found is not None and "error" not in found and found["mentions"]
    assert news.annotate(on_failure=collect(failures)) == 0  # marked: not retried
    assert len(failures) == 1
    news.cluster()
    assert news.article(poison).event_id is not None  # type: ignore[union-attr]

    monkeypatch.undo()  # the bug fixed: --again retries it
    assert news.annotate(again=True, on_failure=collect(failures)) == len(NORMAL) + 1
    document = news.annotations(poison)
    assert document is not None and "error" not in document and document["quantities"]
    assert len(failures) == 1


def test_the_cli_prints_each_annotation_failure_once(
    tmp_path: Path, db: str, failing_quantities: None
) -> None:
    source = tmp_path / "poison.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in [*NORMAL, POISON]), "utf-8")
    ingested = cli("ingest", str(source), "--db", db, "--no-annotate")
    assert ingested.code == 0
    with Newsweave(db) as news:
        poison = ids_by_title(news)[POISON["title"]]
    first = cli("annotate", "--db", db)
    assert first.code == 0
    line = f"newsweave: annotation failed for article {poison}: {REASON}"
    assert first.stderr.splitlines().count(line) == 1, first.stderr
    assert f"annotated {len(NORMAL)} articles" in first.stdout
    again = cli("annotate", "--db", db)
    assert again.code == 0 and "failed" not in again.stderr
    more = tmp_path / "more.jsonl"
    late = record("Ferry late", BRIDGE + " A ferry ran late.", "Valley Herald", "2023-05-11")
    more.write_text(json.dumps(late), "utf-8")
    later = cli("ingest", str(more), "--db", db)  # annotates the new article only
    assert later.code == 0 and "failed" not in later.stderr


def article(number: int, text: str) -> Article:
    published = Published(datetime(2023, 5, 1, tzinfo=UTC) + timedelta(hours=number))
    return Article(f"a{number}", f"Title {number}", text, "Outlet", "test", published=published)


def test_a_failure_in_a_worker_process_leaves_the_others(failing_quantities: None) -> None:
    texts = [r["text"] for r in NORMAL] * 6 + [POISON["text"]] + [r["text"] for r in NORMAL]
    articles = [article(n, text) for n, text in enumerate(texts)]
    found = list(Annotator(batch_size=4).results(articles, processes=2))
    assert [f.article_id for f in found] == [a.id for a in articles]  # in order, none lost
    poison = len(NORMAL) * 6
    assert found[poison] == Failure(f"a{poison}", REASON)
    assert all(isinstance(f, Annotations) for n, f in enumerate(found) if n != poison)
    told: Failures = []
    kept = list(Annotator().annotate(articles[poison - 1 : poison + 2], 1, collect(told)))
    assert [a.article_id for a in kept] == [f"a{poison - 1}", f"a{poison + 1}"]
    assert told == [(f"a{poison}", REASON)]
    with pytest.raises(pipeline.AnnotationError, match=MARKER):
        list(Annotator().annotate(articles[poison : poison + 1]))  # no on_failure: raised


@pytest.fixture
def failing_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading terms fails for articles naming the marker, in every clustering step."""
    real = Terms.of

    def failing(
        cls: type[Terms], title: Iterable[Sentence], body: Iterable[Sentence], weight: int = 2
    ) -> Terms:
        body = list(body)
        if any(MARKER.lower() in s.words or "@" + MARKER.lower() in s.words for s in body):
            raise ValueError(f"unreadable {MARKER}")
        return real(title, body, weight)

    monkeypatch.setattr(Terms, "of", classmethod(failing))


def partition(news: Newsweave, titles: list[str]) -> set[frozenset[str]]:
    """The events of the articles with these titles, as sets of titles."""
    ids = ids_by_title(news)
    groups: dict[str | None, set[str]] = {}
    for title in titles:
        detail = news.article(ids[title])
        assert detail is not None
        groups.setdefault(detail.event_id, set()).add(title)
    return {frozenset(group) for group in groups.values()}


@pytest.mark.parametrize("online", [False, True])
def test_a_clustering_failure_puts_the_article_alone_and_is_told_once(
    news: Newsweave, failing_terms: None, online: bool
) -> None:
    titles = [r["title"] for r in NORMAL]
    news.add(NORMAL, annotate=False, cluster=False)
    news.cluster(online=online)
    clean = partition(news, titles)
    news.add([POISON], annotate=False, cluster=False)
    failures: Failures = []
    news.cluster(online=online, on_failure=collect(failures))
    poison = ids_by_title(news)[POISON["title"]]
    assert failures == [(poison, f"ValueError: unreadable {MARKER}")]
    assert partition(news, titles) == clean  # the others as without it
    assert partition(news, [*titles, POISON["title"]]) == {*clean, frozenset({POISON["title"]})}


def test_an_article_whose_days_cannot_be_read_is_clustered_on_its_terms(
    news: Newsweave, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = find_times

    def failing(text: str, published: datetime | None) -> Any:
        if "eight months" in text and "Cars" in text:
            raise OverflowError("date value out of range")
        return real(text, published)

    monkeypatch.setattr(document, "find_times", failing)
    news.add(NORMAL, annotate=False, cluster=False)
    failures: Failures = []
    news.cluster(on_failure=collect(failures))
    assert [reason for _, reason in failures] == ["OverflowError: date value out of range"]
    titles = [r["title"] for r in NORMAL]
    assert frozenset(titles[:2]) in partition(news, titles)  # still joins its sibling


# --- pathological texts --------------------------------------------------------------------


def test_a_huge_token_does_not_hang_annotation() -> None:
    head = "The council met on Tuesday. "
    text = head + "A" * 40_000 + " The mayor of Fenlow said on Friday that 300 people left."
    started = time.perf_counter()
    [found] = list(Annotator().results([article(0, text)]))
    assert time.perf_counter() - started < 10  # 48 s before the long token was broken
    assert isinstance(found, Annotations)
    for expression in found.times:
        assert text[expression.start : expression.end] == expression.text
    assert {t.text for t in found.times} == {"Tuesday", "Friday"}
    assert any(m.text == "Fenlow" for m in found.mentions)


def test_long_tokens_are_broken_without_moving_any_offset() -> None:
    text = "Start " + "x" * 1000 + " https://example.org/" + "a" * 150 + " end"
    prepared = prepared_text(text)
    assert len(prepared) == len(text)
    assert max(len(word) for word in prepared.split()) <= pipeline.LONG_TOKEN
    assert prepared.endswith(text[-180:])  # tokens up to LONG_TOKEN are left alone
    assert [a for a, b in zip(prepared, text, strict=True) if a != b].count("|") == 3


# --- workers die with their parent ---------------------------------------------------------


def children(pid: int) -> set[int]:
    """Live (not zombie) processes whose parent is ``pid``, from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, parent = stat.rsplit(")", 1)[1].split()[:2]
            if int(parent) == pid and state not in ("Z", "X"):
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one process annotates on one CPU")
def test_annotation_workers_die_with_a_killed_parent(tmp_path: Path, db: str) -> None:
    # Long articles, so that each worker is still busy with its chunk when the parent dies
    # (a worker between chunks would exit anyway, as its task pipe closes).
    source = write_jsonl(tmp_path / "many.jsonl", 240, seed=3, paragraphs=40)
    assert cli("ingest", str(source), "--db", db, "--no-annotate", "--no-cluster").code == 0
    command = [sys.executable, "-m", "newsweave", "annotate", "--db", db, "--quiet"]
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        workers: set[int] = set()
        while len(workers) < 2:
            assert parent.poll() is None, "annotation ended before its workers were seen"
            assert time.monotonic() < deadline, "no annotation workers started"
            time.sleep(0.05)
            workers = children(parent.pid)
        time.sleep(0.5)  # well into annotating
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(alive(pid) for pid in workers), "annotation workers outlived their parent"
    finally:
        parent.kill()
        parent.wait()
