"""Metadata kept beside a folder of files: ``--meta files.csv`` maps file names to titles,
outlets, urls and dates, which is how collections of plain-text articles are often kept.

The side file is CSV/TSV, JSON (a list of objects) or JSON Lines. One column names the file
(``file``, ``filename``, ``path`` or ``name``: a path, a path ending, or a bare file name);
the others use the field names of records (title, source/outlet, url, published/date,
author, language, id). Side metadata wins over a file's own front matter: it was named on
the command line for this run.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from newsweave.ingest.fields import FieldMap, as_text, split_authors
from newsweave.ingest.normalise import reason_of
from newsweave.ingest.options import ReadResult, Source
from newsweave.ingest.text import drop_title_line
from newsweave.model import RawArticle

FILE_COLUMNS = ("file", "filename", "file_name", "path", "name")


class SideMetadataError(ValueError):
    """A ``--meta`` file that cannot be used."""


@dataclass(frozen=True, slots=True)
class SideMetadata:
    """Fields by file: looked up by full path, then by bare file name."""

    by_path: Mapping[str, Mapping[str, Any]]

    def lookup(self, location: str) -> Mapping[str, Any] | None:
        path = Path(location)
        found = self.by_path.get(_path_key(location, Path.cwd()))
        return found if found is not None else self.by_path.get(path.name)


def load_side_metadata(path: str | Path) -> SideMetadata:
    """Read a side file; raises :class:`SideMetadataError` with a one-line reason."""
    location = Path(path)
    try:
        rows = list(_rows(location))
    except (OSError, ValueError, RecursionError, csv.Error) as exc:  # ValueError: JSON, UTF-8
        raise SideMetadataError(f"{location}: unreadable metadata file ({reason_of(exc)})") from exc
    fields = FieldMap({})
    by_path: dict[str, Mapping[str, Any]] = {}
    for number, row in enumerate(rows, start=1):
        name = _file_name(row)
        if not name:
            raise SideMetadataError(
                f"{location}: row {number} names no file (column {'|'.join(FILE_COLUMNS)})"
            )
        by_path[_path_key(name, location.parent)] = fields.pick(row)
        by_path.setdefault(Path(name).name, fields.pick(row))
    return SideMetadata(by_path)


def _rows(location: Path) -> Iterator[Mapping[str, Any]]:
    text = location.read_text(encoding="utf-8-sig")
    suffix = location.suffix.lower()
    if suffix in {".json", ".jsonl", ".ndjson"}:
        stripped = text.lstrip()
        items = (
            json.loads(stripped)
            if stripped.startswith("[")
            else [json.loads(line) for line in text.splitlines() if line.strip()]
        )
        if not all(isinstance(item, Mapping) for item in items):
            raise json.JSONDecodeError("not a list of objects", text, 0)
        yield from items
        return
    delimiter = "\t" if suffix == ".tsv" else ","
    yield from csv.DictReader(text.splitlines(), delimiter=delimiter)


def _file_name(row: Mapping[str, Any]) -> str | None:
    for key, value in row.items():
        if str(key).strip().casefold() in FILE_COLUMNS and value:
            return str(value).strip()
    return None


def _path_key(name: str, base: Path) -> str:
    """The full path of ``name``, read from ``base`` when relative."""
    path = Path(name)
    return str((path if path.is_absolute() else base / path).resolve())


def with_side_metadata(items: ReadResult, source: Source, meta: SideMetadata | None) -> ReadResult:
    """The items of one source with the side file's fields for that file laid over them."""
    found = meta.lookup(source.location) if meta and not source.url else None
    for item in items:
        yield overlay(item, found, source) if found and isinstance(item, RawArticle) else item


def overlay(raw: RawArticle, fields: Mapping[str, Any], source: Source) -> RawArticle:
    title = as_text(fields.get("title"))
    text = drop_title_line(raw.text, title) if title and source.kind == "text" else raw.text
    return replace(
        raw,
        text=text,
        title=title or raw.title,
        url=as_text(fields.get("url")) or raw.url,
        outlet=as_text(fields.get("outlet")) or raw.outlet,
        published=fields.get("published") or raw.published,
        authors=split_authors(fields.get("authors")) or raw.authors,
        language=as_text(fields.get("language")) or raw.language,
        input_id=as_text(fields.get("id")) or raw.input_id,
    )
