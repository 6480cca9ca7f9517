"""RSS and Atom feeds (feedparser), and OPML lists of feeds (reading the feeds a list names
is in :mod:`newsweave.ingest.sources`, which reads any input)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from newsweave.ingest.decode import html_to_text, looks_binary
from newsweave.ingest.fetch import is_web_url
from newsweave.ingest.fields import split_authors
from newsweave.ingest.normalise import reason_of
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.payload import Payload
from newsweave.model import InputError, Problem, RawArticle

# feedparser holds about 170 bytes per byte of a feed (measured): 4 MiB keeps one under 1 GB.
MAX_FEED_BYTES = 4 * 1024 * 1024
_HARMLESS_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")


def read_feed(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """One article per feed entry. A malformed feed is skipped whole."""
    import feedparser

    data = payload.read()
    if looks_binary(data):
        raise InputError("feed", source.location, "binary content, not a feed")
    if len(data) > MAX_FEED_BYTES:
        why = f"feed too large ({len(data):,} > {MAX_FEED_BYTES:,} bytes)"
        raise InputError("feed", source.location, why)
    try:
        parsed = feedparser.parse(
            _valid_char_refs(data), sanitize_html=False, resolve_relative_uris=False
        )
    except (ValueError, OverflowError, RecursionError) as exc:  # feedparser's loose parser
        raise InputError("feed", source.location, f"malformed feed ({reason_of(exc)})") from exc
    _check_feed(parsed, source.location)
    outlet = parsed.feed.get("title") or None
    for index, entry in enumerate(parsed.entries):
        where = f"{source.location}#{index + 1}"
        try:
            item = _entry_to_raw(entry, where, outlet, source)
        except (RecursionError, ValueError, TypeError, AttributeError) as exc:  # an odd entry
            item = Problem("entry", where, f"unreadable ({reason_of(exc)})")
        yield item


_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));")
_REPLACEMENT_REF = b"&#xFFFD;"


def _valid_char_refs(data: bytes) -> bytes:
    """Numeric character references that name no character (past U+10FFFF, a surrogate,
    NUL, or too many digits) become U+FFFD: feedparser fails on the whole feed otherwise.

    >>> _valid_char_refs(b"a&#xD800;b&#65;&#99999999999;")
    b'a&#xFFFD;b&#65;&#xFFFD;'
    """
    return _CHAR_REF.sub(_checked_char_ref, data)


def _checked_char_ref(match: re.Match[bytes]) -> bytes:
    hexadecimal, decimal = match.groups()
    if len(hexadecimal or decimal) > 8:
        return _REPLACEMENT_REF
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    usable = 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF
    return match.group() if usable else _REPLACEMENT_REF


def _check_feed(parsed: Any, where: str) -> None:
    problem = parsed.get("bozo_exception")
    if problem is not None and type(problem).__name__ not in _HARMLESS_BOZO:
        raise InputError("feed", where, f"malformed feed ({_one_line(problem)})")
    if not parsed.get("version") and not parsed.entries:
        raise InputError("feed", where, "not an RSS or Atom feed")


def _one_line(error: object) -> str:
    return " ".join(str(error).split())[:200]


def _entry_to_raw(
    entry: Any, where: str, outlet: str | None, source: Source
) -> RawArticle | Problem:
    body = _entry_body(entry)
    title = html_to_text(entry.get("title", "")).strip() or None
    if not body.strip():
        body = title or ""
    if not body.strip():
        return Problem("entry", where, "no text and no title")
    authors = [a.get("name") for a in entry.get("authors", []) if a.get("name")]
    return RawArticle(
        text=body,
        origin=where,
        title=title,
        url=entry.get("link") or None,
        outlet=outlet,
        published=entry.get("published") or entry.get("updated") or entry.get("created"),
        authors=split_authors(authors or entry.get("author")),
        language=entry.get("language") or None,
        input_id=entry.get("id") or None,
        folder=source.folder,
    )


def _entry_body(entry: Any) -> str:
    contents = entry.get("content") or []
    if contents:
        longest = max(contents, key=lambda c: len(c.get("value", "")))
        return html_to_text(longest.get("value", ""))
    return html_to_text(entry.get("summary", "") or entry.get("description", ""))


def is_opml(data: bytes) -> bool:
    """True when the document's root element is ``<opml>``."""
    head = data[:2048].lstrip().lower()
    return b"<opml" in head


def feed_locations(data: bytes, where: str) -> list[str]:
    """The ``xmlUrl`` of every outline in an OPML document."""
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise InputError("OPML list", where, f"malformed XML ({exc})") from exc
    if root.tag.lower() != "opml":
        raise InputError("OPML list", where, "root element is not <opml>")
    return [
        outline.get("xmlUrl", "").strip()
        for outline in root.iter("outline")
        if outline.get("xmlUrl", "").strip()
    ]


def resolve_feed_location(location: str, opml_location: str) -> str:
    """A feed named by an OPML list: a URL as it is; in a local list, a relative path against
    the list's folder (a list from the web may name only full http(s) URLs)."""
    if "://" in location or is_web_url(opml_location):
        return location
    return str(Path(opml_location).parent / location)
