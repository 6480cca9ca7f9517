"""Ingest throughput: synthetic JSONL records and HTML pages through the real CLI, and the
GVA corpus exactly as it comes from the shared data folder.

Each run is a separate ``python -m newsweave ingest`` process, timed by wall clock, with
its peak RSS taken from ``os.wait4``. The machine is shared and noisy, so the table quotes
medians over repeats; the JSON keeps every run. Scenarios: a fresh JSONL, the same JSONL
again (already stored), the same records with changed outlets and urls (updates), HTML.

The GVA run (skipped with ``--no-gva`` or when the data is missing) ingests
``articles.jsonl.gz`` untouched, clusters it (no annotation) and scores the store: outlets
(none may be ``web.archive.org``; the share that is the publisher's own), duplicate groups
that span two gold incidents (must be 0), input ids missing from ``events export``, thin
articles, and the B-cubed F1 of the events against the gold incidents, record by record.

    python benchmarks/ingest.py [--records 20000] [--pages 2000] [--repeats 3]
                                [--data ../shared/data] [--no-gva]
                                [--out benchmarks/results/ingest.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from corpora import GVA_FILE, DataNotFoundError, data_folder
from newsweave.evaluate import score_clustering
from newsweave.synth import synthetic_records, write_html_pages, write_jsonl

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "ingest.json"
REPORT_KEYS = (
    "read", "new", "duplicates", "already_stored", "updated", "copies", "thin", "skipped",
)  # fmt: skip
ARCHIVE_HOST = "web.archive.org"
KIB_PER_MIB = 1024


@dataclass(frozen=True)
class Inputs:
    """The generated input files, made once and shared by all runs."""

    jsonl: Path
    changed: Path  # the same records with other outlets and urls
    pages: Path
    records: int
    page_count: int


@dataclass(frozen=True)
class Run:
    """One child process: wall time, peak RSS and the counts it reported."""

    seconds: float
    peak_rss_mib: float
    report: dict[str, int]
    outlet_sources: dict[str, int] = field(default_factory=dict)

    @property
    def articles_per_second(self) -> float:
        return self.report["read"] / self.seconds


@dataclass
class Scenario:
    """All runs of one scenario, and the figures quoted from them."""

    name: str
    articles: int
    runs: list[Run] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        rates = [run.articles_per_second for run in self.runs]
        last = self.runs[-1].report
        return {
            "scenario": self.name,
            "articles": self.articles,
            "median_seconds": statistics.median(run.seconds for run in self.runs),
            "median_articles_per_second": statistics.median(rates),
            "min_articles_per_second": min(rates),
            "max_articles_per_second": max(rates),
            "peak_rss_mib": max(run.peak_rss_mib for run in self.runs),
            "complete": all(run.report["read"] == self.articles for run in self.runs),
            "counts": {key: last[key] for key in REPORT_KEYS},
            "outlet_sources": self.runs[-1].outlet_sources,
        }

    def to_dict(self) -> dict[str, Any]:
        raw = [{**asdict(run), "articles_per_second": run.articles_per_second} for run in self.runs]
        return {**self.summary(), "runs": raw}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--records", type=int, default=20_000, help="JSONL records")
    parser.add_argument("--pages", type=int, default=2_000, help="HTML pages")
    parser.add_argument("--repeats", type=int, default=3, help="runs per scenario")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="JSON results file")
    parser.add_argument("--data", type=Path, default=None, help="the shared data folder")
    parser.add_argument("--no-gva", action="store_true", help="skip the GVA corpus run")
    args = parser.parse_args(argv)
    if min(args.records, args.pages, args.repeats) < 1:
        parser.error("--records, --pages and --repeats must be at least 1")
    return args


def make_inputs(folder: Path, records: int, pages: int) -> Inputs:
    jsonl = write_jsonl(folder / "articles.jsonl", records)
    changed = folder / "articles-changed.jsonl"
    with changed.open("w", encoding="utf-8") as handle:
        for record in synthetic_records(records):
            record["outlet"] = f"{record['outlet']} Online"
            handle.write(json.dumps(record) + "\n")
    html = write_html_pages(folder / "pages", pages)
    return Inputs(jsonl=jsonl, changed=changed, pages=html, records=records, page_count=pages)


def run_ingest(source: Path, db: Path, *, cluster: bool = False) -> Run:
    """Ingest ``source`` into ``db`` in a child process; reap it with ``wait4`` for its RSS."""
    command = [sys.executable, "-m", "newsweave", "ingest", str(source)]
    # clustering.py and annotation.py time the later stages
    command += ["--db", str(db), "--quiet", "--json", "--no-annotate"]
    command += [] if cluster else ["--no-cluster"]
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr)
        assert child.stdout is not None
        stdout = child.stdout.read()  # drain before reaping, so the child cannot block
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.stdout.close()
        child.returncode = os.waitstatus_to_exitcode(status)  # stop Popen reaping it again
        stderr.seek(0)
        errors = stderr.read().decode(errors="replace")
    # Exit status 1 only means something was skipped; the counts show how much.
    if child.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} exited {child.returncode}:\n{errors}")
    report = json.loads(stdout)
    counts = {key: int(report[key]) for key in REPORT_KEYS}
    rss = usage.ru_maxrss / KIB_PER_MIB  # ru_maxrss is KiB on Linux
    return Run(seconds, rss, counts, dict(report.get("outlet_sources", {})))


def run_repeat(inputs: Inputs, scenarios: dict[str, Scenario], folder: Path) -> None:
    """One round of every scenario, each into its own fresh store."""
    jsonl_db, html_db = folder / "jsonl.db", folder / "html.db"
    scenarios["jsonl"].runs.append(run_ingest(inputs.jsonl, jsonl_db))
    scenarios["jsonl re-ingest"].runs.append(run_ingest(inputs.jsonl, jsonl_db))
    scenarios["jsonl updated"].runs.append(run_ingest(inputs.changed, jsonl_db))
    scenarios["html"].runs.append(run_ingest(inputs.pages, html_db))


def gva_figures(data: Path, folder: Path) -> dict[str, Any]:
    """Ingest GVA as it comes (clustered, not annotated) and score what the store holds."""
    source = data / GVA_FILE
    db = folder / "gva.db"
    run = run_ingest(source, db, cluster=True)
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        gold = {r["id"]: str(r["incident_ids"][0]) for r in map(json.loads, lines) if r}
    places = incident_places(data / GVA_FILE.parent / "incidents.jsonl")
    export = subprocess.run(
        [sys.executable, "-m", "newsweave", "events", "export", "--db", str(db)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rows = [json.loads(line) for line in export.splitlines()]
    return {
        "articles_per_second": run.articles_per_second,
        "seconds": run.seconds,
        "peak_rss_mib": run.peak_rss_mib,
        "counts": run.report,
        "outlet_sources": run.outlet_sources,
        **gva_scores(rows, gold, places),
    }


def incident_places(path: Path) -> dict[str, tuple[str, str, str]]:
    """Incident -> (date, city, address): GVA lists some incidents twice under two ids."""
    places = {}
    with path.open(encoding="utf-8") as lines:
        for record in map(json.loads, lines):
            where = (record["incident_date"], record["state"], record["address"])
            places[str(record["incident_id"])] = where
    return places


def gva_scores(
    rows: list[dict[str, Any]],
    gold: dict[str, str],
    places: dict[str, tuple[str, str, str]] | None = None,
) -> dict[str, Any]:
    """Outlets, duplicate groups, export coverage and clustering of the exported rows.

    A duplicate group (the records stored as one article) spans two incidents when its
    records' gold incidents differ; it spans two *distinct* incidents when those also
    differ in date, state or address (GVA lists a few incidents twice).
    """
    places = places or {}
    incidents: dict[str, set[str]] = {}
    for row in rows:
        incidents.setdefault(row["article_id"], set()).add(gold.get(row["input_id"], "?"))
    clustered = {row["input_id"]: row["event_id"] for row in rows if row["event_id"]}
    ids = sorted(gold)
    scores = score_clustering(
        [clustered.get(i) or f"missing-{i}" for i in ids], [gold[i] for i in ids]
    )
    archive = sum(1 for row in rows if row["outlet"] == ARCHIVE_HOST)
    publisher = sum(1 for row in rows if row["outlet"] not in (ARCHIVE_HOST, "unknown"))
    return {
        "records": len(gold),
        "export_rows": len(rows),
        "ids_missing_from_export": len(set(gold) - set(clustered)),
        "outlets": len({row["outlet"] for row in rows}),
        "archive_outlet_rows": archive,
        "publisher_outlet_share": publisher / max(len(rows), 1),
        "articles": len(incidents),
        "groups_of_several_records": sum(
            1 for n in Counter(r["article_id"] for r in rows).values() if n > 1
        ),
        "groups_spanning_incidents": sum(1 for found in incidents.values() if len(found) > 1),
        "groups_spanning_distinct_incidents": sum(
            1 for found in incidents.values() if len({places.get(i, i) for i in found}) > 1
        ),
        "thin_rows": sum(1 for row in rows if row.get("thin")),
        "bcubed_f1": scores.bcubed.f1,
        "bcubed_precision": scores.bcubed.precision,
        "bcubed_recall": scores.bcubed.recall,
        "events": scores.predicted_clusters,
    }


def code_version() -> dict[str, Any]:
    """The checked-out commit and whether tracked files differ from it (best effort)."""
    here = Path(__file__).parent

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(["git", *args], cwd=here, capture_output=True, text=True)
        except OSError:
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=no")
    return {"commit": git("rev-parse", "HEAD"), "dirty": None if status is None else bool(status)}


def machine_info() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
    }


COLUMNS = (  # heading, summary key, format spec (alignment, width, precision)
    ("scenario", "scenario", "<16"),
    ("articles", "articles", ">8"),
    ("median s", "median_seconds", ">9.2f"),
    ("median a/s", "median_articles_per_second", ">11.0f"),
    ("min a/s", "min_articles_per_second", ">9.0f"),
    ("max a/s", "max_articles_per_second", ">9.0f"),
    ("peak RSS MiB", "peak_rss_mib", ">13.1f"),
)


def print_table(scenarios: list[Scenario]) -> None:
    """Medians and ranges over repeats; the peak RSS is the largest of any run."""
    print(" ".join(f"{heading:{spec.split('.')[0]}}" for heading, _, spec in COLUMNS))
    for scenario in scenarios:
        row = scenario.summary()
        line = " ".join(f"{row[key]:{spec}}" for _, key, spec in COLUMNS)
        print(line + ("" if row["complete"] else "  (incomplete: see JSON)"))


def run_gva(data: Path | None, folder: Path) -> dict[str, Any] | None:
    try:
        found = data_folder(data)
    except DataNotFoundError as error:
        print(f"GVA skipped: {error}", file=sys.stderr)
        return None
    print("GVA: ingesting the corpus as it comes, then clustering", file=sys.stderr)
    return gva_figures(found, folder)


def print_gva(gva: dict[str, Any]) -> None:
    print(
        f"GVA as it comes: {gva['records']} records, {gva['articles']} articles, "
        f"{gva['articles_per_second']:.0f} articles/s (ingest + clustering)\n"
        f"  outlets {gva['outlets']}; rows with outlet web.archive.org "
        f"{gva['archive_outlet_rows']}; publisher's own outlet "
        f"{gva['publisher_outlet_share']:.1%}\n"
        f"  duplicate groups {gva['groups_of_several_records']}, spanning two incidents "
        f"{gva['groups_spanning_incidents']} (distinct in date and address: "
        f"{gva['groups_spanning_distinct_incidents']}); thin rows {gva['thin_rows']}; "
        f"ids missing from export {gva['ids_missing_from_export']}\n"
        f"  B-cubed F1 {gva['bcubed_f1']:.4f} (P {gva['bcubed_precision']:.4f} / "
        f"R {gva['bcubed_recall']:.4f}), {gva['events']} events"
    )


def write_results(
    path: Path,
    args: argparse.Namespace,
    code: dict[str, Any],
    scenarios: list[Scenario],
    gva: dict[str, Any] | None = None,
) -> None:
    payload = {
        "benchmark": "ingest",
        "code": code,
        "machine": machine_info(),
        "parameters": {"records": args.records, "pages": args.pages, "repeats": args.repeats},
        "scenarios": [scenario.to_dict() for scenario in scenarios],
        "gva": gva,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    code = code_version()  # before the runs: the editable install may change under them
    with tempfile.TemporaryDirectory(prefix="newsweave-bench-") as tmp:
        started = time.perf_counter()
        inputs = make_inputs(Path(tmp), args.records, args.pages)
        elapsed = time.perf_counter() - started
        print(
            f"inputs: {args.records} records, {args.pages} pages in {elapsed:.1f} s",
            file=sys.stderr,
        )
        scenarios = {
            "jsonl": Scenario("jsonl", inputs.records),
            "jsonl re-ingest": Scenario("jsonl re-ingest", inputs.records),
            "jsonl updated": Scenario("jsonl updated", inputs.records),
            "html": Scenario("html", inputs.page_count),
        }
        for repeat in range(args.repeats):
            with tempfile.TemporaryDirectory(dir=tmp) as stores:
                run_repeat(inputs, scenarios, Path(stores))
            print(f"repeat {repeat + 1}/{args.repeats} done", file=sys.stderr)
        gva = None if args.no_gva else run_gva(args.data, Path(tmp))
    print_table(list(scenarios.values()))
    for scenario in scenarios.values():
        counts = scenario.summary()["counts"]
        print(f"{scenario.name}: " + " · ".join(f"{k} {v}" for k, v in counts.items()))
    if gva is not None:
        print_gva(gva)
    write_results(args.out, args, code, list(scenarios.values()), gva)
    print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
