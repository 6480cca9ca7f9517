"""A SIGKILL at any moment leaves a consistent store; re-running completes the job exactly."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsweave import open_store
from newsweave.synth import write_jsonl

RECORDS = 20_000


def contents(db: Path) -> dict[str, object]:
    raw = sqlite3.connect(db)
    query = lambda sql: sorted(raw.execute(sql).fetchall())  # noqa: E731
    found = {
        "articles": query("SELECT id, title, outlet, published FROM articles"),
        "sightings": query("SELECT article_id, outlet, url, input_id FROM sightings"),
        "copies": query("SELECT copy_id, origin_id FROM copies"),
        "fts": raw.execute("SELECT COUNT(*) FROM articles_fts").fetchone(),
    }
    raw.close()
    return found


def stored_articles(db: Path) -> int:
    try:
        raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        count = int(raw.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
        raw.close()
        return count
    except sqlite3.Error:
        return 0


def ingest_command(source: Path, db: Path) -> list[str]:
    command = [sys.executable, "-m", "newsweave", "ingest", str(source), "--db", str(db)]
    return [*command, "--quiet", "--no-annotate"]


def kill_when(source: Path, db: Path, at_least: int) -> None:
    """Start an ingest and SIGKILL it once ``at_least`` articles are committed."""
    process = subprocess.Popen(ingest_command(source, db), stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while stored_articles(db) < at_least and process.poll() is None:
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.05)
    assert process.poll() is None, "ingest finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.slow
def test_sigkill_then_rerun_gives_the_uninterrupted_counts(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "big.jsonl", RECORDS, seed=7, paragraphs=4)
    reference, killed = tmp_path / "reference.db", tmp_path / "killed.db"
    subprocess.run(ingest_command(source, reference), check=True)

    kill_when(source, killed, at_least=2_000)
    partial = stored_articles(killed)
    kill_when(source, killed, at_least=partial + 3_000)  # killed twice, at other moments
    store = open_store(killed)
    assert store.integrity_problems() == []  # consistent right after the kill
    store.close()

    done = subprocess.run(ingest_command(source, killed), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert contents(killed) == contents(reference)
    expected = contents(reference)
    assert len(expected["copies"]) > 0  # type: ignore[arg-type]
    assert len(expected["sightings"]) == RECORDS  # type: ignore[arg-type]
