"""Queries over many ids, a chunk at a time (SQLite binds a limited number of values)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from newsweave.store.clustering import chunks


def rows_for(
    db: sqlite3.Connection, query: str, ids: Sequence[str], *params: Any
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``query`` for all of ``ids``: its ``{marks}`` are the places of one
    chunk of ids, bound after ``params``."""
    for chunk in chunks(ids):
        marks = ",".join("?" * len(chunk))
        yield from db.execute(query.format(marks=marks), (*params, *chunk))
