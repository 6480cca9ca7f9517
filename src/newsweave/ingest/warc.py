"""WARC and WARC.gz web archives, streamed: the HTML responses only.

A record that cannot be read (broken HTTP headers, bad compression, a page too large) is
skipped with one problem line and the next record is read; only a broken record boundary
ends the file. warcio's own warnings, which quote raw file bytes, are not printed.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from contextlib import redirect_stderr
from typing import Any, BinaryIO, TypeVar

from newsweave.ingest.html import MAX_HTML_BYTES, page_to_raw
from newsweave.ingest.normalise import reason_of
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.payload import Payload
from newsweave.model import InputError, Problem, RawArticle

T = TypeVar("T")


def read_warc(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """One article per HTML response record; other records are passed over."""
    with payload.stream(decompress=False) as stream:
        yield from _html_responses(stream, source)


def _html_responses(stream: BinaryIO, source: Source) -> ReadResult:
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream, no_record_parse=True)
    responses = 0
    for number in itertools.count(1):
        record = _next_record(records, source.location, number)
        if record is None:
            return
        if record.rec_type != "response":
            continue
        responses += 1
        url = record.rec_headers.get_header("WARC-Target-URI")
        where = f"{source.location}#{responses} {url or ''}".rstrip()
        try:
            found = _quietly(_response_to_raw, records, record, where, url, source)
        except InputError as exc:
            yield exc.problem
        except Exception as exc:  # one broken record must not stop the archive
            yield Problem("record", where, f"unreadable record ({reason_of(exc)})")
        else:
            if found is not None:
                yield found


def _next_record(records: Any, location: str, number: int) -> Any:
    """The next record, ``None`` at the end; a broken boundary ends the file in one line."""
    try:
        record = _quietly(next, records, None)
    except Exception as exc:  # warcio raises many types for a broken archive
        raise InputError(
            "archive", location, f"broken WARC at record {number} ({reason_of(exc)})"
        ) from exc
    if record is not None and record.rec_type is None:
        raise InputError("archive", location, f"broken WARC (record {number} has no WARC-Type)")
    return record


def _response_to_raw(
    records: Any, record: Any, where: str, url: str | None, source: Source
) -> RawArticle | None:
    """The article in one response record, ``None`` when it is not an HTML page."""
    record.http_headers = records.loader.load_http_headers(
        record.rec_type, url or "", record.raw_stream, record.length
    )
    if record.http_headers is None or not _is_html_ok(record.http_headers):
        return None
    body = record.content_stream().read(MAX_HTML_BYTES + 1)
    if len(body) > MAX_HTML_BYTES:
        raise InputError("record", where, f"page over {MAX_HTML_BYTES:,} bytes")
    return page_to_raw(body, where, url, source.folder)


def _is_html_ok(headers: Any) -> bool:
    content_type = (headers.get_header("Content-Type") or "").lower()
    status = headers.get_statuscode() or ""
    return bool(status.startswith("2") and "html" in content_type)


class _Discard(io.TextIOBase):
    """A text stream that drops everything written to it."""

    def write(self, text: str) -> int:
        return len(text)


def _quietly(call: Callable[..., T], *args: Any) -> T:
    """``call(*args)`` with warcio's direct writes to stderr dropped (never across a yield)."""
    with redirect_stderr(_Discard()):
        return call(*args)
