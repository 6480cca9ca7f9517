"""Plain text and Markdown: first line is the title, optional front matter."""

from __future__ import annotations

import re

from newsweave.ingest.decode import decode_text
from newsweave.ingest.fields import split_authors
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.payload import Payload
from newsweave.model import RawArticle

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split ``key: value`` front matter between ``---`` lines from the body."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta: dict[str, str] = {}
    for line in match.group(1).splitlines():
        pair = _KEY_VALUE.match(line.strip())
        if pair:
            meta[pair.group(1).lower()] = _unquote(pair.group(2).strip())
    return meta, text[match.end() :]


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _split_title(body: str) -> tuple[str | None, str]:
    lines = body.strip().split("\n", 1)
    title = lines[0].lstrip("#").strip() or None
    return title, lines[1] if len(lines) > 1 else ""


def read_text(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """One article per file."""
    text = decode_text(payload.read(), source.location, options.encoding).replace("\r\n", "\n")
    meta, body = parse_front_matter(text)
    title = meta.get("title") or meta.get("headline")
    if title:
        first, rest = _split_title(body)
        if first and first.casefold() == title.casefold():
            body = rest
    else:
        title, body = _split_title(body)
    yield RawArticle(
        text=body,
        origin=source.location,
        title=title,
        url=meta.get("url") or meta.get("link") or source.url,
        outlet=meta.get("source") or meta.get("outlet") or meta.get("site"),
        published=meta.get("published") or meta.get("date"),
        authors=split_authors(meta.get("author") or meta.get("authors") or meta.get("byline")),
        language=meta.get("language") or meta.get("lang"),
        input_id=meta.get("id"),
        folder=source.folder,
    )
