"""Write the static report: an index with the timeline of storylines and events, one page
per event (the comparison side by side by outlet), one page per actor, and data.json.

Every page is self-contained (inline CSS, no script, a strict Content-Security-Policy) and
opens from disk. Jinja2 escapes every value, so article text stays text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from newsweave.annotate.stored import actor_detail, actor_ids_by_name
from newsweave.api import Newsweave

ACTOR_PAGES = 500  # the most mentioned actors get a page each
META_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True, slots=True)
class ReportSummary:
    out: Path
    events: int
    actors: int


def environment() -> Environment:
    return Environment(
        loader=PackageLoader("newsweave.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def write_report(
    news: Newsweave, out: str | Path, progress: Progress | None = None
) -> ReportSummary:
    """Write the site into ``out`` (created if missing) and return what it holds."""
    folder = Path(out)
    (folder / "events").mkdir(parents=True, exist_ok=True)
    (folder / "actors").mkdir(parents=True, exist_ok=True)
    env = environment()
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    comparisons = _event_pages(news, folder, env, generated, progress)
    actors = _actor_pages(news, folder, env, generated, progress)
    index = index_data(news, comparisons, actors)
    page = env.get_template("index.html.j2").render(**_links(""), **index, generated=generated,
                                                    data_url="data.json")  # fmt: skip
    (folder / "index.html").write_text(page, encoding="utf-8")
    data = {"generated": generated, **index, "comparisons": comparisons}
    (folder / "data.json").write_text(
        json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8"
    )
    return ReportSummary(folder, len(comparisons), len(actors))


def _event_pages(
    news: Newsweave, folder: Path, env: Environment, generated: str, progress: Progress | None
) -> dict[str, dict[str, Any]]:
    events = news.events(limit=1_000_000)
    template = env.get_template("event.html.j2")
    context = news.compare_context()
    found: dict[str, dict[str, Any]] = {}
    for done, event in enumerate(events, 1):
        data = news.comparison_data(event.id, context=context)  # the kept one when current
        if data is not None:
            found[event.id] = data
            page = template.render(c=data, generated=generated, **_links("../"))
            (folder / "events" / f"{event.id}.html").write_text(page, encoding="utf-8")
        if progress:
            progress("events", done, len(events))
    return found


def _actor_pages(
    news: Newsweave, folder: Path, env: Environment, generated: str, progress: Progress | None
) -> list[dict[str, Any]]:
    actors = news.actors(limit=ACTOR_PAGES)
    template = env.get_template("actor.html.j2")
    actor_of = actor_ids_by_name(news.store)
    written: list[dict[str, Any]] = []
    for done, actor in enumerate(actors, 1):
        detail = actor_detail(news.store, actor.id, actor_of=actor_of)
        if detail is not None:
            data = detail.to_dict()
            page = template.render(a=data, generated=generated, **_links("../"))
            (folder / "actors" / f"{actor.id}.html").write_text(page, encoding="utf-8")
            written.append(actor.to_dict())
        if progress:
            progress("actors", done, len(actors))
    return written


def index_data(
    news: Newsweave, comparisons: dict[str, dict[str, Any]], actors: list[dict[str, Any]]
) -> dict[str, Any]:
    """What the index shows: counts, storylines with their events, actors."""
    stats = news.stats()
    storylines = []
    for storyline in news.storylines():
        found = news.storyline(storyline.id)
        events = [
            {**e.to_dict(), "differences": _differences(comparisons, e.id)}
            for e in (found[1] if found else [])
        ]
        storylines.append({**storyline.to_dict(), "events": events})
    return {
        "stats": {
            "articles": stats["articles"],
            "events": stats["events"],
            "storylines": stats["storylines"],
            "actors": stats["actors"],
            "outlets": list(stats["outlets"]),
        },
        "storylines": storylines,
        "actors": actors,
    }


def _differences(comparisons: dict[str, dict[str, Any]], event_id: str) -> int:
    return len(comparisons.get(event_id, {}).get("differences", []))


def _links(root: str) -> dict[str, Any]:
    """Where the static pages link to, seen from a page ``root`` deep."""
    return {
        "home_url": f"{root}index.html",
        "event_url": lambda event_id: f"{root}events/{event_id}.html",
        "actor_url": lambda actor_id: f"{root}actors/{actor_id}.html",
        "meta_csp": META_CSP,
        "subtitle": "report",
    }
