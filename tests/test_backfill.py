"""``backfill`` on Ray (local mode, 2 CPUs) ends in the store ``ingest`` gives: articles,
sightings, copies, annotations, actors, events and storylines; a broken file is one line;
a re-run after an interrupted backfill finishes it without duplicates."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsweave import Newsweave
from newsweave.api import ANNOTATING, demo_corpus_path
from newsweave.ingest.pipeline import ProgressHooks
from newsweave.model import Article, Problem
from tests.helpers import write

ray = pytest.importorskip("ray", reason="the Ray extra (requirements-ray.lock) is not installed")

Contents = dict[str, list[tuple[object, ...]]]
TABLES = {
    # every column but ingested_at, the time of the run
    "articles": "SELECT id, title, text, outlet, url, published, published_utc, "
    "published_precision, published_tz_assumed, language, authors, input_id, origin, thin, "
    "outlet_source FROM articles",
    "sightings": "SELECT article_id, outlet, origin, url, input_id, title, published, "
    "outlet_source FROM sightings",
    "copies": "SELECT copy_id, origin_id, similarity FROM copies",
    "annotations": "SELECT article_id, version, data FROM annotations",
    "mentions": "SELECT article_id, start, end, name FROM mentions",
    "actors": "SELECT id, name, kind, mentions, articles FROM actors",
}


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    """A Ray of this machine's own ("local": never a cluster someone started here)."""
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus (every input format, a duplicate, a copy) and one broken file."""
    folder = tmp_path_factory.mktemp("inputs") / "corpus"
    shutil.copytree(demo_corpus_path(), folder)
    write(folder / "records" / "broken.json", '{"title": "Cut off", "text": "The feed')
    return folder


@pytest.fixture(scope="module")
def ingested(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Contents:
    """What ``ingest`` of the corpus stores: the reference."""
    db = tmp_path_factory.mktemp("ingest") / "store.db"
    with Newsweave(db) as news:
        news.ingest([corpus])
    return contents(db)


def contents(db: Path) -> Contents:
    """The store's rows, sorted, and its events and storylines through the API."""
    raw = sqlite3.connect(db)
    found = {name: sorted(raw.execute(sql).fetchall()) for name, sql in TABLES.items()}
    raw.close()
    with Newsweave(db, read_only=True) as news:
        events = news.events(limit=10_000)
        found["events"] = sorted((repr(e.to_dict()),) for e in events)
        found["event_articles"] = sorted(
            (event.id, article.id) for event in events for article in _members(news, event.id)
        )
        found["storylines"] = sorted((repr(s.to_dict()),) for s in news.storylines())
    return found


def _members(news: Newsweave, event_id: str) -> list[Article]:
    found = news.event(event_id)
    return found[1] if found else []


def test_backfill_gives_the_store_ingest_gives(
    corpus: Path, ingested: Contents, tmp_path: Path
) -> None:
    db = tmp_path / "backfill.db"
    problems: list[Problem] = []
    with Newsweave(db) as news:
        report = news.backfill([corpus], hooks=ProgressHooks(on_problem=problems.append))
    assert contents(db) == ingested
    assert (report.new, report.duplicates, report.copies) == (47, 1, 1)
    assert len(ingested["annotations"]) == 47 and len(ingested["events"]) >= 11

    # a broken file is one line naming it, and the rest goes on
    (problem,) = problems
    assert problem.where.endswith("broken.json") and report.skipped == 1
    assert "\n" not in str(problem) and "broken.json" in str(problem)


class Interrupt(Exception):
    """Stands for a crash at a chosen moment."""


class StopAfterAnnotating:
    """A progress that crashes the run once annotations are stored, before the actors are
    grouped and the events built."""

    def start(self, phase: str, total: int | None) -> None:
        pass

    def advance(self, phase: str, n: int = 1) -> None:
        if phase == ANNOTATING:
            raise Interrupt(phase)

    def done(self, phase: str) -> None:
        pass


def stop_reading_after(articles: int) -> ProgressHooks:
    """Hooks that crash the run once ``articles`` records were read."""
    read: list[None] = []

    def on_article() -> None:
        read.append(None)
        if len(read) >= articles:
            raise Interrupt("reading")

    return ProgressHooks(on_article=on_article)


def test_a_rerun_after_interrupted_backfills_finishes_without_duplicates(
    corpus: Path, ingested: Contents, tmp_path: Path
) -> None:
    db = tmp_path / "backfill.db"
    with Newsweave(db) as news, pytest.raises(Interrupt):
        news.backfill([corpus], hooks=stop_reading_after(20))
    with Newsweave(db) as news:
        assert 0 < news.count() < 47 and news.stats()["annotated"] == 0
    with Newsweave(db) as news, pytest.raises(Interrupt):
        news.backfill([corpus], progress=StopAfterAnnotating())
    with Newsweave(db) as news:
        assert news.count() == 47 and news.store.events_stale()
        report = news.backfill([corpus])
    assert (report.new, report.already_stored + report.duplicates) == (0, 48)
    assert contents(db) == ingested


def test_without_ray_the_cli_says_how_to_install_it(corpus: Path, tmp_path: Path) -> None:
    hide_ray = "import sys; sys.modules['ray'] = None; from newsweave.cli import main; main()"
    run = subprocess.run(
        [sys.executable, "-c", hide_ray, "backfill", str(corpus), "--db", str(tmp_path / "x.db")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 1
    assert "install newsweave[ray]" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
