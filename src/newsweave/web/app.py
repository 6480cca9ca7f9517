"""The web app and REST API: ``newsweave serve``.

Every request opens the store read-only, so the server reads consistent snapshots while
``newsweave ingest`` writes through SQLite WAL. Writes (``POST /api/v1/articles``) are off
unless a write token is set; they are queued as jobs for a worker process, which goes
through the same path as the CLI, one job at a time, so reads never wait for a write.
Every response, errors included, carries a strict Content-Security-Policy; pages escape
every string; requests for a host name not configured are refused (DNS rebinding).
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from newsweave.api import CompareContext, Newsweave
from newsweave.compare.framing import loaded_terms
from newsweave.web.cache import CachedReads, StoreVersion
from newsweave.web.errors import CatchErrors, add_error_handlers
from newsweave.web.hosts import HostCheck
from newsweave.web.jobs import WriteJobs

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
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


SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class SecurityHeaders:
    """ASGI middleware: the security headers on every answer."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(settings: Settings) -> FastAPI:
    """The FastAPI application over one store."""
    from newsweave.web import pages, rest  # the routes need ``Server`` from here

    if not Path(settings.db).is_file():
        raise FileNotFoundError(f"{settings.db}: no such store (create it with newsweave ingest)")
    app = FastAPI(
        title="newsweave",
        version="1",
        description="Storylines, events, source comparisons and actors of a newsweave store.",
        docs_url=None,  # the interactive docs need scripts from elsewhere; see the schema
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.server = Server(settings)
    # innermost first; the last added is outermost
    app.add_middleware(CachedReads, version=app.state.server.version)
    app.add_middleware(HostCheck, allowed=settings.allowed_hosts)  # no cached answer to others
    app.add_middleware(CatchErrors)  # errors anywhere inside become answers...
    app.add_middleware(SecurityHeaders)  # ...and every answer gets the headers
    add_error_handlers(app)
    app.include_router(rest.router)
    app.include_router(pages.router)
    static = Path(str(resources.files("newsweave.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await run_in_threadpool(server_of_app(app).jobs.close)


def server_of_app(app: FastAPI) -> Server:
    found: Any = app.state.server
    return found  # type: ignore[no-any-return]


def server_of(request: Request) -> Server:
    return server_of_app(request.app)
