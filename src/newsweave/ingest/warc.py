"""WARC and WARC.gz web archives, streamed: the HTML responses only."""

from __future__ import annotations

from typing import Any, BinaryIO

from newsweave.ingest.html import page_to_raw
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.payload import Payload
from newsweave.model import InputError, Problem


def read_warc(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """One article per HTML response record; other records are passed over."""
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    try:
        with payload.stream(decompress=False) as stream:
            yield from _html_responses(stream, source, options)
    except (ArchiveLoadFailed, StatusAndHeadersParserException) as exc:
        raise InputError("archive", source.location, f"broken WARC ({exc})") from exc


def _html_responses(stream: BinaryIO, source: Source, options: ReadOptions) -> ReadResult:
    from warcio.archiveiterator import ArchiveIterator

    responses = 0
    for number, record in enumerate(ArchiveIterator(stream), start=1):
        if record.rec_type is None:
            why = f"broken WARC (record {number} has no WARC-Type)"
            raise InputError("archive", source.location, why)
        if record.rec_type != "response" or record.http_headers is None:
            continue
        responses += 1
        url = record.rec_headers.get_header("WARC-Target-URI")
        where = f"{source.location}#{responses} {url or ''}".rstrip()
        if not _is_html_ok(record):
            continue
        body = record.content_stream().read(options.fetch.max_bytes + 1)
        if len(body) > options.fetch.max_bytes:
            yield Problem("record", where, f"response over {options.fetch.max_bytes:,} bytes")
            continue
        try:
            yield page_to_raw(body, where, url, source.folder)
        except InputError as exc:
            yield exc.problem


def _is_html_ok(record: Any) -> bool:
    headers = record.http_headers
    content_type = (headers.get_header("Content-Type") or "").lower()
    status = headers.get_statuscode() or ""
    return bool(status.startswith("2") and "html" in content_type)
