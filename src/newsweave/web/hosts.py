"""The Host header checked: a web page whose name an attacker points at 127.0.0.1 (DNS
rebinding) sends its own name as Host, and is refused."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsweave.model import one_line
from newsweave.web.errors import error_response

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = frozenset({"", "0.0.0.0", "::"})  # bind addresses, never a host to answer for


def host_name(host: str) -> str:
    """The name or address of a Host header value, without its port, lowercased.

    >>> [host_name(h) for h in ("LocalHost:8000", "[::1]:80", "example.org.", "::1")]
    ['localhost', '::1', 'example.org', '::1']
    """
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


class HostCheck:
    """ASGI middleware: answer only requests whose Host names loopback, the address the
    connection came in on, or one of ``allowed`` (``serve --allowed-host``)."""

    def __init__(self, app: Any, allowed: Iterable[str] = ()) -> None:
        self.app = app
        names = {host_name(name) for name in (*LOOPBACK_NAMES, *allowed)}
        self.allowed = frozenset(names - WILDCARDS)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not self.allows(scope):
            await self.refusal(scope)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def allows(self, scope: dict[str, Any]) -> bool:
        given = _header(scope, b"host")
        if given is None:
            return True  # HTTP/1.0 without a Host: no browser sends that
        name = host_name(given)
        server = scope.get("server")
        bound = host_name(str(server[0])) if server else ""
        return name in self.allowed or (name == bound and name not in WILDCARDS)

    @staticmethod
    def refusal(scope: dict[str, Any]) -> Any:
        given = one_line(_header(scope, b"host") or "", 100)
        detail = f"host {given!r} is not served here (serve --allowed-host NAME allows it)"
        return error_response(scope["path"], 400, detail)


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value).decode("latin-1")
    return None
