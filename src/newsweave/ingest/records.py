"""Structured records: JSON, JSON Lines, CSV/TSV and Parquet."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, BinaryIO

from newsweave.ingest.decode import decode_text, looks_binary
from newsweave.ingest.fields import FieldMap, as_text, split_authors
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.payload import Payload
from newsweave.model import InputError, Problem, RawArticle

_CONTAINER_KEYS = ("articles", "items", "records", "data", "documents", "results", "entries")
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def record_to_raw(
    record: Any, where: str, fields: FieldMap, source: Source
) -> RawArticle | Problem:
    """Map one record's fields to a :class:`RawArticle`, or say why it is unusable."""
    if not isinstance(record, Mapping):
        return Problem("record", where, f"not an object but {type(record).__name__}")
    found = fields.pick(record)
    text = found.get("text")
    title = as_text(found.get("title"))
    if text is not None and not isinstance(text, str):
        return Problem("record", where, "text is not a string")
    if not (text and text.strip()) and not (title and title.strip()):
        looked = "|".join(fields.columns("text"))
        return Problem("record", where, f"no text (looked for {looked}) and no title")
    return RawArticle(
        text=text or "",
        origin=where,
        title=title,
        url=as_text(found.get("url")),
        outlet=as_text(found.get("outlet")),
        published=found.get("published"),
        authors=split_authors(found.get("authors")),
        language=as_text(found.get("language")),
        input_id=as_text(found.get("id")),
        folder=source.folder,
    )


def _map_all(
    records: Iterable[tuple[str, Any]], options: ReadOptions, source: Source
) -> ReadResult:
    fields = FieldMap(options.fields)
    for where, record in records:
        yield (
            record if isinstance(record, Problem) else record_to_raw(record, where, fields, source)
        )


def read_json(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """A JSON list of records, an object holding one, or a single record."""
    text = decode_text(payload.read(), source.location, options.encoding)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("file", source.location, f"invalid JSON ({exc})") from exc
    records = _unwrap(document)
    yield from _map_all(
        ((f"{source.location}[{i}]", r) for i, r in enumerate(records)), options, source
    )


def _unwrap(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in _CONTAINER_KEYS:
            if isinstance(document.get(key), list):
                return list(document[key])
        return [document]
    return [document]


def read_jsonl(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """One JSON record per line, streamed; a broken line is skipped with its line number."""
    fields = FieldMap(options.fields)
    codec = options.encoding or "utf-8"
    if looks_binary(payload.head()):
        raise InputError("file", source.location, "binary content, not text")
    with payload.stream() as stream:
        for number, line in _lines(stream, payload.limit):
            where = f"{source.location}:{number}"
            if line is None:
                yield Problem("record", where, f"line longer than {payload.limit:,} bytes")
                continue
            try:
                record = json.loads(line.decode(codec).lstrip("\ufeff"))
            except UnicodeDecodeError as exc:
                yield Problem("record", where, f"not valid {exc.encoding} at column {exc.start}")
                continue
            except json.JSONDecodeError as exc:
                yield Problem("record", where, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            yield record_to_raw(record, where, fields, source)


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered non-blank lines; ``None`` for a line over ``limit`` bytes (its rest is skipped)."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        elif line.strip():
            yield number, line


def read_csv(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """CSV or TSV with a header row, streamed."""
    delimiter = "\t" if source.location.lower().removesuffix(".gz").endswith(".tsv") else ","
    codec = options.encoding or "utf-8-sig"
    if looks_binary(payload.head()):
        raise InputError("file", source.location, "binary content, not text")
    with payload.stream() as stream:
        text = io.TextIOWrapper(stream, encoding=codec, newline="")
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = next(reader)
            yield from _map_all(_csv_rows(reader, header, source.location), options, source)
        except StopIteration:
            raise InputError("file", source.location, "empty CSV file") from None
        except UnicodeDecodeError as exc:
            line = getattr(reader, "line_num", 0) + 1
            raise InputError(
                "file", source.location, f"not valid {exc.encoding} near line {line}"
            ) from exc
        except csv.Error as exc:
            raise InputError("file", source.location, f"broken CSV header ({exc})") from exc


def _csv_rows(
    reader: Iterator[list[str]], header: list[str], location: str
) -> Iterator[tuple[str, Any]]:
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            where = f"{location}:{getattr(reader, 'line_num', '?')}"
            yield where, Problem("record", where, f"broken CSV row ({exc})")
            continue
        where = f"{location}:{getattr(reader, 'line_num', '?')}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            why = f"{len(row)} columns where the header has {len(header)}"
            yield where, Problem("record", where, why)
            continue
        yield where, dict(zip(header, row, strict=True))


def read_parquet(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """Apache Parquet, read in batches of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        target = payload.path or pa.BufferReader(payload.read())
        parquet = pq.ParquetFile(target)
        offset = 0
        fields = FieldMap(options.fields)
        for batch in parquet.iter_batches(batch_size=2048):
            for i, record in enumerate(batch.to_pylist()):
                yield record_to_raw(record, f"{source.location}[{offset + i}]", fields, source)
            offset += batch.num_rows
    except (pa.ArrowException, OSError) as exc:
        raise InputError("file", source.location, f"unreadable Parquet ({exc})") from exc
