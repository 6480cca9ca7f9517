"""Ids of events and storylines that were merged or split away answer with a redirect."""

from __future__ import annotations

from fastapi import HTTPException, Request

from newsweave.api import Newsweave

MOVED = 308  # permanent, and the method is kept


def moved_or_missing(request: Request, news: Newsweave, kind: str, key: str) -> HTTPException:
    """A 308 to where ``key`` lives on when it was merged or split away; else a 404."""
    new = news.redirect(key)
    if new is None:
        return HTTPException(status_code=404, detail=f"no {kind} {key!r}")
    path = request.url.path
    cut = path.rindex(key)
    location = path[:cut] + new + path[cut + len(key) :]
    if request.url.query:
        location += "?" + request.url.query
    detail = f"{kind} {key!r} is now {new!r}"
    return HTTPException(status_code=MOVED, detail=detail, headers={"Location": location})
