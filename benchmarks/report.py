"""Time ``newsweave report`` on a store of generated news.

Builds a store of ``--articles`` generated news-like articles (names, quotes, numbers,
dates; about 520 words each) through the normal ingest path (annotation and clustering
included), unless ``--db`` names one that exists, then times ``newsweave report`` on it as a
separate process, with its peak RSS. Target: under 2 minutes for 5,000 articles on 2 cores.

    python benchmarks/report.py [--articles 5000] [--db store.db] [--out results/report.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from newsweave import Newsweave
from newsweave.synth import synthetic_news

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "report.json"


def build_store(db: Path, articles: int) -> dict[str, Any]:
    started = time.perf_counter()
    with Newsweave(db) as news:
        news.add(synthetic_news(articles, seed=5))
        stats = news.stats()
    return {
        "articles": stats["articles"],
        "events": stats["events"],
        "actors": stats["actors"],
        "build_seconds": round(time.perf_counter() - started, 1),
    }


def time_report(db: Path, folder: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "newsweave", "report", "--db", str(db), "--out", str(folder)]
    started = time.perf_counter()
    subprocess.run([*command, "--quiet"], check=True)
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = len(list((folder / "events").glob("*.html"))) + len(
        list((folder / "actors").glob("*.html"))
    )
    return {"report_seconds": round(seconds, 1), "pages": pages, "peak_rss_mib": round(rss, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--db", type=Path, help="Reuse (or create) this store.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "report.db"
        store = {"reused": True} if db.exists() else build_store(db, args.articles)
        result = {"store": store, **time_report(db, Path(scratch) / "site")}
    print(json.dumps(result, indent=2))
    target = "within" if result["report_seconds"] < 120 else "OVER"
    print(f"report: {result['report_seconds']} s for {result['pages']} pages ({target} 2 min)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
