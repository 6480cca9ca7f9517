"""The web app's pages rendered from templates (its own and the static report's, linking to
live URLs instead of files), and the page of an error."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

_ENV = Environment(
    loader=ChoiceLoader(
        [
            PackageLoader("newsweave.web", "templates"),
            PackageLoader("newsweave.report", "templates"),
        ]
    ),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_LINKS: dict[str, Any] = {
    "home_url": "/",
    "event_url": lambda event_id: f"/events/{event_id}",
    "actor_url": lambda actor_id: f"/actors/{actor_id}",
    "meta_csp": None,  # the server sends its policy as a header
    "subtitle": "live",
    "nav": [("Timeline", "/"), ("Search", "/search"), ("Live", "/live"), ("API", "/api")],
}


def render(name: str, **values: Any) -> HTMLResponse:
    return HTMLResponse(page_html(name, **values))


def page_html(name: str, **values: Any) -> str:
    return _ENV.get_template(name).render(**_LINKS, generated="", **values)


def error_page(status: int, message: str, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """The page of an error: its status, its reason and what went wrong."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    page = page_html("error.html.j2", status=status, reason=reason, message=message)
    return HTMLResponse(page, status_code=status, headers=headers)
