"""The inspection commands and their JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import ARTICLE_TEXT, cli, cli_process, write

RECORDS = [
    {"id": "c-1", "title": "Barriers hold", "text": ARTICLE_TEXT, "source": "Wend Courier",
     "url": "https://wendcourier.example/1", "published": "2022-03-08T07:15:00+01:00",
     "author": "Ada Lind"},
    {"id": "h-2", "title": "Dam vote passes", "source": "Valley Herald",
     "text": "Councillors approved the upstream dam by nine votes to two on Monday.",
     "published": "2022-05-02"},
]  # fmt: skip


@pytest.fixture
def filled(tmp_path: Path, db: str) -> str:
    path = write(tmp_path / "r.json", json.dumps(RECORDS))
    run = cli("ingest", str(path), "--db", db, "--json")
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    assert (report["read"], report["new"], report["skipped"]) == (2, 2, 0)
    return db


def test_stats_json(filled: str) -> None:
    stats = json.loads(cli("stats", "--db", filled, "--json").stdout)
    assert (stats["articles"], stats["copies"], stats["undated"]) == (2, 0, 0)
    assert stats["outlets"] == {"Valley Herald": 1, "Wend Courier": 1}
    assert stats["languages"] == {"en": 2}


def test_articles_list_filters(filled: str) -> None:
    listed = json.loads(cli("articles", "list", "--db", filled, "--json").stdout)
    assert listed["total"] == 2
    assert [a["title"] for a in listed["articles"]] == ["Barriers hold", "Dam vote passes"]
    assert "text" not in listed["articles"][0]
    run = cli("articles", "list", "--db", filled, "--outlet", "Valley Herald", "--json")
    assert [a["input_id"] for a in json.loads(run.stdout)["articles"]] == ["h-2"]
    run = cli("articles", "list", "--db", filled, "--until", "2022-03-08", "--json")
    assert [a["input_id"] for a in json.loads(run.stdout)["articles"]] == ["c-1"]
    run = cli("articles", "list", "--db", filled, "--since", "2022-04-01", "--json")
    assert [a["input_id"] for a in json.loads(run.stdout)["articles"]] == ["h-2"]
    run = cli("articles", "list", "--db", filled, "-s", "households", "--json")
    assert [a["input_id"] for a in json.loads(run.stdout)["articles"]] == ["c-1"]
    table = cli("articles", "list", "--db", filled)
    assert "Barriers hold" in table.stdout and "2 of 2 articles" in table.stdout


def test_bad_list_arguments(filled: str) -> None:
    assert cli("articles", "list", "--db", filled, "--since", "last week").code == 2
    assert cli("articles", "list", "--db", filled, "-s", "?!").code == 2
    assert cli("articles", "list", "--db", filled, "--limit", "0").code == 2


def test_articles_show(filled: str) -> None:
    listed = json.loads(cli("articles", "list", "--db", filled, "--json").stdout)
    article_id = listed["articles"][0]["id"]
    shown = json.loads(cli("articles", "show", article_id[:7], "--db", filled, "--json").stdout)
    assert shown["id"] == article_id
    assert shown["text"].startswith("Flood barriers")
    assert shown["authors"] == ["Ada Lind"]
    assert shown["published"] == "2022-03-08T07:15:00+01:00"
    assert shown["outlets"] == ["Wend Courier"] and shown["copy_of"] is None
    terminal = cli("articles", "show", article_id, "--db", filled, "--full")
    assert "300 households" in terminal.stdout and "Wend Courier" in terminal.stdout
    missing = cli("articles", "show", "ffffffff", "--db", filled)
    assert missing.code == 1 and "no article" in missing.stderr


def test_reading_a_store_that_does_not_exist(tmp_path: Path) -> None:
    run = cli("stats", "--db", str(tmp_path / "nope.db"))
    assert run.code == 1 and "no such store" in run.stderr
    assert not (tmp_path / "nope.db").exists()


def test_quiet_and_piped_ingest_prints_no_progress(tmp_path: Path, db: str) -> None:
    path = write(tmp_path / "r.json", json.dumps(RECORDS))
    piped = cli_process("ingest", str(path), "--db", db)
    assert piped.code == 0 and piped.stderr == ""
    assert piped.stdout.startswith("read 2 · new 0") or "already stored" in piped.stdout
    quiet = cli_process("ingest", str(path), "--db", str(tmp_path / "q.db"), "--quiet")
    assert (quiet.code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_demo_command(tmp_path: Path) -> None:
    run = cli_process("demo", "--db", str(tmp_path / "demo.db"), "--fresh")
    assert run.code == 0, run.stderr
    assert "read 48 · new 47 · duplicates 1 · copies 1" in run.stdout
    assert "exact duplicate" in run.stdout and "copied from" in run.stdout
    assert "5 storylines" in run.stdout and "11 of 11 events" in run.stdout


def test_version() -> None:
    assert cli("--version").stdout.startswith("newsweave, version")
