"""What the routes of the web app share: its settings, the store access (read-only opens,
the queue of writes, the comparison context) and the limits on what a request may send."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request

from newsweave.api import CompareContext, Newsweave
from newsweave.compare.framing import loaded_terms
from newsweave.web.cache import StoreVersion
from newsweave.web.jobs import WriteJobs

MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_RECORDS = 1000


@dataclass(slots=True)
class Settings:
    """Where the store is, who may write to it, and the host names served besides
    loopback and the bound address."""

    db: str
    write_token: str | None = None
    aliases: str | None = None
    allowed_hosts: tuple[str, ...] = ()


class Server:
    """The store access shared by the routes: read-only opens, and the queue of writes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.jobs = WriteJobs(settings.db, settings.aliases)
        self.version = StoreVersion(settings.db)
        self.loaded = loaded_terms()  # a bad $NEWSWEAVE_LOADED_TERMS fails here, at start
        self._context: tuple[int, CompareContext] | None = None
        self._context_lock = threading.Lock()

    def compare_context(self, news: Newsweave) -> CompareContext:
        """The store-wide inputs of comparisons, made again only when the store changed."""
        version = self.version.current()
        with self._context_lock:
            if self._context is None or self._context[0] != version:
                self._context = (version, news.compare_context(loaded=self.loaded))
            return self._context[1]

    @contextmanager
    def reader(self) -> Iterator[Newsweave]:
        news = Newsweave(self.settings.db, read_only=True, aliases=self.settings.aliases)
        try:
            with news.store.snapshot():  # a page never mixes two states of the store
                yield news
        finally:
            news.close()

    def may_write(self, request: Request) -> tuple[int, str] | None:
        """None when the request carries the write token, else (status, reason)."""
        token = self.settings.write_token
        if not token:
            return 403, "writes are off: start the server with --write-token"
        given = request.headers.get("authorization", "")
        given = given.removeprefix("Bearer ").strip() or request.headers.get(
            "x-newsweave-token", ""
        )
        if not given:
            return 401, "missing token: send Authorization: Bearer <token>"
        if not hmac.compare_digest(given.encode(), token.encode()):
            return 401, "wrong token"
        return None


def server_of_app(app: FastAPI) -> Server:
    found: Any = app.state.server
    return found  # type: ignore[no-any-return]


def server_of(request: Request) -> Server:
    return server_of_app(request.app)
