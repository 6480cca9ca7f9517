"""Downloading URLs, only when asked: timeout, size cap, content-type check, no private hosts."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

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


def check_host(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs, and hosts that resolve to private, loopback or link-local space."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("URL", url, "only http and https URLs can be fetched")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError("URL", url, f"cannot resolve host ({exc})") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global or address.is_multicast:
            raise InputError(
                "URL", url, f"host resolves to non-public address {address} (use --allow-private)"
            )


def fetch(url: str, policy: FetchPolicy) -> Fetched:
    """Download ``url`` within ``policy``; raises :class:`InputError` with the reason."""
    found = _fetch(url, policy, Validators())
    if found is None:  # a 304 to a request that sent no validators
        raise InputError("URL", url, "HTTP status 304")
    return found


def fetch_if_changed(url: str, policy: FetchPolicy, known: Validators) -> Fetched | None:
    """A conditional GET: ``None`` when the server answers 304 Not Modified."""
    return _fetch(url, policy, known)


def _fetch(url: str, policy: FetchPolicy, known: Validators) -> Fetched | None:
    headers = {"User-Agent": policy.user_agent, "Accept": ", ".join(ACCEPTED_TYPES)}
    headers.update(known.headers())
    with httpx.Client(timeout=policy.timeout, headers=headers, follow_redirects=False) as client:
        current = url
        for _ in range(policy.max_redirects + 1):
            check_host(current, policy.allow_private)
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
    except httpx.TimeoutException as exc:
        raise InputError("URL", url, f"timed out after {policy.timeout:g}s") from exc
    except httpx.HTTPError as exc:
        raise InputError("URL", url, f"request failed ({exc})") from exc


def _kind_of(response: httpx.Response, url: str) -> str:
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kind = ACCEPTED_TYPES.get(content_type)
    if kind is None:
        raise InputError("URL", url, f"unsupported content type {content_type or 'none'!r}")
    return kind


def _read_capped(response: httpx.Response, url: str, limit: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InputError("URL", url, f"larger than {limit:,} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise InputError("URL", url, f"larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
