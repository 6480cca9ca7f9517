"""Progress by phase (API and terminal), and what a run that finds nothing passed over."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from newsweave import Newsweave
from newsweave.events import build_events
from newsweave.model import Article, Published
from newsweave.synth import synthetic_event_stream
from tests.helpers import ARTICLE_TEXT, cli, write

BATCH_STEPS = ["loading", "sketching", "pairing", "merging", "centroids", "similarities"]
STORE_STEPS = ["sketching", "pairing", "merging", "storing"]  # the store's (incremental) steps
RECORDS = [
    {"title": "Barriers hold", "text": ARTICLE_TEXT, "source": "Wend Courier",
     "published": "2022-03-08T07:15:00+01:00"},
    {"title": "Dam vote passes", "source": "Valley Herald", "published": "2022-05-02",
     "text": "Councillors approved the upstream dam by nine votes to two on Monday."},
]  # fmt: skip
STORY = "Ferry strike ends\n\nDock workers in Harlow voted to end their strike on Friday."


@dataclass
class Recorder:
    """A Progress that keeps every call, checking that each phase is well formed."""

    calls: list[tuple[str, str, int | None]] = field(default_factory=list)

    def start(self, phase: str, total: int | None) -> None:
        assert phase not in self.phases(), f"{phase} started twice"
        self.calls.append(("start", phase, total))

    def advance(self, phase: str, n: int = 1) -> None:
        assert self.state(phase) == "started", f"advance of {phase} outside its phase"
        assert n > 0
        self.calls.append(("advance", phase, n))

    def done(self, phase: str) -> None:
        assert self.state(phase) == "started", f"{phase} done before it started, or twice"
        self.calls.append(("done", phase, None))

    def phases(self) -> list[str]:
        return [phase for kind, phase, _ in self.calls if kind == "start"]

    def state(self, phase: str) -> str | None:
        kinds = [kind for kind, name, _ in self.calls if name == phase and kind != "advance"]
        return {"start": "started", "done": "done"}.get(kinds[-1]) if kinds else None

    def total(self, phase: str) -> int | None:
        return next(total for kind, name, total in self.calls if (kind, name) == ("start", phase))

    def advanced(self, phase: str) -> int:
        return sum(n or 0 for kind, name, n in self.calls if (kind, name) == ("advance", phase))


def corpus(folder: Path) -> Path:
    write(folder / "records.json", json.dumps(RECORDS))
    write(folder / "ferry.md", STORY)
    write(folder / "notes" / "dam.txt", "Dam opens\n\nThe new dam on the Wend opened on Monday.")
    return folder


def test_ingest_tells_each_phase_with_its_counts(tmp_path: Path, db: str) -> None:
    recorder = Recorder()
    with Newsweave(db) as news:
        report = news.ingest([corpus(tmp_path / "in")], progress=recorder)
        stored = news.count()
        events = news.store.count_events()  # the comparison of each is made
    clustering = [f"clustering: {step}" for step in STORE_STEPS]
    assert recorder.phases() == ["reading", "annotating", *clustering, "comparing"]
    assert recorder.total("comparing") == recorder.advanced("comparing") == events > 0
    assert all(recorder.state(phase) == "done" for phase in recorder.phases())
    assert (report.new, stored) == (4, 4)
    assert recorder.total("reading") == recorder.advanced("reading") == 3  # files
    assert recorder.total("annotating") == recorder.advanced("annotating") == 4
    for step in ("sketching", "pairing"):
        assert recorder.total(f"clustering: {step}") == 4, step
        assert recorder.advanced(f"clustering: {step}") == 4, step
    assert recorder.total("clustering: merging") is None
    assert recorder.total("clustering: storing") is None


def test_nothing_new_only_reads_and_online_has_its_own_steps(tmp_path: Path, db: str) -> None:
    folder = corpus(tmp_path / "in")
    with Newsweave(db) as news:
        news.ingest([folder])
        again = Recorder()
        news.ingest([folder], progress=again)
        assert again.phases() == ["reading"]  # nothing new: no annotating, no clustering
        online = Recorder()
        assert news.cluster(online=True, progress=online)[0] > 0
    steps = ["assigning", "similarities", "storing"]
    assert online.phases() == [f"clustering: {step}" for step in steps]
    assert online.advanced("clustering: assigning") == 4


def test_the_events_code_reports_every_256_articles() -> None:
    articles = [
        Article(r["id"], r["headline"], r["body"], "Wire", r["id"], None,
                Published(datetime.fromisoformat(r["published"])))
        for r in synthetic_event_stream(600, seed=3)
    ]  # fmt: skip
    told: list[tuple[str, int, int | None]] = []
    build = build_events(articles, articles, progress=lambda *call: told.append(call))
    assert build == build_events(articles, articles)  # progress changes nothing
    assert [call for call in told if call[0] == "merging"] == [("merging", 0, None)]
    for step in ("loading", "sketching", "pairing", "centroids", "similarities"):
        counts = [(done, total) for name, done, total in told if name == step]
        assert counts == [(0, 600), (256, 600), (512, 600), (600, 600)], step
    assert list(dict.fromkeys(name for name, *_ in told)) == BATCH_STEPS


def test_piped_commands_print_no_progress(tmp_path: Path, db: str) -> None:
    assert cli("ingest", str(corpus(tmp_path / "in")), "--db", db, "--no-annotate").code == 0
    for command in (["annotate"], ["cluster"], ["report", "--out", str(tmp_path / "site")]):
        run = piped(*command, "--db", db)
        assert (run.returncode, run.stderr) == (0, ""), command
        assert run.stdout
    quiet = piped("cluster", "--db", db, "--quiet")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def piped(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m newsweave ARGS`` (which has every command), output piped."""
    command = [sys.executable, "-m", "newsweave", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_terminal_sees_every_phase(tmp_path: Path, db: str) -> None:
    screen = on_terminal("ingest", str(corpus(tmp_path / "in")), "--db", db)
    for row in ("reading", "3/3", "annotating", "4/4", "clustering: storing"):
        assert row in screen, row
    quiet = on_terminal("cluster", "--db", db, "--quiet")
    assert "clustering" not in quiet


def on_terminal(*args: str) -> str:
    """What ``newsweave ARGS`` writes to stderr when stderr is a terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "TERM": "xterm-256color"}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsweave", *args],
        stdout=subprocess.DEVNULL, stderr=follower, env=env,
    )  # fmt: skip
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 1.0)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_folder_of_unreadable_types_says_what_it_passed_over(tmp_path: Path, db: str) -> None:
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "brief.docx").write_bytes(b"PK\x03\x04 not really")
    (folder / "sub" / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "blank").write_bytes(b"")
    (folder / ".notes.txt").write_text("a hidden story")
    run = cli("ingest", str(folder), "--db", db)
    assert run.code == 1
    lines = run.stderr.splitlines()
    assert lines == [
        f"newsweave: passed over {folder / '.notes.txt'}: hidden file",
        f"newsweave: passed over {folder / 'blank'}: empty file",
        f"newsweave: passed over {folder / 'brief.docx'}: unknown file type .docx",
        f"newsweave: passed over {folder / 'sub' / 'scan.pdf'}: unknown file type .pdf",
        "newsweave: no articles found in the inputs",
    ]
    report = json.loads(cli("ingest", str(folder), "--db", db, "--json").stdout)
    assert (report["read"], report["skipped"], len(report["passed_over"])) == (0, 0, 4)
    assert report["passed_over"][2] == {
        "what": "file", "where": str(folder / "brief.docx"), "why": "unknown file type .docx",
    }  # fmt: skip


def test_passed_over_lines_are_capped_and_only_for_empty_runs(tmp_path: Path, db: str) -> None:
    for number in range(25):
        (tmp_path / "many" / f"{number:02}.docx").parent.mkdir(exist_ok=True)
        (tmp_path / "many" / f"{number:02}.docx").write_bytes(b"PK")
    run = cli("ingest", str(tmp_path / "many"), "--db", db)
    passed = [line for line in run.stderr.splitlines() if "passed over" in line]
    assert run.code == 1 and len(passed) == 20 and "00.docx" in passed[0]
    assert "newsweave: … and 5 more" in run.stderr
    (tmp_path / "empty").mkdir()
    run = cli("ingest", str(tmp_path / "empty"), "--db", db)
    assert f"passed over {tmp_path / 'empty'}: empty folder" in run.stderr
    write(tmp_path / "many" / "story.md", STORY)  # something read: exit 0, no lines
    run = cli("ingest", str(tmp_path / "many"), "--db", db, "--no-annotate", "--no-cluster")
    assert (run.code, run.stderr) == (0, "")
    with Newsweave(db) as news:
        report = news.ingest([tmp_path / "many"], annotate=False, cluster=False)
    assert len(report.passed_over) == 25 and report.skipped == 0
