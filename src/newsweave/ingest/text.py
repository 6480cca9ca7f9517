"""Plain text and Markdown: optional front matter, and a first line that is the title when
it reads as a headline (else the whole text is the body)."""

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


HEADLINE_CHARS = 200
HEADLINE_WORDS = 30
_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:Jr|Sr|St|Co|Inc|Ltd|Corp)\.$")


def is_headline(line: str) -> bool:
    """Short, and not ended by a full stop (an abbreviation such as "U.S." may end it)."""
    line = line.strip()
    if not line or len(line) > HEADLINE_CHARS or len(line.split()) > HEADLINE_WORDS:
        return False
    return not line.endswith(".") or bool(_ABBREVIATION_END.search(line))


def _split_title(body: str) -> tuple[str | None, str]:
    """The first line as the title when it is a Markdown heading, or a headline followed
    by a body; otherwise no title, and all of the text stays the body."""
    lines = body.strip().split("\n", 1)
    first, rest = lines[0].strip(), (lines[1] if len(lines) > 1 else "")
    if first.startswith("#"):
        return first.lstrip("#").strip() or None, rest
    if rest.strip() and is_headline(first):
        return first, rest
    return None, body


def drop_title_line(body: str, title: str) -> str:
    """The body without a first line that repeats the title."""
    first, _, rest = body.strip().partition("\n")
    return rest if first.lstrip("#").strip().casefold() == title.strip().casefold() else body


def read_text(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """One article per file."""
    text = decode_text(payload.read(), source.location, options.encoding).replace("\r\n", "\n")
    meta, body = parse_front_matter(text)
    title = meta.get("title") or meta.get("headline")
    if title:
        body = drop_title_line(body, title)
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
