"""Stored sentence vectors: per article, the vectors of its analysed document's sentences, in
order, as bytes, with the name of the model that made them; a reader takes only those of the
model it asks for. The layer above decides what the bytes hold (see compare/vectors.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from newsweave.store.queries import rows_for


class VectorTables:
    """Reads and writes sentence vectors over a store's connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def get(self, article_ids: Sequence[str], model: str) -> dict[str, bytes]:
        """The stored vectors of ``model`` among the articles'; others are left out."""
        query = (
            "SELECT article_id, data FROM sentence_vectors WHERE model = ? "
            "AND article_id IN ({marks})"
        )
        rows = rows_for(self._db, query, article_ids, model)
        return {str(article_id): bytes(data) for article_id, data in rows}

    def save(self, vectors: Iterable[tuple[str, bytes]], model: str) -> None:
        """Keep the articles' vectors (replacing any earlier ones)."""
        self._db.executemany(
            "INSERT OR REPLACE INTO sentence_vectors (article_id, model, data) VALUES (?, ?, ?)",
            ((article_id, model, data) for article_id, data in vectors),
        )
