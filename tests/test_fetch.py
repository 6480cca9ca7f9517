"""Fetching URLs from a real HTTP server on loopback."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from newsweave import Newsweave
from newsweave.ingest.fetch import check_host, fetch
from newsweave.ingest.options import FetchPolicy
from newsweave.model import InputError
from tests.helpers import ARTICLE_TEXT, cli, write

PAGE = (
    "<!doctype html><html><head><title>Barriers hold</title>"
    "<meta property='og:site_name' content='Wend Courier'>"
    "<meta property='article:published_time' content='2022-03-08T07:15:00+01:00'></head>"
    "<body><article><h1>Barriers hold</h1>"
    + "".join(f"<p>{p}</p>" for p in ARTICLE_TEXT.split("\n\n"))
    + "</article></body></html>"
)
FEED = (
    "<?xml version='1.0'?><rss version='2.0'><channel><title>Valley Herald</title>"
    "<item><title>Dam vote passes</title><link>https://valleyherald.example/dam</link>"
    "<description>Councillors approved the upstream dam by nine votes to two on Monday."
    "</description><pubDate>Mon, 02 May 2022 10:00:00 +0000</pubDate></item></channel></rss>"
)
SEEN_AGENTS: list[str] = []


class Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[str, str]]] = {
        "/page": ("text/html; charset=utf-8", PAGE),
        "/feed": ("application/rss+xml", FEED),
        "/image": ("image/png", "\x89PNG"),
        "/big": ("text/html", "<p>" + "word " * 50_000 + "</p>"),
    }

    def do_GET(self) -> None:
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/page")
            self.end_headers()
            return
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
            return
        content_type, body = self.routes.get(self.path, ("text/html", ""))
        self.send_response(200 if self.path in self.routes or self.path == "/slow" else 404)
        self.send_header("Content-Type", content_type)
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out on purpose break their connections


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


LOOPBACK_OK = FetchPolicy(allow_private=True, timeout=5)


def test_private_addresses_refused_by_default(server: str, db: str) -> None:
    run = cli("ingest", f"{server}/page", "--db", db)
    assert run.code == 1
    assert "non-public address 127.0.0.1" in run.stderr and "--allow-private" in run.stderr
    for url in ("http://10.1.2.3/x", "http://169.254.169.254/latest", "http://[::1]/x"):
        with pytest.raises(InputError, match="non-public"):
            check_host(url, allow_private=False)
    with pytest.raises(InputError, match="only http and https"):
        check_host("file:///etc/passwd", allow_private=True)


def test_page_and_feed_with_allow_private(server: str, db: str) -> None:
    run = cli("ingest", f"{server}/page", f"{server}/feed", "--db", db, "--allow-private")
    assert run.code == 0, run.stderr
    with Newsweave(db) as news:
        by_title = {a.title: a for a in news.articles()}
    assert set(by_title) == {"Barriers hold", "Dam vote passes"}
    page = by_title["Barriers hold"]
    assert page.url == f"{server}/page" and page.outlet == "Wend Courier"
    assert by_title["Dam vote passes"].outlet == "Valley Herald"
    assert SEEN_AGENTS and SEEN_AGENTS[-1].startswith("newsweave/")


def test_redirect_is_followed_and_rechecked(server: str) -> None:
    fetched = fetch(f"{server}/redirect", LOOPBACK_OK)
    assert fetched.url == f"{server}/page" and fetched.kind == "html"
    with pytest.raises(InputError, match="redirects"):
        fetch(f"{server}/loop", LOOPBACK_OK)


@pytest.mark.parametrize(
    ("path", "policy", "reason"),
    [
        ("/image", LOOPBACK_OK, "unsupported content type 'image/png'"),
        ("/big", FetchPolicy(allow_private=True, max_bytes=10_000), "larger than 10,000 bytes"),
        ("/slow", FetchPolicy(allow_private=True, timeout=0.3), "timed out"),
        ("/missing", LOOPBACK_OK, "HTTP status 404"),
    ],
)
def test_fetch_limits(server: str, path: str, policy: FetchPolicy, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        fetch(server + path, policy)


def test_opml_urls_need_fetch(server: str, tmp_path: Path, db: str) -> None:
    opml = write(
        tmp_path / "feeds.opml",
        f'<opml version="2.0"><body><outline text="Herald" xmlUrl="{server}/feed"/></body></opml>',
    )
    refused = cli("ingest", str(opml), "--db", db, "--allow-private")
    assert refused.code == 1 and "pass --fetch" in refused.stderr
    fetched = cli("ingest", str(opml), "--db", db, "--allow-private", "--fetch")
    assert fetched.code == 0, fetched.stderr
    with Newsweave(db) as news:
        assert [a.title for a in news.articles()] == ["Dam vote passes"]
