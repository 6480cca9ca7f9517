"""The write worker: a process of its own that ingests posted records, one job at a time.

It runs apart from the server so that ingest, annotation and clustering never hold the
server's GIL or its threads: reads are answered while a job runs. Whatever the ingest
pipeline raises, the worker answers with a report: a record it cannot take is a problem of
that record, and the others are stored.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import replace
from multiprocessing.connection import Connection
from typing import Any

from newsweave.api import Newsweave
from newsweave.model import IngestReport, Problem, one_line

ORIGIN = "api"
Record = Mapping[str, Any]
COUNTS = ("read", "new", "duplicates", "already_stored", "updated", "copies", "thin", "skipped")


def main(argv: list[str]) -> None:
    """``python -m newsweave.web.writer FD DB [ALIASES]``: serve write jobs on the socket
    ``FD`` that the server passed down."""
    descriptor, db, *aliases = argv
    serve_writes(Connection(int(descriptor)), db, aliases[0] if aliases else None)


def serve_writes(connection: Connection, db: str, aliases: str | None) -> None:
    """The worker's loop: a list of records in, a report (a dict) out, until the server
    closes its end (or dies)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    while True:
        try:
            records = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer: dict[str, Any] = {"report": ingest_records(db, aliases, records)}
        except Exception as error:  # the store itself failed: the job fails, the worker lives
            answer = {"error": reason(error)}
        try:
            connection.send(answer)
        except (EOFError, OSError):
            return


def ingest_records(db: str, aliases: str | None, records: Sequence[Record]) -> dict[str, Any]:
    """Ingest, annotate and cluster ``records``; the report as a dict."""
    if not any(unstorable(record) for record in records):
        # when some record breaks the batch, find which below, one by one
        with suppress(Exception), Newsweave(db, aliases=aliases) as news:
            return news.add(records, origin=ORIGIN).to_dict()
    return add_one_by_one(db, aliases, records).to_dict()


def add_one_by_one(db: str, aliases: str | None, records: Sequence[Record]) -> IngestReport:
    """Each record on its own, so one that fails is a problem of its own; then annotate
    and cluster what was stored."""
    total = IngestReport()
    news = Newsweave(db, aliases=aliases)
    try:
        for index, record in enumerate(records):
            where = f"{ORIGIN}[{index}]"
            why = unstorable(record)
            if why is None:
                try:
                    alone = news.add([record], origin=ORIGIN, annotate=False, cluster=False)
                    merge(total, alone, where)
                    continue
                except Exception as error:
                    why = reason(error)
                    news.close()  # a failed write may leave the connection mid-transaction
                    news = Newsweave(db, aliases=aliases)
            total.read += 1
            total.skipped += 1
            total.problems.append(Problem("record", where, why))
        news.add([], origin=ORIGIN)  # annotates and clusters whatever is not up to date
    finally:
        news.close()
    return total


def merge(total: IngestReport, one: IngestReport, where: str) -> None:
    """Add the report of one record, ingested alone as ``api[0]``, to ``total``."""
    for name in (*COUNTS, "notices"):
        setattr(total, name, getattr(total, name) + getattr(one, name))
    alone = f"{ORIGIN}[0]"
    total.problems += [replace(p, where=p.where.replace(alone, where, 1)) for p in one.problems]
    total.passed_over += [
        replace(p, where=p.where.replace(alone, where, 1)) for p in one.passed_over
    ]
    total.new_ids += one.new_ids
    total.updated_ids += one.updated_ids
    for mine, theirs in (
        (total.outlet_sources, one.outlet_sources),
        (total.folder_outlets, one.folder_outlets),
    ):
        for key, count in theirs.items():
            mine[key] = mine.get(key, 0) + count


def unstorable(value: Any, depth: int = 0) -> str | None:
    """Why ``value`` (a record parsed from JSON) cannot be stored, or None: a string with a
    lone surrogate (``"\\ud800"``) has no UTF-8 form."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return f"a text with a lone surrogate: {one_line(value, 80)}"
        return None
    if isinstance(value, Mapping):
        return unstorable(list(value.keys()), depth) or unstorable(list(value.values()), depth)
    if isinstance(value, list) and depth < 64:
        return next((found for item in value if (found := unstorable(item, depth + 1))), None)
    return None


def reason(error: BaseException) -> str:
    """An error in one line: its type and message."""
    return one_line(f"{type(error).__name__}: {error}", 300)


if __name__ == "__main__":
    main(sys.argv[1:])
