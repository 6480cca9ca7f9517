"""HTML pages: trafilatura for the main text and metadata; the page's own date markup first."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from newsweave.ingest.decode import looks_binary
from newsweave.ingest.fields import split_authors
from newsweave.ingest.options import ReadOptions, ReadResult, Source
from newsweave.ingest.payload import Payload
from newsweave.model import InputError, RawArticle

for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

MIN_WORDS = 8
# trafilatura needs ~2 KB of memory and ~0.1 ms per element and copies the tree: a bigger
# page is refused rather than parsed (real article pages hold a few thousand elements).
MAX_HTML_BYTES = 4 * 1024 * 1024
MAX_HTML_ELEMENTS = 50_000
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "dc.date.issued",
    "dc.date",
    "dcterms.created",
    "date",
    "sailthru.date",
    "parsely-pub-date",
)


def read_html(payload: Payload, source: Source, options: ReadOptions) -> ReadResult:
    """One article per page."""
    yield page_to_raw(payload.read(), source.location, source.url, source.folder)


def page_to_raw(data: bytes, where: str, url: str | None, folder: str | None) -> RawArticle:
    """Extract the main text and metadata of one HTML page."""
    import trafilatura

    if looks_binary(data):
        raise InputError("page", where, "binary content, not HTML")
    if len(data) > MAX_HTML_BYTES:
        raise InputError(
            "page", where, f"HTML too large ({len(data):,} > {MAX_HTML_BYTES:,} bytes)"
        )
    tree = _parse(data, where)
    elements = _count_elements(tree, MAX_HTML_ELEMENTS + 1)
    if elements > MAX_HTML_ELEMENTS:
        raise InputError("page", where, f"too many HTML elements (over {MAX_HTML_ELEMENTS:,})")
    published = page_published(tree) or _htmldate(tree)
    language = _page_language(tree)
    extracted = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    found: dict[str, Any] = {}
    if extracted is not None:
        found = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = str(found.get("text") or "")
    if len(text.split()) < MIN_WORDS:
        raise InputError("page", where, f"no main text found ({len(text.split())} words)")
    title = str(found.get("title") or "").strip() or None
    author = str(found.get("author") or "")
    return RawArticle(
        text=_drop_leading_title(text, title),
        origin=where,
        title=title,
        url=url or found.get("url"),
        outlet=found.get("sitename"),
        published=published,
        authors=split_authors(author.split(";") if author else None),
        language=language,
        folder=folder,
    )


def _parse(data: bytes, where: str) -> Any:
    try:
        tree = lxml_html.fromstring(data)
    except (etree.ParserError, ValueError) as exc:
        raise InputError("page", where, f"unparseable HTML ({exc})") from exc
    if tree is None:
        raise InputError("page", where, "empty HTML")
    return tree


def _count_elements(tree: Any, stop: int) -> int:
    """How many elements the tree holds, counting no further than ``stop``."""
    count = 0
    for count, _ in enumerate(tree.iter(), start=1):
        if count >= stop:
            break
    return count


def _drop_leading_title(text: str, title: str | None) -> str:
    first, _, rest = text.partition("\n")
    if title and first.strip().casefold() == title.casefold() and rest.strip():
        return rest
    return text


def page_published(tree: Any) -> str | None:
    """The publication time the page states in meta tags, JSON-LD or a ``<time>`` element."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_META and meta.get("content"):
            return str(meta.get("content"))
    for found in _json_ld_dates(tree):
        return found
    for time_element in tree.iter("time"):
        if time_element.get("datetime"):
            return str(time_element.get("datetime"))
    return None


def _json_ld_dates(tree: Any) -> Iterator[str]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            payload = json.loads(script.text or "")
        except json.JSONDecodeError:
            continue
        yield from _find_key(payload, "datePublished")


def _find_key(payload: Any, key: str) -> Iterator[str]:
    if isinstance(payload, dict):
        if isinstance(payload.get(key), str):
            yield payload[key]
        for value in payload.values():
            yield from _find_key(value, key)
    elif isinstance(payload, list):
        for item in payload:
            yield from _find_key(item, key)


def _htmldate(tree: Any) -> str | None:
    """htmldate on markup only: no guessing from dates mentioned in the text."""
    from htmldate import find_date

    try:
        found = find_date(tree, extensive_search=False, original_date=True)
    except Exception:  # htmldate can fail on odd markup; no date is the honest answer
        return None
    return str(found) if found else None


def _page_language(tree: Any) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    return str(lang) if lang else None
