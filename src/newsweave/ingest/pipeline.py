"""Ingest orchestration: sources → articles → dedup → store, in small atomic batches."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from newsweave.annotate.document import VERSION as DOCUMENT_VERSION
from newsweave.annotate.document import analyse_article
from newsweave.copies import origin_first, shingles
from newsweave.ingest.dedup import Match, NearDuplicateIndex, minhash, to_bytes
from newsweave.ingest.identity import (
    salted_id,
    same_piece,
    shared_reason,
    thin_reason,
)
from newsweave.ingest.language import detect_language
from newsweave.ingest.meta import with_side_metadata
from newsweave.ingest.normalise import derived_title, normalised_for_hash, reason_of, to_article
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.sources import discover, read_source
from newsweave.model import (
    Article,
    CopyLink,
    IngestReport,
    InputError,
    Notice,
    Problem,
    RawArticle,
    Sighting,
    Thin,
)
from newsweave.outlets import OutletTable, default_table
from newsweave.store.base import Store

BATCH_ARTICLES = 500
BATCH_SECONDS = 2.0
# What the store says of one record's values (a type it cannot bind, a constraint).
_RECORD_STORE_ERRORS = (
    sqlite3.InterfaceError, sqlite3.ProgrammingError, sqlite3.DataError, sqlite3.IntegrityError,
)  # fmt: skip
_TALLIES = ("read", "new", "duplicates", "already_stored", "updated", "copies", "thin")
# What every source holds, source by source in the order given; each source's items are read
# when iterated. The default reads here, one source after the other; a backfill reads ahead
# in parallel elsewhere (newsweave.backfill).
SourceReader = Callable[[list[Source], ReadOptions], Iterator[ReadResult]]


class StrictStop(Exception):
    """Raised in strict mode at the first problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass(slots=True)
class ProgressHooks:
    """Callbacks the CLI uses to draw progress and print problems as they happen."""

    on_sources: Callable[[int], None] = lambda total: None
    on_source_start: Callable[[Source], None] = lambda source: None
    on_source_done: Callable[[Source], None] = lambda source: None
    on_article: Callable[[], None] = lambda: None
    on_problem: Callable[[Problem], None] = lambda problem: None
    on_notice: Callable[[Notice], None] = lambda notice: None


# Problems and notices told one by one for each input; past that they are only counted, and
# one line at the input's end says how many more there were (a dump of a million bad records
# must not print a million lines).
TOLD_PER_INPUT = 50


@dataclass(slots=True)
class _Told:
    """How many problems and notices the current input has had."""

    problems: int = 0
    notices: int = 0

    def untold(self) -> str | None:
        """The line for what was not told one by one, if anything."""
        parts = [
            f"{count - TOLD_PER_INPUT:,} more {name}"
            for name, count in (("problems", self.problems), ("notes", self.notices))
            if count > TOLD_PER_INPUT
        ]
        return " and ".join(parts) + " not listed one by one" if parts else None


@dataclass(slots=True)
class _Pending:
    """Writes not yet committed, so duplicates inside one batch are seen."""

    articles: dict[str, tuple[Article, bytes]] = field(default_factory=dict)
    sightings: list[Sighting] = field(default_factory=list)
    copies: list[CopyLink] = field(default_factory=list)
    resighted: list[tuple[Sighting, Sighting]] = field(default_factory=list)  # old, new
    updated: dict[str, Article] = field(default_factory=dict)
    thin: dict[str, Thin] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    decided: list[Article] = field(default_factory=list)  # the batch's records, in order


@dataclass(slots=True)
class _Checkpoint:
    """What deciding a batch changes outside it, as it was when the batch began, so a
    batch can be decided again without a record that failed."""

    tallies: dict[str, int]
    id_counts: tuple[int, int]  # len(new_ids), len(updated_ids)
    outlet_sources: dict[str, int]
    folder_outlets: dict[str, int]
    run_records: dict[tuple[str, str], Sighting | None] = field(default_factory=dict)

    @classmethod
    def of(cls, report: IngestReport) -> _Checkpoint:
        return cls(
            {name: getattr(report, name) for name in _TALLIES},
            (len(report.new_ids), len(report.updated_ids)),
            dict(report.outlet_sources),
            dict(report.folder_outlets),
        )

    def restore(self, report: IngestReport, run_records: dict[tuple[str, str], Sighting]) -> None:
        for name, value in self.tallies.items():
            setattr(report, name, value)
        del report.new_ids[self.id_counts[0] :], report.updated_ids[self.id_counts[1] :]
        report.outlet_sources, report.folder_outlets = self.outlet_sources, self.folder_outlets
        for key, old in self.run_records.items():
            if old is None:
                run_records.pop(key, None)
            else:
                run_records[key] = old


class Ingestor:
    """Reads inputs into a store. One instance per run.

    Each batch is decided and written inside one write transaction of the store, so two
    ingests into one store at once take turns batch by batch and end as one would.
    """

    def __init__(
        self,
        store: Store,
        options: ReadOptions | None = None,
        *,
        strict: bool = False,
        hooks: ProgressHooks | None = None,
        index: NearDuplicateIndex | None = None,
        outlets: OutletTable | None = None,
    ) -> None:
        self.store = store
        self.options = options or ReadOptions()
        self.strict = strict
        self.hooks = hooks or ProgressHooks()
        self.outlets = outlets or default_table()
        self.report = IngestReport()
        self._pending = _Pending()
        self._checkpoint = _Checkpoint.of(self.report)
        self._writing = False
        self._index = index if index is not None else NearDuplicateIndex()
        self._run_records: dict[tuple[str, str], Sighting] = {}
        self._told = _Told()

    def run(self, arguments: list[str], reader: SourceReader | None = None) -> IngestReport:
        """Ingest every file, folder, glob or URL in ``arguments``; ``reader`` reads the
        sources (default: each in turn, here). Whoever reads, the records are decided and
        stored here, in the order of the sources."""
        passed_over: list[Problem] = []
        found = list(discover(arguments, passed_over))
        self.report.passed_over = list(dict.fromkeys(passed_over))  # a folder named twice
        sources = [item for item in found if isinstance(item, Source)]
        self.hooks.on_sources(len(sources))
        try:
            try:
                for item in found:
                    if isinstance(item, Problem):
                        self._problem(item)
                contents = (reader or read_each)(sources, self.options)
                for source, items in zip(sources, contents, strict=True):
                    self.hooks.on_source_start(source)
                    with self.one_input(source.location):
                        self.add_items(with_side_metadata(items, source, self.options.meta))
                    self.hooks.on_source_done(source)
            finally:
                self.flush()
        except StrictStop:
            pass
        return self.report

    def add_items(self, items: Iterable[RawArticle | Problem]) -> None:
        """Ingest raw articles from any reader (or from the API). A record that fails is
        one problem; the others go on."""
        for item in items:
            if isinstance(item, Problem):
                self._problem(item)
                continue
            article = self._normalised(item)
            if article is None:
                continue
            self._begin_batch()
            if not self._decided(article):
                continue
            self.hooks.on_article()
            if self._batch_full():
                self.flush()

    def _normalised(self, raw: RawArticle) -> Article | None:
        """``raw`` as an article, its notices told; None (a problem told) when it cannot be."""
        notices: list[Notice] = []
        try:
            article = to_article(raw, notices, self.outlets)
        except InputError as exc:
            self._problem(exc.problem)
            return None
        except Exception as exc:  # an internal failure on one odd record
            if fails_the_run(exc):
                raise
            self._problem(Problem("record", str(raw.origin), f"unreadable ({reason_of(exc)})"))
            return None
        for notice in notices:
            self.report.notices += 1
            self._told.notices += 1
            if self._told.notices <= TOLD_PER_INPUT:
                self.hooks.on_notice(notice)
        return article

    def _decided(self, article: Article) -> bool:
        """Decide what ``article`` is and queue its writes; False (a problem told) when
        that failed: the batch is then decided again without it."""
        try:
            self._add(article)
        except Exception as exc:  # an internal failure on one odd record
            if fails_the_run(exc):
                raise
            decided = self._pending.decided
            self._undo_batch()
            self._begin_batch()
            for other in decided:
                self._add(other)  # each was decided before, on this same state
            self._pending.decided = decided
            self._problem(Problem("record", str(article.origin), f"not stored ({reason_of(exc)})"))
            return False
        self._pending.decided.append(article)
        return True

    def _undo_batch(self) -> None:
        """Forget what the batch decided. Nothing is written before :meth:`flush`, so the
        store has nothing to undo but its open transaction."""
        self.store.rollback()
        self._writing = False
        self._pending = _Pending()
        self._checkpoint.restore(self.report, self._run_records)

    def _problem(self, problem: Problem) -> None:
        self.report.skipped += 1
        self._told.problems += 1
        if self._told.problems <= TOLD_PER_INPUT:
            self.report.problems.append(problem)
            self.hooks.on_problem(problem)
        if self.strict:
            raise StrictStop(problem)

    @contextmanager
    def one_input(self, location: str) -> Iterator[None]:
        """Problems and notices of one input are told one by one up to
        :data:`TOLD_PER_INPUT`, then counted, and told as one line at the end."""
        self._told = _Told()
        try:
            yield
        finally:
            untold = self._told.untold()
            if untold:
                self.hooks.on_notice(Notice(location, untold))

    def _begin_batch(self) -> None:
        """Take the store's write lock and catch up with what others wrote meanwhile."""
        if self._writing:
            return
        self.store.begin_writing()
        self._writing = True
        self._pending = _Pending()
        self._checkpoint = _Checkpoint.of(self.report)
        self._index.load(self.store.iter_signatures(self._index.through))

    # deciding what one record is

    def _add(self, article: Article) -> None:
        self.report.read += 1
        self._tally_outlet(article)
        known = self._is_known(article.id)
        # a title-only record's id comes from its title: read again with another title,
        # it is still the record stored before
        if (known or not article.text) and self._seen_before(article):
            return
        if not known:
            self._add_new(article, thin_reason(article.text))
            return
        stored = self._article(article.id)
        assert stored is not None
        if same_piece(stored, article, (derived_title(stored.text), derived_title(article.text))):
            self._sight(replace(article, id=stored.id))
            self.report.duplicates += 1
            return
        shared = shared_reason(article.text)
        if shared:
            self._mark_thin(stored.id, shared)
        salted = salted_id(article.text, article.title)
        other = replace(article, id=salted)
        if self._is_known(salted):
            self._sight(other)
            self.report.duplicates += 1
        else:
            self._add_new(other, shared or thin_reason(article.text))

    def _seen_before(self, article: Article) -> bool:
        """Handle a record already stored with this text: a repeat within this run, the
        same again (already stored), or read again with new metadata (an update)."""
        new = _sighting_of(article)
        for key in record_keys(article):
            earlier = self._run_records.get(key)
            if (
                earlier is not None
                and same_record(earlier, new)
                and self._same_text(earlier.article_id, article)
            ):
                self.report.duplicates += 1
                return True
        for old in self._stored_sightings(article):
            if same_record(old, new) and self._same_text(old.article_id, article):
                again = replace(new, article_id=old.article_id)
                self._update(old, merged_sighting(old, again, derived_title(article.text)), article)
                return True
        return False

    def _stored_sightings(self, article: Article) -> Iterator[Sighting]:
        """Stored sightings that may be this record's: those of the article with its id
        first (the usual case, one indexed read), then any with its input id, url or origin
        (under a salted or title-only id)."""
        yield from self.store.sightings(article.id)
        for sighting in self.store.find_sightings(article.input_id, article.url, article.origin):
            if sighting.article_id != article.id:
                yield sighting

    def _same_text(self, article_id: str, article: Article) -> bool:
        """Whether the article ``article_id`` has ``article``'s text (its id may differ:
        salted by a title, or a title-only record's)."""
        if article_id == article.id:
            return True
        other = self._article(article_id)
        return other is not None and normalised_for_hash(other.text) == normalised_for_hash(
            article.text
        )

    def _update(self, old: Sighting, new: Sighting, read: Article) -> None:
        self._remember(new)
        if replace(new, origin=old.origin) == old:
            self.report.already_stored += 1
            return
        self._pending.resighted.append((old, new))
        stored = self._pending.updated.get(old.article_id) or self._article(old.article_id)
        assert stored is not None
        first = self.store.sightings(old.article_id)[:1] == [old]
        if first or (stored.published is None and read.published is not None):
            self._pending.updated[stored.id] = updated_article(stored, new, read, first)
        self.report.updated += 1
        self.report.updated_ids.append(old.article_id)

    def _add_new(self, article: Article, thin: Thin | None) -> None:
        article.thin = thin
        if article.language is None:
            article.language = detect_language(article.title, article.text)
        shingle_set = shingles(article.text)
        signature = minhash(shingle_set)
        if thin is None:
            match = self._index.best_match(shingle_set, signature, self)
            self._index.add(article.id, signature)
            if match is not None:
                self._pending.copies.append(self._copy_link(article, match))
                self.report.copies += 1
        else:
            self.report.thin += 1
        self._pending.articles[article.id] = (article, to_bytes(signature))
        self.report.new += 1
        self.report.new_ids.append(article.id)
        self._sight(article)

    def _sight(self, article: Article) -> None:
        sighting = _sighting_of(article)
        self._remember(sighting)
        self._pending.sightings.append(sighting)

    def _remember(self, sighting: Sighting) -> None:
        for key in record_keys(sighting):
            self._checkpoint.run_records.setdefault(key, self._run_records.get(key))
            self._run_records[key] = sighting

    def _mark_thin(self, article_id: str, why: Thin) -> None:
        pending = self._pending.articles.get(article_id)
        if pending is not None:
            pending[0].thin = why
        else:
            self._pending.thin[article_id] = why

    def _tally_outlet(self, article: Article) -> None:
        source = article.outlet_source or "none"
        self.report.outlet_sources[source] = self.report.outlet_sources.get(source, 0) + 1
        if source == "folder":
            folders = self.report.folder_outlets
            folders[article.outlet] = folders.get(article.outlet, 0) + 1

    def _copy_link(self, article: Article, match: Match) -> CopyLink:
        other = self._article(match.other_id)
        if other is not None and not origin_first(other, article):
            return CopyLink(match.other_id, article.id, match.jaccard, match.containment_other)
        return CopyLink(article.id, match.other_id, match.jaccard, match.containment_new)

    def _is_known(self, article_id: str) -> bool:
        return article_id in self._pending.articles or self.store.has_article(article_id)

    def _article(self, article_id: str) -> Article | None:
        pending = self._pending.articles.get(article_id)
        return pending[0] if pending else self.store.get_article(article_id)

    def text_of(self, article_id: str) -> str | None:
        article = self._article(article_id)
        return article.text if article else None

    def signature_of(self, article_id: str) -> bytes | None:
        pending = self._pending.articles.get(article_id)
        return pending[1] if pending else self.store.signature(article_id)

    def _batch_full(self) -> bool:
        pending = self._pending
        return (
            len(pending.articles) + len(pending.sightings) >= BATCH_ARTICLES
            or time.monotonic() - pending.started > BATCH_SECONDS
        )

    def flush(self) -> None:
        """Write everything pending and commit it in one transaction. When one record
        cannot be written, the batch is written again record by record, and that one is
        a problem."""
        if not self._writing:
            return
        decided = self._pending.decided
        try:
            self._commit()
        except Exception as exc:
            if fails_the_run(exc):
                raise
            self._checkpoint.restore(self.report, self._run_records)
            self._write_one_by_one(decided)

    def _write_one_by_one(self, articles: list[Article]) -> None:
        """Decide and write each article in a transaction of its own; one the store
        refuses is a problem."""
        for article in articles:
            self._begin_batch()
            try:
                self._add(article)
                self._commit()
            except Exception as exc:  # this record is the one the store refused
                if fails_the_run(exc):
                    raise
                self._undo_batch()
                self._problem(
                    Problem("record", str(article.origin), f"not stored ({reason_of(exc)})")
                )

    def _commit(self) -> None:
        pending, store = self._pending, self.store
        try:
            for article, signature in pending.articles.values():
                store.add_article(article, signature)
            for sighting in pending.sightings:
                store.add_sighting(sighting)
            for link in pending.copies:
                store.add_copy(link)
            for old, new in pending.resighted:
                store.replace_sighting(old, new)
            for article in pending.updated.values():
                store.update_article(article)
            changed = [a for a, _ in pending.articles.values()] + list(pending.updated.values())
            store.documents.save(map(analyse_article, changed), DOCUMENT_VERSION)
            for article_id, why in pending.thin.items():
                store.mark_thin(article_id, why)
            store.commit()
        except BaseException:
            store.rollback()
            raise
        finally:
            self._writing = False
            self._pending = _Pending()


def read_each(sources: list[Source], options: ReadOptions) -> Iterator[ReadResult]:
    """The default :data:`SourceReader`: each source read here when its items are iterated."""
    return (read_source(source, options) for source in sources)


def fails_the_run(error: Exception) -> bool:
    """Whether ``error`` is the machine's or the store's (memory, disk, a locked or damaged
    store), which stops the run, rather than one record's, which skips that record."""
    if isinstance(error, _RECORD_STORE_ERRORS):
        return False
    return isinstance(error, OSError | MemoryError | sqlite3.Error)


def record_keys(record: Article | Sighting) -> list[tuple[str, str]]:
    """The ways one input record is recognised again: input id, url, where it was read."""
    keys = [("origin", record.origin)]
    if record.input_id:
        keys.append(("id", record.input_id))
    if record.url:
        keys.append(("url", record.url))
    return keys


def same_record(old: Sighting, new: Sighting) -> bool:
    """Whether two sightings are one input record: input ids decide when both have one,
    else the same url or the same place read."""
    if old.input_id and new.input_id:
        return old.input_id == new.input_id
    if old.url and new.url and old.url == new.url:
        return True
    return old.origin == new.origin


_OUTLET_RANK = {"field": 3, "table": 2, "url": 2, None: 2, "folder": 1, "none": 0}


def merged_sighting(old: Sighting, new: Sighting, derived: str) -> Sighting:
    """A record read again: what it now states wins; what it leaves out (a date, a url,
    a title of its own, an outlet better than a folder name) keeps the stored value."""
    better_outlet = _OUTLET_RANK[new.outlet_source] >= _OUTLET_RANK[old.outlet_source]
    return replace(
        new,
        outlet=new.outlet if better_outlet else old.outlet,
        outlet_source=new.outlet_source if better_outlet else old.outlet_source,
        url=new.url or old.url,
        input_id=new.input_id or old.input_id,
        title=new.title if new.title != derived or not old.title else old.title,
        published=new.published or old.published,
    )


def updated_article(stored: Article, sighting: Sighting, read: Article, first: bool) -> Article:
    """The stored article with the metadata of its record read again. Only the article's
    first record sets its title, outlet and url; any record fills a missing date."""
    published = read.published if read.published and sighting.published else stored.published
    if not first:
        return replace(stored, published=published)
    return replace(
        stored,
        title=sighting.title or stored.title,
        outlet=sighting.outlet,
        outlet_source=sighting.outlet_source,
        url=sighting.url,
        input_id=sighting.input_id,
        origin=sighting.origin,
        published=published,
        authors=read.authors or stored.authors,
        language=read.language or stored.language,
    )


def _sighting_of(article: Article) -> Sighting:
    return Sighting(
        article_id=article.id,
        outlet=article.outlet,
        origin=article.origin,
        url=article.url,
        input_id=article.input_id,
        title=article.title,
        published=article.published.isoformat() if article.published else None,
        outlet_source=article.outlet_source,
    )


def ingest(
    store: Store,
    arguments: list[str],
    options: ReadOptions | None = None,
    *,
    strict: bool = False,
    hooks: ProgressHooks | None = None,
) -> IngestReport:
    """Ingest files, folders, globs and URLs into ``store``; see :class:`Ingestor`."""
    return Ingestor(store, options, strict=strict, hooks=hooks).run(arguments)
