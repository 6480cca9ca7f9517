"""Answers to reads, kept until the store changes.

Every GET answer is a function of the URL and the store's contents. SQLite's
``PRAGMA data_version`` tells, on one long-lived connection, whether any other connection has
committed since it was last read; the cache keys each answer by that version, so a write from
``newsweave ingest``, ``watch`` or a POST makes every older answer stale at once.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Any

MAX_ENTRIES = 8192
MAX_BYTES = 128 * 1024 * 1024
MAX_ANSWER_BYTES = 4 * 1024 * 1024
UNCACHED_PREFIXES = ("/static/", "/api/v1/jobs/")  # jobs change with no write


class StoreVersion:
    """The store's change counter, read on one read-only connection of its own."""

    def __init__(self, db: str) -> None:
        uri = Path(db).resolve().as_uri() + "?mode=ro"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._lock = threading.Lock()

    def current(self) -> int:
        with self._lock:
            return int(self._db.execute("PRAGMA data_version").fetchone()[0])


@dataclass(frozen=True, slots=True)
class Answer:
    version: int
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class AnswerCache:
    """Least recently used answers, bounded in count and bytes."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self._answers: OrderedDict[bytes, Answer] = OrderedDict()
        self._bytes = 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._lock = threading.Lock()

    def get(self, key: bytes, version: int) -> Answer | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None or found.version != version:
                return None
            self._answers.move_to_end(key)
            return found

    def put(self, key: bytes, answer: Answer) -> None:
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._answers[key] = answer
            self._bytes += len(answer.body)
            while self._answers and (
                len(self._answers) > self._max_entries or self._bytes > self._max_bytes
            ):
                _, dropped = self._answers.popitem(last=False)
                self._bytes -= len(dropped.body)


class CachedReads:
    """ASGI middleware: a GET whose answer is cached for the current store version is
    answered from the cache; other 200 answers to GETs are kept for next time."""

    def __init__(self, app: ASGIApp, version: StoreVersion) -> None:
        self.app = app
        self.version = version
        self.cache = AnswerCache()

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        key = scope["path"].encode() + b"?" + scope.get("query_string", b"")
        version = self.version.current()  # before the answer is made: never newer than it
        found = self.cache.get(key, version)
        if found is not None:
            await _replay(found, send)
            return
        await self.app(scope, receive, _recording(send, key, version, self.cache))

    @staticmethod
    def _cacheable(scope: Scope) -> bool:
        return (
            scope["type"] == "http"
            and scope["method"] == "GET"
            and not scope["path"].startswith(UNCACHED_PREFIXES)
        )


async def _replay(answer: Answer, send: Any) -> None:
    await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
    await send({"type": "http.response.body", "body": answer.body})


def _recording(send: Any, key: bytes, version: int, cache: AnswerCache) -> Any:
    start: Message = {}
    chunks: list[bytes] = []

    async def record(message: Message) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body" and start.get("status") == 200:
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                if len(body) <= MAX_ANSWER_BYTES:
                    headers = list(start.get("headers", []))
                    cache.put(key, Answer(version, 200, headers, body))
        await send(message)

    return record
