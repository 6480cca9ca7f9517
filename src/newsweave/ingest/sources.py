"""Finding inputs (files, folders, globs, URLs) and handing each to the reader that fits it."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from newsweave.ingest.feeds import feed_locations, is_opml, read_feed, resolve_feed_location
from newsweave.ingest.fetch import Fetched, fetch, is_web_url
from newsweave.ingest.html import read_html
from newsweave.ingest.normalise import reason_of
from newsweave.ingest.options import Reader, ReadOptions, ReadResult, Source
from newsweave.ingest.payload import Payload
from newsweave.ingest.records import read_csv, read_json, read_jsonl, read_parquet
from newsweave.ingest.text import read_text
from newsweave.ingest.warc import read_warc
from newsweave.model import InputError, Problem

_NEEDS_FETCH = "listed in an OPML file; pass --fetch to download it"


def read_opml(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """Every feed an OPML list names: local paths only in a local list, URLs with
    ``fetch_linked``; one problem for each feed not read."""
    from_web = source.url is not None or is_web_url(source.location)
    options = replace(options, in_list=True)
    for location in feed_locations(payload.read(), source.location):
        target = resolve_feed_location(location, source.location)
        refused = _why_not_followed(target, from_web, options)
        if refused:
            yield Problem("feed", target, refused)
            continue
        yield from read_location(target, options, default_kind="feed")


def _why_not_followed(target: str, from_web: bool, options: ReadOptions) -> str | None:
    """Why a feed named in an OPML list is not read, or ``None`` when it may be: a list
    fetched from the web may name only http(s) URLs, never a local file."""
    if is_web_url(target):
        return None if options.fetch_linked else _NEEDS_FETCH
    if from_web:
        return "an OPML list from the web may name only http(s) URLs"
    return None


READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "parquet": read_parquet,
    "feed": read_feed,
    "opml": read_opml,
    "warc": read_warc,
}
EXTENSIONS = {
    ".txt": "text", ".md": "text", ".markdown": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".tsv": "csv", ".parquet": "parquet",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".opml": "opml",
    ".warc": "warc", ".arc": "warc",
}  # fmt: skip
_GLOB_CHARS = frozenset("*?[")


def kind_of_path(path: str) -> str | None:
    """The reader for a file name, looking through a ``.gz`` ending."""
    name = path.lower()
    if name.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    name = name.removesuffix(".gz")
    return EXTENSIONS.get(os.path.splitext(name)[1])


def sniff_kind(data: bytes) -> str | None:
    """Guess the reader from the content, for files whose name does not say."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if is_opml(head):
        return "opml"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        return "feed"
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith((b"{", b"[")):
        return "jsonl" if head.startswith(b"{") and b"\n{" in data[:65536] else "json"
    return None


def discover(
    arguments: list[str], passed_over: list[Problem] | None = None
) -> Iterator[Source | Problem]:
    """Expand files, folders (recursively), globs and URLs into sources, in a stable order.

    What a folder holds that is not read (hidden files and folders, unknown file types) is
    added to ``passed_over`` when given: it is not a problem, but it explains an empty run.
    """
    seen: set[str] = set()
    sink = passed_over if passed_over is not None else []
    for argument in arguments:
        for found in _expand(argument, sink):
            if isinstance(found, Source):
                key = found.url or os.path.realpath(found.location)
                if key in seen:
                    continue
                seen.add(key)
            yield found


def _expand(argument: str, passed_over: list[Problem]) -> Iterator[Source | Problem]:
    if is_web_url(argument):
        yield Source(argument, "url", url=argument)
        return
    path = Path(argument)
    if path.is_dir():
        yield from _walk(path, passed_over)
    elif path.exists():
        yield _file_source(path, explicit=True)
    elif _GLOB_CHARS & set(argument):
        matches = sorted(glob.glob(argument, recursive=True))
        if not matches:
            yield Problem("path", argument, "no files match this pattern")
        for match in matches:
            if Path(match).is_dir():
                yield from _expand(match, passed_over)
            else:
                yield _file_source(Path(match))
    else:
        yield Problem("path", argument, "no such file or directory")


def _walk(folder: Path, passed_over: list[Problem]) -> Iterator[Source]:
    anything = False
    for root, dirs, files in os.walk(folder):
        anything = anything or bool(dirs or files)
        for name in sorted(d for d in dirs if d.startswith(".")):
            passed_over.append(Problem("folder", str(Path(root) / name), "hidden folder"))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            source = _file_source(path)
            if name.startswith(".") or source.kind == "unknown":
                passed_over.append(Problem("file", str(path), _why_passed_over(path)))
            else:
                yield source
    if not anything:
        passed_over.append(Problem("folder", str(folder), "empty folder"))


def _why_passed_over(path: Path) -> str:
    """Why a file found in a folder is not read."""
    if path.name.startswith("."):
        return "hidden file"
    try:
        if path.stat().st_size == 0:
            return "empty file"
    except OSError as exc:
        return f"unreadable ({exc.strerror or exc})"
    suffix = "".join(path.suffixes[-2:]) if path.name.lower().endswith(".gz") else path.suffix
    return f"unknown file type {suffix.lower()}" if suffix else "unknown file type (no extension)"


def _file_source(path: Path, explicit: bool = False) -> Source:
    kind = kind_of_path(path.name) or ("sniff" if explicit else "unknown")
    return Source(str(path), kind, folder=path.parent.name or None)


def read_source(source: Source, options: ReadOptions) -> ReadResult:
    """Everything one source holds, with every failure turned into a :class:`Problem`."""
    try:
        if source.kind == "url":
            yield from _read_url(source, options)
        else:
            yield from _dispatch(Payload(source.location, options.max_file_bytes), source, options)
    except InputError as exc:
        yield exc.problem
    except Exception as exc:  # a library failing on one odd input must not stop the run
        yield Problem("file", source.location, f"unexpected {reason_of(exc)}")


def read_location(location: str, options: ReadOptions, default_kind: str) -> ReadResult:
    """Read a file path or URL named inside another input (e.g. an OPML list)."""
    if is_web_url(location):
        return read_source(Source(location, "url", url=location), options)
    path = Path(location)
    kind = kind_of_path(location) or default_kind
    return read_source(Source(location, kind, path.parent.name or None), options)


def _read_url(source: Source, options: ReadOptions) -> ReadResult:
    yield from read_fetched(fetch(source.location, options.fetch), options)


def read_fetched(fetched: Fetched, options: ReadOptions) -> ReadResult:
    """A downloaded document, read like any URL; raises :class:`InputError` when unreadable."""
    target = Source(fetched.url, fetched.kind, folder=None, url=fetched.url)
    payload = Payload(fetched.url, options.max_file_bytes, body=fetched.body)
    yield from _dispatch(payload, target, options)


def _dispatch(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    kind = source.kind
    head = payload.head() if kind != "warc" else b"WARC"
    if kind in ("sniff", "feed"):
        kind = sniff_kind(head) or ("feed" if kind == "feed" else "unknown")
    if kind == "unknown" or kind not in READERS:
        raise InputError("file", source.location, "unknown file type")
    if kind == "opml" and options.in_list:
        raise InputError("feed", source.location, "an OPML list inside an OPML list is not read")
    if not head.strip():
        raise InputError("file", source.location, "empty file")
    yield from READERS[kind](payload, Source(source.location, kind, source.folder, source.url),
                             options)  # fmt: skip
