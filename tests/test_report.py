"""The static report: pages for the index, every event and the top actors, data.json,
and article text that stays inert text."""

from __future__ import annotations

import json
from pathlib import Path

from newsweave import Newsweave
from tests.helpers import cli

HOSTILE = {
    "title": "<script>alert('title')</script> Harbour <b>fire</b>",
    "source": "Evil Gazette",
    "published": "2021-09-07T09:00:00+00:00",
    "text": (
        "Dock workers at Port Aldermoor <img src=x onerror=\"alert('img')\"> stayed out. "
        "<script>document.title='owned'</script> \u201cWe will not go back <svg onload=alert(1)> "
        "until they listen,\u201d said Ruth Calloway."
    ),
}


def test_report_of_the_demo_with_a_hostile_article(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with Newsweave(db) as news:
        news.ingest_demo()
        news.add([HOSTILE])
    out = tmp_path / "site"
    result = cli("report", "--db", str(db), "--out", str(out), "--quiet")
    assert result.code == 0, result.stderr

    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Storylines and events" in index and "Port Aldermoor" in index
    events = sorted((out / "events").glob("*.html"))
    assert len(events) >= 11
    assert len(list((out / "actors").glob("*.html"))) > 10
    data = json.loads((out / "data.json").read_text(encoding="utf-8"))
    assert len(data["comparisons"]) == len(events)

    pages = [out / "index.html", *events, *(out / "actors").glob("*.html")]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.lower(), page
        assert "<img" not in html and "<svg" not in html, page  # only escaped: inert text
        assert "Content-Security-Policy" in html
    hostile = next(p for p in events if "&lt;script&gt;" in p.read_text(encoding="utf-8"))
    assert "&lt;img src=x" in hostile.read_text(encoding="utf-8")


def test_event_page_shows_the_comparison(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    with Newsweave(db) as news:
        news.ingest_demo()
        event = next(e for e in news.events() if "Camp Halden" in e.title)
    out = tmp_path / "site"
    assert cli("report", "--db", str(db), "--out", str(out), "-q").code == 0
    page = (out / "events" / f"{event.id}.html").read_text(encoding="utf-8")
    for expected in ("Summary", "Conflicts", "More than 2,200", "Quote variants", "<del>",
                     "<ins>", "strongman", "Framing", "Where they differ"):  # fmt: skip
        assert expected in page, expected
