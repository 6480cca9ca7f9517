"""Interrupted and concurrent runs end in exactly the store one uninterrupted run gives:
articles, sightings, copy links, annotations, actors and events."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from newsweave.synth import synthetic_records, write_jsonl

RECORDS = 2_000
KILLS = 10
Counts = tuple[int, int, int]  # articles, annotations, events


def contents(db: Path) -> dict[str, list[tuple[object, ...]]]:
    raw = sqlite3.connect(db)
    tables = {
        "articles": "SELECT id, title, outlet, url, published, thin, outlet_source FROM articles",
        "sightings": "SELECT article_id, outlet, url, input_id, title, published FROM sightings",
        "copies": "SELECT copy_id, origin_id, similarity FROM copies",
        "annotations": "SELECT article_id, version, data FROM annotations",
        "mentions": "SELECT article_id, start, end, name FROM mentions",
        "actors": "SELECT id, name, kind, mentions, articles FROM actors",
        "actor_names": "SELECT name, kind, actor_id FROM actor_names",
        "events": "SELECT id, size, representative_id, storyline_id, outlets FROM events",
        "article_events": "SELECT article_id, event_id FROM article_events",
        "storylines": "SELECT id, title, articles FROM storylines",
        "fts": "SELECT COUNT(*) FROM articles_fts",
    }
    found = {name: sorted(raw.execute(sql).fetchall()) for name, sql in tables.items()}
    raw.close()
    return found


def counts(db: Path) -> Counts:
    try:
        raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        one = lambda table: int(raw.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: E731
        found = (one("articles"), one("annotations"), one("events"))
        raw.close()
        return found
    except sqlite3.Error:
        return (0, 0, 0)


def events_stale(db: Path) -> bool:
    raw = sqlite3.connect(db)
    marks = dict(raw.execute("SELECT key, value FROM marks").fetchall())
    raw.close()
    return bool(marks["events_from"] != marks["articles"])


def ingest_command(source: Path, db: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newsweave",
        "ingest",
        str(source),
        "--db",
        str(db),
        "--quiet",
        *extra,
    ]


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def kill_when(
    command: list[str], db: Path, ready: Callable[[Counts], bool], delay: float
) -> Counts:
    """Start ``command``, SIGKILL it once ``ready`` holds (and ``delay`` has passed)."""
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while not ready(counts(db)):
        assert process.poll() is None, f"the run ended before {ready.__doc__}"
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.02)
    time.sleep(delay)
    workers = children_of(process.pid)
    assert process.poll() is None, f"the run ended before it was killed ({ready.__doc__})"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    time.sleep(1.0)
    assert not [pid for pid in workers if _is_running(pid)], "a worker outlived its parent"
    return counts(db)


def _is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def moments(rng: random.Random) -> list[tuple[Callable[[Counts], bool], float]]:
    """Ten kill moments in order: three while reading, four while annotating, three while
    regrouping actors or clustering."""

    def reading(at: int) -> Callable[[Counts], bool]:
        def ready(c: Counts) -> bool:
            """reading"""
            return c[0] >= at

        return ready

    def annotating(at: int) -> Callable[[Counts], bool]:
        def ready(c: Counts) -> bool:
            """annotating"""
            return c[0] == RECORDS_STORED[0] and c[1] >= at

        return ready

    def clustering(c: Counts) -> bool:
        """clustering"""
        return c[0] == RECORDS_STORED[0] and c[1] == RECORDS_STORED[0]

    reads = sorted(rng.sample(range(200, 1_700), 3))
    notes = sorted(rng.sample(range(50, 1_400), 4))
    return (
        [(reading(n), 0.0) for n in reads]
        + [(annotating(n), 0.0) for n in notes]
        + [(clustering, rng.uniform(0.0, 0.4)) for _ in range(3)]
    )


RECORDS_STORED = [0]  # articles one full run stores (some records are exact duplicates)


def short_news(path: Path) -> Path:
    """Short synthetic articles (fast to annotate); every 40th copies an earlier one with a
    line added, so copy links are at stake too."""
    records = list(synthetic_records(RECORDS, seed=11, paragraphs=1))
    for index in range(40, RECORDS, 40):
        records[index]["body"] = records[index - 7]["body"] + " The council met again today."
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.slow
def test_ten_kills_in_every_phase_then_reruns_give_the_uninterrupted_store(tmp_path: Path) -> None:
    source = short_news(tmp_path / "news.jsonl")
    reference, killed = tmp_path / "reference.db", tmp_path / "killed.db"
    subprocess.run(ingest_command(source, reference), check=True, timeout=900)
    expected = contents(reference)
    RECORDS_STORED[0] = len(expected["articles"])
    assert expected["copies"] and expected["actors"] and expected["events"]

    rng = random.Random(2026)
    stored = RECORDS_STORED[0]
    for ready, delay in moments(rng):
        articles, annotated, _ = kill_when(ingest_command(source, killed), killed, ready, delay)
        if ready.__doc__ == "reading":
            assert articles < stored
        elif ready.__doc__ == "annotating":
            assert articles == stored and annotated < stored
        else:  # killed after annotating, before the events were stored
            assert annotated == stored and events_stale(killed)

    done = subprocess.run(
        ingest_command(source, killed), capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr
    assert contents(killed) == expected


def test_two_ingests_at_once_give_the_store_of_one(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "news.jsonl", 3_000, seed=5, paragraphs=2)
    single, shared = tmp_path / "single.db", tmp_path / "shared.db"
    options = ("--no-annotate", "--no-cluster")
    subprocess.run(ingest_command(source, single, *options), check=True, timeout=600)
    runs = [subprocess.Popen(ingest_command(source, shared, *options)) for _ in range(2)]
    assert [run.wait(timeout=600) for run in runs] == [0, 0]
    one, two = contents(single), contents(shared)
    assert one["copies"]
    for table in ("articles", "sightings", "copies", "fts"):
        assert two[table] == one[table], table
