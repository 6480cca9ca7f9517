"""Field names: the aliases that map a record's columns to article fields."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "maintext", "description"),
    "title": ("title", "headline", "heading"),
    "published": (
        "published",
        "date",
        "dct",
        "pubdate",
        "published_at",
        "publish_date",
        "date_published",
        "datepublished",
        "datetime",
        "timestamp",
        "time",
    ),
    "outlet": ("source", "outlet", "site", "publisher", "sitename", "source_name", "domain"),
    "url": ("url", "link", "uri", "href", "source_url"),
    "id": ("id", "input_id", "guid", "doc_id", "uuid", "article_id"),
    "authors": ("authors", "author", "byline", "creator", "creators"),
    "language": ("language", "lang"),
}
FIELD_NAMES = tuple(ALIASES)
_KEY_NOISE = re.compile(r"[\s_\-.]+")
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b|&)\s*")


class FieldSpecError(ValueError):
    """A ``--field NAME=COLUMN`` that cannot be used."""


def parse_field_overrides(specs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["text=body_html"]`` → ``{"text": "body_html"}``; raises :class:`FieldSpecError`."""
    overrides: dict[str, str] = {}
    for spec in specs:
        name, sep, column = spec.partition("=")
        name = {"source": "outlet", "author": "authors"}.get(name.strip(), name.strip())
        if not sep or not column.strip():
            raise FieldSpecError(f"--field needs NAME=COLUMN, got {spec!r}")
        if name not in ALIASES:
            raise FieldSpecError(f"unknown field {name!r}; known: {', '.join(FIELD_NAMES)}")
        overrides[name] = column.strip()
    return overrides


def _key(name: str) -> str:
    return _KEY_NOISE.sub("", name.casefold())


class FieldMap:
    """Finds each article field in a record, by override or by alias."""

    def __init__(self, overrides: Mapping[str, str]) -> None:
        self._columns: dict[str, tuple[str, ...]] = {
            name: (overrides[name],) if name in overrides else aliases
            for name, aliases in ALIASES.items()
        }
        self._lookup = {
            name: tuple(_key(column) for column in columns)
            for name, columns in self._columns.items()
        }

    def columns(self, name: str) -> tuple[str, ...]:
        """The column names searched for ``name``, as the user would write them."""
        return self._columns[name]

    def pick(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The article fields found in ``record`` (absent ones are left out)."""
        keyed = {_key(str(k)): v for k, v in record.items()}
        found: dict[str, Any] = {}
        for name, keys in self._lookup.items():
            for key in keys:
                value = keyed.get(key)
                if value not in (None, "", [], {}):
                    found[name] = value
                    break
        return found


def as_text(value: Any) -> str | None:
    """A scalar field as a string; a ``{"name": ...}`` object gives its name."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        for key in ("name", "title", "value", "href"):
            if value.get(key):
                return str(value[key])
        return None
    if isinstance(value, list | tuple):
        return as_text(value[0]) if value else None
    return str(value)


def split_authors(value: Any) -> list[str]:
    """Author names from a list, an object or a byline string."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [name for item in value for name in split_authors(item)]
    if isinstance(value, Mapping):
        name = as_text(value)
        return [name] if name else []
    byline = re.sub(r"^\s*by\s+", "", str(value), flags=re.IGNORECASE)
    return [part for part in _AUTHOR_SPLIT.split(byline) if part.strip()]
