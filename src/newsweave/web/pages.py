"""Server-rendered pages: the timeline, event, actor, article, search and live view.

They reuse the static report's templates, linking to live URLs instead of files.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from newsweave.dates_in import DateInputError, since_bound, until_bound
from newsweave.report.site import index_data
from newsweave.web import schemas
from newsweave.web.moved import moved_or_missing
from newsweave.web.rendering import page_html, render
from newsweave.web.rest import ERRORS, DateRange, Name, search_articles
from newsweave.web.server import server_of

router = APIRouter(include_in_schema=False)
api_router = APIRouter(tags=["api"], responses=ERRORS)  # the live view's JSON, in the API
LIVE_EVENTS = 20
LIVE_ARTICLES = 20


@router.get("/", response_class=HTMLResponse)
def timeline(request: Request) -> HTMLResponse:
    with server_of(request).reader() as news:
        actors = [a.to_dict() for a in news.actors(limit=100)]
        return render("index.html.j2", **index_data(news, {}, actors), data_url=None)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, event_id: str) -> HTMLResponse:
    with server_of(request).reader() as news:
        context = server_of(request).compare_context(news)
        found = news.comparison_data(event_id, context=context)  # kept ready after ingest
        if found is None:
            raise moved_or_missing(request, news, "event", event_id)
        return render("event.html.j2", c=found)


@router.get("/actors/{actor}", response_class=HTMLResponse)
def actor_page(request: Request, actor: str) -> HTMLResponse:
    with server_of(request).reader() as news:
        found = news.actor(actor)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no actor {actor!r}")
        return render("actor.html.j2", a=found.to_dict())


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    with server_of(request).reader() as news:
        try:
            found = news.article(article_id)
        except LookupError as error:
            raise HTTPException(status_code=400, detail=str(error)) from error
        if found is None:
            raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
        return render("article.html.j2", a=found.to_dict())


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Name = None,
    actor: Name = None,
    outlet: Name = None,
    since: Name = None,
    until: Name = None,
) -> HTMLResponse:
    values = {"q": q, "actor": actor, "outlet": outlet, "since": since, "until": until}
    asked = any(v for v in values.values())
    if not asked:
        return render("search.html.j2", results=None, error=None, **values)
    try:
        dates = DateRange(since_bound(since), until_bound(until))
    except DateInputError as error:
        return _search_refused(str(error), values)
    with server_of(request).reader() as news:
        try:
            found = search_articles(news, q or None, actor or None, outlet or None, dates, 100, 0)
        except HTTPException as error:
            return _search_refused(str(error.detail), values)
        return render("search.html.j2", results=found, error=None, **values)


def _search_refused(error: str, values: dict[str, Any]) -> HTMLResponse:
    """The search form again, with why the search could not be made (a 400)."""
    page = page_html("search.html.j2", results=None, error=error, **values)
    return HTMLResponse(page, status_code=400)


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    """The REST API's endpoints, read from its own OpenAPI schema (no outside scripts)."""
    schema = request.app.openapi()
    routes = [
        {"method": method.upper(), "path": path, **_operation(operation)}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return render("api.html.j2", routes=routes, schema_url=request.app.openapi_url)


def _operation(operation: dict[str, Any]) -> dict[str, Any]:
    parameters = [
        {"name": p["name"], "where": p["in"], "required": p.get("required", False),
         "type": _type_name(p.get("schema", {}))}
        for p in operation.get("parameters", [])
    ]  # fmt: skip
    summary = operation.get("description") or operation.get("summary") or ""
    return {"summary": summary, "parameters": parameters}


def _type_name(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_type_name(option) for option in schema["anyOf"])
    return str(schema.get("format") or schema.get("type") or "any")


@router.get("/live", response_class=HTMLResponse)
def live_page(request: Request) -> HTMLResponse:
    with server_of(request).reader() as news:
        return render("live.html.j2", **_live(news))


@api_router.get("/api/v1/live", response_model=schemas.Live)
def live_events(request: Request) -> dict[str, Any]:
    """What the live view polls, from one state of the store: the counts, the most
    recently started events (``items``) and the articles stored last, newest first."""
    with server_of(request).reader() as news:
        return _live(news)


def _live(news: Any) -> dict[str, Any]:
    return {
        "stats": {"articles": news.count(), "events": news.store.count_events()},
        "items": _latest(news),
        "articles": [_arrival(news, a) for a in news.store.latest_articles(LIVE_ARTICLES)],
    }


def _arrival(news: Any, article: Any) -> dict[str, Any]:
    listed: dict[str, Any] = article.listing()
    listed["event_id"] = news.store.event_of(article.id)
    return listed


def _latest(news: Any) -> list[dict[str, Any]]:
    total = news.store.count_events()
    found = news.events(limit=LIVE_EVENTS, offset=max(0, total - LIVE_EVENTS))
    return [e.to_dict() for e in reversed(found)]
