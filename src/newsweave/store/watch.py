"""The watch tables of the SQLite store: conditional-GET validators and back-off per feed,
and the size and modification time of every file a watched folder had when it was read.

They are read and written over the store's own connection, each write committing alone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(slots=True)
class FeedState:
    """What the watcher knows about one feed URL."""

    location: str
    etag: str | None = None
    last_modified: str | None = None
    failures: int = 0
    next_try: float = 0.0
    last_error: str | None = None
    checked_at: float | None = None


@dataclass(frozen=True, slots=True)
class FileStamp:
    """A file as it was when last read: enough to tell that it changed."""

    mtime_ns: int
    size: int


class WatchTables:
    """Reads and writes watch state over the store's connection (see ``SQLiteStore.watch``)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def feed(self, location: str) -> FeedState:
        """The stored state of a feed, or a fresh one."""
        row = self._db.execute(
            "SELECT location, etag, last_modified, failures, next_try, last_error, checked_at "
            "FROM watch_feeds WHERE location = ?",
            (location,),
        ).fetchone()
        return FeedState(*row) if row else FeedState(location)

    def save_feed(self, state: FeedState) -> None:
        """Insert or replace the state of one feed."""
        self._db.execute(
            "INSERT OR REPLACE INTO watch_feeds (location, etag, last_modified, failures, "
            "next_try, last_error, checked_at) VALUES (?,?,?,?,?,?,?)",
            (
                state.location, state.etag, state.last_modified, state.failures,
                state.next_try, state.last_error, state.checked_at,
            ),
        )  # fmt: skip

    def file(self, path: str) -> FileStamp | None:
        """How a file was when last read, or ``None`` when never read."""
        row = self._db.execute(
            "SELECT mtime_ns, size FROM watch_files WHERE path = ?", (path,)
        ).fetchone()
        return FileStamp(int(row[0]), int(row[1])) if row else None

    def save_file(self, path: str, stamp: FileStamp) -> None:
        """Remember that ``path`` was read as it is now."""
        self._db.execute(
            "INSERT OR REPLACE INTO watch_files (path, mtime_ns, size) VALUES (?,?,?)",
            (path, stamp.mtime_ns, stamp.size),
        )
