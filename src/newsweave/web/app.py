"""The web app and REST API: ``newsweave serve``.

Every request opens the store read-only, so the server reads consistent snapshots while
``newsweave ingest`` writes through SQLite WAL. Writes (``POST /api/v1/articles``) are off
unless a write token is set; they are queued as jobs for a worker process, which goes
through the same path as the CLI, one job at a time, so reads never wait for a write.
Every response, errors included, carries a strict Content-Security-Policy; pages escape
every string; requests for a host name not configured are refused (DNS rebinding).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from newsweave.web import pages, rest
from newsweave.web.cache import CachedReads
from newsweave.web.errors import CatchErrors, add_error_handlers
from newsweave.web.hosts import HostCheck
from newsweave.web.server import Server, Settings, server_of_app

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
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
    app.include_router(pages.api_router)
    static = Path(str(resources.files("newsweave.web") / "static"))
    app.mount("/static", StaticFiles(directory=static), name="static")
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await run_in_threadpool(server_of_app(app).jobs.close)
