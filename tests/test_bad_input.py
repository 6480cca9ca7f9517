"""Bad input: one line per problem on stderr, the rest goes on, exit codes 0 / 1 / 2."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from newsweave import Newsweave
from tests.helpers import ARTICLE_TEXT, cli, cli_process, write

GOOD = {"title": "Barriers hold", "text": ARTICLE_TEXT, "source": "Wend Courier"}


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("newsweave: skipped")]


def ingest_with(tmp_path: Path, db: str, bad_name: str, bad: bytes, *extra: str) -> tuple[int, str]:
    write(tmp_path / "in" / "good.json", json.dumps([GOOD]))
    (tmp_path / "in" / bad_name).write_bytes(bad)
    run = cli("ingest", str(tmp_path / "in"), "--db", db, *extra)
    with Newsweave(db) as news:
        assert [a.title for a in news.articles()] == ["Barriers hold"]  # the good one got in
    return run.code, run.stderr


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary content"),
        ("latin1.txt", "Caf\u00e9 r\u00e9ouvert\nLe caf\u00e9 a rouvert.".encode("latin-1"),
         "not valid utf-8"),
        ("broken.json", b'[{"title": "x", "text": "unterminated', "invalid JSON"),
        ("feed.xml", b"<?xml version='1.0'?><rss version='2.0'><channel><title>X</title>"
         b"<item><title>a</title></channel>", "malformed feed"),
        ("empty.md", b"", "empty file"),
        ("archive.warc.gz", b"WARC/1.0\r\nthis is not a warc record\r\n\r\n", "broken WARC"),
        ("page.html", b"<html><body><nav>Home</nav></body></html>", "no main text"),
        ("table.parquet", b"PAR1 definitely not parquet PAR1", "unreadable Parquet"),
        ("data.csv.gz", b"\x1f\x8b\x08 truncated gzip", "broken gzip"),
    ],
)  # fmt: skip
def test_each_bad_file_is_skipped_with_one_line(
    tmp_path: Path, db: str, name: str, content: bytes, reason: str
) -> None:
    code, stderr = ingest_with(tmp_path, db, name, content)
    assert code == 1
    (line,) = problem_lines(stderr)
    assert name in line and reason in line


def test_wrong_encoding_can_be_named(tmp_path: Path, db: str) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\u00e9 r\u00e9ouvert\nLe caf\u00e9 a rouvert hier.".encode("latin-1"))
    run = cli("ingest", str(path), "--db", db, "--encoding", "latin-1")
    assert run.code == 0, run.stderr
    with Newsweave(db) as news:
        assert news.articles()[0].title == "Café réouvert"


def test_broken_records_are_skipped_one_by_one(tmp_path: Path, db: str) -> None:
    lines = [
        json.dumps(GOOD),
        '{"title": "cut off',
        json.dumps({"author": "neither text nor title"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": 42}),
        json.dumps({**GOOD, "text": ARTICLE_TEXT + " Second story.", "published": "someday"}),
    ]
    path = write(tmp_path / "r.jsonl", "\n".join(lines) + "\n")
    run = cli("ingest", str(path), "--db", db)
    assert run.code == 1
    skipped = problem_lines(run.stderr)
    assert [line.split(":")[2] for line in skipped] == ["2", "3", "4", "5"]
    assert "unreadable date 'someday'" in run.stderr  # a note, and the article is kept undated
    assert "read 2 · new 2" in run.stdout and "skipped 4" in run.stdout


def test_csv_row_with_wrong_column_count(tmp_path: Path, db: str) -> None:
    path = write(tmp_path / "r.csv", 'title,text\nA,"Barriers hold on the Wend"\nB,x,extra\n')
    run = cli("ingest", str(path), "--db", db)
    assert run.code == 1
    (line,) = problem_lines(run.stderr)
    assert "r.csv:3" in line and "3 columns where the header has 2" in line


def test_oversized_record(tmp_path: Path, db: str) -> None:
    huge = {"title": "Huge", "text": "word " * 500_000}
    path = write(tmp_path / "r.jsonl", json.dumps(GOOD) + "\n" + json.dumps(huge) + "\n")
    run = cli("ingest", str(path), "--db", db)
    assert run.code == 1
    (line,) = problem_lines(run.stderr)
    assert "r.jsonl:2" in line and "text too large" in line


def test_oversized_file(tmp_path: Path, db: str) -> None:
    code, stderr = ingest_with(
        tmp_path, db, "big.txt", b"Big\n" + b"word " * 5000, "--max-file-size", "10000"
    )
    assert code == 1
    assert "too large" in problem_lines(stderr)[0]


def test_record_files_are_streamed_past_the_size_cap(tmp_path: Path, db: str) -> None:
    lines = [json.dumps({**GOOD, "text": f"{ARTICLE_TEXT} Update {n}."}) for n in range(30)]
    path = write(tmp_path / "many.jsonl", "\n".join(lines) + "\n")
    assert path.stat().st_size > 10_000
    run = cli("ingest", str(path), "--db", db, "--max-file-size", "300")
    assert run.code == 1  # every line is over the cap, so each is skipped as a record...
    assert len(problem_lines(run.stderr)) == 30 and "line longer than 300 bytes" in run.stderr
    run = cli("ingest", str(path), "--db", db, "--max-file-size", "2000")
    assert run.code == 0, run.stderr  # ...but the 12 KB file itself is never refused whole
    with Newsweave(db) as news:
        assert news.count() == 30


def test_truncated_gzip_keeps_the_records_before_the_damage(tmp_path: Path, db: str) -> None:
    lines = [json.dumps({**GOOD, "text": f"{ARTICLE_TEXT} Update {n}."}) for n in range(200)]
    packed = gzip.compress(("\n".join(lines) + "\n").encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(packed[: len(packed) // 2])
    run = cli("ingest", str(tmp_path / "cut.jsonl.gz"), "--db", db)
    assert run.code == 1
    (line,) = problem_lines(run.stderr)
    assert "cut.jsonl.gz" in line and "broken gzip data" in line
    with Newsweave(db) as news:
        assert 0 < news.count() < 200


def test_unreadable_file_and_missing_path(tmp_path: Path, db: str) -> None:
    write(tmp_path / "in" / "good.json", json.dumps([GOOD]))
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "in" / "dangling.txt")
    run = cli("ingest", str(tmp_path / "in"), str(tmp_path / "missing.md"), "--db", db)
    assert run.code == 1
    lines = problem_lines(run.stderr)
    assert len(lines) == 2
    assert any("dangling.txt: unreadable" in line for line in lines)
    assert any("missing.md: no such file or directory" in line for line in lines)


def test_unknown_explicit_file_type(tmp_path: Path, db: str) -> None:
    path = write(tmp_path / "notes.weird", "just some words")
    run = cli("ingest", str(path), "--db", db)
    assert run.code == 1
    assert "unknown file type" in run.stderr


def test_strict_stops_at_first_problem_keeping_what_came_before(tmp_path: Path, db: str) -> None:
    write(tmp_path / "in" / "a.json", json.dumps([GOOD]))
    (tmp_path / "in" / "b.txt").write_bytes(b"\x00\x01binary")
    write(tmp_path / "in" / "c.md", "Later\n" + ARTICLE_TEXT + " Another story.")
    run = cli("ingest", str(tmp_path / "in"), "--db", db, "--strict")
    assert run.code == 1
    assert len(problem_lines(run.stderr)) == 1
    with Newsweave(db) as news:
        assert [a.title for a in news.articles()] == ["Barriers hold"]


def test_exit_codes_as_a_real_process(tmp_path: Path, db: str) -> None:
    good = write(tmp_path / "good.json", json.dumps([GOOD]))
    assert cli_process("ingest", str(good), "--db", db).code == 0
    assert cli_process("ingest", str(good), "--db", db).code == 0  # nothing new, nothing wrong
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00")
    done = cli_process("ingest", str(good), str(bad), "--db", db)
    assert done.code == 1
    assert done.stderr.count("\n") == 1 and "bad.txt" in done.stderr  # one line, no progress bar
    assert cli_process("ingest", "--no-such-flag", str(good)).code == 2
    assert cli_process("ingest", "--db", db).code == 2  # no inputs
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = cli_process("ingest", str(empty), "--db", db)
    assert nothing.code == 1 and "no articles found" in nothing.stderr
