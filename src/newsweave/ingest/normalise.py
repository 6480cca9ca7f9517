"""From what a reader found to a stored :class:`Article`: clean text, stable id, outlet, date."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from newsweave.ingest.dates import DateError, parse_published
from newsweave.model import Article, InputError, Notice, RawArticle

MAX_TEXT_CHARS = 2_000_000
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


def domain_of(url: str | None) -> str | None:
    """``https://www.example.com/x`` → ``example.com``."""
    if not url:
        return None
    host = urlsplit(url).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def outlet_of(raw: RawArticle) -> str:
    """The outlet from the record's field, else the URL's domain, else the file's folder."""
    for candidate in (raw.outlet, domain_of(raw.url), raw.folder):
        if candidate and candidate.strip():
            return _SPACES.sub(" ", candidate.strip())
    return "unknown"


def title_of(raw: RawArticle, text: str) -> str:
    """The given title, else the text's first line, shortened."""
    if raw.title and raw.title.strip():
        return _SPACES.sub(" ", raw.title.strip())
    first_line = text.split("\n", 1)[0]
    return first_line if len(first_line) <= 120 else first_line[:117].rstrip() + "…"


def to_article(raw: RawArticle, notices: list[Notice]) -> Article:
    """Normalise one raw article; raises :class:`InputError` when it cannot be stored.

    The language is the one the input states; the pipeline detects it for new articles only.
    """
    text = clean_text(raw.text or "")
    if not normalised_for_hash(text):
        raise InputError("article", raw.origin, "no text")
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
    authors = tuple(dict.fromkeys(a.strip() for a in raw.authors if a and a.strip()))
    return Article(
        id=article_id(text),
        title=title,
        text=text,
        outlet=outlet_of(raw),
        origin=raw.origin,
        url=raw.url.strip() if raw.url else None,
        published=published,
        language=(raw.language or "").split("-")[0].lower() or None,
        authors=authors,
        input_id=str(raw.input_id) if raw.input_id not in (None, "") else None,
    )
