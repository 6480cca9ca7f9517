"""Precision and recall of number-conflict and quote-variant detection on our own gold set.

``benchmarks/gold/comparisons.jsonl`` holds event comparisons we wrote: each is one event
reported by 2 to 4 outlets, with the number conflicts, agreeing numbers, quote variants and
misattributed quotes marked (format in ``benchmarks/gold/README.md``). Each record's
articles are annotated by the shipped pipeline and compared as one event. Findings are
scored by pairs:

- a found number-conflict pair (two sides of different outlets whose ranges disagree) is
  right when both sides are values of one gold conflict;
- a found quote-variant pair is right when both sides are variants of one gold group;
- a found misattribution pair is right when both are sides of one gold misattribution.

    python benchmarks/comparison.py [--out benchmarks/results/comparison.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable
from datetime import datetime
from itertools import combinations
from pathlib import Path
from typing import Any

from newsweave.annotate.pipeline import Annotator
from newsweave.compare.conflicts import number_conflicts, value_range
from newsweave.compare.model import Coverage, Side
from newsweave.compare.quotes import quote_variants
from newsweave.model import Article, Published

GOLD = Path(__file__).resolve().parent / "gold" / "comparisons.jsonl"
DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "comparison.json"
Place = tuple[str, int, int]  # article id, start, end


def load() -> list[dict[str, Any]]:
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def coverage_of(record: dict[str, Any], annotator: Annotator) -> list[Coverage]:
    articles = [
        Article(
            id=f"{record['id']}-{a['key']}",
            title=a["title"],
            text=a["text"],
            outlet=a["outlet"],
            origin="gold",
            published=Published(datetime.fromisoformat(a["published"])),
        )
        for a in record["articles"]
    ]
    found = annotator.annotate(articles)
    return [Coverage(a, [a.outlet], n) for a, n in zip(articles, found, strict=True)]


def gold_groups(record: dict[str, Any], key: str, field: str) -> list[list[Place]]:
    """Each gold group as the places of its members in their articles."""
    texts = {a["key"]: a["text"] for a in record["articles"]}
    groups = []
    for group in record.get(key, []):
        places = []
        for member in group[field]:
            text = texts[member["article"]]
            start = text.find(member["text"])
            if start >= 0:
                places.append((f"{record['id']}-{member['article']}", start,
                               start + len(member["text"])))  # fmt: skip
        groups.append(places)
    return groups


def _group_of(side: Side, groups: list[list[Place]]) -> int | None:
    for number, places in enumerate(groups):
        for article, start, end in places:
            if article == side.article_id and start < side.end and side.start < end:
                return number
    return None


def score_pairs(
    pairs: Iterable[tuple[Side, Side]], groups: list[list[Place]]
) -> tuple[int, int, set[int]]:
    """(pairs found, pairs right, gold groups hit)."""
    found = right = 0
    hit: set[int] = set()
    for first, second in pairs:
        found += 1
        a, b = _group_of(first, groups), _group_of(second, groups)
        if a is not None and a == b:
            right += 1
            hit.add(a)
    return found, right, hit


def conflict_pairs(coverage: list[Coverage]) -> list[tuple[Side, Side]]:
    pairs = []
    for conflict in number_conflicts(coverage):
        for first, second in combinations(conflict.sides, 2):
            low1, high1 = value_range(first.value, first.modifier)
            low2, high2 = value_range(second.value, second.modifier)
            if first.outlet != second.outlet and (high1 < low2 or high2 < low1):
                pairs.append((first, second))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    records = load()
    annotator = Annotator()
    totals = {name: [0, 0, 0, 0] for name in ("numbers", "quote_variants", "misattributions")}
    errors: list[dict[str, Any]] = []
    started = time.perf_counter()
    for record in records:
        coverage = coverage_of(record, annotator)
        variants, misattributed = quote_variants(coverage)
        checks = {
            "numbers": (conflict_pairs(coverage),
                        gold_groups(record, "number_conflicts", "values")),
            "quote_variants": ([p for v in variants for p in combinations(v.variants, 2)],
                               gold_groups(record, "quote_variants", "variants")),
            "misattributions": ([p for m in misattributed for p in combinations(m.sides, 2)],
                                _misattribution_groups(record)),
        }  # fmt: skip
        for name, (pairs, groups) in checks.items():
            found, right, hit = score_pairs(pairs, groups)
            total = totals[name]
            total[0] += found
            total[1] += right
            total[2] += len(hit)
            total[3] += len(groups)
            if found > right:
                errors.append({"id": record["id"], "kind": name, "wrong": found - right})
    result: dict[str, Any] = {
        "records": len(records),
        "seconds": round(time.perf_counter() - started, 1),
        **{name: _rates(*values) for name, values in totals.items()},
        "records_with_errors": errors,
    }
    for name in totals:
        rates = result[name]
        print(
            f"{name:16s} precision {rates['precision']:.3f} ({rates['right']}/{rates['found']}"
            f" pairs)  recall {rates['recall']:.3f} ({rates['hit']}/{rates['gold']} groups)"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def _misattribution_groups(record: dict[str, Any]) -> list[list[Place]]:
    texts = {a["key"]: a["text"] for a in record["articles"]}
    groups = []
    for item in record.get("misattributed_quotes", []):
        places = []
        for side in item["speakers"]:
            text = texts[side["article"]]
            start = text.find(item["text"][:40])
            if start >= 0:
                places.append((f"{record['id']}-{side['article']}", start, start + 40))
        groups.append(places)
    return groups


def _rates(found: int, right: int, hit: int, gold: int) -> dict[str, Any]:
    return {
        "found": found, "right": right, "hit": hit, "gold": gold,
        "precision": round(right / found, 3) if found else 1.0,
        "recall": round(hit / gold, 3) if gold else 1.0,
    }  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
