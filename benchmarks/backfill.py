"""``newsweave backfill`` on Ray against one process, reading and annotating the same inputs.

``--articles`` generated news-like articles of about 500 words (``synthetic_news``: names,
quotes, numbers, dates) in one JSONL file are ingested into a fresh store, without
clustering, two ways:

- one process: ``ingest`` reading here and annotating in this process alone (the model
  loaded afresh for each run, as a new process would);
- Ray: ``backfill`` on a local Ray instance with ``--cpus`` CPUs, started before the run and
  stopped after it, outside the timing. Its worker processes start cold inside the timing:
  they import newsweave while reading and load the model while this process still stores
  what was read, as a backfill does. Ray's workers run at this process's niceness here (Ray
  gives them 15 by default), so both sides get the same share of a busy machine.

Both decide and write every record and annotation from this process. Each run is timed by
wall clock, whole (read and annotate) and by phase from the progress callbacks; the
speed-up quoted is that of the annotating phase (the article's share of the work, which the
acceptance names), with the whole run's beside it. Runs alternate; the table quotes medians
over ``--repeats``, and the JSON keeps every run with the machine's load average before it
and the CPU seconds of all its processes (Ray's own included): on a machine that other work
keeps busy, wall clock understates what two idle cores give, and CPU seconds show the cost
of going through Ray.

    python benchmarks/backfill.py [--articles 400] [--cpus 2] [--repeats 3]
                                  [--out benchmarks/results/backfill.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ray

from newsweave.annotate.pipeline import Annotator, Failure, load_model
from newsweave.annotation import Annotations
from newsweave.api import ANNOTATING, READING, Newsweave
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.pipeline import read_each
from newsweave.model import Article
from newsweave.synth import synthetic_news

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "backfill.json"
TARGET = 1.8  # the speed-up asked of 2 cores over one process
MEDIANS = ("whole", "annotating", "cpu")
# Ray runs its workers at niceness 15, below this process: the same niceness for both sides.
os.environ.setdefault("RAY_worker_niceness", "0")


class OneProcess:
    """The baseline executor: reads here and annotates in this process alone."""

    def read(self, sources: list[Source], options: ReadOptions) -> Iterator[ReadResult]:
        return read_each(sources, options)

    def annotate(
        self, annotator: Annotator, articles: Iterable[Article]
    ) -> Iterator[Annotations | Failure]:
        load_model.cache_clear()  # loaded inside the timing, as in a new process
        return annotator.results(articles, 1)


class PhaseClock:
    """A progress that notes when each phase began and ended."""

    def __init__(self) -> None:
        self.began: dict[str, float] = {}
        self.ended: dict[str, float] = {}

    def start(self, phase: str, total: int | None) -> None:
        self.began.setdefault(phase, time.perf_counter())

    def advance(self, phase: str, n: int = 1) -> None:
        pass

    def done(self, phase: str) -> None:
        self.ended[phase] = time.perf_counter()

    def seconds(self, phase: str) -> float:
        return self.ended[phase] - self.began[phase]


def write_inputs(folder: Path, count: int) -> Path:
    path = folder / "news.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for record in synthetic_news(count, seed=7):
            handle.write(json.dumps(record) + "\n")
    return path


def cpu_seconds() -> float:
    """CPU seconds so far of this process and of every live process below it (a local
    Ray's own processes and its workers)."""
    below: dict[int, list[int]] = {}
    used: dict[int, float] = {}
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        below.setdefault(int(fields[1]), []).append(int(entry.name))
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / ticks
    total, todo = 0.0, [os.getpid()]
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0.0)
        todo.extend(below.get(pid, []))
    return total


def one_run(inputs: Path, db: Path, on_ray: bool) -> dict[str, float]:
    """One timed run into a fresh store: whole seconds, those of each phase, and the CPU
    seconds of the whole (every process, Ray's included)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    clock = PhaseClock()
    with Newsweave(db) as news:
        cpu, started = cpu_seconds(), time.perf_counter()
        if on_ray:
            report = news.backfill([inputs], cluster=False, progress=clock)
        else:
            report = news.ingest([inputs], cluster=False, progress=clock, executor=OneProcess())
        whole, cpu = time.perf_counter() - started, cpu_seconds() - cpu
        annotated = news.stats()["annotated"]
    assert annotated == report.new, "every new article is annotated"
    return {
        "whole": round(whole, 2),
        "reading": round(clock.seconds(READING), 2),
        "annotating": round(clock.seconds(ANNOTATING), 2),
        "cpu": round(cpu, 2),
        "articles": report.new,
    }


def run_all(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    inputs = write_inputs(folder, args.articles)
    runs: dict[str, list[dict[str, float]]] = {"one_process": [], "ray": []}
    for repeat in range(args.repeats):
        load = os.getloadavg()[0]
        found = one_run(inputs, folder / "one.db", False)
        runs["one_process"].append({**found, "load_before": round(load, 2)})
        print(f"run {repeat + 1}: one process {found}", flush=True)
        ray.init(address="local", num_cpus=args.cpus, include_dashboard=False, log_to_driver=False)
        try:
            load = os.getloadavg()[0]
            found = one_run(inputs, folder / "ray.db", True)
        finally:
            ray.shutdown()
        runs["ray"].append({**found, "load_before": round(load, 2)})
        print(f"run {repeat + 1}: Ray on {args.cpus} CPUs {found}", flush=True)
    medians = {
        side: {key: statistics.median(run[key] for run in found) for key in MEDIANS}
        for side, found in runs.items()
    }
    return {
        "articles": args.articles,
        "ray_cpus": args.cpus,
        "runs": runs,
        "medians": medians,
        "speedup_annotating": round(
            medians["one_process"]["annotating"] / medians["ray"]["annotating"], 2
        ),
        "speedup_whole": round(medians["one_process"]["whole"] / medians["ray"]["whole"], 2),
        "target": TARGET,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--cpus", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        found = run_all(args, Path(temp))
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "ray": ray.__version__,
        **found,
    }
    medians = found["medians"]
    print(
        f"{args.articles} articles, medians of {args.repeats}: annotating "
        f"{medians['one_process']['annotating']:.1f} s on one process, "
        f"{medians['ray']['annotating']:.1f} s on Ray with {args.cpus} CPUs: "
        f"{found['speedup_annotating']:.2f}x (target {TARGET}x); read and annotate "
        f"{medians['one_process']['whole']:.1f} s against {medians['ray']['whole']:.1f} s: "
        f"{found['speedup_whole']:.2f}x; CPU seconds {medians['one_process']['cpu']:.1f} "
        f"against {medians['ray']['cpu']:.1f} (Ray's own processes included)"
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
