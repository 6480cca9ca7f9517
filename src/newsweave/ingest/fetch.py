"""Downloading URLs, only when asked: a total deadline, a size cap on decoded bytes, a
content-type check, and no private hosts.

Every connection resolves its host once, checks every address, and connects to a checked
address: the name still goes in the Host header and in TLS SNI, and the certificate is
verified against it, so a DNS answer that changes between check and connect (rebinding)
cannot reach a private host. Each redirect hop is a new request, checked the same way.
Every wait is cut into short slices, so the deadline and a stop request are seen at once.
"""

from __future__ import annotations

import errno
import functools
import ipaddress
import os
import re
import selectors
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from newsweave.ingest.options import FetchPolicy
from newsweave.model import InputError

ACCEPTED_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "text/x-opml": "opml",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "text/csv": "csv",
    "text/plain": "text",
    "text/markdown": "text",
}
_REDIRECTS = {301, 302, 303, 307, 308}
_WEB_URL = re.compile(r"^https?://", re.IGNORECASE)
_SLICE = 0.25  # the longest a fetch blocks before looking at its deadline and stop signal
_PIECE = 64 * 1024  # the most one decoding step may produce
_CODINGS = ("gzip", "x-gzip", "deflate")
_MAX_CODINGS = 3
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_IPV4_IN_LOW_BITS = tuple(
    ipaddress.ip_network(prefix)
    for prefix in ("::/96", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96")
)
_T = TypeVar("_T")
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
SocketAddress = tuple[int, tuple[Any, ...]]  # (family, address to connect to)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A downloaded document."""

    url: str
    kind: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Validators:
    """What a server said about a document last time, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        """``If-None-Match`` / ``If-Modified-Since`` for what is known."""
        found = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in found.items() if value}


class FetchCancelled(Exception):
    """The caller's stop signal was set while a fetch was in flight."""


class _OutOfTime(Exception):
    """The fetch's total deadline passed."""


class _HostRefused(Exception):
    """A host that cannot be resolved, or that resolves to an address not to be fetched."""


# addresses


def is_web_url(location: str) -> bool:
    """True for ``http://`` and ``https://`` URLs, in any letter case."""
    return _WEB_URL.match(location) is not None


def is_public_address(address: Address) -> bool:
    """True for a global unicast address; IPv6 forms that embed IPv4 (mapped, compatible,
    NAT64, 6to4, Teredo) are judged by the IPv4 address they carry."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if address in _NAT64_LOCAL:
            return False
        return all(is_public_address(inner) for inner in _embedded_ipv4(address))
    return True


def _embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    found = [address.sixtofour, *(address.teredo or ())]
    if any(address in prefix for prefix in _IPV4_IN_LOW_BITS):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFF_FFFF))
    return [inner for inner in found if inner is not None]


def check_host(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs, and hosts with any address outside public unicast space.

    Fetching checks again, on the very addresses it connects to; this is for early answers.
    """
    host, port = _host_and_port(url)
    if allow_private:
        return
    try:
        _checked(_resolve(host, port, _Deadline(time.monotonic() + 30.0)), allow_private)
    except (_HostRefused, _OutOfTime) as exc:
        raise InputError("URL", url, str(exc) or "cannot resolve host (timed out)") from exc


def _host_and_port(url: str) -> tuple[str, int]:
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise InputError("URL", url, f"invalid URL ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise InputError("URL", url, "only http and https URLs can be fetched")
    return host, port or (443 if parts.scheme.lower() == "https" else 80)


def _resolve(host: str, port: int, deadline: _Deadline) -> list[SocketAddress]:
    """Every address of ``host``, looked up once, in a thread so that the deadline holds."""
    answer: list[list[Any] | Exception] = []

    def look_up() -> None:
        try:
            answer.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            answer.append(exc)

    worker = threading.Thread(target=look_up, name="newsweave-resolve", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(deadline.slice())
    if not answer or isinstance(answer[0], Exception):
        raise _HostRefused(f"cannot resolve host ({answer[0] if answer else 'no answer'})")
    return [(info[0], info[4]) for info in answer[0]]


def _checked(addresses: list[SocketAddress], allow_private: bool) -> list[SocketAddress]:
    """``addresses`` when all may be fetched; refused when any may not."""
    for _, sockaddr in addresses:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if not allow_private and not is_public_address(address):
            raise _HostRefused(
                f"host resolves to non-public address {address} (use --allow-private)"
            )
    return addresses


# connections: resolved once, pinned to a checked address, every wait sliced


@dataclass(frozen=True, slots=True)
class _Deadline:
    """The end of one fetch (monotonic seconds), and the caller's stop signal."""

    at: float
    stop: threading.Event | None = None

    def slice(self) -> float:
        """How long the next wait may block; raises when stopped or out of time."""
        if self.stop is not None and self.stop.is_set():
            raise FetchCancelled
        left = self.at - time.monotonic()
        if left <= 0:
            raise _OutOfTime
        return min(left, _SLICE)


def _wait(sock: socket.socket, event: int, deadline: _Deadline) -> None:
    with selectors.DefaultSelector() as selector:
        selector.register(sock, event)
        while not selector.select(deadline.slice()):
            pass


def _connect(family: int, sockaddr: tuple[Any, ...], deadline: _Deadline) -> socket.socket:
    """A non-blocking TCP connection to exactly ``sockaddr``."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        code = sock.connect_ex(sockaddr)
        if code not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN):
            raise OSError(code, os.strerror(code))
        _wait(sock, selectors.EVENT_WRITE, deadline)
        code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if code:
            raise OSError(code, os.strerror(code))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    except BaseException:
        sock.close()
        raise


class _GuardedStream(httpcore.NetworkStream):
    """A non-blocking socket (plain or TLS) whose every wait honours the deadline.

    httpcore's per-operation ``timeout`` is ignored: the fetch's deadline is shorter.
    """

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        receive = functools.partial(self._sock.recv, max_bytes)
        return self._retry(receive, selectors.EVENT_READ, httpcore.ReadError)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        view = memoryview(buffer)
        while view:
            send = functools.partial(self._sock.send, view)
            view = view[self._retry(send, selectors.EVENT_WRITE, httpcore.WriteError) :]

    def close(self) -> None:
        self._sock.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        try:
            tls = ssl_context.wrap_socket(
                self._sock, server_hostname=server_hostname, do_handshake_on_connect=False
            )
        except OSError as exc:
            self.close()
            raise httpcore.ConnectError(str(exc)) from exc
        stream = _GuardedStream(tls, self._deadline)
        try:
            stream._retry(tls.do_handshake, selectors.EVENT_READ, httpcore.ConnectError)
        except BaseException:
            stream.close()
            raise
        return stream

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._sock if isinstance(self._sock, ssl.SSLSocket) else None
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "socket":
            return self._sock
        if info == "is_readable":  # an idle kept-alive connection that the server closed
            with selectors.DefaultSelector() as selector:
                selector.register(self._sock, selectors.EVENT_READ)
                return bool(selector.select(0))
        return None

    def _retry(self, operation: Callable[[], _T], blocked_on: int, failure: type[Exception]) -> _T:
        """Run a socket operation until it goes through, waiting in slices when it would block."""
        while True:
            try:
                return operation()
            except ssl.SSLWantReadError:
                _wait(self._sock, selectors.EVENT_READ, self._deadline)
            except ssl.SSLWantWriteError:
                _wait(self._sock, selectors.EVENT_WRITE, self._deadline)
            except BlockingIOError:
                _wait(self._sock, blocked_on, self._deadline)
            except OSError as exc:
                raise failure(str(exc)) from exc


class _GuardedBackend(httpcore.NetworkBackend):
    """Connections that resolve once, check every address, and connect to a checked one."""

    def __init__(self, deadline: _Deadline, allow_private: bool) -> None:
        self._deadline = deadline
        self._allow_private = allow_private

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = _checked(_resolve(host, port, self._deadline), self._allow_private)
        failure: OSError | None = None
        for family, sockaddr in addresses:
            try:
                return _GuardedStream(_connect(family, sockaddr, self._deadline), self._deadline)
            except OSError as exc:
                failure = exc
        raise httpcore.ConnectError(f"cannot connect ({failure})")

    def sleep(self, seconds: float) -> None:
        time.sleep(min(seconds, self._deadline.slice()))


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport over guarded connections, and never through a proxy."""

    def __init__(self, backend: _GuardedBackend) -> None:
        super().__init__(verify=_ssl_context(), trust_env=False)
        self._pool = httpcore.ConnectionPool(ssl_context=_ssl_context(), network_backend=backend)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """Certificates verified against the host name, as httpx does by default."""
    return httpx.create_ssl_context(trust_env=False)


# fetching


def fetch(url: str, policy: FetchPolicy, stop: threading.Event | None = None) -> Fetched:
    """Download ``url`` within ``policy``; raises :class:`InputError` with the reason, and
    :class:`FetchCancelled` as soon as ``stop`` is set."""
    found = _fetch(url, policy, Validators(), stop)
    if found is None:  # a 304 to a request that sent no validators
        raise InputError("URL", url, "HTTP status 304")
    return found


def fetch_if_changed(
    url: str, policy: FetchPolicy, known: Validators, stop: threading.Event | None = None
) -> Fetched | None:
    """A conditional GET: ``None`` when the server answers 304 Not Modified."""
    return _fetch(url, policy, known, stop)


def _fetch(
    url: str, policy: FetchPolicy, known: Validators, stop: threading.Event | None
) -> Fetched | None:
    """One fetch, redirects included, within one total deadline."""
    deadline = _Deadline(time.monotonic() + policy.timeout, stop)
    headers = {
        "User-Agent": policy.user_agent,
        "Accept": ", ".join(ACCEPTED_TYPES),
        "Accept-Encoding": "gzip, deflate",
    }
    headers.update(known.headers())
    transport = _GuardedTransport(_GuardedBackend(deadline, policy.allow_private))
    with httpx.Client(
        transport=transport, timeout=policy.timeout, headers=headers, trust_env=False
    ) as client:
        current = url
        for _ in range(policy.max_redirects + 1):
            _host_and_port(current)
            result = _get_once(client, current, policy)
            if not isinstance(result, str):
                return result
            current = result
    raise InputError("URL", url, f"more than {policy.max_redirects} redirects")


def _get_once(client: httpx.Client, url: str, policy: FetchPolicy) -> Fetched | str | None:
    """A :class:`Fetched`, the next URL when the server redirects, ``None`` on a 304."""
    try:
        with client.stream("GET", url) as response:
            if response.status_code in _REDIRECTS and "location" in response.headers:
                return urljoin(url, response.headers["location"])
            if response.status_code == 304:
                return None
            if response.status_code != 200:
                raise InputError("URL", url, f"HTTP status {response.status_code}")
            kind = _kind_of(response, url)
            body = _read_capped(response, url, policy.max_bytes)
            return Fetched(
                url,
                kind,
                body,
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )
    except _HostRefused as exc:
        raise InputError("URL", url, str(exc)) from exc
    except (_OutOfTime, httpx.TimeoutException) as exc:
        raise InputError("URL", url, f"timed out after {policy.timeout:g}s") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise InputError("URL", url, f"request failed ({exc})") from exc


def _kind_of(response: httpx.Response, url: str) -> str:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kind = ACCEPTED_TYPES.get(content_type)
    if kind is None:
        raise InputError("URL", url, f"unsupported content type {content_type or 'none'!r}")
    return kind


def _read_capped(response: httpx.Response, url: str, limit: int) -> bytes:
    """The decoded body; refused as soon as it passes ``limit`` bytes."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputError("URL", url, f"larger than {limit:,} bytes")
    body: Iterable[bytes] = response.iter_raw()
    for coding in reversed(_content_codings(response, url)):
        body = _inflate(body, coding, url)
    chunks: list[bytes] = []
    size = 0
    for chunk in body:
        size += len(chunk)
        if size > limit:
            raise InputError("URL", url, f"larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _content_codings(response: httpx.Response, url: str) -> list[str]:
    """The ``Content-Encoding`` list, in the order the server applied them."""
    header = response.headers.get("content-encoding", "")
    codings = [name.strip().lower() for name in header.split(",")]
    codings = [name for name in codings if name and name != "identity"]
    unknown = [name for name in codings if name not in _CODINGS]
    if unknown:
        raise InputError("URL", url, f"unsupported content encoding {unknown[0]!r}")
    if len(codings) > _MAX_CODINGS:
        raise InputError("URL", url, f"more than {_MAX_CODINGS} content encodings")
    return codings


def _inflate(chunks: Iterable[bytes], coding: str, url: str) -> Iterator[bytes]:
    """Undo one content coding as the data comes, at most :data:`_PIECE` bytes per step, so
    that whoever stops reading stops the decoding too."""
    decoder: Any = None
    try:
        for chunk in chunks:
            if decoder is None:
                decoder = zlib.decompressobj(_window_bits(coding, chunk))
            pending = chunk
            while not decoder.eof:
                piece = decoder.decompress(pending, _PIECE)
                pending = decoder.unconsumed_tail
                if piece:
                    yield piece
                if not pending and len(piece) < _PIECE:
                    break
    except zlib.error as exc:
        raise InputError("URL", url, f"broken {coding} data ({exc})") from exc


def _window_bits(coding: str, first: bytes) -> int:
    """gzip, or deflate with its zlib header or (as some servers send it) raw."""
    if coding != "deflate":
        return zlib.MAX_WBITS | 16
    zlib_header = len(first) < 2 or (first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0)
    return zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS
