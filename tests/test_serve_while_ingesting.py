"""``newsweave ingest`` writing while ``newsweave serve`` reads the same store (SQLite WAL):
readers never see a half-written event and nothing is lost or stored twice."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import httpx

from newsweave import Newsweave
from newsweave.synth import synthetic_news
from newsweave.web.process import serving
from tests.helpers import cli_process

BATCHES = 4
PER_BATCH = 40


def _write_batches(folder: Path) -> list[Path]:
    records = list(synthetic_news(BATCHES * PER_BATCH, seed=7, words=120))
    paths = []
    for number in range(BATCHES):
        path = folder / f"batch-{number}.jsonl"
        chunk = records[number * PER_BATCH : (number + 1) * PER_BATCH]
        path.write_text("".join(json.dumps(r) + "\n" for r in chunk), encoding="utf-8")
        paths.append(path)
    return paths


def _ingest_all(db: str, paths: list[Path], failures: list[str]) -> None:
    for path in paths:
        run = cli_process("ingest", str(path), "--db", db, "--no-annotate", "--quiet")
        if run.code != 0:
            failures.append(f"{path.name}: {run.stderr.strip()}")


def _check_once(client: httpx.Client, seen_counts: list[int]) -> int:
    """One round of reads; returns how many event documents were checked."""
    stats = client.get("/api/v1/stats").json()
    seen_counts.append(stats["articles"])
    listed = client.get("/api/v1/events", params={"limit": 200}).json()
    checked = 0
    for event in listed["items"][-5:]:  # the newest events are the ones being rewritten
        answer = client.get(f"/api/v1/events/{event['id']}")
        if answer.status_code == 404:  # gone in a later rebuild: fine, never half there
            continue
        document: dict[str, Any] = answer.json()
        members = document["articles"]
        assert members, document
        assert document["size"] == len(members), document
        assert document["representative_id"] in {a["id"] for a in members}, document
        checked += 1
    return checked


def test_ingest_while_serving_loses_nothing_and_shows_whole_events(tmp_path: Path) -> None:
    db = str(tmp_path / "store.db")
    with Newsweave(db) as news:
        news.ingest_demo()
        demo_articles = news.count()
    paths = _write_batches(tmp_path)
    failures: list[str] = []
    counts: list[int] = []
    with serving(db) as base, httpx.Client(base_url=base, timeout=30) as client:
        writer = threading.Thread(target=_ingest_all, args=(db, paths, failures))
        writer.start()
        checked = 0
        while writer.is_alive():
            checked += _check_once(client, counts)
        writer.join()
        checked += _check_once(client, counts)
        final = client.get("/api/v1/stats").json()
    assert not failures, failures
    assert checked > 0 and len(counts) > 2
    assert counts == sorted(counts), "the article count went backwards"
    assert final["articles"] == demo_articles + BATCHES * PER_BATCH
    again = cli_process("ingest", str(paths[0]), "--db", db, "--no-annotate", "--json")
    report = json.loads(again.stdout)
    assert (report["new"], report["already_stored"]) == (0, PER_BATCH)
    with Newsweave(db, read_only=True) as news:
        assert news.count() == demo_articles + BATCHES * PER_BATCH
        assigned = sum(e.size for e in news.events(limit=10_000))
        assert assigned == news.count()  # every article in exactly one event
