"""Terminal views of actors, quotes, actions and one article's annotations (Rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from newsweave.annotation import ActorDetail, ActorSummary, QuoteRecord
from newsweave.render.safe import line

QUOTE_CHARS = 160


def _cut(text: str, width: int = QUOTE_CHARS) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def print_actors(console: Console, actors: list[ActorSummary]) -> None:
    table = Table("id", "actor", "kind", "mentions", "articles", title=f"{len(actors)} actors")
    for actor in actors:
        table.add_row(
            actor.id, line(actor.name), actor.kind, str(actor.mentions), str(actor.articles)
        )
    console.print(table)


def print_actor(console: Console, detail: ActorDetail) -> None:
    actor = detail.actor
    console.print(f"[bold]{line(actor.name)}[/bold]  {actor.id}  ({actor.kind})")
    aliases = ", ".join(f"{text} x{count}" for text, count in detail.aliases)
    console.print("aliases: " + line(aliases), highlight=False)
    console.print(f"articles: {len(detail.article_ids)}")
    if detail.quotes:
        print_quotes(console, detail.quotes, title="Quotes")
    if detail.actions:
        print_actions(console, detail.actions)


def print_quotes(console: Console, quotes: list[QuoteRecord], title: str | None = None) -> None:
    table = Table("published", "outlet", "speaker", "kind", "quote", title=title)
    for quote in quotes:
        table.add_row(
            quote.published or "undated",
            line(quote.outlet),
            line(quote.speaker or "—"),
            quote.kind,
            line(quote.text, QUOTE_CHARS),
        )
    console.print(table)


def print_actions(console: Console, actions: list[dict[str, Any]]) -> None:
    table = Table("date", "source", "verb", "target", "PLOVER", title="Actions")
    for action in actions:
        verb = ("not " if action["negated"] else "") + action["verb"]
        table.add_row(
            action["date"] or "undated",
            line(action["src_actor"]),
            line(verb),
            line(action["tgt_actor"] or "—"),
            action["event"] or "",
        )
    console.print(table)


def print_annotations(console: Console, text: str, document: dict[str, Any] | None) -> None:
    """One article's annotations, each with the words it came from."""
    if document is None:
        console.print("not annotated yet (run newsweave annotate)")
        return
    sections = (
        ("Actors", "mentions", lambda m: f"{m['text']} → {m['name']} ({m['kind']})"),
        ("Quotes", "quotes", _quote_line),
        ("Numbers", "quantities", _quantity_line),
        ("Dates", "times", _time_line),
        ("Actions", "actions", _action_line),
        ("Cites", "attributions", lambda a: f"{a['text']} → {a['source']}"),
    )
    for title, key, describe in sections:
        items = document.get(key) or []
        console.print(f"[bold]{title}[/bold] ({len(items)})")
        for item in items:
            console.print(f"  {line(describe(item))}", highlight=False)


def _quote_line(quote: dict[str, Any]) -> str:
    speaker = quote["speaker"] or "—"
    return f"{speaker} [{quote['kind']}, {quote['cue'] or ''}]: {_cut(quote['text'])}"


def _quantity_line(q: dict[str, Any]) -> str:
    parts = [q["modifier"], f"{q['value']:g}", q["unit"], q["counted"]]
    return f"{q['text']} = " + " ".join(str(p) for p in parts if p)


def _time_line(t: dict[str, Any]) -> str:
    if t["first"] is None:
        return f"{t['text']} = unresolved"
    span = t["first"] if t["first"] == t["last"] else f"{t['first']} … {t['last']}"
    return f"{t['text']} = {span}"


def _action_line(a: dict[str, Any]) -> str:
    verb = ("not " if a["negated"] else "") + a["verb"]
    return f"{a['source']} {verb} {a['target'] or ''} [{a['event_type'] or '-'}]"
