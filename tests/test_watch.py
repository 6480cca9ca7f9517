"""Watch mode against a real HTTP server on loopback: conditional GET, back-off, folders, CLI.

Every feed and article here is invented for the tests.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsweave import Newsweave
from newsweave.ingest.fetch import Validators, fetch, fetch_if_changed
from newsweave.ingest.options import FetchPolicy
from newsweave.ingest.watch import (
    FeedFailure,
    RoundSummary,
    Watcher,
    backoff_delay,
    parse_interval,
)
from newsweave.model import InputError
from tests.helpers import cli, write

POLICY = FetchPolicy(allow_private=True, timeout=5.0)
PLACES = ["Harrowgate", "Lindenmoor", "Quellbridge", "Sorrel Bay", "Tarnwick", "Vellacourt"]
TOPICS = [
    ("ferry timetable", "The harbour board extended the winter ferry timetable by two sailings"),
    ("library roof", "Builders began replacing the leaking roof of the old town library"),
    ("orchard frost", "Growers lit smudge pots overnight to protect the blossoming orchards"),
    ("tram depot", "The council approved a second tram depot on the disused goods yard"),
    ("river survey", "Volunteers counted otters along six kilometres of the upper river"),
    ("market hall", "Traders voted to keep the covered market hall open on Sundays"),
]


def story(n: int) -> tuple[str, str]:
    """An invented headline and a body distinct enough not to count as a copy of another."""
    topic, lead = TOPICS[n % len(TOPICS)]
    place = PLACES[(n // len(TOPICS)) % len(PLACES)]
    body = (
        f"{lead} in {place} on day {n}, officials said. Item number {n} of the test wire. "
        f"The decision followed {n + 3} weeks of consultation with {n * 7 + 11} residents, "
        f"and a spokesperson for {place} council said work on the {topic} would start soon."
    )
    return f"{place} {topic} update {n}", body


def rss(title: str, numbers: list[int]) -> str:
    items = "".join(
        f"<item><title>{story(n)[0]}</title><link>https://wire.example/{n}</link>"
        f"<guid>wire-{n}</guid><description>{story(n)[1]}</description>"
        f"<pubDate>Mon, 0{1 + n % 9} Apr 2024 10:00:00 +0000</pubDate></item>"
        for n in numbers
    )
    head = f"<?xml version='1.0'?><rss version='2.0'><channel><title>{title}</title>"
    return f"{head}{items}</channel></rss>"


def atom(title: str, numbers: list[int]) -> str:
    entries = "".join(
        f"<entry><title>{story(n)[0]}</title><id>urn:gazette:{n}</id>"
        f"<link href='https://gazette.example/{n}'/>"
        f"<updated>2024-04-0{1 + n % 9}T09:00:00Z</updated>"
        f"<summary>{story(n)[1]}</summary></entry>"
        for n in numbers
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>{title}</title><id>urn:gazette</id><updated>2024-04-09T09:00:00Z</updated>"
        f"{entries}</feed>"
    )


@dataclass
class Feed:
    """One served feed: its body, how it misbehaves, and whether it sends validators."""

    body: str
    content_type: str = "application/rss+xml"
    mode: str = "ok"  # ok | error | garbage | slow
    validators: bool = True
    modified: str = field(default_factory=lambda: formatdate(usegmt=True))

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body.encode()).hexdigest()[:12] + '"'

    def update(self, body: str) -> None:
        self.body = body
        self.modified = formatdate(time.time() + 1, usegmt=True)


@dataclass
class Seen:
    path: str
    if_none_match: str | None
    if_modified_since: str | None


class FeedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.feeds: dict[str, Feed] = {}
        self.seen: list[Seen] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def hits(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out on purpose break their connections


class FeedHandler(BaseHTTPRequestHandler):
    server: FeedServer

    def do_GET(self) -> None:
        inm, ims = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
        self.server.seen.append(Seen(self.path, inm, ims))
        feed = self.server.feeds.get(self.path)
        if feed is None or feed.mode == "error":
            self._send(404 if feed is None else 500, "text/plain", "no")
            return
        if feed.mode == "slow":
            time.sleep(1.5)
        if feed.mode == "garbage":
            self._send(200, feed.content_type, "<rss><channel><title>Oops</title><item><ti")
            return
        if feed.validators and (inm == feed.etag or (inm is None and ims == feed.modified)):
            self.send_response(304)
            self.end_headers()
            return
        extra = {"ETag": feed.etag, "Last-Modified": feed.modified} if feed.validators else {}
        self._send(200, feed.content_type, feed.body, extra)

    def _send(self, status: int, kind: str, body: str, extra: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[FeedServer]:
    httpd = FeedServer()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


class Clock:
    """A settable clock, so back-off can be tested without waiting."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def watcher(news: Newsweave, targets: list[str], clock: Clock, **options: object) -> Watcher:
    settings: dict[str, object] = {
        "every": 60.0, "allow_private": True, "timeout": 5.0, "annotate": False, "cluster": False,
    }  # fmt: skip
    settings.update(options)
    return news.watcher(targets, clock=clock, **settings)  # type: ignore[arg-type]


def poll(watch: Watcher, clock: Clock, advance: float = 0.0) -> RoundSummary:
    clock.now += advance
    return watch.poll()


def sightings(news: Newsweave) -> int:
    return int(news.store.stats()["sightings"])


# units


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("30s", 30), ("10m", 600), ("1h", 3600), ("45", 45), ("1.5m", 90), (" 2H ", 7200)],
)
def test_intervals(text: str, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "ten", "10x", "-5", "0", "5 m s"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_delay(60, n) for n in range(1, 6)] == [120, 240, 480, 480, 480]
    assert backoff_delay(600, 1) == 1200
    assert backoff_delay(600, 3) == 3600  # an hour caps before eight intervals
    assert backoff_delay(7200, 4) == 7200  # never less than one interval
    assert backoff_delay(30, 1000) == 240


# conditional GET


def test_conditional_fetch_returns_validators_and_304(server: FeedServer) -> None:
    server.feeds["/a"] = Feed(rss("Wire", [1]))
    first = fetch_if_changed(server.url("/a"), POLICY, Validators())
    assert first is not None and first.etag == server.feeds["/a"].etag
    assert first.last_modified == server.feeds["/a"].modified
    assert fetch_if_changed(server.url("/a"), POLICY, Validators(first.etag)) is None
    assert fetch_if_changed(server.url("/a"), POLICY, Validators(None, first.last_modified)) is None
    assert fetch(server.url("/a"), POLICY).body == first.body  # plain fetch sends no validators
    assert server.seen[-1].if_none_match is None


# rounds


def test_rounds_ingest_once_then_get_304(server: FeedServer, news: Newsweave, clock: Clock) -> None:
    server.feeds["/wire.rss"] = Feed(rss("Test Wire", [1, 2, 3]))
    server.feeds["/gazette.atom"] = Feed(atom("Test Gazette", [4, 5]), "application/atom+xml")
    targets = [server.url("/wire.rss"), server.url("/gazette.atom")]
    watch = watcher(news, targets, clock)
    first = poll(watch, clock)
    assert (first.report.new, first.changed, first.unchanged, first.failures) == (5, 2, 0, [])
    assert news.count() == 5
    assert {a.outlet for a in news.articles()} == {"Test Wire", "Test Gazette"}

    second = poll(watch, clock, 60)
    assert (second.report.read, second.changed, second.unchanged) == (0, 0, 2)
    for path in ("/wire.rss", "/gazette.atom"):
        last = server.hits(path)[-1]
        assert last.if_none_match == server.feeds[path].etag
        assert last.if_modified_since == server.feeds[path].modified
    assert news.count() == 5

    server.feeds["/wire.rss"].update(rss("Test Wire", [6, 1, 2, 3]))
    third = poll(watch, clock, 60)
    assert (third.report.new, third.report.already_stored, third.changed) == (1, 3, 1)
    fourth = poll(watch, clock, 60)
    assert (fourth.report.read, fourth.unchanged) == (0, 2)
    assert news.count() == 6
    assert sightings(news) == 6
    assert len(server.hits("/wire.rss")) == 4


def test_a_server_without_validators_is_deduplicated(
    server: FeedServer, news: Newsweave, clock: Clock
) -> None:
    server.feeds["/plain"] = Feed(rss("Plain Post", [1, 2]), validators=False)
    watch = watcher(news, [server.url("/plain")], clock)
    assert poll(watch, clock).report.new == 2
    again = poll(watch, clock, 60)
    assert (again.changed, again.report.new, again.report.already_stored) == (1, 0, 2)
    assert server.hits("/plain")[-1].if_none_match is None
    assert (news.count(), sightings(news)) == (2, 2)


@pytest.mark.parametrize("mode", ["error", "garbage", "slow"])
def test_a_failing_feed_backs_off_and_recovers(
    server: FeedServer, news: Newsweave, clock: Clock, mode: str
) -> None:
    server.feeds["/good"] = Feed(rss("Good Wire", [1, 2]))
    server.feeds["/bad"] = Feed(rss("Shaky Wire", [3, 4]), mode=mode)
    failures: list[FeedFailure] = []
    targets = [server.url("/bad"), server.url("/good")]
    watch = watcher(news, targets, clock, timeout=0.5, on_failure=failures.append)
    first = poll(watch, clock)
    assert first.report.new == 2 and first.changed == 1
    assert [f.failures for f in first.failures] == [1]
    assert first.failures[0].retry_at == clock.now + 120
    reason = {"error": "HTTP status 500", "garbage": "malformed feed", "slow": "timed out"}
    assert reason[mode] in first.failures[0].reason and failures == first.failures
    assert server.url("/bad") in str(first.failures[0])

    server.feeds["/good"].update(rss("Good Wire", [5, 1, 2]))
    backing = poll(watch, clock, 60)  # one interval on: the bad feed is left alone
    assert (backing.backing_off, backing.failures, backing.report.new) == (1, [], 1)
    assert len(server.hits("/bad")) == 1

    still = poll(watch, clock, 60)  # two intervals: tried again, still failing
    assert [f.failures for f in still.failures] == [2]
    assert still.failures[0].retry_at == clock.now + 240
    state = news.store.watch
    assert state.feed(server.url("/bad")).failures == 2
    assert "Shaky" not in json.dumps([a.outlet for a in news.articles()])

    server.feeds["/bad"].mode = "ok"
    assert poll(watch, clock, 120).backing_off == 1
    recovered = poll(watch, clock, 120)
    assert (recovered.failures, recovered.changed, recovered.report.new) == ([], 1, 2)
    assert state.feed(server.url("/bad")).failures == 0
    assert poll(watch, clock, 60).unchanged == 2  # back to every interval, with a 304
    assert news.count() == 5 and sightings(news) == 5


def test_state_survives_a_restart(server: FeedServer, db: str, clock: Clock) -> None:
    server.feeds["/wire"] = Feed(rss("Wire", [1, 2]))
    server.feeds["/down"] = Feed("", mode="error")
    targets = [server.url("/wire"), server.url("/down")]
    with Newsweave(db) as news:
        assert poll(watcher(news, targets, clock), clock).report.new == 2
    with Newsweave(db) as news:
        again = poll(watcher(news, targets, clock), clock, 30)
        assert (again.unchanged, again.backing_off, again.report.read) == (1, 1, 0)
        assert news.count() == 2
    assert server.hits("/wire")[-1].if_none_match == server.feeds["/wire"].etag
    assert len(server.hits("/down")) == 1


def test_opml_lists_urls_and_local_feeds(
    server: FeedServer, news: Newsweave, clock: Clock, tmp_path: Path
) -> None:
    server.feeds["/one"] = Feed(rss("Wire One", [1, 2]))
    server.feeds["/two"] = Feed(atom("Gazette Two", [3]), "application/atom+xml")
    write(tmp_path / "local" / "bay.xml", rss("Bay Bulletin", [4]))
    opml = write(
        tmp_path / "feeds.opml",
        "<?xml version='1.0'?><opml version='2.0'><head><title>Test list</title></head><body>"
        f"<outline text='One' xmlUrl='{server.url('/one')}'/>"
        f"<outline text='Group'><outline text='Two' xmlUrl='{server.url('/two')}'/></outline>"
        "<outline text='Bay' xmlUrl='local/bay.xml'/></body></opml>",
    )
    watch = watcher(news, [str(opml)], clock)
    first = poll(watch, clock)
    assert (first.report.new, first.changed, first.files_read) == (4, 2, 1)
    second = poll(watch, clock, 60)
    assert (second.unchanged, second.files_unchanged, second.report.read) == (2, 1, 0)
    assert news.count() == 4


def test_a_broken_opml_list_is_a_failure_not_a_crash(
    server: FeedServer, news: Newsweave, clock: Clock, tmp_path: Path
) -> None:
    server.feeds["/one"] = Feed(rss("Wire One", [1]))
    opml = write(tmp_path / "feeds.opml", "<opml><body><outline xmlUrl='x'")
    watch = watcher(news, [str(opml), server.url("/one")], clock)
    summary = poll(watch, clock)
    assert summary.report.new == 1
    assert [f.location for f in summary.failures] == [str(opml)]
    assert "malformed XML" in summary.failures[0].reason
    assert str(summary.failures[0]).startswith(f"OPML list {opml} failed: malformed XML")


def article_file(folder: Path, name: str, n: int) -> Path:
    title, body = story(n)
    text = f"---\ntitle: {title}\noutlet: Folder Times\npublished: 2024-04-02\n---\n{body}\n"
    return write(folder / name, text)


def test_folder_reads_only_new_or_changed_files(
    news: Newsweave, clock: Clock, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    article_file(inbox, "a.md", 1)
    article_file(inbox / "sub", "b.md", 2)
    write(inbox / ".partial.md", "still being written")
    watch = watcher(news, [str(inbox)], clock)
    first = poll(watch, clock)
    assert (first.files_read, first.report.new, first.report.skipped) == (2, 2, 0)
    quiet = poll(watch, clock, 60)
    assert (quiet.files_read, quiet.files_unchanged, quiet.report.read) == (0, 2, 0)

    article_file(inbox, "c.md", 3)
    dropped = poll(watch, clock, 60)
    assert (dropped.files_read, dropped.files_unchanged, dropped.report.new) == (1, 2, 1)

    changed = article_file(inbox, "a.md", 4)
    os.utime(changed, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    edited = poll(watch, clock, 60)
    assert (edited.files_read, edited.report.read, edited.report.new) == (1, 1, 1)
    assert poll(watch, clock, 60).files_read == 0
    assert news.count() == 4 and sightings(news) == 4


def test_rounds_go_through_annotation_and_clustering(
    server: FeedServer, news: Newsweave, clock: Clock
) -> None:
    server.feeds["/wire"] = Feed(rss("Wire", [1, 2, 3]))
    watch = watcher(news, [server.url("/wire")], clock, annotate=True, cluster=True)
    assert poll(watch, clock).report.new == 3
    stats = news.stats()
    assert stats["annotated"] == 3
    assert news.store.count_events() >= 1


def test_run_counts_rounds_and_stops_on_request(server: FeedServer, news: Newsweave) -> None:
    server.feeds["/wire"] = Feed(rss("Wire", [1]))
    watch = news.watcher([server.url("/wire")], every=0.05, allow_private=True,
                         annotate=False, cluster=False)  # fmt: skip
    summaries = list(watch.run(rounds=3))
    assert [s.number for s in summaries] == [1, 2, 3]
    assert [s.next_poll is None for s in summaries] == [False, False, True]
    assert summaries[0].report.new == 1 and summaries[2].unchanged == 1

    stop = threading.Event()
    seen = []
    for summary in watch.run(stop=stop):
        seen.append(summary)
        stop.set()
    assert len(seen) == 1 and seen[0].next_poll is not None


# the command


def test_cli_once(server: FeedServer, tmp_path: Path) -> None:
    server.feeds["/wire"] = Feed(rss("Wire", [1, 2]))
    server.feeds["/broken"] = Feed("", mode="error")
    db = str(tmp_path / "cli.db")
    base = ["watch", "--db", db, "--once", "--allow-private", "--no-annotate", "--no-cluster"]
    done = cli(*base, server.url("/wire"))
    assert done.code == 0, done.stderr
    assert "round 1" in done.stdout and "2 new articles" in done.stdout
    assert "next poll" not in done.stdout

    again = cli(*base, "--json", server.url("/wire"), server.url("/broken"))
    assert again.code == 1
    data = json.loads(again.stdout)
    assert data["feeds"] == {"changed": 0, "unchanged": 1, "failed": 1, "backing_off": 0}
    assert data["ingest"]["new"] == 0 and data["next_poll"] is None
    assert f"feed {server.url('/broken')} failed: HTTP status 500" in again.stderr

    with Newsweave(db, read_only=True) as news:
        assert news.count() == 2


def test_cli_refuses_bad_input(server: FeedServer, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    assert cli("watch", "--db", db, "--every", "soon", server.url("/x")).code == 2
    assert cli("watch", "--db", db, "--once", str(tmp_path / "missing")).code == 2
    assert cli("watch", "--db", db, "--once", "ftp://example.org/feed").code == 2
    server.feeds["/wire"] = Feed(rss("Wire", [1]))
    private = cli("watch", "--db", db, "--once", "--quiet", server.url("/wire"))
    assert private.code == 1 and "--allow-private" in private.stderr
    assert private.stdout == ""


def test_sigterm_stops_between_rounds(server: FeedServer, tmp_path: Path) -> None:
    server.feeds["/wire"] = Feed(rss("Wire", [1]))
    db = str(tmp_path / "term.db")
    process = subprocess.Popen(
        [sys.executable, "-m", "newsweave.cli", "watch", "--db", db, "--every", "1h",
         "--allow-private", "--no-annotate", "--no-cluster", server.url("/wire")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    first = process.stdout.readline()
    assert "round 1" in first and "next poll at" in first
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "stopped" in stderr
    with Newsweave(db, read_only=True) as news:
        assert news.count() == 1


def test_plain_fetch_still_refuses_a_bare_304(server: FeedServer) -> None:
    class Always304(FeedHandler):
        def do_GET(self) -> None:
            self.send_response(304)
            self.end_headers()

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Always304)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(InputError, match="304"):
            fetch(f"http://127.0.0.1:{httpd.server_address[1]}/", POLICY)
    finally:
        httpd.shutdown()
        httpd.server_close()
