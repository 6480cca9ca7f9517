"""Stored analysed documents (:class:`~newsweave.model.AnalysedDocument`), one per article,
with the version of the analysis that made them: a reader takes only those of the version
it asks for. A change to an article's title, text or date drops its document (a trigger of
migration 9), so a stored document always describes the article as it is.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from newsweave.model import AnalysedDocument, Sentence
from newsweave.store.queries import rows_for


class DocumentTables:
    """Reads and writes analysed documents over a store's connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def get(self, article_ids: Sequence[str], version: int) -> dict[str, AnalysedDocument]:
        """The stored documents of ``version`` among the articles'; others are left out."""
        query = (
            "SELECT article_id, data FROM documents WHERE version = ? AND article_id IN ({marks})"
        )
        rows = rows_for(self._db, query, article_ids, version)
        return {article_id: decode(article_id, data) for article_id, data in rows}

    def save(self, documents: Iterable[AnalysedDocument], version: int) -> None:
        """Keep the documents (replacing any earlier ones of their articles)."""
        self._db.executemany(
            "INSERT OR REPLACE INTO documents (article_id, version, data) VALUES (?, ?, ?)",
            ((d.article_id, version, encode(d)) for d in documents),
        )


def encode(document: AnalysedDocument) -> bytes:
    """The document as compressed JSON (its article id is the row's key)."""
    title, body = [_plain(s) for s in document.title], [_plain(s) for s in document.body]
    plain = [title, body, document.problem]
    return zlib.compress(json.dumps(plain, separators=(",", ":")).encode(), 1)


def decode(article_id: str, data: bytes) -> AnalysedDocument:
    title, body, problem = json.loads(zlib.decompress(data))
    return AnalysedDocument(
        article_id, tuple(map(_sentence, title)), tuple(map(_sentence, body)), problem
    )


def _plain(sentence: Sentence) -> list[Any]:
    return [
        sentence.start, sentence.end, sentence.words, sentence.offsets, sentence.key,
        [day.isoformat() for day in sentence.days], sentence.years, sentence.ages,
        sentence.streets,
    ]  # fmt: skip


def _sentence(plain: list[Any]) -> Sentence:
    start, end, words, offsets, key, days, years, ages, streets = plain
    return Sentence(
        start, end, tuple(words), tuple(offsets), key,
        tuple(date.fromisoformat(day) for day in days), tuple(years), tuple(ages),
        tuple(streets),
    )  # fmt: skip
