"""Load ``newsweave serve`` on loopback: latency and throughput of the event page and search.

Builds a store of ``--articles`` generated news-like articles (the same store as
benchmarks/report.py) unless ``--db`` names one that exists, starts ``newsweave serve`` on it
as a separate process, and drives it from this process with a Python load generator:

- **paced**: requests go out on a fixed schedule at ``--rate`` per second for ``--seconds``
  (open loop). Latency is measured from the moment each request was due, so a server that
  falls behind is charged for the queue it builds (no coordinated omission).
- **saturation**: ``--concurrency`` clients send back to back for ``--seconds``; requests/s is
  the most the server answers.

Each scenario runs for the event page (every event with 2 or more articles) and for search
(a phrase search for each of the 200 most named actors, through the search page): first each
URL once, one at a time (nothing cached yet: the page is computed), then paced and saturating
runs over random picks from the same URLs (answers are cached until the store changes). A last
paced run sends searches never asked before (two names each), so none is answered from cache.

Before those, **first visits right after an ingest**: the next ``--after-ingest`` articles
of the same generated stream are ingested (read and annotate, cluster, make the comparisons
of the events that changed, each step timed), then a fresh server, with no warm-up, gets 200
distinct event pages (a seeded sample of every event, one-article ones included) once each,
one at a time. Target: p99 < 50 ms. When the store is built here, making every event's
comparison is timed the same way (the cost per event).

Target: p99 < 100 ms at 200 requests/s on 2 cores. The load
generator shares those 2 cores with the server. Every loop is bounded in count and time and
only talks to 127.0.0.1.

    python benchmarks/serve.py [--articles 5000] [--db store.db] [--rate 200] [--seconds 20]
                               [--concurrency 8] [--after-ingest 100] [--out results/serve.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

import httpx

from ingest import code_version, machine_info
from newsweave import Newsweave
from newsweave.synth import synthetic_news
from newsweave.web.process import serving

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "serve.json"
TARGET_P99_MS = 100.0
TARGET_AFTER_INGEST_P99_MS = 50.0
AFTER_INGEST_PAGES = 200
MAX_REQUESTS = 50_000  # a hard bound on any one run, whatever the options say
SEARCH_NAMES = 200
SEED = 5  # the stream of benchmarks/report.py's store


@dataclass
class Run:
    """The outcome of one load run."""

    latencies: list[float] = field(default_factory=list)  # seconds
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        done = len(ordered)
        return {
            "requests": done,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "requests_per_second": round(done / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(_quantile(ordered, 0.50) * 1000, 1),
            "p90_ms": round(_quantile(ordered, 0.90) * 1000, 1),
            "p99_ms": round(_quantile(ordered, 0.99) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1) if ordered else 0.0,
        }


def _quantile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ingest_timed(db: Path, start: int, count: int) -> dict[str, Any]:
    """Ingest records ``start`` to ``start + count`` of the generated stream the way an
    ingest does (read and annotate, cluster, make the comparisons of the events that
    changed), timing each step."""
    records = list(islice(synthetic_news(start + count, seed=SEED), start, None))
    with Newsweave(db) as news:
        began = time.perf_counter()
        report = news.add(records, cluster=False)
        read = time.perf_counter()
        news.cluster()
        clustered = time.perf_counter()
        made = news.refresh_comparisons()
        done = time.perf_counter()
        stats = news.stats()
    return {
        "records": count,
        "new": report.new,
        "read_and_annotate_seconds": round(read - began, 1),
        "cluster_seconds": round(clustered - read, 1),
        "comparisons_made": made,
        "comparing_seconds": round(done - clustered, 2),
        "ms_per_comparison": round((done - clustered) * 1000 / made, 1) if made else None,
        "articles": stats["articles"],
        "events": stats["events"],
        "actors": stats["actors"],
        "build_seconds": round(done - began, 1),
    }


def records_stored(db: Path) -> int:
    """How many records of the stream the store holds (one sighting each)."""
    with Newsweave(db, read_only=True) as news:
        return int(news.stats()["sightings"])


def after_ingest_targets(db: Path) -> tuple[list[str], dict[str, int]]:
    """A seeded sample of distinct events (one-article ones too), and what they are."""
    with Newsweave(db, read_only=True) as news:
        events = news.events(limit=100_000)
        stale = set(news.store.comparisons.stale_ids(news.compare_context().salt))
    picked = random.Random(SEED).sample(events, min(AFTER_INGEST_PAGES, len(events)))
    kinds = {
        "events_in_store": len(events),
        "one_article": sum(e.size == 1 for e in picked),
        "kept_current": sum(e.id not in stale for e in picked),
    }
    return [e.id for e in picked], kinds


def after_ingest(db: Path, ingested: dict[str, Any]) -> dict[str, Any]:
    """First visits of distinct event pages, one at a time, from a fresh server started
    right after an ingest (nothing cached, no warm-up)."""
    events, kinds = after_ingest_targets(db)
    with serving(str(db)) as base:
        first = asyncio.run(first_visits(base, [f"/events/{e}" for e in events])).summary()
    verdict = "meets" if first["p99_ms"] < TARGET_AFTER_INGEST_P99_MS else "MISSES"
    print(
        f"after an ingest of {ingested['new']} articles ({ingested['comparisons_made']} "
        f"comparisons made in {ingested['comparing_seconds']} s): first visits of "
        f"{first['requests']} event pages: p50 {first['p50_ms']} ms, p99 {first['p99_ms']} ms "
        f"({verdict} p99 < {TARGET_AFTER_INGEST_P99_MS:.0f} ms), max {first['max_ms']} ms",
        flush=True,
    )
    return {"ingest": ingested, "pages": kinds, "first_visits": first}


def load_targets(db: Path) -> tuple[list[str], list[str]]:
    """The ids of every event of 2+ articles, and the names of the most named actors."""
    with Newsweave(db, read_only=True) as news:
        events = [e.id for e in news.events(limit=100_000) if e.size >= 2]
        names = [a.name for a in news.actors(limit=SEARCH_NAMES)]
    if not events or not names:
        raise SystemExit(f"{db}: no events of 2+ articles or no actors to search for")
    return events, names


def search_url(query: str) -> str:
    return "/search?" + str(httpx.QueryParams({"q": query}))


async def _one(client: httpx.AsyncClient, url: str, due: float, run: Run) -> None:
    try:
        answer = await client.get(url)
    except httpx.HTTPError as error:
        run.error(type(error).__name__)
        return
    if answer.status_code != 200:
        run.error(f"HTTP {answer.status_code}")
        return
    run.latencies.append(time.perf_counter() - due)


URLMaker = Callable[[random.Random], str]


async def paced(base: str, make: URLMaker, rate: float, seconds: float, seed: int) -> Run:
    """Open loop: one request every 1/rate s, each timed from when it was due."""
    rng, run = random.Random(seed), Run()
    total = min(MAX_REQUESTS, int(rate * seconds))
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        started = time.perf_counter()
        tasks = []
        for number in range(total):
            due = started + number / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(_one(client, make(rng), due, run)))
        await asyncio.gather(*tasks)
        run.seconds = time.perf_counter() - started
    return run


async def saturate(base: str, make: URLMaker, clients: int, seconds: float, seed: int) -> Run:
    """Closed loop: ``clients`` workers send back to back until time is up."""
    rng, run = random.Random(seed), Run()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        started = time.perf_counter()
        deadline = started + seconds

        async def worker() -> None:
            for _ in range(MAX_REQUESTS // clients):
                if time.perf_counter() >= deadline:
                    return
                await _one(client, make(rng), time.perf_counter(), run)

        await asyncio.gather(*(worker() for _ in range(clients)))
        run.seconds = time.perf_counter() - started
    return run


async def first_visits(base: str, urls: list[str]) -> Run:
    """Each URL once, one at a time: what a page costs before any answer is cached."""
    run = Run()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        started = time.perf_counter()
        for url in urls[:MAX_REQUESTS]:
            await _one(client, url, time.perf_counter(), run)
        run.seconds = time.perf_counter() - started
    return run


def measure(
    base: str, events: list[str], names: list[str], args: argparse.Namespace
) -> dict[str, Any]:
    scenarios = {
        "event_page": [f"/events/{event}" for event in events],
        "search": [search_url(f'"{name}"') for name in names],
    }
    results: dict[str, Any] = {}
    for name, urls in scenarios.items():
        first = asyncio.run(first_visits(base, urls)).summary()
        print(
            f"{name:<11} first visits of {first['requests']} URLs: p50 {first['p50_ms']} ms, "
            f"p99 {first['p99_ms']} ms, {first['requests_per_second']} req/s",
            flush=True,
        )
        make = partial(_pick, urls)
        at_rate = asyncio.run(paced(base, make, args.rate, args.seconds, seed=1)).summary()
        most = asyncio.run(saturate(base, make, args.concurrency, args.seconds, seed=2)).summary()
        results[name] = {"first_visits": first, "paced": at_rate, "saturation": most}
        print(_line(name, at_rate, most, args.rate), flush=True)
    cold = asyncio.run(paced(base, _unseen_searches(names), args.rate, args.seconds, seed=3))
    # the names the other way round make other URLs, so none of these was asked either
    unseen = _unseen_searches(names[::-1])
    most = asyncio.run(saturate(base, unseen, args.concurrency, args.seconds, seed=4)).summary()
    results["search_never_cached"] = {"paced": cold.summary(), "saturation": most}
    print(_cold_line(cold.summary(), most, args.rate), flush=True)
    return results


def _unseen_searches(names: list[str]) -> URLMaker:
    """Each call a search not asked before (two names, either one), so no answer is cached."""
    pairs = ((a, b) for number, a in enumerate(names) for b in names[number + 1 :])

    def make(_: random.Random) -> str:
        first, second = next(pairs)
        return search_url(f'"{first}" OR "{second}"')

    return make


def _cold_line(at_rate: dict[str, Any], most: dict[str, Any], rate: float) -> str:
    return (
        f"search, never cached, at {rate:.0f} req/s: p50 {at_rate['p50_ms']} ms, "
        f"p99 {at_rate['p99_ms']} ms, errors {sum(at_rate['errors'].values())}; "
        f"saturated: {most['requests_per_second']} req/s, p50 {most['p50_ms']} ms"
    )


def _pick(urls: list[str], rng: random.Random) -> str:
    return rng.choice(urls)


def _line(name: str, at_rate: dict[str, Any], most: dict[str, Any], rate: float) -> str:
    verdict = "meets" if at_rate["p99_ms"] < TARGET_P99_MS else "MISSES"
    return (
        f"{name:<11} at {rate:.0f} req/s: p50 {at_rate['p50_ms']} ms, p99 {at_rate['p99_ms']} ms "
        f"({verdict} p99 < {TARGET_P99_MS:.0f} ms), errors {sum(at_rate['errors'].values())}; "
        f"saturated: {most['requests_per_second']} req/s, p50 {most['p50_ms']} ms, "
        f"p99 {most['p99_ms']} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--db", type=Path, help="Reuse (or create) this store.")
    parser.add_argument("--rate", type=float, default=200.0, help="Paced requests per second.")
    parser.add_argument("--seconds", type=float, default=20.0, help="Length of each run.")
    parser.add_argument("--concurrency", type=int, default=8, help="Clients when saturating.")
    parser.add_argument(
        "--after-ingest", type=int, default=100, help="Articles ingested before first visits."
    )
    parser.add_argument(
        "--after-ingest-only", action="store_true", help="Skip the load runs after it."
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "serve.db"
        store = {"reused": True} if db.exists() else ingest_timed(db, 0, args.articles)
        ingested = ingest_timed(db, records_stored(db), args.after_ingest)
        results = {"event_page_after_ingest": after_ingest(db, ingested)}
        if not args.after_ingest_only:
            events, names = load_targets(db)
            with serving(str(db)) as base:
                results |= measure(base, events, names, args)
    report = {
        "benchmark": "serve",
        "code_version": code_version(),
        "machine": machine_info(),
        "store": store,
        "settings": {k: v for k, v in vars(args).items() if k not in ("db", "out")},
        "target": f"p99 < {TARGET_P99_MS:.0f} ms at 200 requests/s; first visits of "
        f"{AFTER_INGEST_PAGES} event pages right after an ingest: "
        f"p99 < {TARGET_AFTER_INGEST_P99_MS:.0f} ms",
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
