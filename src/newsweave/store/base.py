"""The storage interface. SQLite is the default; a server database can implement the same."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from newsweave.model import Article, CopyLink, Sighting
from newsweave.store.documents import DocumentTables


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Filters for listing articles. ``text`` is a full-text search query; ``actor_id``
    keeps the articles that name that actor."""

    outlet: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    limit: int = 50
    offset: int = 0
    actor_id: str | None = None


class QueryError(ValueError):
    """A query the store cannot run (e.g. an unusable full-text search expression)."""


class Store(Protocol):
    """What every storage backend provides."""

    location: str

    def close(self) -> None: ...

    def transaction(self) -> AbstractContextManager[None]: ...

    def begin_writing(self) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    @property
    def documents(self) -> DocumentTables: ...

    # writing (inside a transaction)
    def add_article(self, article: Article, signature: bytes) -> bool: ...

    def add_sighting(self, sighting: Sighting) -> bool: ...

    def add_copy(self, link: CopyLink) -> bool: ...

    def update_article(self, article: Article) -> None: ...

    def mark_thin(self, article_id: str, why: str) -> None: ...

    def replace_sighting(self, old: Sighting, new: Sighting) -> None: ...

    # reading
    def has_article(self, article_id: str) -> bool: ...

    def get_article(self, article_id: str) -> Article | None: ...

    def resolve_id(self, prefix: str) -> list[str]: ...

    def signature(self, article_id: str) -> bytes | None: ...

    def iter_signatures(self, after: int = 0) -> Iterator[tuple[int, str, bytes]]: ...

    def list_articles(self, query: ArticleQuery) -> list[Article]: ...

    def count_articles(self, query: ArticleQuery) -> int: ...

    def sightings(self, article_id: str) -> list[Sighting]: ...

    def find_sightings(
        self, input_id: str | None, url: str | None, origin: str
    ) -> list[Sighting]: ...

    def copy_links(self, article_id: str) -> list[CopyLink]: ...

    def stats(self) -> dict[str, Any]: ...
