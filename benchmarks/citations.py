"""Citations of news organisations on real news, scored against ``gold/citations.jsonl``.

The gold names, for 70 GVA articles and 30 PolNeAR dev articles, every place where the
article cites a news organisation ("told KTLA", "(AP) —", "The Post reported", "Source:
WAVE 3 News"), by character span and canonical outlet; how it was chosen and what counts is
in ``gold/README.md``. The article texts are third-party news: they are read from the shared
data folder on each run (``--data``, else ``$NEWSWEAVE_SHARED_DATA``, else
``<repo>/../shared/data``) and never written anywhere.

Each article is annotated by the shipped pipeline (``Annotator().annotate``), its outlet
taken from its URL (GVA) or its publisher (PolNeAR) as ingestion would. A predicted citation
matches a gold one when its span overlaps the gold name's span and it names the same outlet:
both resolved through the bundled outlet table, then compared without case, "The" and
punctuation; a gold citation of an outlet the table does not know also matches the name as
the article wrote it. Each gold and each predicted citation matches at most once.

    python benchmarks/citations.py [--data PATH] [--out benchmarks/results/citations.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotation import Score
from corpora import GVA_FILE, data_folder
from newsweave.annotate.attributions import find_attributions
from newsweave.annotate.pipeline import Annotator, Failure
from newsweave.annotation import Annotations, Attribution
from newsweave.model import Article
from newsweave.outlets import OutletTable, default_table, domain_of, name_key

GOLD = Path(__file__).resolve().parent / "gold" / "citations.jsonl"
RESULTS = Path(__file__).resolve().parent / "results" / "citations.json"
POLNEAR_FILE = Path("polnear-attribution") / "polnear-dev-articles.jsonl"
# PolNeAR's publishers, by the domain ingestion would give them.
PUBLISHER_DOMAINS = {
    "breitbart": "breitbart.com", "huff-post": "huffpost.com", "nyt": "nytimes.com",
    "politico": "politico.com", "usa-today": "usatoday.com",
    "wash-post": "washingtonpost.com", "west-journal": "westernjournal.com",
}  # fmt: skip


@dataclass(slots=True)
class Tally:
    """Predicted, gold and matched citations, with the misses and false alarms by name."""

    found: int = 0
    expected: int = 0
    matched: int = 0
    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.found += other.found
        self.expected += other.expected
        self.matched += other.matched
        self.missed += other.missed
        self.spurious += other.spurious

    def figures(self) -> dict[str, float | int]:
        return Score(self.found, self.expected, self.matched).as_dict()


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_articles(folder: Path, gold: list[dict[str, Any]]) -> dict[str, Article]:
    """The gold's articles, by id, from the shared data folder."""
    wanted = {record["article_id"] for record in gold}
    table = default_table()
    articles: dict[str, Article] = {}
    for record in _records(folder / GVA_FILE, gzipped=True):
        if record["id"] in wanted:
            own = table.name_for(domain_of(record["url"]) or "")
            articles[record["id"]] = _article(record["id"], record["text"], own)
    for record in _records(folder / POLNEAR_FILE, gzipped=False):
        if record["id"] in wanted:
            domain = PUBLISHER_DOMAINS.get(record["publisher"], record["publisher"])
            articles[record["id"]] = _article(record["id"], record["text"], table.name_for(domain))
    missing = wanted - set(articles)
    if missing:
        raise FileNotFoundError(f"{len(missing)} gold articles not in {folder}")
    return articles


def _records(path: Path, gzipped: bool) -> Iterable[dict[str, Any]]:
    if gzipped:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            yield from (json.loads(line) for line in lines if line.strip())
    else:
        with path.open(encoding="utf-8") as lines:
            yield from (json.loads(line) for line in lines if line.strip())


def _article(article_id: str, text: str, outlet: str) -> Article:
    return Article(id=article_id, title="", text=text, outlet=outlet, origin="citation-gold")


def _rules_only(article: Article) -> Annotations:
    attributions = find_attributions(article.text, (), own=article.outlet)
    return Annotations(article.id, attributions=attributions)


def outlet_key(name: str, table: OutletTable) -> str:
    """How outlets are compared: the table's name when it knows one, without case and "The"."""
    found = table.find(name)
    return name_key(found.name if found is not None else name)


def score_article(
    gold: list[dict[str, Any]], predicted: list[Attribution], table: OutletTable
) -> Tally:
    """Overlapping span and same outlet, each citation matched once, in text order."""
    tally = Tally(found=len(predicted), expected=len(gold))
    unmatched = list(predicted)
    for cite in gold:
        keys = {outlet_key(cite["outlet"], table), outlet_key(cite["name"], table)}
        hit = next(
            (p for p in unmatched
             if p.start < cite["end"] and cite["start"] < p.end
             and outlet_key(p.source, table) in keys),
            None,
        )  # fmt: skip
        if hit is None:
            tally.missed.append(cite["name"])
        else:
            tally.matched += 1
            unmatched.remove(hit)
    tally.spurious = [p.source for p in unmatched]
    return tally


def score_citations(
    data: Path | None = None, annotator: Annotator | None = None, *, tagged: bool = True
) -> dict[str, Any]:
    """Citation precision, recall and F1 on the gold, overall and for each corpus.

    ``tagged``: the whole pipeline (spaCy and every extractor) as shipped; without it the
    citation rules alone, with no people from the tagger to keep apart (seconds, for a gate).
    """
    gold = load_gold()
    articles = load_articles(data_folder(data), gold)
    started = time.perf_counter()
    ordered = [articles[record["article_id"]] for record in gold]
    if tagged:
        found = list((annotator or Annotator()).results(ordered, processes=1))
    else:
        found = [_rules_only(article) for article in ordered]
    seconds = time.perf_counter() - started
    table = default_table()
    tallies: dict[str, Tally] = {"all": Tally()}
    for record, item in zip(gold, found, strict=True):
        predicted = item.attributions if isinstance(item, Annotations) else []
        tally = score_article(record["citations"], predicted, table)
        tallies.setdefault(record["corpus"], Tally()).add(tally)
        tallies["all"].add(tally)
    result: dict[str, Any] = {name: tally.figures() for name, tally in tallies.items()}
    result["errors"] = {"missed": sorted(tallies["all"].missed),
                        "spurious": sorted(tallies["all"].spurious)}  # fmt: skip
    result["articles"] = len(gold)
    result["failed"] = sum(1 for item in found if isinstance(item, Failure))
    result["seconds"] = round(seconds, 1)
    result["tagged"] = tagged
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--rules-only", action="store_true", help="the citation rules alone, without spaCy"
    )
    args = parser.parse_args(argv)
    result = score_citations(args.data, tagged=not args.rules_only)
    for name in ("all", "gva", "polnear"):
        figures = result[name]
        print(
            f"{name:8} F1 {figures['f1']:.3f}  P {figures['precision']:.3f}  "
            f"R {figures['recall']:.3f}  ({figures['matched']}/{figures['expected']} gold, "
            f"{figures['found']} found)"
        )
    print(f"missed: {', '.join(result['errors']['missed']) or '-'}")
    print(f"spurious: {', '.join(result['errors']['spurious']) or '-'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
