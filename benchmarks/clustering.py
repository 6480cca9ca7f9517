"""Event clustering: quality and speed of each system on the labelled corpora.

    python benchmarks/clustering.py [--data DIR] [--out benchmarks/results/clustering.json]
                                    [--quick]

Each system reads a corpus once, in the corpus order (GVA by date; ECB+, which has no
dates, in a seeded random order), and is scored against the gold events with B-cubed
P/R/F1, AMI and ARI. Where some gold events have a single article (GVA), the same run is
also scored on the articles of events with 2 or more articles only.

The online TF-IDF threshold is tuned per corpus on that same corpus, before its timed run,
as the reference figures were. Peak RSS is the process's high-water mark when a run ends,
so it includes the loaded corpora and every earlier run. ``--quick`` uses the first 1,000
GVA and 250 ECB+ articles.

A new system is one more ``run_system(name, cluster_fn, corpus)`` call in ``evaluate_corpus``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from datetime import time as clock
from functools import partial
from pathlib import Path
from typing import Any

from baselines import every_article_alone, online_tfidf, tune_threshold
from corpora import (
    ECBPLUS_SEED,
    Corpus,
    DataNotFoundError,
    LabelledArticle,
    data_folder,
    load_ecbplus,
    load_gva,
)
from ingest import code_version, machine_info
from newsweave.evaluate import ClusterScores, score_clustering
from newsweave.events import (
    ClusterInput,
    ConsolidationConfig,
    EventClusterer,
    EventConfig,
    build_events,
)
from newsweave.events.consolidate import consolidate
from newsweave.model import Article, Published
from newsweave.synth import synthetic_event_stream

ClusterFn = Callable[[Sequence[LabelledArticle]], list[str]]

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "clustering.json"
THRESHOLDS = tuple(round(0.05 + 0.025 * step, 3) for step in range(19))  # 0.05 .. 0.50
WINDOW_DAYS = 7
ORDER_SEEDS = (1, 2, 3, 4, 5, ECBPLUS_SEED)
QUICK_SIZES = {"GVA": 1000, "ECB+": 250}
KIB_PER_MIB = 1024


@dataclass(frozen=True)
class Row:
    """One system on one corpus, scored on all articles or on a subset of them."""

    system: str
    corpus: str
    scored_on: str
    scores: ClusterScores
    articles: int  # clustered (all of the corpus), not only those scored
    seconds: float
    peak_rss_mib: float
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else float("inf")

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "articles_per_second": self.articles_per_second}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB_PER_MIB  # KiB on Linux


def in_multi_article_events(articles: Sequence[LabelledArticle]) -> list[bool]:
    """For each article, whether its gold event has at least one other article."""
    sizes = Counter(article.gold for article in articles)
    return [sizes[article.gold] >= 2 for article in articles]


def run_system(
    name: str,
    cluster_fn: ClusterFn,
    corpus: Corpus,
    parameters: dict[str, Any] | None = None,
) -> list[Row]:
    """Cluster the whole corpus once (timed) and score it: on all articles, and on the
    articles of multi-article events when that is a different set."""
    started = time.perf_counter()
    predicted = cluster_fn(corpus.articles)
    seconds = time.perf_counter() - started
    if len(predicted) != len(corpus.articles):
        raise ValueError(f"{name} gave {len(predicted)} labels for {len(corpus.articles)}")
    gold = [article.gold for article in corpus.articles]
    row = Row(
        system=name,
        corpus=corpus.name,
        scored_on="all",
        scores=score_clustering(predicted, gold),
        articles=len(corpus.articles),
        seconds=seconds,
        peak_rss_mib=peak_rss_mib(),
        parameters=parameters or {},
    )
    keep = in_multi_article_events(corpus.articles)
    if all(keep):
        return [row]
    kept = [index for index, flag in enumerate(keep) if flag]
    subset = score_clustering([predicted[i] for i in kept], [gold[i] for i in kept])
    return [row, replace(row, scored_on="events with >= 2 articles", scores=subset)]


NOON = clock(12)


def newsweave_online(articles: Sequence[LabelledArticle]) -> list[str]:
    """The online pass alone (``cluster --online``, and what a stream sees), in corpus order."""
    clusterer = EventClusterer()
    return [str(clusterer.learn_one(cluster_input(article))) for article in articles]


def newsweave_default(articles: Sequence[LabelledArticle]) -> list[str]:
    """The shipped default (batch consolidation), through the same code as ``cluster``."""
    stored = [as_article(article) for article in articles]
    build = build_events(stored, stored)
    event_of = {article_id: event_id for article_id, event_id, _ in build.assignments}
    return [event_of[article.id] for article in articles]


def as_article(article: LabelledArticle) -> Article:
    published = None
    if article.published:
        published = Published(datetime.combine(article.published, NOON, UTC))
    return Article(article.id, article.title, article.text, "unknown", article.id, None, published)


def cluster_input(article: LabelledArticle) -> ClusterInput:
    moment = datetime.combine(article.published, NOON, UTC) if article.published else None
    return ClusterInput(article.id, article.title, article.text, moment)


def stream_throughput(total: int, checkpoints: Sequence[int]) -> dict[str, Any]:
    """Articles/s of the clustering step and RSS along a synthetic stream of ``total``.

    Only ``learn_one`` is timed; making the synthetic articles is not the clustering step.
    """
    clusterer = EventClusterer()
    figures: dict[str, Any] = {"articles": total, "checkpoints": []}
    clustering = since_checkpoint = 0.0
    started = time.perf_counter()
    for index, record in enumerate(synthetic_event_stream(total, seed=11), start=1):
        moment = datetime.fromisoformat(record["published"])
        article = ClusterInput(record["id"], record["headline"], record["body"], moment)
        before = time.perf_counter()
        clusterer.learn_one(article)
        spent = time.perf_counter() - before
        clustering += spent
        since_checkpoint += spent
        if index in checkpoints:
            figures["checkpoints"].append(
                {"articles": index, "rss_mib": current_rss_mib(),
                 "live_events": len(clusterer.live), "clustering_seconds": since_checkpoint}
            )  # fmt: skip
            since_checkpoint = 0.0
    figures["articles_per_second"] = total / clustering
    figures["with_generation_per_second"] = total / (time.perf_counter() - started)
    return figures


def batch_throughput(total: int) -> dict[str, Any]:
    """Articles/s and memory of the batch consolidation over ``total`` synthetic articles."""
    inputs = [
        ClusterInput(r["id"], r["headline"], r["body"], datetime.fromisoformat(r["published"]))
        for r in synthetic_event_stream(total, seed=11)
    ]
    before = current_rss_mib()
    started = time.perf_counter()
    events = len(set(consolidate(inputs)))
    seconds = time.perf_counter() - started
    return {"articles": total, "events": events, "articles_per_second": total / seconds,
            "rss_before_mib": before, "peak_rss_mib": peak_rss_mib()}  # fmt: skip


def batch_report(total: int) -> dict[str, Any] | None:
    if total <= 0:
        return None
    figures = batch_throughput(total)
    print(f"batch consolidation of {total} synthetic articles: "
          f"{figures['articles_per_second']:.0f} articles/s, RSS {figures['rss_before_mib']:.0f} "
          f"MiB before, peak {figures['peak_rss_mib']:.0f} MiB")  # fmt: skip
    return figures


def ecbplus_seeds(folder: Path, seeds: Sequence[int]) -> dict[str, float]:
    """B-cubed F1 of the default build on ECB+ read in other random orders."""
    scores: dict[str, float] = {}
    for seed in seeds:
        corpus = load_ecbplus(folder, seed=seed)
        gold = [article.gold for article in corpus.articles]
        scores[str(seed)] = score_clustering(newsweave_default(corpus.articles), gold).bcubed.f1
    print("ECB+ default B3 F1 by reading order (seed): "
          + ", ".join(f"{seed} {f1:.3f}" for seed, f1 in scores.items()))  # fmt: skip
    return scores


def current_rss_mib() -> float:
    """Resident memory now (not the peak), from /proc."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def evaluate_corpus(corpus: Corpus) -> tuple[list[Row], dict[str, Any]]:
    """Every system on one corpus; also returns the TF-IDF threshold tuning."""
    rows = run_system("every article alone", every_article_alone, corpus)
    tuning = tune_threshold(corpus.articles, THRESHOLDS, WINDOW_DAYS)
    dated = any(article.published for article in corpus.articles)
    settings = {"threshold": tuning.threshold, "window_days": WINDOW_DAYS if dated else None}
    tfidf = partial(online_tfidf, threshold=tuning.threshold, window_days=WINDOW_DAYS)
    rows += run_system("online TF-IDF", tfidf, corpus, settings)
    rows += run_system("newsweave online", newsweave_online, corpus, asdict(EventConfig()))
    default = {**asdict(EventConfig()), "consolidation": asdict(ConsolidationConfig())}
    rows += run_system("newsweave (default)", newsweave_default, corpus, default)
    return rows, {"threshold": tuning.threshold, "f1": tuning.f1, "curve": tuning.curve}


def head(corpus: Corpus, size: int) -> Corpus:
    return replace(corpus, articles=corpus.articles[:size], order=f"{corpus.order}; first {size}")


def describe(corpus: Corpus) -> dict[str, Any]:
    sizes = Counter(article.gold for article in corpus.articles)
    return {
        "name": corpus.name,
        "order": corpus.order,
        "articles": len(corpus.articles),
        "events": len(sizes),
        "events_with_2_or_more": sum(size >= 2 for size in sizes.values()),
        "largest_event": max(sizes.values()),
    }


COLUMNS = (  # heading, width, value of a row
    ("corpus", 6, lambda r: r.corpus),
    ("scored on", 10, lambda r: "all" if r.scored_on == "all" else ">= 2"),
    ("system", 20, lambda r: r.system),
    ("B3 P", 6, lambda r: f"{r.scores.bcubed.precision:.3f}"),
    ("B3 R", 6, lambda r: f"{r.scores.bcubed.recall:.3f}"),
    ("B3 F1", 6, lambda r: f"{r.scores.bcubed.f1:.3f}"),
    ("AMI", 6, lambda r: f"{r.scores.ami:.3f}"),
    ("ARI", 6, lambda r: f"{r.scores.ari:.3f}"),
    ("items", 6, lambda r: str(r.scores.items)),
    ("articles/s", 10, lambda r: f"{r.articles_per_second:.0f}"),
    ("peak RSS MiB", 12, lambda r: f"{r.peak_rss_mib:.0f}"),
)


def print_table(rows: list[Row]) -> None:
    print("  ".join(f"{heading:<{width}}" for heading, width, _ in COLUMNS))
    for row in rows:
        print("  ".join(f"{value(row):<{width}}" for _, width, value in COLUMNS))


def stream_report(total: int) -> dict[str, Any] | None:
    if total <= 0:
        return None
    checkpoints = sorted({total // 4, total // 2, total})
    figures = stream_throughput(total, checkpoints)
    print(f"synthetic stream: {figures['articles_per_second']:.0f} articles/s in the online "
          f"clustering step ({figures['with_generation_per_second']:.0f}/s with making the "
          "articles; no embedder, see the README)")  # fmt: skip
    for point in figures["checkpoints"]:
        print(f"  at {point['articles']:>7}: RSS {point['rss_mib']:.0f} MiB, "
              f"{point['live_events']} live events")  # fmt: skip
    return figures


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, help="shared data folder (default: see corpora.py)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument("--quick", action="store_true", help="a small subset of each corpus")
    parser.add_argument(
        "--batch", type=int, default=50_000, help="synthetic articles consolidated (0 to skip)"
    )
    parser.add_argument(
        "--stream", type=int, default=200_000, help="synthetic stream length (0 to skip)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    code = code_version()
    try:
        folder = data_folder(args.data)
        corpora = [load_gva(folder), load_ecbplus(folder)]
    except DataNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.quick:
        corpora = [head(corpus, QUICK_SIZES[corpus.name]) for corpus in corpora]
    rows: list[Row] = []
    tuning: dict[str, Any] = {}
    for corpus in corpora:
        corpus_rows, tuning[corpus.name] = evaluate_corpus(corpus)
        rows += corpus_rows
        print(f"{corpus.name} done", file=sys.stderr)
    print_table(rows)
    seeds = ecbplus_seeds(folder, ORDER_SEEDS) if not args.quick else None
    batch = batch_report(args.batch)
    stream = stream_report(args.stream)
    payload = {
        "benchmark": "clustering",
        "code": code,
        "machine": machine_info(),
        "parameters": {
            "quick": args.quick,
            "thresholds": THRESHOLDS,
            "window_days": WINDOW_DAYS,
            "ecbplus_seed": ECBPLUS_SEED,
        },
        "corpora": [describe(corpus) for corpus in corpora],
        "tfidf_tuning": tuning,
        "rows": [row.to_dict() for row in rows],
        "ecbplus_default_f1_by_seed": seeds,
        "batch": batch,
        "stream": stream,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
