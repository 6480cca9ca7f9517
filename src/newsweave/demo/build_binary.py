"""Rebuild the binary files of the demo corpus from the text kept in ``sources/``.

Two demo inputs are binary: a Parquet table of articles and a gzipped WARC web
archive. Their content lives as reviewable text next to this script:

- ``sources/parquet_articles.json``: the Parquet rows (all columns are strings);
- ``sources/warc_pages/manifest.json``: one entry per archived resource, naming its
  URL, its file under ``sources/warc_pages/`` (``null`` for the generated PNG), its
  Content-Type and its capture date.

The outputs are deterministic: WARC record ids are derived from the URL and record
type, dates come from the manifest and gzip members carry no timestamp, so running
the script twice gives byte-identical files.

Usage::

    python -m newsweave.demo.build_binary           # rewrite the binary files
    python -m newsweave.demo.build_binary --check   # exit 1 if they are out of date
"""

from __future__ import annotations

import argparse
import io
import json
import struct
import uuid
import zlib
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
PARQUET_SOURCE = SOURCES / "parquet_articles.json"
WARC_SOURCES = SOURCES / "warc_pages"
PARQUET_OUT = HERE / "corpus" / "records" / "newsroom-archive.parquet"
WARC_OUT = HERE / "corpus" / "archives" / "demo-crawl.warc.gz"

PARQUET_COLUMNS = ("id", "title", "text", "source", "url", "dct", "byline")
_RECORD_NAMESPACE = uuid.UUID("6f1c1f3e-5a8e-4d55-9b1e-2f8f0c9d7a10")
_USER_AGENT = "newsweave-demo-crawler/1.0 (+https://newsweave.example/demo)"


def record_id(url: str, record_type: str) -> str:
    """A stable WARC-Record-ID for one record of one URL.

    >>> record_id("https://a.example/x", "response") == record_id("https://a.example/x", "response")
    True
    >>> record_id("https://a.example/x", "response").startswith("<urn:uuid:")
    True
    """
    return f"<urn:uuid:{uuid.uuid5(_RECORD_NAMESPACE, record_type + ' ' + url)}>"


def http_date(warc_date: str) -> str:
    """The HTTP ``Date`` header for a WARC date.

    >>> http_date("2018-09-24T11:02:45Z")
    'Mon, 24 Sep 2018 11:02:45 GMT'
    """
    moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    return format_datetime(moment, usegmt=True)


def tiny_png() -> bytes:
    """A valid 1x1 grey PNG, built without any image library.

    >>> tiny_png()[:8] == bytes([137, 80, 78, 71, 13, 10, 26, 10])
    True
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x80", 9)
    return (
        bytes([137, 80, 78, 71, 13, 10, 26, 10])
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


def build_parquet() -> bytes:
    """The Parquet file's bytes, from ``sources/parquet_articles.json``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows: list[dict[str, Any]] = json.loads(PARQUET_SOURCE.read_text(encoding="utf-8"))
    schema = pa.schema([(name, pa.string()) for name in PARQUET_COLUMNS])
    table = pa.Table.from_pylist(
        [{name: row.get(name) for name in PARQUET_COLUMNS} for row in rows], schema=schema
    )
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="snappy")
    return sink.getvalue()


def _payload(entry: dict[str, Any]) -> bytes:
    if entry["file"] is None:
        return tiny_png()
    return (WARC_SOURCES / str(entry["file"])).read_bytes()


def build_warc() -> bytes:
    """The WARC.gz file's bytes: warcinfo, then a request and a response per resource."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    manifest: list[dict[str, Any]] = json.loads(
        (WARC_SOURCES / "manifest.json").read_text(encoding="utf-8")
    )
    sink = io.BytesIO()
    writer = WARCWriter(sink, gzip=True)

    info = (
        b"software: newsweave demo build_binary\r\n"
        b"format: WARC File Format 1.0\r\n"
        b"description: Fictional pages written for the newsweave demo corpus\r\n"
    )
    first_date = str(manifest[0]["warc_date"])
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": record_id(WARC_OUT.name, "warcinfo"),
                "WARC-Date": first_date,
                "WARC-Filename": WARC_OUT.name,
            },
        )
    )

    for entry in manifest:
        url = str(entry["url"])
        date = str(entry["warc_date"])
        parts = urlsplit(url)
        response_id = record_id(url, "response")
        request = StatusAndHeaders(
            f"GET {parts.path or '/'} HTTP/1.1",
            [("Host", parts.netloc), ("User-Agent", _USER_AGENT), ("Accept", "*/*")],
            is_http_request=True,
        )
        writer.write_record(
            writer.create_warc_record(
                url,
                "request",
                http_headers=request,
                warc_headers_dict={
                    "WARC-Record-ID": record_id(url, "request"),
                    "WARC-Date": date,
                    "WARC-Concurrent-To": response_id,
                },
            )
        )
        body = _payload(entry)
        headers = StatusAndHeaders(
            "200 OK",
            [
                ("Date", http_date(date)),
                ("Server", "nginx"),
                ("Content-Type", str(entry["content_type"])),
                ("Content-Length", str(len(body))),
            ],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Record-ID": response_id, "WARC-Date": date},
            )
        )
    return sink.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the binary demo files; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="only report stale outputs")
    args = parser.parse_args(argv)
    stale = 0
    for path, data in ((PARQUET_OUT, build_parquet()), (WARC_OUT, build_warc())):
        current = path.read_bytes() if path.exists() else None
        if current == data:
            print(f"up to date: {path.relative_to(HERE)}")
            continue
        if args.check:
            print(f"stale: {path.relative_to(HERE)}")
            stale += 1
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(HERE)} ({len(data):,} bytes)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
