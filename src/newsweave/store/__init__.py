"""Storage: one interface, SQLite by default (``open_store("news.db")``)."""

from __future__ import annotations

from pathlib import Path

from newsweave.store.base import ArticleQuery, QueryError, Store
from newsweave.store.sqlite import SQLiteStore, StoreError

__all__ = ["ArticleQuery", "QueryError", "SQLiteStore", "Store", "StoreError", "open_store"]


def open_store(location: str | Path, *, read_only: bool = False) -> SQLiteStore:
    """Open a store by path or ``sqlite:///path`` URL. Server databases are a later backend."""
    text = str(location)
    if "://" in text:
        scheme, _, rest = text.partition("://")
        if scheme != "sqlite":
            raise StoreError(f"no store backend for {scheme!r} yet; use a SQLite file path")
        text = rest.removeprefix("/")  # sqlite:///rel.db, sqlite:////abs/path.db
    return SQLiteStore(text, read_only=read_only)
