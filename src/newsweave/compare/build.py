"""Compare the coverage of one event: every finding of :mod:`newsweave.compare` at once."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace

from newsweave.annotate.document import documents_of
from newsweave.annotation import Annotations, annotations_from_dict
from newsweave.compare.conflicts import date_conflicts, negations, number_conflicts
from newsweave.compare.facts import align, left_out, summarise
from newsweave.compare.framing import framing
from newsweave.compare.model import Comparison, Coverage
from newsweave.compare.quotes import quote_variants
from newsweave.compare.sources import citations, reuse
from newsweave.compare.vectors import attach_vectors
from newsweave.model import Article
from newsweave.outlets import OutletTable
from newsweave.store.sqlite import SQLiteStore

VERSION = 3  # bump when comparisons change, so stored ones are computed again


def compare(
    event_id: str,
    title: str,
    coverage: Sequence[Coverage],
    *,
    outlets: Collection[str] = (),
    actor_of: dict[str, str] | None = None,
    loaded: Iterable[str] = (),
    table: OutletTable | None = None,
) -> Comparison:
    """Compare the articles of one event. ``actor_of`` maps names to actor ids (so two
    names of one speaker are one speaker); ``outlets`` are the names citations may use;
    ``table`` is the outlet table with the user's own file (default: the bundled one)."""
    names = actor_of or {}
    facts, only_in = align(coverage)
    variants, misattributed = quote_variants(coverage, names)
    result = Comparison(
        event_id=event_id,
        title=title,
        outlets=sorted({o for item in coverage for o in item.outlets}),
        articles=[_listing(item) for item in coverage],
        facts=facts,
        only_in=only_in,
        left_out=left_out(facts, coverage),
        conflicts=number_conflicts(coverage) + date_conflicts(facts, coverage)
        + negations(coverage),
        quote_variants=variants,
        misattributions=misattributed,
        citations=citations(coverage, outlets, table),
        reuse=reuse(coverage),
        framing=framing(coverage, _display_names(names, coverage), loaded),
        summary=summarise(facts, coverage),
    )  # fmt: skip
    result.differences = differences(result)
    return result


def _display_names(actor_of: dict[str, str], coverage: Sequence[Coverage]) -> dict[str, str]:
    """Name -> the name of its actor, so framing groups every name of one actor."""
    by_actor: dict[str, str] = {}
    for item in coverage:
        for mention in item.annotations.mentions:
            actor = actor_of.get(mention.name)
            if actor is not None:
                current = by_actor.get(actor)
                if current is None or len(mention.name) > len(current):
                    by_actor[actor] = mention.name
    return {name: by_actor[actor] for name, actor in actor_of.items() if actor in by_actor}


def _listing(item: Coverage) -> dict[str, object]:
    article = item.article
    return {
        "id": article.id,
        "title": article.title,
        "outlets": item.outlets,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
    }


def differences(result: Comparison) -> list[str]:
    """A short "where they differ" list drawn from the findings."""
    lines: list[str] = []
    for conflict in result.conflicts:
        versions = "; ".join(f"{s.outlet}: {s.text}" for s in conflict.sides)
        lines.append(f"{conflict.kind} conflict on {conflict.what}: {versions}")
    for variant in result.quote_variants:
        outlets = ", ".join(s.outlet for s in variant.variants)
        lines.append(f"{variant.speaker or 'a speaker'} quoted in different words by {outlets}")
    for wrong in result.misattributions:
        who = "; ".join(f"{s.outlet}: {s.speaker}" for s in wrong.sides)
        lines.append(f"the same words put in different mouths: {who}")
    for copy in result.reuse:
        if copy.identical:
            lines.append(f"{copy.copy_outlet} ran the same text as {copy.origin_outlet}")
        else:
            share = round(copy.share_of_copy * 100)
            lines.append(
                f"{copy.copy_outlet} copies {share}% of its text from {copy.origin_outlet}"
            )
    for frame in result.framing:
        for outlet, words in frame.loaded.items():
            lines.append(f"{outlet} calls {frame.actor} {', '.join(words)}")
    for outlet, missed in result.left_out.items():
        facts = "fact" if len(missed) == 1 else "facts"
        lines.append(f"{outlet} leaves out {len(missed)} {facts} most other outlets report")
    return lines


MAX_ARTICLES = 40  # a comparison reads each outlet's first article, then the next ones


def load_coverage(store: SQLiteStore, event_id: str, keep: bool = False) -> list[Coverage]:
    """The event's articles (at most ``MAX_ARTICLES``: every outlet's first, then the
    earliest others), each with all its outlets, its stored annotations, analysed document
    and sentence vectors (made now where missing, and kept with ``keep``)."""
    coverage = []
    chosen = _chosen(store.event_articles(event_id))
    for article, analysed in zip(chosen, documents_of(store, chosen), strict=True):
        others = {s.outlet for s in store.sightings(article.id)} - {article.outlet}
        outlets = [article.outlet, *sorted(others)]
        stored = store.annotations.document(article.id)
        found = annotations_from_dict(stored) if stored else Annotations(article.id)
        if article.thin == "shared":  # boilerplate other stories share: not this one's body
            article, found = replace(article, text=""), Annotations(article.id)
            analysed = replace(analysed, body=())
        origins = [c.origin_id for c in store.copy_links(article.id) if c.copy_id == article.id]
        copy_of = origins[0] if origins else None
        coverage.append(Coverage(article, outlets, found, analysed, copy_of))
    attach_vectors(store, coverage, keep)
    return coverage


def _chosen(articles: list[Article]) -> list[Article]:
    if len(articles) <= MAX_ARTICLES:
        return articles
    first_of_outlet: dict[str, Article] = {}
    for article in articles:
        first_of_outlet.setdefault(article.outlet, article)
    picked = list(first_of_outlet.values())[:MAX_ARTICLES]
    taken = {a.id for a in picked}
    picked += [a for a in articles if a.id not in taken][: MAX_ARTICLES - len(picked)]
    order = {a.id: n for n, a in enumerate(articles)}
    return sorted(picked, key=lambda a: order[a.id])
