"""Terminal output shows what the inputs hold literally: no Rich markup, no control
sequences, no forged lines; every message is one line; exit statuses as the README says."""

from __future__ import annotations

import io
import json
import re
import sqlite3
from pathlib import Path

import pytest
from rich.console import Console

from newsweave.api import READING
from newsweave.cli import _Reading, write_rows
from newsweave.cli_base import phase_progress, text_out
from newsweave.ingest.options import Source
from newsweave.render.jsonout import dumps, dumps_line
from tests.helpers import cli, write

HOSTILE_TEXT = (
    "Flood barriers along the Wend river held overnight, the water authority said "
    '\x1b[31mon Tuesday\x1b[0m after the water rose two metres. "We will hold the line '
    '\x1b]0;owned\x07 tonight \b\b\u202eevil," said Mayor Ada Lind. About 300 households '
    "in the lower town were moved to school halls as a precaution."
)
RECORDS = [
    {"id": "m-1", "title": "Council vote [/UPDATE]", "text": HOSTILE_TEXT,
     "source": "Wend [b]Courier[/b]", "url": "https://wend.example/1", "published": "2022-03-08"},
    {"id": "m-2", "title": "[b]Barriers[/b] hold \x1b[2J", "source": "Valley Herald",
     "text": HOSTILE_TEXT.replace("Tuesday", "Monday") + ' Lind said "the [red]line[/red] held".',
     "url": "https://valley.example/2", "published": "2022-03-08"},
]  # fmt: skip
# What a terminal would act on instead of showing: ESC, BEL, BS, CR, C1 controls, bidi overrides.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(tmp_path: Path, db: str) -> str:
    """A store whose titles, outlets and texts hold markup and control sequences."""
    run = cli("ingest", str(write(tmp_path / "r.json", json.dumps(RECORDS))), "--db", db)
    assert run.code == 0, run.stderr
    return db


def _ids(db: str, listing: str, key: str) -> list[str]:
    found = json.loads(cli(*listing.split(), "--db", db, "--json").stdout)[key]
    return [item["id"] for item in found]


def _shown(*args: str) -> str:
    """What a command prints, checked to hold no raw control character."""
    run = cli(*args)
    assert run.code == 0, run.stderr
    assert not RAW_CONTROLS.search(run.stdout + run.stderr), (args, run.stdout)
    return run.stdout


def test_markup_in_the_inputs_is_shown_as_written(hostile: str) -> None:
    article = _ids(hostile, "articles list", "articles")[0]
    event = _ids(hostile, "events list", "events")[0]
    storyline = _ids(hostile, "storylines list", "storylines")[0]
    outlet, titles = (
        "Wend [b]Courier[/b]",
        ("Council vote [/UPDATE]", "[b]Barriers[/b] hold \\x1b[2J"),
    )
    for args in (
        ["stats"], ["articles", "list"], ["events", "show", event], ["outlets", "list"],
        ["quotes"], ["compare", event],
    ):  # fmt: skip
        assert outlet in _shown(*args, "--db", hostile), args
    for args in (
        ["articles", "list"], ["articles", "show", article], ["events", "list"],
        ["events", "show", event], ["storylines", "show", storyline], ["compare", event],
    ):  # fmt: skip
        shown = _shown(*args, "--db", hostile)
        assert any(title in shown for title in titles), args
    assert all(title in _shown("articles", "list", "--db", hostile) for title in titles)
    assert "the [red]line[/red] held" in _shown("quotes", "--db", hostile)
    shown = _shown("outlets", "show", "Wend [b]Courier[/b]", "--db", hostile)
    assert shown.splitlines()[0].strip() == "Wend [b]Courier[/b]"


def test_control_sequences_in_the_text_are_escaped(hostile: str) -> None:
    article = _ids(hostile, "articles list", "articles")[0]
    event = _ids(hostile, "events list", "events")[0]
    shown = _shown("articles", "show", article, "--full", "--annotations", "--db", hostile)
    assert "\\x1b[31mon Tuesday\\x1b[0m" in shown and "\\x1b]0;owned\\x07" in shown
    assert "\\x08\\x08\\u202eevil" in shown
    quotes = _shown("quotes", "--db", hostile)
    assert "\\x1b]0;owned\\x07" in quotes
    compared = _shown("compare", event, "--db", hostile)
    assert "\\x1b[31mon" in compared
    _shown("actions", "--db", hostile)
    _shown("actors", "list", "--db", hostile)


def test_the_text_keeps_its_paragraphs(tmp_path: Path, db: str) -> None:
    text = HOSTILE_TEXT + "\n\nThe authority will decide by Thursday [i]whether[/i] they return."
    record = {**RECORDS[0], "title": "Barriers hold", "text": text}
    cli("ingest", str(write(tmp_path / "r.json", json.dumps([record]))), "--db", db)
    shown = _shown("articles", "show", _ids(db, "articles list", "articles")[0], "--full",
                   "--db", db)  # fmt: skip
    assert "precaution.\n\nThe authority will decide by Thursday [i]whether[/i]" in shown


def test_a_file_name_cannot_forge_a_line_of_output(tmp_path: Path, db: str) -> None:
    forged = "\nread 999 · new 999 · duplicates 0"
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / f"a{forged}.txt").write_bytes(b"\xff\xfe not utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / f"b{forged}.docx").write_bytes(b"PK")
    folder = tmp_path / f"desk{forged}"
    write(folder / "c.txt", HOSTILE_TEXT)
    for inputs in ([tmp_path / "bad", folder], [tmp_path / "other"]):
        run = cli("ingest", *map(str, inputs), "--db", db)
        assert run.code == 1
        lines = (run.stdout + run.stderr).splitlines()
        assert [line for line in lines if line.startswith("read ")] == [lines[0]]
        assert not [line for line in lines if line.startswith("read 999")]
        assert not RAW_CONTROLS.search(run.stdout + run.stderr)
    assert "a\\nread 999" in run.stderr or "b\\nread 999" in run.stderr


def test_an_error_quoting_the_input_is_one_line(tmp_path: Path) -> None:
    run = cli("stats", "--db", str(tmp_path / "a\nb [/x].db"))
    assert run.code == 1
    assert run.stderr.strip().splitlines() == [f"Error: {tmp_path}/a\\nb [/x].db: no such store "
                                               "(create it with newsweave ingest)"]  # fmt: skip


def test_an_unexpected_error_is_one_line_with_status_3(
    hostile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(hostile) as store:
        store.execute("DROP TABLE events")
    monkeypatch.delenv("NEWSWEAVE_DEBUG", raising=False)
    run = cli("events", "list", "--db", hostile)
    assert run.code == 3
    assert run.stderr.splitlines() == [
        "newsweave: unexpected error: OperationalError: no such table: events "
        "(NEWSWEAVE_DEBUG=1 shows where)"
    ]
    monkeypatch.setenv("NEWSWEAVE_DEBUG", "1")
    with pytest.raises(sqlite3.OperationalError):
        cli("events", "list", "--db", hostile)


def test_numbers_and_dates_out_of_range_are_usage_errors(hostile: str) -> None:
    for option in ("--offset", "--limit"):
        run = cli("articles", "list", "--db", hostile, option, str(2**63))
        assert run.code == 2 and "is not in the range" in run.stderr
        assert cli("quotes", "--db", hostile, option, str(2**63)).code == 2
    run = cli("articles", "list", "--db", hostile, "--until", "9999-12-31", "--json")
    assert run.code == 0 and json.loads(run.stdout)["total"] == 2


def test_long_unbroken_words_stay_inside_the_table(tmp_path: Path, db: str) -> None:
    word = "x" * 700
    record = {**RECORDS[1], "title": f"Long {word}", "source": f"Outlet{word}",
              "url": f"https://valley.example/{word}"}  # fmt: skip
    cli("ingest", str(write(tmp_path / "r.json", json.dumps([record]))), "--db", db)
    for args in (["articles", "list"], ["events", "list"], ["outlets", "list"]):
        shown = _shown(*args, "--db", db).splitlines()
        assert max(len(line) for line in shown) <= 160
        assert all(line[0] in "┏┃┡│└" for line in shown[1:]), shown


def test_the_progress_row_shows_a_file_name_as_written() -> None:
    with phase_progress(quiet=True) as shown:
        shown.start(READING, None)
        _Reading(shown).on_source_start(Source("in/[/UPDATE]\x1b[2J\nread 9.txt", "txt"))
        screen = Console(file=io.StringIO(), width=200, color_system=None)
        screen.print(shown.bar.make_tasks_table(shown.bar.tasks))
    assert "[/UPDATE]\\x1b[2J\\nread 9.txt" in screen.file.getvalue()  # type: ignore[attr-defined]


def test_json_output_is_valid_whatever_the_text_holds(tmp_path: Path) -> None:
    data = {"title": "lone \ud800 surrogate", "text": "C1 \x85\x9b, bidi \u202e, sep \u2028 ok é"}
    for text in (dumps(data), dumps_line(data)):
        assert json.loads(text) == data
        assert not RAW_CONTROLS.search(text)
        text.encode("utf-8")
    assert "é" in dumps_line(data)
    path = tmp_path / "rows.csv"
    with text_out(str(path)) as handle:
        write_rows(handle, iter([{"title": "lone \ud800", "outlet": "Wend"}]), "csv")
    assert "lone \\ud800" in path.read_text(encoding="utf-8")
