"""Stored comparisons: one JSON document per event, with the fingerprint of what it was
computed from, so a reader uses it only while it is current.

The fingerprint hashes the event's title, its member article ids (sorted) and a ``salt`` the
caller gives: the versions of the comparison and annotation code and whatever else the
comparison was computed with. A change to a member article, one of its records or its
annotations drops the stored comparison of its event (triggers of migration 8), so the
fingerprint need only cover what the event is made of.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from typing import Any

_STALE = (
    "SELECT e.id, e.title, c.fingerprint, GROUP_CONCAT(ae.article_id, ' ') FROM events e "
    "JOIN article_events ae ON ae.event_id = e.id "
    "LEFT JOIN comparisons c ON c.event_id = e.id "
    "WHERE e.size >= ? GROUP BY e.id ORDER BY e.first_utc IS NULL, e.first_utc, e.id"
)


def fingerprint(title: str, member_ids: Iterable[str], salt: str) -> str:
    """What a comparison was computed from, as 32 hex digits (the member order is ignored).

    >>> fingerprint("Dam opens", ["b", "a"], "v1") == fingerprint("Dam opens", ["a", "b"], "v1")
    True
    """
    text = "\n".join([salt, title, *sorted(member_ids)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class ComparisonTables:
    """Reads and writes stored comparisons over a store's connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    # reading

    def fingerprint_of(self, event_id: str, salt: str) -> str | None:
        """The fingerprint the event has now; None when there is no such event."""
        row = self._db.execute("SELECT title FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            return None
        members = self._db.execute(
            "SELECT article_id FROM article_events WHERE event_id = ?", (event_id,)
        ).fetchall()
        return fingerprint(str(row[0]), (str(m[0]) for m in members), salt)

    def get(self, event_id: str, current: str) -> dict[str, Any] | None:
        """The stored comparison of the event when it was computed from ``current``."""
        try:
            row = self._db.execute(
                "SELECT data FROM comparisons WHERE event_id = ? AND fingerprint = ?",
                (event_id, current),
            ).fetchone()
        except sqlite3.OperationalError as error:  # a store of an older schema, read-only
            if "no such table" not in str(error):
                raise
            return None
        found: dict[str, Any] | None = json.loads(row[0]) if row else None
        return found

    def stale_ids(self, salt: str, min_size: int = 1) -> list[str]:
        """Events of at least ``min_size`` articles whose stored comparison is missing or
        was computed from something else, in time order (one query)."""
        rows = self._db.execute(_STALE, (min_size,)).fetchall()
        return [
            str(row[0])
            for row in rows
            if row[2] != fingerprint(str(row[1]), str(row[3]).split(" "), salt)
        ]

    def stale(self, event_id: str, salt: str, min_size: int = 1) -> bool:
        """True when the event has at least ``min_size`` articles and its stored comparison
        is missing or was computed from something else."""
        row = self._db.execute(
            "SELECT e.size, c.fingerprint FROM events e LEFT JOIN comparisons c "
            "ON c.event_id = e.id WHERE e.id = ?",
            (event_id,),
        ).fetchone()
        if row is None or int(row[0]) < min_size:
            return False
        return row[1] is None or row[1] != self.fingerprint_of(event_id, salt)

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM comparisons").fetchone()[0])

    # writing (inside the store's transaction)

    def save(self, event_id: str, current: str, data: dict[str, Any]) -> None:
        """Keep the comparison computed from ``current``, replacing any other."""
        self._db.execute(
            "INSERT OR REPLACE INTO comparisons (event_id, fingerprint, data) VALUES (?,?,?)",
            (event_id, current, json.dumps(data, ensure_ascii=False)),
        )

    def prune(self, min_size: int = 1, event_ids: Iterable[str] | None = None) -> int:
        """Drop the comparisons of events gone or smaller than ``min_size`` (of those among
        ``event_ids``, when given); returns how many."""
        keep = "(SELECT id FROM events WHERE size >= ?)"
        if event_ids is None:
            sql, params = f"DELETE FROM comparisons WHERE event_id NOT IN {keep}", [min_size]
            return self._db.execute(sql, params).rowcount
        sql = f"DELETE FROM comparisons WHERE event_id = ? AND event_id NOT IN {keep}"
        return sum(self._db.execute(sql, (e, min_size)).rowcount for e in event_ids)
