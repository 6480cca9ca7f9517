"""Ingest orchestration: sources → articles → dedup → store, in small atomic batches."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsweave.ingest.dedup import Match, NearDuplicateIndex, minhash, shingles, to_bytes
from newsweave.ingest.language import detect_language
from newsweave.ingest.normalise import to_article
from newsweave.ingest.options import ReadOptions, Source
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
)
from newsweave.store.base import Store

BATCH_ARTICLES = 500
BATCH_SECONDS = 2.0


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


@dataclass(slots=True)
class _Pending:
    """Writes not yet committed, so duplicates inside one batch are seen."""

    articles: dict[str, tuple[Article, bytes]] = field(default_factory=dict)
    sightings: list[Sighting] = field(default_factory=list)
    copies: list[CopyLink] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)


class Ingestor:
    """Reads inputs into a store. One instance per run."""

    def __init__(
        self,
        store: Store,
        options: ReadOptions | None = None,
        *,
        strict: bool = False,
        hooks: ProgressHooks | None = None,
        index: NearDuplicateIndex | None = None,
    ) -> None:
        self.store = store
        self.options = options or ReadOptions()
        self.strict = strict
        self.hooks = hooks or ProgressHooks()
        self.report = IngestReport()
        self._pending = _Pending()
        self._index = index or near_duplicate_index(store)
        self._run_sightings: set[tuple[str, str, str, str]] = set()

    def run(self, arguments: list[str]) -> IngestReport:
        """Ingest every file, folder, glob or URL in ``arguments``."""
        found = list(discover(arguments))
        sources = [item for item in found if isinstance(item, Source)]
        self.hooks.on_sources(len(sources))
        try:
            for item in found:
                if isinstance(item, Problem):
                    self._problem(item)
            for source in sources:
                self.hooks.on_source_start(source)
                self.add_items(read_source(source, self.options))
                self.hooks.on_source_done(source)
        except StrictStop:
            pass
        finally:
            self.flush()
        return self.report

    def add_items(self, items: Iterable[RawArticle | Problem]) -> None:
        """Ingest raw articles from any reader (or from the API)."""
        for item in items:
            if isinstance(item, Problem):
                self._problem(item)
                continue
            notices: list[Notice] = []
            try:
                article = to_article(item, notices)
            except InputError as exc:
                self._problem(exc.problem)
                continue
            for notice in notices:
                self.report.notices += 1
                self.hooks.on_notice(notice)
            self._add(article)
            self.hooks.on_article()
            if self._batch_full():
                self.flush()

    def _problem(self, problem: Problem) -> None:
        self.report.skipped += 1
        self.report.problems.append(problem)
        self.hooks.on_problem(problem)
        if self.strict:
            raise StrictStop(problem)

    def _add(self, article: Article) -> None:
        self.report.read += 1
        sighting = _sighting_of(article)
        key = _sighting_key(sighting)
        if self._is_known(article.id):
            if key in self._run_sightings:
                self.report.duplicates += 1
                return
            if self._sighting_stored(sighting):
                self.report.already_stored += 1
                return
            self.report.duplicates += 1
        else:
            self._add_new(article)
        self._run_sightings.add(key)
        self._pending.sightings.append(sighting)

    def _add_new(self, article: Article) -> None:
        if article.language is None:
            article.language = detect_language(article.title, article.text)
        shingle_set = shingles(article.text)
        signature = minhash(shingle_set)
        match = self._index.best_match(shingle_set, signature, self)
        self._index.add(article.id, signature)
        self._pending.articles[article.id] = (article, to_bytes(signature))
        self.report.new += 1
        self.report.new_ids.append(article.id)
        if match is not None:
            self._pending.copies.append(self._copy_link(article, match))
            self.report.copies += 1

    def _copy_link(self, article: Article, match: Match) -> CopyLink:
        other = self._article(match.other_id)
        new_is_earlier = (
            other is not None
            and article.published is not None
            and other.published is not None
            and article.published.moment < other.published.moment
        )
        if new_is_earlier:
            return CopyLink(match.other_id, article.id, match.jaccard, match.containment_other)
        return CopyLink(article.id, match.other_id, match.jaccard, match.containment_new)

    def _is_known(self, article_id: str) -> bool:
        return article_id in self._pending.articles or self.store.has_article(article_id)

    def _sighting_stored(self, sighting: Sighting) -> bool:
        key = _sighting_key(sighting)
        return any(_sighting_key(s) == key for s in self.store.sightings(sighting.article_id))

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
        """Commit everything pending in one transaction."""
        pending = self._pending
        if pending.articles or pending.sightings or pending.copies:
            with self.store.transaction():
                for article, signature in pending.articles.values():
                    self.store.add_article(article, signature)
                for sighting in pending.sightings:
                    self.store.add_sighting(sighting)
                for link in pending.copies:
                    self.store.add_copy(link)
        self._pending = _Pending()


def near_duplicate_index(store: Store) -> NearDuplicateIndex:
    """An index over every article already in ``store``."""
    index = NearDuplicateIndex()
    index.load(store.iter_signatures())
    return index


def _sighting_of(article: Article) -> Sighting:
    return Sighting(
        article_id=article.id,
        outlet=article.outlet,
        origin=article.origin,
        url=article.url,
        input_id=article.input_id,
        title=article.title,
        published=article.published.isoformat() if article.published else None,
    )


def _sighting_key(sighting: Sighting) -> tuple[str, str, str, str]:
    return (sighting.article_id, sighting.outlet, sighting.url or "", sighting.input_id or "")


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
