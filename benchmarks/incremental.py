"""Incremental events: quality against the rebuild, id stability, and cost as a store grows.

    python benchmarks/incremental.py [--data DIR] [--stream 200000] [--batch 1000]
                                     [--skip-real] [--out benchmarks/results/incremental.json]

**Real corpora.** GVA is replayed into a fresh store in daily batches (articles of one
publication day each), ECB+ (undated) in batches of ``--ecb-batch`` in its seeded order; after
each batch the store's events are brought up to date incrementally. The final events are
scored with B-cubed against the gold, then ``cluster --rebuild`` runs on the same store and is
scored the same way (target: incremental within 0.005 of the rebuild). Id stability: of the
events with two or more articles before a batch, the share whose id still names an event
after it (target at least 0.95), over all batches.

**Scale.** ``--stream`` synthetic articles (``synthetic_event_stream``) go into a store in
batches of ``--batch``; each batch's time (storing the articles and updating the events), its CPU
time, and the process's RSS are recorded. Target: the median batch time around 190k stored
within 1.5x of that around 10k, and RSS flat. On a shared machine the CPU time is the steadier
figure (wall time counts the other processes' turns too); both are printed.

Articles are stored directly (``add_article``), so the figures are those of clustering, not of
reading files. The corpora are read from the shared folder and never copied.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from corpora import DataNotFoundError, LabelledArticle, data_folder, load_ecbplus, load_gva
from ingest import code_version, machine_info
from newsweave.evaluate import score_clustering
from newsweave.events.incremental import update_events
from newsweave.model import Article, Published
from newsweave.store import SQLiteStore, open_store
from newsweave.synth import synthetic_event_stream

DEFAULT_OUT = Path(__file__).parent / "results" / "incremental.json"


def _article(item: LabelledArticle) -> Article:
    published = Published.of_day(item.published) if item.published else None
    return Article(item.id, item.title, item.text, "corpus", "benchmark", published=published)


def _store(articles: Iterable[Article], store: SQLiteStore) -> None:
    with store.transaction():
        for article in articles:
            store.add_article(article, b"")


def _query(store: SQLiteStore, sql: str) -> list[tuple[Any, ...]]:
    """Rows read on a connection of the benchmark's own (the store offers no raw SQL)."""
    with sqlite3.connect(store.location) as db:
        return db.execute(sql).fetchall()


def _events_by_size(store: SQLiteStore) -> dict[str, int]:
    rows = _query(store, "SELECT id, size FROM events")
    return {str(r[0]): int(r[1]) for r in rows}


def _scores(store: SQLiteStore, items: Sequence[LabelledArticle]) -> dict[str, float]:
    event_of = dict(_query(store, "SELECT article_id, event_id FROM article_events"))
    predicted = [event_of.get(item.id, item.id) for item in items]
    scores = score_clustering(predicted, [item.gold for item in items])
    bcubed = scores.bcubed
    return {"precision": bcubed.precision, "recall": bcubed.recall, "f1": bcubed.f1,
            "events": scores.predicted_clusters}  # fmt: skip


def replay(name: str, batches: list[list[LabelledArticle]]) -> dict[str, Any]:
    """Replay batches into a fresh store; score incremental and rebuilt events."""
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "replay.db")
        kept = total = 0
        times: list[float] = []
        for batch in batches:
            before = {e for e, size in _events_by_size(store).items() if size >= 2}
            started = time.perf_counter()
            _store((_article(item) for item in batch), store)
            update_events(store)
            times.append(time.perf_counter() - started)
            after = set(_events_by_size(store))
            kept += len(before & after)
            total += len(before)
        items = [item for batch in batches for item in batch]
        incremental = _scores(store, items)
        started = time.perf_counter()
        update_events(store, rebuild=True)
        rebuild_seconds = time.perf_counter() - started
        rebuilt = _scores(store, items)
        store.close()
    result = {
        "corpus": name, "articles": len(items), "batches": len(batches),
        "incremental": incremental, "rebuild": rebuilt,
        "f1_gap": round(rebuilt["f1"] - incremental["f1"], 4),
        "ids_kept": kept / total if total else 1.0, "events_followed": total,
        "median_batch_seconds": statistics.median(times), "all_batches_seconds": sum(times),
        "rebuild_seconds": rebuild_seconds,
    }  # fmt: skip
    print(
        f"{name}: {len(items)} articles in {len(batches)} batches; B-cubed F1 incremental "
        f"{incremental['f1']:.3f} (P {incremental['precision']:.3f} R {incremental['recall']:.3f})"
        f", rebuild {rebuilt['f1']:.3f}; gap {result['f1_gap']:+.4f}; ids kept "
        f"{result['ids_kept']:.3f} of {total}; batches {sum(times):.1f} s, rebuild "
        f"{rebuild_seconds:.1f} s"
    )
    return result


def gva_batches(items: list[LabelledArticle]) -> list[list[LabelledArticle]]:
    days: dict[object, list[LabelledArticle]] = defaultdict(list)
    for item in items:
        days[item.published].append(item)
    return [days[day] for day in sorted(days, key=str)]


def in_batches(items: Sequence[LabelledArticle], size: int) -> list[list[LabelledArticle]]:
    return [list(items[start : start + size]) for start in range(0, len(items), size)]


def _stream_articles(count: int) -> Iterator[Article]:
    for record in synthetic_event_stream(count, seed=7):
        published = Published(datetime.fromisoformat(record["published"]))
        article = Article(
            record["id"], record["headline"], record["body"], record["outlet"], "benchmark",
            published=published,
        )  # fmt: skip
        yield article


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def stream(count: int, batch: int) -> dict[str, Any]:
    """Stream ``count`` synthetic articles into a store in batches; time and RSS per batch."""
    rows: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "stream.db")
        source = _stream_articles(count)
        stored = 0
        while chunk := list(islice(source, batch)):
            started, cpu = time.perf_counter(), time.process_time()
            _store(chunk, store)
            update_events(store)
            seconds = time.perf_counter() - started
            stored += len(chunk)
            cpu = time.process_time() - cpu
            rows.append(
                {
                    "stored": stored,
                    "seconds": seconds,
                    "cpu_seconds": cpu,
                    "rss_mb": _current_rss_mb(),
                }
            )
            if len(rows) % 10 == 0:
                rss, cpu = rows[-1]["rss_mb"], rows[-1]["cpu_seconds"]
                print(f"  {stored:>7} stored: batch {seconds:.2f} s ({cpu:.2f} s CPU), RSS "
                      f"{rss:.0f} MB", flush=True)  # fmt: skip
        size_mb = Path(store.location).stat().st_size / 2**20
        store.close()
    return _stream_summary(rows, batch, size_mb)


def _stream_summary(rows: list[dict[str, float]], batch: int, size_mb: float) -> dict[str, Any]:
    def around(stored: float, key: str) -> float:
        near = [r[key] for r in rows if abs(r["stored"] - stored) <= 5 * batch]
        return statistics.median(near) if near else float("nan")

    end = rows[-1]["stored"] - 10_000
    early, late = around(10_000, "seconds"), around(end, "seconds")
    cpu_early, cpu_late = around(10_000, "cpu_seconds"), around(end, "cpu_seconds")
    rss_early = statistics.median(r["rss_mb"] for r in rows if r["stored"] <= 20_000)
    rss_late = statistics.median(r["rss_mb"] for r in rows[-20:])
    result = {
        "articles": rows[-1]["stored"], "batch": batch,
        "median_batch_seconds_near_10k": early,
        "median_batch_seconds_near_end": late, "ratio": late / early,
        "median_batch_cpu_seconds_near_10k": cpu_early,
        "median_batch_cpu_seconds_near_end": cpu_late, "cpu_ratio": cpu_late / cpu_early,
        "rss_mb_early": rss_early, "rss_mb_late": rss_late,
        "store_mb": size_mb, "batches": rows,
    }  # fmt: skip
    print(
        f"stream: {int(rows[-1]['stored'])} articles in batches of {batch}: median batch "
        f"{early:.2f} s near 10k, {late:.2f} s near the end (ratio {late / early:.2f}); CPU "
        f"{cpu_early:.2f} s and {cpu_late:.2f} s (ratio {cpu_late / cpu_early:.2f}); RSS "
        f"{rss_early:.0f} MB early, {rss_late:.0f} MB late; store "
        f"{size_mb:.0f} MB"
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path)
    parser.add_argument("--stream", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--ecb-batch", type=int, default=25)
    parser.add_argument("--skip-real", action="store_true")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"machine": machine_info(), "code": code_version()}
    if not args.skip_real:
        try:
            folder = data_folder(args.data)
        except DataNotFoundError as error:
            print(error, file=sys.stderr)
            return 2
        gva = load_gva(folder).articles
        result["gva"] = replay("GVA", gva_batches(gva))
        ecb = load_ecbplus(folder).articles
        result["ecbplus"] = replay("ECB+", in_batches(ecb, args.ecb_batch))
    if args.stream:
        result["stream"] = stream(args.stream, args.batch)
    result["peak_rss_mb"] = _rss_mb()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
