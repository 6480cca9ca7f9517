"""Ingest throughput: synthetic JSONL records and HTML pages through the real CLI.

Each run is a separate ``python -m newsweave ingest`` process, timed by wall clock, with
its peak RSS taken from ``os.wait4``. The machine is shared and noisy, so the table quotes
medians over repeats; the JSON keeps every run.

    python benchmarks/ingest.py [--records 20000] [--pages 2000] [--repeats 3]
                                [--out benchmarks/results/ingest.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsweave.synth import write_html_pages, write_jsonl

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "ingest.json"
REPORT_KEYS = ("read", "new", "duplicates", "already_stored", "copies", "skipped")
KIB_PER_MIB = 1024


@dataclass(frozen=True)
class Inputs:
    """The generated input files, made once and shared by all runs."""

    jsonl: Path
    pages: Path
    records: int
    page_count: int


@dataclass(frozen=True)
class Run:
    """One child process: wall time, peak RSS and the counts it reported."""

    seconds: float
    peak_rss_mib: float
    report: dict[str, int]

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
        return {
            "scenario": self.name,
            "articles": self.articles,
            "median_seconds": statistics.median(run.seconds for run in self.runs),
            "median_articles_per_second": statistics.median(rates),
            "min_articles_per_second": min(rates),
            "max_articles_per_second": max(rates),
            "peak_rss_mib": max(run.peak_rss_mib for run in self.runs),
            "complete": all(run.report["read"] == self.articles for run in self.runs),
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
    args = parser.parse_args(argv)
    if min(args.records, args.pages, args.repeats) < 1:
        parser.error("--records, --pages and --repeats must be at least 1")
    return args


def make_inputs(folder: Path, records: int, pages: int) -> Inputs:
    jsonl = write_jsonl(folder / "articles.jsonl", records)
    html = write_html_pages(folder / "pages", pages)
    return Inputs(jsonl=jsonl, pages=html, records=records, page_count=pages)


def run_ingest(source: Path, db: Path) -> Run:
    """Ingest ``source`` into ``db`` in a child process; reap it with ``wait4`` for its RSS."""
    command = [sys.executable, "-m", "newsweave", "ingest", str(source)]
    # clustering.py and annotation.py time the later stages
    command += ["--db", str(db), "--quiet", "--json", "--no-cluster", "--no-annotate"]
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
    return Run(seconds, usage.ru_maxrss / KIB_PER_MIB, counts)  # ru_maxrss is KiB on Linux


def run_repeat(inputs: Inputs, scenarios: dict[str, Scenario], folder: Path) -> None:
    """One round of every scenario, each into its own fresh store."""
    jsonl_db, html_db = folder / "jsonl.db", folder / "html.db"
    scenarios["jsonl"].runs.append(run_ingest(inputs.jsonl, jsonl_db))
    scenarios["jsonl re-ingest"].runs.append(run_ingest(inputs.jsonl, jsonl_db))
    scenarios["html"].runs.append(run_ingest(inputs.pages, html_db))


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


def write_results(
    path: Path, args: argparse.Namespace, code: dict[str, Any], scenarios: list[Scenario]
) -> None:
    payload = {
        "benchmark": "ingest",
        "code": code,
        "machine": machine_info(),
        "parameters": {"records": args.records, "pages": args.pages, "repeats": args.repeats},
        "scenarios": [scenario.to_dict() for scenario in scenarios],
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
            "html": Scenario("html", inputs.page_count),
        }
        for repeat in range(args.repeats):
            with tempfile.TemporaryDirectory(dir=tmp) as stores:
                run_repeat(inputs, scenarios, Path(stores))
            print(f"repeat {repeat + 1}/{args.repeats} done", file=sys.stderr)
    print_table(list(scenarios.values()))
    write_results(args.out, args, code, list(scenarios.values()))
    print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
