"""The REST API under ``/api/v1``: read everything, page through lists, ingest with a token."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from newsweave.api import Newsweave
from newsweave.store import QueryError
from newsweave.web.app import MAX_BODY_BYTES, MAX_RECORDS, server_of

router = APIRouter(prefix="/api/v1", tags=["api"])
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0)]


def page(items: list[Any], total: int | None, limit: int, offset: int) -> dict[str, Any]:
    """A page of a list, with where the next one starts (None on the last page)."""
    more = len(items) == limit if total is None else offset + len(items) < total
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_offset": offset + len(items) if more else None,
    }


def _missing(kind: str, key: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {kind} {key!r}")


@router.get("/stats")
def stats(request: Request) -> dict[str, Any]:
    """Counts of articles, events, storylines, actors and outlets."""
    with server_of(request).reader() as news:
        return news.stats()


@router.get("/articles")
def articles(
    request: Request,
    outlet: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    q: Annotated[str | None, Query(max_length=500)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Articles by date, or by relevance with ``q`` (full-text search)."""
    with server_of(request).reader() as news:
        try:
            found = news.articles(
                outlet=outlet, since=since, until=until, search=q, limit=limit, offset=offset
            )
            total = news.count(outlet=outlet, since=since, until=until, search=q)
        except QueryError as error:
            raise HTTPException(status_code=400, detail=str(error)) from error
        return page([a.listing() for a in found], total, limit, offset)


@router.get("/articles/{article_id}")
def article(request: Request, article_id: str, annotations: bool = False) -> dict[str, Any]:
    """One article by id or id prefix: text, sightings, copy links, event;
    ``annotations=true`` adds its mentions, quotes, numbers, dates and actions."""
    with server_of(request).reader() as news:
        try:
            detail = news.article(article_id)
        except LookupError as error:
            raise HTTPException(status_code=400, detail=str(error)) from error
        if detail is None:
            raise _missing("article", article_id)
        data = detail.to_dict()
        if annotations:
            data["annotations"] = news.annotations(detail.article.id)
        return data


@router.get("/events")
def events(
    request: Request, storyline: str | None = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Events in time order, optionally of one storyline."""
    with server_of(request).reader() as news:
        found = news.events(storyline=storyline, limit=limit, offset=offset)
        total = None if storyline else news.store.count_events()
        return page([e.to_dict() for e in found], total, limit, offset)


@router.get("/events/{event_id}")
def event(request: Request, event_id: str) -> dict[str, Any]:
    """One event with its articles."""
    with server_of(request).reader() as news:
        found = news.event(event_id)
        if found is None:
            raise _missing("event", event_id)
        summary, members = found
        return {**summary.to_dict(), "articles": [a.listing() for a in members]}


@router.get("/events/{event_id}/comparison")
def comparison(request: Request, event_id: str) -> dict[str, Any]:
    """How the outlets of one event differ: aligned facts, conflicts, quote variants,
    citations and copies, framing, and a summary with citations."""
    with server_of(request).reader() as news:
        found = news.compare(event_id, context=server_of(request).compare_context(news))
        if found is None:
            raise _missing("event", event_id)
        return found.to_dict()


@router.get("/storylines")
def storylines(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Storylines, each an ordered list of events."""
    with server_of(request).reader() as news:
        found = news.storylines()
        items = [s.to_dict() for s in found[offset : offset + limit]]
        return page(items, len(found), limit, offset)


@router.get("/storylines/{storyline_id}")
def storyline(request: Request, storyline_id: str) -> dict[str, Any]:
    """One storyline with its events in order."""
    with server_of(request).reader() as news:
        found = news.storyline(storyline_id)
        if found is None:
            raise _missing("storyline", storyline_id)
        summary, members = found
        return {**summary.to_dict(), "events": [e.to_dict() for e in members]}


@router.get("/actors")
def actors(
    request: Request,
    kind: Annotated[str | None, Query(pattern="^(person|organisation|place|group)$")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Actors by mentions, filtered by kind (person, organisation, place) or name."""
    with server_of(request).reader() as news:
        found = news.actors(kind=kind, search=q, limit=limit, offset=offset)
        return page([a.to_dict() for a in found], None, limit, offset)


@router.get("/actors/{actor}")
def actor(request: Request, actor: str) -> dict[str, Any]:
    """One actor by id, id prefix or any name: aliases, quotes, actions, related actors."""
    with server_of(request).reader() as news:
        found = news.actor(actor)
        if found is None:
            raise _missing("actor", actor)
        return found.to_dict()


@router.get("/quotes")
def quotes(
    request: Request,
    speaker: str | None = None,
    event: str | None = None,
    outlet: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Quotes with speakers, by speaker (any name or id), event and outlet."""
    with server_of(request).reader() as news:
        found = news.quotes(speaker=speaker, event=event, outlet=outlet, limit=limit, offset=offset)
        return page([q.to_dict() for q in found], None, limit, offset)


@router.get("/search")
def search(
    request: Request,
    q: Annotated[str | None, Query(max_length=500)] = None,
    actor: str | None = None,
    outlet: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Articles by text (FTS5), actor, outlet and date range, all optional."""
    with server_of(request).reader() as news:
        return search_articles(news, q, actor, outlet, since, until, limit, offset)


def search_articles(
    news: Newsweave,
    q: str | None,
    actor: str | None,
    outlet: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "outlet": outlet, "since": since, "until": until, "search": q, "actor": actor
    }  # fmt: skip
    try:
        found = news.articles(**filters, limit=limit, offset=offset)
        total = news.count(**filters)
    except QueryError as error:
        raise HTTPException(status_code=400, detail=str(error)) from error
    return page([a.listing() for a in found], total, limit, offset)


@router.post("/articles", status_code=201)
async def ingest(request: Request) -> dict[str, Any]:
    """Ingest a JSON array of article records (or one record), as ``newsweave ingest``
    would read a JSON file. Needs the write token."""
    server = server_of(request)
    refused = server.may_write(request)
    if refused is not None:
        raise HTTPException(status_code=refused[0], detail=refused[1])
    body = await _body(request)
    records = _records(body)
    with server.writer() as news:
        report = news.add(records, origin="api")
    data = report.to_dict()
    if report.read == 0 or report.skipped == len(records):
        raise HTTPException(status_code=422, detail=data)
    return data


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(status_code=413, detail=f"body over {MAX_BODY_BYTES} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise HTTPException(status_code=413, detail=f"body over {MAX_BODY_BYTES} bytes")
    return body


def _records(body: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HTTPException(status_code=400, detail=f"body is not JSON: {error}") from error
    records = [data] if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise HTTPException(status_code=422, detail="send an article object or a list of them")
    if not records:
        raise HTTPException(status_code=422, detail="no articles in the body")
    if len(records) > MAX_RECORDS:
        raise HTTPException(status_code=413, detail=f"at most {MAX_RECORDS} articles a request")
    return records
