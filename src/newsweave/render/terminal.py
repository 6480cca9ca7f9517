"""Terminal views of stats, article lists and single articles (Rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from newsweave.api import ArticleDetail, Newsweave, OutletSummary
from newsweave.model import Article, CopyLink, Event, IngestReport, Storyline
from newsweave.render.safe import body, line

SNIPPET_CHARS = 240


def published_label(article: Article) -> str:
    return article.published.isoformat() if article.published else "undated"


def print_report(console: Console, report: IngestReport) -> None:
    console.print(
        f"read {report.read} · new {report.new} · duplicates {report.duplicates} · "
        f"copies {report.copies} · already stored {report.already_stored} · "
        f"updated {report.updated} · skipped {report.skipped}"
        + (f" · thin {report.thin}" if report.thin else "")
        + (f" · notes {report.notices}" if report.notices else ""),
        markup=False,
        highlight=False,
    )
    sources = report.outlet_sources
    if sources:
        said = " · ".join(f"{OUTLET_SOURCES.get(k, k)} {n}" for k, n in sorted(sources.items()))
        console.print(f"outlets from: {said}", markup=False, highlight=False)
    if report.folder_outlets:
        folders = line(", ".join(sorted(report.folder_outlets)))
        console.print(
            f"note: {sum(report.folder_outlets.values())} articles name no outlet or url; "
            f"their folder's name stands in: {folders} (give an outlet in the file, "
            "or with --meta)",
            highlight=False,
        )


OUTLET_SOURCES = {
    "field": "record",
    "table": "url (outlet table)",
    "url": "url domain",
    "folder": "folder name",
    "none": "nothing",
}


def print_stats(console: Console, stats: dict[str, Any]) -> None:
    title = f"newsweave store {line(stats['store'])}"
    table = Table(title=title, show_header=False, box=None)
    for key in ("articles", "sightings", "exact_duplicates", "copies", "undated", "thin"):
        table.add_row(key.replace("_", " "), str(stats[key]))
    table.add_row("published", f"{stats['first_published']} … {stats['last_published']}")
    table.add_row("schema version", str(stats["schema_version"]))
    console.print(table)
    outlets = Table("outlet", "articles", title="Outlets")
    for outlet, count in stats["outlets"].items():
        outlets.add_row(line(outlet), str(count))
    console.print(outlets)
    languages = ", ".join(f"{lang} {n}" for lang, n in stats["languages"].items())
    console.print(f"languages: {line(languages)}", highlight=False)


def print_article_list(console: Console, articles: list[Article], total: int) -> None:
    table = Table(
        "id", "published", "outlet", "title", title=f"{len(articles)} of {total} articles"
    )
    for article in articles:
        table.add_row(
            article.id, published_label(article), line(article.outlet), line(article.title)
        )
    console.print(table)


def print_article(console: Console, detail: ArticleDetail, full: bool) -> None:
    article = detail.article
    console.print(f"[bold]{line(article.title)}[/bold]", highlight=False)
    console.print(
        f"{article.id} · {line(article.outlet)} · {published_label(article)} · "
        f"language {line(article.language or 'unknown')}",
        highlight=False,
    )
    if article.authors:
        console.print("by " + line(", ".join(article.authors)), highlight=False)
    if article.url:
        console.print(line(article.url), highlight=False)
    text = article.text if full else _snippet(article.text)
    console.print()
    console.print(body(text), highlight=False)
    console.print()
    _print_sightings(console, detail)
    _print_links(console, detail.copy_of, detail.copied_by)


def _snippet(text: str) -> str:
    return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS].rstrip() + " … (--full)"


def _print_sightings(console: Console, detail: ArticleDetail) -> None:
    if len(detail.sightings) < 2:
        return
    table = Table("outlet", "url", "input id", title="Also seen as (exact duplicates)")
    for sighting in detail.sightings:
        table.add_row(
            line(sighting.outlet), line(sighting.url or ""), line(sighting.input_id or "")
        )
    console.print(table)


def _print_links(console: Console, copy_of: CopyLink | None, copied_by: list[CopyLink]) -> None:
    if copy_of:
        console.print(
            f"copy of {copy_of.origin_id} ({copy_of.containment:.0%} of this text is "
            f"shared; Jaccard {copy_of.similarity:.2f})"
        )
    for link in copied_by:
        console.print(f"copied by {link.copy_id} (Jaccard {link.similarity:.2f})")


def print_duplicates_and_copies(console: Console, news: Newsweave) -> None:
    """Exact duplicates (one text, several outlets) and near-duplicate copies."""
    table = Table("kind", "article", "outlets / origin", title="Same text, several places")
    for detail in news.exact_duplicates():
        outlets = ", ".join(s.outlet for s in detail.sightings)
        table.add_row("exact duplicate", _label(detail.article), line(outlets))
    for link in news.copies():
        copy, origin = news.article(link.copy_id), news.article(link.origin_id)
        if copy and origin:
            table.add_row(
                f"copy ({link.containment:.0%} shared)",
                _label(copy.article),
                f"copied from {_label(origin.article)}",
            )
    console.print(table)


def _label(article: Article) -> str:
    return line(f"{article.outlet}: {article.title} [{article.id[:8]}]")


def print_events(console: Console, events: list[Event], total: int) -> None:
    table = Table("id", "first", "articles", "outlets", "title", "key names",
                  title=f"{len(events)} of {total} events")  # fmt: skip
    for event in events:
        table.add_row(
            event.id, event.first_published or "undated", str(event.size),
            str(len(event.outlets)), line(event.title), line(", ".join(event.key_terms[:4])),
        )  # fmt: skip
    console.print(table)


def print_event(console: Console, event: Event, members: list[Article]) -> None:
    console.print(f"[bold]{line(event.title)}[/bold]", highlight=False)
    span = f"{event.first_published or 'undated'} … {event.last_published or ''}"
    console.print(f"{event.id} · {span} · storyline {event.storyline_id}", highlight=False)
    console.print("key names: " + line(", ".join(event.key_terms)), highlight=False)
    console.print("outlets: " + line(", ".join(event.outlets)), highlight=False)
    print_article_list(console, members, len(members))


def print_storylines(console: Console, storylines: list[Storyline]) -> None:
    table = Table("id", "first", "last", "events", "articles", "title",
                  title=f"{len(storylines)} storylines")  # fmt: skip
    for storyline in storylines:
        table.add_row(
            storyline.id, storyline.first_published or "undated",
            storyline.last_published or "", str(len(storyline.event_ids)),
            str(storyline.articles), line(storyline.title),
        )  # fmt: skip
    console.print(table)


def print_storyline(console: Console, storyline: Storyline, members: list[Event]) -> None:
    console.print(f"[bold]{line(storyline.title)}[/bold]  {storyline.id}", highlight=False)
    print_events(console, members, len(members))


def print_outlets(console: Console, outlets: list[OutletSummary], title: str = "Outlets") -> None:
    table = Table("outlet", "articles", "first", "last", "domains", "name from", title=line(title))
    for item in outlets:
        table.add_row(
            line(item.name), str(item.articles), item.first_published or "",
            item.last_published or "", line(", ".join(item.domains[:3])),
            ", ".join(OUTLET_SOURCES.get(k, k) for k in item.sources),
        )  # fmt: skip
    console.print(table)
