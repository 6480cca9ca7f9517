"""Who cites whom, and who copied whom.

Citations come from the annotations ("according to CPA", "told the Clarion"); a cited name
is matched to an outlet of the store by its name forms and its initials (CPA ->
Continental Press Agency), and through the outlet table, so "The Washington Post",
"Washington Post" and washingtonpost.com are one outlet. Text reuse is the one copy detector
of :mod:`newsweave.copies`, which ingest's near-duplicate links use too: the shingles every
pair of articles shares, each side's share of them and the copied passages, with the origin
ingest linked (or the earlier published).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import combinations

from newsweave.annotate.attributions import outlet_key, outlet_names
from newsweave.compare.model import Citation, Coverage, Reuse
from newsweave.compare.text import sentence_at
from newsweave.copies import REUSE_SHARE, merged, origin_first, shingle_spans
from newsweave.outlets import OutletTable, default_table, name_key


def citations(
    coverage: Sequence[Coverage], outlets: Collection[str], table: OutletTable | None = None
) -> list[Citation]:
    """Every citation of another outlet, with the store's outlet it names when it is one."""
    table = default_table() if table is None else table
    names = outlet_names(outlets)
    by_identity: dict[str, str] = {}
    for outlet in outlets:
        by_identity.setdefault(_identity(outlet, table), outlet)
    found: list[Citation] = []
    for item in coverage:
        own = {_identity(outlet, table) for outlet in item.outlets}
        for cite in item.annotations.attributions:
            key = outlet_key(cite.source)
            identity = _identity(cite.source, table)
            if names.get(key) in item.outlets or cite.source in item.outlets or identity in own:
                continue  # "(CPA)" on CPA's own copy, "told the Clarion" in the Clarion
            found.append(
                Citation(
                    item.article.id,
                    item.outlet,
                    cite.source,
                    names.get(key) or by_identity.get(identity),
                    cite.text,
                    sentence_at(item, cite.start),
                    cite.start,
                    cite.end,
                )
            )
    return found


def _identity(outlet: str, table: OutletTable) -> str:
    """What makes two outlet names one outlet: the table's name for it, compared loosely
    ("The Washington Post", "Washington Post", "washingtonpost.com")."""
    return name_key(table.name_for(outlet))


def reuse(coverage: Sequence[Coverage]) -> list[Reuse]:
    """Article pairs sharing text (the one copy detector's shingles), with the origin ingest
    linked, or else by :func:`~newsweave.copies.origin_first`."""
    shingles = {item.article.id: shingle_spans(item.article.text) for item in coverage}
    found: list[Reuse] = []
    for first, second in combinations(coverage, 2):
        if first.article.id == second.article.id:
            continue
        origin, copy = _ordered(first, second)
        a, b = shingles[origin.article.id], shingles[copy.article.id]
        if not a or not b:
            continue
        shared = a.keys() & b.keys()
        share = len(shared) / len(b)
        if share < REUSE_SHARE:
            continue
        found.append(
            Reuse(
                copy.article.id,
                copy.outlet,
                origin.article.id,
                origin.outlet,
                round(share, 3),
                round(len(shared) / len(a), 3),
                passages := merged(sorted(b[s] for s in shared)),
                shown=_shown(copy.article.text, passages),
            )
        )
    for item in coverage:  # one text, several outlets: the same article run twice
        for other in item.outlets[1:]:
            found.append(
                Reuse(item.article.id, other, item.article.id, item.outlets[0], 1.0, 1.0,
                      [(0, len(item.article.text))], identical=True)
            )  # fmt: skip
    return found


SHOWN_PASSAGES, SHOWN_CHARS = 3, 240


def _shown(text: str, passages: list[tuple[int, int]]) -> list[str]:
    """The text of the longest shared passages, in the copy's order, each cut short."""
    longest = sorted(passages, key=lambda span: span[0] - span[1])[:SHOWN_PASSAGES]
    return [_cut(text[start:end]) for start, end in sorted(longest)]


def _cut(passage: str) -> str:
    flat = " ".join(passage.split())
    return flat if len(flat) <= SHOWN_CHARS else flat[: SHOWN_CHARS - 1] + "…"


def _ordered(first: Coverage, second: Coverage) -> tuple[Coverage, Coverage]:
    """(origin, copy): as ingest linked them when it did, else the earlier published (the
    first given when that cannot tell)."""
    if first.copy_of == second.article.id:
        return second, first
    if second.copy_of == first.article.id or origin_first(first.article, second.article):
        return first, second
    return second, first
