"""The REST API under ``/api/v1``: read everything, page through lists, ingest with a token.

Every parameter is checked before use: what is out of range is a 422, never a 500.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from newsweave.api import Newsweave
from newsweave.dates_in import DateInputError, since_bound, until_bound
from newsweave.store import QueryError
from newsweave.web import schemas
from newsweave.web.errors import SafeJSONResponse
from newsweave.web.jobs import Busy, Job
from newsweave.web.moved import moved_or_missing
from newsweave.web.server import MAX_BODY_BYTES, MAX_RECORDS, server_of

ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": schemas.Error, "description": why}
    for status, why in ((400, "Bad request"), (404, "Not found"), (422, "Invalid parameter"))
}
router = APIRouter(prefix="/api/v1", tags=["api"], responses=ERRORS)
MAX_OFFSET = 1_000_000_000
MAX_NAME = 500  # characters of a name, id or query given as a parameter
Limit = Annotated[int, Query(ge=1, le=200)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Name = Annotated[str | None, Query(max_length=MAX_NAME)]


@dataclass(frozen=True, slots=True)
class DateRange:
    """``since <= published < until`` in UTC, as :mod:`newsweave.dates_in` reads them."""

    since: datetime | None = None
    until: datetime | None = None


def date_range(
    since: Annotated[
        str | None,
        Query(max_length=64, description="On or after this UTC date (YYYY-MM-DD) or ISO "
              "date-time (UTC unless it names its zone)."),
    ] = None,
    until: Annotated[
        str | None,
        Query(max_length=64, description="On or before this UTC date (the whole day), or "
              "before this ISO date-time (UTC unless it names its zone)."),
    ] = None,
) -> DateRange:  # fmt: skip
    """The ``since`` and ``until`` parameters; a 422 saying what is wrong with a bad one."""
    try:
        return DateRange(since_bound(since), until_bound(until))
    except DateInputError as error:
        raise HTTPException(status_code=422, detail=str(error)) from error


Dates = Annotated[DateRange, Depends(date_range)]


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


@router.get("/stats", response_model=schemas.Stats)
def stats(request: Request) -> dict[str, Any]:
    """Counts of articles, events, storylines, actors and outlets."""
    with server_of(request).reader() as news:
        return news.stats()


@router.get("/articles", response_model=schemas.Page[schemas.ArticleListing])
def articles(
    request: Request,
    dates: Dates,
    outlet: Name = None,
    q: Annotated[str | None, Query(max_length=500)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Articles by date, or by relevance with ``q`` (full-text search)."""
    with server_of(request).reader() as news:
        return search_articles(news, q, None, outlet, dates, limit, offset)


@router.get(
    "/articles/{article_id}",
    response_model=schemas.ArticleDetail,
    response_model_exclude_unset=True,  # "annotations" only when asked for
)
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


@router.get("/events", response_model=schemas.Page[schemas.Event])
def events(
    request: Request, storyline: Name = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Events in time order, optionally of one storyline."""
    with server_of(request).reader() as news:
        found = news.events(storyline=storyline, limit=limit, offset=offset)
        total = None if storyline else news.store.count_events()
        return page([e.to_dict() for e in found], total, limit, offset)


@router.get("/events/{event_id}", response_model=schemas.EventDetail)
def event(request: Request, event_id: str) -> dict[str, Any]:
    """One event with its articles."""
    with server_of(request).reader() as news:
        found = news.event(event_id)
        if found is None:
            raise moved_or_missing(request, news, "event", event_id)
        summary, members = found
        return {**summary.to_dict(), "articles": [a.listing() for a in members]}


@router.get("/events/{event_id}/comparison", response_model=schemas.Comparison)
def comparison(request: Request, event_id: str) -> dict[str, Any]:
    """How the outlets of one event differ: aligned facts, conflicts, quote variants,
    citations and copies, framing, and a summary with citations."""
    with server_of(request).reader() as news:
        context = server_of(request).compare_context(news)
        found = news.comparison_data(event_id, context=context)  # kept ready after ingest
        if found is None:
            raise moved_or_missing(request, news, "event", event_id)
        return found


@router.get("/storylines", response_model=schemas.Page[schemas.Storyline])
def storylines(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Storylines, each an ordered list of events."""
    with server_of(request).reader() as news:
        found = news.storylines()
        items = [s.to_dict() for s in found[offset : offset + limit]]
        return page(items, len(found), limit, offset)


@router.get("/storylines/{storyline_id}", response_model=schemas.StorylineDetail)
def storyline(request: Request, storyline_id: str) -> dict[str, Any]:
    """One storyline with its events in order."""
    with server_of(request).reader() as news:
        found = news.storyline(storyline_id)
        if found is None:
            raise moved_or_missing(request, news, "storyline", storyline_id)
        summary, members = found
        return {**summary.to_dict(), "events": [e.to_dict() for e in members]}


@router.get("/actors", response_model=schemas.Page[schemas.Actor])
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


@router.get("/actors/{actor}", response_model=schemas.ActorDetail)
def actor(request: Request, actor: str) -> dict[str, Any]:
    """One actor by id, id prefix or any name: aliases, quotes, actions, related actors."""
    with server_of(request).reader() as news:
        found = news.actor(actor)
        if found is None:
            raise _missing("actor", actor)
        return found.to_dict()


@router.get("/outlets", response_model=schemas.Page[schemas.Outlet])
def outlets(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Outlets by how many articles they published, with the names and domains each goes
    by and where its name came from."""
    with server_of(request).reader() as news:
        found = news.outlet_list(limit=limit, offset=offset)
        return page([o.to_dict() for o in found], None, limit, offset)


@router.get("/outlets/{outlet}", response_model=schemas.Outlet)
def outlet(request: Request, outlet: str) -> dict[str, Any]:
    """One outlet by any of its names or a domain of it."""
    with server_of(request).reader() as news:
        found = news.outlet(outlet)
        if found is None:
            raise _missing("outlet", outlet)
        return found.to_dict()


@router.get("/quotes", response_model=schemas.Page[schemas.Quote])
def quotes(
    request: Request,
    speaker: Name = None,
    event: Name = None,
    outlet: Name = None,
    kind: Literal["direct", "partial", "indirect"] | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Quotes with speakers, by speaker (any name or id), event, outlet and kind."""
    with server_of(request).reader() as news:
        found = news.quotes(
            speaker=speaker, event=event, outlet=outlet, kind=kind, limit=limit, offset=offset
        )
        return page([q.to_dict() for q in found], None, limit, offset)


@router.get("/search", response_model=schemas.Page[schemas.ArticleListing])
def search(
    request: Request,
    dates: Dates,
    q: Annotated[str | None, Query(max_length=500)] = None,
    actor: Name = None,
    outlet: Name = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Articles by text (FTS5), actor, outlet and date range, all optional."""
    with server_of(request).reader() as news:
        return search_articles(news, q, actor, outlet, dates, limit, offset)


def search_articles(
    news: Newsweave,
    q: str | None,
    actor: str | None,
    outlet: str | None,
    dates: DateRange,
    limit: int,
    offset: int,
) -> dict[str, Any]:
    """A page of the articles found; a bad full-text query is a 400."""
    filters: dict[str, Any] = {
        "outlet": outlet, "since": dates.since, "until": dates.until, "search": q,
        "actor": actor,
    }  # fmt: skip
    try:
        found = news.articles(**filters, limit=limit, offset=offset)
        total = news.count(**filters)
    except QueryError as error:
        raise HTTPException(status_code=400, detail=str(error)) from error
    return page([a.listing() for a in found], total, limit, offset)


@router.post(
    "/articles",
    status_code=202,
    responses={
        202: {"model": schemas.Job, "description": "Queued: the job to follow"},
        201: {"model": schemas.IngestReport, "description": "With wait=true: the report"},
        401: {"model": schemas.Error, "description": "No or wrong write token"},
        403: {"model": schemas.Error, "description": "Writes are off"},
        413: {"model": schemas.Error, "description": "Body too large"},
        503: {"model": schemas.Error, "description": "Too many jobs queued"},
    },
)
async def ingest(request: Request, wait: bool = False) -> Response:
    """Ingest a JSON array of article records (or one record), as ``newsweave ingest``
    would read a JSON file. Needs the write token. Answers 202 with a job to follow at
    ``/api/v1/jobs/{id}``; with ``wait=true``, waits for this job and answers its report
    (201, or 422 when nothing could be ingested)."""
    server = server_of(request)
    _check_writer(request)
    records = await run_in_threadpool(_records, await _body(request))
    try:
        job = server.jobs.submit(records)
    except Busy as error:
        raise HTTPException(503, str(error), headers={"Retry-After": "5"}) from error
    if not wait:
        return SafeJSONResponse(job.to_dict(), 202, headers={"Location": job.to_dict()["url"]})
    await asyncio.wrap_future(job.finished)
    return _outcome(job)


@router.get("/jobs/{job_id}", response_model=schemas.Job)
async def job_state(request: Request, job_id: str) -> Response:
    """A write job: its state (queued, running, done, failed) and, once done, its report
    with the problem of each record that could not be ingested. Needs the write token."""
    _check_writer(request)
    found = server_of(request).jobs.get(job_id)
    if found is None:
        raise _missing("job", job_id)
    return SafeJSONResponse(found.to_dict())


def _check_writer(request: Request) -> None:
    refused = server_of(request).may_write(request)
    if refused is not None:
        raise HTTPException(status_code=refused[0], detail=refused[1])


def _outcome(job: Job) -> Response:
    """The answer to a POST that waited: 201 with the report, 422 when nothing was
    ingested, 500 when the job failed."""
    if job.report is None:
        raise HTTPException(500, f"job {job.id} failed: {job.error}")
    report = {**job.report, "job": job.id}
    if report["read"] == 0 or report["skipped"] == report["read"]:
        raise HTTPException(status_code=422, detail=report)
    return SafeJSONResponse(report, 201)


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(status_code=413, detail=f"body over {MAX_BODY_BYTES} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise HTTPException(status_code=413, detail=f"body over {MAX_BODY_BYTES} bytes")
    return bytes(body)


def _records(body: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HTTPException(status_code=400, detail=f"body is not JSON: {error}") from error
    except (ValueError, RecursionError) as error:  # an integer of 5,000 digits, deep nesting
        raise HTTPException(status_code=400, detail=f"body is not JSON we read: {error}") from error
    records = [data] if isinstance(data, dict) else data
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise HTTPException(status_code=422, detail="send an article object or a list of them")
    if not records:
        raise HTTPException(status_code=422, detail="no articles in the body")
    if len(records) > MAX_RECORDS:
        raise HTTPException(status_code=413, detail=f"at most {MAX_RECORDS} articles a request")
    return records
