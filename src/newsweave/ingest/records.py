"""Structured records: JSON, JSON Lines, CSV/TSV and Parquet.

Each record is read on its own: one that cannot be read (nested too deeply, a field past
the cap, a value of a type that will not convert) is one problem, and the next is read.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import accumulate
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from newsweave.ingest.decode import decode_text, looks_binary
from newsweave.ingest.fields import FieldMap, as_text, split_authors
from newsweave.ingest.normalise import MAX_TEXT_CHARS, reason_of
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.payload import Payload
from newsweave.model import InputError, Problem, RawArticle

if TYPE_CHECKING:
    import pyarrow as pa

_CONTAINER_KEYS = ("articles", "items", "records", "data", "documents", "results", "entries")
# One record's share of memory: a JSON line, a CSV line or field. Four times the longest
# text an article may have, room for markup and escapes, far below what would exhaust memory.
MAX_RECORD_CHARS = 4 * MAX_TEXT_CHARS
csv.field_size_limit(MAX_RECORD_CHARS)


def record_to_raw(
    record: Any, where: str, fields: FieldMap, source: Source
) -> RawArticle | Problem:
    """Map one record's fields to a :class:`RawArticle`, or say why it is unusable."""
    try:
        return _record_to_raw(record, where, fields, source)
    except (RecursionError, ValueError, TypeError, AttributeError) as exc:  # an odd value
        return Problem("record", where, f"unreadable fields ({reason_of(exc)})")


def _record_to_raw(
    record: Any, where: str, fields: FieldMap, source: Source
) -> RawArticle | Problem:
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


def _json_int(digits: str) -> int | str:
    """A JSON integer; one too long for Python to convert (over 4,300 digits) stays its
    digits, which is what a field made text of it would hold anyway."""
    try:
        return int(digits)
    except ValueError:
        return digits


_DECODER = json.JSONDecoder(parse_int=_json_int)
_SPACE = re.compile(r"[ \t\n\r]*")
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')  # strings skipped whole, brackets
TOO_DEEP = "nested too deeply"


def read_json(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """A JSON list of records (read item by item), an object holding one, or one record."""
    text = decode_text(payload.read(), source.location, options.encoding).lstrip("\ufeff")
    start = _skip_space(text, 0)
    try:
        if text.startswith("[", start):
            records: Iterable[tuple[int, Any]] = _array_items(text, start, source.location)
        else:
            records = enumerate(_unwrap(_DECODER.decode(text)))
        yield from _map_all(((f"{source.location}[{i}]", r) for i, r in records), options, source)
    except json.JSONDecodeError as exc:
        raise InputError("file", source.location, f"invalid JSON ({exc})") from exc
    except RecursionError as exc:
        raise InputError("file", source.location, TOO_DEEP) from exc


def _skip_space(text: str, index: int) -> int:
    found = _SPACE.match(text, index)
    return found.end() if found else index


def _array_items(text: str, start: int, where: str) -> Iterator[tuple[int, Any]]:
    """The items of the JSON array at ``text[start]``, decoded one at a time: an item
    nested too deeply is a :class:`Problem` and the next is read. Raises
    :class:`json.JSONDecodeError` where the array is broken (after the items before)."""
    index = _skip_space(text, start + 1)
    number = 0
    while not text.startswith("]", index):
        if number:
            if not text.startswith(",", index):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, index)
            index = _skip_space(text, index + 1)
        try:
            item, end = _DECODER.raw_decode(text, index)
        except RecursionError:
            end = _nesting_end(text, index)
            item = Problem("record", f"{where}[{number}]", TOO_DEEP)
        yield number, item
        number += 1
        index = _skip_space(text, end)
    after = _skip_space(text, index + 1)
    if after < len(text):
        raise json.JSONDecodeError("Extra data", text, after)


def _nesting_end(text: str, start: int) -> int:
    """Where the array or object at ``text[start]`` ends, found without recursion."""
    depth = 0
    for token in _NESTING.finditer(text, start):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
        elif bracket in ("]", "}"):
            depth -= 1
        if depth == 0:
            return token.end()
    raise json.JSONDecodeError("Unterminated array or object", text, start)


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
    limit = min(payload.limit, MAX_RECORD_CHARS)
    if looks_binary(payload.head()):
        raise InputError("file", source.location, "binary content, not text")
    with payload.stream() as stream:
        for number, line in _lines(stream, limit):
            where = f"{source.location}:{number}"
            if line is None:
                yield Problem("record", where, f"line longer than {limit:,} bytes")
                continue
            try:
                record = _DECODER.decode(line.decode(codec).lstrip("\ufeff"))
            except UnicodeDecodeError as exc:
                yield Problem("record", where, f"not valid {exc.encoding} at column {exc.start}")
                continue
            except json.JSONDecodeError as exc:
                yield Problem("record", where, f"invalid JSON ({exc.msg} at column {exc.colno})")
                continue
            except RecursionError:
                yield Problem("record", where, TOO_DEEP)
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


class _LineTooLong(Exception):
    """A CSV line over the cap (skipped: the next line is read after it)."""


class _CappedLines:
    """The lines of a text stream for :func:`csv.reader`, numbered, each at most ``cap``
    characters: a longer line is skipped whole and raises :class:`_LineTooLong`."""

    def __init__(self, text: TextIO, cap: int) -> None:
        self._text, self.cap, self.number = text, cap, 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._text.readline(self.cap + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self.cap and not line.endswith(("\n", "\r")):
            while (rest := self._text.readline(1 << 20)) and not rest.endswith(("\n", "\r")):
                pass
            raise _LineTooLong
        return line


def read_csv(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """CSV or TSV with a header row, streamed; lines and fields are capped."""
    delimiter = "\t" if source.location.lower().removesuffix(".gz").endswith(".tsv") else ","
    codec = options.encoding or "utf-8-sig"
    if looks_binary(payload.head()):
        raise InputError("file", source.location, "binary content, not text")
    with payload.stream() as stream:
        lines = _CappedLines(io.TextIOWrapper(stream, encoding=codec, newline=""), MAX_RECORD_CHARS)
        reader = csv.reader(lines, delimiter=delimiter)
        try:
            header = next(reader)
            yield from _map_all(_csv_rows(reader, lines, header, source.location), options, source)
        except StopIteration:
            raise InputError("file", source.location, "empty CSV file") from None
        except UnicodeDecodeError as exc:
            raise InputError(
                "file", source.location, f"not valid {exc.encoding} near line {lines.number}"
            ) from exc
        except (csv.Error, _LineTooLong) as exc:
            why = _csv_error(exc, lines.cap)
            raise InputError("file", source.location, f"broken CSV header ({why})") from exc


def _csv_error(error: Exception, cap: int) -> str:
    if isinstance(error, _LineTooLong):
        return f"line longer than {cap:,} characters"
    if _past_field_cap(error):
        return f"field longer than {cap:,} characters"
    return reason_of(error)


def _past_field_cap(error: Exception) -> bool:
    """A quoted field past the cap: the quote is most likely never closed, and all that
    follows is inside it (rows read after it would be pieces of that one field)."""
    return isinstance(error, csv.Error) and "field larger than field limit" in str(error)


def _csv_rows(
    reader: Iterator[list[str]], lines: _CappedLines, header: list[str], location: str
) -> Iterator[tuple[str, Any]]:
    while True:
        first_line = lines.number + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, _LineTooLong) as exc:
            why = f"broken CSV row ({_csv_error(exc, lines.cap)})"
            if _past_field_cap(exc):
                where = f"{location}:{first_line}"
                yield (
                    where,
                    Problem("record", where, f"{why}: a quote never closed? Skipped the rest"),
                )
                return
            where = f"{location}:{lines.number}"
            yield where, Problem("record", where, why)
            continue
        where = f"{location}:{lines.number}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            why = f"{len(row)} columns where the header has {len(header)}"
            yield where, Problem("record", where, why)
            continue
        yield where, dict(zip(header, row, strict=True))


def read_parquet(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """Apache Parquet, read in batches of rows, row group by row group: a row group that
    cannot be read is one problem, and the next is read."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(payload.path or pa.BufferReader(payload.read()))
        sizes = [parquet.metadata.row_group(g).num_rows for g in range(parquet.num_row_groups)]
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise InputError("file", source.location, f"unreadable Parquet ({reason_of(exc)})") from exc
    fields = FieldMap(options.fields)
    starts = list(accumulate(sizes, initial=0))
    for group, size in enumerate(sizes):
        row = starts[group]
        try:
            for batch in parquet.iter_batches(batch_size=2048, row_groups=[group]):
                for record in _rows_of(batch):
                    yield record_to_raw(record, f"{source.location}[{row}]", fields, source)
                    row += 1
        except (pa.ArrowException, OSError, ValueError) as exc:
            why = f"{starts[group] + size - row} rows unreadable ({reason_of(exc)})"
            yield Problem("record", f"{source.location}[{row}]", why)


def _rows_of(batch: pa.RecordBatch) -> list[dict[str, Any]]:
    """A batch's rows as Python values. A column whose values will not convert (a date
    past year 9999, an unknown zone) is given as text, which the date reader then judges."""
    try:
        return batch.to_pylist()  # type: ignore[no-any-return]
    except (ArithmeticError, ValueError, LookupError):
        names = batch.schema.names
        columns = [_column_values(batch.column(i)) for i in range(len(names))]
        return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


def _column_values(column: pa.Array) -> list[Any]:
    import pyarrow as pa

    try:
        return column.to_pylist()  # type: ignore[no-any-return]
    except (ArithmeticError, ValueError, LookupError):
        try:
            return column.cast(pa.string()).to_pylist()  # type: ignore[no-any-return]
        except (pa.ArrowException, ValueError):
            return [None] * len(column)
