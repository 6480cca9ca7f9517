"""WARC and WARC.gz web archives: the HTML responses only."""

from __future__ import annotations

import io

from newsweave.ingest.html import page_to_raw
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.model import InputError, Problem


def read_warc(data: bytes, source: Source, options: ReadOptions) -> ReadResult:
    """One article per HTML response record; other records are passed over."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    index = 0
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data)), start=1):
            if record.rec_type is None:
                raise InputError(
                    "archive", source.location, f"broken WARC (record {number} has no WARC-Type)"
                )
            if record.rec_type != "response" or record.http_headers is None:
                continue
            index += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{source.location}#{index} {url or ''}".rstrip()
            if not _is_html_ok(record):
                continue
            payload = record.content_stream().read(options.fetch.max_bytes + 1)
            if len(payload) > options.fetch.max_bytes:
                yield Problem("record", where, f"response over {options.fetch.max_bytes:,} bytes")
                continue
            try:
                yield page_to_raw(payload, where, url, source.folder)
            except InputError as exc:
                yield exc.problem
    except (ArchiveLoadFailed, StatusAndHeadersParserException) as exc:
        raise InputError("archive", source.location, f"broken WARC ({exc})") from exc


def _is_html_ok(record: object) -> bool:
    headers = record.http_headers  # type: ignore[attr-defined]
    content_type = (headers.get_header("Content-Type") or "").lower()
    status = headers.get_statuscode() or ""
    return status.startswith("2") and ("html" in content_type)
