"""The ``newsweave`` command line: a thin layer over :mod:`newsweave.api`. This module is
the entry point and holds the reading and browsing commands; the annotation, comparison,
report and server commands are in :mod:`newsweave.commands`; what both share is in
:mod:`newsweave.cli_base`."""

from __future__ import annotations

import csv
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.progress import Progress

from newsweave import commands  # noqa: F401  (its commands add themselves to ``main``)
from newsweave.api import READING, AmbiguousId, demo_corpus_path
from newsweave.cli_base import (
    INTERRUPTED,
    LIMIT,
    OFFSET,
    RichProgress,
    db_option,
    json_option,
    main,
    message_line,
    opened,
    out,
    outlets_option,
    phase_progress,
    tell,
    text_out,
)
from newsweave.dates_in import DateInputError, since_bound, until_bound
from newsweave.ingest.fields import FieldSpecError, parse_field_overrides
from newsweave.ingest.meta import SideMetadataError
from newsweave.ingest.options import DEFAULT_MAX_FILE_BYTES, Source
from newsweave.ingest.pipeline import ProgressHooks
from newsweave.ingest.watch import RoundSummary, check_targets, parse_interval
from newsweave.model import IngestReport, InputError, Notice, Problem, one_line
from newsweave.render import terminal
from newsweave.render.annotations import print_actors, print_annotations, print_quotes
from newsweave.render.comparison import print_comparison
from newsweave.render.jsonout import dumps, dumps_line
from newsweave.store import QueryError

__all__ = ["main"]  # the entry point: ``newsweave = newsweave.cli:main``

EXPORT_FIELDS = [
    "article_id", "input_id", "url", "outlet", "published", "event_id", "storyline_id",
    "title", "thin",
]  # fmt: skip


# ingest


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@db_option
@click.option(
    "--field", "fields", multiple=True, metavar="NAME=COLUMN",
    help="Map a record column to an article field (text, title, published, outlet, url, id, "
    "authors, language). Repeatable.",
)  # fmt: skip
@click.option("--encoding", help="Decode text inputs with this encoding instead of UTF-8.")
@click.option("--strict", is_flag=True, help="Stop at the first problem.")
@click.option("--fetch", "fetch_linked", is_flag=True, help="Download feeds named in OPML lists.")
@click.option("--allow-private", is_flag=True, help="Allow fetching private/loopback addresses.")
@click.option(
    "--max-file-size", type=click.IntRange(min=1), default=DEFAULT_MAX_FILE_BYTES,
    show_default=True,
    help="Skip documents (text, HTML, JSON, feeds) and JSONL lines larger than this many "
    "bytes. JSONL, CSV, Parquet and WARC files are streamed, so their size is not capped.",
)  # fmt: skip
@click.option("--no-cluster", is_flag=True, help="Do not rebuild events afterwards.")
@click.option(
    "--no-annotate", is_flag=True,
    help="Do not annotate the new articles (run newsweave annotate later).",
)  # fmt: skip
@click.option(
    "--aliases", type=click.Path(dir_okay=False, exists=True),
    help="Alias file (TOML) for actors; default <store>.aliases.toml or $NEWSWEAVE_ALIASES.",
)  # fmt: skip
@outlets_option
@click.option(
    "--meta", type=click.Path(dir_okay=False, exists=True),
    help="Side file (CSV, TSV, JSON or JSONL) giving title, outlet, url, published by file "
    "name (column file); it wins over the files' own front matter.",
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@json_option
def ingest(
    inputs: tuple[str, ...],
    db: str,
    fields: tuple[str, ...],
    encoding: str | None,
    strict: bool,
    fetch_linked: bool,
    allow_private: bool,
    max_file_size: int,
    no_cluster: bool,
    no_annotate: bool,
    aliases: str | None,
    outlets: str | None,
    meta: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Read articles from files, folders, globs and http(s) URLs into the store.

    Formats: .txt/.md (front matter optional), .html, .json/.jsonl/.csv/.tsv/.parquet
    records (also .gz), RSS/Atom feeds, OPML lists, WARC archives. Exit status: 0 when
    articles were read and nothing was skipped, 1 when something was skipped, 2 on a
    usage error.
    """
    try:
        overrides = parse_field_overrides(list(fields))
    except FieldSpecError as exc:
        raise click.UsageError(str(exc)) from exc
    with opened(db, aliases=aliases, outlets=outlets) as news, _progress(quiet) as (hooks, shown):
        try:
            report = news.ingest(
                list(inputs), fields=overrides, encoding=encoding, strict=strict,
                fetch_linked=fetch_linked, allow_private=allow_private,
                max_file_bytes=max_file_size, hooks=hooks, cluster=not no_cluster,
                annotate=not no_annotate, progress=shown, meta=meta,
            )  # fmt: skip
        except SideMetadataError as exc:
            raise click.UsageError(str(exc)) from exc
        except KeyboardInterrupt:
            tell("interrupted; what was read so far is stored, re-run to finish")
            sys.exit(INTERRUPTED)
    _finish(report, quiet, as_json)


def _finish(report: IngestReport, quiet: bool, as_json: bool) -> None:
    if as_json:
        click.echo(dumps(report.to_dict()))
    elif not quiet:
        terminal.print_report(out, report)
    if report.read == 0:
        _tell_passed_over(report.passed_over)
    if report.read == 0 and report.skipped == 0:
        tell("no articles found in the inputs")
    sys.exit(report.exit_code)


def _tell_passed_over(found: list[Problem], most: int = 20) -> None:
    """Why a run read nothing: what the folders held that was not read."""
    for item in found[:most]:
        tell(f"passed over {item.where}: {item.why}")
    if len(found) > most:
        tell(f"… and {len(found) - most} more")


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option(
    "--address", metavar="ray://HOST:10001|auto|HOST:6379",
    help="The Ray cluster to run on; default: a local Ray instance on this machine's cores.",
)  # fmt: skip
@click.option(
    "--cpus", type=click.IntRange(min=1),
    help="Ray workers at once (default: every CPU of the cluster, or of this machine).",
)  # fmt: skip
@db_option
@click.option(
    "--field", "fields", multiple=True, metavar="NAME=COLUMN",
    help="Map a record column to an article field, as in ingest. Repeatable.",
)  # fmt: skip
@click.option("--encoding", help="Decode text inputs with this encoding instead of UTF-8.")
@click.option("--strict", is_flag=True, help="Stop at the first problem.")
@click.option(
    "--max-file-size", type=click.IntRange(min=1), default=DEFAULT_MAX_FILE_BYTES,
    show_default=True, help="Skip larger documents and JSONL lines, as in ingest.",
)  # fmt: skip
@click.option("--no-cluster", is_flag=True, help="Do not rebuild events afterwards.")
@click.option(
    "--aliases", type=click.Path(dir_okay=False, exists=True),
    help="Alias file (TOML) for actors; default <store>.aliases.toml or $NEWSWEAVE_ALIASES.",
)  # fmt: skip
@outlets_option
@click.option(
    "--meta", type=click.Path(dir_okay=False, exists=True),
    help="Side file giving title, outlet, url, published by file name, as in ingest.",
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@json_option
def backfill(
    inputs: tuple[str, ...],
    address: str | None,
    cpus: int | None,
    db: str,
    fields: tuple[str, ...],
    encoding: str | None,
    strict: bool,
    max_file_size: int,
    no_cluster: bool,
    aliases: str | None,
    outlets: str | None,
    meta: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Ingest a large pile of inputs with reading and annotation run in parallel on Ray.

    The same store as ingest of the same inputs: this process decides every record and is
    the one writer into the store. Re-run after a crash to finish: what is stored is
    skipped. Needs the Ray extra: pip install 'newsweave[ray]'. Exit status as ingest.
    """
    from newsweave.backfill import RayMissing  # Ray and the NLP model load only here

    try:
        overrides = parse_field_overrides(list(fields))
    except FieldSpecError as exc:
        raise click.UsageError(str(exc)) from exc
    with opened(db, aliases=aliases, outlets=outlets) as news, _progress(quiet) as (hooks, shown):
        try:
            report = news.backfill(
                list(inputs), address=address, cpus=cpus, fields=overrides, encoding=encoding,
                strict=strict, max_file_bytes=max_file_size, hooks=hooks,
                cluster=not no_cluster, progress=shown, meta=meta,
            )  # fmt: skip
        except RayMissing as exc:
            raise click.ClickException(str(exc)) from exc
        except SideMetadataError as exc:
            raise click.UsageError(str(exc)) from exc
        except KeyboardInterrupt:
            tell("interrupted; what was stored is kept, re-run to finish")
            sys.exit(INTERRUPTED)
    _finish(report, quiet, as_json)


@contextmanager
def _progress(quiet: bool) -> Iterator[tuple[ProgressHooks, RichProgress]]:
    """Progress rows on a terminal, with the articles read; plain problem lines otherwise."""
    with phase_progress(quiet) as shown:
        reading = _Reading(shown)
        hooks = ProgressHooks(
            on_source_start=reading.on_source_start,
            on_source_done=reading.on_source_done,
            on_article=reading.on_article,
            on_problem=lambda problem: _say(shown.bar, problem),
            on_notice=lambda notice: _say(shown.bar, notice),
        )
        yield hooks, shown


@dataclass(slots=True)
class _Reading:
    """The reading row's detail: the articles read so far and the file being read."""

    shown: RichProgress
    articles: int = 0
    file: str = ""

    def on_article(self) -> None:
        self.articles += 1
        if self.articles % 25 == 0:
            self.tell()

    def on_source_start(self, source: Source) -> None:
        self.file = _short(source.location, 30)
        self.tell()

    def on_source_done(self, source: Source) -> None:
        self.file = ""
        self.tell()

    def tell(self) -> None:
        self.shown.detail(READING, f"{self.articles:,} articles  {self.file}".rstrip())


def _say(progress: Progress, message: Problem | Notice) -> None:
    progress.console.print(message_line(str(message)), markup=False, highlight=False)


def _short(location: str, width: int = 40) -> str:
    """The end of ``location`` on one line."""
    location = one_line(location, limit=sys.maxsize)
    return location if len(location) <= width else "…" + location[-(width - 1) :]


# watch


def _interval(ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return parse_interval(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


@main.command()
@click.argument("targets", nargs=-1, required=True, metavar="FEEDS.opml|URL|FOLDER...")
@db_option
@click.option(
    "--every", default="10m", show_default=True, callback=_interval,
    help="Time between polls: 30s, 10m, 1h or plain seconds.",
)  # fmt: skip
@click.option("--once", is_flag=True, help="Poll once and exit (for cron).")
@click.option("--max-rounds", type=click.IntRange(min=1), help="Exit after this many polls.")
@click.option("--allow-private", is_flag=True, help="Allow fetching private/loopback addresses.")
@click.option(
    "--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
    help="Seconds for each whole download (connect, headers and body).",
)  # fmt: skip
@click.option("--no-cluster", is_flag=True, help="Do not rebuild events after a round.")
@click.option("--no-annotate", is_flag=True, help="Do not annotate the new articles.")
@click.option(
    "--aliases", type=click.Path(dir_okay=False, exists=True),
    help="Alias file (TOML) for actors; default <store>.aliases.toml or $NEWSWEAVE_ALIASES.",
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="No per-round summary (failures still show).")
@click.option("--json", "as_json", is_flag=True, help="Print each round's summary as a JSON line.")
def watch(
    targets: tuple[str, ...], db: str, every: float, once: bool, max_rounds: int | None,
    allow_private: bool, timeout: float, no_cluster: bool, no_annotate: bool,
    aliases: str | None, quiet: bool, as_json: bool,
) -> None:  # fmt: skip
    """Poll feeds (URLs or OPML lists) and folders, ingesting new items as they appear.

    Feeds are fetched with conditional GET (ETag / Last-Modified); a failing feed is
    retried later and later (doubling, at most 8 intervals or 1h) while the others go on.
    Files in folders are read again only when new or changed. The state lives in the
    store, so a restart does not fetch everything again. Ctrl-C or SIGTERM stops within a
    second; a download in flight is abandoned and tried again next time. Exit status with
    --once/--max-rounds: 0 when the last round had no failure, else 1.
    """
    try:
        check_targets(list(targets))
    except InputError as exc:
        raise click.UsageError(str(exc)) from exc
    rounds = 1 if once else max_rounds
    with opened(db, aliases=aliases) as news, _stop_on_signals() as stop:
        watcher = news.watcher(
            targets, every=every, allow_private=allow_private, timeout=timeout,
            hooks=_message_hooks(), on_failure=lambda failure: tell(str(failure)),
            cluster=not no_cluster, annotate=not no_annotate,
        )  # fmt: skip
        if not quiet and not as_json and rounds != 1:
            tell(f"watching {len(targets)} inputs every {every:g}s into {db} (Ctrl-C stops)")
        last: RoundSummary | None = None
        try:
            for last in watcher.run(rounds=rounds, stop=stop):
                _print_round(last, quiet, as_json)
        except KeyboardInterrupt:
            tell("interrupted; what was read so far is stored")
            sys.exit(INTERRUPTED)
    if stop.is_set():
        tell("stopped; what was read so far is stored")
        sys.exit(0)
    sys.exit(0 if last is None or last.ok else 1)


def _print_round(summary: RoundSummary, quiet: bool, as_json: bool) -> None:
    if as_json:
        click.echo(dumps_line(summary.to_dict()))
    elif not quiet:
        out.print(str(summary), markup=False, highlight=False)


def _message_hooks() -> ProgressHooks:
    """Problems and notices as plain lines (no progress bar for a long-running watch)."""
    return ProgressHooks(
        on_problem=lambda problem: tell(str(problem)),
        on_notice=lambda notice: tell(str(notice)),
    )


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event set by the first Ctrl-C or SIGTERM; a second Ctrl-C interrupts at once."""
    stop = threading.Event()

    def handler(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        tell("stopping (a download in flight is abandoned; Ctrl-C again to interrupt now)")

    if threading.current_thread() is not threading.main_thread():
        yield stop
        return
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, action in previous.items():
            signal.signal(sig, action)


# demo


@main.command()
@click.option("--db", default="newsweave-demo.db", show_default=True, help="The store file.")
@click.option("--fresh", is_flag=True, help="Delete the store file first.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def demo(db: str, fresh: bool, quiet: bool) -> None:
    """Ingest the bundled demo corpus and show what newsweave finds in it."""
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(db + suffix).unlink(missing_ok=True)
    out.rule("[bold]newsweave demo")
    out.print(f"ingesting {demo_corpus_path()} into {db}", markup=False)
    with opened(db) as news, _progress(quiet) as (hooks, shown):
        report = news.ingest_demo(hooks=hooks, progress=shown)
    terminal.print_report(out, report)
    with opened(db, read_only=True) as news:
        terminal.print_stats(out, news.stats())
        articles = news.articles(limit=1000)
        terminal.print_article_list(out, articles, news.count())
        terminal.print_duplicates_and_copies(out, news)
        terminal.print_storylines(out, news.storylines())
        terminal.print_events(out, news.events(limit=1000), news.store.count_events())
        print_actors(out, news.actors(limit=12))
        print_quotes(out, news.quotes(limit=8), title="First quotes (newsweave quotes)")
        first = news.events(limit=1)
        comparison = news.compare(first[0].id) if first else None
    if comparison is not None:
        print_comparison(out, comparison)
    out.print(
        "Every event: newsweave compare EVENT_ID; all of it as a site: newsweave report --out DIR",
        markup=False,
    )
    sys.exit(0 if report.skipped == 0 else 1)


# stats and articles


@main.command()
@db_option
@json_option
def stats(db: str, as_json: bool) -> None:
    """Counts of articles, duplicates, copies, outlets and languages."""
    with opened(db, read_only=True) as news:
        data = news.stats()
    if as_json:
        click.echo(dumps(data))
    else:
        terminal.print_stats(out, data)


@main.group()
def articles() -> None:
    """List, search and show stored articles."""


def _date_bound(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """A ``--since`` or ``--until`` read as every front end reads it (newsweave.dates_in)."""
    bound = until_bound if param.name == "until" else since_bound
    try:
        return bound(value, f"--{param.name}")
    except DateInputError as exc:
        raise click.UsageError(str(exc), ctx) from exc


@articles.command("list")
@db_option
@click.option("--outlet", help="Only articles seen at this outlet.")
@click.option(
    "--since", callback=_date_bound,
    help="Published on or after this UTC date (YYYY-MM-DD) or ISO date-time (UTC "
    "unless it names its zone).",
)  # fmt: skip
@click.option(
    "--until", callback=_date_bound,
    help="Published on or before this UTC date (the whole day), or before this ISO "
    "date-time.",
)  # fmt: skip
@click.option("--search", "-s", help='Full-text search: words, "quoted phrases", prefix*.')
@click.option("--actor", help="Only articles naming this actor (any name, id or id prefix).")
@click.option("--limit", type=LIMIT, default=50, show_default=True)
@click.option("--offset", type=OFFSET, default=0)
@json_option
def list_articles(
    db: str, outlet: str | None, since: datetime | None, until: datetime | None,
    search: str | None, actor: str | None, limit: int, offset: int, as_json: bool,
) -> None:  # fmt: skip
    """List articles, oldest first (best match first when searching)."""
    filters: dict[str, Any] = {
        "outlet": outlet,
        "since": since,
        "until": until,
        "search": search,
        "actor": actor,
    }
    with opened(db, read_only=True) as news:
        try:
            found = news.articles(**filters, limit=limit, offset=offset)
            total = news.count(**filters)
        except QueryError as exc:
            raise click.UsageError(str(exc)) from exc
    if as_json:
        items = [a.listing() for a in found]
        click.echo(dumps({"total": total, "offset": offset, "articles": items}))
    else:
        terminal.print_article_list(out, found, total)


@articles.command("show")
@click.argument("article_id")
@db_option
@click.option("--full", is_flag=True, help="Print the whole text.")
@click.option("--annotations", "with_annotations", is_flag=True, help="Add its annotations.")
@json_option
def show_article(
    article_id: str, db: str, full: bool, with_annotations: bool, as_json: bool
) -> None:
    """Show one article (a unique prefix of its id is enough)."""
    with opened(db, read_only=True) as news:
        try:
            detail = news.article(article_id)
        except AmbiguousId as exc:
            raise click.ClickException(str(exc)) from exc
        found = news.annotations(detail.article.id) if detail and with_annotations else None
    if detail is None:
        raise click.ClickException(f"no article with id {article_id!r}")
    if as_json:
        data = detail.to_dict()
        if with_annotations:
            data["annotations"] = found
        click.echo(dumps(data))
    else:
        terminal.print_article(out, detail, full)
        if with_annotations:
            print_annotations(out, detail.article.text, found)


# events and storylines


@main.command()
@db_option
@click.option(
    "--online", is_flag=True,
    help="Online pass only: each article joins the best open event once, in publication "
    "order, with no batch consolidation.",
)  # fmt: skip
@click.option(
    "--rebuild", is_flag=True,
    help="Cluster every article again from nothing (the reference the incremental update "
    "is measured against); event ids are kept where the new groups allow.",
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
@json_option
def cluster(db: str, online: bool, rebuild: bool, quiet: bool, as_json: bool) -> None:
    """Bring events and storylines up to date: the articles added or changed since the last
    run join the stored events (ingest does this by itself); --rebuild redoes them all."""
    with opened(db) as news, phase_progress(quiet) as shown:
        events, storylines = news.cluster(online=online, rebuild=rebuild, progress=shown)
        changes = news.last_changes
        news.refresh_comparisons(changes.changed, progress=shown)
    if as_json:
        click.echo(dumps({"events": events, "storylines": storylines}))
    elif not quiet:
        out.print(f"{events} events in {storylines} storylines")


@main.group()
def events() -> None:
    """List, show and export events."""


@events.command("list")
@db_option
@click.option("--storyline", help="Only the events of this storyline.")
@click.option("--limit", type=LIMIT, default=50, show_default=True)
@click.option("--offset", type=OFFSET, default=0)
@json_option
def list_events(db: str, storyline: str | None, limit: int, offset: int, as_json: bool) -> None:
    """Events in time order, with their size, outlets and key names."""
    with opened(db, read_only=True) as news:
        found = news.events(storyline=storyline, limit=limit, offset=offset)
        total = news.store.count_events()
    if as_json:
        click.echo(dumps({"total": total, "events": [e.to_dict() for e in found]}))
    else:
        terminal.print_events(out, found, total)


@events.command("show")
@click.argument("event_id")
@db_option
@json_option
def show_event(event_id: str, db: str, as_json: bool) -> None:
    """One event and its articles."""
    with opened(db, read_only=True) as news:
        found = news.event(event_id)
    if found is None:
        raise click.ClickException(f"no event with id {event_id!r}")
    event, members = found
    if as_json:
        items = [a.listing() for a in members]
        click.echo(dumps({**event.to_dict(), "articles": items}))
    else:
        terminal.print_event(out, event, members)


@events.command("export")
@db_option
@click.option("--format", "form", type=click.Choice(["jsonl", "csv"]), default="jsonl")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), help="File (default stdout).")
def export_events(db: str, form: str, out_path: str | None) -> None:
    """One row per input record: article_id, input_id, url, outlet, published, event_id,
    storyline_id, title, thin (the record's own title, outlet and date)."""
    with opened(db, read_only=True) as news, text_out(out_path) as handle:
        write_rows(handle, news.export_rows(), form)


def write_rows(handle: Any, rows: Iterator[dict[str, Any]], form: str) -> None:
    if form == "jsonl":
        for row in rows:
            handle.write(dumps_line(row) + "\n")
        return
    writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


@main.group()
def storylines() -> None:
    """List and show storylines."""


@storylines.command("list")
@db_option
@json_option
def list_storylines(db: str, as_json: bool) -> None:
    """Storylines in time order."""
    with opened(db, read_only=True) as news:
        found = news.storylines()
    if as_json:
        click.echo(dumps({"total": len(found), "storylines": [s.to_dict() for s in found]}))
    else:
        terminal.print_storylines(out, found)


@storylines.command("show")
@click.argument("storyline_id")
@db_option
@json_option
def show_storyline(storyline_id: str, db: str, as_json: bool) -> None:
    """One storyline: its events in time order."""
    with opened(db, read_only=True) as news:
        found = news.storyline(storyline_id)
    if found is None:
        raise click.ClickException(f"no storyline with id {storyline_id!r}")
    storyline, members = found
    if as_json:
        click.echo(dumps({**storyline.to_dict(), "events": [e.to_dict() for e in members]}))
    else:
        terminal.print_storyline(out, storyline, members)


if __name__ == "__main__":
    main()
