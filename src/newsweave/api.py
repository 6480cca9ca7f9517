"""The Python API. The CLI (and later the REST API and web app) are thin layers over this."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from newsweave.annotate.aliases import alias_path, load_aliases
from newsweave.annotate.document import documents_of
from newsweave.annotate.stored import (
    actor_detail,
    actor_ids_by_name,
    actor_summary,
    plover,
    quote_records,
    rebuild_actors,
)
from newsweave.annotate.version import VERSION as ANNOTATION_VERSION
from newsweave.annotation import ActorDetail, ActorSummary, QuoteRecord
from newsweave.compare.build import VERSION as COMPARE_VERSION
from newsweave.compare.build import compare, load_coverage
from newsweave.compare.framing import loaded_terms
from newsweave.compare.model import Comparison, comparison_from_dict
from newsweave.dates_in import DateInput, since_bound, until_bound
from newsweave.events.build import build_events
from newsweave.events.failures import FailureLog
from newsweave.events.incremental import ClusterChanges, update_events
from newsweave.events.online import EventConfig
from newsweave.ingest.dedup import NearDuplicateIndex
from newsweave.ingest.fields import FieldMap
from newsweave.ingest.meta import load_side_metadata
from newsweave.ingest.options import DEFAULT_MAX_FILE_BYTES, FetchPolicy, ReadOptions, Source
from newsweave.ingest.pipeline import Ingestor, ProgressHooks, SourceReader
from newsweave.ingest.records import record_to_raw
from newsweave.ingest.watch import DEFAULT_EVERY, FeedFailure, Watcher
from newsweave.model import Article, CopyLink, Event, IngestReport, Sighting, Storyline
from newsweave.outlets import OutletTable, domain_of, unwrap_url
from newsweave.settings import user_file
from newsweave.store import ArticleQuery, SQLiteStore, open_store
from newsweave.store.annotations import QuoteQuery

if TYPE_CHECKING:  # annotating loads spaCy: only Newsweave.annotate imports it, when it runs
    from newsweave.annotate.pipeline import OnFailure
    from newsweave.annotate.service import Runner

DEFAULT_DB = "newsweave.db"
OUTLETS_ENV = "NEWSWEAVE_OUTLETS"
READING, ANNOTATING, CLUSTERING = "reading", "annotating", "clustering"
COMPARING = "comparing"
KEPT_MIN_SIZE = 1  # events whose comparison is kept ready: all (one article's costs ~9 ms
# to make, and made on demand such pages were most of the slowest first visits)


class Progress(Protocol):
    """Where long operations tell how far they are, phase by phase.

    Each phase gets ``start`` once (``total`` is None when unknown), ``advance`` with how
    many more items are done, then ``done``. Phases: "reading" (files), "annotating"
    (articles), and the steps of clustering, over the articles being clustered (new ones,
    or all in a rebuild): "clustering: sketching", "clustering: pairing", "clustering:
    merging" (no total) and "clustering: storing" (no total); online: "clustering:
    assigning", "clustering: similarities" and "clustering: storing"; then
    "comparing" (events whose kept comparison is made again), when there are any.
    """

    def start(self, phase: str, total: int | None) -> None: ...

    def advance(self, phase: str, n: int = 1) -> None: ...

    def done(self, phase: str) -> None: ...


class NoProgress:
    """The default :class:`Progress`: tells no one."""

    def start(self, phase: str, total: int | None) -> None:
        pass

    def advance(self, phase: str, n: int = 1) -> None:
        pass

    def done(self, phase: str) -> None:
        pass


class Executor(Protocol):
    """Who runs the per-article work of an ingest (reading the sources, annotating the
    articles) when it is not this process: see :meth:`Newsweave.backfill`. Deciding what
    each record is and every write into the store stay in this process, in input order."""

    @property
    def read(self) -> SourceReader: ...

    @property
    def annotate(self) -> Runner: ...


class PhaseSteps:
    """A ``(step, done, total)`` callback, as the events code and the report give, telling
    ``progress`` of each step as the phase ``"{prefix}: {step}"``. Use it in a ``with``, so
    the last step is done at the end."""

    def __init__(self, progress: Progress, prefix: str) -> None:
        self.progress = progress
        self.prefix = prefix
        self.phase: str | None = None
        self.count = 0

    def __call__(self, step: str, done: int, total: int | None) -> None:
        phase = f"{self.prefix}: {step}"
        if phase != self.phase:
            self.close()
            self.progress.start(phase, total)
            self.phase, self.count = phase, 0
        if done > self.count:
            self.progress.advance(phase, done - self.count)
            self.count = done

    def close(self) -> None:
        """The current step is done."""
        if self.phase is not None:
            self.progress.done(self.phase)
            self.phase = None

    def __enter__(self) -> PhaseSteps:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _reading_hooks(hooks: ProgressHooks | None, progress: Progress) -> ProgressHooks:
    """``hooks`` that also tell ``progress`` of the files read."""
    base = hooks or ProgressHooks()
    on_sources, on_source_done = base.on_sources, base.on_source_done

    def sources(total: int) -> None:
        progress.start(READING, total)
        on_sources(total)

    def source_done(source: Source) -> None:
        on_source_done(source)
        progress.advance(READING)

    return replace(base, on_sources=sources, on_source_done=source_done)


@dataclass(frozen=True, slots=True)
class _InOrder:
    """The store's articles in publication order, with their count (a total for progress)."""

    store: SQLiteStore

    def __iter__(self) -> Iterator[Article]:
        return self.store.iter_articles_in_order()

    def __len__(self) -> int:
        return self.store.count_articles(ArticleQuery())


@dataclass(slots=True)
class ArticleDetail:
    """One article with every place it was seen and its copy links."""

    article: Article
    sightings: list[Sighting]
    copy_of: CopyLink | None = None
    copied_by: list[CopyLink] = field(default_factory=list)
    event_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = self.article.to_dict()
        data["event_id"] = self.event_id
        data["sightings"] = [s.to_dict() for s in self.sightings]
        data["outlets"] = sorted({s.outlet for s in self.sightings} | {self.article.outlet})
        data["copy_of"] = self.copy_of.to_dict() if self.copy_of else None
        data["copied_by"] = [link.to_dict() for link in self.copied_by]
        return data


@dataclass(slots=True)
class OutletSummary:
    """One outlet of the store: its articles, dates, the names and domains it goes by, and
    where its name came from (the records' field, the outlet table, a url, a folder)."""

    name: str
    articles: int
    first_published: str | None
    last_published: str | None
    domains: list[str]
    aliases: list[str]
    sources: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class CompareContext:
    """Store-wide inputs of a comparison, computed once for many events."""

    outlets: list[str]
    actor_of: dict[str, str]
    loaded: frozenset[str]

    @property
    def salt(self) -> str:
        """See :func:`comparison_salt`."""
        return comparison_salt(self.loaded)


def comparison_salt(loaded: frozenset[str]) -> str:
    """What a kept comparison depends on besides its event: the comparison and annotation
    versions and the loaded-terms list. (Store-wide inputs that any ingest may change, the
    actor grouping and the outlet names, are those of when it was made.)"""
    terms = hashlib.sha256("\n".join(sorted(loaded)).encode("utf-8")).hexdigest()[:16]
    return f"compare {COMPARE_VERSION} annotation {ANNOTATION_VERSION} loaded {terms}"


class AmbiguousId(LookupError):
    """A short id that matches several articles."""


def demo_corpus_path() -> Path:
    """The folder of the bundled demo corpus."""
    return Path(str(resources.files("newsweave") / "demo" / "corpus"))


class Newsweave:
    """A newsweave store and the operations on it.

    >>> import tempfile, os
    >>> with Newsweave(os.path.join(tempfile.mkdtemp(), "news.db")) as news:
    ...     report = news.add([{"title": "Dam opens", "text": "The new dam opened on Monday.",
    ...                         "source": "The Courier", "published": "2024-05-06"}])
    ...     [a.title for a in news.articles()]
    ['Dam opens']
    """

    def __init__(
        self,
        db: str | Path = DEFAULT_DB,
        *,
        read_only: bool = False,
        aliases: str | Path | None = None,
        outlets: str | Path | None = None,
    ) -> None:
        self.aliases = load_aliases(alias_path(db, aliases))
        self.outlets = OutletTable.load(outlet_path(db, outlets))
        self.store: SQLiteStore = open_store(db, read_only=read_only)
        self.read_only = read_only
        self._index = NearDuplicateIndex()
        # Told (article id, reason) of each article annotation or clustering could not
        # handle, by default; the run goes on for the others.
        self.on_annotation_failure: OnFailure | None = None
        self.on_clustering_failure: OnFailure | None = None
        # Told (event id, reason) of each event whose comparison could not be kept ready.
        self.on_comparison_failure: OnFailure | None = None
        self.last_changes = ClusterChanges()  # what the last clustering run changed

    def _ingestor(
        self, options: ReadOptions, strict: bool = False, hooks: ProgressHooks | None = None
    ) -> Ingestor:
        """An ingestor sharing one near-duplicate index across the runs of this object; each
        batch first catches up with the articles stored since (by any process)."""
        return Ingestor(
            self.store, options, strict=strict, hooks=hooks, index=self._index,
            outlets=self.outlets,
        )  # fmt: skip

    def __enter__(self) -> Newsweave:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # ingest

    def ingest(
        self,
        inputs: Iterable[str | Path],
        *,
        fields: Mapping[str, str] | None = None,
        encoding: str | None = None,
        strict: bool = False,
        fetch_linked: bool = False,
        allow_private: bool = False,
        max_file_bytes: int | None = None,
        hooks: ProgressHooks | None = None,
        cluster: bool = True,
        annotate: bool = True,
        progress: Progress | None = None,
        meta: str | Path | None = None,
        executor: Executor | None = None,
    ) -> IngestReport:
        """Ingest files, folders, globs and http(s) URLs. See ``newsweave ingest --help``.

        With ``annotate`` and ``cluster`` (the defaults), new articles are annotated and
        events and storylines rebuilt when anything new arrived. ``progress`` is told of
        each phase (see :class:`Progress`); ``hooks`` of each file, article and problem.
        What folders hold that is not read is in the report's ``passed_over``. ``meta`` is a
        side file of titles, outlets, urls and dates by file name (see
        :mod:`newsweave.ingest.meta`). ``executor`` reads and annotates elsewhere (see
        :meth:`backfill`); the store ends the same.
        """
        progress = progress or NoProgress()
        options = ReadOptions(
            fields=dict(fields or {}),
            encoding=encoding,
            fetch_linked=fetch_linked,
            fetch=FetchPolicy(allow_private=allow_private),
            max_file_bytes=max_file_bytes or DEFAULT_MAX_FILE_BYTES,
            meta=load_side_metadata(meta) if meta else None,
        )
        ingestor = self._ingestor(options, strict, _reading_hooks(hooks, progress))
        arguments = [str(item) for item in inputs]
        report = ingestor.run(arguments, executor.read if executor else None)
        progress.done(READING)
        self._after_ingest(report, annotate, cluster, progress, executor)
        return report

    def backfill(
        self,
        inputs: Iterable[str | Path],
        *,
        address: str | None = None,
        cpus: int | None = None,
        fields: Mapping[str, str] | None = None,
        encoding: str | None = None,
        strict: bool = False,
        max_file_bytes: int | None = None,
        hooks: ProgressHooks | None = None,
        cluster: bool = True,
        progress: Progress | None = None,
        meta: str | Path | None = None,
    ) -> IngestReport:
        """:meth:`ingest` with the per-article work (reading, annotating) run in parallel
        on a Ray cluster; see ``newsweave backfill --help``. This process is the one writer
        into the store and decides every record in input order, so the store ends as
        :meth:`ingest` of the same inputs leaves it; a re-run after a crash skips what is
        stored and finishes the rest, and one clustering ends it.

        ``address`` is a Ray cluster's (``ray://head:10001``, ``auto``); by default a local
        Ray instance with ``cpus`` CPUs (default: all) is started, and stopped at the end.
        A Ray already started in this process is used as it is. Needs the ``ray`` extra:
        :class:`newsweave.backfill.RayMissing` when it is not installed.
        """
        from newsweave.backfill import ray_executor  # Ray is optional: imported on use

        with ray_executor(address, cpus) as executor:
            return self.ingest(
                inputs, fields=fields, encoding=encoding, strict=strict,
                max_file_bytes=max_file_bytes, hooks=hooks, cluster=cluster,
                progress=progress, meta=meta, executor=executor,
            )  # fmt: skip

    def _after_ingest(
        self,
        report: IngestReport,
        annotate: bool,
        cluster: bool,
        progress: Progress | None = None,
        executor: Executor | None = None,
    ) -> None:
        """Annotate and cluster whatever is not up to date, whether this run or an
        interrupted earlier one left it so, then make the comparisons of the events that
        changed: a re-run finishes the job."""
        if annotate:
            self.annotate(progress=progress, run=executor.annotate if executor else None)
        if cluster and self.store.events_stale():
            self.cluster(progress=progress)
            self.refresh_comparisons(self.last_changes.changed, progress=progress)
        elif cluster:  # nothing new: finish what an interrupted run may have left
            self.refresh_comparisons(progress=progress)

    def add(
        self,
        records: Iterable[Mapping[str, Any]],
        *,
        fields: Mapping[str, str] | None = None,
        origin: str = "api",
        cluster: bool = True,
        annotate: bool = True,
    ) -> IngestReport:
        """Ingest records given as dicts, with the same field aliases as JSON input."""
        field_map = FieldMap(fields or {})
        source = Source(origin, "json")
        raws = (
            record_to_raw(record, f"{origin}[{i}]", field_map, source)
            for i, record in enumerate(records)
        )
        ingestor = self._ingestor(ReadOptions())
        try:
            ingestor.add_items(raws)
        finally:
            ingestor.flush()
        self._after_ingest(ingestor.report, annotate, cluster)
        return ingestor.report

    def watcher(
        self,
        targets: Iterable[str | Path],
        *,
        every: float = DEFAULT_EVERY,
        allow_private: bool = False,
        timeout: float = 20.0,
        hooks: ProgressHooks | None = None,
        on_failure: Callable[[FeedFailure], None] = lambda failure: None,
        cluster: bool = True,
        annotate: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> Watcher:
        """A :class:`Watcher` over feed URLs, OPML lists, files and folders; see
        ``newsweave watch --help``. ``watcher.run(rounds=1)`` polls once.

        Every round goes through the same ingest path as :meth:`ingest`, then annotates
        and clusters when anything new arrived.
        """
        options = ReadOptions(fetch=FetchPolicy(timeout=timeout, allow_private=allow_private))
        return Watcher(
            self.store,
            [str(target) for target in targets],
            every=every,
            options=options,
            make_ingestor=lambda chosen: self._ingestor(chosen, hooks=hooks),
            after_round=lambda report: self._after_ingest(report, annotate, cluster),
            on_failure=on_failure,
            clock=clock,
        )

    def ingest_demo(
        self, hooks: ProgressHooks | None = None, progress: Progress | None = None
    ) -> IngestReport:
        """Ingest the bundled demo corpus."""
        return self.ingest([demo_corpus_path()], hooks=hooks, progress=progress)

    # read

    def articles(
        self,
        *,
        outlet: str | None = None,
        since: DateInput = None,
        until: DateInput = None,
        search: str | None = None,
        actor: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[Article]:
        """Articles by date (or by relevance when searching), filtered; ``actor`` is any
        name, id or id prefix of an actor, and keeps the articles that name it.

        ``since`` and ``until`` are read as every front end reads them (see
        :mod:`newsweave.dates_in`): a date alone is a whole UTC day (``until="2019-12-31"``
        keeps that day), a time without a zone is UTC, and ``until`` as a time is the first
        moment left out. A bad one raises :class:`~newsweave.dates_in.DateInputError`."""
        actor_id = self._actor_id(actor)
        if actor_id == "":
            return []
        start, end = since_bound(since), until_bound(until)
        query = ArticleQuery(outlet, start, end, search, limit, offset, actor_id)
        return self.store.list_articles(query)

    def count(
        self,
        *,
        outlet: str | None = None,
        since: DateInput = None,
        until: DateInput = None,
        search: str | None = None,
        actor: str | None = None,
    ) -> int:
        """How many :meth:`articles` the same filters find, over every page."""
        actor_id = self._actor_id(actor)
        if actor_id == "":
            return 0
        start, end = since_bound(since), until_bound(until)
        query = ArticleQuery(outlet, start, end, search, actor_id=actor_id)
        return self.store.count_articles(query)

    def _actor_id(self, actor: str | None) -> str | None:
        """The actor's id; None when not asked for, "" when no actor goes by that name."""
        if actor is None or not actor.strip():
            return None
        rows = self.store.annotations.find_actor(actor.strip())
        return str(rows[0]["id"]) if rows else ""

    def article(self, article_id: str) -> ArticleDetail | None:
        """One article by id, unique id prefix, or the input id or url of any record of
        it; ``None`` when unknown."""
        matches = self.store.resolve_id(article_id.strip()) or self.store.articles_of_record(
            unwrap_url(article_id.strip())
        )
        if not matches:
            return None
        if len(matches) > 1 and article_id not in matches:
            raise AmbiguousId(f"{article_id!r} matches several articles: {', '.join(matches)}")
        found = article_id if article_id in matches else matches[0]
        article = self.store.get_article(found)
        if article is None:
            return None
        links = self.store.copy_links(found)
        return ArticleDetail(
            article=article,
            sightings=self.store.sightings(found),
            copy_of=next((link for link in links if link.copy_id == found), None),
            copied_by=[link for link in links if link.origin_id == found],
            event_id=self.store.event_of(found),
        )

    def exact_duplicates(self) -> list[ArticleDetail]:
        """Articles whose very text was seen at several places, with every sighting."""
        found = (self.article(article_id) for article_id in self.store.duplicated_ids())
        return [detail for detail in found if detail is not None]

    def copies(self) -> list[CopyLink]:
        """Every near-duplicate link in the store."""
        return self.store.all_copy_links()

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    # outlets

    def outlet_list(self, *, limit: int = 100, offset: int = 0) -> list[OutletSummary]:
        """The store's outlets, most articles first."""
        rows = self.store.outlet_rows(limit=limit, offset=offset)
        return [self._outlet_summary(row) for row in rows]

    def outlet(self, name: str) -> OutletSummary | None:
        """One outlet by any of its names or a domain of it (``washingtonpost.com``)."""
        rows = self.store.outlet_rows(self.outlets.name_for(name.strip()))
        rows = rows or self.store.outlet_rows(name.strip())
        return self._outlet_summary(rows[0]) if rows else None

    def _outlet_summary(self, row: dict[str, Any]) -> OutletSummary:
        name = str(row["outlet"])
        domains = Counter(filter(None, map(domain_of, self.store.outlet_urls(name))))
        known = self.outlets.by_name(name)
        return OutletSummary(
            name=name,
            articles=int(row["articles"]),
            first_published=_day(row["first_utc"]),
            last_published=_day(row["last_utc"]),
            domains=[domain for domain, _ in domains.most_common()],
            aliases=list(known.aliases) if known else [],
            sources=list(row["sources"]),
        )

    # events and storylines

    def cluster(
        self,
        config: EventConfig | None = None,
        *,
        online: bool = False,
        rebuild: bool = False,
        progress: Progress | None = None,
        on_failure: OnFailure | None = None,
    ) -> tuple[int, int]:
        """Bring events and storylines up to date; returns how many there are.

        By default (as after each ingest) the articles added or changed since the last run
        are clustered into the stored events, at a cost in proportion to them and to the
        events they touch (see ``newsweave.events.incremental``); events keep their ids, and
        those merged or split away redirect. With ``rebuild``, every article is clustered
        again in one batch (locally scaled average-link clustering over time-aware pair
        scores, see ``newsweave.events.consolidate``): the reference. With ``online``, the
        events are those of the online pass alone: each article joins the best open event
        once, in publication order. ``progress`` is told of each step (see
        :class:`Progress`). An article that cannot be read in full is clustered on what could
        be (or alone) and told to ``on_failure`` (default: ``on_clustering_failure``) with
        its id and the reason.
        """
        failed = on_failure or self.on_clustering_failure
        with PhaseSteps(progress or NoProgress(), CLUSTERING) as steps:
            if online:
                built_from = self.store.mark("articles")  # read first: later changes count
                articles = _InOrder(self.store)
                build = build_events(
                    articles, articles, config, online=True, progress=steps, on_failure=failed,
                    documents=lambda article: documents_of(self.store, [article])[0],
                )  # fmt: skip
                steps("storing", 0, None)
                self.store.replace_events(build, built_from)
                self.last_changes = ClusterChanges(len(articles), [e.id for e in build.events])
            else:
                self.last_changes = update_events(
                    self.store, config, rebuild=rebuild, progress=steps,
                    failures=FailureLog(failed),
                )  # fmt: skip
        return self.store.count_events(), self.store.count_storylines()

    def events(
        self, *, storyline: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[Event]:
        """Events by their first article's time."""
        return self.store.list_events(storyline, limit, offset)

    def event(self, event_id: str) -> tuple[Event, list[Article]] | None:
        """One event with its articles, oldest first."""
        event = self.store.get_event(event_id)
        return (event, self.store.event_articles(event_id)) if event else None

    def redirect(self, old_id: str) -> str | None:
        """Where an event or storyline id that was merged or split away lives on (None when
        it never was): links and bookmarks to old ids keep working."""
        found = self.store.clustering.redirect_of(old_id)
        return found[0] if found else None

    def storylines(self) -> list[Storyline]:
        return self.store.list_storylines()

    def storyline(self, storyline_id: str) -> tuple[Storyline, list[Event]] | None:
        """One storyline with its events in time order."""
        storyline = self.store.get_storyline(storyline_id)
        if storyline is None:
            return None
        found = (self.store.get_event(event_id) for event_id in storyline.event_ids)
        return storyline, [event for event in found if event is not None]

    # annotations

    def annotate(
        self,
        *,
        again: bool = False,
        progress: Progress | None = None,
        on_failure: OnFailure | None = None,
        run: Runner | None = None,
    ) -> int:
        """Annotate articles not yet annotated (all with ``again``); returns how many were.

        ``progress`` is told of the phase "annotating" (when there is anything to do): its
        total, then the articles done after each batch. An article that cannot be annotated
        is marked so (later runs leave it alone; ``again`` retries it) and told to
        ``on_failure`` (default: ``on_annotation_failure``) with its id and the reason.
        ``run`` runs the annotator elsewhere (a backfill's Ray workers); this process writes.
        """
        from newsweave.annotate.service import annotate_store  # loads spaCy: here, not at import

        told = progress or NoProgress()
        begun: list[int] = []

        def start(total: int) -> None:
            if total:
                begun.append(total)
                told.start(ANNOTATING, total)

        count = annotate_store(
            self.store, self.aliases, again=again, started=start,
            progress=lambda done: told.advance(ANNOTATING, done),
            on_failure=on_failure or self.on_annotation_failure, table=self.outlets, run=run,
        )  # fmt: skip
        if begun:
            told.done(ANNOTATING)
        return count

    def regroup_actors(self) -> int:
        """Regroup names into actors (after editing the alias file); returns the count."""
        return rebuild_actors(self.store, self.aliases)

    def annotations(self, article_id: str) -> dict[str, Any] | None:
        """Everything annotation found in one article (id or unique prefix)."""
        detail = self.article(article_id)
        return self.store.annotations.document(detail.article.id) if detail else None

    def actors(
        self,
        *,
        kind: str | None = None,
        search: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[ActorSummary]:
        """Actors by how often they are mentioned."""
        rows = self.store.annotations.list_actors(kind, search, limit, offset)
        return [actor_summary(row) for row in rows]

    def actor(self, id_or_name: str) -> ActorDetail | None:
        """One actor by id, id prefix or any of its names."""
        rows = self.store.annotations.find_actor(id_or_name.strip())
        return actor_detail(self.store, rows[0]["id"]) if rows else None

    def quotes(
        self,
        *,
        speaker: str | None = None,
        event: str | None = None,
        outlet: str | None = None,
        kind: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[QuoteRecord]:
        """Quotes in article order, by speaker (any name or id), event, outlet and kind
        (``direct``: quoted words; ``partial``: a reported statement with some of its words
        quoted; ``indirect``: reported speech)."""
        speakers = None
        if speaker is not None:
            found = self.actor(speaker)
            speakers = tuple(self.store.annotations.actor_names(found.actor.id)) if found else ()
        article_ids = None
        if event is not None:
            detail = self.event(event)
            article_ids = tuple(a.id for a in detail[1]) if detail else ()
        query = QuoteQuery(speakers, article_ids, outlet, limit, offset, kind)
        return quote_records(self.store, query)

    def actions(self, *, limit: int = -1, offset: int = 0) -> list[dict[str, Any]]:
        """Every action, in PLOVER's field names."""
        actor_of = actor_ids_by_name(self.store)
        rows = self.store.annotations.all_actions(limit, offset)
        return [plover(row, actor_of) for row in rows]

    def iter_annotations(self) -> Iterator[dict[str, Any]]:
        """Every article's annotations, oldest article first (for JSONL export)."""
        for _, document in self.store.annotations.iter_documents():
            yield document

    # comparison

    def compare(
        self,
        event_id: str,
        *,
        loaded_terms_file: str | Path | None = None,
        context: CompareContext | None = None,
    ) -> Comparison | None:
        """How the sources of one event differ (see :mod:`newsweave.compare`).

        The comparison kept in the store is used while it is current (see
        :meth:`refresh_comparisons`); else it is made, and kept unless the store is open
        read-only. Comparing many events, build one ``compare_context()`` and pass it to
        each call.
        """
        found = self._kept_or_made(event_id, loaded_terms_file, context)
        return comparison_from_dict(found) if isinstance(found, dict) else found

    def comparison_data(
        self,
        event_id: str,
        *,
        loaded_terms_file: str | Path | None = None,
        context: CompareContext | None = None,
    ) -> dict[str, Any] | None:
        """:meth:`compare` as JSON data (``Comparison.to_dict()``), the kept one as it is
        stored: what the pages and REST serve, without making objects of it."""
        found = self._kept_or_made(event_id, loaded_terms_file, context)
        return found.to_dict() if isinstance(found, Comparison) else found

    def _kept_or_made(
        self,
        event_id: str,
        loaded_terms_file: str | Path | None,
        context: CompareContext | None,
    ) -> dict[str, Any] | Comparison | None:
        """The event's kept comparison as its JSON data while current, else one made now
        (and kept); None when there is no such event."""
        event = self.store.get_event(event_id)
        if event is None:
            return None
        found = context or self.compare_context(loaded_terms_file)
        stored = self._stored_comparison(event.id, found.salt)
        return stored if stored is not None else self._made_comparison(event, found)

    def _made_comparison(self, event: Event, context: CompareContext) -> Comparison | None:
        """The event's comparison made now; kept unless read-only (or too small to keep)."""
        if self.read_only or event.size < KEPT_MIN_SIZE:
            return self._compare(event, context)
        try:
            return self._make_kept(event.id, context)
        except sqlite3.OperationalError:  # another writer held the store past the timeout
            return self._compare(event, context)

    def refresh_comparisons(
        self, event_ids: Iterable[str] | None = None, *, progress: Progress | None = None
    ) -> int:
        """Make and keep the comparison of each of ``event_ids`` whose kept one is missing
        or stale (None: of every such event, found with one query); returns how many were
        made. Events under ``KEPT_MIN_SIZE`` articles are left out.

        Each comparison is made and kept in a write transaction of its own, so it is made
        from what its fingerprint says, and other writers wait at most one event's work.
        ``progress`` is told of the phase "comparing" when there is anything to make. A
        comparison that fails is told to ``on_comparison_failure`` (event id, reason) and
        left to be made on demand.
        """
        loaded = loaded_terms()
        chosen = self._stale_events(event_ids, comparison_salt(loaded))
        if not chosen:
            return 0
        context = self.compare_context(loaded=loaded)
        told = progress or NoProgress()
        told.start(COMPARING, len(chosen))
        made = 0
        for event_id in chosen:
            made += self._refresh_one(event_id, context)
            told.advance(COMPARING)
        told.done(COMPARING)
        return made

    def _stale_events(self, event_ids: Iterable[str] | None, salt: str) -> list[str]:
        """Of ``event_ids`` (None: every event), those whose kept comparison is missing or
        stale; kept comparisons of events gone (or too small to keep) are dropped."""
        kept = self.store.comparisons
        asked = None if event_ids is None else list(dict.fromkeys(event_ids))
        with self.store.transaction():
            kept.prune(KEPT_MIN_SIZE, asked)
        if asked is None:
            return kept.stale_ids(salt, KEPT_MIN_SIZE)
        return [event_id for event_id in asked if kept.stale(event_id, salt, KEPT_MIN_SIZE)]

    def _refresh_one(self, event_id: str, context: CompareContext) -> bool:
        """Make and keep one event's comparison when still missing or stale."""
        kept = self.store.comparisons
        try:
            with self.store.transaction():
                if not kept.stale(event_id, context.salt, KEPT_MIN_SIZE):
                    return False
                return self._make_kept(event_id, context, in_transaction=True) is not None
        except Exception as error:  # one event must not stop the others, nor the ingest
            if self.on_comparison_failure is not None:
                self.on_comparison_failure(event_id, f"{type(error).__name__}: {error}")
            return False

    def _stored_comparison(self, event_id: str, salt: str) -> dict[str, Any] | None:
        """The event's kept comparison (its JSON data) while current, else None."""
        kept = self.store.comparisons
        current = kept.fingerprint_of(event_id, salt)
        return kept.get(event_id, current) if current is not None else None

    def _make_kept(
        self, event_id: str, context: CompareContext, *, in_transaction: bool = False
    ) -> Comparison | None:
        """Make the event's comparison and keep it, in one write transaction (the caller's
        with ``in_transaction``); None when there is no such event."""
        if not in_transaction:
            with self.store.transaction():
                return self._make_kept(event_id, context, in_transaction=True)
        event = self.store.get_event(event_id)
        current = self.store.comparisons.fingerprint_of(event_id, context.salt)
        if event is None or current is None:
            return None
        made = self._compare(event, context, keep=True)
        self.store.comparisons.save(event.id, current, made.to_dict())
        return made

    def _compare(self, event: Event, context: CompareContext, keep: bool = False) -> Comparison:
        return compare(
            event.id,
            event.title,
            load_coverage(self.store, event.id, keep),
            outlets=context.outlets,
            actor_of=context.actor_of,
            loaded=context.loaded,
            table=self.outlets,
        )

    def compare_context(
        self, loaded_terms_file: str | Path | None = None, *, loaded: frozenset[str] | None = None
    ) -> CompareContext:
        """What every comparison of this store shares: outlets, actor ids, loaded terms
        (``loaded``, when already read, else read from ``loaded_terms_file``)."""
        return CompareContext(
            outlets=list(self.store.outlet_counts()),
            actor_of=actor_ids_by_name(self.store),
            loaded=loaded if loaded is not None else loaded_terms(loaded_terms_file),
        )

    def export_rows(self) -> Iterator[dict[str, Any]]:
        """One row per article sighting: article, input id, url, outlet, date, event, storyline."""
        return self.store.export_rows()


def _day(utc: float | None) -> str | None:
    return datetime.fromtimestamp(utc, UTC).date().isoformat() if utc is not None else None


def outlet_path(db: str | Path, given: str | Path | None = None) -> Path | None:
    """The user's outlet file in force: ``given``, else ``$NEWSWEAVE_OUTLETS``, else
    ``<store>.outlets.toml`` beside the store when there is one."""
    return user_file(db, given, OUTLETS_ENV, ".outlets.toml")


def open(
    db: str | Path = DEFAULT_DB, *, read_only: bool = False, aliases: str | Path | None = None
) -> Newsweave:
    """Open (or create) a store: ``with newsweave.open("news.db") as news: ...``."""
    return Newsweave(db, read_only=read_only, aliases=aliases)
