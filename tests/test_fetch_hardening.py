"""Fetching from hostile servers on loopback: remote OPML lists that name local files, slow
drips, stacked gzip, DNS rebinding, address forms that hide loopback, letter case in
schemes, a bad feed entry, and SIGTERM in the middle of a download.

Every feed and article here is invented for the tests.
"""

from __future__ import annotations

import gzip
import ipaddress
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsweave import Newsweave
from newsweave.ingest import fetch as fetching
from newsweave.ingest.fetch import check_host, fetch, is_public_address
from newsweave.ingest.options import FetchPolicy
from newsweave.ingest.watch import check_targets
from newsweave.model import InputError
from tests.helpers import ARTICLE_TEXT, cli, write

LOOPBACK = FetchPolicy(allow_private=True, timeout=5.0)
PAGE = (
    "<!doctype html><html><head><title>Weir repaired</title></head><body><article>"
    + "".join(f"<p>{p}</p>" for p in ARTICLE_TEXT.split("\n\n"))
    + "</article></body></html>"
)
MARKER = "Local marker 7731"


def rss(channel: str, *items: tuple[str, str]) -> str:
    """A feed whose items are (title, pubDate)."""
    body = "".join(
        f"<item><title>{title}</title><guid>{channel}-{n}</guid><link>https://x.example/{n}</link>"
        f"<description>{title}: the harbour board extended the winter ferry timetable by "
        f"{n + 2} sailings after {n + 9} weeks of talks, a spokesperson said.</description>"
        f"<pubDate>{published}</pubDate></item>"
        for n, (title, published) in enumerate(items)
    )
    head = f"<?xml version='1.0'?><rss version='2.0'><channel><title>{channel}</title>"
    return f"{head}{body}</channel></rss>"


REMOTE_FEED = rss("Remote Wire", ("Remote wire ok", "Mon, 01 Apr 2024 10:00:00 +0000"))
BAD_ENTRY_FEED = rss(
    "Shaky Wire",
    ("Good entry", "Mon, 01 Apr 2024 10:00:00 +0000"),
    ("Leap entry", "Fri, 29 Feb 2019 10:00:00 +0000"),
    ("Month entry", "2020-13-45"),
)


@cache
def double_gzip_bomb() -> bytes:
    """32 MB of zeros, gzipped twice: a few hundred bytes on the wire."""
    return gzip.compress(gzip.compress(bytes(32 * 1024 * 1024)))


class Hostile(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HostileHandler)
        self.opml = ""
        self.hosts: list[str] = []
        self.dripping = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that give up on purpose break their connections


class HostileHandler(BaseHTTPRequestHandler):
    server: Hostile
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.server.hosts.append(self.headers.get("Host", ""))
        routes: dict[str, Callable[[], None]] = {
            "/feed": lambda: self._send("application/rss+xml", REMOTE_FEED.encode()),
            "/bad-entry": lambda: self._send("application/rss+xml", BAD_ENTRY_FEED.encode()),
            "/opml": lambda: self._send("text/x-opml", self.server.opml.encode()),
            "/bomb": lambda: self._send("text/plain", double_gzip_bomb(), "gzip, gzip"),
            "/gzip": lambda: self._send("text/html", gzip.compress(PAGE.encode()), "gzip"),
            "/deflate": lambda: self._send("text/html", zlib.compress(PAGE.encode()), "deflate"),
            "/raw-deflate": lambda: self._send("text/html", _raw_deflate(PAGE), "deflate"),
            "/brotli": lambda: self._send("text/html", b"\x0b\x02\x80hi\x03", "br"),
            "/drip-body": lambda: self._drip_body(every=0.2, count=30),
            "/drip-head": self._drip_head,
            "/drip-forever": lambda: self._drip_body(every=0.5, count=60),
        }
        route = routes.get(self.path)
        if route is None:
            self._send("text/plain", b"no", status=404)
        else:
            route()

    def _send(self, kind: str, body: bytes, encoding: str | None = None, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        self.wfile.write(body)

    def _drip_body(self, every: float, count: int) -> None:
        """Headers at once, then one byte of body every ``every`` seconds."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.end_headers()
        self.server.dripping.set()
        self._drip(b"<rss>" + b" " * count, every)

    def _drip_head(self) -> None:
        """The status line, then the headers one byte every 0.2 s."""
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        self._drip(b"X-Slow: " + b"a" * 30, 0.2)

    def _drip(self, data: bytes, every: float) -> None:
        try:
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(every)
        except OSError:
            return  # the client gave up

    def log_message(self, *args: object) -> None:
        pass


def _raw_deflate(text: str) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(text.encode()) + packer.flush()


@pytest.fixture
def hostile() -> Iterator[Hostile]:
    httpd = Hostile()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def titles(db: str) -> list[str]:
    with Newsweave(db, read_only=True) as news:
        return sorted(a.title or "" for a in news.articles())


# lists from the web name only web documents


def test_a_remote_opml_list_cannot_read_local_files(
    hostile: Hostile, tmp_path: Path, db: str
) -> None:
    local = write(tmp_path / "private" / "local.xml", rss("Local", (MARKER, "2024-04-01")))
    hostile.opml = (
        "<?xml version='1.0'?><opml version='2.0'><body>"
        f"<outline text='abs' xmlUrl='{local}'/>"
        f"<outline text='file' xmlUrl='file://{local}'/>"
        f"<outline text='FILE' xmlUrl='FILE://{local}'/>"
        f"<outline text='web' xmlUrl='{hostile.url('/feed')}'/>"
        "</body></opml>"
    )
    base = ["--db", db, "--allow-private", "--no-annotate", "--no-cluster"]
    run = cli("ingest", hostile.url("/opml"), "--fetch", *base)
    assert run.code == 1
    assert titles(db) == ["Remote wire ok"]
    refused = [line for line in run.stderr.splitlines() if "may name only http(s)" in line]
    assert len(refused) == 3, run.stderr
    assert all(str(local) in line for line in refused)

    watched = cli("watch", "--once", hostile.url("/opml"), *base)
    assert watched.code == 1 and MARKER not in titles(db)
    assert sum("may name only http(s)" in line for line in watched.stderr.splitlines()) == 3

    mine = write(tmp_path / "mine.opml", f"<opml><body><outline xmlUrl='{local}'/></body></opml>")
    assert cli("ingest", str(mine), *base).code == 0  # a local list may name local files
    assert MARKER in titles(db)


def test_a_list_naming_itself_or_another_list_is_read_once(tmp_path: Path, db: str) -> None:
    local = write(tmp_path / "local.xml", rss("Local", (MARKER, "2024-04-01")))
    other = write(
        tmp_path / "other.opml", "<opml><body><outline xmlUrl='self.opml'/></body></opml>"
    )
    write(
        tmp_path / "self.opml",
        "<opml><body><outline xmlUrl='self.opml'/><outline xmlUrl='other.opml'/>"
        f"<outline xmlUrl='{local}'/><outline xmlUrl='{other}'/></body></opml>",
    )
    started = time.monotonic()
    run = cli("ingest", str(tmp_path / "self.opml"), "--db", db, "--no-annotate", "--no-cluster")
    assert time.monotonic() - started < 10
    assert titles(db) == [MARKER]
    nested = [line for line in run.stderr.splitlines() if "inside an OPML list" in line]
    assert len(nested) == 3, run.stderr


# a total deadline


@pytest.mark.parametrize("path", ["/drip-body", "/drip-head"])
def test_a_slow_drip_meets_the_total_deadline(hostile: Hostile, path: str) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="timed out after 1s"):
        fetch(hostile.url(path), FetchPolicy(allow_private=True, timeout=1.0))
    assert time.monotonic() - started < 4.5  # the server drips for 6 s


def test_watch_timeout_is_the_whole_fetch(hostile: Hostile, db: str) -> None:
    started = time.monotonic()
    run = cli("watch", "--once", "--timeout", "1", "--db", db, "--allow-private",
              "--no-annotate", "--no-cluster", hostile.url("/drip-body"))  # fmt: skip
    assert run.code == 1 and "timed out after 1s" in run.stderr
    assert time.monotonic() - started < 5.5  # the server drips for 6 s


# the size cap counts decoded bytes


def test_stacked_gzip_is_capped_as_it_is_decoded(hostile: Hostile) -> None:
    double_gzip_bomb()
    policy = FetchPolicy(allow_private=True, timeout=5.0, max_bytes=1_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="larger than 1,000,000 bytes"):
            fetch(hostile.url("/bomb"), policy)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 6_000_000, f"peak {peak:,} bytes while decoding"


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/raw-deflate"])
def test_compressed_bodies_are_decoded(hostile: Hostile, path: str) -> None:
    assert fetch(hostile.url(path), LOOPBACK).body == PAGE.encode()


def test_unknown_content_encoding_is_refused(hostile: Hostile) -> None:
    with pytest.raises(InputError, match="unsupported content encoding 'br'"):
        fetch(hostile.url("/brotli"), LOOPBACK)


# one resolution per connection, pinned


class Resolver:
    """Answers for made-up names, as a rebinding DNS server would; others go to the system."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []
        self._real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self)

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in self.answers:
            return self._real(host, port, *args, **kwargs)
        self.asked.append(host)
        ip = self.answers[host][min(len(self.asked), len(self.answers[host])) - 1]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, int(port)))]


def test_dns_rebinding_cannot_reach_loopback(
    hostile: Hostile, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Resolver(monkeypatch, {"rebind.test": ["93.184.216.34", "127.0.0.1"]})
    port = hostile.server_address[1]
    with pytest.raises(InputError):
        fetch(f"http://rebind.test:{port}/feed", FetchPolicy(timeout=1.0))
    assert hostile.hosts == []  # never connected to loopback
    assert resolver.asked == ["rebind.test"]  # resolved once, connected to what was checked


def test_a_pinned_connection_still_sends_the_name(
    hostile: Hostile, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Resolver(monkeypatch, {"news.test": ["127.0.0.1", "10.9.9.9"]})
    port = hostile.server_address[1]
    fetched = fetch(f"http://news.test:{port}/feed", LOOPBACK)
    assert fetched.body == REMOTE_FEED.encode()
    assert hostile.hosts == [f"news.test:{port}"] and resolver.asked == ["news.test"]


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[Hostile, Path, list[str]]]:
    """The hostile server over TLS, with a certificate for ``news.test`` only."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=news.test", "-addext",
         "subjectAltName=DNS:news.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    names: list[str] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name or "")
    httpd = Hostile()
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, cert, names
    httpd.shutdown()
    httpd.server_close()


def test_tls_is_verified_against_the_name_not_the_pinned_address(
    tls_server: tuple[Hostile, Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    httpd, cert, names = tls_server
    monkeypatch.setattr(fetching, "_ssl_context", lambda: ssl.create_default_context(cafile=cert))
    Resolver(monkeypatch, {"news.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    port = httpd.server_address[1]
    assert fetch(f"https://news.test:{port}/feed", LOOPBACK).body == REMOTE_FEED.encode()
    assert names == ["news.test"] and httpd.hosts == [f"news.test:{port}"]
    for wrong in (f"https://other.test:{port}/feed", f"https://127.0.0.1:{port}/feed"):
        with pytest.raises(InputError, match="CERTIFICATE_VERIFY_FAILED"):
            fetch(wrong, LOOPBACK)
    assert len(httpd.hosts) == 1


# every non-public address, however written


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]/", "http://[::ffff:127.0.0.1]/", "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b:1::a00:1]/", "http://[2002:7f00:1::]/", "http://[2002:a00:1::1]/",
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/", "http://[::ffff:0:a9fe:a9fe]/",
        "http://2130706433/", "http://0x7f.1/", "http://0177.0.0.1/", "http://0.0.0.0/",
        "http://100.64.0.1/", "http://192.0.0.1/", "http://198.18.0.1/", "http://224.0.0.1/",
        "http://[fe80::1]/", "http://[fc00::1]/", "http://[ff02::1]/", "HTTP://127.0.0.1/",
    ],
)  # fmt: skip
def test_non_public_addresses_in_any_form(url: str) -> None:
    with pytest.raises(InputError, match="non-public"):
        check_host(url, allow_private=False)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:4700::1111", "64:ff9b::5db8:d822", "2002:5db8:d822::"]
)
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("host", ["[::ffff:127.0.0.1]", "[::127.0.0.1]", "2130706433"])
def test_the_connection_itself_refuses_hidden_loopback(hostile: Hostile, host: str) -> None:
    url = f"http://{host}:{hostile.server_address[1]}/feed"
    with pytest.raises(InputError, match="non-public address"):
        fetch(url, FetchPolicy(timeout=2.0))
    assert hostile.hosts == []


# schemes in any letter case


def test_schemes_in_capitals_are_urls(hostile: Hostile, tmp_path: Path, db: str) -> None:
    shouted = hostile.url("/feed").replace("http://", "HTTP://")
    base = ["--db", db, "--allow-private", "--no-annotate", "--no-cluster"]
    run = cli("ingest", shouted, *base)
    assert run.code == 0, run.stderr
    assert titles(db) == ["Remote wire ok"]
    check_targets([shouted, "HttpS://news.example/feed"])
    listed = write(tmp_path / "l.opml", f"<opml><body><outline xmlUrl='{shouted}'/></body></opml>")
    assert "pass --fetch" in cli("ingest", str(listed), *base).stderr
    assert cli("watch", "--once", shouted, *base).code == 0


# one bad entry does not fail the round


def test_a_bad_entry_does_not_fail_the_feed(hostile: Hostile, news: Newsweave) -> None:
    watch = news.watcher([hostile.url("/bad-entry")], allow_private=True, timeout=5.0,
                         annotate=False, cluster=False)  # fmt: skip
    first = watch.poll()
    assert first.failures == [] and first.changed == 1
    stored = {a.title for a in news.articles()}
    assert "Good entry" in stored
    assert len(stored) + first.report.skipped == 3
    assert all(len(str(problem).splitlines()) == 1 for problem in first.report.problems)
    assert news.store.watch.feed(hostile.url("/bad-entry")).failures == 0


# SIGTERM


def test_sigterm_stops_watch_in_the_middle_of_a_download(hostile: Hostile, tmp_path: Path) -> None:
    db = str(tmp_path / "term.db")
    process = subprocess.Popen(
        [sys.executable, "-m", "newsweave", "watch", "--db", db, "--every", "1h",
         "--timeout", "60", "--allow-private", "--no-annotate", "--no-cluster",
         hostile.url("/drip-forever")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert hostile.dripping.wait(30), "watch never started the download"
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        sent = time.monotonic()
        _, stderr = process.communicate(timeout=8)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert took < 3, f"{took:.1f}s from SIGTERM to exit"
    assert process.returncode == 0 and "stopped" in stderr, stderr
    with Newsweave(db, read_only=True) as news:
        assert news.store.watch.feed(hostile.url("/drip-forever")).failures == 0
