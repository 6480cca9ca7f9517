"""From what a reader found to a stored :class:`Article`: clean text, stable id, outlet, date."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from newsweave.ingest.dates import DateError, parse_published
from newsweave.model import Article, InputError, Notice, OutletSource, RawArticle
from newsweave.outlets import (
    OutletTable,
    default_table,
    domain_of,
    unwrap_url,
    without_tracking,
)

MAX_TEXT_CHARS = 2_000_000
REASON_CHARS = 160
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def clean_text(text: str) -> str:
    """Unicode NFC, unified line ends, single spaces, at most one blank line between paragraphs."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@lru_cache(maxsize=8)  # one text is normalised for its emptiness check, its id and shingles
def normalised_for_hash(text: str) -> str:
    """The form two texts must share to count as exact duplicates."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def article_id(text: str) -> str:
    """A stable id: the first 16 hex digits of SHA-256 over the normalised text."""
    return hashlib.sha256(normalised_for_hash(text).encode("utf-8")).hexdigest()[:16]


def outlet_of(raw: RawArticle, table: OutletTable, url: str | None) -> tuple[str, OutletSource]:
    """The outlet and where it came from: the record's own field (named as the outlet
    table names it), else the URL's domain (the table's name for it when known), else the
    file's folder, a last resort the ingest summary reports."""
    if raw.outlet and raw.outlet.strip():
        return table.name_for(_SPACES.sub(" ", raw.outlet.strip())), "field"
    domain = domain_of(url)
    if domain:
        known = table.by_domain(domain)
        return (known.name, "table") if known else (domain, "url")
    if raw.folder and raw.folder.strip():
        return _SPACES.sub(" ", raw.folder.strip()), "folder"
    return "unknown", "none"


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])")


def derived_title(text: str) -> str:
    """A title for display made from the text: its first sentence, shortened."""
    first_line = text.split("\n", 1)[0]
    sentence = _SENTENCE_END.split(first_line, maxsplit=1)[0].strip()
    return sentence if len(sentence) <= 120 else sentence[:117].rstrip() + "…"


def title_of(raw: RawArticle, text: str) -> str:
    """The given title, else one made from the text for display."""
    if raw.title and raw.title.strip():
        return _SPACES.sub(" ", raw.title.strip())
    return derived_title(text)


def reason_of(error: BaseException) -> str:
    """An exception as a short reason for a message: its type and the first line of its
    text, capped (a library's message may be a paragraph, or hold the whole input)."""
    lines = str(error).strip().splitlines()
    first = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    return first if len(first) <= REASON_CHARS else first[: REASON_CHARS - 1] + "…"


def valid_unicode(text: str) -> str:
    """``text`` with lone surrogates (from a JSON ``"\\ud800"`` or an undecodable file
    name) replaced by U+FFFD, a surrogate pair joined into its character."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


_TEXT_FIELDS = ("text", "origin", "title", "url", "outlet", "language", "input_id", "folder")


def _with_valid_unicode(raw: RawArticle, notices: list[Notice]) -> RawArticle:
    """``raw`` with every text field storable as UTF-8; a notice names the fields fixed."""
    fixed: dict[str, str | list[str]] = {
        name: valid_unicode(value)
        for name in _TEXT_FIELDS
        if isinstance(value := getattr(raw, name), str) and _SURROGATE.search(value)
    }
    if any(_SURROGATE.search(name) for name in raw.authors):
        fixed["authors"] = [valid_unicode(name) for name in raw.authors]
    if not fixed:
        return raw
    raw = replace(raw)  # a copy: the reader's record stays as it was
    for name, value in fixed.items():
        setattr(raw, name, value)
    fields = ", ".join(fixed)
    notices.append(Notice(raw.origin, f"invalid characters (lone surrogates) in {fields} replaced"))
    return raw


def url_of(raw: RawArticle, notices: list[Notice]) -> str | None:
    """The record's url, unwrapped and without tracking; kept as given, with a notice,
    when it cannot be taken apart."""
    if not raw.url or not raw.url.strip():
        return None
    try:
        return without_tracking(unwrap_url(raw.url))
    except ValueError as exc:
        notices.append(Notice(raw.origin, f"url not understood ({reason_of(exc)}); kept as given"))
        return raw.url.strip()


def to_article(raw: RawArticle, notices: list[Notice], table: OutletTable | None = None) -> Article:
    """Normalise one raw article; raises :class:`InputError` when it cannot be stored.

    A record with a title but no body is kept (flagged ``thin`` by the pipeline), so
    every input record can be found. The url is the original behind an archive or cache
    link. The language is the one the input states; the pipeline detects it for new
    articles only. Lone surrogates in any field are replaced (with a notice), so what
    comes back can always be stored.
    """
    raw = _with_valid_unicode(raw, notices)
    text = clean_text(raw.text or "")
    if not normalised_for_hash(text) and not (raw.title and normalised_for_hash(raw.title)):
        raise InputError("article", raw.origin, "no text and no title")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            "article", raw.origin, f"text too large ({len(text):,} > {MAX_TEXT_CHARS:,} chars)"
        )
    try:
        published = parse_published(raw.published)
    except DateError as exc:
        notices.append(Notice(raw.origin, f"{exc}; stored without a date"))
        published = None
    title = title_of(raw, text)
    url = url_of(raw, notices)
    outlet, outlet_source = outlet_of(raw, table or default_table(), url)
    authors = tuple(dict.fromkeys(a.strip() for a in raw.authors if a and a.strip()))
    return Article(
        id=article_id(text or f"{title}\n{url or ''}"),
        title=title,
        text=text,
        outlet=outlet,
        origin=raw.origin,
        url=url,
        published=published,
        language=(raw.language or "").split("-")[0].lower() or None,
        authors=authors,
        input_id=str(raw.input_id) if raw.input_id not in (None, "") else None,
        outlet_source=outlet_source,
    )
