"""Errors answered properly: JSON under ``/api/``, an HTML page elsewhere, and a 500 for
anything unexpected, logged in one line, with the connection kept open."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsweave.model import one_line
from newsweave.web.rendering import error_page

log = logging.getLogger("newsweave.web")
API_PREFIX = "/api/"
INTERNAL = "internal error (the server log tells more)"


class SafeJSONResponse(JSONResponse):
    """JSON with every non-ASCII character escaped, so that a lone surrogate from a posted
    record cannot make the answer itself fail to encode."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, separators=(",", ":")).encode("ascii")


def error_response(
    path: str, status: int, detail: Any, headers: Mapping[str, str] | None = None
) -> Response:
    """``{"detail": …}`` for the API, an error page for the pages."""
    if path.startswith(API_PREFIX):
        return SafeJSONResponse({"detail": jsonable_encoder(detail)}, status, headers)
    return error_page(status, _as_text(detail), headers)


def _as_text(detail: Any) -> str:
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):  # validation errors
        return "; ".join(_validation_text(error) for error in detail)
    return str(detail)


def _validation_text(error: Any) -> str:
    if not isinstance(error, dict):
        return str(error)
    where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
    return f"{where}: {error.get('msg', 'invalid')}"


def add_error_handlers(app: FastAPI) -> None:
    """Every HTTP error, validation error and unknown id answered as :func:`error_response`."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        return error_response(request.url.path, error.status_code, error.detail, error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        return error_response(request.url.path, 422, error.errors())

    @app.exception_handler(LookupError)
    async def not_found(request: Request, error: LookupError) -> Response:
        return error_response(request.url.path, 404, str(error))


class CatchErrors:
    """ASGI middleware: an exception escaping a route becomes a 500 answered like every
    other error (so the outer middleware adds the security headers and uvicorn keeps the
    connection), and one line in the log."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            log.error(_log_line(scope, error))
            if not started:  # else the answer is cut short: nothing better can be done
                await error_response(scope["path"], 500, INTERNAL)(scope, receive, send)


def _log_line(scope: dict[str, Any], error: Exception) -> str:
    where = f"{scope.get('method', '')} {scope.get('path', '')}"
    return one_line(f"newsweave serve: {where}: {type(error).__name__}: {error}")
